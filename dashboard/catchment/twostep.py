"""Two-step floating catchment (2SFCA): the posts reachable from each district.

Step 1, per site j: R_j = S_j / Σ_k P_k·W_jk (posts per weighted resident of its catchment).
Step 2, per district i: Ist_i = P_i · Σ_j R_j·W_ji.
Both steps use the same W, so Σ_i Ist_i = Σ_j S_j: no post is created or lost. A site whose
catchment holds no residents (Σ_k P_k·W_jk = 0) cannot share its posts out by population; they
stay in the district it stands in, so the conservation holds in every case.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .weights import Weights


@dataclass(frozen=True)
class Reach:
    """Supply per district under a rule; arrays are (districts,) or (districts, years)."""

    located: np.ndarray  # posts of the sites standing in the district (plain sums)
    reachable: np.ndarray  # posts reachable from the district (2SFCA)
    per_resident: np.ndarray  # (sites, …) R_j; 0 for a site whose catchment has no residents
    unplaced: np.ndarray  # (sites, …) posts kept in the site's own district for want of residents


def _own_district_sum(weights: Weights, site_values: np.ndarray) -> np.ndarray:
    shape = (weights.n_districts, *site_values.shape[1:])
    out = np.zeros(shape)
    np.add.at(out, weights.home, site_values)
    return out


def reach(weights: Weights, population: np.ndarray, supply: np.ndarray) -> Reach:
    """Posts located in and reachable from each district.

    `population`: residents per district, (districts,) or (districts, years); `supply`: posts per
    site, (sites,) or (sites, years) — the year columns of both must match.
    """
    p = np.asarray(population, dtype=float)
    s = np.asarray(supply, dtype=float)
    demand = weights.per_site(p)
    served = demand > 0
    ratio = np.divide(s, demand, out=np.zeros_like(s), where=served)
    unplaced = np.where(served, 0.0, s)
    reachable = p * weights.per_district(ratio) + _own_district_sum(weights, unplaced)
    return Reach(_own_district_sum(weights, s), reachable, ratio, unplaced)


def spread(reached: np.ndarray, weight: np.ndarray, population: np.ndarray, home: int) -> np.ndarray:
    """What one post of a single site reaching `reached` with `weight` gives each district.

    Both steps for S_j = 1: R = 1 / Σ_k P_k·W_k, district i receives R·W_i·P_i. The result sums to
    1 (the post is conserved); without residents in reach the post stays in `home`, as in `reach`.
    Since 2SFCA is linear in a site's posts, δ posts there give δ times this.
    `population`: (districts,) or (districts, years); the result has its shape.
    """
    p = np.asarray(population, dtype=float)
    w = np.asarray(weight, dtype=float).reshape(-1, *([1] * (p.ndim - 1)))
    weighted = w * p[reached]
    demand = weighted.sum(axis=0)
    out = np.zeros_like(p)
    np.add.at(out, reached, np.divide(weighted, demand, out=np.zeros_like(weighted), where=demand > 0))
    out[home] += demand <= 0
    return out


@dataclass(frozen=True)
class Contributions:
    """What each site contributes to each district in one year: entry e gives `posts[e]` of site
    `site[e]` to district `district[e]`; Σ over a district's entries is its reachable posts."""

    site: np.ndarray
    district: np.ndarray
    posts: np.ndarray

    def to_district(self, district: int) -> list[tuple[int, float, float]]:
        """(site index, posts, share of the district's reachable posts), largest first."""
        mine = (self.district == district) & (self.posts > 0)
        total = self.posts[mine].sum()
        rows = [(int(j), float(v), float(v / total)) for j, v in zip(self.site[mine], self.posts[mine])]
        return sorted(rows, key=lambda r: (-r[1], r[0]))


def contributions(weights: Weights, population: np.ndarray, supply: np.ndarray) -> Contributions:
    """Per site and district, the posts of step 2 (R_j·W_ji·P_i), plus unplaced posts at home.

    `population` (districts,) and `supply` (sites,) for one year.
    """
    result = reach(weights, population, supply)
    p = np.asarray(population, dtype=float)
    posts = result.per_resident[weights.site] * weights.weight * p[weights.district]
    kept = np.flatnonzero(result.unplaced > 0)
    return Contributions(np.concatenate([weights.site, kept]),
                         np.concatenate([weights.district, weights.home[kept]]),
                         np.concatenate([posts, result.unplaced[kept]]))
