"""Service-area figures at 401 districts (Germany): a radius change, and the slider path under a distance rule.

`python bench/catchment.py` prints, per step, the median milliseconds of `Calculator.compute`:
- a new radius (new weights from the cached distance pairs, 2SFCA for all years, the figures),
- a ratio move under a cached distance rule (what the slider path costs with a service area).
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard.dataset import load_dataset  # noqa: E402
from dashboard.scenario import Assumptions, Calculator  # noqa: E402

RADII = (20.0, 22.5, 25.0, 27.5, 30.0, 32.5, 35.0, 37.5, 40.0, 45.0)


def median_ms(calls) -> float:
    times = []
    for call in calls:
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    dataset = load_dataset("deutschland")
    calc = Calculator(dataset)
    base = Assumptions.defaults(dataset, catchment="distance", radius_km=60.0)
    calc.compute(base)  # places, distance pairs up to 120 km, weights for 60 km
    units = len(dataset.district_order)
    radius = median_ms([lambda r=r: calc.compute(replace(base, radius_km=r)) for r in RADII])
    service = next(iter(dataset.settings.services))
    ratios = [6.0 + 0.1 * i for i in range(20)]
    a = replace(base, radius_km=30.0)
    calc.compute(a)
    slider = median_ms([lambda r=r: calc.compute(a.with_ratio(service, r)) for r in ratios])
    own = Assumptions.defaults(dataset)
    calc.compute(own)
    slider_own = median_ms([lambda r=r: calc.compute(own.with_ratio(service, r)) for r in ratios])
    print(f"{units} districts: radius change {radius:.1f} ms (median of {len(RADII)}); ratio move under 30 km "
          f"{slider:.2f} ms; ratio move under own {slider_own:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
