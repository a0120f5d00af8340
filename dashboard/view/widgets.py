"""The view as the values of the controls, and back.

The controls show every value, also those the view leaves to the dataset (its cost, its
milestone rule); reading them back, a value equal to the dataset's is left to it again, so moving
a slider away and back gives the same link. The wage control speaks percent, the model fractions.
The ratio store holds, per service, the scenario's ratio as the saved-scenario document writes it
(`RatioOverride.to_json`: a number for all years, else `{"ratio", "scope", "year"}`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from ..dataset import Dataset
from . import plan_between, plan_catchment, plan_distance
from .model import Assumptions, FteChange, View


class Widgets(NamedTuple):
    """Values of the controls, in the order the slider callback lists them."""

    service: str
    measure: str
    level: str
    year: int
    overrides: dict  # service → the ratio the user set (RatioOverride.to_json)
    rule: str
    between: str
    cost: float | None  # EUR per FTE and year; empty: the dataset's
    wage: float | None  # percent per year; empty: the dataset's
    changes: list  # planned changes as dicts (FteChange.to_dict)
    basemap: str
    present: bool
    catchment: str = ""  # own, level:<level> or distance
    radius: float | None = None  # km of the distance rule
    decay: str = ""  # of the distance rule


def _percent(fraction: float) -> float:
    return round(100 * fraction, 2)


def to_widgets(view: View, dataset: Dataset) -> Widgets:
    a, s = view.assumptions, dataset.settings
    return Widgets(
        service=a.service, measure=view.measure, level=a.level or s.base_level, year=a.year,
        overrides=a.ratios_json(), rule=a.population_rule, between=a.between_milestones or plan_between(dataset),
        cost=s.fte_cost_eur if a.fte_cost_eur is None else a.fte_cost_eur,
        wage=_percent(s.wage_growth if a.wage_growth is None else a.wage_growth),
        changes=[c.to_dict() for c in a.fte_changes], basemap=view.basemap, present=view.present,
        catchment=a.catchment or plan_catchment(dataset, a.service).token,
        radius=plan_distance(dataset, a.service).radius_km if a.radius_km is None else a.radius_km,
        decay=a.decay or plan_distance(dataset, a.service).decay)


def _dataset_or(value, dataset_value: float) -> float | None:
    return None if value in (None, "") or float(value) == dataset_value else float(value)


def _catchment(dataset: Dataset, w: Widgets) -> dict:
    """The service-area fields; a value equal to the service's plan is left to it (None)."""
    plan, distance = plan_catchment(dataset, w.service), plan_distance(dataset, w.service)
    return {"catchment": None if w.catchment in ("", None, plan.token) else w.catchment,
            "radius_km": _dataset_or(w.radius, distance.radius_km),
            "decay": None if w.decay in ("", None, distance.decay) else w.decay}


def from_widgets(base: View, dataset: Dataset, *values) -> View:
    """The view the controls show, on top of `base` (its dataset, language and scenario)."""
    w = Widgets(*values)
    s = dataset.settings
    wage = None if w.wage in (None, "") else float(w.wage) / 100
    assumptions = Assumptions(
        service=w.service, year=int(w.year), population_rule=w.rule,
        ratios=Assumptions.ratios_from_json(w.overrides),
        between_milestones=None if w.between == plan_between(dataset) else w.between,
        fte_cost_eur=_dataset_or(w.cost, s.fte_cost_eur), wage_growth=_dataset_or(wage, s.wage_growth),
        fte_changes=tuple(FteChange.from_dict(c) for c in w.changes or []), level=w.level,
        **_catchment(dataset, w))
    return replace(base, assumptions=assumptions, measure=w.measure, basemap=w.basemap, present=bool(w.present),
                   notices=())
