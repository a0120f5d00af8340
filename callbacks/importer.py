"""The import page: stage uploads, preview them, check the import, save the dataset."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard.errors import DataError, without_paths
from dashboard.i18n import t
from dashboard.importer.agecolumns import bands_from_rows
from dashboard.importer.pipeline import import_dataset
from dashboard.userdata import (UserDataError, check_dataset_id, check_folder, import_user_dataset,
                                mapping_from_choices, new_session, preview, settings_from_form, stage, staged_file,
                                write_mapping, write_settings)
from dashboard.view.url import link_of
from layouts import ids
from layouts.importer import TABLE_ROLES, UPLOAD_ROLES, preview_block, report_view


def _lang(search: str | None) -> str:
    return link_of(search).lang


@callback(Output(ids.IMPORT_SESSION, "data"), Input(ids.IMPORT_ROOT, "id"))
def start_session(_):
    return new_session()


def receive_upload(trigger, contents, names, files, session, search):
    """Stage the file just dropped on the upload `trigger` (its id); (files, a status per upload)."""
    files = dict(files or {})
    lang = _lang(search)
    statuses = [no_update] * len(UPLOAD_ROLES)
    for i, role in enumerate(UPLOAD_ROLES):
        if trigger != ids.upload(role) or not contents[i]:
            continue
        try:
            data = base64.b64decode(contents[i].split(",", 1)[1])
            files[role] = stage(session, role, data, names[i] or role)
            statuses[i] = html.Span(t("import.uploaded", lang, name=files[role]["name"]), className="text-success")
        except (DataError, UserDataError, ValueError) as exc:
            files.pop(role, None)
            message = exc.problems[0].text(lang) if isinstance(exc, DataError) else _error_text(exc, lang)
            statuses[i] = html.Span(message, className="text-danger")
    return files, *statuses


@callback(Output(ids.IMPORT_FILES, "data"), *[Output(ids.upload_status(r), "children") for r in UPLOAD_ROLES],
          *[Input(ids.upload(r), "contents") for r in UPLOAD_ROLES],
          *[State(ids.upload(r), "filename") for r in UPLOAD_ROLES],
          State(ids.IMPORT_FILES, "data"), State(ids.IMPORT_SESSION, "data"), State(ids.URL, "search"),
          prevent_initial_call=True)
def _receive_upload(*args):
    n = len(UPLOAD_ROLES)
    return receive_upload(ctx.triggered_id, args[:n], args[n:2 * n], *args[2 * n:])


@callback(Output(ids.IMPORT_PREVIEWS, "children"), Input(ids.IMPORT_FILES, "data"), State(ids.IMPORT_SESSION, "data"),
          State(ids.URL, "search"), prevent_initial_call=True)
def show_previews(files, session, search):
    lang = _lang(search)
    blocks = []
    for role in TABLE_ROLES:
        try:
            staged = staged_file(session, (files or {}).get(role))
            if staged is None:
                continue
            headers, rows = preview(staged, role)
            blocks.append(preview_block(role, staged.name, headers, rows, lang))
        except (DataError, UserDataError) as exc:
            texts = [p.text(lang) for p in exc.problems] if isinstance(exc, DataError) else [exc.text(lang)]
            blocks.append(dbc.Alert([html.Div(text) for text in texts], color="danger"))
    return blocks


@callback(Output(ids.IMPORT_SERVICES, "data"), Input(ids.IMPORT_ADD_SERVICE, "n_clicks"),
          State(ids.IMPORT_SERVICES, "data"), prevent_initial_call=True)
def add_service_row(clicks, rows):
    if not clicks:
        return no_update
    return (rows or []) + [{"key": "", "label": "", "milestones": "", "unit": "posts"}]


def _inputs(session, files, choices, dataset_id, title, attribution, notes, cost, services, bands=None):
    """The importer's inputs from the page; raises UserDataError for an incomplete form. `bands`: the
    band editor's rows (the bands the planner named go to mapping.toml's [population.bands])."""
    if not all((files or {}).get(r) for r in TABLE_ROLES):
        raise UserDataError("missing_files")
    dataset_id = check_dataset_id(dataset_id)
    mapping = staged_file(session, files.get("mapping"))
    if mapping is None:
        chosen = mapping_from_choices(choices)
        if named := bands_from_rows(bands):
            chosen.setdefault("population", {})["bands"] = named
        mapping = write_mapping(session, chosen) if chosen else None
    settings = staged_file(session, files.get("settings"))
    if settings is None:
        settings = write_settings(session, settings_from_form(dataset_id, title, attribution, services or [], cost, notes))
    return dataset_id, [staged_file(session, files[r]) for r in TABLE_ROLES], mapping, settings


def _fingerprint(*values) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


FORM = [State(ids.IMPORT_FILES, "data"), State({"type": ids.IMPORT_COLUMN_TYPE, "table": ALL, "role": ALL}, "value"),
        State(ids.IMPORT_ID, "value"), State(ids.IMPORT_TITLE, "value"), State(ids.IMPORT_ATTRIBUTION, "value"),
        State(ids.IMPORT_NOTES, "value"), State(ids.IMPORT_COST, "value"), State(ids.IMPORT_SERVICES, "data"),
        State({"type": ids.IMPORT_BANDS_TYPE, "table": ALL}, "data")]


def _choices(values) -> dict:
    """The column dropdowns' values by table and role (their ids, from the callback context)."""
    out: dict = {}
    for item, value in zip(ctx.states_list[1], values):
        out.setdefault(item["id"]["table"], {})[item["id"]["role"]] = value
    return out


def check_import(clicks, files, choices, dataset_id, title, attribution, notes, cost, services, session, search,
                 bands=None):
    """(report, fingerprint of the checked form, save disabled) after a click on "check".
    `choices`: the column chosen for each role, by table; `bands`: the band editor's rows."""
    lang = _lang(search)
    if not clicks:
        return no_update, no_update, no_update
    try:
        dataset_id, (boundaries, population, sites), mapping, settings = _inputs(
            session, files, choices, dataset_id, title, attribution, notes, cost, services, bands)
    except UserDataError as exc:
        text = t("import.missing_files", lang) if exc.code == "missing_files" else t("import.form_error", lang,
                                                                                       message=exc.text(lang))
        return dbc.Alert(text, color="warning", id=ids.IMPORT_RESULT), None, True
    folder = check_folder(session)
    try:
        report = import_dataset(boundaries, population, sites, mapping, settings, out=folder / dataset_id)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    data = report.to_dict(lang)
    fingerprint = _fingerprint(files, choices, dataset_id, title, attribution, notes, cost, services, bands)
    return report_view(data, lang), fingerprint if data["ok"] else None, not data["ok"]


@callback(Output(ids.IMPORT_REPORT, "children"), Output(ids.IMPORT_CHECKED, "data"), Output(ids.IMPORT_SAVE, "disabled"),
          Input(ids.IMPORT_CHECK, "n_clicks"), *FORM, State(ids.IMPORT_SESSION, "data"), State(ids.URL, "search"),
          prevent_initial_call=True)
def _check_import(clicks, files, column_values, *rest):
    form, bands, after = _with_bands(rest)
    return check_import(clicks, files, _choices(column_values), *form, *after, bands=bands)


def _with_bands(rest: tuple) -> tuple[tuple, list | None, tuple]:
    """The form's values before the band editors, the rows of the one editor (none before the
    population table is uploaded), and the values after."""
    form, (editors, *after) = rest[:6], rest[6:]
    return form, (editors or [None])[0], tuple(after)


def save_import(clicks, files, choices, dataset_id, title, attribution, notes, cost, services, checked, session,
                search, bands=None):
    """The saved dataset's link after a click on "save", if the form is still the one checked."""
    lang = _lang(search)
    if not clicks:
        return no_update
    if checked != _fingerprint(files, choices, dataset_id, title, attribution, notes, cost, services, bands):
        return dbc.Alert(t("import.changed", lang), color="warning")
    try:
        dataset_id, (boundaries, population, sites), mapping, settings = _inputs(
            session, files, choices, dataset_id, title, attribution, notes, cost, services, bands)
    except UserDataError as exc:
        return dbc.Alert(t("import.form_error", lang, message=exc.text(lang)), color="warning")
    report = import_user_dataset(dataset_id, boundaries, population, sites, mapping, settings)
    if not report.ok:
        return report_view(report.to_dict(lang), lang)
    href = f"/?dataset={dataset_id}" + ("&lang=en" if lang == "en" else "")
    return dbc.Alert([t("import.saved", lang, title=title or dataset_id), " ",
                      dcc.Link(t("import.open", lang), href=href, className="alert-link", id=ids.IMPORT_OPEN)],
                     color="success", id=ids.IMPORT_SAVED_ALERT)


@callback(Output(ids.IMPORT_SAVED, "children"), Input(ids.IMPORT_SAVE, "n_clicks"), *FORM,
          State(ids.IMPORT_CHECKED, "data"), State(ids.IMPORT_SESSION, "data"), State(ids.URL, "search"),
          prevent_initial_call=True)
def _save_import(clicks, files, column_values, *rest):
    form, bands, after = _with_bands(rest)
    return save_import(clicks, files, _choices(column_values), *form, *after, bands=bands)


def _error_text(exc: Exception, lang: str) -> str:
    return exc.text(lang) if isinstance(exc, UserDataError) else without_paths(str(exc))
