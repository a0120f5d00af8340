"""The slider path: controls → core figures → a Patch of the map, summary, table, trend, URL.

Only what changed travels: the map's geometry stays in the browser (loaded once from its cached
URL); a control change sends colour values, hover figures and the summary.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, Patch, State, callback, ctx, no_update

from dashboard.i18n import t
from dashboard.mapping import hover_bodies
from dashboard.scenario import ScenarioError
from dashboard.view.widgets import from_widgets
from layouts import ids
from layouts.map import BASEMAP_STYLES, geometry_url, legend_values, level_values, paint_payload, trace_values
from layouts.summary import summary_cards
from layouts.table import table_rows
from layouts.trend import trend_figure

from .context import query_of, view_from_query

# the widgets a view is made of, in the order of `view_from_controls`
CONTROLS = [Input(ids.SERVICE, "value"), Input(ids.MEASURE, "value"), Input(ids.LEVEL, "value"),
            Input(ids.YEAR, "value"), Input(ids.RATIO_OVERRIDES, "data"), Input(ids.POPULATION_RULE, "value"),
            Input(ids.BETWEEN, "value"), Input(ids.FTE_COST, "value"), Input(ids.WAGE_GROWTH, "value"),
            Input(ids.FTE_CHANGES, "data"), Input(ids.BASEMAP, "value"), Input(ids.PRESENT, "data")]
# what `update` returns, in order
MAP_OUTPUTS = [Output(ids.MAP, "figure"), Output(ids.MAP_PAINT, "data"), Output(ids.SUMMARY, "children"),
               Output(ids.ALERT, "children"), Output(ids.VIEW_QUERY, "data", allow_duplicate=True)]
# what `update_tabs` returns, in order
TAB_OUTPUTS = [Output(ids.TABLE, "data"), Output(ids.TREND, "figure")]


def _view(query, values):
    item, base = view_from_query(query)
    return item, from_widgets(base, item.dataset, *values)


def update(trigger, controls, query):
    """The slider path: map colours, hover figures, city summary and the URL, for the widget values
    `controls` (in the order of CONTROLS) after `trigger` (the id of the widget that changed) moved."""
    item, view = _view(query, controls)
    lang = view.lang
    try:
        result = item.calculator.compute(view.assumptions)
    except ScenarioError as exc:
        alert = dbc.Alert(t("error.scenario", lang, message=exc.text(lang)), color="danger", id=ids.SCENARIO_ERROR)
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
    if trigger == ids.LEVEL:
        for key, value in {**level_values(result, geo), **trace_values(result, view.measure, lang, status)}.items():
            trace[key] = value
        redraw = True
    elif trigger == ids.MEASURE or view.measure != "coverage":  # continuous legends follow the data
        for key, value in legend_values(result, view.measure, lang).items():
            trace[key] = value
        redraw = True
    if trigger == ids.BASEMAP:
        figure["layout"]["map"]["style"] = BASEMAP_STYLES[view.basemap]
        redraw = True
    summary = summary_cards(result.summary, lang, item.service_labels(lang))
    return figure if redraw else no_update, paint, summary, [], query


@callback(*MAP_OUTPUTS, *CONTROLS, State(ids.VIEW_QUERY, "data"), prevent_initial_call=True)
def _update(*args):
    return update(ctx.triggered_id, args[:-1], args[-1])


@callback(Output(ids.MAP_HOVER, "data"), Input(ids.MAP_HOVER_REQUEST, "data"), prevent_initial_call=True)
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


def update_tabs(tab, controls, query):
    """The table or the trend, whichever tab is shown; its own request, so it never holds up the map."""
    if tab not in (ids.TAB_TABLE, ids.TAB_TREND):
        return no_update, no_update
    item, view = _view(query, controls)
    try:
        if tab == ids.TAB_TABLE:
            return table_rows(item.calculator.compute(view.assumptions)), no_update
        return no_update, trend_figure(item.calculator.trend(view.assumptions), view.lang, t("trend.city", view.lang),
                                       view.year)
    except ScenarioError:
        return no_update, no_update


@callback(*TAB_OUTPUTS, *CONTROLS, Input(ids.TABS, "active_tab"), State(ids.VIEW_QUERY, "data"),
          prevent_initial_call=True)
def _update_tabs(*args):
    return update_tabs(args[-2], args[:-2], args[-1])
