"""The view model and its codecs (link, controls, command line) on the tiny fixture."""

import argparse
from dataclasses import replace

import pytest

from dashboard.scenario import Calculator
from dashboard.scenarios import assumptions_from_dict, assumptions_to_dict
from dashboard.view import Assumptions, FteChange, RatioOverride, ScenarioError, View, default_view, scenario_view
from dashboard.view.checks import check_assumptions
from dashboard.view.cli import add_view_arguments, locale_language, view_from_args
from dashboard.view.url import Link, from_query, link_of, number_text, to_query
from dashboard.view.widgets import Widgets, from_widgets, to_widgets


def url(view, tiny, base=None):
    return to_query(view, tiny, "tiny", base)


def read(query, tiny, base=None):
    return from_query(query, tiny, "tiny", base)


def args(*argv):
    parser = argparse.ArgumentParser()
    add_view_arguments(parser, measure=True)
    return parser.parse_args(argv)


def test_defaults_write_an_empty_link(tiny):
    view = default_view(tiny, "tiny")
    # tiny: first service beratung, base year 2025, rule 60+, finest level ortsteil
    assert view.assumptions == Assumptions("beratung", 2025, "60+", level="ortsteil")
    assert (view.service, view.year, view.level, view.measure, view.lang) == ("beratung", 2025, "ortsteil",
                                                                               "coverage", "de")
    assert url(view, tiny) == "" and read("", tiny) == view


def test_link_writes_only_what_differs(tiny):
    view = default_view(tiny, "tiny").with_assumptions(year=2026, level="bezirk", ratios=(("beratung", 1000.0),),
                                                       fte_changes=(FteChange("C", "beratung", 2026, 0.5),))
    view = replace(view, lang="en", present=True)
    query = url(view, tiny)
    assert query == "level=bezirk&year=2026&r.beratung=1000&changes=C~beratung~2026~0.5&lang=en&present=1"
    assert read(query, tiny) == view


def test_values_that_do_not_fit_keep_the_base_and_are_listed(tiny):
    view = read("service=pflege&year=2031&r.beratung=0&r.nope=5&between=smooth&cost=-1&wage=3&level=kiez"
                "&changes=Z~beratung~2025~1&lang=fr&basemap=sat&measure=x&pop=55&year=2026", tiny)
    assert view.year == 2026  # the last of a repeated key counts
    assert view.assumptions == Assumptions.defaults(tiny, year=2026)
    assert set(view.notices) == {"service=pflege", "r.beratung=0", "r.nope=5", "between=smooth", "cost=-1",
                                 "wage=3", "level=kiez", "changes=Z~beratung~2025~1", "lang=fr", "basemap=sat",
                                 "measure=x", "pop=55"}


def test_plan_returns_to_the_datasets_value(tiny):
    saved = default_view(tiny, "tiny").with_assumptions(ratios=(("beratung", 1500.0),), between_milestones="linear",
                                                        fte_cost_eur=90000.0, wage_growth=0.03,
                                                        fte_changes=(FteChange("A", "beratung", 2025, 1.0),))
    saved = replace(saved, scenario="abc")
    back = replace(saved, assumptions=Assumptions.defaults(tiny))
    query = url(back, tiny, saved)
    assert query == "scenario=abc&r.beratung=plan&between=plan&cost=plan&wage=plan&changes=none"
    assert read(query, tiny, saved) == back


def test_hand_typed_plus_and_exact_numbers(tiny):
    assert read("pop=65+", tiny).assumptions.population_rule == "65+"  # '+' arrives as a space
    assert number_text(2500.0) == "2500" and number_text(1234567.0) == "1234567"  # never 1.23457e+06
    view = default_view(tiny, "tiny").with_assumptions(fte_cost_eur=1234567.0)
    assert read(url(view, tiny), tiny) == view


def test_widgets_show_every_value_and_read_back(tiny):
    view = default_view(tiny, "tiny")
    w = to_widgets(view, tiny)
    # the controls show the dataset's values where the view keeps them: 75,000 EUR, 0 % wage growth, hold
    assert w == Widgets("beratung", "coverage", "ortsteil", 2025, {}, "60+", "hold", 75000, 0.0, [], "none", False,
                        "own", 5.0, "gaussian")
    assert from_widgets(view, tiny, *w) == view
    moved = w._replace(year=2026, overrides={"beratung": 1800}, between="linear", cost="80000", wage=2.5,
                       changes=[{"district_id": "C", "service": "beratung", "year_from": 2026, "delta_fte": 0.5,
                                 "note": "Neubau"}], basemap="osm", present=True, measure="gap")
    got = from_widgets(view, tiny, *moved)
    assert got.assumptions == Assumptions("beratung", 2026, "60+", (("beratung", 1800.0),), "linear", 80000.0, 0.025,
                                          (FteChange("C", "beratung", 2026, 0.5, "Neubau"),), "ortsteil")
    assert (got.measure, got.basemap, got.present) == ("gap", "osm", True)
    assert to_widgets(got, tiny) == moved._replace(cost=80000.0, overrides={"beratung": 1800.0})
    # a value set back to the dataset's is the dataset's again: the link forgets it
    assert from_widgets(view, tiny, *moved._replace(cost=75000, wage="", between="hold")).assumptions == \
        replace(got.assumptions, fte_cost_eur=None, wage_growth=None, between_milestones=None)


def test_catchment_widgets_read_back_and_leave_the_plan_to_the_dataset(tiny):
    view = default_view(tiny, "tiny")
    w = to_widgets(view, tiny)
    moved = from_widgets(view, tiny, *w._replace(catchment="level:bezirk", radius=12, decay="steps"))
    assert (moved.assumptions.catchment, moved.assumptions.radius_km, moved.assumptions.decay) == \
        ("level:bezirk", 12.0, "steps")
    assert url(moved, tiny) == "catch=level%3Abezirk&radius=12&decay=steps"
    assert read(url(moved, tiny), tiny) == moved
    back = from_widgets(moved, tiny, *w._replace(catchment="own", radius=5.0, decay="gaussian"))
    assert back.assumptions == view.assumptions


def test_catchment_values_that_do_not_fit_are_named(tiny):
    view = read("catch=level:kiez&radius=-3&decay=linear", tiny)
    assert view.notices == ("catch=level:kiez", "radius=-3", "decay=linear")
    with pytest.raises(ScenarioError) as caught:
        check_assumptions(tiny, replace(view.assumptions, catchment="nearby"))
    assert caught.value.code == "bad_catchment" and "level:bezirk" in caught.value.text("de")


def test_command_line_flags(tiny):
    view = view_from_args(args("--year", "2026", "--ratio", "1000", "--ratio", "begegnung=3000", "--level", "bezirk",
                               "--change", "C~beratung~2026~0.5", "--wage=0.02", "--measure", "gap", "--lang", "en"),
                          tiny)
    assert view.assumptions == Assumptions("beratung", 2026, "60+", (("begegnung", 3000.0), ("beratung", 1000.0)),
                                           wage_growth=0.02, fte_changes=(FteChange("C", "beratung", 2026, 0.5),),
                                           level="bezirk")
    assert (view.measure, view.lang) == ("gap", "en")
    with pytest.raises(ScenarioError, match="unknown service 'pflege'"):
        view_from_args(args("--service", "pflege"), tiny)
    with pytest.raises(ScenarioError, match="--ratio needs one --service"):
        view_from_args(args("--service", "all", "--ratio", "1000"), tiny)
    with pytest.raises(ScenarioError, match="'12x' is not a valid value for cost"):
        view_from_args(args("--cost", "12x"), tiny)


@pytest.mark.parametrize("environ, lang", [
    ({"LANG": "en_GB.UTF-8"}, "en"), ({"LANG": "de_AT.UTF-8"}, "de"), ({"LANG": "fr_FR.UTF-8"}, "de"),
    ({"LANG": "C.UTF-8"}, "de"), ({}, "de"), ({"LC_ALL": "en_US.UTF-8", "LANG": "de_DE.UTF-8"}, "en"),
    ({"LC_ALL": "", "LC_MESSAGES": "de_DE", "LANG": "en_US"}, "de"),
])
def test_language_from_the_locale(environ, lang):
    assert locale_language(environ) == lang


def test_one_check_for_every_medium(tiny):
    calc = Calculator(tiny)
    bad = Assumptions.defaults(tiny, wage_growth=2.0)
    with pytest.raises(ScenarioError) as caught:
        check_assumptions(tiny, bad)
    assert caught.value.code == "bad_wage"
    assert caught.value.text("de") == "Die jährliche Lohnsteigerung muss zwischen -50 % und 100 % liegen."
    with pytest.raises(ScenarioError, match="yearly wage growth must lie between -50 % and 100 %"):
        calc.compute(bad)  # the calculator asks the same check
    assert "wage=2" in read("wage=2", tiny).notices  # the link too
    with pytest.raises(ScenarioError, match="yearly wage growth"):
        view_from_args(args("--wage", "2"), tiny)  # and the command line


def test_saved_scenario_view(tiny):
    a = Assumptions("begegnung", 2026, "65+")  # saved without a level: the finest
    view = scenario_view(tiny, "tiny", "s1", a, "nonsense")
    assert view == View("tiny", Assumptions("begegnung", 2026, "65+", level="ortsteil"), scenario="s1")
    with pytest.raises(ScenarioError, match="no population for 2040"):
        scenario_view(tiny, "tiny", "s2", Assumptions("beratung", 2040), "gap")


def test_what_a_link_names_before_its_dataset_loads():
    assert link_of("?scenario=ab12&lang=en&year=2026") == Link(None, "ab12", "en")
    assert link_of("dataset=deutschland&lang=fr&dataset=dresden") == Link("dresden", None, "de")
    assert link_of(None) == Link(None, None, "de") == link_of("dataset=&scenario=")


# -- how far a changed ratio reaches: one model, every codec ------------------------------------
def test_ratio_scope_in_links_old_and_new(tiny):
    only = default_view(tiny, "tiny").with_assumptions(ratios=(RatioOverride("beratung", 3000, "only", 2026),))
    since = default_view(tiny, "tiny").with_assumptions(ratios=(RatioOverride("beratung", 1500, "from", 2026),))
    assert url(only, tiny) == "r.beratung=3000@2026"
    assert url(since, tiny) == "r.beratung=1500@2026%2B"
    assert read(url(only, tiny), tiny) == only and read(url(since, tiny), tiny) == since
    assert read("r.beratung=1500@2026+", tiny) == since  # typed by hand: the '+' arrives as a space
    # a link written before ratios had a scope means every year, as it did
    assert read("r.beratung=3000", tiny).assumptions.ratios == (RatioOverride("beratung", 3000.0, "all"),)
    assert read("r.beratung=3000@2031&r.begegnung=3000@2026-", tiny).notices == (
        "r.beratung=3000@2031", "r.begegnung=3000@2026-")


def test_ratio_scope_in_the_calculator(tiny):
    """tiny's Beratung: 2025 → 2000 (hold until 2027's 1000)."""
    calc = Calculator(tiny)
    a = Assumptions.defaults(tiny)
    assert [calc.ratio(a.with_ratio("beratung", 3000, "only", 2025), "beratung", y) for y in (2025, 2026)] \
        == [3000, 2000]
    assert [calc.ratio(a.with_ratio("beratung", 3000, "from", 2026), "beratung", y) for y in (2025, 2026)] \
        == [2000, 3000]
    assert [calc.ratio(a.with_ratio("beratung", 3000), "beratung", y) for y in (2025, 2026)] == [3000, 3000]
    trend = calc.trend(a.with_ratio("beratung", 3000, "only", 2025))
    plain, scoped = calc.trend(a), trend
    assert scoped["soll_fte"][0] == pytest.approx(plain["soll_fte"][0] * 2000 / 3000)
    assert scoped["soll_fte"][1] == pytest.approx(plain["soll_fte"][1])


def test_ratio_scope_in_widgets_json_and_command_line(tiny):
    view = default_view(tiny, "tiny")
    w = to_widgets(view, tiny)
    moved = from_widgets(view, tiny, *w._replace(overrides={"beratung": {"ratio": 1500, "scope": "from",
                                                                         "year": 2026}, "begegnung": 2800}))
    assert moved.assumptions.ratios == (RatioOverride("begegnung", 2800.0), RatioOverride("beratung", 1500, "from", 2026))
    assert to_widgets(moved, tiny).overrides == {"begegnung": 2800.0,
                                                 "beratung": {"ratio": 1500.0, "scope": "from", "year": 2026}}
    document = assumptions_to_dict(moved.assumptions)
    assert document["assumptions"]["ratios"] == {"begegnung": 2800.0,
                                                 "beratung": {"ratio": 1500.0, "scope": "from", "year": 2026}}
    assert assumptions_from_dict(document)[0] == moved.assumptions
    # a version-2 document saved before scopes: its numbers hold in every year, and it writes back unchanged
    old = {"version": 2, "assumptions": {"service": "beratung", "year": 2025, "population_rule": "60+",
                                         "ratios": {"beratung": 2500.0}, "between_milestones": None,
                                         "fte_cost_eur": None, "wage_growth": None, "fte_changes": [],
                                         "level": "ortsteil"}, "view": {"measure": "coverage"}}
    assert assumptions_from_dict(old)[0].ratios == (RatioOverride("beratung", 2500.0),)
    assert assumptions_to_dict(*assumptions_from_dict(old)) == old
    cli = view_from_args(args("--ratio", "1500@2026+", "--ratio", "begegnung=2800"), tiny)
    assert cli.assumptions.ratios == moved.assumptions.ratios
    with pytest.raises(ScenarioError, match="2031"):
        view_from_args(args("--ratio", "1500@2031"), tiny)


def test_ratio_scope_checked_once(tiny):
    bad = Assumptions.defaults(tiny, ratios=(RatioOverride("beratung", 1500, "someday", 2026),))
    with pytest.raises(ScenarioError) as caught:
        check_assumptions(tiny, bad)
    assert caught.value.code == "bad_ratio_scope" and "only, from, all" in caught.value.text("en")
    with pytest.raises(ValueError):
        RatioOverride("beratung", 1500, "only")  # one year alone needs its year


def test_planner_inputs_follow_the_ratio_scope(tiny):
    """The planner's Soll per year: 1 : 3000 in 2025 alone, then the plan's 2000 (Soll scales as 1/ratio)."""
    from dashboard.planning.source import inputs_from_calculator
    calc = Calculator(tiny)
    a = Assumptions.defaults(tiny)
    plain = inputs_from_calculator(calc, a, 2025, 2026)
    scoped = inputs_from_calculator(calc, a.with_ratio("beratung", 3000, "only", 2025), 2025, 2026)
    assert scoped.soll[:, 0] == pytest.approx(plain.soll[:, 0] * 2000 / 3000)
    assert scoped.soll[:, 1] == pytest.approx(plain.soll[:, 1])


def test_several_ratios_of_one_service_in_every_codec(tiny):
    """1 : 3000 in 2025 alone and 1 : 1500 from 2026 on, for Beratung."""
    a = Assumptions.defaults(tiny).with_ratio("beratung", 3000, "only", 2025).with_ratio("beratung", 1500, "from", 2026)
    assert a.ratios == (RatioOverride("beratung", 3000, "only", 2025), RatioOverride("beratung", 1500, "from", 2026))
    view = default_view(tiny, "tiny").with_assumptions(ratios=a.ratios)
    assert url(view, tiny) == "r.beratung=3000@2025,1500@2026%2B"
    assert read(url(view, tiny), tiny) == view
    assert to_widgets(view, tiny).overrides == {"beratung": [{"ratio": 3000.0, "scope": "only", "year": 2025},
                                                             {"ratio": 1500.0, "scope": "from", "year": 2026}]}
    assert from_widgets(view, tiny, *to_widgets(view, tiny)) == view
    assert assumptions_from_dict(assumptions_to_dict(a))[0] == a
    cli = view_from_args(args("--ratio", "3000@2025", "--ratio", "beratung=1500@2026+"), tiny)
    assert cli.assumptions.ratios == a.ratios
    calc = Calculator(tiny)
    assert [calc.ratio(a, "beratung", y) for y in (2025, 2026)] == [3000, 1500]
    # back to the plan in every year
    assert a.with_ratio("beratung", None).ratios == ()
    assert read("r.beratung=plan", tiny, view).assumptions.ratios == ()


def test_plan_text_lists_the_years_the_scenario_sets(tiny):
    from dashboard.planning.texts import assumption_text
    a = Assumptions.defaults(tiny).with_ratio("beratung", 3000, "only", 2026)
    text = assumption_text(Calculator(tiny), a, "en")
    assert "2025: 1 : 2,000, 2026: 1 : 3,000, 2027: 1 : 1,000" in text
