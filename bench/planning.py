"""Measures planner: timing on 401 Kreise × 10 years, and the Dresden counselling question.

```
python bench/planning.py [--repeat 5]
```

Timing: the bundled `deutschland` dataset (401 Kreise) when present, plans for 2025–2034 under each greedy rule
and three kinds of limit; the inputs are read once, the figure is the plan alone (best of --repeat runs).
Then the same with posts counting over a service area (`--spread`): Dresden's 60 Stadtteile under the distance
rule (every rule) and the 401 Kreise under the distance rule (greedy rules), one run each.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.dataset import load_dataset  # noqa: E402
from dashboard.planning import Limits, Plan, PlanInputs, make_plan  # noqa: E402
from dashboard.planning.request import PlanRequest, plan_from_inputs  # noqa: E402
from dashboard.planning.source import inputs_from_calculator  # noqa: E402
from dashboard.scenario import Assumptions, Calculator  # noqa: E402

EXTRA_EUR_PER_YEAR = 1_000_000
HIRES_PER_YEAR = 6.0
TARGET_RATIO = 2500

# each dataset read once per run (deutschland takes seconds): the timings are of the plans alone
_read = functools.cache(load_dataset)


@dataclass(frozen=True)
class DresdenAnswer:
    plan: Plan
    inputs: PlanInputs
    budget: str  # how the EUR 1 million was read


def dresden_counselling_plan(budget: str = "fixed", last_year: int = 2040) -> DresdenAnswer:
    """From the 2024 funding (37.9 posts, held from 2025), EUR 1 million more per year from 2025 and at most
    6 new posts a year, Beratung, 60+, the dataset's ratio milestones (2023 5,900; 2024 4,200; 2026 2,500; hold),
    EUR 75,000 per post: the plan by largest shortfall first.

    budget "fixed": the added posts may cost EUR 1 million in every year (`--budget-eur 1000000`);
    budget "growing": EUR 1 million more each year (2025: 1 million, 2026: 2 million, …; the product's reading,
    `--budget-eur 1000000 --budget-step-eur 1000000`). Budget periods from dataset.toml (2023/24, 2025/26, …).
    """
    dataset = load_dataset("dresden")
    calculator = Calculator(dataset)
    a = Assumptions.defaults(dataset, service="beratung", year=2025, population_rule="60+", fte_cost_eur=75_000)
    inputs = inputs_from_calculator(calculator, a, 2025, last_year)
    request = PlanRequest(2025, last_year, "shortfall", float(EXTRA_EUR_PER_YEAR),
                          0.0 if budget == "fixed" else float(EXTRA_EUR_PER_YEAR), HIRES_PER_YEAR)
    return DresdenAnswer(plan_from_inputs(dataset, inputs, request), inputs, budget)


def describe(answer: DresdenAnswer) -> str:
    plan = answer.plan
    names = {a.district_id: a.name for a in plan.areas}
    first = plan.first_funded[:5]
    never = f"not by {plan.years[-1]}"
    lines = [f"Dresden Beratung, money limit read as '{answer.budget}', largest shortfall first:",
             f"  1 : {TARGET_RATIO} city-wide (ΣIst ≥ ΣSoll) reached: {plan.net_target_reached_year or never}",
             f"  no area short: {plan.target_reached_year or never}",
             "  first five areas: " + ", ".join(f"{d} {names[d]}" for d in first)]
    for f in plan.figures[:8]:
        lines.append(f"  {f.year}: +{f.added_fte:.2f} (cum {f.cumulative_added_fte:.2f}) Soll {f.soll_fte:.2f} "
                     f"Ist {f.ist_fte:.2f} net gap {f.net_gap_fte:.2f} gross gap {f.gross_gap_fte:.2f} "
                     f"added cost {f.added_cost_eur:,.0f}")
    for p in plan.periods[:4]:
        lines.append(f"  {p.label}: {p.added_cost_eur:,.0f} EUR (+{p.increase_eur:,.0f})")
    return "\n".join(lines)


def kreise_inputs(first: int = 2025, years: int = 10) -> PlanInputs:
    """401 Kreise from the bundled dataset when it covers the years, else a seeded synthetic stand-in."""
    try:
        dataset = _read("deutschland")
        calculator = Calculator(dataset)
        service = next(iter(dataset.settings.services))
        a = Assumptions.defaults(dataset, service=service, year=first)
        return inputs_from_calculator(calculator, a, first, first + years - 1)
    except Exception as exc:  # a missing or shorter dataset: time the same shape on made-up figures
        print(f"deutschland dataset not usable ({exc}); synthetic 401 × {years}", file=sys.stderr)
    rng = np.random.default_rng(11)
    soll = rng.uniform(5, 60, (401, 1)) * np.linspace(1.0, 1.6, years)
    ist = rng.uniform(0.3, 1.1, (401, 1)) * soll[:, :1] * np.ones(years)
    return PlanInputs.of([f"{i:05d}" for i in range(401)], [f"Kreis {i}" for i in range(401)],
                         range(first, first + years), soll, ist, 75_000 * 1.03 ** np.arange(years))


def time_plans(inputs: PlanInputs, repeat: int = 5) -> dict[str, float]:
    """Best-of-`repeat` seconds per (rule, limit) for the given inputs."""
    gap = float(np.clip(inputs.gap, 0, None).sum(axis=0).max())
    cost = float(inputs.cost_per_fte.max())
    cases = {"money": Limits(budget_eur=gap * cost / 2), "hires": Limits(hires_fte=gap / 8),
             "both": Limits(budget_eur=gap * cost / 2, hires_fte=gap / 8), "none": Limits()}
    timings = {}
    for rule in ("shortfall", "equalise"):
        for name, limits in cases.items():
            best = float("inf")
            for _ in range(repeat):
                start = time.perf_counter()
                make_plan(inputs, limits, rule)
                best = min(best, time.perf_counter() - start)
            timings[f"{rule}/{name}"] = best
    return timings


def distance_inputs(dataset_id: str, service: str, first: int = 2025, years: int = 10, **view) -> PlanInputs:
    """Plan inputs by the dataset's finest level under the distance rule: each post counts over its service area."""
    dataset = _read(dataset_id)
    a = Assumptions.defaults(dataset, service=service, year=first, catchment="distance", **view)
    return inputs_from_calculator(Calculator(dataset), a, first, first + years - 1)


def time_spread_plans() -> dict[str, float]:
    """Seconds of one plan each with posts counting over a service area (distance rule)."""
    timings = {}
    dresden = distance_inputs("dresden", "beratung", population_rule="60+", fte_cost_eur=75_000)
    limits = Limits(budget_eur=float(EXTRA_EUR_PER_YEAR), hires_fte=HIRES_PER_YEAR)
    for rule in ("shortfall", "equalise", "optimal"):
        start = time.perf_counter()
        make_plan(dresden, limits, rule)
        timings[f"dresden distance {rule}"] = time.perf_counter() - start
    try:
        dataset = _read("deutschland")
        kreise = distance_inputs("deutschland", next(iter(dataset.settings.services)))
    except Exception as exc:
        print(f"deutschland dataset not usable ({exc}); no Kreise under the distance rule", file=sys.stderr)
        return timings
    gap = float(np.clip(kreise.gap, 0, None).sum(axis=0).max())
    for rule in ("shortfall", "equalise"):
        start = time.perf_counter()
        make_plan(kreise, Limits(budget_eur=gap * float(kreise.cost_per_fte.max()) / 2), rule)
        timings[f"kreise distance {rule}/money"] = time.perf_counter() - start
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--spread", action="store_true", help="also time plans under the distance rule")
    args = parser.parse_args()
    inputs = kreise_inputs()
    print(f"{len(inputs.area_ids)} areas × {len(inputs.years)} years, shortfall total "
          f"{np.clip(inputs.gap, 0, None).sum():,.0f} post-years")
    for case, seconds in time_plans(inputs, args.repeat).items():
        print(f"  {case:20s} {seconds * 1000:8.1f} ms")
    if args.spread:
        for case, seconds in time_spread_plans().items():
            print(f"  {case:32s} {seconds * 1000:8.1f} ms")
    for budget in ("fixed", "growing"):
        print(describe(dresden_counselling_plan(budget)))


if __name__ == "__main__":
    main()
