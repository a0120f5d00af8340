"""Planned FTE changes: add from the form, remove from the list."""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, ctx, no_update

from dashboard.scenario import FteChange
from layouts import ids
from layouts.changes import changes_list

from .context import view_from_query


def edit_changes(trigger, add_clicks, remove_clicks, district, service, year, delta, changes, query):
    """(changes, list) after the add button or a remove button (`trigger`, its id) was clicked."""
    item, view = view_from_query(query)
    changes = list(changes or [])
    if trigger == ids.CHANGE_ADD:
        if not add_clicks or district is None or service is None or year is None or not delta:
            return no_update, no_update
        changes.append({"district_id": district, "service": service, "year_from": int(year),
                        "delta_fte": float(delta), "note": ""})
    elif isinstance(trigger, dict) and trigger.get("type") == ids.CHANGE_REMOVE_TYPE:
        if not any(remove_clicks):  # the list was just re-rendered, nothing was clicked
            return no_update, no_update
        index = trigger["index"]
        changes = [c for i, c in enumerate(changes) if i != index]
    else:
        return no_update, no_update
    typed = tuple(FteChange(**c) for c in changes)
    return changes, changes_list(item.dataset, view.lang, typed)


@callback(Output(ids.FTE_CHANGES, "data"), Output(ids.CHANGES_LIST, "children"),
          Input(ids.CHANGE_ADD, "n_clicks"), Input({"type": ids.CHANGE_REMOVE_TYPE, "index": ALL}, "n_clicks"),
          State(ids.CHANGE_DISTRICT, "value"), State(ids.CHANGE_SERVICE, "value"), State(ids.CHANGE_YEAR, "value"),
          State(ids.CHANGE_DELTA, "value"), State(ids.FTE_CHANGES, "data"), State(ids.VIEW_QUERY, "data"),
          prevent_initial_call=True)
def _edit_changes(*args):
    return edit_changes(ctx.triggered_id, *args)
