"""District tables for output: one row per unit plus a total row, as CSV or JSON.

Columns and rounding come from the measure registry (`dashboard.measures`). Undefined values are
written as words, not inf/NaN: "none" where a unit has no FTE (residents per FTE), "n/a" where
nobody is in the target group (coverage, posts per 10,000).
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import asdict

import numpy as np

from .measures import COLUMNS as MEASURE_COLUMNS
from .measures import NO_FIGURES, REGISTRY, Measure, registry, rounded_row, total_values, without_figures
from .scenario import Result

COLUMNS = ["district_id", "name", *MEASURE_COLUMNS]
TOTAL_ID = "TOTAL"
UNDEFINED_WORDS = {"no_post": "none", "not_available": "n/a"}  # for a measure's undefined value, by its meaning
NO_FIGURES_WORD = "no figures"  # every undefined value of an area whose counts are not published


def rounded_column(m: Measure, values) -> list[float | None]:
    """`Measure.rounded` of a whole column at once (the same values), None where undefined."""
    values = np.asarray(values, dtype=float) * m.factor
    rounded = np.round(values, m.decimals)
    # numpy rounds the scaled value, Python the exact one: they can disagree only near a half
    shifted = values * 10.0 ** m.decimals
    near_half = np.flatnonzero(np.abs(shifted - np.floor(shifted) - 0.5) < 1e-6)
    rounded[near_half] = [round(v, m.decimals) for v in values[near_half].tolist()]
    return [None if v != v else v for v in rounded.tolist()]  # v != v: NaN


def report_rows(result: Result, unit: str = "posts") -> list[dict]:
    """Rows of the report, rounded as each measure declares for the supply `unit` (coverage in percent),
    then the total row."""
    measures = registry(unit)
    table = result.table
    # column by column (a row loop over 11,000 areas took a quarter of a second)
    columns = {"district_id": table.index.tolist(), "name": table["name"].tolist(),
               **{m.column: rounded_column(m, table[m.column]) for m in measures}}
    missing = without_figures(table)
    if missing.any():  # areas without figures say so (their values are None)
        columns[NO_FIGURES] = missing.tolist()
    rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
    s = result.summary
    total = total_values(s.population, s.soll_fte, s.ist_fte, s.fte_cost_eur, s.located_fte)
    rows.append({"district_id": TOTAL_ID, "name": "total", **rounded_row(total, unit)})
    return rows


def to_csv(result: Result) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in report_rows(result):
        row = dict(row)
        gone = row.pop(NO_FIGURES, False)
        for m in REGISTRY:
            value = row[m.column]
            if value is None:
                row[m.column] = NO_FIGURES_WORD if gone else UNDEFINED_WORDS[m.undefined]
            elif m.decimals == 0:
                row[m.column] = int(value)
        writer.writerow(row)
    return out.getvalue()


def to_json(result: Result, caveats: list[str] | tuple[str, ...] = ()) -> str:
    """The report as JSON; `caveats`: what a reader must know about its figures (`dashboard.caveats`)."""
    summary = asdict(result.summary)
    summary["ratios"] = dict(result.summary.ratios)
    summary = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in summary.items()}
    rows = report_rows(result)
    payload = {
        "assumptions": _assumptions(result), "level": result.level,
        "rows": rows[:-1], "total": rows[-1], "summary": summary, "caveats": list(caveats),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def _assumptions(result: Result) -> dict:
    a = asdict(result.assumptions)
    a["ratios"] = result.assumptions.ratios_json()
    return a
