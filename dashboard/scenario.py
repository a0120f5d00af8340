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
from .catchment import OWN, Catchments, CatchmentRule, running_fte, serves_entries
from .catchment import parse_rule as parse_catchment
from .dataset import Dataset
from .kept import Kept
from .measures import LOW_COVERAGE, NO_FIGURES
from .ratios import ratio_ramp, scenario_ratio
from .view import ALL_SERVICES, Assumptions, FteChange, ScenarioError, check_assumptions, plan_distance
from .view.checks import check_rule, check_service

__all__ = ["ALL_SERVICES", "Assumptions", "Calculator", "CitySummary", "FteChange", "LOW_COVERAGE", "PLANNED_POSTS",
           "Result", "ScenarioError"]

PLANNED_POSTS = "(planned)"  # the site_id of the planned changes' line in `Calculator.serving`


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
    located_fte: float = 0.0  # posts of the sites standing in the units (ΣIst but for planned changes)
    surplus_fte: float = 0.0  # Σ max(0, Ist − Soll) over the areas
    balance_fte: float = 0.0  # ΣSoll − ΣIst, signed (= gross gap − surplus)
    units_without_figures: int = 0  # units left out of every sum above: their counts are not published


@dataclass
class Result:
    assumptions: Assumptions
    level: str
    table: pd.DataFrame  # index unit id; name, population, soll_fte, ist_fte, gap_fte, coverage, residents_per_fte, cost
    summary: CitySummary
    rules: tuple[tuple[str, CatchmentRule], ...] = ()  # the service-area rule used per service


class Calculator:
    """Figures for any assumptions on one dataset.

    Ist is the posts reachable from each district under the service-area rule (2SFCA, see
    `dashboard.catchment`); the posts located there are kept beside it. Both are computed for all
    years at once per rule, service and population rule and cached, so a ratio or year slider
    reads them from the cache.
    """

    KEPT_SUPPLY = 16  # (rule, service, population rule) supplies kept; a radius slider makes many
    KEPT_POSTS = 256  # one planned post's spread per rule, population rule, district (≤ 70 KB each at 401 × 22)

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self._population_cache: dict[str, pd.DataFrame] = {}
        self._fte_cache: dict[str, pd.DataFrame] = {}
        self._group_cache: dict[str, pd.Series] = {}
        self._name_cache: dict[str, pd.Series] = {}
        self._order_cache: dict[str, list[str]] = {}
        self._supply_cache: Kept[pd.DataFrame] = Kept(self.KEPT_SUPPLY)
        self._post_cache: Kept[np.ndarray] = Kept(self.KEPT_POSTS)  # (districts, years): one planned post's spread

    # -- inputs that do not move with the sliders -------------------------------------------
    @cached_property
    def _band_matrix(self) -> pd.DataFrame:
        """Population as (district, year) × age band."""
        table = self.dataset.population.pivot_table(index=["district_id", "year"], columns="age_band",
                                                    values="population", aggfunc="sum", fill_value=0.0)
        return table

    def reference_population(self, rule: str) -> pd.DataFrame:
        """Residents counted by `rule`, as district × year (a rule that does not fit the bands: ScenarioError)."""
        if rule not in self._population_cache:
            check_rule(self.dataset, rule)
            parsed = parse_rule(rule)
            weights = np.array([parsed.weight_of(parse_band(band)) for band in self._band_matrix.columns])
            values = self._band_matrix.to_numpy() @ weights
            frame = pd.Series(values, index=self._band_matrix.index).unstack("year")
            self._population_cache[rule] = frame.reindex(self.dataset.district_order).fillna(0.0)
        return self._population_cache[rule]

    def site_fte(self, service: str) -> pd.DataFrame:
        """FTE of the sites of `service` that count in each year, as district × year (posts located here)."""
        if service not in self._fte_cache:
            sites = self.dataset.sites[self.dataset.sites["service"] == service]
            per_site = pd.DataFrame(running_fte(sites, self.dataset.years), columns=list(self.dataset.years))
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
        """Residents per FTE for `service` in `year` (default: the view's): the scenario's ratio where
        its scope reaches, else the milestones."""
        milestones, between, settings = self._ratio_rule(a, service)
        return scenario_ratio(milestones, a.year if year is None else year, between, settings)

    def _ratio_rule(self, a: Assumptions, service: str) -> tuple:
        """The milestones, the rule between them, and the scenario's settings (ratio, scope, year)."""
        spec = self.dataset.settings.services[service]
        return spec.ratios, a.between_milestones or spec.between_milestones, a.ratio_settings(service)

    def ratio_ramp(self, a: Assumptions, service: str) -> list[tuple[int, float, bool]]:
        """The ratio of `service` where it steps over the dataset's years (`ratios.ratio_ramp`)."""
        milestones, between, settings = self._ratio_rule(a, service)
        return ratio_ramp(milestones, self.dataset.years, between, settings)

    # -- service areas ----------------------------------------------------------------------
    @cached_property
    def catchments(self) -> Catchments:
        """Places and weights of the dataset's sites (built on first use of a rule other than `own`)."""
        return Catchments.of(self.dataset)

    @cached_property
    def declares_serves(self) -> bool:
        """Whether any site names the districts it serves (then even `own` goes through the weights)."""
        return not serves_entries(self.dataset.sites).empty

    def rule(self, a: Assumptions, service: str) -> CatchmentRule:
        """The service-area rule for `service`: the view's where it sets one, else dataset.toml's."""
        spec = self.dataset.settings.services[service]
        token = a.catchment or spec.catchment.token
        if token != "distance":
            return spec.catchment if a.catchment is None else parse_catchment(token)
        base = spec.catchment if spec.catchment.kind == "distance" else plan_distance(self.dataset, service)
        return parse_catchment("distance", a.radius_km or base.radius_km, a.decay or base.decay)

    def reachable_fte(self, a: Assumptions, service: str) -> pd.DataFrame:
        """Posts of `service` reachable from each district under the view's rule, as district × year.

        Under `own` without declared `serves` entries these are exactly the posts located there.
        """
        rule = self.rule(a, service)
        if self.counts_where_placed(rule):
            return self.site_fte(service)
        def make():
            _, reachable = self.catchments.reach(rule, service, self.reference_population(a.population_rule))
            return reachable.reindex(self.dataset.district_order).fillna(0.0)
        return self._supply_cache.get((rule, service, a.population_rule), make)

    def serving(self, a: Assumptions, unit_id: str) -> pd.DataFrame:
        """The sites whose posts reach the unit `unit_id` (at the view's level) in the view's year, with
        the posts each gives it and its share of them: site_id, name, provider, service, posts, share
        (largest first). The scenario's planned changes that reach it are one line per service, site_id
        `PLANNED_POSTS` (no name, no provider)."""
        column = self.dataset.level_column(a.level or self.dataset.settings.base_level)
        groups = self._groups(column)
        districts = list(groups.index[groups == unit_id])
        population = self.reference_population(a.population_rule)[a.year]
        parts = [self.catchments.serving(self.rule(a, service), service, population, a.year, d).assign(service=service)
                 for service in self.services_of(a) for d in districts]
        rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["site_id", "service", "posts"])
        rows = rows.groupby(["site_id", "service"], as_index=False, sort=False)["posts"].sum()
        planned = [(PLANNED_POSTS, service, float(self.planned_fte(a, service, a.year).reindex(districts).sum()))
                   for service in self.services_of(a) if any(c.service == service for c in a.fte_changes)]
        planned = pd.DataFrame([p for p in planned if abs(p[2]) > metrics.FTE_EPSILON], columns=rows.columns)
        rows = pd.concat([rows, planned], ignore_index=True) if len(planned) else rows
        total = rows["posts"].sum()
        rows["share"] = rows["posts"] / total if total > 0 else 0.0
        names = self.dataset.sites.drop_duplicates("site_id").set_index("site_id")
        for field_name in ("name", "provider"):
            rows[field_name] = rows["site_id"].map(names[field_name]).fillna("") if field_name in names else ""
        rows = rows.sort_values(["posts", "site_id"], ascending=[False, True], ignore_index=True)
        return rows[["site_id", "name", "provider", "service", "posts", "share"]]

    # -- planned changes --------------------------------------------------------------------
    def counts_where_placed(self, rule: CatchmentRule) -> bool:
        """Whether posts count only where they stand: `own` without declared `serves` entries."""
        return rule == OWN and not self.declares_serves

    def added_post(self, rule: CatchmentRule, population_rule: str, district: str) -> np.ndarray:
        """One post placed in `district`, spread as a site there would spread it (independent of the service)."""
        return self._post_cache.get(("add", rule, population_rule, district), lambda: self.catchments.placed(
            rule, self.reference_population(population_rule), district))

    def _removed_post(self, rule: CatchmentRule, service: str, population_rule: str, district: str) -> np.ndarray:
        """One post taken from the sites standing in `district`, in proportion to their posts: what it gave
        each district (their reach per located post; 0 in a year without located posts)."""
        def make():
            located, reachable = self.catchments.from_district(rule, service, self.reference_population(population_rule),
                                                               district)
            return np.divide(reachable, located, out=np.zeros_like(reachable), where=located > 0)
        return self._post_cache.get(("remove", rule, service, population_rule, district), make)

    def _net_changes(self, a: Assumptions, service: str, year: int) -> dict[str, float]:
        """Planned change of posts per district by `year` (changes from earlier years stay), in district order."""
        net: dict[str, float] = {}
        for change in a.fte_changes:
            if change.service == service and change.year_from <= year:
                net[change.district_id] = net.get(change.district_id, 0.0) + change.delta_fte
        return dict(sorted(net.items(), key=lambda item: self._position[item[0]]))

    def planned_fte(self, a: Assumptions, service: str, year: int) -> pd.Series:
        """Posts the scenario's planned changes give each district in `year` (negative: take away).

        A planned change at district D is posts placed at D: an addition is spread by 2SFCA exactly as the
        posts of a new site in D (standing at D's reference point, without a `serves` entry) would be; a
        removal takes posts of the sites standing in D, with the reach they had. Under `own` (without
        `serves` entries) both count in D only. No district can lose more posts than stand there
        (located, not reachable): ScenarioError. 2SFCA is linear in a site's posts, so one post's
        spread per (rule, population rule, district) is cached and scaled by the change.
        """
        return pd.Series(self._planned(a, service, year), index=self.dataset.district_order)

    @cached_property
    def _position(self) -> dict[str, int]:
        return {d: i for i, d in enumerate(self.dataset.district_order)}

    def _planned(self, a: Assumptions, service: str, year: int) -> np.ndarray:
        rule = self.rule(a, service)
        located_frame = self.site_fte(service)
        located = located_frame.to_numpy()[:, located_frame.columns.get_loc(year)]
        column = self.reference_population(a.population_rule).columns.get_loc(year)
        out = np.zeros(len(located))
        for district, delta in self._net_changes(a, service, year).items():
            at = self._position[district]
            if located[at] + delta < -metrics.FTE_EPSILON:
                raise ScenarioError("change_removes_too_much", removed=-delta, service=service, district=district,
                                    year=year, have=float(located[at]))
            if self.counts_where_placed(rule):
                out[at] += delta
            elif delta > 0:
                out += delta * self.added_post(rule, a.population_rule, district)[:, column]
            elif delta < 0:
                out += delta * self._removed_post(rule, service, a.population_rule, district)[:, column]
        return out

    def ist(self, a: Assumptions, service: str, year: int) -> pd.Series:
        """FTE reachable from each district, plus the scenario's planned changes (`planned_fte`): under a
        service-area rule spread like a site's posts, under `own` counted where planned."""
        reachable = self.reachable_fte(a, service)[year]
        if not any(c.service == service and c.year_from <= year for c in a.fte_changes):
            return reachable.copy()
        fte = reachable.to_numpy() + self._planned(a, service, year)
        fte[np.abs(fte) < metrics.FTE_EPSILON] = 0.0  # rounding residue of a removal of every post
        return pd.Series(fte, index=reachable.index, name=year)

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
        located = pd.Series(0.0, index=population.index)
        ratios, rules = [], []
        for service in self.services_of(a):
            r = self.ratio(a_year, service)
            ratios.append((service, r))
            rules.append((service, self.rule(a_year, service)))
            soll += metrics.required_fte(population, r)
            ist += self.ist(a_year, service, year)
            located += self.site_fte(service)[year]
        groups = self._groups(column)
        population, soll, ist, located = self._without_figures(column, groups, population, soll, ist, located)
        fte_cost = metrics.cost_per_fte(s.fte_cost_eur if a.fte_cost_eur is None else a.fte_cost_eur, year,
                                        s.base_year, s.wage_growth if a.wage_growth is None else a.wage_growth)
        table = metrics.metrics_table(population, soll, ist, fte_cost, located)
        table.insert(0, "name", self._names(column).reindex(table.index))
        table = table.loc[self._unit_order(column)]
        table[NO_FIGURES] = table["population"].isna()
        counted = table[~table[NO_FIGURES]]  # city totals: the units with figures only
        gross = metrics.gross_gap(counted["gap_fte"])
        net = metrics.net_gap(counted["soll_fte"], counted["ist_fte"])
        total_soll, total_ist = float(counted["soll_fte"].sum()), float(counted["ist_fte"].sum())
        summary = CitySummary(
            year=year, population=float(counted["population"].sum()), soll_fte=total_soll, ist_fte=total_ist,
            gross_gap_fte=gross, net_gap_fte=net,
            coverage=total_ist / total_soll if total_soll > 0 else float("nan"),
            fte_cost_eur=fte_cost, gross_cost_eur=gross * fte_cost, net_cost_eur=net * fte_cost,
            units=len(table), units_below_75=int((table["coverage"] < LOW_COVERAGE).sum()),
            ratios=tuple(ratios), population_status=self.dataset.year_status(year),
            located_fte=float(counted["located_fte"].sum()),
            surplus_fte=metrics.surplus(counted["gap_fte"]),
            balance_fte=metrics.balance(counted["soll_fte"], counted["ist_fte"]),
            units_without_figures=len(table) - len(counted),
        )
        return Result(a_year, level, table, summary, tuple(rules))

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

    # -- areas without figures -------------------------------------------------------------
    def _without_figures(self, column: str, groups: pd.Series, *series: pd.Series) -> list[pd.Series]:
        """Population, Soll, Ist and located posts per unit of the level. An area without figures has no
        population and no Soll (NaN: every figure from them is undefined, never 0); its posts are still
        shown. A coarser unit sums its areas with figures only; one with none of them has no figures."""
        missing = pd.Series(groups.index.isin(self.dataset.no_figures), index=groups.index)
        if not missing.any():
            return [self._sum_by(column, x) for x in series]
        if column == "district_id":
            population, soll, *rest = series
            return [population.mask(missing), soll.mask(missing), *rest]
        return [x.mask(missing).groupby(groups).sum(min_count=1) for x in series]

    # -- levels ---------------------------------------------------------------------------
    def _groups(self, column: str) -> pd.Series:
        if column not in self._group_cache:
            d = self.dataset.districts.set_index("district_id")
            self._group_cache[column] = pd.Series(d.index if column == "district_id" else d[column].to_numpy(),
                                                  index=d.index)
        return self._group_cache[column]

    def _sum_by(self, column: str, values: pd.Series) -> pd.Series:
        """Each district's `values` summed per unit of the level `column` (a missing value counts 0, as in
        a sum). At the districts' own level each district is its unit: no grouping (the slider's usual case)."""
        if column == "district_id" and values.index.is_unique:
            return values.fillna(0)
        return values.groupby(self._groups(column)).sum()

    # the names and order of a level's units: fixed with the dataset, so made once (each move reads them)
    def _names(self, column: str) -> pd.Series:
        if column not in self._name_cache:
            d = self.dataset.districts
            if column == "district_id":
                self._name_cache[column] = d.set_index("district_id")["name"]
            else:
                values = d[column].drop_duplicates()
                self._name_cache[column] = pd.Series(values.to_numpy(), index=values.to_numpy())
        return self._name_cache[column]

    def _unit_order(self, column: str) -> list[str]:
        if column not in self._order_cache:
            d = self.dataset.districts
            self._order_cache[column] = list(d["district_id"]) if column == "district_id" else sorted(d[column].unique())
        return list(self._order_cache[column])
