"""Saving, renaming, duplicating and deleting scenarios; the share link."""

from __future__ import annotations

from dataclasses import replace

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, no_update
from flask import request

from dashboard.i18n import t
from dashboard.localised import say
from dashboard.scenarios import StoreError, assumptions_to_dict
from layouts.compare import BASELINE, compare_options
from layouts.scenarios import scenario_list, scenario_title, status_line

from .context import query_of, store, view_from_query


def share_link(query: str) -> str:
    """The view's own link: `?scenario=<id>` for an unchanged saved scenario, else every setting."""
    root = request.host_url.rstrip("/") + "/"
    return f"{root}?{query}" if query else root


@callback(Output("scenario-delete-confirm", "displayed"), Input("scenario-delete", "n_clicks"),
          prevent_initial_call=True)
def ask_before_delete(clicks):
    return bool(clicks)


@callback(Output("scenario-link", "value"), Input("view-query", "data"), prevent_initial_call=True)
def follow_link(query):
    return share_link(query or "")


@callback(Output("scenario-feedback", "children"), Output("scenario-status", "children"),
          Output("scenario-list", "children"), Output("view-query", "data", allow_duplicate=True),
          Output("scenario-save", "disabled"), Output("scenario-rename", "disabled"),
          Output("scenario-duplicate", "disabled"), Output("scenario-delete", "disabled"),
          Output("scenario-name", "value"), Output("compare-a", "options"), Output("compare-b", "options"),
          Output("compare-b", "value"), Output("scenario-title", "children"),
          Input("scenario-save", "n_clicks"), Input("scenario-save-new", "n_clicks"),
          Input("scenario-rename", "n_clicks"), Input("scenario-duplicate", "n_clicks"),
          Input("scenario-delete-confirm", "submit_n_clicks"),
          State("scenario-name", "value"), State("scenario-description", "value"), State("current-scenario", "data"),
          State("view-query", "data"), prevent_initial_call=True)
def act_on_scenario(_save, _save_new, _rename, _duplicate, _delete, name, description, current, query):
    item, view = view_from_query(query)
    lang, dataset = view.lang, item.dataset
    current = current or {}
    s = store()
    # a tab mounts its content lazily, which fires this with no click at all: act on real clicks only
    clicked = [t["prop_id"].split(".")[0] for t in ctx.triggered if t.get("value")]
    if not clicked:
        return (no_update,) * 13
    trigger = clicked[0]
    assumptions = assumptions_to_dict(view.assumptions, view.measure)
    try:
        if trigger == "scenario-save-new":
            scenario = s.create(name or "", dataset.id, dataset.version, assumptions, description or "")
            message = t("scenario.saved", lang, name=scenario.name)
        elif trigger == "scenario-save":
            scenario = s.save(current["id"], current["revision"], name=name, description=description or "",
                              assumptions=assumptions, dataset_version=dataset.version)
            message = t("scenario.saved", lang, name=scenario.name)
        elif trigger == "scenario-rename":
            scenario = s.rename(current["id"], current["revision"], name or "")
            message = t("scenario.renamed", lang, name=scenario.name)
        elif trigger == "scenario-duplicate":
            scenario = s.duplicate(current["id"])
            message = t("scenario.duplicated", lang, name=scenario.name)
        elif trigger == "scenario-delete-confirm":
            s.delete(current["id"], current["revision"])
            scenario = None
            message = t("scenario.deleted", lang, name=current.get("name", ""))
        else:
            return (no_update,) * 13
    except (StoreError, KeyError) as exc:
        alert = dbc.Alert(t("scenario.error", lang, message=say(exc, lang)), color="danger", id="scenario-alert")
        return (alert,) + (no_update,) * 12
    new_view = replace(view, scenario=scenario.id if scenario else None)
    saved = s.list(dataset.id)
    options = compare_options(saved, lang)
    none = scenario is None
    return (dbc.Alert(message, color="success", id="scenario-alert", duration=6000), status_line(scenario, lang),
            scenario_list(saved, lang, None if none else scenario.id), query_of(item, new_view),
            none, none, none, none, "" if none else scenario.name, options, options,
            BASELINE if none else scenario.id, scenario_title(scenario, lang))


@callback(Output("current-scenario", "data"), Input("scenario-status", "children"), State("view-query", "data"),
          prevent_initial_call=True)
def remember_current(_, query):
    """The scenario the page works on, with the revision its next save must start from."""
    _, view = view_from_query(query)
    if not view.scenario:
        return None
    scenario = store().get(view.scenario)
    return {"id": scenario.id, "revision": scenario.revision, "name": scenario.name}
