"""The current view as a query string, so a copied link reopens exactly that view.

`?level=stadtbezirk&service=beratung&year=2030&r.beratung=2500&lang=en&present=1` — only values
that differ from the dataset's defaults are written. A link with a value that does not fit the
dataset (an unknown service, a year without data) opens the default for that value and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlencode

from .agebands import parse_rule
from .dataset import Dataset
from .i18n import DEFAULT_LANGUAGE, LANGUAGES
from .mapping import MEASURES
from .scenario import ALL_SERVICES, Assumptions, FteChange

BASEMAPS = ("none", "osm")


@dataclass(frozen=True)
class ViewState:
    dataset: str
    level: str
    service: str
    year: int
    population_rule: str
    measure: str = "coverage"
    ratios: tuple[tuple[str, float], ...] = ()
    between: str | None = None
    fte_cost_eur: float | None = None
    wage_growth: float | None = None
    fte_changes: tuple[FteChange, ...] = ()
    lang: str = DEFAULT_LANGUAGE
    present: bool = False
    basemap: str = "none"
    scenario: str | None = None  # id of the saved scenario this view started from
    notices: tuple[str, ...] = field(default=(), compare=False)  # values of the link that were not used

    def assumptions(self) -> Assumptions:
        return Assumptions(service=self.service, year=self.year, population_rule=self.population_rule,
                           ratios=self.ratios, between_milestones=self.between, fte_cost_eur=self.fte_cost_eur,
                           wage_growth=self.wage_growth, fte_changes=self.fte_changes, level=self.level)


def default_view(dataset: Dataset, dataset_ref: str) -> ViewState:
    a = Assumptions.defaults(dataset)
    return ViewState(dataset=dataset_ref, level=dataset.settings.base_level, service=a.service, year=a.year,
                     population_rule=a.population_rule)


def scenario_view(dataset: Dataset, dataset_ref: str, scenario_id: str, assumptions: Assumptions,
                  measure: str) -> ViewState:
    """The view a saved scenario describes; values that no longer fit the dataset fall back."""
    view = default_view(dataset, dataset_ref)
    a = assumptions
    return replace(view, scenario=scenario_id, service=a.service, year=a.year, population_rule=a.population_rule,
                   ratios=a.ratios, between=a.between_milestones, fte_cost_eur=a.fte_cost_eur,
                   wage_growth=a.wage_growth, fte_changes=a.fte_changes, level=a.level or view.level,
                   measure=measure if measure in MEASURES else view.measure)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def encode_changes(changes: tuple[FteChange, ...]) -> str:
    return ",".join(f"{c.district_id}~{c.service}~{c.year_from}~{c.delta_fte:g}" for c in changes)


def decode_changes(text: str) -> tuple[FteChange, ...]:
    out = []
    for item in filter(None, text.split(",")):
        district, service, year, delta = item.split("~")
        out.append(FteChange(district, service, int(year), float(delta)))
    return tuple(out)


def to_query(view: ViewState, dataset: Dataset, default_ref: str, base: ViewState | None = None) -> str:
    """Query string (without '?') of the values that differ from `base` (the defaults, or the saved scenario)."""
    base = base or default_view(dataset, view.dataset)
    pairs: list[tuple[str, str]] = []
    if view.dataset != default_ref and not view.scenario:
        pairs.append(("dataset", view.dataset))
    if view.scenario:
        pairs.append(("scenario", view.scenario))
    for key, value, default in (("level", view.level, base.level), ("service", view.service, base.service),
                                ("measure", view.measure, base.measure), ("year", view.year, base.year),
                                ("pop", view.population_rule, base.population_rule)):
        if value != default:
            pairs.append((key, str(value)))
    base_ratios = dict(base.ratios)
    pairs += [(f"r.{service}", f"{ratio:g}") for service, ratio in view.ratios if base_ratios.get(service) != ratio]
    pairs += [(f"r.{service}", "plan") for service in base_ratios if service not in dict(view.ratios)]
    if view.between != base.between:
        pairs.append(("between", view.between or "plan"))
    if view.fte_cost_eur != base.fte_cost_eur:
        pairs.append(("cost", "plan" if view.fte_cost_eur is None else f"{view.fte_cost_eur:g}"))
    if view.wage_growth != base.wage_growth:
        pairs.append(("wage", "plan" if view.wage_growth is None else f"{view.wage_growth:g}"))
    if view.fte_changes != base.fte_changes:
        pairs.append(("changes", encode_changes(view.fte_changes) or "none"))
    if view.lang != DEFAULT_LANGUAGE:
        pairs.append(("lang", view.lang))
    if view.present:
        pairs.append(("present", "1"))
    if view.basemap != "none":
        pairs.append(("basemap", view.basemap))
    return urlencode(pairs, safe="~,")


def from_query(query: str, dataset: Dataset, dataset_ref: str, base: ViewState | None = None) -> ViewState:
    """The view a link describes, on top of `base` (a saved scenario's view, else the defaults);
    values that do not fit the dataset fall back to the base (see notices). `plan` as a value
    of a ratio, the milestone rule or a cost returns to the dataset's plan value."""
    args = {k: v[-1] for k, v in parse_qs(query.lstrip("?"), keep_blank_values=True).items()}
    view = base or default_view(dataset, dataset_ref)
    s = dataset.settings
    notices: list[str] = []
    changes: dict = {}

    def take(key: str, ok: bool, value) -> None:
        if ok:
            changes[key] = value
        else:
            notices.append(f"{key}={args[key]}")

    if "level" in args:
        take("level", args["level"] in s.level_names, args["level"])
    if "service" in args:
        take("service", args["service"] in s.services or args["service"] == ALL_SERVICES, args["service"])
    if "measure" in args:
        take("measure", args["measure"] in MEASURES, args["measure"])
    if "year" in args:
        year = _number(args["year"])
        take("year", year is not None and int(year) in dataset.years, int(year or 0))
    if "pop" in args:
        rule = args["pop"]
        if rule.endswith(" "):  # a hand-typed `pop=65+` arrives as "65 "
            rule = rule.rstrip() + "+"
        try:
            parse_rule(rule)
            changes["population_rule"] = rule
        except ValueError:
            notices.append(f"pop={args['pop']}")
    ratios = dict(view.ratios)
    for key, value in args.items():
        if key.startswith("r."):
            service, ratio = key[2:], _number(value)
            if service in s.services and value == "plan":
                ratios.pop(service, None)
            elif service in s.services and ratio and ratio > 0:
                ratios[service] = ratio
            else:
                notices.append(f"{key}={value}")
    changes["ratios"] = tuple(sorted(ratios.items()))
    if "between" in args:
        if args["between"] == "plan":
            changes["between"] = None
        else:
            take("between", args["between"] in ("hold", "linear"), args["between"])
    for key, field_name, low, high in (("cost", "fte_cost_eur", 0, 1e7), ("wage", "wage_growth", -0.5, 1)):
        if key in args:
            value = _number(args[key])
            if args[key] == "plan":
                changes[field_name] = None
            elif value is not None and low <= value <= high:
                changes[field_name] = value
            else:
                notices.append(f"{key}={args[key]}")
    if args.get("changes") == "none":
        changes["fte_changes"] = ()
    elif "changes" in args:
        try:
            fte_changes = decode_changes(args["changes"])
            known = set(dataset.district_order)
            if all(c.district_id in known and c.service in s.services for c in fte_changes):
                changes["fte_changes"] = fte_changes
            else:
                notices.append("changes")
        except ValueError:
            notices.append("changes")
    if "lang" in args:
        take("lang", args["lang"] in LANGUAGES, args["lang"])
    if "present" in args:
        changes["present"] = args["present"] in ("1", "true", "yes")
    if "basemap" in args:
        take("basemap", args["basemap"] in BASEMAPS, args["basemap"])
    return replace(view, **changes, notices=tuple(notices))
