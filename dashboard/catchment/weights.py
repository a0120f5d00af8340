"""The attribution weights W (sites × districts), sparse: which districts a site's posts reach.

Built once per dataset and rule; every figure after that is a sparse product with it. Distances
are cut at a radius by plain numpy broadcasting, in chunks of sites so memory stays bounded, and
kept sorted (`Pairs`) so that a new radius only takes a prefix: at 401 districts this needs no
spatial index (and no scipy).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .points import Places
from .rule import CatchmentError, CatchmentRule, Issue

_EDGE = np.exp(-0.5)  # the Gaussian kernel's value at the radius, subtracted so W(d0) = 0
CHUNK_PAIRS = 1 << 20  # site-district distances held in memory at once


def decay_weights(distance_km: np.ndarray, rule: CatchmentRule) -> np.ndarray:
    """W(d) for a distance rule; 0 beyond the radius.

    Gaussian: (e^{-½(d/d0)²} − e^{-½}) / (1 − e^{-½}), 1 at the site, 0 at the radius.
    Steps: `rule.steps[k]` in the k-th equal band of the radius (bands closed at the outer edge).
    """
    d = np.asarray(distance_km, dtype=float)
    d0 = float(rule.radius_km)
    inside = d <= d0
    if rule.decay == "gaussian":
        w = (np.exp(-0.5 * (d / d0) ** 2) - _EDGE) / (1.0 - _EDGE)
    else:
        bands = len(rule.steps)
        band = np.clip(np.ceil(d * bands / d0).astype(int) - 1, 0, bands - 1)
        w = np.asarray(rule.steps, dtype=float)[band]
    return np.where(inside, np.maximum(w, 0.0), 0.0)


@dataclass(frozen=True)
class Weights:
    """W as coordinate lists: entry e says site `site[e]` reaches district `district[e]` with `weight[e]`."""

    n_sites: int
    n_districts: int
    site: np.ndarray
    district: np.ndarray
    weight: np.ndarray
    home: np.ndarray  # (sites,) the district each site stands in, where unplaced posts stay

    def per_site(self, district_values: np.ndarray) -> np.ndarray:
        """Σ_k W_jk·x_k for every site j (x: districts, or districts × years)."""
        return _segment_sum(self.site, self.weight, np.asarray(district_values, float)[self.district],
                            self.n_sites)

    def per_district(self, site_values: np.ndarray) -> np.ndarray:
        """Σ_j W_ji·y_j for every district i (y: sites, or sites × years)."""
        return _segment_sum(self.district, self.weight, np.asarray(site_values, float)[self.site],
                            self.n_districts)

    def dense(self) -> np.ndarray:
        """W as a full (sites × districts) array, for tests and small cases."""
        full = np.zeros((self.n_sites, self.n_districts))
        np.add.at(full, (self.site, self.district), self.weight)
        return full


def _segment_sum(index: np.ndarray, weight: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Σ weight·value per index; one bincount per year column (faster than np.add.at)."""
    if values.ndim == 1:
        return np.bincount(index, weights=weight * values, minlength=size)
    terms = weight[:, None] * values
    if terms.shape[1] == 0:
        return np.zeros((size, 0))
    return np.column_stack([np.bincount(index, weights=terms[:, c], minlength=size) for c in range(terms.shape[1])])


@dataclass(frozen=True)
class Pairs:
    """Site–district pairs no farther apart than `reach_km`, nearest first.

    Computed once per dataset; the weights for any radius up to `reach_km` then start from a
    prefix of these arrays, so moving the radius costs no distance computation.
    """

    reach_km: float
    site: np.ndarray
    district: np.ndarray
    distance: np.ndarray

    def within(self, radius_km: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        stop = np.searchsorted(self.distance, radius_km, side="right")
        return self.site[:stop], self.district[:stop], self.distance[:stop]


def near_pairs(places: Places, reach_km: float) -> Pairs:
    """All pairs within `reach_km`, by numpy broadcasting in chunks of sites (memory stays bounded)."""
    rows = max(1, CHUNK_PAIRS // max(1, places.n_districts))
    limit = reach_km ** 2
    sites, districts, squares = [np.array([], int)], [np.array([], int)], [np.array([], float)]
    for first in range(0, places.n_sites, rows):
        xy = places.site_xy[first:first + rows]
        dx = xy[:, None, 0] - places.district_xy[None, :, 0]
        dy = xy[:, None, 1] - places.district_xy[None, :, 1]
        square = dx * dx + dy * dy
        s, k = np.nonzero(square <= limit)
        sites.append(s + first)
        districts.append(k)
        squares.append(square[s, k])
    distance = np.sqrt(np.concatenate(squares))
    order = np.argsort(distance, kind="stable")
    return Pairs(float(reach_km), np.concatenate(sites)[order], np.concatenate(districts)[order], distance[order])


def build_weights(places: Places, rule: CatchmentRule, pairs: Pairs | None = None) -> Weights:
    """W for `rule`; a site with a declared `serves` set reaches exactly those districts, weight 1.

    `pairs` (from `near_pairs`, reaching at least the rule's radius) saves the distances.
    """
    if rule.kind == "distance":
        if pairs is None or pairs.reach_km < rule.radius_km:
            pairs = near_pairs(places, rule.radius_km)
        site, district, distance = pairs.within(rule.radius_km)
        weight = decay_weights(distance, rule)
        reached = weight > 0
        site, district, weight = site[reached], district[reached], weight[reached]
    elif rule.kind == "level":
        if rule.level not in places.groups:
            raise CatchmentError([Issue("unknown_level", {"value": str(rule.level), "known": ", ".join(places.groups)})])
        site, district = _same_group(places, places.groups[rule.level])
        weight = np.ones(len(site))
    else:
        site, district = np.arange(places.n_sites), places.site_district.copy()
        weight = np.ones(places.n_sites)
    declared = np.flatnonzero([s is not None for s in places.served])
    if len(declared):
        keep = ~np.isin(site, declared)
        listed = [places.served[j] for j in declared]
        site = np.concatenate([site[keep], np.repeat(declared, [len(d) for d in listed])])
        district = np.concatenate([district[keep], *listed])
        weight = np.concatenate([weight[keep], np.ones(len(site) - keep.sum())])
    return Weights(places.n_sites, places.n_districts, site.astype(int), district.astype(int), weight,
                   places.site_district)


def placed_weights(places: Places, rule: CatchmentRule, district: int) -> tuple[np.ndarray, np.ndarray]:
    """The districts a post placed in district `district` reaches under `rule`, and their weights.

    The post stands where a site of that district without coordinates and without a `serves`
    entry stands: at the district's reference point, the same point its residents are counted at
    (see `points`). So it gets exactly the weights such a site gets from `build_weights`.
    """
    if rule.kind == "distance":
        offset = places.district_xy - places.district_xy[district]
        weight = decay_weights(np.sqrt((offset * offset).sum(axis=1)), rule)
        reached = np.flatnonzero(weight > 0)
        return reached, weight[reached]
    if rule.kind == "level":
        if rule.level not in places.groups:
            raise CatchmentError([Issue("unknown_level", {"value": str(rule.level), "known": ", ".join(places.groups)})])
        codes = places.groups[rule.level]
        reached = np.flatnonzero(codes == codes[district])
        return reached, np.ones(len(reached))
    return np.array([district]), np.ones(1)


def _same_group(places: Places, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (site, district) with the district in the group of the site's own district."""
    by_group = np.argsort(codes, kind="stable")
    sorted_codes = codes[by_group]
    site_codes = codes[places.site_district]
    start = np.searchsorted(sorted_codes, site_codes, side="left")
    stop = np.searchsorted(sorted_codes, site_codes, side="right")
    counts = stop - start
    site = np.repeat(np.arange(places.n_sites), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    district = by_group[np.repeat(start, counts) + offsets]
    return site, district
