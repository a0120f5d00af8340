"""Planned changes under a service-area rule: a planned post is spread by 2SFCA like a site's posts.

Every share is computed by hand in the comments. Tiny, Seniorenberatung, 60+ in 2025: A 3000, B 5000,
C 1000 residents; sites S1 (1.0 post, A) and S2 (3.0, B); boroughs Nord = A, B and Süd = C.
"""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from dashboard.catchment import Catchments, CatchmentRule, Places, placed_weights, spread
from dashboard.scenario import PLANNED_POSTS, Assumptions, Calculator, FteChange, ScenarioError

from .test_catchment_wiring import dresden  # noqa: F401  (the Dresden dataset and its calculator)

STEPS_7KM = dict(catchment="distance", radius_km=7.0, decay="steps")  # thirds: ≤ 2.33 → 1, ≤ 4.67 → 0.68, ≤ 7 → 0.22


def row_places(site_xs=(0.0, 3.0, 3.0)) -> Places:
    """Tiny's districts A, B, C in a row at x = 0, 3, 6 km; S1 stands in A, S2 and S3 in B (at `site_xs`)."""
    xy = np.column_stack([[0.0, 3.0, 6.0], np.zeros(3)])
    return Places(("A", "B", "C"), xy, ("S1", "S2", "S3"), np.array([0, 1, 1]),
                  np.column_stack([site_xs, np.zeros(3)]), (None,) * 3,
                  {"bezirk": np.array([0, 0, 1]), "ortsteil": np.arange(3)})


def in_a_row(tiny, site_xs=(0.0, 3.0, 3.0)) -> Calculator:
    calc = Calculator(tiny)
    calc.__dict__["catchments"] = Catchments(row_places(site_xs), tiny.sites)  # hand-made points instead of the map's
    return calc


def changes(*items):
    return tuple(FteChange(d, "beratung", year, delta) for d, year, delta in items)


def ist(calc, a):
    return calc.compute(a).table["ist_fte"]


# -- the spread of one post ---------------------------------------------------------------------
def test_one_post_in_the_middle_by_hand():
    # a post at B (x = 3) reaches A and C at 3 km (0.68) and B at 0 km (1.00)
    # residents A 1000, B 2000, C 3000: Σ P·W = 680 + 2000 + 2040 = 4720
    reached, weight = placed_weights(row_places(), CatchmentRule("distance", radius_km=7.0, decay="steps"), 1)
    assert reached.tolist() == [0, 1, 2] and weight.tolist() == [0.68, 1.0, 0.68]
    shares = spread(reached, weight, np.array([1000.0, 2000.0, 3000.0]), home=1)
    np.testing.assert_allclose(shares, [680 / 4720, 2000 / 4720, 2040 / 4720])  # 0.144068, 0.423729, 0.432203
    assert shares.sum() == pytest.approx(1.0, abs=1e-15)
    # without residents in reach the post stays where it is placed, as a site's would
    np.testing.assert_array_equal(spread(reached, weight, np.zeros(3), home=1), [0.0, 1.0, 0.0])


def test_planned_post_in_the_middle_spreads_by_distance(tiny):
    calc = in_a_row(tiny)
    a = Assumptions.defaults(tiny, **STEPS_7KM)
    planned = replace(a, fte_changes=changes(("B", 2025, 1.0)))
    # Σ P·W = 3000·0.68 + 5000·1.00 + 1000·0.68 = 2040 + 5000 + 680 = 7720
    gained = ist(calc, planned) - ist(calc, a)
    np.testing.assert_allclose(gained[["A", "B", "C"]], [2040 / 7720, 5000 / 7720, 680 / 7720], atol=1e-12)
    assert gained.round(6).tolist() == [0.264249, 0.647668, 0.088083]
    assert calc.compute(planned).summary.ist_fte == pytest.approx(4.0 + 1.0, abs=1e-12)  # no post created or lost
    # the same post counted where it stands under `own` (as before)
    own = replace(planned, catchment="own")
    assert ist(calc, own).to_dict() == {"A": 1.0, "B": 4.0, "C": 0.0}


def test_a_planned_post_spreads_like_a_site_standing_there(tiny):
    # S2 stands at B's point: adding 1.5 planned posts at B moves Ist as raising S2 by 1.5 would (linearity)
    calc = in_a_row(tiny)
    a = replace(Assumptions.defaults(tiny, **STEPS_7KM), fte_changes=changes(("B", 2025, 1.5)))
    rule = calc.rule(a, "beratung")
    sites = tiny.sites.copy()
    sites.loc[(sites["site_id"] == "S2") & (sites["service"] == "beratung"), "fte"] += 1.5
    raised = Catchments(row_places(), sites).reach(rule, "beratung", calc.reference_population("60+"))[1][2025]
    np.testing.assert_allclose(ist(calc, a).to_numpy(), raised.reindex(["A", "B", "C"]).to_numpy(), atol=1e-12)


def test_planned_post_in_a_planning_area(tiny):
    calc = Calculator(tiny)
    a = Assumptions.defaults(tiny, catchment="level:bezirk")
    # Nord holds S1 (1.0) and S2 (3.0) and 8000 residents: A 4·3000/8000 = 1.5, B 2.5; Süd (C) nothing
    assert ist(calc, a).to_dict() == {"A": 1.5, "B": 2.5, "C": 0.0}
    planned = replace(a, fte_changes=changes(("A", 2025, 1.0), ("C", 2025, 0.5)))
    # +1 in A spreads over Nord: A 3000/8000 = 0.375, B 0.625; +0.5 in C stays in Süd, C alone
    assert ist(calc, planned).to_dict() == pytest.approx({"A": 1.875, "B": 3.125, "C": 0.5}, abs=1e-12)
    # at the rule's own level the area gains exactly the posts planned in it
    boroughs = calc.compute(replace(planned, level="bezirk")).table["ist_fte"]
    assert boroughs.to_dict() == pytest.approx({"Nord": 5.0, "Süd": 0.5}, abs=1e-12)
    # not before the year the change starts
    later = replace(a, fte_changes=changes(("A", 2026, 1.0)))
    assert ist(calc, later).to_dict() == {"A": 1.5, "B": 2.5, "C": 0.0}


def test_own_rule_counts_planned_changes_where_planned_exactly(tiny):
    calc = Calculator(tiny)
    a = Assumptions.defaults(tiny, year=2026, catchment="own",
                             fte_changes=changes(("C", 2026, 0.1), ("C", 2026, 0.2), ("A", 2025, -0.3)))
    today = calc.site_fte("beratung")[2026].copy()
    today["C"] += 0.1
    today["C"] += 0.2
    today["A"] += -0.3
    assert (ist(calc, a) == today).all()  # exactly, in the order the changes are listed


# -- removals ---------------------------------------------------------------------------------
def test_removal_takes_the_posts_of_the_sites_standing_there(tiny):
    # S2 (3.0 posts, in B) stands at x = 6 in this case. Its weights: A at 6 km 0.22, B at 3 km 0.68, C at 0 km 1.00;
    # Σ P·W = 3000·0.22 + 5000·0.68 + 1000·1.00 = 660 + 3400 + 1000 = 5060. Removing 1 post in B takes a third
    # of S2's posts with their reach: A −660/5060, B −3400/5060, C −1000/5060.
    calc = in_a_row(tiny, site_xs=(0.0, 6.0, 6.0))
    a = Assumptions.defaults(tiny, **STEPS_7KM)
    removed = replace(a, fte_changes=changes(("B", 2025, -1.0)))
    lost = ist(calc, removed) - ist(calc, a)
    np.testing.assert_allclose(lost[["A", "B", "C"]], [-660 / 5060, -3400 / 5060, -1000 / 5060], atol=1e-12)
    # all of S2's posts gone: its reach is gone everywhere, no district goes below S1's reach
    gone = replace(a, fte_changes=changes(("B", 2025, -3.0)))
    s1_only = Catchments(row_places((0.0, 6.0, 6.0)), tiny.sites[tiny.sites["site_id"] == "S1"]).reach(
        calc.rule(a, "beratung"), "beratung", calc.reference_population("60+"))[1][2025]
    np.testing.assert_allclose(ist(calc, gone).to_numpy(), s1_only.reindex(["A", "B", "C"]).to_numpy(), atol=1e-12)
    assert (ist(calc, gone) >= 0).all()


def test_removal_beyond_the_located_posts_is_refused(tiny):
    calc = Calculator(tiny)
    a = Assumptions.defaults(tiny, catchment="level:bezirk")
    # A reaches 1.5 posts of Nord, but only S1's 1.0 stand there
    with pytest.raises(ScenarioError, match="remove 1.20 posts \\(beratung\\) from district A in 2025, which has only 1.00"):
        calc.compute(replace(a, fte_changes=changes(("A", 2025, -1.2))))
    # planned posts count as standing there: +0.5 then −1.2 leaves 0.3 of S1
    both = replace(a, fte_changes=changes(("A", 2025, 0.5), ("A", 2025, -1.2)))
    assert ist(calc, both).to_dict() == pytest.approx({"A": 1.5 - 0.7 * 0.375, "B": 2.5 - 0.7 * 0.625, "C": 0.0})
    with pytest.raises(ScenarioError, match="from district C in 2025, which has only 0.00"):
        calc.compute(replace(a, fte_changes=changes(("C", 2025, -0.25))))


# -- the cache --------------------------------------------------------------------------------
def test_one_posts_spread_is_computed_once_per_rule_population_and_district(tiny, monkeypatch):
    calc = Calculator(tiny)
    calls = []
    placed = calc.catchments.placed
    monkeypatch.setattr(calc.catchments, "placed", lambda *args: calls.append(args[2]) or placed(*args))
    a = Assumptions.defaults(tiny, catchment="level:bezirk", fte_changes=changes(("A", 2025, 1.0), ("C", 2025, 0.5)))
    for ratio in (1000, 2000, 3000):
        calc.compute(a.with_ratio("beratung", ratio))
    calc.compute(replace(a, year=2026))
    calc.compute(replace(a, fte_changes=changes(("A", 2025, 2.0))))
    assert sorted(calls) == ["A", "C"]
    calc.compute(replace(a, population_rule="80+"))
    assert len(calls) == 4


# -- the detail panel -------------------------------------------------------------------------
def test_serving_lists_the_planned_posts(tiny):
    calc = Calculator(tiny)
    a = Assumptions.defaults(tiny, catchment="level:bezirk", fte_changes=changes(("B", 2025, 2.0)))
    serving = calc.serving(a, "A")
    # A gets 3.0·3000/8000 = 1.125 of S2, 0.75 of the planned posts (2·3000/8000), 0.375 of S1
    assert serving["site_id"].tolist() == ["S2", PLANNED_POSTS, "S1"]
    np.testing.assert_allclose(serving["posts"], [1.125, 0.75, 0.375])
    assert serving["posts"].sum() == pytest.approx(calc.compute(a).table.at["A", "ist_fte"])
    assert serving.loc[1, ["name", "provider"]].tolist() == ["", ""]
    assert PLANNED_POSTS not in calc.serving(replace(a, fte_changes=()), "A")["site_id"].tolist()


def test_detail_panel_names_the_planned_line(tiny):
    from layouts.detail import serving_list
    calc = Calculator(tiny)
    a = Assumptions.defaults(tiny, catchment="level:bezirk", fte_changes=changes(("B", 2025, 2.0)))
    items = serving_list(calc.serving(a, "A"), {"beratung": "Senior counselling"}, "en")[1].children
    planned = items[1].children  # 0.75 of 1.125 + 0.75 + 0.375 = 2.25 reaching A
    assert planned[0].children == "planned posts"
    assert planned[2].children == "Senior counselling: 0.75 · 33 % of those reaching here · from the scenario"


# -- Dresden, planning areas (Stadträume) -----------------------------------------------------
def test_dresden_planned_post_spreads_over_its_stadtraum(dresden):
    dataset, calc = dresden
    a = Assumptions.defaults(dataset, year=2026)
    assert calc.rule(a, "beratung") == CatchmentRule("level", level="stadtraum")
    before = calc.compute(a)
    after = calc.compute(replace(a, fte_changes=(FteChange("71", "beratung", 2026, 1.0),)))
    # every Stadtteil has residents, so the city gains exactly the planned post: 37.90 + 1
    assert before.summary.ist_fte == pytest.approx(37.90, abs=1e-9)
    assert after.summary.ist_fte == pytest.approx(38.90, abs=1e-9)
    assert after.summary.located_fte == pytest.approx(37.90, abs=1e-9)  # planned posts are not sites
    # Prohlis-Nord (71) has 2,167 of the 7,437 residents 60+ of Stadtraum "Prohlis, Reick"
    gained = after.table["ist_fte"] - before.table["ist_fte"]
    assert gained["71"] == pytest.approx(2167 / 7437, abs=1e-12)  # 0.291381
    area = dataset.districts.set_index("district_id")["stadtraum"]
    assert gained.groupby(area).sum()[area["71"]] == pytest.approx(1.0, abs=1e-12)
    assert gained[area != area["71"]].abs().max() == 0.0
    # by Stadtraum the area gains the whole post
    by_area = calc.compute(replace(a, level="stadtraum", fte_changes=(FteChange("71", "beratung", 2026, 1.0),)))
    plain = calc.compute(replace(a, level="stadtraum"))
    assert (by_area.table["ist_fte"] - plain.table["ist_fte"])[area["71"]] == pytest.approx(1.0, abs=1e-12)
    # Prohlis-Nord reaches 0.45 posts, but none stand there
    with pytest.raises(ScenarioError, match="which has only 0.00"):
        calc.compute(replace(a, fte_changes=(FteChange("71", "beratung", 2026, -0.25),)))


def test_dresden_existing_figures_stay_without_planned_changes(dresden):
    dataset, calc = dresden
    for catchment in ("level:stadtraum", "own", "distance"):
        a = Assumptions.defaults(dataset, year=2026, catchment=catchment)
        table = calc.compute(a).table
        expected = calc.reachable_fte(a, "beratung")[2026].reindex(table.index)
        assert (table["ist_fte"] == expected).all()


def test_dresden_trend_and_handout_read_the_same_spread(dresden):
    dataset, calc = dresden
    a = Assumptions.defaults(dataset, year=2026, fte_changes=(FteChange("71", "beratung", 2026, 1.0),))
    trend = calc.trend(a, "71").set_index("year")
    assert trend.at[2026, "ist_fte"] == pytest.approx(calc.compute(a).table.at["71", "ist_fte"], abs=1e-12)
    assert trend.at[2025, "ist_fte"] == pytest.approx(calc.compute(replace(a, fte_changes=()), 2025)
                                                      .table.at["71", "ist_fte"], abs=1e-12)


def test_dresden_plan_by_stadtraum_is_what_the_scenario_then_shows(dresden):
    # a plan made at the rule's own level books each post to a Stadtteil of the Stadtraum; spread over that
    # Stadtraum, the Stadtraum's Ist is exactly the plan's
    from dashboard.planning.request import PlanRequest, plan_for, plan_inputs, with_plan
    dataset, calc = dresden
    a = Assumptions.defaults(dataset, year=2026, level="stadtraum")
    request = PlanRequest(2026, 2027, hires_fte=3.0)
    inputs = plan_inputs(calc, a, request)
    plan = plan_for(calc, a, request)
    adopted = with_plan(plan, dataset, a)
    added = pd.DataFrame([x.added_fte for x in plan.areas], index=[x.district_id for x in plan.areas]).cumsum(axis=1)
    for i, year in enumerate(plan.years):
        table = calc.compute(adopted, year).table
        expected = pd.Series(inputs.ist[:, i], index=list(inputs.area_ids)) + added[i].reindex(list(inputs.area_ids))
        np.testing.assert_allclose(table["ist_fte"].reindex(expected.index), expected, atol=1e-9)


def test_dresden_plan_by_stadtteil_keeps_the_city_total_only(dresden):
    # the known limit: the planner adds a post to the Stadtteil it books it to; taken as a scenario the post
    # spreads over its Stadtraum, so the Stadtteile's Ist differ from the plan's while the city's does not
    from dashboard.planning.request import PlanRequest, plan_for, plan_inputs, with_plan
    dataset, calc = dresden
    a = Assumptions.defaults(dataset, year=2026)
    request = PlanRequest(2026, 2026, hires_fte=2.0)
    inputs = pd.Series(plan_inputs(calc, a, request).ist[:, 0], index=plan_inputs(calc, a, request).area_ids)
    plan = plan_for(calc, a, request)
    result = calc.compute(with_plan(plan, dataset, a))
    assert plan.figures[0].added_fte == pytest.approx(2.0)
    assert result.summary.ist_fte == pytest.approx(plan.figures[0].ist_fte, abs=1e-9)
    area = dataset.districts.set_index("district_id")["stadtraum"]
    aged = calc.reference_population("60+")[2026]
    added = pd.Series({x.district_id: x.added_fte[0] for x in plan.areas})
    by_area = added.groupby(area.reindex(added.index)).sum()  # every Stadtteil gets its share of its Stadtraum's
    expected = inputs + aged / aged.groupby(area).transform("sum") * area.map(by_area).fillna(0.0)
    np.testing.assert_allclose(result.table["ist_fte"], expected.reindex(result.table.index), atol=1e-9)
    funded = added.index[added > 0]
    assert (result.table.loc[funded, "ist_fte"] < inputs[funded] + added[funded]).all()
