"""The slider path: controls → core figures → a Patch of the map, summary, table, trend, URL.

Only what changed travels: the map's geometry stays in the browser (loaded once from its cached
URL); a control change sends colour values, hover figures and the summary.
"""

from __future__ import annotations

from dataclasses import replace

import dash_bootstrap_components as dbc
from dash import Input, Output, Patch, State, callback, ctx, no_update

from dashboard.i18n import t
from dashboard.scenario import FteChange, ScenarioError
from dashboard.viewstate import ViewState
from layouts.map import BASEMAP_STYLES, geometry_url, level_values, trace_values
from layouts.page import service_labels
from layouts.summary import summary_cards
from layouts.table import table_rows
from layouts.trend import trend_figure

from .context import query_of, view_from_query

CONTROLS = [Input("service", "value"), Input("measure", "value"), Input("level", "value"), Input("year", "value"),
            Input("ratio-overrides", "data"), Input("population-rule", "value"), Input("between", "value"),
            Input("fte-cost", "value"), Input("wage-growth", "value"), Input("fte-changes", "data"),
            Input("basemap", "value"), Input("present", "data")]


def view_from_controls(base: ViewState, default_between: str, default_cost: float, default_wage: float,
                       service, measure, level, year, overrides, rule, between, cost, wage, changes, basemap,
                       present) -> ViewState:
    """Translate widget values into a view; empty number fields mean the dataset's value."""
    cost = None if cost in (None, "") or float(cost) == default_cost else float(cost)
    wage = None if wage in (None, "") or float(wage) / 100 == default_wage else float(wage) / 100
    return replace(
        base, service=service, measure=measure, level=level, year=int(year), population_rule=rule,
        ratios=tuple(sorted((k, float(v)) for k, v in (overrides or {}).items())),
        between=None if between == default_between else between, fte_cost_eur=cost, wage_growth=wage,
        fte_changes=tuple(FteChange(**c) for c in changes or []), basemap=basemap, present=bool(present),
        notices=(),
    )


@callback(Output("map", "figure"), Output("summary", "children"), Output("table", "data"),
          Output("trend", "figure"), Output("alert", "children"), Output("view-query", "data", allow_duplicate=True),
          *CONTROLS, Input("tabs", "active_tab"), State("view-query", "data"), prevent_initial_call=True)
def update(service, measure, level, year, overrides, rule, between, cost, wage, changes, basemap, present, tab, query):
    item, base = view_from_query(query)
    s = item.dataset.settings
    view = view_from_controls(base, next(iter(s.services.values())).between_milestones, s.fte_cost_eur,
                              s.wage_growth, service, measure, level, year, overrides, rule, between, cost, wage,
                              changes, basemap, present)
    lang = view.lang
    try:
        result = item.calculator.compute(view.assumptions())
    except ScenarioError as exc:
        alert = dbc.Alert(t("error.scenario", lang, message=str(exc)), color="danger", id="scenario-error")
        return no_update, no_update, no_update, no_update, alert, no_update
    status = item.dataset.year_status(view.year)
    figure = Patch()
    trace = figure["data"][0]
    if ctx.triggered_id == "level":
        for key, value in level_values(result, geometry_url(item.dataset.id, view.level, item.dataset.version)).items():
            trace[key] = value
    if ctx.triggered_id == "basemap":
        figure["layout"]["map"]["style"] = BASEMAP_STYLES[view.basemap]
    for key, value in trace_values(result, view.measure, lang, status).items():
        trace[key] = value
    summary = summary_cards(result.summary, lang, service_labels(item, lang))
    rows = table_rows(result) if tab == "tab-table" else no_update
    trend = trend_figure(item.calculator.trend(view.assumptions()), lang, t("trend.city", lang), view.year) \
        if tab == "tab-trend" else no_update
    return figure, summary, rows, trend, [], query_of(item, view)
