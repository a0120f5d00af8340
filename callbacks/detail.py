"""Detail panel: a click on the map or a table row opens the area's figures, sites and trend."""

from __future__ import annotations

from dash import Input, Output, State, callback, ctx, no_update

from dashboard.dataset import sites_in_unit
from dashboard.scenario import ScenarioError
from layouts import ids
from layouts.detail import detail_body
from layouts.trend import trend_figure

from .context import view_from_query


def _parents(item, level: str, unit_id: str, lang: str) -> list[str]:
    """Coarser groups the unit belongs to (only for the finest level)."""
    s = item.dataset.settings
    if level != s.base_level:
        return []
    row = item.dataset.districts.set_index("district_id").loc[unit_id]
    return [f"{s.level_label(lv, lang)} {row[lv]}" for lv in s.levels]


def show_detail(trigger, click, row, query, is_open, selected):
    """(open, title, body, selected unit) after a map click, a table row clicked or chosen by keyboard
    (`trigger`: which; `row`: the area id of the row) or a change of the view under an open panel."""
    if trigger == ids.MAP and click:
        selected = click["id"]
    elif trigger == ids.TABLE and row:
        selected = row
    elif not is_open:
        return no_update, no_update, no_update, no_update
    item, view = view_from_query(query)
    if selected is None:
        return no_update, no_update, no_update, no_update
    try:
        result = item.result(view.assumptions)  # the move's own figures, kept
        if selected not in result.table.index:  # the level changed under an open panel
            return False, no_update, no_update, None
        trend = item.calculator.trend(view.assumptions, selected)
        serving = item.calculator.serving(result.assumptions, selected)
    except ScenarioError:
        return no_update, no_update, no_update, no_update
    row = result.table.loc[selected]
    lang = view.lang
    body = detail_body(row, item.dataset.year_status(view.year),
                       sites_in_unit(item.dataset, view.level, selected, view.year),
                       trend_figure(trend, lang, row["name"], view.year), item.service_labels(lang), lang,
                       _parents(item, view.level, selected, lang), serving, item.dataset.settings.unit)
    return True, row["name"], body, selected


@callback(Output(ids.DETAIL, "is_open"), Output(ids.DETAIL, "title"), Output(ids.DETAIL_BODY, "children"),
          Output(ids.SELECTED_UNIT, "data"),
          Input(ids.MAP, "click_area"), Input(ids.TABLE, "cellClicked"), Input(ids.TABLE, "selectedRows"),
          Input(ids.DETAIL_VIEW, "data"),  # a new view while the panel is open (set in the browser)
          State(ids.VIEW_QUERY, "data"), State(ids.DETAIL, "is_open"), State(ids.SELECTED_UNIT, "data"),
          prevent_initial_call=True)
def _show_detail(click, cell, rows, _view, *args):
    # a mouse click names the row in cellClicked; Space on a focused row selects it (selectedRows)
    prop = ctx.triggered[0]["prop_id"].rsplit(".", 1)[-1] if ctx.triggered else ""
    row = (cell or {}).get("rowId") if prop == "cellClicked" else (rows or [{}])[0].get("id")
    return show_detail(ctx.triggered_id, click, row, *args)
