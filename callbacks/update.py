"""The slider path: controls → core figures → a Patch of the map, summary, table, trend, URL.

Only what changed travels: the map's geometry stays in the browser (loaded once from its cached
URL); a control change sends colour values, hover figures and the summary.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, Patch, State, callback, ctx, no_update

from dashboard.i18n import t
from dashboard.scenario import ScenarioError
from dashboard.view.widgets import from_widgets
from dashboard.mapping import hover_bodies
from layouts.map import BASEMAP_STYLES, geometry_url, legend_values, level_values, paint_payload, trace_values
from layouts.page import service_labels
from layouts.summary import summary_cards
from layouts.table import table_rows
from layouts.trend import trend_figure

from .context import query_of, view_from_query

CONTROLS = [Input("service", "value"), Input("measure", "value"), Input("level", "value"), Input("year", "value"),
            Input("ratio-overrides", "data"), Input("population-rule", "value"), Input("between", "value"),
            Input("fte-cost", "value"), Input("wage-growth", "value"), Input("fte-changes", "data"),
            Input("basemap", "value"), Input("present", "data")]


def _view(query, values):
    item, base = view_from_query(query)
    return item, from_widgets(base, item.dataset, *values)


@callback(Output("map", "figure"), Output("map-paint", "data"), Output("summary", "children"),
          Output("alert", "children"), Output("view-query", "data", allow_duplicate=True),
          *CONTROLS, State("view-query", "data"), prevent_initial_call=True)
def update(*args):
    """The slider path: map colours, hover figures, city summary and the URL."""
    item, view = _view(args[-1], args[:-1])
    lang = view.lang
    try:
        result = item.calculator.compute(view.assumptions)
    except ScenarioError as exc:
        alert = dbc.Alert(t("error.scenario", lang, message=exc.text(lang)), color="danger", id="scenario-error")
        return no_update, no_update, no_update, alert, no_update
    status = item.dataset.year_status(view.year)
    geo = geometry_url(item.dataset.id, view.level, item.dataset.version)
    query = query_of(item, view)
    paint = paint_payload(result, view.measure, lang, geo, query)
    # Plotly redraws its (invisible) trace only when the level, the legend or the basemap change;
    # the usual move of a slider on the coverage map sends just the paint
    figure = Patch()
    trace = figure["data"][0]
    redraw = False
    if ctx.triggered_id == "level":
        for key, value in {**level_values(result, geo), **trace_values(result, view.measure, lang, status)}.items():
            trace[key] = value
        redraw = True
    elif ctx.triggered_id == "measure" or view.measure != "coverage":  # continuous legends follow the data
        for key, value in legend_values(result, view.measure, lang).items():
            trace[key] = value
        redraw = True
    if ctx.triggered_id == "basemap":
        figure["layout"]["map"]["style"] = BASEMAP_STYLES[view.basemap]
        redraw = True
    summary = summary_cards(result.summary, lang, service_labels(item, lang))
    return figure if redraw else no_update, paint, summary, [], query


@callback(Output("map-hover", "data"), Input("map-hover-request", "data"), prevent_initial_call=True)
def hover_figures(request):
    """The figures of the area under the pointer, for the view the request names."""
    if not request or not request.get("location"):
        return no_update
    query = request.get("query") or ""
    item, view = view_from_query(query)
    try:
        result = item.calculator.compute(view.assumptions)
    except ScenarioError:
        return no_update
    unit = request["location"]
    if unit not in result.table.index:
        return no_update
    body = hover_bodies(result.table.loc[[unit]], view.lang, item.dataset.year_status(view.year))[0]
    return {"i": int(result.table.index.get_loc(unit)), "text": body, "query": query}


@callback(Output("table", "data"), Output("trend", "figure"), *CONTROLS, Input("tabs", "active_tab"),
          State("view-query", "data"), prevent_initial_call=True)
def update_tabs(*args):
    """The table or the trend, whichever is shown; its own request, so it never holds up the map."""
    tab, query = args[-2], args[-1]
    if tab not in ("tab-table", "tab-trend"):
        return no_update, no_update
    item, view = _view(query, args[:-2])
    try:
        if tab == "tab-table":
            return table_rows(item.calculator.compute(view.assumptions)), no_update
        return no_update, trend_figure(item.calculator.trend(view.assumptions), view.lang, t("trend.city", view.lang),
                                       view.year)
    except ScenarioError:
        return no_update, no_update
