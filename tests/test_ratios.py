import pytest

from dashboard.ratios import (ALL_YEARS, FROM_YEAR, ONLY_YEAR, ramp_text, ratio_for_year, ratio_ramp, rescoped,
                              scenario_ratio, with_setting)

BERATUNG = {2023: 5900, 2024: 4200, 2026: 2500}


@pytest.mark.parametrize("year,expected", [(2020, 5900), (2023, 5900), (2024, 4200), (2025, 4200),
                                           (2026, 2500), (2040, 2500)])
def test_hold(year, expected):
    assert ratio_for_year(BERATUNG, year, "hold") == expected


def test_linear_between_milestones():
    assert ratio_for_year(BERATUNG, 2025, "linear") == 3350  # (4200 + 2500) / 2
    assert ratio_for_year({2020: 1000, 2030: 2000}, 2023, "linear") == pytest.approx(1300)


def test_errors():
    with pytest.raises(ValueError):
        ratio_for_year({}, 2025)
    with pytest.raises(ValueError):
        ratio_for_year(BERATUNG, 2025, "cubic")


# -- the scenario's ratio and its scope (hand-computed on Dresden's Beratung milestones) -------------
YEARS = list(range(2020, 2036))


@pytest.mark.parametrize("between,year,expected", [
    ("hold", 2025, 4200), ("hold", 2027, 2500), ("hold", 2028, 2000), ("hold", 2030, 2000),
    ("linear", 2025, 3350), ("linear", 2027, 2500), ("linear", 2028, 2000), ("linear", 2035, 2000)])
def test_from_a_year_on_is_a_step(between, year, expected):
    """"ab 2028: 2000": the years before keep the dataset's ratio, from 2028 on 2000 holds."""
    assert scenario_ratio(BERATUNG, year, between, [(2000, FROM_YEAR, 2028)]) == expected


@pytest.mark.parametrize("between,year,expected", [
    ("hold", 2025, 4200), ("hold", 2026, 3000), ("hold", 2027, 2500), ("hold", 2030, 2500),
    ("linear", 2025, 3350), ("linear", 2026, 3000), ("linear", 2027, 2500)])
def test_one_year_alone(between, year, expected):
    """"nur 2026: 3000": 2026 alone; 2025 and 2027 as the dataset says."""
    assert scenario_ratio(BERATUNG, year, between, [(3000, ONLY_YEAR, 2026)]) == expected


def test_from_before_a_later_milestone_replaces_it():
    # "ab 2025: 2000" under linear: 2024 is the dataset's 4200, 2026's milestone 2500 gives way to 2000
    assert [scenario_ratio(BERATUNG, y, "linear", [(2000, FROM_YEAR, 2025)]) for y in (2024, 2025, 2026, 2030)] \
        == [4200, 2000, 2000, 2000]


def test_all_years_and_none():
    assert {scenario_ratio(BERATUNG, y, "hold", [(3000, ALL_YEARS, None)]) for y in YEARS} == {3000}
    assert [scenario_ratio(BERATUNG, y, "hold") for y in (2023, 2025, 2030)] == [5900, 4200, 2500]


def test_several_settings_of_one_service():
    """Only 2026: 3000 and from 2030: 2000 on top of all years: 2800; one year alone wins over a
    setting from a year on, which wins over all years."""
    settings = [(2800, ALL_YEARS, None), (3000, ONLY_YEAR, 2026), (2000, FROM_YEAR, 2030)]
    assert [scenario_ratio(BERATUNG, y, "hold", settings) for y in (2025, 2026, 2027, 2030, 2035)] \
        == [2800, 3000, 2800, 2000, 2000]
    assert ratio_ramp(BERATUNG, YEARS, "hold", settings[1:]) == [
        (2023, 5900, False), (2024, 4200, False), (2026, 3000, True), (2027, 2500, False), (2030, 2000, True)]


def test_setting_a_ratio_as_the_planner_does():
    only_2026, from_2030 = (3000.0, ONLY_YEAR, 2026), (2000.0, FROM_YEAR, 2030)
    # one year alone adds to what is set, and replaces one of the same year
    assert with_setting([only_2026], 2000, FROM_YEAR, 2030) == [only_2026, from_2030]
    assert with_setting([only_2026, from_2030], 3500, ONLY_YEAR, 2026) == [from_2030, (3500.0, ONLY_YEAR, 2026)]
    # from a year on replaces that year and the later ones; all years replaces every one
    assert with_setting([only_2026, from_2030], 2200, FROM_YEAR, 2026) == [(2200.0, FROM_YEAR, 2026)]
    assert with_setting([only_2026, from_2030], 2200, ALL_YEARS, 2031) == [(2200.0, ALL_YEARS, None)]
    # another scope for the value that holds in the year shown: 2026's 3000 from 2026 on
    assert rescoped([only_2026, from_2030], 2026, FROM_YEAR) == [(3000.0, FROM_YEAR, 2026)]
    assert rescoped([(3000.0, ALL_YEARS, None)], 2028, ONLY_YEAR) == [(3000.0, ONLY_YEAR, 2028)]
    assert rescoped([only_2026], 2027, FROM_YEAR) == [only_2026]  # none holds in 2027: nothing to change


def test_ramp_marks_the_scenario_years():
    assert ratio_ramp(BERATUNG, YEARS) == [(2023, 5900, False), (2024, 4200, False), (2026, 2500, False)]
    assert ratio_ramp(BERATUNG, YEARS, "hold", [(2000, FROM_YEAR, 2028)]) == [
        (2023, 5900, False), (2024, 4200, False), (2026, 2500, False), (2028, 2000, True)]
    assert ratio_ramp(BERATUNG, YEARS, "hold", [(3000, ONLY_YEAR, 2026)]) == [
        (2023, 5900, False), (2024, 4200, False), (2026, 3000, True), (2027, 2500, False)]
    # from 2025 on: 2026's milestone is the scenario's value again, so it is not listed twice
    assert ratio_ramp(BERATUNG, YEARS, "hold", [(2000, FROM_YEAR, 2025)]) == [
        (2023, 5900, False), (2024, 4200, False), (2025, 2000, True)]
    assert ratio_ramp(BERATUNG, YEARS, "hold", [(3000, ALL_YEARS, None)]) == [(2023, 3000, True)]
    # the plan's own years, also before the data's first; one year alone at the last year has no year after
    assert ratio_ramp({2019: 6.91}, YEARS) == [(2019, 6.91, False)]
    assert ratio_ramp({2019: 6.91}, YEARS, "hold", [(8, ONLY_YEAR, 2035)]) == [(2019, 6.91, False), (2035, 8, True)]


def test_ramp_text():
    ramp = ratio_ramp(BERATUNG, YEARS, "hold", [(3000, ONLY_YEAR, 2026)])
    assert ramp_text(ramp, "de") == "2023 1 : 5.900 · 2024 1 : 4.200 · 2026* 1 : 3.000 · 2027 1 : 2.500"
    assert ramp_text([(2020, 6.91, True)], "en") == "2020* 1 : 6.91"


def test_milestone_year_marks_keep_their_room():
    from layouts.controls import milestone_marks
    # range 100 … 13,100: a label needs 20 % = 2,600 beside the last one written. From the strictest
    # up: 2026 (2,500) written; 2024 (4,200) only 1,700 beyond it, a bare tick; 2023 (5,900) 3,400 beyond
    assert milestone_marks(BERATUNG, 100, 13_100) == {2500: "2026", 4200: "", 5900: "2023"}
    assert milestone_marks({2019: 6.91}, 0.1, 14) == {6.91: "2019"}
