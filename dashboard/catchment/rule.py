"""The catchment rule: where a site's posts count (its own district, its planning area, or by distance).

A rule is written as `own`, `level:<level>` or `distance` (with `radius_km` and `decay`), in
`dataset.toml`, the URL and the CLI alike; `parse_rule` reads it and `CatchmentRule.token` writes it.
Faults are `Issue`s (a stable code and its parameters); their texts live in the catalogs
`locales/catchment.<lang>.toml` under `catchment.problem.<code>`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Literal, Mapping

from ..i18n import DEFAULT_LANGUAGE, t

Kind = Literal["own", "level", "distance"]
Decay = Literal["gaussian", "steps"]
KINDS: tuple[Kind, ...] = ("own", "level", "distance")
DECAYS: tuple[Decay, ...] = ("gaussian", "steps")
DEFAULT_DECAY: Decay = "gaussian"
# E2SFCA's stepped weights for the inner, middle and outer third of the radius (Luo & Qi 2009)
DEFAULT_STEPS: tuple[float, ...] = (1.00, 0.68, 0.22)
LEVEL_PREFIX = "level:"
DEFAULT_RADIUS_KM = 5.0  # the distance control's starting value where dataset.toml names none


@dataclass(frozen=True)
class Issue:
    """One fault in a rule or a `serves` entry: a stable code and the values its text names."""

    code: str
    params: Mapping[str, str] = field(default_factory=dict)

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t(f"catchment.problem.{self.code}.message", lang, **self.params)

    def hint(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t(f"catchment.problem.{self.code}.hint", lang, **self.params)


class CatchmentError(ValueError):
    """A rule or `serves` entry that cannot be used; `issues` lists every reason."""

    def __init__(self, issues: Iterable[Issue]):
        self.issues = tuple(issues)
        super().__init__("; ".join(i.message("en") for i in self.issues))


@dataclass(frozen=True)
class CatchmentRule:
    """Which districts a site's posts reach, and with what weight.

    `own`: only the district the site stands in. `level`: every district of the same group at
    `level` (weight 1). `distance`: districts whose reference point lies within `radius_km` of
    the site, weighted by `decay` (see `weights.decay_weights`).
    """

    kind: Kind = "own"
    level: str | None = None
    radius_km: float | None = None
    decay: Decay = DEFAULT_DECAY
    steps: tuple[float, ...] = DEFAULT_STEPS

    @property
    def token(self) -> str:
        """The rule as written in settings, URL and CLI: `own`, `level:<level>` or `distance`."""
        return f"{LEVEL_PREFIX}{self.level}" if self.kind == "level" else self.kind

    def describe(self, lang: str = DEFAULT_LANGUAGE, level_label: str | None = None, unit: str | None = None) -> str:
        """One line for a handout's assumptions, e.g. "within 5 km, Gaussian decay"; `unit` names the supply."""
        words = {} if unit is None else {"unit": unit}
        if self.kind == "level":
            return t("catchment.rule.level", lang, level=level_label or self.level, **words)
        if self.kind == "distance":
            return t("catchment.rule.distance", lang, radius=f"{self.radius_km:g}",
                     decay=t(f"catchment.decay.{self.decay}", lang), **words)
        return t("catchment.rule.own", lang, **words)


OWN = CatchmentRule()


def parse_rule(catchment: str | None, radius_km: float | str | None = None, decay: str | None = None,
               levels: Iterable[str] | None = None) -> CatchmentRule:
    """Read a rule from its token plus radius and decay; raise CatchmentError naming every fault.

    `levels` are the dataset's level names; when given, `level:<name>` must be one of them.
    A radius and decay given with `own` or `level:` are ignored (the controls keep them).
    """
    token = (catchment or "own").strip()
    issues: list[Issue] = []
    if token == "own":
        return OWN
    if token.startswith(LEVEL_PREFIX):
        level = token[len(LEVEL_PREFIX):].strip()
        known = list(levels) if levels is not None else None
        if not level:
            issues.append(Issue("level_missing", {"value": token}))
        elif known is not None and level not in known:
            issues.append(Issue("unknown_level", {"value": level, "known": ", ".join(known)}))
        if issues:
            raise CatchmentError(issues)
        return CatchmentRule("level", level=level)
    if token != "distance":
        raise CatchmentError([Issue("unknown_rule", {"value": token})])
    radius = _radius(radius_km, issues)
    decay_name = (decay or DEFAULT_DECAY).strip().lower()
    if decay_name not in DECAYS:
        issues.append(Issue("unknown_decay", {"value": decay_name, "known": ", ".join(DECAYS)}))
    if issues:
        raise CatchmentError(issues)
    return CatchmentRule("distance", radius_km=radius, decay=decay_name)  # type: ignore[arg-type]


def _radius(value: float | str | None, issues: list[Issue]) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        issues.append(Issue("radius_missing"))
        return None
    try:
        radius = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except ValueError:
        issues.append(Issue("radius_not_number", {"value": str(value)}))
        return None
    if not math.isfinite(radius) or radius <= 0:
        issues.append(Issue("radius_not_positive", {"value": f"{radius:g}"}))
        return None
    return radius


def format_rule(rule: CatchmentRule) -> dict[str, str | float]:
    """The rule as the fields `parse_rule` reads back: `catchment`, and for distance `radius_km`, `decay`."""
    if rule.kind != "distance":
        return {"catchment": rule.token}
    return {"catchment": rule.token, "radius_km": rule.radius_km, "decay": rule.decay}
