"""Plan inputs read from the scenario calculator: Soll, Ist and cost per post for a run of years."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from dashboard.measures import without_figures
from dashboard.planning.inputs import PlanError, PlanInputs

EXACT = 1e-12  # a spread this close to "each post counts where placed" is that, up to rounding


def inputs_from_calculator(calculator, assumptions, first_year: int, last_year: int) -> PlanInputs:
    """Soll along the assumptions' ratio ramp, Ist with the scenario's planned changes, cost per post with wage
    growth — per unit of the assumptions' level and year, as the map and table show them.

    Ist follows the view's service-area rule, planned changes included (spread like a site's posts). A post the
    plan places in a unit is booked to the unit's district (`district_of_unit`) and counts where a planned post
    there counts (`placed_spread`), so a plan taken as a scenario shows the plan's figures under every rule."""
    years = list(range(first_year, last_year + 1))
    missing = [y for y in years if y not in calculator.dataset.years]
    if missing:
        raise PlanError("inputs_population", year=missing[0], first=calculator.dataset.years[0],
                        last=calculator.dataset.years[-1])
    results = [calculator.compute(replace(assumptions, year=y)) for y in years]
    table = results[0].table
    table = table[~without_figures(table)]  # areas without figures need nothing the plan could compute
    soll = np.column_stack([r.table["soll_fte"].reindex(table.index).to_numpy() for r in results])
    ist = np.column_stack([r.table["ist_fte"].reindex(table.index).to_numpy() for r in results])
    cost = [r.summary.fte_cost_eur for r in results]
    units = list(table.index)
    spread = placed_spread(calculator, assumptions, units, years)
    return PlanInputs.of(units, list(table["name"]), years, soll, ist, cost, spread)


def district_of_unit(dataset, level: str | None) -> dict[str, str]:
    """The district a unit's added posts are booked to: the unit itself at the finest level, else the unit's
    district with the lowest id (the unit's Ist, which the plan works on, is the sum over its districts)."""
    level = level or dataset.settings.base_level
    column = dataset.level_column(level)
    districts = dataset.districts
    if column == "district_id":
        return {str(d): str(d) for d in districts["district_id"]}
    booked: dict[str, str] = {}
    for district, unit in sorted(zip(districts["district_id"].astype(str), districts[column].astype(str))):
        booked.setdefault(unit, district)
    return booked


def placed_spread(calculator, assumptions, units: list[str], years: list[int]) -> np.ndarray | None:
    """(years × units × units) what one post booked to each unit gives each unit, as the calculator spreads a
    planned post (`Calculator.added_post`, the view's rule and population rule); None where every post counts in
    its own unit only (`own`, or a service area within the unit)."""
    rule = calculator.rule(assumptions, assumptions.service)
    if calculator.counts_where_placed(rule):
        return None
    dataset = calculator.dataset
    booked = district_of_unit(dataset, assumptions.level)
    column = dataset.level_column(assumptions.level or dataset.settings.base_level)
    districts = dataset.districts
    unit_of = pd.Series(districts[column].astype(str).to_numpy(), index=districts["district_id"].astype(str))
    # an area without figures adds nothing to its unit's Ist (the calculator masks it), so its share is lost
    counted = [str(d) for d in dataset.district_order if d not in dataset.no_figures]
    to_unit = pd.get_dummies(unit_of.reindex(counted)).reindex(columns=[str(u) for u in units], fill_value=0)
    to_unit = to_unit.to_numpy(dtype=float)  # (counted districts × units): which unit's Ist a district adds to
    population = calculator.reference_population(assumptions.population_rule)
    at = [population.columns.get_loc(y) for y in years]
    rows = pd.Index(calculator.catchments.places.district_ids).get_indexer(counted)
    per_unit = np.stack([calculator.added_post(rule, assumptions.population_rule, booked[u])[rows][:, at]
                         for u in units])  # kept by the calculator: taking the plan as a scenario reads the same
    spread = np.einsum("Dct,cu->tDu", per_unit, to_unit)
    if np.allclose(spread, np.eye(len(units)), rtol=0.0, atol=EXACT):
        return None
    return spread
