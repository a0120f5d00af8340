"""Service areas for one loaded dataset: places indexed once, weights cached per rule.

The expensive parts (projecting points, building W) happen once per dataset and rule; a ratio or
year slider then only multiplies the cached W with a population and a supply vector.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..kept import Kept
from .points import Places, build_places
from .rule import CatchmentError, CatchmentRule, Issue
from .serves import DistrictGroups, parse_serves
from .twostep import Reach, contributions, reach, spread
from .weights import Pairs, Weights, build_weights, near_pairs, placed_weights

SERVES_COLUMN = "serves"


def serves_issues(values: pd.Series, table: DistrictGroups) -> list[tuple[int, Issue]]:
    """Every fault in a `serves` column, with the row number a spreadsheet shows (header = row 1)."""
    found = []
    for position, value in enumerate(values):
        try:
            parse_serves(value, table)
        except CatchmentError as exc:
            found += [(position + 2, issue) for issue in exc.issues]
    return found


def serves_entries(sites: pd.DataFrame) -> pd.DataFrame:
    """site_id and `serves` of the rows of services.csv with a non-empty `serves` entry."""
    if SERVES_COLUMN not in sites.columns:
        return pd.DataFrame(columns=["site_id", SERVES_COLUMN])
    return sites.loc[sites[SERVES_COLUMN].fillna("").astype(str).str.strip() != "", ["site_id", SERVES_COLUMN]]


def declared_serves(sites: pd.DataFrame, table: DistrictGroups) -> dict[str, frozenset[str] | None]:
    """site_id -> the districts its `serves` entry names (first non-empty entry of the site)."""
    first = serves_entries(sites).drop_duplicates("site_id")
    return {str(s): parse_serves(v, table) for s, v in zip(first["site_id"], first[SERVES_COLUMN])}


def running_fte(rows: pd.DataFrame, years) -> np.ndarray:
    """(rows, years) FTE of each row of services.csv in each year: a row runs from year_from to year_to."""
    year = np.asarray(years, dtype=float)[None, :]
    start = rows["year_from"].to_numpy(dtype=float)[:, None]
    end = rows["year_to"].astype("Float64").fillna(np.inf).to_numpy(dtype=float)[:, None]
    return ((start <= year) & (year <= end)) * rows["fte"].to_numpy(dtype=float)[:, None]


def site_supply(sites: pd.DataFrame, site_ids: tuple[str, ...], service: str, years: list[int]) -> np.ndarray:
    """Posts of `service` per site (rows in `site_ids` order) and year: rows running that year."""
    rows = sites[sites["service"] == service]
    per_row = running_fte(rows, years)
    frame = pd.DataFrame(per_row, columns=years).groupby(rows["site_id"].astype(str).to_numpy()).sum()
    return frame.reindex(list(site_ids)).fillna(0.0).to_numpy()


class Catchments:
    """Weights and reach for one dataset; `weights(rule)` is computed once per rule.

    Distances are computed once, for twice the largest radius asked so far, so that moving the
    radius slider only re-weights a prefix of them (see `weights.Pairs`).
    """

    KEPT_RULES = 32  # weights kept for the rules used last (a radius slider makes many)

    def __init__(self, places: Places, sites: pd.DataFrame):
        self.places = places
        self.sites = sites
        self._weights: Kept[Weights] = Kept(self.KEPT_RULES)
        self._pairs: Pairs | None = None
        self._supply: dict[tuple[str, tuple[int, ...]], np.ndarray] = {}

    @classmethod
    def of(cls, dataset, weighted_points=None) -> "Catchments":
        """For a loaded `dashboard.dataset.Dataset` (not imported: the dataset's validation imports this package)."""
        settings = dataset.settings
        table = DistrictGroups.from_table(dataset.districts, settings.levels)
        places = build_places(dataset.districts, dataset.sites, settings.levels,
                              served=declared_serves(dataset.sites, table), weighted_points=weighted_points,
                              base_level=settings.base_level)
        return cls(places, dataset.sites)

    def weights(self, rule: CatchmentRule) -> Weights:
        return self._weights.get(rule, lambda: build_weights(self.places, rule, self._pairs_for(rule)))

    def _pairs_for(self, rule: CatchmentRule) -> Pairs | None:
        """The near pairs, measured anew (to twice the radius) when `rule` reaches further than any before."""
        if rule.kind == "distance" and (self._pairs is None or self._pairs.reach_km < rule.radius_km):
            self._pairs = near_pairs(self.places, 2 * rule.radius_km)
        return self._pairs

    def supply(self, service: str, years: list[int]) -> np.ndarray:
        """Posts of `service` per site and year (cached: sites do not move with the sliders)."""
        key = (service, tuple(int(y) for y in years))
        if key not in self._supply:
            self._supply[key] = site_supply(self.sites, self.places.site_ids, service, list(key[1]))
        return self._supply[key]

    def reach(self, rule: CatchmentRule, service: str, population: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Posts located in and reachable from each district, as district × year frames.

        `population`: reference residents as district × year (rows in any order, all districts).
        """
        years = [int(y) for y in population.columns]
        ids = list(self.places.district_ids)
        result: Reach = reach(self.weights(rule), self.in_place_order(population), self.supply(service, years))
        index = pd.Index(ids, name="district_id")
        return (pd.DataFrame(result.located, index=index, columns=years),
                pd.DataFrame(result.reachable, index=index, columns=years))

    def in_place_order(self, population: pd.DataFrame | pd.Series) -> np.ndarray:
        """Residents per district in the order of `places.district_ids` (the rows W indexes), 0 where missing."""
        return population.reindex(list(self.places.district_ids)).fillna(0.0).to_numpy(dtype=float)

    def placed(self, rule: CatchmentRule, population: pd.DataFrame, district_id: str) -> np.ndarray:
        """(districts, years) what one post placed in `district_id` (a planned change) gives each district.

        The post stands at the district's point, reaching what a site there without coordinates or
        `serves` entry reaches (`weights.placed_weights`); each column sums to 1.
        `population`: reference residents as district × year.
        """
        home = self.places.district_ids.index(district_id)
        reached, weight = placed_weights(self.places, rule, home)
        return spread(reached, weight, self.in_place_order(population), home)

    def from_district(self, rule: CatchmentRule, service: str, population: pd.DataFrame,
                      district_id: str) -> tuple[np.ndarray, np.ndarray]:
        """The posts of the sites standing in `district_id`: (years,) located there and (districts, years)
        reachable from them (by their own points and `serves` entries). A planned removal takes these."""
        home = self.places.district_ids.index(district_id)
        years = [int(y) for y in population.columns]
        mine = np.flatnonzero(self.places.site_district == home)
        weights = self.weights(rule)
        entries = np.isin(weights.site, mine)  # only these sites' weights: a few entries instead of all
        local = Weights(len(mine), weights.n_districts, np.searchsorted(mine, weights.site[entries]),
                        weights.district[entries], weights.weight[entries], weights.home[mine])
        result = reach(local, self.in_place_order(population), self.supply(service, years)[mine])
        return result.located[home], result.reachable

    def serving(self, rule: CatchmentRule, service: str, population: pd.Series, year: int,
                district_id: str) -> pd.DataFrame:
        """The sites whose posts reach `district_id` in `year`: site_id, posts, share (largest first).

        `population`: reference residents per district in `year`.
        """
        p = self.in_place_order(population)
        s = self.supply(service, [year])[:, 0]
        parts = contributions(self.weights(rule), p, s)
        rows = parts.to_district(self.places.district_ids.index(district_id))
        return pd.DataFrame([(self.places.site_ids[j], posts, share) for j, posts, share in rows],
                            columns=["site_id", "posts", "share"])
