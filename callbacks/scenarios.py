"""Saving, renaming, duplicating and deleting scenarios; the share link."""

from __future__ import annotations

from dataclasses import replace

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, no_update
from flask import request

from dashboard.i18n import t
from dashboard.localised import say
from dashboard.scenarios import StoreError, assumptions_to_dict
from layouts import ids
from layouts.compare import BASELINE, compare_options
from dashboard.view.url import SHOWN_ONLY
from layouts.scenarios import scenario_list, scenario_title, status_line

from .context import query_of, store, view_from_query
from .triggers import clicked


def share_link(query: str) -> str:
    """The view's own link: `?scenario=<id>` for an unchanged saved scenario, else every setting."""
    root = request.host_url.rstrip("/") + "/"
    return f"{root}?{query}" if query else root


@callback(Output(ids.SCENARIO_DELETE_CONFIRM, "displayed"), Input(ids.SCENARIO_DELETE, "n_clicks"),
          prevent_initial_call=True)
def ask_before_delete(clicks):
    return bool(clicks)


# the link follows the view in the browser (as `share_link` writes it): no request of its own
clientside_callback("""function (query) {
    return window.location.origin + "/" + (query ? "?" + query : ""); }""",
                    Output(ids.SCENARIO_LINK, "value"), Input(ids.VIEW_QUERY, "data"), prevent_initial_call=True)

# the copy button presses the clipboard (dcc.Clipboard copies whenever its n_clicks changes)
clientside_callback("function (clicks) { return clicks; }", Output(ids.SCENARIO_CLIPBOARD, "n_clicks"),
                    Input(ids.SCENARIO_COPY, "n_clicks"), prevent_initial_call=True)


def _saved_description(scenario_id: str | None) -> str | None:
    """The stored description of a scenario (None if there is none by that id)."""
    try:
        return store().get(scenario_id).description if scenario_id else None
    except StoreError:
        return None


def act_on_scenario(trigger, name, description, current, query):
    """Save, save as new, rename, duplicate or delete (`trigger`: the button clicked, None for none);
    the feedback, the panel, the new query and the compare choices."""
    # a tab mounts its content lazily, which fires the callback with no click at all: act on real clicks only
    if trigger is None:
        return (no_update,) * 13
    item, view = view_from_query(query)
    lang, dataset = view.lang, item.dataset
    current = current or {}
    s = store()
    assumptions = assumptions_to_dict(view.assumptions, view.measure)
    try:
        if trigger == ids.SCENARIO_SAVE_NEW:
            # a new scenario starts without the open one's description unless it was edited
            if (description or "") == _saved_description(current.get("id")):
                description = ""
            scenario = s.create(name or "", dataset.id, dataset.version, assumptions, description or "")
            message = t("scenario.saved", lang, name=scenario.name)
        elif trigger == ids.SCENARIO_SAVE:
            scenario = s.save(current["id"], current["revision"], name=name, description=description or "",
                              assumptions=assumptions, dataset_version=dataset.version)
            message = t("scenario.saved", lang, name=scenario.name)
        elif trigger == ids.SCENARIO_RENAME:
            scenario = s.rename(current["id"], current["revision"], name or "")
            message = t("scenario.renamed", lang, name=scenario.name)
        elif trigger == ids.SCENARIO_DUPLICATE:
            scenario = s.duplicate(current["id"])
            message = t("scenario.duplicated", lang, name=scenario.name)
        elif trigger == ids.SCENARIO_DELETE_CONFIRM:
            s.delete(current["id"], current["revision"])
            scenario = None
            message = t("scenario.deleted", lang, name=current.get("name", ""))
        else:
            return (no_update,) * 13
    except (StoreError, KeyError) as exc:
        alert = dbc.Alert(t("scenario.error", lang, message=say(exc, lang)), color="danger", id=ids.SCENARIO_ALERT)
        return (alert,) + (no_update,) * 12
    new_view = replace(view, scenario=scenario.id if scenario else None)
    saved = s.list(dataset.id)
    options = compare_options(saved, lang)
    none = scenario is None
    return (dbc.Alert(message, color="success", id=ids.SCENARIO_ALERT, duration=6000), status_line(scenario, lang),
            scenario_list(saved, lang, None if none else scenario.id, item.service_labels(lang)),
            query_of(item, new_view),
            none, none, none, none, "" if none else scenario.name, options, options,
            BASELINE if none else scenario.id, scenario_title(scenario, lang))


@callback(Output(ids.SCENARIO_FEEDBACK, "children"), Output(ids.SCENARIO_STATUS, "children"),
          Output(ids.SCENARIO_LIST, "children"), Output(ids.VIEW_QUERY, "data", allow_duplicate=True),
          Output(ids.SCENARIO_SAVE, "disabled"), Output(ids.SCENARIO_RENAME, "disabled"),
          Output(ids.SCENARIO_DUPLICATE, "disabled"), Output(ids.SCENARIO_DELETE, "disabled"),
          Output(ids.SCENARIO_NAME, "value"), Output(ids.COMPARE_A, "options"), Output(ids.COMPARE_B, "options"),
          Output(ids.COMPARE_B, "value"), Output(ids.SCENARIO_TITLE, "children"),
          Input(ids.SCENARIO_SAVE, "n_clicks"), Input(ids.SCENARIO_SAVE_NEW, "n_clicks"),
          Input(ids.SCENARIO_RENAME, "n_clicks"), Input(ids.SCENARIO_DUPLICATE, "n_clicks"),
          Input(ids.SCENARIO_DELETE_CONFIRM, "submit_n_clicks"),
          State(ids.SCENARIO_NAME, "value"), State(ids.SCENARIO_DESCRIPTION, "value"),
          State(ids.CURRENT_SCENARIO, "data"), State(ids.VIEW_QUERY, "data"), prevent_initial_call=True)
def _act_on_scenario(_save, _save_new, _rename, _duplicate, _delete, *rest):
    return act_on_scenario(clicked(), *rest)


@callback(Output(ids.CURRENT_SCENARIO, "data"), Input(ids.SCENARIO_STATUS, "children"),
          State(ids.VIEW_QUERY, "data"), prevent_initial_call=True)
def remember_current(_, query):
    """The scenario the page works on, with the revision its next save must start from."""
    _, view = view_from_query(query)
    if not view.scenario:
        return None
    scenario = store().get(view.scenario)
    return {"id": scenario.id, "revision": scenario.revision, "name": scenario.name}


# "changed, not saved" next to the open scenario's name, in the browser (no request per key press):
# the same rule as dashboard.view.url.differs_from_scenario, whose tests define it
clientside_callback(
    f"""function (query, text) {{
        var params = new URLSearchParams(query || ""), shown = {list(SHOWN_ONLY)!r}, changed = false;
        params.forEach(function (value, key) {{ if (shown.indexOf(key) < 0) {{ changed = true; }} }});
        return params.has("scenario") && changed ? text : "";
    }}""",
    Output(ids.SCENARIO_CHANGED, "children"), Input(ids.VIEW_QUERY, "data"), State(ids.SCENARIO_CHANGED_TEXT, "data"))
