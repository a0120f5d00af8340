"""`dataset.toml`: the typed settings of one dataset (title, attribution, levels, services, costs)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from .agebands import parse_rule
from .catchment import OWN, CatchmentError, CatchmentRule
from .catchment import parse_rule as parse_catchment
from .errors import DataError, Phrase, Problem
from .i18n import UNITS

MILESTONE_RULES = ("hold", "linear")


@dataclass(frozen=True)
class ServiceSpec:
    key: str
    label: str
    label_en: str
    ratios: dict[int, float]  # year -> residents of the reference population per FTE
    between_milestones: str = "hold"
    unit: str = "posts"  # what supply is counted in: posts (FTE) or places
    catchment: CatchmentRule = OWN  # where a site's posts count unless its `serves` entry says otherwise
    distance: CatchmentRule | None = None  # the distance rule offered (radius_km, decay given), also under `own`

    def distance_rule(self, fallback_km: float) -> CatchmentRule:
        """The distance rule the controls start from: the dataset's radius and decay, else `fallback_km`."""
        return self.distance or CatchmentRule("distance", radius_km=fallback_km)

    def label_for(self, language: str) -> str:
        return self.label_en if language == "en" else self.label


@dataclass(frozen=True)
class BudgetPeriods:
    """`[budget]`: how a measures plan groups its years into budget periods (e.g. double budgets 2023/24, …).

    start: a year a period begins (None: the plan's first year); period_years: years per period.
    """

    start: int | None = None
    period_years: int = 2


def _budget_periods(data: dict, problem) -> BudgetPeriods:
    raw = data.get("budget", {})
    start, length = raw.get("start"), raw.get("period_years", BudgetPeriods.period_years)
    if start is not None and (not isinstance(start, int) or isinstance(start, bool)):
        problem("budget.start", "budget_start", start)
        start = None
    if not isinstance(length, int) or isinstance(length, bool) or not 1 <= length <= 10:
        problem("budget.period_years", "budget_period", length)
        length = BudgetPeriods.period_years
    return BudgetPeriods(start, length)


def _base_level(levels: dict[str, str], level_labels: dict[str, dict]) -> str:
    """The finest level: labelled, but no grouping column of the boundaries."""
    return next((k for k in level_labels if k not in levels), "district")


@dataclass(frozen=True)
class DatasetSettings:
    id: str
    title: str
    base_year: int
    reference_population: str
    attribution: tuple[str, ...]
    notes: tuple[str, ...]
    notes_en: tuple[str, ...]
    services: dict[str, ServiceSpec]
    id_column: str = "district_id"
    name_column: str = "name"
    levels: dict[str, str] = field(default_factory=dict)  # level name -> column in the boundary file
    level_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    fte_cost_eur: float = 75000.0
    wage_growth: float = 0.0
    title_en: str = ""
    data_date: str = ""
    sources: tuple[str, ...] = ()
    budget: BudgetPeriods = field(default_factory=BudgetPeriods)
    no_figures: tuple[str, ...] = ()  # [population] no_figures: areas whose counts are not published

    @property
    def base_level(self) -> str:
        """Name of the finest level (the boundary file's features)."""
        return _base_level(self.levels, self.level_labels)

    @property
    def level_names(self) -> list[str]:
        return [self.base_level, *self.levels]

    def level_label(self, level: str, language: str) -> str:
        labels = self.level_labels.get(level, {})
        return labels.get(language) or labels.get("de") or level.capitalize()

    @property
    def unit(self) -> str:
        """The supply unit of the dataset's services (the first service's, if they differ)."""
        return next(iter(self.services.values())).unit

    def notes_for(self, language: str) -> tuple[str, ...]:
        return self.notes_en if language == "en" and self.notes_en else self.notes


def _catchment_key(code: str) -> str:
    """The key of a service's table a catchment fault is about."""
    return "radius_km" if code.startswith("radius") else "decay" if code == "unknown_decay" else "catchment"


def _lines(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def parse_settings(data: dict, file: str = "dataset.toml") -> DatasetSettings:
    """Build settings from parsed TOML; collects every problem before raising DataError."""
    problems: list[Problem] = []

    def problem(key: str, code: str, value=None, **params):
        problems.append(Problem(file, None, key, f"settings.{code}", params, None if value is None else str(value)))

    ds = data.get("dataset", {})
    for key in ("id", "title", "base_year"):
        if key not in ds:
            problem(f"dataset.{key}", "missing", name=key)
    base_year = ds.get("base_year", 0)
    if "base_year" in ds and not isinstance(base_year, int):
        problem("dataset.base_year", "base_year", base_year)
        base_year = 0
    rule = str(ds.get("reference_population", "60+"))
    try:
        parse_rule(rule)
    except ValueError as exc:
        problem("dataset.reference_population", "rule", rule, reason=str(exc))

    services: dict[str, ServiceSpec] = {}
    raw_services = data.get("services", {})
    if not raw_services:
        problem("services", "no_services")
    for key, spec in raw_services.items():
        ratios: dict[int, float] = {}
        raw_ratios = spec.get("ratios") or {}
        if not raw_ratios:
            problem(f"services.{key}.ratios", "no_ratios")
        for year, value in raw_ratios.items():
            try:
                y, v = int(year), float(value)
            except (TypeError, ValueError):
                problem(f"services.{key}.ratios", "milestone", f"{year} = {value}")
                continue
            if v <= 0:
                problem(f"services.{key}.ratios", "ratio_not_positive", value, year=y)
                continue
            ratios[y] = v
        rule_between = spec.get("between_milestones", "hold")
        if rule_between not in MILESTONE_RULES:
            problem(f"services.{key}.between_milestones", "between", rule_between)
            rule_between = "hold"
        label = str(spec.get("label", key))
        unit = spec.get("unit", "posts")
        if unit not in UNITS:
            problem(f"services.{key}.unit", "unit", unit, allowed=", ".join(UNITS))
            unit = "posts"
        services[key] = ServiceSpec(key, label, str(spec.get("label_en", label)), dict(sorted(ratios.items())),
                                    rule_between, unit)

    bounds = data.get("boundaries", {})
    levels = {str(k): str(v) for k, v in data.get("levels", {}).items()}
    level_labels = {str(k): dict(v) for k, v in data.get("level_labels", {}).items()}
    level_names = [_base_level(levels, level_labels), *levels]  # as DatasetSettings.level_names
    for key, spec in raw_services.items():
        if key not in services or not {"catchment", "radius_km", "decay"} & set(spec):
            continue
        try:
            area = parse_catchment(str(spec.get("catchment", "own")), spec.get("radius_km"), spec.get("decay"),
                                   level_names)
            distance = area if area.kind == "distance" else None
            if distance is None and "radius_km" in spec:
                distance = parse_catchment("distance", spec["radius_km"], spec.get("decay"))
        except CatchmentError as exc:
            for issue in exc.issues:
                field_name = _catchment_key(issue.code)
                code = f"catchment.problem.{issue.code}"
                problem(f"services.{key}.{field_name}", "catchment", spec.get(field_name),
                        reason=Phrase(f"{code}.message", dict(issue.params)),
                        advice=Phrase(f"{code}.hint", dict(issue.params)))
            continue
        services[key] = replace(services[key], catchment=area, distance=distance)

    costs = data.get("costs", {})
    fte_cost = costs.get("fte_per_year_eur", 75000)
    wage_growth = costs.get("wage_growth", 0.0)
    if not isinstance(fte_cost, (int, float)) or fte_cost < 0:
        problem("costs.fte_per_year_eur", "cost", fte_cost)
        fte_cost = 75000
    if not isinstance(wage_growth, (int, float)) or not -0.5 < wage_growth < 1:
        problem("costs.wage_growth", "wage_growth", wage_growth)
        wage_growth = 0.0

    budget = _budget_periods(data, problem)
    no_figures = _no_figures(data, problem)
    if problems:
        raise DataError(problems)
    return DatasetSettings(
        id=str(ds["id"]), title=str(ds["title"]), base_year=int(base_year), reference_population=rule,
        attribution=_lines(ds.get("attribution")), notes=_lines(ds.get("notes")),
        notes_en=_lines(ds.get("notes_en")), services=services,
        id_column=str(bounds.get("id", "district_id")), name_column=str(bounds.get("name", "name")),
        levels=levels, level_labels=level_labels,
        fte_cost_eur=float(fte_cost), wage_growth=float(wage_growth),
        title_en=str(ds.get("title_en", "")), data_date=str(ds.get("data_date", "")),
        sources=_lines(data.get("sources", {}).get("files") if isinstance(data.get("sources"), dict) else data.get("sources")),
        budget=budget, no_figures=no_figures,
    )


def _no_figures(data: dict, problem) -> tuple[str, ...]:
    """`[population] no_figures = ["0105", …]`: areas kept on the map without figures (ids as text)."""
    raw = data.get("population", {}).get("no_figures", []) if isinstance(data.get("population"), dict) else []
    if not isinstance(raw, list):
        problem("population.no_figures", "no_figures", raw)
        return ()
    return tuple(str(v) for v in raw)


def read_settings(path: str | Path) -> DatasetSettings:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise DataError([Problem(path.name, None, None, "settings.file_missing")]) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError([Problem(path.name, None, None, "settings.not_toml", {"error": str(exc)})]) from exc
    return parse_settings(data, path.name)
