"""Provider tab: the table per provider for the view the link describes, when the tab is shown."""

from __future__ import annotations

from dash import Input, Output, callback, no_update

from dashboard.providers import provider_table
from dashboard.scenario import ScenarioError
from layouts import ids
from layouts.providers import providers_table

from .context import view_from_query


def show_providers(tab, query):
    if tab != ids.TAB_PROVIDERS:
        return no_update
    item, view = view_from_query(query)
    try:
        return providers_table(provider_table(item.calculator, view.assumptions), view.lang)
    except ScenarioError:
        return no_update


# the browser sets PROVIDERS_VIEW only while the tab is shown (see callbacks/update.py)
@callback(Output(ids.PROVIDERS_TABLE, "children"), Input(ids.PROVIDERS_VIEW, "data"), prevent_initial_call=True)
def _show_providers(view):
    return show_providers(ids.TAB_PROVIDERS, (view or {}).get("query"))
