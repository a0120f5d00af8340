"""The view as a query string, so a copied link reopens exactly that view.

`?level=stadtbezirk&service=beratung&year=2030&r.beratung=2500&lang=en&present=1` — only values
that differ from the base (the dataset's defaults, or the saved scenario the link names) are
written. A link with a value that does not fit the dataset (an unknown service, a year without
data) keeps the base's value and says so (`View.notices`). `plan` as the value of a ratio, the
milestone rule, a cost or the service-area rule (`catch`, `radius`, `decay`) returns to the
dataset's plan value; `changes=none` drops the planned
changes. A ratio holds in every year (`r.beratung=2500`, as links written before scopes meant),
from a year on (`r.beratung=2000@2028+`) or in one year alone (`r.beratung=3000@2026`); a service
may have several, comma-separated (`r.beratung=3000@2026,2000@2030+`). The
command line speaks the same key=value language (`view.cli`), strictly: there a
value that does not fit is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

from ..dataset import Dataset
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES
from ..ratios import ALL_YEARS, FROM_YEAR, ONLY_YEAR
from ..tables import number_text  # 2500.0 → 2500: the shortest text that reads back as the number
from . import checks, default_view
from .checks import ScenarioError
from .model import DEFAULT_BASEMAP, FteChange, RatioOverride, View

PLAN = "plan"  # a ratio, rule or cost back at the dataset's plan value
NO_CHANGES = "none"
RATIO_PREFIX = "r."
SINCE, ONWARDS = "@", "+"  # 2000@2028+: from 2028 on; 3000@2026: in 2026 alone
_PRESENT = ("1", "true", "yes")
# link parameters of how a view is shown, not of what a saved scenario holds
SHOWN_ONLY = ("scenario", "lang", "present", "basemap")


def _number(text: str) -> float:
    value = float(text)
    if value != value or abs(value) == float("inf"):
        raise ValueError(text)
    return value


def _year(text: str) -> int:
    return int(_number(text))


def _rule(text: str) -> str:
    return text.rstrip() + "+" if text.endswith(" ") else text  # a hand-typed `pop=65+` arrives as "65 "


def _plan_or(decode: Callable[[str], object]) -> Callable[[str], object]:
    return lambda text: None if text == PLAN else decode(text)


def _optional_text(value: float | None) -> str:
    return PLAN if value is None else number_text(value)


def override_text(o: RatioOverride) -> str:
    """`2500` (all years), `2000@2028+` (from 2028 on) or `3000@2026` (2026 alone)."""
    if o.scope == ALL_YEARS:
        return number_text(o.ratio)
    return f"{number_text(o.ratio)}{SINCE}{o.year}{ONWARDS if o.scope == FROM_YEAR else ''}"


def overrides_text(overrides: tuple[RatioOverride, ...]) -> str:
    """A service's ratios in a link: `3000@2026,2000@2030+`."""
    return ",".join(map(override_text, overrides))


def parse_overrides(service: str, text: str) -> tuple[RatioOverride, ...]:
    """The scenario's ratios `overrides_text` wrote; none for `plan`. ValueError if one is no ratio."""
    return () if text == PLAN else tuple(parse_override(service, item) for item in text.split(","))


def parse_override(service: str, text: str) -> RatioOverride:
    """One ratio `override_text` wrote. ValueError if it is none."""
    ratio, at, since = text.partition(SINCE)
    if not at:
        return RatioOverride(service, _number(ratio))
    since = since.replace(" ", ONWARDS)  # a `+` typed into a link arrives as a space
    scope = FROM_YEAR if since.endswith(ONWARDS) else ONLY_YEAR
    return RatioOverride(service, _number(ratio), scope, _year(since.removesuffix(ONWARDS)))


def encode_changes(changes: tuple[FteChange, ...]) -> str:
    return ",".join(f"{c.district_id}~{c.service}~{c.year_from}~{number_text(c.delta_fte)}" for c in changes)


def decode_changes(text: str) -> tuple[FteChange, ...]:
    if text == NO_CHANGES:
        return ()
    out = []
    for item in filter(None, text.split(",")):
        district, service, year, delta = item.split("~")
        out.append(FteChange(district, service, int(year), _number(delta)))
    return tuple(out)


def _each_change(dataset: Dataset, changes: tuple[FteChange, ...]) -> None:
    for change in changes:
        checks.check_change(dataset, change)


def _free(check: Callable[[object], None]) -> Callable[[Dataset, object], None]:
    return lambda _dataset, value: check(value)


# key: (part of the view, field, text → value, check against the dataset); also the order links are written in
FIELDS = {
    "level": ("assumptions", "level", str, checks.check_level),
    "service": ("assumptions", "service", str, checks.check_service),
    "measure": ("view", "measure", str, _free(checks.check_measure)),
    "year": ("assumptions", "year", _year, checks.check_year),
    "pop": ("assumptions", "population_rule", _rule, checks.check_rule),
    "between": ("assumptions", "between_milestones", _plan_or(str), _free(checks.check_between)),
    "cost": ("assumptions", "fte_cost_eur", _plan_or(_number), _free(checks.check_cost)),
    "wage": ("assumptions", "wage_growth", _plan_or(_number), _free(checks.check_wage)),
    "changes": ("assumptions", "fte_changes", decode_changes, _each_change),
    "catch": ("assumptions", "catchment", _plan_or(str), checks.check_catchment),
    "radius": ("assumptions", "radius_km", _plan_or(_number), _free(checks.check_radius)),
    "decay": ("assumptions", "decay", _plan_or(str), _free(checks.check_decay)),
    "lang": ("view", "lang", str, _free(checks.check_language)),
    "present": ("view", "present", lambda text: text in _PRESENT, lambda _dataset, _value: None),
    "basemap": ("view", "basemap", str, _free(checks.check_basemap)),
}


def _as_in_link(key: str, text: str) -> str:
    """A refused value as the link spells it (a space is a `+` there), one token for the notice."""
    return f"{key}={text}".replace(" ", "+")


def apply_pairs(pairs: Iterable[tuple[str, str]], dataset: Dataset, base: View, strict: bool = False) -> View:
    """`base` changed by the (key, text) pairs of a link or a command line.

    A value that does not fit raises ScenarioError when `strict`, else it is skipped and listed
    in the view's notices as `key=text`. Keys this codec does not know (`dataset`, `scenario`,
    a tracker's `utm_…`) are left to the caller.
    """
    changes: dict[str, dict] = {"assumptions": {}, "view": {}}
    ratios = base.assumptions.ratios_by_service()
    notices: list[str] = []
    for key, text in pairs:
        try:
            if key.startswith(RATIO_PREFIX):
                service = key[len(RATIO_PREFIX):]
                overrides = parse_overrides(service, text)
                checks.check_ratio(dataset, service, None)
                for override in overrides:
                    checks.check_override(dataset, override)
                ratios[service] = overrides
            elif key in FIELDS:
                part, name, decode, check = FIELDS[key]
                value = decode(text)
                check(dataset, value)
                changes[part][name] = value
        except ScenarioError:
            if strict:
                raise
            notices.append(_as_in_link(key, text))
        except ValueError:  # the text is no value of its kind at all
            if strict:
                raise ScenarioError("bad_value", name=key, value=text) from None
            notices.append(_as_in_link(key, text))
    assumptions = replace(base.assumptions, **changes["assumptions"], ratios=sum(ratios.values(), ()))
    return replace(base, **changes["view"], assumptions=assumptions, notices=tuple(notices))


def _args(query: str | None) -> dict[str, str]:
    """The link's parameters; of a repeated one the last counts."""
    return {k: v[-1] for k, v in parse_qs((query or "").lstrip("?"), keep_blank_values=True).items()}


@dataclass(frozen=True)
class Link:
    """What a link says before its dataset is loaded: which dataset or saved scenario, which language."""

    dataset: str | None
    scenario: str | None
    lang: str


def differs_from_scenario(query: str | None) -> bool:
    """Whether the view of a link that opens a saved scenario differs from what was saved. A link
    holds only what differs from its base (the scenario), so any parameter beyond how the view is
    shown is a change. (The browser applies the same rule: callbacks/scenarios.py.)"""
    args = parse_qs((query or "").lstrip("?"), keep_blank_values=True)
    return "scenario" in args and any(key not in SHOWN_ONLY for key in args)


def link_of(query: str | None) -> Link:
    args = _args(query)
    lang = args.get("lang")
    return Link(args.get("dataset") or None, args.get("scenario") or None,
                lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


def from_query(query: str, dataset: Dataset, dataset_ref: str, base: View | None = None) -> View:
    """The view a link describes, on top of `base` (a saved scenario's view, else the defaults)."""
    return apply_pairs(_args(query).items(), dataset, base or default_view(dataset, dataset_ref))


def to_query(view: View, dataset: Dataset, default_ref: str, base: View | None = None) -> str:
    """Query string (without '?') of the values that differ from `base` (the defaults, or the saved scenario)."""
    base = base or default_view(dataset, view.dataset)
    a, b = view.assumptions, base.assumptions
    pairs: list[tuple[str, str]] = []
    if view.scenario:
        pairs.append(("scenario", view.scenario))
    elif view.dataset != default_ref:
        pairs.append(("dataset", view.dataset))
    for key, value, default in (("level", a.level, b.level), ("service", a.service, b.service),
                                ("measure", view.measure, base.measure), ("year", a.year, b.year),
                                ("pop", a.population_rule, b.population_rule)):
        if value != default:
            pairs.append((key, str(value)))
    base_ratios, ratios = b.ratios_by_service(), a.ratios_by_service()
    pairs += [(f"{RATIO_PREFIX}{s}", overrides_text(o)) for s, o in ratios.items() if base_ratios.get(s) != o]
    pairs += [(f"{RATIO_PREFIX}{s}", PLAN) for s in base_ratios if s not in ratios]
    if a.between_milestones != b.between_milestones:
        pairs.append(("between", a.between_milestones or PLAN))
    if a.fte_cost_eur != b.fte_cost_eur:
        pairs.append(("cost", _optional_text(a.fte_cost_eur)))
    if a.wage_growth != b.wage_growth:
        pairs.append(("wage", _optional_text(a.wage_growth)))
    if a.fte_changes != b.fte_changes:
        pairs.append(("changes", encode_changes(a.fte_changes) or NO_CHANGES))
    if a.catchment != b.catchment:
        pairs.append(("catch", a.catchment or PLAN))
    if a.radius_km != b.radius_km:
        pairs.append(("radius", _optional_text(a.radius_km)))
    if a.decay != b.decay:
        pairs.append(("decay", a.decay or PLAN))
    if view.lang != DEFAULT_LANGUAGE:
        pairs.append(("lang", view.lang))
    if view.present:
        pairs.append(("present", "1"))
    if view.basemap != DEFAULT_BASEMAP:
        pairs.append(("basemap", view.basemap))
    return urlencode(pairs, safe="~,@")
