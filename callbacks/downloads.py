"""Downloads of the current view: table as CSV or Excel, map as PNG, committee handout as PDF."""

from __future__ import annotations

import re

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, no_update

from dashboard.i18n import t
from dashboard.localised import say
from dashboard.scenario import ScenarioError
from dashboard.scenarios import StoreError
from layouts import ids

from .context import store, view_from_query
from .triggers import clicked


def file_name(dataset_id: str, service: str, year: int, fmt: str, scenario: str | None = None,
              kind: str = "caregap") -> str:
    """`<kind>-<dataset>-<service>-<year>[-<scenario name>].<fmt>` (`kind`: caregap, or caregap-plan
    for a measures plan), in letters a file system takes; umlauts are spelt out so a German scenario
    name stays readable."""
    name = f"-{scenario.strip()}" if scenario and scenario.strip() else ""
    name = name.translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}))
    stem = re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9_.-]", "_", f"{kind}-{dataset_id}-{service}-{year}{name}"))
    return f"{stem[:120].rstrip('_.-')}.{fmt}"


def download(fmt: str | None, query):
    """(file, status) for the format whose menu item was clicked; `fmt` None: nothing was clicked."""
    if fmt is None:
        return no_update, no_update
    # the writers (openpyxl, jinja, the PDF printer) are loaded on the first download, not at start-up
    from dashboard.exports.chromium import ChromiumError
    from dashboard.exports.cli import WRITERS
    from dashboard.exports.context import ExportContext

    item, view = view_from_query(query)
    name = description = None
    if view.scenario:
        try:
            scenario = store().get(view.scenario)
            name, description = scenario.name, scenario.description or None
        except StoreError:
            pass
    export = ExportContext(item.dataset, item.calculator, view.assumptions, measure=view.measure, lang=view.lang,
                           scenario_name=name, description=description)
    try:
        content = WRITERS[fmt](export)
    except (ChromiumError, ScenarioError, ValueError) as exc:
        return no_update, dbc.Alert(t("download.failed", view.lang, message=say(exc, view.lang)), color="danger",
                                    duration=8000)
    return dcc.send_bytes(content, file_name(item.dataset.id, view.service, view.year, fmt, name)), ""


@callback(Output(ids.DOWNLOAD, "data"), Output(ids.DOWNLOAD_STATUS, "children"),
          *[Input(ids.download_button(fmt), "n_clicks") for fmt in ids.DOWNLOAD_FORMATS],
          State(ids.VIEW_QUERY, "data"), prevent_initial_call=True)
def _download(*args):
    button = clicked()
    return download(ids.download_format(button) if button else None, args[-1])
