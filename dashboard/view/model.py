"""The model's types and the limits every medium shares (see the package docstring)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..dataset import Dataset
from ..i18n import DEFAULT_LANGUAGE
from ..measures import DEFAULT_MEASURE  # noqa: F401  (the model's default view shows it)

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
class Assumptions:
    service: str
    year: int
    population_rule: str = "60+"
    ratios: tuple[tuple[str, float], ...] = ()  # overrides of the milestone ratios, per service
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
        object.__setattr__(self, "ratios", tuple(sorted((str(k), float(v)) for k, v in self.ratios)))
        object.__setattr__(self, "fte_changes", tuple(self.fte_changes))

    @classmethod
    def defaults(cls, dataset: Dataset, **overrides) -> Assumptions:
        s = dataset.settings
        year = s.base_year if s.base_year in dataset.years else dataset.years[0]
        base = cls(service=next(iter(s.services)), year=year, population_rule=s.reference_population,
                   level=s.base_level)
        return replace(base, **overrides)

    def ratio_override(self, service: str) -> float | None:
        return dict(self.ratios).get(service)

    def with_ratio(self, service: str, ratio: float | None) -> Assumptions:
        ratios = {k: v for k, v in self.ratios if k != service}
        if ratio is not None:
            ratios[service] = float(ratio)
        return replace(self, ratios=tuple(ratios.items()))


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
