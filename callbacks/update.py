"""The slider path: controls → core figures → the map's paint, summary, table, trend, URL.

Only what changed travels: the map's geometry stays in the browser (loaded once from its cached
URL); a control change sends one colour code per area and the summary (one request); the table
then asks for the one block of rows it shows; an area's hover figures are fetched when the
pointer is over it; the trend is drawn only while its tab is shown.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, no_update

from dashboard.i18n import t
from dashboard.measures import fixed_colours
from dashboard.scenario import ScenarioError
from dashboard.tableblock import block
from dashboard.view.widgets import from_widgets
from layouts import ids
from layouts.map import geometry_url, legend, paint_payload, tooltip
from layouts.summary import summary_cards
from layouts.table import block_response, sort_of, undefined_words
from layouts.trend import trend_figure

from .context import query_of, view_from_query

# the widgets a view is made of, in the order of `view_from_controls`
CONTROLS = [Input(ids.SERVICE, "value"), Input(ids.MEASURE, "value"), Input(ids.LEVEL, "value"),
            Input(ids.YEAR, "value"), Input(ids.RATIO_OVERRIDES, "data"), Input(ids.POPULATION_RULE, "value"),
            Input(ids.BETWEEN, "value"), Input(ids.FTE_COST, "value"), Input(ids.WAGE_GROWTH, "value"),
            Input(ids.FTE_CHANGES, "data"), Input(ids.BASEMAP, "value"), Input(ids.PRESENT, "data"),
            Input(ids.CATCHMENT, "value"), Input(ids.RADIUS_KM, "value"), Input(ids.DECAY, "value")]
# what `update` returns, in order
MAP_OUTPUTS = [Output(ids.MAP, "paint"), Output(ids.MAP, "geometry"), Output(ids.MAP, "area_ids"),
               Output(ids.MAP, "basemap"), Output(ids.MAP_LEGEND, "children"), Output(ids.SUMMARY, "children"),
               Output(ids.ALERT, "children"), Output(ids.VIEW_QUERY, "data", allow_duplicate=True)]


def _view(query, values):
    item, base = view_from_query(query)
    return item, from_widgets(base, item.dataset, *values)


def update(trigger, controls, query):
    """The slider path: map colours, city summary and the URL, for the widget values `controls`
    (in the order of CONTROLS) after `trigger` (the id of the widget that changed) moved."""
    item, view = _view(query, controls)
    lang = view.lang
    try:
        result = item.result(view.assumptions)
    except ScenarioError as exc:
        alert = dbc.Alert(t("error.scenario", lang, message=exc.text(lang)), color="danger", id=ids.SCENARIO_ERROR)
        return (no_update,) * 6 + (alert, no_update)
    query = query_of(item, view)
    paint = paint_payload(result, view.measure, lang, query)
    # the geometry travels only with a new level; the legend of fixed classes only with the measure
    # (continuous legends follow the data)
    geometry, area_ids = no_update, no_update
    if trigger == ids.LEVEL:
        geometry = geometry_url(item.dataset.id, view.level, item.dataset.version)
        area_ids = list(result.table.index)
    basemap = view.basemap if trigger == ids.BASEMAP else no_update
    legend_shown = no_update
    if trigger == ids.MEASURE or not fixed_colours(view.measure):
        legend_shown = legend(result, view.measure, lang)
    summary = summary_cards(result.summary, lang, item.service_labels(lang), item.dataset.settings.unit)
    return paint, geometry, area_ids, basemap, legend_shown, summary, [], query


@callback(*MAP_OUTPUTS, *CONTROLS, State(ids.VIEW_QUERY, "data"), prevent_initial_call=True)
def _update(*args):
    return update(ctx.triggered_id, args[:-1], args[-1])


@callback(Output(ids.MAP, "tooltip"), Input(ids.MAP, "hover_area"), prevent_initial_call=True)
def hover_figures(hover):
    """The figures of the area under the pointer, for the view (assumptions) the event names."""
    if not hover or not hover.get("id"):
        return no_update
    query = hover.get("version") or ""
    item, view = view_from_query(query)
    try:
        result = item.result(view.assumptions)
    except ScenarioError:
        return no_update
    if hover["id"] not in result.table.index:
        return no_update
    return tooltip(result, hover["id"], view.lang, item.dataset.year_status(view.year), query, item.dataset.settings.unit)


def trend_chart(query):
    """The trend chart of the view `query` names. Drawn only while its tab is shown (the page sets
    `trend-view` then), so Plotly's bundle is not loaded for a hidden tab and a move costs no request."""
    if not query:
        return no_update
    item, view = view_from_query(query)
    try:
        figure = trend_figure(item.calculator.trend(view.assumptions), view.lang, t("trend.city", view.lang), view.year)
    except ScenarioError:
        return no_update
    return dcc.Graph(id=ids.TREND, figure=figure, config={"displaylogo": False})


@callback(Output(ids.TREND_BOX, "children"), Input(ids.TREND_VIEW, "data"), prevent_initial_call=True)
def _trend_chart(view):
    return trend_chart((view or {}).get("query"))


def table_block(request, query):
    """The rows the grid asks for (`request`: start and end row, sort and filter models) in the view
    `query` names: the last answer's view, so the table always matches the map."""
    if not request:
        return no_update
    item, view = view_from_query(query)
    try:
        result = item.result(view.assumptions)
    except ScenarioError:
        return no_update
    lang = view.lang
    return block_response(block(result.table, lang, undefined_words(lang), int(request.get("startRow") or 0),
                                int(request.get("endRow") or 0), sort_of(request), request.get("filterModel"),
                                item.dataset.settings.unit))


# the grid asks for a block (a page, a sort, a filter, or a new view, see below)
@callback(Output(ids.TABLE, "getRowsResponse"), Input(ids.TABLE, "getRowsRequest"), State(ids.VIEW_QUERY, "data"),
          prevent_initial_call=True)
def _table_block(request, query):
    return table_block(request, query)


# A new view (the answer of `update`) reaches what is shown, in the browser: the grid asks again for
# the block it shows; the trend tab and an open detail panel are told (a hidden one costs no request).
clientside_callback(
    f"""function (query, tab, detailOpen, grid) {{
        var dc = window.dash_clientside;
        dc.caregap.refreshTable(tab === {ids.TAB_TABLE!r}, grid);
        var tabChanged = (dc.callback_context.triggered || []).some(function (t) {{
            return t.prop_id.indexOf({ids.TABS!r} + ".") === 0; }});
        return [tab === {ids.TAB_TREND!r} ? {{query: query, at: Date.now()}} : dc.no_update,
                detailOpen && !tabChanged ? query : dc.no_update,
                tab === {ids.TAB_PROVIDERS!r} ? {{query: query, at: Date.now()}} : dc.no_update];
    }}""",
    Output(ids.TREND_VIEW, "data"), Output(ids.DETAIL_VIEW, "data"), Output(ids.PROVIDERS_VIEW, "data"),
    Input(ids.VIEW_QUERY, "data"), Input(ids.TABS, "active_tab"), State(ids.DETAIL, "is_open"), State(ids.TABLE, "id"),
    prevent_initial_call=True)
