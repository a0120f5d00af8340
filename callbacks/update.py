"""The slider path: controls → core figures → the map's paint, summary, table, trend, URL.

Only what changed travels: the map's geometry stays in the browser (loaded once from its cached
URL); a control change sends one colour code per area and the summary; an area's hover figures
are fetched when the pointer is over it.
"""

from __future__ import annotations

from dataclasses import replace

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, no_update

from dashboard.i18n import t
from dashboard.scenario import FteChange, ScenarioError
from dashboard.viewstate import ViewState
from layouts.map import geometry_url, legend, paint_payload, tooltip
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


def _view(query, values):
    item, base = view_from_query(query)
    s = item.dataset.settings
    return item, view_from_controls(base, next(iter(s.services.values())).between_milestones, s.fte_cost_eur,
                                    s.wage_growth, *values)


@callback(Output("map", "paint"), Output("map", "geometry"), Output("map", "area_ids"), Output("map", "basemap"),
          Output("map-legend", "children"), Output("summary", "children"),
          Output("alert", "children"), Output("view-query", "data", allow_duplicate=True),
          *CONTROLS, State("view-query", "data"), prevent_initial_call=True)
def update(*args):
    """The slider path: map colours, city summary and the URL."""
    item, view = _view(args[-1], args[:-1])
    lang = view.lang
    try:
        result = item.calculator.compute(view.assumptions())
    except ScenarioError as exc:
        alert = dbc.Alert(t("error.scenario", lang, message=str(exc)), color="danger", id="scenario-error")
        return (no_update,) * 6 + (alert, no_update)
    query = query_of(item, view)
    paint = paint_payload(result, view.measure, lang, query)
    # the geometry travels only with a new level; the coverage legend only with the measure
    # (continuous legends follow the data)
    geometry, area_ids = no_update, no_update
    if ctx.triggered_id == "level":
        geometry = geometry_url(item.dataset.id, view.level, item.dataset.version)
        area_ids = list(result.table.index)
    basemap = view.basemap if ctx.triggered_id == "basemap" else no_update
    legend_shown = no_update
    if ctx.triggered_id == "measure" or view.measure != "coverage":
        legend_shown = legend(result, view.measure, lang)
    summary = summary_cards(result.summary, lang, service_labels(item, lang))
    return paint, geometry, area_ids, basemap, legend_shown, summary, [], query


@callback(Output("map", "tooltip"), Input("map", "hover_area"), prevent_initial_call=True)
def hover_figures(hover):
    """The figures of the area under the pointer, for the view (assumptions) the event names."""
    if not hover or not hover.get("id"):
        return no_update
    query = hover.get("version") or ""
    item, view = view_from_query(query)
    try:
        result = item.calculator.compute(view.assumptions())
    except ScenarioError:
        return no_update
    if hover["id"] not in result.table.index:
        return no_update
    return tooltip(result, hover["id"], view.lang, item.dataset.year_status(view.year), query)


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
            return table_rows(item.calculator.compute(view.assumptions())), no_update
        return no_update, trend_figure(item.calculator.trend(view.assumptions()), view.lang, t("trend.city", view.lang),
                                       view.year)
    except ScenarioError:
        return no_update, no_update
