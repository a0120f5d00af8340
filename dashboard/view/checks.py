"""Does a value of the model fit the dataset? The one place every medium asks.

Each check raises `ScenarioError` (a code and its parameters, worded in the catalogs'
`scenario_error` section). The calculator and the command line stop at the first; a link keeps
the value it had before and lists the one it could not use.
"""

from __future__ import annotations

from dataclasses import replace

from ..agebands import parse_band, parse_rule
from ..catchment import DECAYS, CatchmentError
from ..catchment import parse_rule as parse_catchment
from ..dataset import Dataset
from ..i18n import LANGUAGES
from ..localised import LocalisedError
from ..mapping import MEASURES
from .model import (ALL_SERVICES, BASEMAPS, BETWEEN_RULES, COST_RANGE, RADIUS_RANGE, RATIO_RANGE, SCOPES, WAGE_RANGE,
                    Assumptions, FteChange, RatioOverride)


class ScenarioError(LocalisedError, ValueError):
    """Assumptions that do not fit the dataset (unknown service, year, district …)."""

    catalog = "scenario_error"


def _listing(values) -> str:
    return ", ".join(str(v) for v in values)


def check_service(dataset: Dataset, service: str) -> None:
    if service != ALL_SERVICES and service not in dataset.settings.services:
        raise ScenarioError("unknown_service", service=service, known=_listing(dataset.settings.services),
                            all=ALL_SERVICES)


def check_year(dataset: Dataset, year: int) -> None:
    if year not in dataset.years:
        raise ScenarioError("unknown_year", year=year, first=dataset.years[0], last=dataset.years[-1])


def check_level(dataset: Dataset, level: str | None) -> None:
    if level is not None and level not in dataset.settings.level_names:
        raise ScenarioError("unknown_level", level=level, known=_listing(dataset.settings.level_names))


def check_rule(dataset: Dataset, rule: str) -> None:
    """A population rule that parses and counts each of the dataset's age bands whole."""
    try:
        parsed = parse_rule(rule)
    except ValueError:
        raise ScenarioError("bad_rule", rule=rule) from None
    for band in dataset.age_bands:
        try:
            parsed.weight_of(parse_band(band))
        except ValueError:  # the band straddles one of the rule's limits
            raise ScenarioError("rule_straddles", band=band, rule=rule) from None


def check_ratio(dataset: Dataset, service: str, ratio: float | None) -> None:
    """A ratio override (None: back to the plan's milestones) for one service."""
    if service not in dataset.settings.services:
        raise ScenarioError("ratio_unknown_service", service=service)
    if ratio is not None and not RATIO_RANGE[0] <= ratio <= RATIO_RANGE[1]:  # NaN fails too
        raise ScenarioError("ratio_out_of_range", service=service, low=int(RATIO_RANGE[0]), high=int(RATIO_RANGE[1]))


def check_override(dataset: Dataset, o: RatioOverride) -> None:
    """A scenario's ratio: its service and value, its scope, and the year it was set for (a year of the dataset)."""
    check_ratio(dataset, o.service, o.ratio)
    if o.scope not in SCOPES:
        raise ScenarioError("bad_ratio_scope", service=o.service, scope=o.scope, known=_listing(SCOPES))
    if o.year is not None:
        check_year(dataset, o.year)


def check_between(rule: str | None) -> None:
    if rule is not None and rule not in BETWEEN_RULES:
        raise ScenarioError("bad_between", rule=rule)


def check_cost(cost: float | None) -> None:
    if cost is not None and not COST_RANGE[0] <= cost <= COST_RANGE[1]:
        raise ScenarioError("bad_cost", high=int(COST_RANGE[1]))


def check_wage(wage: float | None) -> None:
    if wage is not None and not WAGE_RANGE[0] <= wage <= WAGE_RANGE[1]:
        raise ScenarioError("bad_wage", low=round(100 * WAGE_RANGE[0]), high=round(100 * WAGE_RANGE[1]))


def check_catchment(dataset: Dataset, catchment: str | None) -> None:
    """A catchment rule token (`own`, `level:<level>`, `distance`); None: each service's own."""
    if catchment is None:
        return
    try:
        parse_catchment(catchment, radius_km=1.0, levels=dataset.settings.level_names)
    except CatchmentError:
        known = ["own", *(f"level:{level}" for level in dataset.settings.levels), "distance"]
        raise ScenarioError("bad_catchment", catchment=catchment, known=_listing(known)) from None


def check_radius(radius_km: float | None) -> None:
    if radius_km is not None and not (RADIUS_RANGE[0] <= radius_km <= RADIUS_RANGE[1]):
        raise ScenarioError("bad_radius", low=RADIUS_RANGE[0], high=RADIUS_RANGE[1])


def check_decay(decay: str | None) -> None:
    if decay is not None and decay not in DECAYS:
        raise ScenarioError("bad_decay", decay=decay, known=_listing(DECAYS))


def check_change(dataset: Dataset, change: FteChange) -> None:
    if change.district_id not in dataset.district_order:
        raise ScenarioError("change_unknown_district", district=change.district_id)
    if change.service not in dataset.settings.services:
        raise ScenarioError("change_unknown_service", service=change.service)


def known_measure(measure: str) -> bool:
    return measure in MEASURES


def check_measure(measure: str) -> None:
    if not known_measure(measure):
        raise ScenarioError("unknown_measure", measure=measure, known=_listing(MEASURES))


def check_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ScenarioError("unknown_language", language=lang, known=_listing(LANGUAGES))


def check_basemap(basemap: str) -> None:
    if basemap not in BASEMAPS:
        raise ScenarioError("unknown_basemap", basemap=basemap, known=_listing(BASEMAPS))


def check_assumptions(dataset: Dataset, a: Assumptions) -> None:
    """Every field of `a` against the dataset; the first that does not fit raises."""
    check_year(dataset, a.year)
    check_service(dataset, a.service)
    check_level(dataset, a.level)
    check_rule(dataset, a.population_rule)
    for override in a.ratios:
        check_override(dataset, override)
    check_between(a.between_milestones)
    check_cost(a.fte_cost_eur)
    check_wage(a.wage_growth)
    for change in a.fte_changes:
        check_change(dataset, change)
    check_catchment(dataset, a.catchment)
    check_radius(a.radius_km)
    check_decay(a.decay)


def fit_assumptions(dataset: Dataset, a: Assumptions) -> tuple[Assumptions, list[ScenarioError]]:
    """`a` without what no longer fits the dataset (a saved scenario after a re-import): each such
    part back to the dataset's value or left out, and the errors that say which."""
    errors: list[ScenarioError] = []

    def fits(check, *args) -> bool:
        try:
            check(*args)
        except ScenarioError as exc:
            errors.append(exc)
            return False
        return True

    plan = Assumptions.defaults(dataset)
    fitted = replace(
        a, year=a.year if fits(check_year, dataset, a.year) else plan.year,
        service=a.service if fits(check_service, dataset, a.service) else plan.service,
        level=a.level if fits(check_level, dataset, a.level) else plan.level,
        population_rule=a.population_rule if fits(check_rule, dataset, a.population_rule) else plan.population_rule,
        ratios=tuple(o for o in a.ratios if fits(check_override, dataset, o)),
        between_milestones=a.between_milestones if fits(check_between, a.between_milestones) else None,
        fte_cost_eur=a.fte_cost_eur if fits(check_cost, a.fte_cost_eur) else None,
        wage_growth=a.wage_growth if fits(check_wage, a.wage_growth) else None,
        fte_changes=tuple(c for c in a.fte_changes if fits(check_change, dataset, c)),
        catchment=a.catchment if fits(check_catchment, dataset, a.catchment) else None,
        radius_km=a.radius_km if fits(check_radius, a.radius_km) else None,
        decay=a.decay if fits(check_decay, a.decay) else None)
    return fitted, errors
