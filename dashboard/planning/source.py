"""Plan inputs read from the scenario calculator: Soll, Ist and cost per post for a run of years."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from dashboard.measures import without_figures
from dashboard.planning.inputs import PlanError, PlanInputs


def inputs_from_calculator(calculator, assumptions, first_year: int, last_year: int) -> PlanInputs:
    """Soll along the assumptions' ratio ramp, Ist with the scenario's planned changes, cost per post with wage
    growth — per unit of the assumptions' level and year, as the map and table show them.

    Ist follows the view's service-area rule, planned changes included (spread like a site's posts). The plan
    itself adds each post to one unit only: under a rule whose area is that unit or finer (`own`, or
    `level:<the view's level>`) a plan taken as a scenario shows the plan's figures; under a coarser area or a
    distance rule each added post spreads over its service area once taken as a scenario, so the units' figures
    differ from the plan's while the city's total Ist does not."""
    years = list(range(first_year, last_year + 1))
    missing = [y for y in years if y not in calculator.dataset.years]
    if missing:
        raise PlanError(f"no population for {missing[0]}; the dataset covers "
                        f"{calculator.dataset.years[0]}–{calculator.dataset.years[-1]}")
    results = [calculator.compute(replace(assumptions, year=y)) for y in years]
    table = results[0].table
    table = table[~without_figures(table)]  # areas without figures need nothing the plan could compute
    soll = np.column_stack([r.table["soll_fte"].reindex(table.index).to_numpy() for r in results])
    ist = np.column_stack([r.table["ist_fte"].reindex(table.index).to_numpy() for r in results])
    cost = [r.summary.fte_cost_eur for r in results]
    return PlanInputs.of(list(table.index), list(table["name"]), years, soll, ist, cost)
