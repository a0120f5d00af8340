"""District tables for output: one row per unit plus a total row, as CSV or JSON.

Undefined values are written as words, not inf/NaN: residents per FTE is "none" where a unit
has no FTE, coverage "n/a" where nobody is in the target group.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import asdict

from .scenario import Result

COLUMNS = ["district_id", "name", "population", "soll_fte", "ist_fte", "gap_fte",
           "coverage", "residents_per_fte", "cost"]
TOTAL_ID = "TOTAL"


def _num(value: float, digits: int):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else round(float(value), digits)


def report_rows(result: Result) -> list[dict]:
    """Rows of the report; coverage in percent, FTE to 2 decimals, cost in whole euros."""
    rows = []
    for unit_id, r in result.table.iterrows():
        rows.append({
            "district_id": unit_id, "name": r["name"], "population": _num(r["population"], 0),
            "soll_fte": _num(r["soll_fte"], 2), "ist_fte": _num(r["ist_fte"], 2), "gap_fte": _num(r["gap_fte"], 2),
            "coverage": _num(r["coverage"] * 100, 1), "residents_per_fte": _num(r["residents_per_fte"], 0),
            "cost": _num(r["cost"], 0),
        })
    s = result.summary
    population, soll, ist = s.population, s.soll_fte, s.ist_fte
    rows.append({
        "district_id": TOTAL_ID, "name": "total", "population": _num(population, 0), "soll_fte": _num(soll, 2),
        "ist_fte": _num(ist, 2), "gap_fte": _num(soll - ist, 2), "coverage": _num(s.coverage * 100, 1),
        "residents_per_fte": _num(population / ist, 0) if ist > 0 else None,
        "cost": _num((soll - ist) * s.fte_cost_eur, 0),
    })
    return rows


def to_csv(result: Result) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in report_rows(result):
        row = dict(row)
        if row["residents_per_fte"] is None:
            row["residents_per_fte"] = "none"
        if row["coverage"] is None:
            row["coverage"] = "n/a"
        for key in ("population", "residents_per_fte", "cost"):
            if isinstance(row[key], float):
                row[key] = int(row[key])
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
