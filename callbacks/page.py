"""Page rendering from the URL, language and dataset switches, presentation mode."""

from __future__ import annotations

from dataclasses import replace

from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, no_update

from dashboard.i18n import t
from layouts.page import build_page

from layouts.importer import import_page

from .context import datasets, query_of, store, view_from_query
from .scenarios import share_link


@callback(Output("page", "children"), Output("view-query", "data"), Input("url", "pathname"), Input("url", "search"))
def render_page(pathname, search):
    if (pathname or "").rstrip("/").endswith("/import"):
        return import_page("en" if "lang=en" in (search or "") else "de"), no_update
    item, view = view_from_query(search)
    query = query_of(item, view)
    scenario = store().get(view.scenario) if view.scenario else None
    saved = store().list(item.dataset.id)
    return build_page(item, view, datasets(), scenario, saved, share_link(query), query), query


@callback(Output("url", "search"), Input("lang", "value"), Input("dataset-picker", "value"),
          State("view-query", "data"), prevent_initial_call=True)
def switch_language_or_dataset(lang, dataset_id, query):
    item, view = view_from_query(query)
    if ctx.triggered_id == "dataset-picker":
        if dataset_id == item.dataset.id:
            return no_update
        return f"?dataset={dataset_id}" + (f"&lang={view.lang}" if view.lang != "de" else "")
    if lang == view.lang:
        return no_update
    return "?" + query_of(item, replace(view, lang=lang))


@callback(Output("present", "data"), Output("root", "className"), Output("present-toggle", "children"),
          Input("present-toggle", "n_clicks"), State("present", "data"), State("view-query", "data"),
          prevent_initial_call=True)
def toggle_presentation(_, present, query):
    _, view = view_from_query(query)
    present = not present
    return present, "caregap" + (" presentation" if present else ""), \
        t("nav.present_off" if present else "nav.present", view.lang)


# the address bar follows the view without reloading (replaceState fires no navigation event)
clientside_callback(ClientsideFunction("caregap", "syncAddressBar"), Output("url", "hash"),
                    Input("view-query", "data"), prevent_initial_call=True)
# the area whose detail panel is open is outlined on the map
clientside_callback("function (unit) { return unit; }", Output("map", "selected"), Input("selected-unit", "data"),
                    prevent_initial_call=True)
