"""Planned FTE changes: add from the form, remove from the list."""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, ctx, no_update

from dashboard.scenario import FteChange
from layouts.changes import changes_list

from .context import view_from_query


@callback(Output("fte-changes", "data"), Output("changes-list", "children"),
          Input("change-add", "n_clicks"), Input({"type": "change-remove", "index": ALL}, "n_clicks"),
          State("change-district", "value"), State("change-service", "value"), State("change-year", "value"),
          State("change-delta", "value"), State("fte-changes", "data"), State("view-query", "data"),
          prevent_initial_call=True)
def edit_changes(add_clicks, remove_clicks, district, service, year, delta, changes, query):
    item, view = view_from_query(query)
    changes = list(changes or [])
    trigger = ctx.triggered_id
    if trigger == "change-add":
        if not add_clicks or district is None or service is None or year is None or not delta:
            return no_update, no_update
        changes.append({"district_id": district, "service": service, "year_from": int(year),
                        "delta_fte": float(delta), "note": ""})
    elif isinstance(trigger, dict) and trigger.get("type") == "change-remove":
        if not any(remove_clicks):  # the list was just re-rendered, nothing was clicked
            return no_update, no_update
        index = trigger["index"]
        changes = [c for i, c in enumerate(changes) if i != index]
    else:
        return no_update, no_update
    typed = tuple(FteChange(**c) for c in changes)
    return changes, changes_list(item.dataset, view.lang, typed)
