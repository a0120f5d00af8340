"""The measures plan tab: compute a plan for the view, take it as a saved scenario, download it."""

from __future__ import annotations

from dataclasses import replace

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, no_update

from dashboard.exports.chromium import ChromiumError
from dashboard.exports.context import ExportContext
from dashboard.exports.handout import handout_pdf
from dashboard.i18n import t
from dashboard.localised import say
from dashboard.planning import PlanError
from dashboard.planning.request import PlanRequest, PlanRequestError, plan_for, with_plan
from dashboard.planning.texts import plan_lines, plan_tables
from dashboard.scenarios import StoreError, assumptions_to_dict
from dashboard.view import ScenarioError
from layouts import ids
from layouts.planning import plan_result

from .context import query_of, store, view_from_query
from .downloads import file_name
from .triggers import clicked

PLAN_ERRORS = (PlanRequestError, PlanError, ScenarioError, ValueError)


def _failed(exc: Exception, lang: str) -> dbc.Alert:
    return dbc.Alert(t("planning.failed", lang, message=say(exc, lang)), color="danger", id=ids.PLAN_ALERT)


def read_request(first, last, budget, budget_step, hires, step, rule) -> PlanRequest:
    """The form's values as a request (empty money or hiring field: no limit)."""
    return PlanRequest.from_dict({"first_year": first, "last_year": last, "rule": rule, "budget_eur": budget,
                                  "budget_step_eur": budget_step, "hires_fte": hires, "step_fte": step})


def _made(stored: dict):
    """(item, view, request, plan) of a stored plan: the view it was made for, planned again (deterministic)."""
    item, view = view_from_query(stored["query"])
    request = PlanRequest.from_dict(stored["request"])
    return item, view, request, plan_for(item.calculator, view.assumptions, request)


def compute_plan(clicks, first, last, budget, budget_step, hires, step, rule, query):
    """(result, stored request, adopt disabled, feedback) for the form's values and the view's assumptions."""
    if not clicks:
        return (no_update,) * 4
    item, view = view_from_query(query)
    lang = view.lang
    if None in (first, last, step):
        return None, None, True, _failed(PlanRequestError("plan_number", value=""), lang)
    try:
        request = read_request(first, last, budget, budget_step, hires, step, rule)
        plan = plan_for(item.calculator, view.assumptions, request)
    except PLAN_ERRORS as exc:
        return None, None, True, _failed(exc, lang)
    lines = plan_lines(item.calculator, view.assumptions, request, plan, lang)
    stored = {"request": request.to_dict(), "query": query}
    nothing = plan.figures[-1].cumulative_added_fte <= 0
    return plan_result(plan, lines, plan_tables(plan, lang), lang), stored, nothing, None


def _free_name(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name} ({n})"
    return candidate


def adopt_plan(clicks, stored):
    """(new address, feedback): the plan saved as a scenario whose planned changes are the plan's additions;
    the page then opens that scenario (its changes are editable in the planned-changes tab)."""
    if not clicks or not stored:
        return no_update, no_update
    item, view, request, plan = _made(stored)
    lang, dataset = view.lang, item.dataset
    assumptions = with_plan(plan, dataset, view.assumptions, t("planning.change_note", lang))
    lines = plan_lines(item.calculator, view.assumptions, request, plan, lang)
    s = store()
    name = _free_name(t("planning.scenario_name", lang, first=request.first_year, last=request.last_year),
                      {x.name for x in s.list(dataset.id)})
    try:
        scenario = s.create(name, dataset.id, dataset.version, assumptions_to_dict(assumptions, view.measure),
                            " ".join([lines["proposal"], lines["rule"], lines["limits"]]))
    except StoreError as exc:
        return no_update, _failed(exc, lang)
    opened = replace(view, assumptions=assumptions, scenario=scenario.id)
    return "?" + query_of(item, opened), None


def plan_download(trigger, stored):
    """The plan as CSV, or the handout with its plan page as PDF (`trigger`: the button clicked)."""
    if trigger is None or not stored:
        return no_update, no_update
    item, view, request, plan = _made(stored)
    if trigger == ids.PLAN_DOWNLOAD_CSV:
        content, fmt = plan.to_csv().encode("utf-8-sig"), "csv"  # the BOM lets Excel read the umlauts
    else:
        ctx = ExportContext(item.dataset, item.calculator, view.assumptions, measure=view.measure, lang=view.lang)
        try:
            content, fmt = handout_pdf(ctx, plan=(request, plan)), "pdf"
        except ChromiumError as exc:
            return no_update, _failed(exc, view.lang)
    name = file_name(item.dataset.id, view.service, request.first_year, fmt, kind="caregap-plan")
    return dcc.send_bytes(content, name), None


@callback(Output(ids.PLAN_RESULT, "children"), Output(ids.PLAN_REQUEST, "data"), Output(ids.PLAN_ADOPT, "disabled"),
          Output(ids.PLAN_FEEDBACK, "children"), Input(ids.PLAN_COMPUTE, "n_clicks"),
          State(ids.PLAN_FIRST, "value"), State(ids.PLAN_LAST, "value"), State(ids.PLAN_BUDGET, "value"),
          State(ids.PLAN_BUDGET_STEP, "value"), State(ids.PLAN_HIRES, "value"), State(ids.PLAN_STEP, "value"),
          State(ids.PLAN_RULE, "value"), State(ids.VIEW_QUERY, "data"), prevent_initial_call=True)
def _compute_plan(*args):
    return compute_plan(*args)


@callback(Output(ids.URL, "search", allow_duplicate=True), Output(ids.PLAN_FEEDBACK, "children", allow_duplicate=True),
          Input(ids.PLAN_ADOPT, "n_clicks"), State(ids.PLAN_REQUEST, "data"), prevent_initial_call=True)
def _adopt_plan(*args):
    return adopt_plan(*args)


@callback(Output(ids.PLAN_DOWNLOAD, "data"), Output(ids.PLAN_FEEDBACK, "children", allow_duplicate=True),
          Input(ids.PLAN_DOWNLOAD_CSV, "n_clicks"), Input(ids.PLAN_DOWNLOAD_PDF, "n_clicks"),
          State(ids.PLAN_REQUEST, "data"), prevent_initial_call=True)
def _plan_download(_csv, _pdf, stored):
    return plan_download(clicked(), stored)
