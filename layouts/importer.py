"""The import page: upload three files, check column choices, describe the dataset, check, save."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dash_table, dcc, html

from dashboard.i18n import t
from dashboard.importer.agecolumns import band_rows
from dashboard.importer.mapping import POPULATION_ROLES, SERVICE_ROLES
from dashboard.importer.safety import ROLE_SUFFIXES, Limits

from . import ids

TABLE_ROLES = ("boundaries", "population", "services")  # the three files every import needs
UPLOAD_ROLES = (*TABLE_ROLES, "mapping", "settings")  # and two it may bring instead of the choices on the page
ACCEPT = {role: ",".join(suffixes) for role, suffixes in ROLE_SUFFIXES.items()}
# the roles offered as column choices (the rest are recognised or optional)
CHOICES = {"boundaries": ("id", "name"), "population": POPULATION_ROLES[:4],
           "services": tuple(r for r in SERVICE_ROLES if r in ("site_id", "service", "fte", "year_from", "year_to",
                                                               "district_id", "lon", "lat"))}


def upload_box(role: str, lang: str) -> html.Div:
    return html.Div([
        dbc.Label(t(f"import.{role}", lang), html_for=ids.upload(role), className="fw-semibold"),
        dcc.Upload(id=ids.upload(role), children=html.Div(t("import.drop", lang)), accept=ACCEPT[role],
                   className="caregap-upload", max_size=Limits().max_file_bytes),
        html.Div(id=ids.upload_status(role), className="small mt-1"),
    ], className="mb-3")


def column_choices(role: str, headers: list[str], lang: str) -> list:
    """Dropdowns for the roles of one table; empty means: recognise."""
    options = [{"label": h, "value": h} for h in headers]
    return [dbc.Col([dbc.Label(r, html_for={"type": ids.IMPORT_COLUMN_TYPE, "table": role, "role": r}, className="small mb-0"),
                     dcc.Dropdown(id={"type": ids.IMPORT_COLUMN_TYPE, "table": role, "role": r}, options=options,
                                  placeholder=t("import.auto", lang), clearable=True)], md=3)
            for r in CHOICES[role]]


def preview_block(role: str, name: str, headers: list[str], rows: list[dict], lang: str) -> html.Div:
    return html.Div([
        html.H3(t("import.preview", lang, name=name), className="h6 mt-2"),
        dash_table.DataTable(columns=[{"name": h, "id": h} for h in headers], data=rows,
                             style_table={"overflowX": "auto"}, style_cell={"fontFamily": "inherit", "fontSize": "0.85rem"}),
        dbc.Row(column_choices(role, headers, lang), className="g-2 mt-1"),
        *(band_editor(headers, lang) if role == "population" else []),
    ], className="mb-3")


def band_editor(headers: list[str], lang: str) -> list:
    """Every age column with the band read from its header; the planner corrects or fills in a band."""
    rows = [{**row, "kind": t(f"import.bands.kind.{row['kind']}", lang)} for row in band_rows(headers)]
    if not rows:
        return []
    return [html.Div(t("import.bands.heading", lang), className="small fw-semibold mt-2"),
            html.Div(t("import.bands.intro", lang), className="small text-muted"),
            dash_table.DataTable(
                id={"type": ids.IMPORT_BANDS_TYPE, "table": "population"}, data=rows, editable=True,
                columns=[{"name": t("import.bands.column", lang), "id": "column", "editable": False},
                         {"name": t("import.bands.band", lang), "id": "band"},
                         {"name": t("import.bands.used_as", lang), "id": "kind", "editable": False}],
                page_size=50, style_table={"maxWidth": "40rem"},
                style_cell={"fontFamily": "inherit", "fontSize": "0.85rem", "textAlign": "left"},
                style_data_conditional=[{"if": {"filter_query": "{band} = ''", "column_id": "band"},
                                         "backgroundColor": "#fde2e1"}])]


def services_editor(lang: str) -> dash_table.DataTable:
    return dash_table.DataTable(
        id=ids.IMPORT_SERVICES, editable=True, row_deletable=True,
        columns=[{"name": t("import.service_key", lang), "id": "key"},
                 {"name": t("import.service_label", lang), "id": "label"},
                 {"name": t("import.milestones", lang), "id": "milestones"},
                 {"name": t("import.unit", lang), "id": "unit", "presentation": "dropdown"}],
        dropdown={"unit": {"options": [{"label": "posts", "value": "posts"}, {"label": "places", "value": "places"}]}},
        data=[{"key": "beratung", "label": "Seniorenberatung", "milestones": "2026: 2500", "unit": "posts"}],
        style_cell={"fontFamily": "inherit", "textAlign": "left"}, css=[{"selector": ".Select-menu-outer",
                                                                           "rule": "display: block !important"}])


def import_page(lang: str) -> dbc.Container:
    return dbc.Container([
        dbc.Navbar(dbc.Container([
            html.Span(t("app_title", lang), className="navbar-brand mb-0 h1"),
            dcc.Link(t("import.back", lang), href="/" + ("?lang=en" if lang == "en" else ""), className="btn btn-sm btn-outline-light"),
        ], fluid=True), color="primary", dark=True, className="mb-3"),
        html.H1(t("import.heading", lang), className="h3"),
        html.P(t("import.intro", lang), className="text-muted"),
        dcc.Store(id=ids.IMPORT_SESSION), dcc.Store(id=ids.IMPORT_FILES, data={}), dcc.Store(id=ids.IMPORT_CHECKED),
        dbc.Card(dbc.CardBody([html.H2(t("import.files", lang), className="h5"),
                               dbc.Row([dbc.Col(upload_box(r, lang), md=4) for r in TABLE_ROLES]),
                               dbc.Row([dbc.Col(upload_box(r, lang), md=4) for r in UPLOAD_ROLES[len(TABLE_ROLES):]])]),
                 className="mb-3"),
        dbc.Card(dbc.CardBody([html.H2(t("import.columns", lang), className="h5"),
                               html.P(t("import.columns_intro", lang), className="small text-muted"),
                               html.Div(id=ids.IMPORT_PREVIEWS)]), className="mb-3"),
        dbc.Card(dbc.CardBody([
            html.H2(t("import.settings_heading", lang), className="h5"),
            dbc.Row([
                dbc.Col([dbc.Label(t("import.dataset_id", lang), html_for=ids.IMPORT_ID), dbc.Input(id=ids.IMPORT_ID)], md=4),
                dbc.Col([dbc.Label(t("import.title", lang), html_for=ids.IMPORT_TITLE), dbc.Input(id=ids.IMPORT_TITLE)], md=5),
                dbc.Col([dbc.Label(t("import.cost", lang), html_for=ids.IMPORT_COST),
                         dbc.Input(id=ids.IMPORT_COST, type="number", min=0, value=75000)], md=3),
            ], className="g-2 mb-2"),
            dbc.Row([
                dbc.Col([dbc.Label(t("import.attribution", lang), html_for=ids.IMPORT_ATTRIBUTION),
                         dbc.Textarea(id=ids.IMPORT_ATTRIBUTION, rows=2)], md=6),
                dbc.Col([dbc.Label(t("import.notes", lang), html_for=ids.IMPORT_NOTES),
                         dbc.Textarea(id=ids.IMPORT_NOTES, rows=2)], md=6),
            ], className="g-2 mb-2"),
            dbc.Label(t("import.services_table", lang), html_for=ids.IMPORT_SERVICES),
            services_editor(lang),
            dbc.Button(t("import.add_service", lang), id=ids.IMPORT_ADD_SERVICE, size="sm", color="secondary",
                       outline=True, className="mt-1"),
        ]), className="mb-3"),
        html.Div([dbc.Button(t("import.check", lang), id=ids.IMPORT_CHECK, color="primary", className="me-2"),
                  dbc.Button(t("import.save", lang), id=ids.IMPORT_SAVE, color="success", disabled=True)],
                 className="mb-3"),
        dcc.Loading(html.Div(id=ids.IMPORT_REPORT), type="dot"),
        html.Div(id=ids.IMPORT_SAVED),
    ], fluid=True, id=ids.IMPORT_ROOT, className="caregap")


def report_view(report: dict, lang: str) -> html.Div:
    """The check report grouped by file: errors, notes, column choices, adjustments."""
    s = report.get("summary") or {}
    if report["ok"]:
        head = dbc.Alert(t("import.ok", lang, districts=s.get("districts", "?"), years=s.get("years", "?"),
                           sites=s.get("site rows", "?")), color="success", id=ids.IMPORT_RESULT)
    else:
        head = dbc.Alert(t("import.failed", lang, errors=report["error_count"]), color="danger", id=ids.IMPORT_RESULT)
    blocks = [head]
    for group in report["files"]:
        role = f" ({t('import.role.' + group['role'], lang)})" if group["role"] else ""
        parts = [html.H3(f"{group['file']}{role}", className="h6")]
        for key, colour in (("errors", "danger"), ("warnings", "warning")):
            if group[key]:
                parts.append(html.Div(t(f"import.{key}", lang), className=f"small fw-semibold text-{colour}"))
                parts.append(html.Ul([html.Li(p["detail"]) for p in group[key]],
                                     className=f"small text-{colour}"))
        if group["columns"]:
            parts.append(html.Div(t("import.chosen", lang) + ": " + "; ".join(c["text"] for c in group["columns"]),
                                  className="small text-muted"))
        if group["normalisations"]:
            parts.append(html.Ul([html.Li(n.get("text") or n.get("message", "")) for n in group["normalisations"]],
                                 className="small text-muted"))
        blocks.append(html.Div(parts, className="mb-2 border-start ps-2"))
    if report.get("settings_template"):
        blocks.append(html.Pre(report["settings_template"], className="small bg-light p-2"))
    return html.Div(blocks, id=ids.IMPORT_REPORT_BODY)
