"""The calculator on the tiny fixture, every figure computed by hand in the comments."""

import math

import pytest

from dashboard.scenario import Assumptions, Calculator, FteChange, ScenarioError


@pytest.fixture
def calc(tiny):
    return Calculator(tiny)


def test_base_year_counselling(tiny, calc):
    r = calc.compute(Assumptions.defaults(tiny))  # beratung, 2025, 60+, ratio 2000 (milestone)
    t = r.table
    # A: 60+ = 500+1500+1000 = 3000 → Soll 1.5, Ist 1.0, gap 0.5, coverage 66.7 %, 3000 per FTE
    assert t.loc["A", ["population", "soll_fte", "ist_fte", "gap_fte"]].tolist() == [3000, 1.5, 1.0, 0.5]
    assert t.loc["A", "coverage"] == pytest.approx(2 / 3)
    # B: 5000 → Soll 2.5, Ist 3.0 → surplus −0.5, coverage 120 %
    assert t.loc["B", "gap_fte"] == pytest.approx(-0.5) and t.loc["B", "coverage"] == pytest.approx(1.2)
    # C: 1000 → Soll 0.5, no FTE → residents per FTE undefined
    assert math.isnan(t.loc["C", "residents_per_fte"]) and t.loc["C", "coverage"] == 0
    s = r.summary
    assert (s.population, s.soll_fte, s.ist_fte) == (9000, 4.5, 4.0)
    assert s.gross_gap_fte == pytest.approx(1.0)  # 0.5 + 0.5, B's surplus not lent
    assert s.net_gap_fte == pytest.approx(0.5)  # 4.5 − 4.0
    assert s.gross_cost_eur == pytest.approx(75_000) and s.net_cost_eur == pytest.approx(37_500)
    assert s.units_below_75 == 2  # A (66.7 %) and C (0 %)
    assert s.population_status == "observed" and s.ratios == (("beratung", 2000.0),)


def test_site_years_and_point_in_polygon(tiny, calc):
    # 2026: S2 (B, 3.0) ended in 2025; S3 (1.5, placed by lon/lat inside B) starts
    r = calc.compute(Assumptions.defaults(tiny, year=2026))
    assert r.table["ist_fte"].to_dict() == {"A": 1.0, "B": 1.5, "C": 0.0}
    assert tiny.sites.set_index("site_id").loc["S3", "district_id"] == "B"
    assert r.summary.population_status == "forecast"


def test_milestone_rules_and_slider_override(tiny, calc):
    a = Assumptions.defaults(tiny, year=2026)
    assert calc.compute(a).summary.ratios == (("beratung", 2000.0),)  # hold 2025's ratio
    linear = calc.compute(Assumptions.defaults(tiny, year=2026, between_milestones="linear"))
    assert linear.summary.ratios == (("beratung", 1500.0),)
    assert linear.table.loc["A", "soll_fte"] == pytest.approx(3300 / 1500)  # 2.2
    slider = calc.compute(a.with_ratio("beratung", 1100))
    assert slider.table.loc["B", "soll_fte"] == pytest.approx(5000 / 1100)


def test_population_rules(tiny, calc):
    r80 = calc.compute(Assumptions.defaults(tiny, population_rule="80+"))
    assert r80.table["population"].to_dict() == {"A": 1000, "B": 1000, "C": 200}
    weighted = calc.compute(Assumptions.defaults(tiny, population_rule="60-79 + 0.5*80+"))
    assert weighted.table.loc["A", "population"] == 500 + 1500 + 500
    with pytest.raises(ScenarioError, match="straddles"):
        calc.compute(Assumptions.defaults(tiny, population_rule="70+"))


def test_all_services(tiny, calc):
    r = calc.compute(Assumptions.defaults(tiny, service="all"))
    # A: 3000/2000 + 3000/2500 = 2.7 Soll; Ist 1.0 + 0.5
    assert r.table.loc["A", "soll_fte"] == pytest.approx(2.7)
    assert r.table.loc["A", "ist_fte"] == pytest.approx(1.5)


def test_level_aggregation(tiny, calc):
    r = calc.compute(Assumptions.defaults(tiny, level="bezirk"))
    assert list(r.table.index) == ["Nord", "Süd"]
    nord = r.table.loc["Nord"]
    assert (nord["population"], nord["soll_fte"], nord["ist_fte"], nord["gap_fte"]) == (8000, 4.0, 4.0, 0.0)
    # at borough level Nord's surplus in B offsets A's shortfall: gross gap 0.5 (Süd only)
    assert r.summary.gross_gap_fte == pytest.approx(0.5)


def test_planned_fte_changes(tiny, calc):
    a = Assumptions.defaults(tiny, year=2026, fte_changes=(FteChange("C", "beratung", 2026, 0.75),
                                                           FteChange("A", "beratung", 2027, 5.0)))
    r = calc.compute(a)
    assert r.table.loc["C", "ist_fte"] == 0.75  # from 2026 on
    assert r.table.loc["A", "ist_fte"] == 1.0  # not before 2027
    assert calc.compute(a, 2025).table.loc["C", "ist_fte"] == 0.0
    too_much = Assumptions.defaults(tiny, fte_changes=(FteChange("A", "beratung", 2025, -1.5),))
    with pytest.raises(ScenarioError, match="remove 1.50 posts \\(beratung\\) from district A in 2025, which has only 1.00"):
        calc.compute(too_much)
    with pytest.raises(ScenarioError, match="unknown district 'Z'"):
        calc.compute(Assumptions.defaults(tiny, fte_changes=(FteChange("Z", "beratung", 2025, 1),)))


def test_cost_and_wage_growth(tiny, calc):
    r = calc.compute(Assumptions.defaults(tiny, year=2026, fte_cost_eur=80_000, wage_growth=0.05))
    assert r.summary.fte_cost_eur == pytest.approx(84_000)
    assert r.table.loc["C", "cost"] == pytest.approx(0.6 * 84_000)  # 1200 / 2000 = 0.6 FTE short


def test_bad_assumptions(tiny, calc):
    with pytest.raises(ScenarioError, match="no population for 2030"):
        calc.compute(Assumptions.defaults(tiny, year=2030))
    with pytest.raises(ScenarioError, match="unknown service"):
        calc.compute(Assumptions.defaults(tiny, service="pflege"))
    with pytest.raises(ScenarioError, match="between 1 and 1000000"):
        calc.compute(Assumptions.defaults(tiny).with_ratio("beratung", 0))


def test_trend(tiny, calc):
    city = calc.trend(Assumptions.defaults(tiny))
    assert city["year"].tolist() == [2025, 2026]
    assert city["soll_fte"].tolist() == pytest.approx([4.5, 4.75])  # 2026: 9500 / 2000
    assert city["ist_fte"].tolist() == pytest.approx([4.0, 2.5])
    one = calc.trend(Assumptions.defaults(tiny), "C")
    assert one["gap_fte"].tolist() == pytest.approx([0.5, 0.6])


def test_compare_two_results(tiny, calc):
    from dashboard.compare import city_difference, compare, compare_rows
    a = calc.compute(Assumptions.defaults(tiny))  # 1 : 2000
    b = calc.compute(Assumptions.defaults(tiny).with_ratio("beratung", 1000))
    d = compare(a, b)
    # A: Soll 1.5 → 3.0 with Ist 1.0: gap 0.5 → 2.0 (+1.5); coverage 66.7 % → 33.3 % (−33.3 points)
    assert d.loc["A", ["gap_a", "gap_b", "gap_delta"]].tolist() == pytest.approx([0.5, 2.0, 1.5])
    assert d.loc["A", "coverage_delta"] == pytest.approx(-100 / 3)
    assert d.loc["B", "cost_delta"] == pytest.approx(2.5 * 75_000)  # B: −0.5 → +2.0
    city = city_difference(a, b)
    # gross gap A: 0.5 + 0.5 = 1.0; B: 2.0 + 2.0 + 1.0 = 5.0
    assert (city.gross_gap_a, city.gross_gap_b, city.gross_gap_delta) == pytest.approx((1.0, 5.0, 4.0))
    assert [r["id"] for r in compare_rows(d)] == ["B", "A", "C"]  # largest increase first
    with pytest.raises(ValueError, match="same level"):
        compare(a, calc.compute(Assumptions.defaults(tiny, level="bezirk")))
