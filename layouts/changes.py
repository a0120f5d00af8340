"""Planned changes: add or remove posts in an area from a year on."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.dataset import Dataset
from dashboard.formatting import fmt_number
from dashboard.i18n import t
from dashboard.scenario import FteChange

from . import ids


def dropdown_labels(lang: str) -> dict[str, str]:
    """The dropdown's own words (search box, nothing found, …) in the page's language."""
    return {key: t(f"dropdown.{key}", lang) for key in ("search", "clear_search", "clear_selection",
                                                         "no_options_found", "select_all", "deselect_all",
                                                         "selected_count")}


def changes_form(dataset: Dataset, lang: str, changes: tuple[FteChange, ...]) -> html.Div:
    s = dataset.settings
    districts = [{"label": f"{n} ({i})", "value": i} for i, n in zip(dataset.districts["district_id"], dataset.districts["name"])]
    services = [{"label": spec.label_for(lang), "value": k} for k, spec in s.services.items()]
    return html.Div([
        html.P(t("changes.intro", lang), className="text-muted small"),
        dbc.Row([
            dbc.Col([dbc.Label(t("changes.district", lang), html_for=ids.CHANGE_DISTRICT),
                     # searchable: typing part of a name filters the list
                     dcc.Dropdown(id=ids.CHANGE_DISTRICT, options=districts, clearable=False, searchable=True,
                                  placeholder=t("changes.district_placeholder", lang), labels=dropdown_labels(lang),
                                  value=districts[0]["value"] if districts else None)], md=4),
            dbc.Col([dbc.Label(t("changes.service", lang), html_for=ids.CHANGE_SERVICE),
                     dcc.Dropdown(id=ids.CHANGE_SERVICE, options=services, value=services[0]["value"], clearable=False,
                                  labels=dropdown_labels(lang))], md=3),
            dbc.Col([dbc.Label(t("changes.year_from", lang), html_for=ids.CHANGE_YEAR),
                     dbc.Input(id=ids.CHANGE_YEAR, type="number", min=dataset.years[0], max=dataset.years[-1], step=1,
                               value=s.base_year + 1 if s.base_year + 1 in dataset.years else dataset.years[0])], md=2),
            dbc.Col([dbc.Label(t("changes.delta", lang), html_for=ids.CHANGE_DELTA),
                     dbc.Input(id=ids.CHANGE_DELTA, type="number", step=0.05, value=1.0)], md=True),
            # as wide as its word: a twelfth of the row cut "Hinzufügen" off at 1280 px
            dbc.Col(dbc.Button(t("changes.add", lang), id=ids.CHANGE_ADD, color="primary", className="text-nowrap"),
                    xs="auto", className="d-flex align-items-end"),
        ], className="g-2 mb-3"),
        html.Div(changes_list(dataset, lang, changes), id=ids.CHANGES_LIST),
    ])


def changes_list(dataset: Dataset, lang: str, changes: tuple[FteChange, ...]) -> html.Div:
    if not changes:
        return html.P(t("changes.none", lang), className="text-muted")
    names = dict(zip(dataset.districts["district_id"], dataset.districts["name"]))
    items = []
    for i, c in enumerate(changes):
        text = t("changes.row", lang, district=names.get(c.district_id, c.district_id),
                 delta=fmt_number(c.delta_fte, lang, 2, signed=True),
                 service=dataset.settings.services[c.service].label_for(lang), year=c.year_from)
        items.append(dbc.ListGroupItem([
            html.Span(text),
            dbc.Button(t("changes.remove", lang), id={"type": ids.CHANGE_REMOVE_TYPE, "index": i}, size="sm",
                       color="link", className="ms-2 p-0"),
        ], className="d-flex justify-content-between align-items-center"))
    return dbc.ListGroup(items)
