"""`python -m dashboard plan DATASET --service … --from 2025 --to 2030 --budget-eur 500000 [--budget-step-eur N]
[--hires 4] [--step 0.25] --rule shortfall|equalise|optimal --format csv|json [--verbose] [--handout FILE]`.

The assumptions come from the shared view flags (ratios, population, between, cost, wage, level, scenario,
lang). `--budget-eur` is the money limit of every plan year; with `--budget-step-eur` it rises by that much
each later year. `--verbose` prints the timing on stderr; `--handout` also writes the PDF handout with the
page "Maßnahmenplan und Haushalt".
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..formatting import fmt_number
from ..i18n import t
from ..view.cli import add_view_arguments
from .inputs import DEFAULT_STEP_FTE, RULES
from .request import PlanRequest, plan_from_inputs, plan_inputs


def add_plan_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("plan", help="propose where the next posts go, year by year, under money and hiring limits")
    p.add_argument("dataset", help="bundled dataset id (e.g. dresden) or a dataset folder")
    add_view_arguments(p)
    p.add_argument("--from", dest="first", type=int, help="first plan year (default: the view's year)")
    p.add_argument("--to", dest="last", type=int, help="last plan year (default: five years after --from)")
    p.add_argument("--budget-eur", type=float, help="most the added posts may cost in one year (default: no limit)")
    p.add_argument("--budget-step-eur", type=float, default=0.0,
                   help="the money limit rises by this much each later year (default 0)")
    p.add_argument("--hires", type=float, help="most posts added in one year (default: no limit)")
    p.add_argument("--step", type=float, default=DEFAULT_STEP_FTE, help="smallest step in posts (default 0.25)")
    p.add_argument("--rule", choices=RULES, default="shortfall")
    p.add_argument("--format", choices=["csv", "json"], default="json")
    p.add_argument("--verbose", action="store_true", help="print the timing on stderr")
    p.add_argument("--handout", metavar="FILE", help="also write the PDF handout with the plan's page")
    return p


def request_from_args(args: argparse.Namespace, year: int, last_year: int) -> PlanRequest:
    first = args.first if args.first is not None else year
    last = args.last if args.last is not None else min(first + 5, last_year)
    return PlanRequest(first, last, args.rule, args.budget_eur, args.budget_step_eur or 0.0, args.hires, args.step)


def timing_line(areas: int, years: int, inputs_s: float, plan_s: float, lang: str) -> str:
    return t("planning.verbose_timing", lang, areas=areas, years=years, inputs=fmt_number(inputs_s, lang, 3),
             plan=fmt_number(plan_s, lang, 3))


def run_plan(args: argparse.Namespace, dataset, calculator, assumptions) -> str:
    """The plan as CSV or JSON text; PlanRequestError / ScenarioError / PlanError for what does not fit."""
    request = request_from_args(args, assumptions.year, dataset.years[-1])
    started = time.perf_counter()
    inputs = plan_inputs(calculator, assumptions, request)
    read = time.perf_counter()
    plan = plan_from_inputs(dataset, inputs, request)
    done = time.perf_counter()
    if args.verbose:
        print(timing_line(len(inputs.area_ids), len(inputs.years), read - started, done - read, args.lang),
              file=sys.stderr)
    if args.handout:  # the exports (Plotly, Chromium) load only when a handout is asked for
        from ..exports.cli import write_atomic
        from ..exports.context import ExportContext
        from ..exports.handout import handout_pdf

        ctx = ExportContext(dataset, calculator, assumptions, lang=args.lang)
        write_atomic(Path(args.handout), handout_pdf(ctx, plan=(request, plan)))
    return plan.to_csv() if args.format == "csv" else plan.to_json() + "\n"
