"""The care-ratio formulas of the product brief (§2), on arrays of districts.

Soll = P / R; Gap = Soll − Ist (signed: positive is a shortfall); Coverage = Ist / Soll;
Residents per FTE = P / Ist. Undefined values are NaN here, never ±inf; output layers
print them as "none" (no FTE) or "n/a" (no target group).
"""

from __future__ import annotations

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


def gross_gap(gaps) -> float:
    """Σ max(0, gap): shortfalls only, no lending of surplus between districts."""
    return float(np.clip(np.asarray(gaps, dtype=float), 0, None).sum())


def net_gap(soll, ist) -> float:
    """max(0, ΣSoll − ΣIst): the city-wide shortfall if surplus could be moved."""
    return max(0.0, float(np.sum(soll)) - float(np.sum(ist)))


def cost_per_fte(base_cost: float, year: int, base_year: int, wage_growth: float = 0.0) -> float:
    """Yearly cost of one FTE in `year`, compounding wage growth from the base year."""
    return float(base_cost) * (1.0 + float(wage_growth)) ** (int(year) - int(base_year))


def metrics_table(population: pd.Series, soll: pd.Series, ist: pd.Series, fte_cost: float) -> pd.DataFrame:
    """One row per unit with every measure; index = unit id."""
    gap = gap_fte(soll, ist)
    return pd.DataFrame({
        "population": population.astype(float),
        "soll_fte": soll.astype(float),
        "ist_fte": ist.astype(float),
        "gap_fte": gap,
        "coverage": coverage(soll, ist),
        "residents_per_fte": residents_per_fte(population, ist),
        "cost": gap * fte_cost,
    }, index=population.index)
