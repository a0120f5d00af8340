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

from .measures import COLUMNS as MEASURE_COLUMNS
from .measures import REGISTRY, rounded_row, total_values
from .scenario import Result

COLUMNS = ["district_id", "name", *MEASURE_COLUMNS]
TOTAL_ID = "TOTAL"
UNDEFINED_WORDS = {"no_post": "none", "not_available": "n/a"}  # for a measure's undefined value, by its meaning


def report_rows(result: Result) -> list[dict]:
    """Rows of the report, rounded as each measure declares (coverage in percent), then the total row."""
    rows = [{"district_id": unit_id, "name": r["name"], **rounded_row(r)} for unit_id, r in result.table.iterrows()]
    s = result.summary
    total = total_values(s.population, s.soll_fte, s.ist_fte, s.fte_cost_eur, s.located_fte)
    rows.append({"district_id": TOTAL_ID, "name": "total", **rounded_row(total)})
    return rows


def to_csv(result: Result) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in report_rows(result):
        row = dict(row)
        for m in REGISTRY:
            value = row[m.column]
            if value is None:
                row[m.column] = UNDEFINED_WORDS[m.undefined]
            elif m.decimals == 0:
                row[m.column] = int(value)
        writer.writerow(row)
    return out.getvalue()


def to_json(result: Result) -> str:
    summary = asdict(result.summary)
    summary["ratios"] = dict(result.summary.ratios)
    summary = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in summary.items()}
    payload = {
        "assumptions": _assumptions(result), "level": result.level,
        "rows": report_rows(result)[:-1], "total": report_rows(result)[-1], "summary": summary,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def _assumptions(result: Result) -> dict:
    a = asdict(result.assumptions)
    a["ratios"] = dict(result.assumptions.ratios)
    return a
