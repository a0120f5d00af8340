"""Make a measures plan: which areas get posts in which year, under a money and a hiring limit.

Decisions a reader of the plan should know:
- Posts added stay; a later year never removes them.
- Money limit B: in every plan year, (all posts added so far) × (that year's cost per post) ≤ B. Because posts
  stay and wages grow, the plan looks ahead: it adds a post in year t only if the posts held then still fit under
  B in every later plan year. So no year is ever over the limit and there is no overrun to report.
- Hiring limit H: posts added in one year ≤ H.
- Posts are added in whole steps (default 0.25). A step goes only to an area still short in that year (against
  that year's Soll); the last step may overshoot the shortfall by less than one step. Filling only whole steps
  up to the shortfall would leave a remainder below one step short for ever, and "no area short" unreachable.
- Deterministic: ties go to the lower area id.
"""

from __future__ import annotations

import numpy as np

from dashboard.planning.greedy import greedy_steps
from dashboard.planning.inputs import DEFAULT_PERIOD_YEARS, Limits, PlanInputs, check_limits
from dashboard.planning.result import AreaPlan, Plan, area_ist, budget_periods, met_years, target_years, year_figures


def make_plan(inputs: PlanInputs, limits: Limits = Limits(), rule: str = "shortfall",
              period_start: int | None = None, period_years: int = DEFAULT_PERIOD_YEARS) -> Plan:
    """The plan for `inputs` under `limits` by `rule` (shortfall | equalise | optimal)."""
    check_limits(limits, rule)
    inputs.check()
    order = sorted(range(len(inputs.area_ids)), key=lambda i: inputs.area_ids[i])
    by_id = inputs.reordered(order)
    if rule == "optimal":
        from dashboard.planning.optimal import optimal_steps  # the solver loads only when asked for
        steps, first_funded = optimal_steps(by_id, limits)
    else:
        steps, first_funded = greedy_steps(by_id, limits, rule)
    added = steps * limits.step_fte
    return _result(by_id, added, first_funded, limits, rule, period_start, period_years)


def _result(inputs: PlanInputs, added: np.ndarray, first_funded: list[int], limits: Limits, rule: str,
            period_start: int | None, period_years: int) -> Plan:
    none = np.zeros_like(added)
    figures, without = year_figures(inputs, added), year_figures(inputs, none)
    met, met_without = met_years(inputs, added), met_years(inputs, none)
    ist = area_ist(inputs, added)
    added_, ist_, gap_ = added.tolist(), ist.tolist(), (inputs.soll - ist).tolist()  # plain floats
    areas = tuple(AreaPlan(inputs.area_ids[i], inputs.names[i], tuple(added_[i]), met[i], met_without[i],
                           tuple(ist_[i]), tuple(gap_[i])) for i in range(len(inputs.area_ids)))
    reached, net_reached = target_years(figures)
    reached_without, net_reached_without = target_years(without)
    return Plan(rule=rule, limits=limits, years=inputs.years, figures=figures, without=without, areas=areas,
                periods=budget_periods(figures, period_start, period_years),
                first_funded=tuple(inputs.area_ids[a] for a in first_funded),
                target_reached_year=reached, net_target_reached_year=net_reached,
                target_reached_year_without=reached_without, net_target_reached_year_without=net_reached_without)
