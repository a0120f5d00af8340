"""Assumptions of a scenario and the calculator that turns them into district and city figures.

`Assumptions` carries every choice a user makes (service, year, population rule, ratios,
milestone rule, costs, planned FTE changes, level); it is validated once against a dataset.
`Calculator` caches what does not depend on the sliders (reference population per rule, FTE per
service and year), so moving a slider costs a few vectorised operations on arrays of districts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import pandas as pd

from . import metrics
from .agebands import parse_band, parse_rule
from .dataset import Dataset
from .ratios import ratio_for_year

ALL_SERVICES = "all"
LOW_COVERAGE = 0.75  # the summary counts districts below this coverage


class ScenarioError(ValueError):
    """Assumptions that do not fit the dataset (unknown service, year, district …)."""


@dataclass(frozen=True)
class FteChange:
    """Add (delta > 0) or remove (delta < 0) FTE of a service in a district from a year on."""

    district_id: str
    service: str
    year_from: int
    delta_fte: float
    note: str = ""


@dataclass(frozen=True)
class Assumptions:
    service: str
    year: int
    population_rule: str = "60+"
    ratios: tuple[tuple[str, float], ...] = ()  # overrides of the milestone ratios, per service
    between_milestones: str | None = None  # None: each service's own rule from dataset.toml
    fte_cost_eur: float | None = None  # None: the dataset's cost
    wage_growth: float | None = None
    fte_changes: tuple[FteChange, ...] = ()
    level: str | None = None  # None: the finest level

    @classmethod
    def defaults(cls, dataset: Dataset, **overrides) -> Assumptions:
        s = dataset.settings
        year = s.base_year if s.base_year in dataset.years else dataset.years[0]
        base = cls(service=next(iter(s.services)), year=year, population_rule=s.reference_population)
        return replace(base, **overrides)

    def ratio_override(self, service: str) -> float | None:
        return dict(self.ratios).get(service)

    def with_ratio(self, service: str, ratio: float | None) -> Assumptions:
        ratios = {k: v for k, v in self.ratios if k != service}
        if ratio is not None:
            ratios[service] = float(ratio)
        return replace(self, ratios=tuple(sorted(ratios.items())))


@dataclass(frozen=True)
class CitySummary:
    year: int
    population: float
    soll_fte: float
    ist_fte: float
    gross_gap_fte: float
    net_gap_fte: float
    coverage: float  # ΣIst / ΣSoll
    fte_cost_eur: float  # cost of one FTE in this year
    gross_cost_eur: float  # yearly cost of closing the gross gap
    net_cost_eur: float
    units: int
    units_below_75: int
    ratios: tuple[tuple[str, float], ...]  # ratio used per service
    population_status: str  # observed | forecast | estimate


@dataclass
class Result:
    assumptions: Assumptions
    level: str
    table: pd.DataFrame  # index unit id; name, population, soll_fte, ist_fte, gap_fte, coverage, residents_per_fte, cost
    summary: CitySummary


class Calculator:
    """Figures for any assumptions on one dataset."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self._population_cache: dict[str, pd.DataFrame] = {}
        self._fte_cache: dict[str, pd.DataFrame] = {}
        self._group_cache: dict[str, pd.Series] = {}

    # -- inputs that do not move with the sliders -------------------------------------------
    @cached_property
    def _band_matrix(self) -> pd.DataFrame:
        """Population as (district, year) × age band."""
        table = self.dataset.population.pivot_table(index=["district_id", "year"], columns="age_band",
                                                    values="population", aggfunc="sum", fill_value=0.0)
        return table

    def reference_population(self, rule: str) -> pd.DataFrame:
        """Residents counted by `rule`, as district × year."""
        if rule not in self._population_cache:
            try:
                parsed = parse_rule(rule)
                weights = np.array([parsed.weight_of(parse_band(b)) for b in self._band_matrix.columns])
            except ValueError as exc:
                raise ScenarioError(str(exc)) from exc
            values = self._band_matrix.to_numpy() @ weights
            frame = pd.Series(values, index=self._band_matrix.index).unstack("year")
            self._population_cache[rule] = frame.reindex(self.dataset.district_order).fillna(0.0)
        return self._population_cache[rule]

    def site_fte(self, service: str) -> pd.DataFrame:
        """FTE of the sites of `service` that count in each year, as district × year."""
        if service not in self._fte_cache:
            sites = self.dataset.sites[self.dataset.sites["service"] == service]
            years = np.array(self.dataset.years)
            start = sites["year_from"].to_numpy(dtype=float)[:, None]
            end = sites["year_to"].astype("Float64").fillna(np.inf).to_numpy(dtype=float)[:, None]
            active = (start <= years[None, :]) & (years[None, :] <= end)
            per_site = pd.DataFrame(active * sites["fte"].to_numpy()[:, None], columns=years)
            per_site["district_id"] = sites["district_id"].to_numpy()
            frame = per_site.groupby("district_id").sum()
            self._fte_cache[service] = frame.reindex(self.dataset.district_order).fillna(0.0)
        return self._fte_cache[service]

    # -- checks ---------------------------------------------------------------------------
    def services_of(self, a: Assumptions) -> list[str]:
        if a.service == ALL_SERVICES:
            return list(self.dataset.settings.services)
        if a.service not in self.dataset.settings.services:
            raise ScenarioError(f"unknown service '{a.service}'; this dataset has "
                                f"{', '.join(self.dataset.settings.services)} or '{ALL_SERVICES}'")
        return [a.service]

    def _check(self, a: Assumptions) -> None:
        if a.year not in self.dataset.years:
            raise ScenarioError(f"no population for {a.year}; the dataset covers "
                                f"{self.dataset.years[0]}–{self.dataset.years[-1]}")
        for service, ratio in a.ratios:
            if service not in self.dataset.settings.services:
                raise ScenarioError(f"a ratio is set for unknown service '{service}'")
            if not ratio > 0:
                raise ScenarioError(f"the ratio for {service} must be above 0 residents per FTE")
        if a.between_milestones not in (None, "hold", "linear"):
            raise ScenarioError("the between-milestones rule must be 'hold' or 'linear'")
        if a.fte_cost_eur is not None and a.fte_cost_eur < 0:
            raise ScenarioError("the cost per FTE cannot be negative")
        known = set(self.dataset.district_order)
        for change in a.fte_changes:
            if change.district_id not in known:
                raise ScenarioError(f"planned change names unknown district '{change.district_id}'")
            if change.service not in self.dataset.settings.services:
                raise ScenarioError(f"planned change names unknown service '{change.service}'")

    # -- the figures ----------------------------------------------------------------------
    def ratio(self, a: Assumptions, service: str, year: int | None = None) -> float:
        """Residents per FTE for `service`: the slider's value, else the milestones."""
        override = a.ratio_override(service)
        if override is not None:
            return override
        spec = self.dataset.settings.services[service]
        return ratio_for_year(spec.ratios, a.year if year is None else year,
                              a.between_milestones or spec.between_milestones)

    def ist(self, a: Assumptions, service: str, year: int) -> pd.Series:
        """FTE in each district: the sites' FTE plus the scenario's planned changes."""
        fte = self.site_fte(service)[year].copy()
        for change in a.fte_changes:
            if change.service == service and change.year_from <= year:
                fte[change.district_id] += change.delta_fte
        negative = fte[fte < -1e-9]
        if len(negative):
            d = negative.index[0]
            have = self.site_fte(service).at[d, year]
            raise ScenarioError(f"the planned changes remove {have - negative.iloc[0]:.2f} {service} FTE from "
                                f"district {d} in {year}, which has only {have:.2f}")
        return fte

    def compute(self, a: Assumptions, year: int | None = None) -> Result:
        year = a.year if year is None else year
        a_year = replace(a, year=year)
        self._check(a_year)
        s = self.dataset.settings
        level = a.level or s.base_level
        column = self.dataset.level_column(level)
        population = self.reference_population(a.population_rule)[year]
        soll = pd.Series(0.0, index=population.index)
        ist = pd.Series(0.0, index=population.index)
        ratios = []
        for service in self.services_of(a):
            r = self.ratio(a_year, service)
            ratios.append((service, r))
            soll += metrics.required_fte(population, r)
            ist += self.ist(a_year, service, year)
        groups = self._groups(column)
        population, soll, ist = (x.groupby(groups).sum() for x in (population, soll, ist))
        fte_cost = metrics.cost_per_fte(s.fte_cost_eur if a.fte_cost_eur is None else a.fte_cost_eur, year,
                                        s.base_year, s.wage_growth if a.wage_growth is None else a.wage_growth)
        table = metrics.metrics_table(population, soll, ist, fte_cost)
        table.insert(0, "name", self._names(column).reindex(table.index))
        table = table.loc[self._unit_order(column)]
        gross = metrics.gross_gap(table["gap_fte"])
        net = metrics.net_gap(table["soll_fte"], table["ist_fte"])
        total_soll, total_ist = float(table["soll_fte"].sum()), float(table["ist_fte"].sum())
        summary = CitySummary(
            year=year, population=float(table["population"].sum()), soll_fte=total_soll, ist_fte=total_ist,
            gross_gap_fte=gross, net_gap_fte=net,
            coverage=total_ist / total_soll if total_soll > 0 else float("nan"),
            fte_cost_eur=fte_cost, gross_cost_eur=gross * fte_cost, net_cost_eur=net * fte_cost,
            units=len(table), units_below_75=int((table["coverage"] < LOW_COVERAGE).sum()),
            ratios=tuple(ratios), population_status=self.dataset.year_status(year),
        )
        return Result(a_year, level, table, summary)

    def trend(self, a: Assumptions, unit_id: str | None = None) -> pd.DataFrame:
        """Soll, Ist and gap per year for the city (unit_id None) or one unit at the assumptions' level."""
        rows = []
        for year in self.dataset.years:
            result = self.compute(a, year)
            if unit_id is None:
                s = result.summary
                rows.append({"year": year, "population": s.population, "soll_fte": s.soll_fte, "ist_fte": s.ist_fte,
                             "gap_fte": s.soll_fte - s.ist_fte, "gross_gap_fte": s.gross_gap_fte,
                             "cost": s.gross_cost_eur, "status": s.population_status})
            else:
                row = result.table.loc[unit_id]
                rows.append({"year": year, "population": row["population"], "soll_fte": row["soll_fte"],
                             "ist_fte": row["ist_fte"], "gap_fte": row["gap_fte"], "cost": row["cost"],
                             "status": result.summary.population_status})
        return pd.DataFrame(rows)

    # -- levels ---------------------------------------------------------------------------
    def _groups(self, column: str) -> pd.Series:
        if column not in self._group_cache:
            d = self.dataset.districts.set_index("district_id")
            self._group_cache[column] = pd.Series(d.index if column == "district_id" else d[column].to_numpy(),
                                                  index=d.index)
        return self._group_cache[column]

    def _names(self, column: str) -> pd.Series:
        d = self.dataset.districts
        if column == "district_id":
            return d.set_index("district_id")["name"]
        values = d[column].drop_duplicates()
        return pd.Series(values.to_numpy(), index=values.to_numpy())

    def _unit_order(self, column: str) -> list[str]:
        d = self.dataset.districts
        return list(d["district_id"]) if column == "district_id" else sorted(d[column].unique())
