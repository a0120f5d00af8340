"""Two results side by side: per-area and city differences (B − A) in gap, coverage and cost."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .scenario import Result

# the difference map's colour scale reaches at least ±0.5 posts, so that tiny differences do not
# look as strong as large ones
MIN_DIFFERENCE_LIMIT = 0.5


@dataclass(frozen=True)
class CityDifference:
    gross_gap_a: float
    gross_gap_b: float
    net_gap_a: float
    net_gap_b: float
    cost_a: float
    cost_b: float

    @property
    def gross_gap_delta(self) -> float:
        return self.gross_gap_b - self.gross_gap_a

    @property
    def cost_delta(self) -> float:
        return self.cost_b - self.cost_a


def compare(a: Result, b: Result) -> pd.DataFrame:
    """Per area: gap, coverage (in %) and cost of A and B, and B − A; same areas required."""
    if list(a.table.index) != list(b.table.index):
        raise ValueError("the two results cover different areas; compare them at the same level")
    ta, tb = a.table, b.table
    out = pd.DataFrame({
        "name": ta["name"],
        "gap_a": ta["gap_fte"], "gap_b": tb["gap_fte"], "gap_delta": tb["gap_fte"] - ta["gap_fte"],
        "coverage_a": ta["coverage"] * 100, "coverage_b": tb["coverage"] * 100,
        "coverage_delta": (tb["coverage"] - ta["coverage"]) * 100,
        "cost_a": ta["cost"], "cost_b": tb["cost"], "cost_delta": tb["cost"] - ta["cost"],
    }, index=ta.index)
    return out


def city_difference(a: Result, b: Result) -> CityDifference:
    return CityDifference(a.summary.gross_gap_fte, b.summary.gross_gap_fte, a.summary.net_gap_fte,
                          b.summary.net_gap_fte, a.summary.gross_cost_eur, b.summary.gross_cost_eur)


def compare_rows(table: pd.DataFrame) -> list[dict]:
    """Rows for display: rounded, NaN as None, largest increase of the gap first."""
    rounded = table.copy()
    for column in rounded.columns[1:]:
        digits = 0 if column.startswith("cost") else (1 if column.startswith("coverage") else 2)
        rounded[column] = rounded[column].round(digits)
    rounded = rounded.sort_values("gap_delta", ascending=False, kind="stable")
    rows = rounded.reset_index(names="id").to_dict("records")
    return [{k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()} for r in rows]


def comparison_year(view_year: int, year_a: int | None, year_b: int | None) -> int:
    """The one year both sides are computed for: A's if A is a saved scenario, else B's, else the
    view's (`None` stands for the baseline, which has no year of its own)."""
    if year_a is not None:
        return year_a
    if year_b is not None:
        return year_b
    return view_year


def difference_scale(gap_delta: pd.Series) -> tuple[list[float], float]:
    """Values (rounded to 0.001) and the symmetric limit of the difference map's colour scale."""
    delta = gap_delta.round(3)
    largest = float(delta.abs().max()) if len(delta) else 0.0
    limit = MIN_DIFFERENCE_LIMIT if np.isnan(largest) else max(largest, MIN_DIFFERENCE_LIMIT)
    return delta.tolist(), limit
