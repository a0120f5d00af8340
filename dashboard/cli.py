"""Command line (python -m dashboard): `validate DATASET`, `report DATASET …`, `scenario list|show ID`,
`import --boundaries F --population F --services F … --out DIR`, `export DATASET … --format F --out FILE`,
`plan DATASET … --from Y --to Y [--budget-eur N] [--hires N] --rule R --format csv|json`.

Exit codes: 0 success, 2 invalid input (the report lists every problem on its own line).
"""

from __future__ import annotations

import argparse
import json
import sys

from .caveats import caveat_lines, caveat_text
from .dataset import load_dataset
from .errors import DataError
from .exports.cli import add_export_parser, run_export
from .i18n import t
from .importer.cli import add_import_parser, run_import
from .loaded import loaded
from .planning import PlanError
from .planning.cli import add_plan_parser, run_plan
from .planning.request import PlanRequestError
from .localised import say
from .providers import provider_table, providers_csv
from .report import to_csv, to_json
from .scenario import Calculator, ScenarioError
from .scenarios import Scenario, StoreError, open_store
from .view import scenario_view
from .view.cli import add_language_argument, add_view_arguments, view_from_args

EXIT_INVALID = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="CareGap: care-ratio shortfalls per district.")
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check a dataset and list every problem")
    validate.add_argument("dataset", help="bundled dataset id (e.g. dresden) or a dataset folder")
    add_language_argument(validate)
    report = sub.add_parser("report", help="print target vs actual per district")
    report.add_argument("dataset", help="bundled dataset id (e.g. dresden) or a dataset folder")
    add_view_arguments(report)
    report.add_argument("--format", choices=["csv", "json"], default="csv")
    report.add_argument("--by", choices=["district", "provider"], default="district",
                        help="one row per area (default) or per provider: its areas, posts, Soll and gap")
    scenario = sub.add_parser("scenario", help="list or show saved scenarios")
    scenario_sub = scenario.add_subparsers(dest="action", required=True)
    listing = scenario_sub.add_parser("list", help="saved scenarios, one per line")
    listing.add_argument("--dataset", help="only the scenarios of this dataset id")
    show = scenario_sub.add_parser("show", help="one scenario with every assumption, as JSON")
    show.add_argument("id")
    add_language_argument(show)
    add_import_parser(sub)
    add_export_parser(sub)
    add_plan_parser(sub)
    return parser


def fail(error: Exception, lang: str) -> int:
    print(t("command.error", lang, message=say(error, lang)), file=sys.stderr)
    return EXIT_INVALID


def saved_scenario(scenario_id: str, dataset_id: str) -> Scenario:
    """A saved scenario, checked to belong to the dataset named."""
    scenario = open_store().get(scenario_id)
    if scenario.dataset_id != dataset_id:
        raise ScenarioError("other_dataset", scenario=scenario_id, owner=scenario.dataset_id, dataset=dataset_id)
    return scenario


def run_export_command(args) -> int:
    """`export`, from a saved scenario if --scenario names one (its name, description and measure come along)."""
    if not args.scenario:
        return run_export(args)
    try:
        saved = saved_scenario(args.scenario, loaded(args.dataset).dataset.id)
        assumptions, measure = saved.typed()
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_INVALID
    except (ScenarioError, StoreError) as exc:
        return fail(exc, args.lang)
    return run_export(args, assumptions, scenario_name=saved.name, description=saved.description or None,
                      measure=measure)


def _headline(s: Scenario) -> str:
    try:
        a = s.typed()[0]
    except ScenarioError:
        return ""
    return f"{a.service} {a.year}"


def run_scenario(args) -> int:
    store = open_store()
    if args.action == "list":
        for s in store.list(args.dataset):
            print(f"{s.id}\t{s.dataset_id}\t{s.name}\t{_headline(s)}\t"
                  f"{s.updated_at:%Y-%m-%d %H:%M} UTC\trev {s.revision}")
        return 0
    try:
        s = store.get(args.id)
    except StoreError as exc:
        return fail(exc, args.lang)
    print(json.dumps({"id": s.id, "name": s.name, "description": s.description, "dataset_id": s.dataset_id,
                      "dataset_version": s.dataset_version, "revision": s.revision,
                      "created_at": f"{s.created_at:%Y-%m-%dT%H:%M:%S}Z", "updated_at": f"{s.updated_at:%Y-%m-%dT%H:%M:%S}Z",
                      "assumptions": s.assumptions}, ensure_ascii=False, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "scenario":
        return run_scenario(args)
    if args.command == "import":
        return run_import(args)
    if args.command == "export":
        return run_export_command(args)
    lang = args.lang
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
        base = None
        if args.scenario:
            saved = saved_scenario(args.scenario, dataset.id)
            base = scenario_view(dataset, dataset.id, saved.id, *saved.typed())
        calculator = Calculator(dataset)
        assumptions = view_from_args(args, dataset, base).assumptions
        if args.command == "plan":
            sys.stdout.write(run_plan(args, dataset, calculator, assumptions))
            return 0
        result = calculator.compute(assumptions)
        if args.by == "provider":
            table = provider_table(calculator, result.assumptions)
            sys.stdout.write(providers_csv(table) if args.format == "csv" else table.to_json(orient="records") + "\n")
            return 0
    except (ScenarioError, StoreError, PlanRequestError, PlanError) as exc:
        return fail(exc, args.lang)
    if args.format == "json":  # the caveats in the payload; beside a CSV on stderr, so the table stays a table
        sys.stdout.write(to_json(result, caveat_lines(dataset, args.lang)) + "\n")
        return 0
    if caveat_lines(dataset, args.lang):
        print(f"{t('caveat.heading', args.lang)}: {caveat_text(dataset, args.lang)}", file=sys.stderr)
    sys.stdout.write(to_csv(result))
    return 0
