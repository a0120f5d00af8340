"""One typed model of a view: the assumptions a user chose and the view around them.

`Assumptions` is what the `Calculator` needs (service, year, population rule, ratios, milestone
rule, costs, planned FTE changes, level); `View` wraps it with what only the screen needs
(dataset, language, measure, basemap, presentation mode, the saved scenario it started from).
Each medium has one codec next to this module: `url` (share links), `widgets` (the controls),
`cli` (the command line flags of `report`, `export` and later commands), and
`dashboard.scenarios.model` (saved-scenario JSON). `checks` validates a model against a dataset,
in one place, for all of them.

Frozen dataclasses, not pydantic: most of what must be checked depends on the dataset (its
services, years, levels, districts), which a model-level validator cannot see, and the URL and
CLI forms (`r.<service>=`, `plan`, `A~beratung~2026~0.5`) need codecs of their own anyway, so
pydantic would bring a second validation path and a second copy API (`model_copy` next to
`dataclasses.replace`, which callers and tests use) for the JSON medium alone. A dataclass is also
the cheapest object to build on the slider path, where one is made per key press.
"""

from __future__ import annotations

from dataclasses import replace

from ..catchment import DEFAULT_RADIUS_KM, CatchmentRule
from ..dataset import Dataset
from .checks import ScenarioError, check_assumptions, known_measure
from .model import (ALL_SERVICES, BASEMAPS, BETWEEN_RULES, COST_RANGE, DEFAULT_BASEMAP, DEFAULT_MEASURE, RADIUS_RANGE,
                    WAGE_RANGE, Assumptions, FteChange, RatioOverride, View)

__all__ = ["ALL_SERVICES", "BASEMAPS", "BETWEEN_RULES", "COST_RANGE", "DEFAULT_BASEMAP", "DEFAULT_MEASURE",
           "RADIUS_RANGE", "WAGE_RANGE", "Assumptions", "FteChange", "RatioOverride", "ScenarioError", "View", "check_assumptions",
           "default_view", "plan_between", "plan_catchment", "plan_distance", "scenario_view"]


def plan_between(dataset: Dataset) -> str:
    """The milestone rule the controls show while a view keeps each service's own."""
    return next(iter(dataset.settings.services.values())).between_milestones


def _spec(dataset: Dataset, service: str):
    services = dataset.settings.services
    return services.get(service) or next(iter(services.values()))


def plan_catchment(dataset: Dataset, service: str) -> CatchmentRule:
    """The service's rule from dataset.toml (for all services: the first one's, as the controls show it)."""
    return _spec(dataset, service).catchment


def plan_distance(dataset: Dataset, service: str) -> CatchmentRule:
    """The distance rule the controls start from: the service's radius and decay, else the default radius."""
    return _spec(dataset, service).distance_rule(DEFAULT_RADIUS_KM)


def default_view(dataset: Dataset, dataset_ref: str) -> View:
    return View(dataset=dataset_ref, assumptions=Assumptions.defaults(dataset))


def scenario_view(dataset: Dataset, dataset_ref: str, scenario_id: str | None, assumptions: Assumptions,
                  measure: str) -> View:
    """The view a saved scenario describes; ScenarioError if its assumptions no longer fit the dataset."""
    a = assumptions if assumptions.level else replace(assumptions, level=dataset.settings.base_level)
    check_assumptions(dataset, a)
    return View(dataset=dataset_ref, assumptions=a, scenario=scenario_id,
                measure=measure if known_measure(measure) else DEFAULT_MEASURE)
