"""What a plan says about itself, in the user's language: that it is a proposal, its rule, limits, assumptions,
outcome, and which inputs are estimated or illustrative. The panel, the handout and the CLI read these lines."""

from __future__ import annotations

from dashboard.formatting import fmt_eur, fmt_fte, fmt_percent
from dashboard.i18n import t
from dashboard.ratios import ratio_text
from dashboard.view import Assumptions

from .optimal import SPREAD_TIME_LIMIT_S
from .request import PlanRequest
from .result import Plan


def limit_text(request: PlanRequest, lang: str) -> str:
    if request.budget_eur is None:
        budget = t("planning.limit_budget_none", lang)
    elif request.budget_step_eur:
        budget = t("planning.limit_budget_step", lang, amount=fmt_eur(request.budget_eur, lang),
                   step=fmt_eur(request.budget_step_eur, lang))
    else:
        budget = t("planning.limit_budget", lang, amount=fmt_eur(request.budget_eur, lang))
    hires = (t("planning.limit_hires_none", lang) if request.hires_fte is None
             else t("planning.limit_hires", lang, fte=fmt_fte(request.hires_fte, lang)))
    return t("planning.limits", lang, budget=budget, hires=hires, step=fmt_fte(request.step_fte, lang))


def assumption_text(calculator, assumptions: Assumptions, lang: str) -> str:
    dataset = calculator.dataset
    s = dataset.settings
    service = s.services[assumptions.service]
    # the plan's milestone years, the view's year and where the scenario's ratios step (ratios.ratio_ramp)
    years = sorted(set(service.ratios) | {assumptions.year}
                   | {y for y, _ratio, _set in calculator.ratio_ramp(assumptions, assumptions.service)})
    ratios = ", ".join(f"{y}: {ratio_text(calculator.ratio(assumptions, assumptions.service, y), lang)}"
                       for y in years)
    cost = s.fte_cost_eur if assumptions.fte_cost_eur is None else assumptions.fte_cost_eur
    wage = s.wage_growth if assumptions.wage_growth is None else assumptions.wage_growth
    level = assumptions.level or s.base_level
    return t("planning.assumptions", lang, service=service.label_for(lang), population=assumptions.population_rule,
             ratios=ratios, cost=fmt_eur(cost, lang), wage=fmt_percent(wage, lang, 1),
             level=s.level_label(level, lang))


def outcome_lines(plan: Plan, lang: str) -> list[str]:
    last = plan.years[-1]

    def year(value):
        return str(value) if value is not None else t("planning.not_by", lang, year=last)
    names = {a.district_id: a.name for a in plan.areas}
    lines = [t("planning.reached", lang, year=year(plan.target_reached_year),
               without=year(plan.target_reached_year_without)),
             t("planning.net_reached", lang, year=year(plan.net_target_reached_year),
               without=year(plan.net_target_reached_year_without))]
    final = plan.figures[-1]
    if final.cumulative_added_fte <= 0:
        return [t("planning.nothing", lang), *lines]
    lines.append(t("planning.added_total", lang, year=last, fte=fmt_fte(final.cumulative_added_fte, lang),
                   cost=fmt_eur(final.added_cost_eur, lang)))
    first = plan.first_funded[:5]
    lines.append(t("planning.first_funded", lang, areas=", ".join(f"{names[a]} ({a})" for a in first)))
    return lines


def input_labels(calculator, plan: Plan, lang: str) -> list[str]:
    """The dataset's own notes (estimated or illustrative figures) and the status of the plan years' population."""
    dataset = calculator.dataset
    statuses = sorted({dataset.year_status(y) for y in plan.years} - {"observed"})
    lines = [t("planning.population_status", lang, years=f"{plan.years[0]}–{plan.years[-1]}",
               status=", ".join(t(f"status.{s}", lang) for s in statuses))] if statuses else []
    return lines + list(dataset.settings.notes_for(lang))


def plan_lines(calculator, assumptions: Assumptions, request: PlanRequest, plan: Plan, lang: str) -> dict:
    """Every sentence around a plan's figures, grouped as the panel and the handout show them."""
    return {"proposal": t("planning.proposal", lang),
            "rule": f"{t('planning.rule', lang)}: {t(f'planning.rules.{plan.rule}', lang)} – "
                    f"{t(f'planning.rules_help.{plan.rule}', lang, seconds=f'{SPREAD_TIME_LIMIT_S:.0f}')}",
            "limits": limit_text(request, lang),
            "assumptions": assumption_text(calculator, assumptions, lang),
            "outcome": outcome_lines(plan, lang),
            "inputs": input_labels(calculator, plan, lang)}


def _table(lang: str, keys: list[str], rows: list[list[str]]) -> dict:
    return {"headers": [t(f"planning.col_{k}", lang) for k in keys], "rows": rows}


def plan_tables(plan: Plan, lang: str) -> dict:
    """The plan's three tables as formatted text (per year, per year and area, per budget period)."""
    period_of = {y: p.label for p in plan.periods for y in p.years}
    years = [[str(f.year), period_of[f.year], fmt_fte(f.added_fte, lang), fmt_fte(f.cumulative_added_fte, lang),
              fmt_eur(f.added_cost_eur, lang), fmt_eur(f.total_cost_eur, lang), fmt_fte(f.gross_gap_fte, lang),
              fmt_fte(f.net_gap_fte, lang), fmt_percent(f.coverage, lang)] for f in plan.figures]
    met = {a.district_id: a.met_year for a in plan.areas}
    not_by = t("planning.not_by", lang, year=plan.years[-1])
    areas = [[str(year), f"{a.name} ({a.district_id})", fmt_fte(fte, lang),
              str(met[a.district_id]) if met[a.district_id] else not_by] for year, a, fte in plan.additions()]
    periods = [[p.label, ", ".join(str(y) for y in p.years), fmt_eur(p.added_cost_eur, lang),
                fmt_eur(p.increase_eur, lang)] for p in plan.periods]
    return {"years": _table(lang, ["year", "period", "added", "cumulative", "added_cost", "total_cost", "gross_gap",
                                   "net_gap", "coverage"], years),
            "areas": _table(lang, ["year", "area", "added", "met"], areas),
            "periods": _table(lang, ["period", "years", "secure", "increase"], periods)}
