"""One block of the area table, sorted and filtered here: the browser shows only the rows it asks for.

A request names the rows [start, end) of the table sorted by `sort` (column, "asc" | "desc") after
`filters` (column → condition); the answer carries those rows, rounded and written as the table
shows them, and how many rows pass the filters. Sorting uses the unrounded values, undefined
values last either way; ties keep the table's order (by name within the sorted column).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .measures import BY_COLUMN, NO_FIGURES, registry, without_figures
from .report import rounded_column

NAME = "name"
# a number filter's condition → how a value passes it
NUMBER_TESTS = {
    "equals": lambda v, x: v == x, "notEqual": lambda v, x: v != x, "lessThan": lambda v, x: v < x,
    "lessThanOrEqual": lambda v, x: v <= x, "greaterThan": lambda v, x: v > x,
    "greaterThanOrEqual": lambda v, x: v >= x,
}
TEXT_TESTS = {
    "contains": lambda s, x: s.str.contains(x, regex=False), "notContains": lambda s, x: ~s.str.contains(x, regex=False),
    "equals": lambda s, x: s == x, "notEqual": lambda s, x: s != x, "startsWith": lambda s, x: s.str.startswith(x),
    "endsWith": lambda s, x: s.str.endswith(x),
}


@dataclass(frozen=True)
class Block:
    rows: list[dict]
    count: int  # rows passing the filters


def _passes(table: pd.DataFrame, column: str, condition: dict, unit: str = "posts") -> np.ndarray:
    """Rows of `table` passing one filter condition; an unknown column or condition filters nothing."""
    if "operator" in condition and "conditions" in condition:  # two conditions joined by AND / OR
        parts = [_passes(table, column, c, unit) for c in condition["conditions"]]
        return np.logical_and.reduce(parts) if condition["operator"] == "AND" else np.logical_or.reduce(parts)
    kind = condition.get("type")
    if column == NAME and kind in TEXT_TESTS and condition.get("filter") is not None:
        names = table[NAME].astype(str).str.casefold()
        return np.asarray(TEXT_TESTS[kind](names, str(condition["filter"]).casefold()), dtype=bool)
    m = BY_COLUMN.get(column)
    if m is None or kind not in NUMBER_TESTS and kind != "inRange":
        return np.ones(len(table), dtype=bool)
    m = m.in_unit(unit)
    shown = np.asarray(rounded_column(m, table[m.column]), dtype=float)  # filters read the values shown
    if kind == "inRange":
        low, high = condition.get("filter"), condition.get("filterTo")
        if low is None or high is None:
            return np.ones(len(table), dtype=bool)
        return (shown >= float(low)) & (shown <= float(high))
    if condition.get("filter") is None:
        return np.ones(len(table), dtype=bool)
    return NUMBER_TESTS[kind](shown, float(condition["filter"]))


def ordered(table: pd.DataFrame, sort: list[tuple[str, str]], filters: dict | None = None,
            unit: str = "posts") -> pd.DataFrame:
    """The table filtered and sorted as requested (see the module docstring)."""
    keep = np.ones(len(table), dtype=bool)
    for column, condition in (filters or {}).items():
        keep &= _passes(table, column, condition, unit)
    table = table[keep]
    for column, direction in reversed([s for s in sort if s[0] in table.columns]):  # stable: last key first
        table = table.sort_values(column, ascending=direction == "asc", kind="stable", na_position="last")
    return table


def block(table: pd.DataFrame, lang: str, undefined: dict[str, str], start: int, end: int,
          sort: list[tuple[str, str]], filters: dict | None = None, unit: str = "posts") -> Block:
    """Rows [start, end) of the ordered table as cells: `id`, the name, each measure written in `lang`
    (`undefined[m.key]` where a measure has no value; `undefined[NO_FIGURES]` where the area has no
    figures), and `alerts`: the columns shown in red; `unit`: the dataset's supply unit (counted places
    are whole numbers)."""
    chosen = ordered(table, sort, filters, unit)
    part = chosen.iloc[max(start, 0):max(end, start, 0)]
    cells = {"id": part.index.tolist(), NAME: part[NAME].astype(str).tolist()}
    alerts = [[] for _ in range(len(part))]
    missing = without_figures(part)
    for m in registry(unit):
        rounded = rounded_column(m, part[m.column])
        cells[m.column] = [m.cell(v, lang, undefined.get(NO_FIGURES, undefined[m.key]) if gone else undefined[m.key])
                           for v, gone in zip(rounded, missing)]
        if m.alert is not None:
            for i, v in enumerate(rounded):
                if m.alarming(v, shown=True):
                    alerts[i].append(m.column)
    rows = [dict(zip(cells, values), alerts=a) for values, a in zip(zip(*cells.values()), alerts)]
    return Block(rows, len(chosen))
