"""Command line (python -m dashboard): `validate DATASET`, `report DATASET …`, `scenario list|show ID`,
`import --boundaries F --population F --services F … --out DIR`, `export DATASET … --format F --out FILE`.

Exit codes: 0 success, 2 invalid input (the report lists every problem on its own line).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace

from .dataset import load_dataset
from .errors import DataError
from .exports.cli import add_export_parser, run_export
from .i18n import t
from .importer.cli import add_import_parser, add_lang_argument, chosen_language, run_import
from .loaded import loaded
from .report import to_csv, to_json
from .scenario import ALL_SERVICES, Assumptions, Calculator, ScenarioError
from .scenarios import StoreError, open_store

EXIT_INVALID = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="CareGap: care-ratio shortfalls per district.")
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check a dataset and list every problem")
    validate.add_argument("dataset", help="bundled dataset id (e.g. dresden) or a dataset folder")
    add_lang_argument(validate)
    report = sub.add_parser("report", help="print target vs actual per district")
    report.add_argument("dataset", help="bundled dataset id (e.g. dresden) or a dataset folder")
    report.add_argument("--service", help=f"service key from dataset.toml, or '{ALL_SERVICES}' (default: the first)")
    report.add_argument("--year", type=int, help="year (default: the dataset's base year)")
    report.add_argument("--ratio", type=float, help="residents per FTE (default: the dataset's milestones)")
    report.add_argument("--population", help="reference population rule, e.g. 60+, 65+, 80+ or '60-79 + 0.5*80+'")
    report.add_argument("--level", help="grouping level, e.g. stadtbezirk (default: the finest)")
    report.add_argument("--between", choices=["hold", "linear"], help="ratio between milestones")
    report.add_argument("--cost", type=float, help="cost per FTE and year in EUR")
    report.add_argument("--scenario", help="start from a saved scenario (its id); other options change it")
    report.add_argument("--format", choices=["csv", "json"], default="csv")
    scenario = sub.add_parser("scenario", help="list or show saved scenarios")
    scenario_sub = scenario.add_subparsers(dest="action", required=True)
    listing = scenario_sub.add_parser("list", help="saved scenarios, one per line")
    listing.add_argument("--dataset", help="only the scenarios of this dataset id")
    show = scenario_sub.add_parser("show", help="one scenario with every assumption, as JSON")
    show.add_argument("id")
    add_import_parser(sub)
    export = add_export_parser(sub)
    export.add_argument("--scenario", help="start from a saved scenario (its id); other options change it")
    return parser


def run_export_command(args) -> int:
    """`export`, from a saved scenario if --scenario names one (its name, description and measure come along)."""
    if not args.scenario:
        return run_export(args)
    try:
        dataset_id = loaded(args.dataset).dataset.id
        saved = open_store().get(args.scenario)
        if saved.dataset_id != dataset_id:
            raise ScenarioError(f"scenario '{args.scenario}' belongs to dataset '{saved.dataset_id}', not '{dataset_id}'")
        assumptions, measure = saved.typed()
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_INVALID
    except (ScenarioError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    return run_export(args, assumptions, scenario_name=saved.name, description=saved.description or None,
                      measure=measure)


def run_scenario(args) -> int:
    store = open_store()
    if args.action == "list":
        for s in store.list(args.dataset):
            a = s.assumptions
            print(f"{s.id}\t{s.dataset_id}\t{s.name}\t{a.get('service', '')} {a.get('year', '')}\t"
                  f"{s.updated_at:%Y-%m-%d %H:%M} UTC\trev {s.revision}")
        return 0
    try:
        s = store.get(args.id)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    print(json.dumps({"id": s.id, "name": s.name, "description": s.description, "dataset_id": s.dataset_id,
                      "dataset_version": s.dataset_version, "revision": s.revision,
                      "created_at": f"{s.created_at:%Y-%m-%dT%H:%M:%S}Z", "updated_at": f"{s.updated_at:%Y-%m-%dT%H:%M:%S}Z",
                      "assumptions": s.assumptions}, ensure_ascii=False, indent=2))
    return 0


def scenario_assumptions(scenario_id: str, dataset_id: str) -> Assumptions:
    """A saved scenario's assumptions, checked to belong to the dataset named."""
    scenario = open_store().get(scenario_id)
    if scenario.dataset_id != dataset_id:
        raise ScenarioError(f"scenario '{scenario_id}' belongs to dataset '{scenario.dataset_id}', not '{dataset_id}'")
    return scenario.typed()[0]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "scenario":
        return run_scenario(args)
    if args.command == "import":
        return run_import(args)
    if args.command == "export":
        return run_export_command(args)
    lang = chosen_language(args)
    try:
        dataset = load_dataset(args.dataset)
    except DataError as exc:
        print(exc.report(lang), file=sys.stderr)
        return EXIT_INVALID
    if args.command == "validate":
        s = dataset.settings
        print(t("problem.valid", lang, id=s.id, districts=len(dataset.districts), first=dataset.years[0],
                last=dataset.years[-1], sites=len(dataset.sites), services=", ".join(s.services)))
        for warning in dataset.warnings:
            print(warning.text(lang))
        return 0
    try:
        overrides = {k: v for k, v in {"service": args.service, "year": args.year, "population_rule": args.population,
                                       "level": args.level, "between_milestones": args.between,
                                       "fte_cost_eur": args.cost}.items() if v is not None}
        base = scenario_assumptions(args.scenario, dataset.id) if args.scenario else Assumptions.defaults(dataset)
        assumptions = replace(base, **overrides)
        if args.ratio is not None:
            if assumptions.service == ALL_SERVICES:
                raise ScenarioError("--ratio needs one --service; with 'all' each service keeps its own ratio")
            assumptions = assumptions.with_ratio(assumptions.service, args.ratio)
        if assumptions.level:
            dataset.level_column(assumptions.level)
        result = Calculator(dataset).compute(assumptions)
    except (ScenarioError, StoreError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    sys.stdout.write(to_csv(result) if args.format == "csv" else to_json(result) + "\n")
    return 0
