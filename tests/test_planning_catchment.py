"""The planner under a service-area rule: a post placed in an area counts where a planned post there counts.

Hand cases: three areas A, B, C in a row. A post placed in B serves both neighbours, so one step there can close
shortfall in A and C at once; counting each post in one area, the planner would give it to A or C alone.
"""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.planning import Limits, PlanInputs, make_plan
from dashboard.planning.request import with_plan
from dashboard.planning.source import inputs_from_calculator
from dashboard.scenario import Assumptions

from .test_catchment_wiring import dresden  # noqa: F401  (the Dresden dataset and its calculator)
from .test_planned_catchment import STEPS_7KM, in_a_row
from .test_planning import cases, check_invariants

# what one post placed in A, B or C gives A, B, C: B shares with both neighbours, A and C with B
ROW = np.array([[0.50, 0.50, 0.00],
                [0.25, 0.50, 0.25],
                [0.00, 0.50, 0.50]])


def row(soll, ist, spread=ROW, years=1):
    return PlanInputs.of(["A", "B", "C"], ["A", "B", "C"], range(2025, 2025 + years), soll, ist, [100.0] * years,
                         None if spread is None else np.broadcast_to(spread, (years, 3, 3)).copy())


def placed(plan):
    return {a.district_id: a.added_fte for a in plan.areas if any(a.added_fte)}


@pytest.mark.parametrize("rule", ["shortfall", "optimal"])
def test_one_post_goes_to_the_middle_where_it_serves_both_neighbours(rule):
    # A and C are 0.25 short, B not: a post in A closes min(0.5, 0.25) = 0.25, in C the same,
    # in B min(0.25, 0.25) + min(0.5, 0) + min(0.25, 0.25) = 0.5 — all of it
    inputs = row([[1.25], [1.0], [1.25]], [[1.0], [1.0], [1.0]])
    plan = make_plan(inputs, Limits(hires_fte=1.0, step_fte=1.0), rule)
    assert placed(plan) == {"B": (1.0,)}
    by_area = {a.district_id: (a.ist_fte[0], a.gap_fte[0]) for a in plan.areas}
    assert by_area == {"A": (1.25, 0.0), "B": (1.5, -0.5), "C": (1.25, 0.0)}
    assert plan.figures[0].gross_gap_fte == 0.0 and plan.target_reached_year == 2025
    # counted in one area only, the post goes to the larger shortfall (A, the lower id of two equal ones)
    alone = make_plan(replace(inputs, spread=None), Limits(hires_fte=1.0, step_fte=1.0), rule)
    assert placed(alone) == {"A": (1.0,)} and alone.figures[0].gross_gap_fte == 0.25


def test_largest_shortfall_closed_first_then_where_it_lands_in_most_shortfall():
    # A 1.0 short, B 0.2, C 0: A closes min(0.5, 1.0) + min(0.5, 0.2) = 0.7, B 0.25 + 0.2 + 0 = 0.45 → A;
    # then A 0.5, B 0: A closes 0.5, B 0.25 → A again; then nothing is short and the third step is not taken
    inputs = row([[2.0], [1.2], [1.0]], [[1.0], [1.0], [1.0]])
    plan = make_plan(inputs, Limits(hires_fte=3.0, step_fte=1.0), "shortfall")
    assert placed(plan) == {"A": (2.0,)}
    assert [a.gap_fte[0] for a in plan.areas] == [-0.0, -0.8, 0.0]
    # a tie in what is closed goes to the place landing in more shortfall: A 0.3 and C 0.1 short, B 0.3 short;
    # a step of 0.2 closes 0.2 anywhere; it lands in A 0.5·0.3 + 0.5·0.3 = 0.3, B 0.075 + 0.15 + 0.025 = 0.25,
    # C 0.15 + 0.05 = 0.2
    tie = row([[1.3], [1.3], [1.1]], [[1.0], [1.0], [1.0]])
    assert placed(make_plan(tie, Limits(hires_fte=0.2, step_fte=0.2), "shortfall")) == {"A": (0.2,)}


def test_equalise_helps_the_least_covered_area_from_where_it_gains_most():
    # A has few residents: a post placed in A mostly serves B (A 0.2, B 0.8); one placed in B gives A 0.3
    spread = np.array([[0.2, 0.8, 0.0], [0.3, 0.7, 0.0], [0.0, 0.0, 1.0]])
    # coverage A 1/2 = 0.5, B 3/4, C 3.5/4: A is lowest, and gains most from a post in B
    inputs = row([[2.0], [4.0], [4.0]], [[1.0], [3.0], [3.5]], spread)
    plan = make_plan(inputs, Limits(hires_fte=1.0, step_fte=1.0), "equalise")
    assert placed(plan) == {"B": (1.0,)}
    assert [a.ist_fte[0] for a in plan.areas] == pytest.approx([1.3, 3.7, 3.5])
    # counted in one area only, A gets the post
    assert placed(make_plan(replace(inputs, spread=None), Limits(hires_fte=1.0, step_fte=1.0), "equalise")) == {
        "A": (1.0,)}


def test_posts_stay_and_count_with_each_years_spread():
    # year 2: A's residents moved to B: a post in B now gives B 0.75 (what the calculator does with the year's
    # population); the post placed in 2025 counts with 2026's shares in 2026
    spread = np.stack([ROW, np.array([[0.5, 0.5, 0.0], [0.0, 0.75, 0.25], [0.0, 0.5, 0.5]])])
    inputs = PlanInputs.of(["A", "B", "C"], ["A", "B", "C"], [2025, 2026], [[1.25, 1.0], [1.0, 1.75], [1.25, 1.25]],
                           np.ones((3, 2)), [100.0, 100.0], spread)
    plan = make_plan(inputs, Limits(hires_fte=1.0, step_fte=1.0), "shortfall")
    assert plan.areas[1].added_fte == (1.0, 0.0)
    assert [a.ist_fte for a in plan.areas] == [(1.25, 1.0), (1.5, 1.75), (1.25, 1.25)]
    assert plan.figures[1].gross_gap_fte == 0.0


@settings(max_examples=60, deadline=None)
@given(cases(), st.sampled_from(["shortfall", "equalise"]))
def test_an_identity_spread_plans_exactly_as_one_area_counting(case, rule):
    inputs, limits = case
    n, years = len(inputs.area_ids), len(inputs.years)
    spread = replace(inputs, spread=np.broadcast_to(np.eye(n), (years, n, n)).copy())
    assert make_plan(spread, limits, rule) == make_plan(inputs, limits, rule)


@settings(max_examples=40, deadline=None)
@given(cases(max_areas=4, max_years=3), st.sampled_from(["shortfall", "equalise", "optimal"]),
       st.integers(0, 2**32 - 1))
def test_spread_plans_keep_the_limits(case, rule, seed):
    inputs, limits = case
    n, years = len(inputs.area_ids), len(inputs.years)
    shares = np.random.default_rng(seed).uniform(0, 1, (years, n, n)) * (np.random.default_rng(seed + 1).uniform(
        0, 1, (years, n, n)) < 0.6) + np.eye(n)
    spread = replace(inputs, spread=shares / shares.sum(axis=2, keepdims=True))
    plan = make_plan(spread, limits, rule)
    for f in plan.figures:
        assert f.added_cost_eur <= limits.budget_by_year(years)[plan.figures.index(f)] * (1 + 1e-9) + 1e-9
        assert limits.hires_fte is None or f.added_fte <= limits.hires_fte + 1e-9
        assert f.gross_gap_fte <= plan.without[plan.figures.index(f)].gross_gap_fte + 1e-9
    if rule == "optimal":
        total = sum(f.gross_gap_fte for f in plan.figures)
        for greedy in ("shortfall", "equalise"):
            assert total <= sum(f.gross_gap_fte for f in make_plan(spread, limits, greedy).figures) + 1e-9


def test_a_given_identity_spread_is_honoured():
    inputs = row([[2.0], [1.2], [1.0]], [[1.0], [1.0], [1.0]], None)
    with_identity = replace(inputs, spread=np.eye(3)[None].copy())
    # the planner's inputs skip an identity spread; a given one is still honoured and gives the same plan
    assert make_plan(with_identity, Limits(hires_fte=1.0), "shortfall") == make_plan(inputs, Limits(hires_fte=1.0))
    check_invariants(inputs, Limits(hires_fte=1.0), make_plan(inputs, Limits(hires_fte=1.0), "optimal"))


# -- from the calculator, and back as a scenario ----------------------------------------------------------------
def test_spread_read_from_the_calculator_by_hand(tiny):
    # Tiny in a row (test_planned_catchment): a post at B reaches A and C at 3 km (0.68), B at 0 km (1.00);
    # Σ P·W = 3000·0.68 + 5000 + 1000·0.68 = 7720 → A 2040/7720, B 5000/7720, C 680/7720
    calc = in_a_row(tiny)
    inputs = inputs_from_calculator(calc, Assumptions.defaults(tiny, **STEPS_7KM), 2025, 2025)
    np.testing.assert_allclose(inputs.spread[0, 1], [2040 / 7720, 5000 / 7720, 680 / 7720], atol=1e-15)
    # own rule: each post counts where placed, so no spread is kept (the one-area planner runs)
    assert inputs_from_calculator(calc, Assumptions.defaults(tiny, catchment="own"), 2025, 2025).spread is None
    # a planning area at the view's level holds the post in the unit as well
    boroughs = Assumptions.defaults(tiny, catchment="level:bezirk", level="bezirk")
    assert inputs_from_calculator(calc, boroughs, 2025, 2025).spread is None


def assert_scenario_shows_the_plan(calc, a, plan):
    taken = with_plan(plan, calc.dataset, a)
    for i, year in enumerate(plan.years):
        result = calc.compute(replace(taken, year=year))
        table = result.table.loc[[area.district_id for area in plan.areas]]
        np.testing.assert_allclose(table["ist_fte"], [area.ist_fte[i] for area in plan.areas], rtol=0, atol=1e-9)
        np.testing.assert_allclose(table["gap_fte"], [area.gap_fte[i] for area in plan.areas], rtol=0, atol=1e-9)
        assert result.summary.gross_gap_fte == pytest.approx(plan.figures[i].gross_gap_fte, abs=1e-9)
        assert result.summary.ist_fte == pytest.approx(plan.figures[i].ist_fte, abs=1e-9)


def test_tiny_plan_in_a_row_taken_as_a_scenario(tiny):
    calc = in_a_row(tiny)
    a = Assumptions.defaults(tiny, **STEPS_7KM)
    inputs = inputs_from_calculator(calc, a, 2025, 2026)
    plan = make_plan(inputs, Limits(hires_fte=1.0), "shortfall")
    assert sum(sum(area.added_fte) for area in plan.areas) > 0
    assert_scenario_shows_the_plan(calc, a, plan)


CATCHMENTS = [dict(catchment="level:stadtraum"), dict(catchment="distance", radius_km=3.0, decay="gaussian")]


@pytest.mark.parametrize("rule", ["shortfall", "equalise", "optimal"])
@pytest.mark.parametrize("catchment", CATCHMENTS, ids=["stadtraum", "distance"])
def test_dresden_plan_by_stadtteil_taken_as_a_scenario_shows_the_plans_figures(dresden, catchment, rule):  # noqa: F811
    dataset, calc = dresden
    a = Assumptions.defaults(dataset, service="beratung", year=2025, population_rule="60+", fte_cost_eur=75_000,
                             **catchment)
    inputs = inputs_from_calculator(calc, a, 2025, 2028)
    assert inputs.spread is not None and len(inputs.area_ids) > 50  # Stadtteile, posts reaching over several
    plan = make_plan(inputs, Limits(budget_eur=1_000_000, hires_fte=6), rule)
    assert plan.figures[-1].cumulative_added_fte == 13.25  # EUR 1 M / 75,000 = 13.33 → 53 steps of 0.25
    assert_scenario_shows_the_plan(calc, a, plan)
    # counting each post in one Stadtteil, the scenario would show other figures than the plan
    alone = make_plan(replace(inputs, spread=None), Limits(budget_eur=1_000_000, hires_fte=6), rule)
    shown = calc.compute(replace(with_plan(alone, dataset, a), year=2028)).table["ist_fte"]
    assert max(abs(shown[area.district_id] - area.ist_fte[-1]) for area in alone.areas) > 0.05
