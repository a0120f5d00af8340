"""Command line: `python -m dashboard validate DATASET` and `python -m dashboard report DATASET …`.

Exit codes: 0 success, 2 invalid input (the report lists every problem on its own line).
"""

from __future__ import annotations

import argparse
import sys

from .dataset import load_dataset
from .errors import DataError
from .report import to_csv, to_json
from .scenario import ALL_SERVICES, Assumptions, Calculator, ScenarioError

EXIT_INVALID = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="CareGap: care-ratio shortfalls per district.")
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check a dataset and list every problem")
    validate.add_argument("dataset", help="bundled dataset id (e.g. dresden) or a dataset folder")
    report = sub.add_parser("report", help="print target vs actual per district")
    report.add_argument("dataset", help="bundled dataset id (e.g. dresden) or a dataset folder")
    report.add_argument("--service", help=f"service key from dataset.toml, or '{ALL_SERVICES}' (default: the first)")
    report.add_argument("--year", type=int, help="year (default: the dataset's base year)")
    report.add_argument("--ratio", type=float, help="residents per FTE (default: the dataset's milestones)")
    report.add_argument("--population", help="reference population rule, e.g. 60+, 65+, 80+ or '60-79 + 0.5*80+'")
    report.add_argument("--level", help="grouping level, e.g. stadtbezirk (default: the finest)")
    report.add_argument("--between", choices=["hold", "linear"], help="ratio between milestones")
    report.add_argument("--cost", type=float, help="cost per FTE and year in EUR")
    report.add_argument("--format", choices=["csv", "json"], default="csv")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        dataset = load_dataset(args.dataset)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_INVALID
    if args.command == "validate":
        s = dataset.settings
        print(f"{s.id}: valid — {len(dataset.districts)} districts, years {dataset.years[0]}–{dataset.years[-1]}, "
              f"{len(dataset.sites)} site rows, services {', '.join(s.services)}")
        for warning in dataset.warnings:
            print(warning)
        return 0
    try:
        overrides = {k: v for k, v in {"service": args.service, "year": args.year, "population_rule": args.population,
                                       "level": args.level, "between_milestones": args.between,
                                       "fte_cost_eur": args.cost}.items() if v is not None}
        assumptions = Assumptions.defaults(dataset, **overrides)
        if args.ratio is not None:
            if assumptions.service == ALL_SERVICES:
                raise ScenarioError("--ratio needs one --service; with 'all' each service keeps its own ratio")
            assumptions = assumptions.with_ratio(assumptions.service, args.ratio)
        if assumptions.level:
            dataset.level_column(assumptions.level)
        result = Calculator(dataset).compute(assumptions)
    except (ScenarioError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    sys.stdout.write(to_csv(result) if args.format == "csv" else to_json(result) + "\n")
    return 0
