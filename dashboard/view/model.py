"""The model's types and the limits every medium shares (see the package docstring)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..dataset import Dataset
from ..i18n import DEFAULT_LANGUAGE
from ..measures import DEFAULT_MEASURE  # noqa: F401  (the model's default view shows it)
from ..ratios import ALL_YEARS, SCOPES, Setting, with_setting  # noqa: F401  (SCOPES: the scopes a ratio may have)

ALL_SERVICES = "all"
BETWEEN_RULES = ("hold", "linear")  # ratio between milestones: keep the last one, or interpolate
BASEMAPS = ("none", "osm")
DEFAULT_BASEMAP = "none"
RATIO_RANGE = (1.0, 1_000_000.0)  # residents per post a view may set (smaller or larger is a typing slip)
COST_RANGE = (0.0, 10_000_000.0)  # EUR per FTE and year a view may set
WAGE_RANGE = (-0.5, 1.0)  # yearly wage growth a view may set (−50 % … +100 %)
RADIUS_RANGE = (0.1, 500.0)  # km a distance catchment may reach (a block … a large Land)


@dataclass(frozen=True)
class FteChange:
    """Add (delta > 0) or remove (delta < 0) FTE of a service in a district from a year on."""

    district_id: str
    service: str
    year_from: int
    delta_fte: float
    note: str = ""

    def to_dict(self) -> dict:
        return {"district_id": self.district_id, "service": self.service, "year_from": self.year_from,
                "delta_fte": self.delta_fte, "note": self.note}

    @classmethod
    def from_dict(cls, data: dict) -> FteChange:
        return cls(str(data["district_id"]), str(data["service"]), int(data["year_from"]),
                   float(data["delta_fte"]), str(data.get("note") or ""))


@dataclass(frozen=True)
class RatioOverride:
    """A target ratio the scenario sets for a service: in every year (`all`), from `year` on
    (`from`), or in `year` alone (`only`); see `dashboard.ratios.scenario_ratio`."""

    service: str
    ratio: float
    scope: str = ALL_YEARS
    year: int | None = None  # the year it was set for; None for all years

    def __post_init__(self):
        object.__setattr__(self, "service", str(self.service))
        object.__setattr__(self, "ratio", float(self.ratio))
        if self.scope == ALL_YEARS:
            object.__setattr__(self, "year", None)  # one spelling: all years have no year of their own
        elif self.year is None:
            raise ValueError(f"a ratio for '{self.scope}' needs its year")
        else:
            object.__setattr__(self, "year", int(self.year))

    @property
    def setting(self) -> Setting:
        """(ratio, scope, year), as `dashboard.ratios` reads it."""
        return self.ratio, self.scope, self.year

    def to_json(self) -> float | dict:
        """As the saved-scenario document writes it: a number for all years (as before scopes existed)."""
        if self.scope == ALL_YEARS:
            return self.ratio
        return {"ratio": self.ratio, "scope": self.scope, "year": self.year}

    @classmethod
    def from_json(cls, service: str, value) -> RatioOverride:
        if isinstance(value, dict):
            return cls(service, float(value["ratio"]), str(value.get("scope") or ALL_YEARS), value.get("year"))
        return cls(service, float(value))


def _override(item) -> RatioOverride:
    """A `RatioOverride`, also from a (service, ratio) pair: a ratio for all years."""
    return item if isinstance(item, RatioOverride) else RatioOverride(*item)


@dataclass(frozen=True)
class Assumptions:
    service: str
    year: int
    population_rule: str = "60+"
    ratios: tuple[RatioOverride, ...] = ()  # the scenario's target ratios, at most one per service and year
    between_milestones: str | None = None  # None: each service's own rule from dataset.toml
    fte_cost_eur: float | None = None  # None: the dataset's cost
    wage_growth: float | None = None  # None: the dataset's
    fte_changes: tuple[FteChange, ...] = ()
    level: str | None = None  # None: the finest level
    # where a site's posts count: `own`, `level:<level>` or `distance`; None: each service's rule from dataset.toml
    catchment: str | None = None
    radius_km: float | None = None  # of the distance rule; None: the dataset's starting value
    decay: str | None = None  # of the distance rule (gaussian, steps); None: the dataset's

    def __post_init__(self):
        # one spelling per value, so equal assumptions compare (and encode) equal
        # of two for a service and year the last counts
        by_key = {(o.service, -1 if o.year is None else o.year): o for o in map(_override, self.ratios)}
        object.__setattr__(self, "ratios", tuple(by_key[k] for k in sorted(by_key)))
        object.__setattr__(self, "fte_changes", tuple(self.fte_changes))

    @classmethod
    def defaults(cls, dataset: Dataset, **overrides) -> Assumptions:
        s = dataset.settings
        year = s.base_year if s.base_year in dataset.years else dataset.years[0]
        base = cls(service=next(iter(s.services)), year=year, population_rule=s.reference_population,
                   level=s.base_level)
        return replace(base, **overrides)

    def ratios_json(self) -> dict:
        """service → the scenario's ratios, as documents and the ratio store write them: one as
        `RatioOverride.to_json` writes it (a number for all years, as before scopes existed), several
        as a list of those."""
        return {k: v[0].to_json() if len(v) == 1 else [o.to_json() for o in v]
                for k, v in self.ratios_by_service().items()}

    def ratios_by_service(self) -> dict[str, tuple[RatioOverride, ...]]:
        out: dict[str, tuple[RatioOverride, ...]] = {}
        for o in self.ratios:
            out[o.service] = (*out.get(o.service, ()), o)
        return out

    @staticmethod
    def ratios_from_json(data: dict | None) -> tuple[RatioOverride, ...]:
        return tuple(RatioOverride.from_json(str(k), item) for k, v in (data or {}).items()
                     for item in (v if isinstance(v, list) else [v]))

    def ratio_settings(self, service: str) -> tuple[Setting, ...]:
        """The scenario's ratios for `service` as (ratio, scope, year), for `dashboard.ratios`."""
        return tuple(o.setting for o in self.ratios if o.service == service)

    def with_ratio(self, service: str, ratio: float | None, scope: str = ALL_YEARS,
                   year: int | None = None) -> Assumptions:
        """The scenario's ratio for `service` set as the planner sets it (`ratios.with_setting`);
        None: back to the dataset's milestones in every year."""
        others = tuple(o for o in self.ratios if o.service != service)
        if ratio is None:
            return replace(self, ratios=others)
        mine = with_setting(self.ratio_settings(service), ratio, scope, year)
        return replace(self, ratios=others + tuple(RatioOverride(service, *setting) for setting in mine))


@dataclass(frozen=True)
class View:
    """The assumptions and how they are shown. `service`, `year` and `level` read the assumptions'."""

    dataset: str  # the dataset's id (links carry ids, not folders)
    assumptions: Assumptions
    measure: str = DEFAULT_MEASURE
    lang: str = DEFAULT_LANGUAGE
    present: bool = False
    basemap: str = DEFAULT_BASEMAP
    scenario: str | None = None  # id of the saved scenario this view started from
    notices: tuple[str, ...] = field(default=(), compare=False)  # values of a link that were not used

    @property
    def service(self) -> str:
        return self.assumptions.service

    @property
    def year(self) -> int:
        return self.assumptions.year

    @property
    def level(self) -> str | None:
        return self.assumptions.level

    def with_assumptions(self, **changes) -> View:
        return replace(self, assumptions=replace(self.assumptions, **changes))
