"""The care-ratio formulas of the product brief (§2), on arrays of districts.

Soll = P / R; Gap = Soll − Ist (signed: positive is a shortfall); Coverage = Ist / Soll;
Residents per FTE = P / Ist. Undefined values are NaN here, never ±inf; output layers
print them as "none" (no FTE) or "n/a" (no target group).

`FORMULAS` names every column a result table carries beyond P, Soll and Ist; how each is
shown (decimals, labels, colours) is declared once in `dashboard.measures`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


def required_fte(population, ratio: float):
    if ratio <= 0:
        raise ValueError("a ratio (residents per FTE) must be above 0")
    return np.asarray(population, dtype=float) / float(ratio)


def gap_fte(soll, ist):
    return np.asarray(soll, dtype=float) - np.asarray(ist, dtype=float)


def coverage(soll, ist):
    """Ist / Soll (1.0 = target met); NaN where nothing is required."""
    soll, ist = np.asarray(soll, dtype=float), np.asarray(ist, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(soll > 0, ist / np.where(soll > 0, soll, 1.0), np.nan)


FTE_EPSILON = 1e-9  # less is rounding residue (e.g. +0.1 then −0.1 FTE), not a post


def residents_per_fte(population, ist):
    """P / Ist; NaN where there is no FTE (shown as "none")."""
    population, ist = np.asarray(population, dtype=float), np.asarray(ist, dtype=float)
    staffed = ist > FTE_EPSILON
    return np.where(staffed, population / np.where(staffed, ist, 1.0), np.nan)


PER_RESIDENTS = 10_000  # the density form German plans also use: posts per 10,000 residents of the target group


def posts_per_residents(population, ist):
    """Ist / P × 10,000; NaN where nobody is in the target group."""
    population, ist = np.asarray(population, dtype=float), np.asarray(ist, dtype=float)
    peopled = population > 0
    return np.where(peopled, ist * PER_RESIDENTS / np.where(peopled, population, 1.0), np.nan)


def gross_gap(gaps) -> float:
    """Σ max(0, gap): shortfalls only, no lending of surplus between districts."""
    return float(np.clip(np.asarray(gaps, dtype=float), 0, None).sum())


def surplus(gaps) -> float:
    """Σ max(0, −gap): posts above the target in the districts that have more than their target."""
    return float(np.clip(-np.asarray(gaps, dtype=float), 0, None).sum())


def balance(soll, ist) -> float:
    """ΣSoll − ΣIst, signed: gross gap minus surplus (negative: more posts than the target overall)."""
    return float(np.sum(soll)) - float(np.sum(ist))


def net_gap(soll, ist) -> float:
    """max(0, ΣSoll − ΣIst): the city-wide shortfall if surplus could be moved."""
    return max(0.0, balance(soll, ist))


def cost_per_fte(base_cost: float, year: int, base_year: int, wage_growth: float = 0.0) -> float:
    """Yearly cost of one FTE in `year`, compounding wage growth from the base year."""
    return float(base_cost) * (1.0 + float(wage_growth)) ** (int(year) - int(base_year))


@dataclass(frozen=True)
class Base:
    """What every measure is computed from: per unit (arrays) or for all units (sums)."""

    population: Any
    soll: Any
    ist: Any
    fte_cost: float
    located: Any = None  # posts of the sites standing in the unit; None: Ist (every post counts where it stands)


# column → formula, in the order of a result table's columns after population, soll_fte, ist_fte
FORMULAS: dict[str, Callable[[Base], Any]] = {
    "located_fte": lambda b: b.ist if b.located is None else b.located,
    "gap_fte": lambda b: gap_fte(b.soll, b.ist),
    "coverage": lambda b: coverage(b.soll, b.ist),
    "residents_per_fte": lambda b: residents_per_fte(b.population, b.ist),
    "posts_per_10k": lambda b: posts_per_residents(b.population, b.ist),
    "cost": lambda b: gap_fte(b.soll, b.ist) * b.fte_cost,
}


def measure_values(base: Base) -> dict[str, Any]:
    """P, Soll, Ist and every formula's value for `base`."""
    values = {"population": base.population, "soll_fte": base.soll, "ist_fte": base.ist}
    return {**values, **{column: formula(base) for column, formula in FORMULAS.items()}}


def metrics_table(population: pd.Series, soll: pd.Series, ist: pd.Series, fte_cost: float,
                  located: pd.Series | None = None) -> pd.DataFrame:
    """One row per unit with every measure; index = unit id. `located`: posts standing in the unit
    (default: Ist, as when every post counts where it stands)."""
    base = Base(population.astype(float), soll.astype(float), ist.astype(float), fte_cost,
                None if located is None else located.astype(float))
    return pd.DataFrame(measure_values(base), index=population.index)
