"""The measures plan tab: limits, rule and years in; the plan's chart, tables, budget periods and texts out."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.formatting import PLOTLY_SEPARATORS
from dashboard.i18n import t
from dashboard.measures import SHORTFALL_RED, SURPLUS_BLUE
from dashboard.planning import RULES, Plan
from dashboard.planning.request import PlanRequest

from . import ids

GREY = "#888"


def _number(component_id: str, label: str, value, help_text: str = "", **kwargs) -> dbc.Col:
    parts = [dbc.Label(label, html_for=component_id),
             dbc.Input(id=component_id, type="number", value=value, **kwargs)]
    if help_text:
        parts.append(dbc.FormText(help_text))
    return dbc.Col(parts, md=2)


def planning_panel(dataset, request: PlanRequest, lang: str) -> html.Div:
    """The form with `request`'s values, and an empty place for the plan."""
    first, last = dataset.years[0], dataset.years[-1]
    rules = [{"label": t(f"planning.rules.{r}", lang), "value": r} for r in RULES]
    return html.Div([
        html.P(t("planning.proposal", lang), className="text-muted small"),
        dbc.Row([
            _number(ids.PLAN_FIRST, t("planning.first_year", lang), request.first_year, min=first, max=last, step=1),
            _number(ids.PLAN_LAST, t("planning.last_year", lang), request.last_year, min=first, max=last, step=1),
            dbc.Col([dbc.Label(t("planning.budget", lang), html_for=ids.PLAN_BUDGET),
                     dbc.Input(id=ids.PLAN_BUDGET, type="number", min=0, step=1000, value=request.budget_eur),
                     dbc.FormText(t("planning.budget_help", lang))], md=2),
            _number(ids.PLAN_BUDGET_STEP, t("planning.budget_step", lang), request.budget_step_eur or None, min=0,
                    step=1000),
            _number(ids.PLAN_HIRES, t("planning.hires", lang), request.hires_fte, t("planning.hires_help", lang),
                    min=0, step=0.25),
            _number(ids.PLAN_STEP, t("planning.step", lang), request.step_fte, min=0.01, step=0.05),
        ], className="g-2 mb-2"),
        dbc.Row([
            dbc.Col([dbc.Label(t("planning.rule", lang), html_for=ids.PLAN_RULE),
                     dbc.RadioItems(id=ids.PLAN_RULE, options=rules, value=request.rule, inline=True)], md=8),
            dbc.Col([dbc.Button(t("planning.compute", lang), id=ids.PLAN_COMPUTE, color="primary", className="me-2"),
                     dbc.Button(t("planning.adopt", lang), id=ids.PLAN_ADOPT, color="secondary", disabled=True)],
                    md=4, className="d-flex align-items-end justify-content-end"),
        ], className="g-2 mb-3"),
        html.Div(id=ids.PLAN_FEEDBACK),
        dcc.Loading(html.Div(id=ids.PLAN_RESULT), type="dot", delay_show=300),
        dcc.Store(id=ids.PLAN_REQUEST, data=None),
        dcc.Download(id=ids.PLAN_DOWNLOAD),
    ])


def plan_figure(plan: Plan, lang: str) -> dict:
    """City coverage (lines, left axis) and gross gap (bars, right axis), with and without the plan; 100 % is
    the target ramp."""
    years = list(plan.years)

    def pct(rows):
        return [round(f.coverage * 100, 1) for f in rows]

    def gap(rows):
        return [round(f.gross_gap_fte, 2) for f in rows]
    data = [
        {"type": "bar", "x": years, "y": gap(plan.without), "name": t("planning.chart_gap_without", lang),
         "yaxis": "y2", "marker": {"color": SHORTFALL_RED}, "opacity": 0.25},
        {"type": "bar", "x": years, "y": gap(plan.figures), "name": t("planning.chart_gap", lang), "yaxis": "y2",
         "marker": {"color": SHORTFALL_RED}, "opacity": 0.7},
        {"type": "scatter", "mode": "lines+markers", "x": years, "y": pct(plan.without),
         "name": t("planning.chart_coverage_without", lang), "line": {"color": GREY, "dash": "dot"}},
        {"type": "scatter", "mode": "lines+markers", "x": years, "y": pct(plan.figures),
         "name": t("planning.chart_coverage", lang), "line": {"color": SURPLUS_BLUE, "width": 3}},
    ]
    layout = {
        "title": {"text": t("planning.chart_title", lang), "x": 0, "font": {"size": 15}},
        "separators": PLOTLY_SEPARATORS[lang], "height": 320, "barmode": "overlay", "hovermode": "x unified",
        "margin": {"l": 55, "r": 55, "t": 40, "b": 40}, "legend": {"orientation": "h", "y": -0.2},
        "xaxis": {"title": {"text": t("planning.chart_year", lang)}, "dtick": 1 if len(years) <= 12 else 2},
        "yaxis": {"title": {"text": t("planning.chart_coverage_axis", lang)}, "rangemode": "tozero"},
        "yaxis2": {"title": {"text": t("planning.chart_gap_axis", lang)}, "overlaying": "y", "side": "right",
                   "rangemode": "tozero", "showgrid": False},
        "shapes": [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": 100, "y1": 100,
                    "line": {"color": "#222", "width": 1, "dash": "dash"}}],
        "paper_bgcolor": "rgba(0,0,0,0)",
    }
    return {"data": data, "layout": layout}


def _table(component_id: str, table: dict) -> dbc.Table:
    return dbc.Table([html.Thead(html.Tr([html.Th(h) for h in table["headers"]])),
                      html.Tbody([html.Tr([html.Td(c) for c in row]) for row in table["rows"]])],
                     id=component_id, size="sm", striped=True, bordered=False, responsive=True, className="small")


def plan_result(plan: Plan, lines: dict, tables: dict, lang: str) -> html.Div:
    """The plan: what it is (proposal, rule, limits, assumptions), its outcome, chart and tables."""
    return html.Div([
        html.Ul([html.Li(line) for line in lines["outcome"]], className="mb-2"),
        dcc.Graph(id=ids.PLAN_CHART, figure=plan_figure(plan, lang), config={"displaylogo": False}),
        html.H6(t("planning.periods_heading", lang), className="mt-3"),
        _table(ids.PLAN_PERIODS_TABLE, tables["periods"]),
        html.H6(t("planning.years_heading", lang), className="mt-3"),
        _table(ids.PLAN_YEARS_TABLE, tables["years"]),
        html.H6(t("planning.areas_heading", lang), className="mt-3"),
        _table(ids.PLAN_AREAS_TABLE, tables["areas"]),
        html.Div([dbc.Button(t("planning.download_csv", lang), id=ids.PLAN_DOWNLOAD_CSV, size="sm", color="light",
                             className="me-2"),
                  dbc.Button(t("planning.download_pdf", lang), id=ids.PLAN_DOWNLOAD_PDF, size="sm", color="light")],
                 className="mb-2"),
        html.Ul([html.Li(lines[k]) for k in ("rule", "limits", "assumptions")] +
                [html.Li(note) for note in lines["inputs"]], className="text-muted small"),
    ])
