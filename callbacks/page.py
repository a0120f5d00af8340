"""Page rendering from the URL, language and dataset switches, presentation mode."""

from __future__ import annotations

from dataclasses import replace

from dash import MATCH, ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, no_update

from dashboard.i18n import t
from dashboard.scenario import ScenarioError
from dashboard.view import default_view
from layouts import ids
from dashboard.view.url import link_of
from layouts.controls import DISTANCE
from layouts.importer import import_page
from layouts.page import build_page

from .context import datasets, query_of, store, view_from_query
from .scenarios import share_link


# not on load: the initial layout holds the page already (app.py), its address component starts at
# that address; without one, the component reports the address when it mounts, which calls this
@callback(Output(ids.PAGE, "children"), Output(ids.VIEW_QUERY, "data"), Input(ids.URL, "pathname"),
          Input(ids.URL, "search"), prevent_initial_call=True)
def render_page(pathname, search):
    """(page, the view's query) for the address: the import page or the view the query describes."""
    if (pathname or "").rstrip("/").endswith("/import"):
        return import_page(link_of(search).lang), no_update
    item, view = view_from_query(search)
    try:
        item.calculator.compute(view.assumptions)  # the slider path's check, before anything is built
    except ScenarioError as exc:  # a view no check foresaw: the default view, saying why (never a blank page)
        notice = t("error.scenario", view.lang, message=exc.text(view.lang))
        view = replace(default_view(item.dataset, item.dataset.id), lang=view.lang, notices=(*view.notices, notice))
    query = query_of(item, view)
    scenario = store().get(view.scenario) if view.scenario else None
    saved = store().list(item.dataset.id)
    return build_page(item, view, datasets(), scenario, saved, share_link(query), query), query


def switch_language_or_dataset(trigger, lang, dataset_id, query):
    """The new address after the language buttons or the dataset picker (`trigger`: which) changed."""
    item, view = view_from_query(query)
    if trigger == ids.DATASET_PICKER:
        if dataset_id == item.dataset.id:
            return no_update
        return f"?dataset={dataset_id}" + (f"&lang={view.lang}" if view.lang != "de" else "")
    if lang == view.lang:
        return no_update
    return "?" + query_of(item, replace(view, lang=lang))


@callback(Output(ids.URL, "search"), Input(ids.LANG, "value"), Input(ids.DATASET_PICKER, "value"),
          State(ids.VIEW_QUERY, "data"), prevent_initial_call=True)
def _switch_language_or_dataset(*args):
    return switch_language_or_dataset(ctx.triggered_id, *args)


@callback(Output(ids.PRESENT, "data"), Output(ids.ROOT, "className"), Output(ids.PRESENT_TOGGLE, "children"),
          Input(ids.PRESENT_TOGGLE, "n_clicks"), State(ids.PRESENT, "data"), State(ids.VIEW_QUERY, "data"),
          prevent_initial_call=True)
def toggle_presentation(_, present, query):
    _, view = view_from_query(query)
    present = not present
    return present, "caregap" + (" presentation" if present else ""), \
        t("nav.present_off" if present else "nav.present", view.lang)


# the address bar follows the view without reloading (replaceState fires no navigation event)
clientside_callback(ClientsideFunction("caregap", "syncAddressBar"), Output(ids.URL, "hash"),
                    Input(ids.VIEW_QUERY, "data"), prevent_initial_call=True)
# the area whose detail panel is open is outlined on the map
clientside_callback("function (unit) { return unit; }", Output(ids.MAP, "selected"), Input(ids.SELECTED_UNIT, "data"),
                    prevent_initial_call=True)
# the presentation mode's keyboard shortcuts: one keydown listener, installed with the page
clientside_callback(ClientsideFunction("caregap", "installShortcuts"), Output(ids.PRESENT_BAR, "title"),
                    Input(ids.PRESENT, "data"), State(ids.PRESENT_BAR, "id"))
# each target-ratio slider's value written as a ratio (1 : 2.500) under its label, as it moves
clientside_callback(ClientsideFunction("caregap", "ratioText"),
                    Output({"type": ids.RATIO_VALUE_TYPE, "service": MATCH}, "children"),
                    Input({"type": ids.RATIO_SLIDER_TYPE, "service": MATCH}, "value"),
                    State({"type": ids.RATIO_VALUE_TYPE, "service": MATCH}, "data-lang"), prevent_initial_call=True)


# radius and decay mean something only with the distance rule: shown with it, hidden otherwise
clientside_callback(f"function (rule) {{ return rule !== {DISTANCE!r}; }}", Output(ids.CATCHMENT_DISTANCE, "hidden"),
                    Input(ids.CATCHMENT, "value"), prevent_initial_call=True)
