"""Assumptions of a scenario and the calculator that turns them into district and city figures.

`Assumptions` (defined in `dashboard.view` with the view around it) carries every choice a user
makes; `dashboard.view.checks` validates it against the dataset, here before every computation.
`Calculator` caches what does not depend on the sliders (reference population per rule, FTE per
service and year), so moving a slider costs a few vectorised operations on arrays of districts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from . import metrics
from .agebands import parse_band, parse_rule
from .dataset import Dataset
from .measures import LOW_COVERAGE
from .ratios import ratio_for_year
from .view import ALL_SERVICES, Assumptions, FteChange, ScenarioError, check_assumptions
from .view.checks import check_service

__all__ = ["ALL_SERVICES", "Assumptions", "Calculator", "CitySummary", "FteChange", "LOW_COVERAGE", "Result",
           "ScenarioError"]


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
    surplus_fte: float = 0.0  # Σ max(0, Ist − Soll) over the areas
    balance_fte: float = 0.0  # ΣSoll − ΣIst, signed (= gross gap − surplus)


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
            weights = np.array([self._weight(rule, band) for band in self._band_matrix.columns])
            values = self._band_matrix.to_numpy() @ weights
            frame = pd.Series(values, index=self._band_matrix.index).unstack("year")
            self._population_cache[rule] = frame.reindex(self.dataset.district_order).fillna(0.0)
        return self._population_cache[rule]

    @staticmethod
    def _weight(rule: str, band: str) -> float:
        try:
            return parse_rule(rule).weight_of(parse_band(band))
        except ValueError:  # the rule is checked before: the band straddles one of its limits
            raise ScenarioError("rule_straddles", band=band, rule=rule) from None

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
        check_service(self.dataset, a.service)
        if a.service == ALL_SERVICES:
            return list(self.dataset.settings.services)
        return [a.service]

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
            raise ScenarioError("change_removes_too_much", removed=float(have - negative.iloc[0]), service=service,
                                district=d, year=year, have=float(have))
        return fte

    def compute(self, a: Assumptions, year: int | None = None) -> Result:
        year = a.year if year is None else year
        a_year = replace(a, year=year)
        check_assumptions(self.dataset, a_year)  # the one check every medium shares
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
            surplus_fte=metrics.surplus(table["gap_fte"]), balance_fte=metrics.balance(table["soll_fte"], table["ist_fte"]),
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
                             "gap_fte": s.balance_fte, "gross_gap_fte": s.gross_gap_fte,
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
