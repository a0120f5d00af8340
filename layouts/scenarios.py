"""Saved scenarios: save, save as new, rename, duplicate, delete, share link, list."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.i18n import t
from dashboard.localised import say
from dashboard.scenario import ALL_SERVICES, ScenarioError
from dashboard.scenarios import Scenario

from . import ids


def changed_mark(lang: str) -> str:
    """Next to the open scenario's name once the view differs from what was saved (the browser shows
    it then: callbacks/scenarios.py)."""
    return t("scenario.changed", lang)


def scenario_title(scenario: Scenario | None, lang: str) -> str:
    """Name of the open scenario for the title bar, so a committee sees which option is shown."""
    return t("scenario.current", lang, name=scenario.name) if scenario else ""


def local_time(moment) -> str:
    """A stored (UTC) time in the server's local time zone, as people read clocks."""
    return moment.astimezone().strftime("%d.%m.%Y %H:%M")


def status_line(scenario: Scenario | None, lang: str) -> html.Div:
    if scenario is None:
        return html.Div(t("scenario.unsaved", lang), className="text-muted")
    saved = t("scenario.current_saved", lang, time=local_time(scenario.updated_at), revision=scenario.revision)
    return html.Div([html.Strong(t("scenario.current", lang, name=scenario.name)), " · ",
                     html.Span(saved, className="text-muted")])


def scenario_list(scenarios: list[Scenario], lang: str, current_id: str | None,
                  labels: dict[str, str] | None = None) -> html.Div:
    """The saved scenarios; `labels`: each service's label by key (with `all` for all services)."""
    if not scenarios:
        return html.P(t("scenario.none", lang), className="text-muted")
    labels = {ALL_SERVICES: t("control.all_services", lang), **(labels or {})}
    items = []
    for s in scenarios:
        try:
            a, _ = s.typed()
            summary = f"{a.year} · {labels.get(a.service, a.service)}"
        except ScenarioError as exc:  # listed all the same, so it can be opened (with a notice) or deleted
            summary = say(exc, lang)
        items.append(dbc.ListGroupItem([
            dcc.Link(s.name, href=f"/?scenario={s.id}" + ("&lang=en" if lang == "en" else ""),
                     className="fw-semibold" + (" text-decoration-underline" if s.id == current_id else ""),
                     id={"type": ids.SCENARIO_OPEN_TYPE, "id": s.id}),
            html.Small(f" · {summary} · {local_time(s.updated_at)}", className="text-muted"),
            html.Div(s.description, className="small text-muted") if s.description else None,
        ]))
    return dbc.ListGroup(items, flush=True)


def scenarios_panel(scenario: Scenario | None, saved: list[Scenario], lang: str, link: str,
                    labels: dict[str, str] | None = None) -> html.Div:
    return html.Div([
        html.Div(status_line(scenario, lang), id=ids.SCENARIO_STATUS, className="mb-2"),
        dbc.Row([
            dbc.Col([dbc.Label(t("scenario.name", lang), html_for=ids.SCENARIO_NAME),
                     dbc.Input(id=ids.SCENARIO_NAME, value=scenario.name if scenario else "", maxLength=120,
                               placeholder=t("scenario.name_placeholder", lang))], md=5),
            dbc.Col([dbc.Label(t("scenario.description", lang), html_for=ids.SCENARIO_DESCRIPTION),
                     dbc.Textarea(id=ids.SCENARIO_DESCRIPTION, value=scenario.description if scenario else "",
                                  rows=1)], md=7),
        ], className="g-2 mb-2"),
        html.Div([
            dbc.Button(t("scenario.save", lang), id=ids.SCENARIO_SAVE, color="primary", disabled=scenario is None),
            dbc.Button(t("scenario.save_new", lang), id=ids.SCENARIO_SAVE_NEW, color="primary", outline=True),
            dbc.Button(t("scenario.rename", lang), id=ids.SCENARIO_RENAME, color="secondary", outline=True,
                       disabled=scenario is None),
            dbc.Button(t("scenario.duplicate", lang), id=ids.SCENARIO_DUPLICATE, color="secondary", outline=True,
                       disabled=scenario is None),
            dbc.Button(t("scenario.delete", lang), id=ids.SCENARIO_DELETE, color="danger", outline=True,
                       disabled=scenario is None),
        ], className="d-flex flex-wrap gap-2 mb-2"),
        dcc.ConfirmDialog(id=ids.SCENARIO_DELETE_CONFIRM,
                          message=t("scenario.delete_confirm", lang, name=scenario.name if scenario else "")),
        html.Div(id=ids.SCENARIO_FEEDBACK),
        dbc.Label(t("scenario.link", lang), html_for=ids.SCENARIO_LINK, className="mt-2"),
        dbc.InputGroup([dbc.Input(id=ids.SCENARIO_LINK, value=link, readonly=True),
                        # a button (Tab, Enter, Space), not the clipboard's bare icon; its icon shows the copy
                        dbc.Button([dcc.Clipboard(id=ids.SCENARIO_CLIPBOARD, target_id=ids.SCENARIO_LINK,
                                                  className="caregap-copy-icon"), " ", t("scenario.copy", lang)],
                                   id=ids.SCENARIO_COPY, color="secondary", outline=True, title=t("scenario.copy", lang))]),
        html.H3(t("scenario.list", lang), className="h6 mt-3"),
        html.Div(scenario_list(saved, lang, scenario.id if scenario else None, labels), id=ids.SCENARIO_LIST),
    ])


