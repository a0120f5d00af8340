"""Projections: hand-computed examples, error messages and the totals invariant."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.projections import (
    project_by_cohort_shift,
    project_by_growth_factors,
    round_preserving_totals,
)


def frame(rows, columns):
    return pd.DataFrame(rows, columns=columns)


def base_frame(rows):
    return frame(rows, ["district_id", "age_band", "population"])


def totals_frame(rows):
    return frame(rows, ["year", "age_band", "population"])


def as_dict(result):
    return {(r.district_id, r.year, r.age_band): r.population for r in result.itertuples()}


def test_growth_factors_two_districts_two_bands():
    base = base_frame([("A", "60-64", 30), ("A", "65+", 70), ("B", "60-64", 10), ("B", "65+", 90)])
    totals = totals_frame([(2025, "60-64", 40), (2025, "65+", 160), (2026, "60-64", 50), (2026, "65+", 150)])
    result = project_by_growth_factors(base, totals)
    # 60-64 grows by 50/40 = 1.25, 65+ by 150/160 = 0.9375.
    assert list(result.columns) == ["district_id", "year", "age_band", "population"]
    assert as_dict(result) == pytest.approx({
        ("A", 2026, "60-64"): 37.5, ("A", 2026, "65+"): 65.625,
        ("B", 2026, "60-64"): 12.5, ("B", 2026, "65+"): 84.375,
    })
    assert set(result["year"]) == {2026}


def test_growth_factors_rescale_when_base_differs_from_totals():
    # Districts hold 80 of the 100 60-64-year-olds (e.g. a district is missing from the map):
    # 20 × 1.1 = 22 and 60 × 1.1 = 66 sum to 88, rescaled to 110 → 27.5 and 82.5.
    base = base_frame([("A", "60-64", 20), ("B", "60-64", 60)])
    totals = totals_frame([(2025, "60-64", 100), (2026, "60-64", 110)])
    result = project_by_growth_factors(base, totals)
    assert as_dict(result) == pytest.approx({("A", 2026, "60-64"): 27.5, ("B", 2026, "60-64"): 82.5})


def test_growth_factors_ipf_meets_band_and_group_totals():
    # Base odds ratio (10·20)/(30·20) = 1/3. The unique table with that odds ratio, band totals
    # 40/120 and group totals 70/90 (given as 35/45, scaled ×2 to the grand total 160) is
    # A: 10, 60 and B: 30, 60 (odds ratio 600/1800 = 1/3; rows 70, 90; columns 40, 120).
    base = base_frame([("A", "60-64", 10), ("A", "65+", 30), ("B", "60-64", 20), ("B", "65+", 20)])
    totals = totals_frame([(2025, "60-64", 30), (2025, "65+", 50), (2026, "60-64", 40), (2026, "65+", 120)])
    groups = frame([(2026, "north", 35), (2026, "south", 45)], ["year", "group", "population"])
    result = project_by_growth_factors(base, totals, group_of={"A": "north", "B": "south"}, group_totals=groups)
    assert as_dict(result) == pytest.approx({
        ("A", 2026, "60-64"): 10, ("A", 2026, "65+"): 60,
        ("B", 2026, "60-64"): 30, ("B", 2026, "65+"): 60,
    }, abs=1e-6)


def test_growth_factors_groups_with_several_districts():
    base = base_frame([(d, b, p) for d, b, p in [
        ("A", "0-59", 50), ("A", "60+", 10), ("B", "0-59", 30), ("B", "60+", 30),
        ("C", "0-59", 40), ("C", "60+", 20)]])
    totals = totals_frame([(2025, "0-59", 120), (2025, "60+", 60), (2030, "0-59", 110), (2030, "60+", 80)])
    groups = frame([(2030, "g1", 95), (2030, "g2", 95)], ["year", "group", "population"])
    result = project_by_growth_factors(base, totals, group_of={"A": "g1", "B": "g1", "C": "g2"}, group_totals=groups)
    by_band = result.groupby("age_band")["population"].sum()
    assert by_band["0-59"] == pytest.approx(110, abs=1e-6) and by_band["60+"] == pytest.approx(80, abs=1e-6)
    by_group = result.assign(g=result["district_id"].map({"A": "g1", "B": "g1", "C": "g2"})).groupby("g")["population"].sum()
    assert by_group["g1"] == pytest.approx(95, abs=1e-6) and by_group["g2"] == pytest.approx(95, abs=1e-6)
    # Districts of one group keep their ratio within each band: A/B in 0-59 stays 50/30.
    pop = as_dict(result)
    assert pop[("A", 2030, "0-59")] / pop[("B", 2030, "0-59")] == pytest.approx(50 / 30)


def test_missing_band_is_named():
    base = base_frame([("A", "60-64", 1), ("A", "65+", 2)])
    totals = totals_frame([(2025, "60-64", 1), (2026, "60-64", 2)])
    with pytest.raises(ValueError, match="no total for age band 65\\+"):
        project_by_growth_factors(base, totals)
    totals = totals_frame([(2025, b, 1) for b in ("60-64", "65+", "0-59")])
    with pytest.raises(ValueError, match="no population for age band 0-59"):
        project_by_growth_factors(base, totals)


def test_group_totals_need_group_of():
    base = base_frame([("A", "60+", 1)])
    totals = totals_frame([(2025, "60+", 1), (2026, "60+", 2)])
    with pytest.raises(ValueError, match="together"):
        project_by_growth_factors(base, totals, group_totals=frame([], ["year", "group", "population"]))


def test_cohort_shift_two_districts_three_bands():
    # Each year 1/5 of a 5-year band moves up. City: aged 2025 totals (200, 200, 100) are
    # 0-4: 160, 5-9: 160 + 40 = 200, 10+: 100 + 40 = 140; ratios to 2026 (190, 200, 120) are
    # 1.1875, 1 and 6/7. District A (100, 50, 20): 80·1.1875 = 95, (40 + 20)·1 = 60, (20 + 10)·6/7.
    # District B (100, 150, 80): 95, 120 + 20 = 140, (80 + 30)·6/7.
    base = base_frame([("A", "0-4", 100), ("A", "5-9", 50), ("A", "10+", 20),
                       ("B", "0-4", 100), ("B", "5-9", 150), ("B", "10+", 80)])
    totals = totals_frame([(2025, "0-4", 200), (2025, "5-9", 200), (2025, "10+", 100),
                           (2026, "0-4", 190), (2026, "5-9", 200), (2026, "10+", 120)])
    result = project_by_cohort_shift(base, totals, 2025)
    assert as_dict(result) == pytest.approx({
        ("A", 2026, "0-4"): 95, ("A", 2026, "5-9"): 60, ("A", 2026, "10+"): 180 / 7,
        ("B", 2026, "0-4"): 95, ("B", 2026, "5-9"): 140, ("B", 2026, "10+"): 660 / 7,
    })


def test_cohort_shift_catch_all_bottom_band_feeds_next_band():
    # 0-59 passes 1/60 of its residents up each year: 60 × 1/60 = 1 enters 60-64 in A.
    base = base_frame([("A", "0-59", 60), ("A", "60-64", 10), ("A", "65+", 0),
                       ("B", "0-59", 0), ("B", "60-64", 10), ("B", "65+", 10)])
    totals = totals_frame([(2025, "0-59", 60), (2025, "60-64", 20), (2025, "65+", 10),
                           (2026, "0-59", 59), (2026, "60-64", 17), (2026, "65+", 14)])
    result = as_dict(project_by_cohort_shift(base, totals, 2025))
    # City aged: 0-59: 59, 60-64: 16 + 1 = 17, 65+: 10 + 4 = 14 → all ratios 1.
    assert result[("A", 2026, "60-64")] == pytest.approx(8 + 1)
    assert result[("B", 2026, "60-64")] == pytest.approx(8)
    assert result[("A", 2026, "65+")] == pytest.approx(2)
    assert result[("B", 2026, "65+")] == pytest.approx(12)


def test_cohort_shift_rejects_wide_inner_band():
    base = base_frame([("A", "0-59", 1), ("A", "60-69", 1), ("A", "70+", 1)])
    totals = totals_frame([(2025, b, 1) for b in ("0-59", "60-69", "70+")])
    with pytest.raises(ValueError, match="60-69"):
        project_by_cohort_shift(base, totals, 2025)


def test_round_preserving_totals():
    assert round_preserving_totals([1.2, 2.5, 3.3], 7).tolist() == [1, 3, 3]
    # Ties go to the earlier item.
    assert round_preserving_totals([0.4, 0.4, 0.2], 1).tolist() == [1, 0, 0]
    # Values are scaled to the total first: [2, 2, 4] × 10/8 = [2.5, 2.5, 5].
    assert round_preserving_totals([2, 2, 4], 10).tolist() == [3, 2, 5]
    assert round_preserving_totals([0.0, 0.0], 0).tolist() == [0, 0]
    with pytest.raises(ValueError):
        round_preserving_totals([-1, 2], 1)


@st.composite
def projection_case(draw):
    n_districts = draw(st.integers(1, 5))
    bands = ["0-59", "60-64", "65-69", "70+"][: draw(st.integers(1, 4))]
    count = st.floats(0, 1e5, allow_nan=False)
    rows = [(f"d{i}", b, draw(count)) for i in range(n_districts) for b in bands]
    for band in bands:  # every band needs residents somewhere to carry its totals
        rows.append((f"d{n_districts}", band, draw(st.floats(1, 1e5))))
    years = range(2025, 2025 + draw(st.integers(2, 4)))
    totals = [(y, b, draw(count)) for y in years for b in bands]
    return base_frame(rows), totals_frame(totals)


@settings(max_examples=60, deadline=None)
@given(projection_case())
def test_projection_meets_band_totals_and_is_not_negative(case):
    base, totals = case
    result = project_by_growth_factors(base, totals)
    assert (result["population"] >= 0).all()
    sums = result.groupby(["year", "age_band"])["population"].sum()
    expected = totals.set_index(["year", "age_band"])["population"].drop(2025, level="year")
    np.testing.assert_allclose(sums.sort_index().to_numpy(), expected.sort_index().to_numpy(), rtol=1e-9, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 6), st.integers(1, 3), st.data())
def test_ipf_meets_both_margins(n_districts, n_groups, data):
    bands = ["0-59", "60-79", "80+"]
    positive = st.floats(1, 1e4)
    base = base_frame([(f"d{i}", b, data.draw(positive)) for i in range(n_districts) for b in bands])
    group_of = {f"d{i}": f"g{i % n_groups}" for i in range(n_districts)}
    totals = totals_frame([(y, b, data.draw(positive)) for y in (2025, 2026) for b in bands])
    groups = frame([(2026, f"g{g}", data.draw(positive)) for g in range(min(n_groups, n_districts))],
                   ["year", "group", "population"])
    result = project_by_growth_factors(base, totals, group_of=group_of, group_totals=groups)
    grand = totals.loc[totals["year"] == 2026, "population"].sum()
    by_band = result.groupby("age_band")["population"].sum()
    for band in bands:
        expected = totals.query("year == 2026 and age_band == @band")["population"].item()
        assert by_band[band] == pytest.approx(expected, rel=1e-8)
    by_group = result.assign(g=result["district_id"].map(group_of)).groupby("g")["population"].sum()
    scaled = groups.set_index("group")["population"] * grand / groups["population"].sum()
    for group, value in scaled.items():
        assert by_group[group] == pytest.approx(value, abs=1e-8 * grand)
    assert (result["population"] >= 0).all()
