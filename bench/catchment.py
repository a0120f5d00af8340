"""Service areas at 401 districts: build the weights once, then what a radius change and a slider move cost.

    python -m bench.catchment [--dataset deutschland] [--radius 30] [--repeats 20]

Prints the median time to index the places and to compute the sorted site–district distances (both
once per dataset), a radius change (new W from those distances plus the reachable posts of every
year), the same without the cached distances and through `Catchments.reach` (pandas frames in and
out, as the calculator will call it), and the slider path (the mat-vec with a cached W for
one year). The radius change is repeated with synthetic sites (about as many as Germany has care
homes, 11,000) to show that the numpy cut-off needs no spatial index.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

import numpy as np
import pandas as pd

from dashboard.catchment import Catchments, CatchmentRule, Places, build_weights, near_pairs, reach, site_supply
from dashboard.dataset import load_dataset
from dashboard.scenario import Assumptions, Calculator

TARGET_RADIUS_MS = 50.0


def _median_ms(call, repeats: int) -> float:
    call()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench(dataset_id: str = "deutschland", radius_km: float = 30.0, repeats: int = 20) -> dict[str, float]:
    dataset = load_dataset(dataset_id)
    service = next(iter(dataset.settings.services))
    aged = Calculator(dataset).reference_population(dataset.settings.reference_population)
    start = time.perf_counter()
    areas = Catchments.of(dataset)
    places_ms = (time.perf_counter() - start) * 1000
    places = areas.places
    population = aged.reindex(list(places.district_ids)).fillna(0.0).to_numpy()
    supply = site_supply(dataset.sites, places.site_ids, service, [int(y) for y in aged.columns])
    radii = iter(np.linspace(radius_km * 0.5, radius_km * 1.5, 10_000))
    start = time.perf_counter()
    pairs = near_pairs(places, 2 * radius_km)
    pairs_ms = (time.perf_counter() - start) * 1000

    def radius_change(cached=True):
        rule = CatchmentRule("distance", radius_km=float(next(radii)), decay="gaussian")
        return reach(build_weights(places, rule, pairs if cached else None), population, supply)

    weights = build_weights(places, CatchmentRule("distance", radius_km=radius_km, decay="gaussian"), pairs)
    year = population.shape[1] // 2
    figures = {
        "districts": places.n_districts, "sites": places.n_sites, "years": population.shape[1],
        "entries": len(weights.weight), "places_ms": places_ms, "pairs_ms": pairs_ms,
        "radius_change_ms": _median_ms(radius_change, repeats),
        "radius_change_uncached_ms": _median_ms(lambda: radius_change(cached=False), repeats),
        "radius_change_frames_ms": _median_ms(
            lambda: areas.reach(CatchmentRule("distance", radius_km=float(next(radii))), service, aged), repeats),
        "slider_ms": _median_ms(lambda: reach(weights, population[:, year], supply[:, year]), repeats),
    }
    figures.update(_synthetic(places, radius_km, repeats))
    figures.update(_through_calculator(dataset, radius_km, repeats))
    return figures


def _through_calculator(dataset, radius_km: float, repeats: int) -> dict[str, float]:
    """What the app's slider path costs under a distance rule: `Calculator.compute` for a new radius
    (weights, reachable posts of every year, the figures) and for a ratio move with the rule cached."""
    calc = Calculator(dataset)
    a = Assumptions.defaults(dataset, catchment="distance", radius_km=radius_km)
    service = next(iter(dataset.settings.services))
    radii = iter(np.linspace(radius_km * 0.5, radius_km * 1.5, 10_000))
    ratios = iter(np.linspace(0.5, 1.5, 10_000) * calc.ratio(a, service))
    return {"compute_radius_change_ms": _median_ms(
                lambda: calc.compute(replace(a, radius_km=float(next(radii)))), repeats),
            "compute_slider_ms": _median_ms(lambda: calc.compute(a.with_ratio(service, float(next(ratios)))),
                                            repeats),
            "compute_slider_own_ms": _median_ms(
                lambda: calc.compute(replace(a, catchment="own").with_ratio(service, float(next(ratios)))), repeats)}


def _synthetic(places: Places, radius_km: float, repeats: int, sites: int = 11_000) -> dict[str, float]:
    """As many sites as Germany has care homes, scattered around the district points."""
    rng = np.random.default_rng(1)
    home = rng.integers(0, places.n_districts, sites)
    many = Places(places.district_ids, places.district_xy, tuple(f"x{j}" for j in range(sites)), home,
                  places.district_xy[home] + rng.normal(0, 8, (sites, 2)), (None,) * sites, places.groups)
    population = np.ones(places.n_districts)
    supply = np.ones(sites)
    start = time.perf_counter()
    pairs = near_pairs(many, 2 * radius_km)
    pairs_ms = (time.perf_counter() - start) * 1000
    radii = iter(np.linspace(radius_km * 0.5, radius_km * 1.5, 10_000))

    def radius_change():
        rule = CatchmentRule("distance", radius_km=float(next(radii)), decay="gaussian")
        return reach(build_weights(many, rule, pairs), population, supply)

    return {"synthetic_sites": sites, "synthetic_pairs_ms": pairs_ms,
            "synthetic_radius_change_ms": _median_ms(radius_change, max(3, repeats // 4))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="deutschland")
    parser.add_argument("--radius", type=float, default=30.0)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    figures = bench(args.dataset, args.radius, args.repeats)
    print(f"{figures['districts']} districts, {figures['sites']} sites, {figures['entries']} weights "
          f"within {args.radius:g} km")
    print(f"index places (once per dataset)            {figures['places_ms']:8.1f} ms")
    print(f"sorted distances within {2 * args.radius:g} km (once)      {figures['pairs_ms']:8.1f} ms")
    print(f"radius change (W + {figures['years']} years)              {figures['radius_change_ms']:8.2f} ms"
          f"   target ≤ {TARGET_RADIUS_MS:g} ms")
    print(f"radius change without cached distances     {figures['radius_change_uncached_ms']:8.2f} ms")
    print(f"radius change as district × year frames    {figures['radius_change_frames_ms']:8.2f} ms")
    print(f"slider move (cached W, one year)           {figures['slider_ms']:8.3f} ms")
    print(f"{figures['synthetic_sites']} synthetic sites: distances once "
          f"{figures['synthetic_pairs_ms']:.0f} ms, radius change {figures['synthetic_radius_change_ms']:.2f} ms")
    print(f"Calculator.compute: radius change {figures['compute_radius_change_ms']:.1f} ms, ratio move "
          f"{figures['compute_slider_ms']:.1f} ms (own: {figures['compute_slider_own_ms']:.1f} ms)")

if __name__ == "__main__":
    main()
