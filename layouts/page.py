"""The app shell and the page for one view (dataset, language, assumptions)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask import Response, abort

from dashboard.dataset import bundled_ids
from dashboard.i18n import LANGUAGES, t
from dashboard.loaded import Loaded, by_id, loaded
from dashboard.userdata import all_datasets
from dashboard.viewstate import ViewState
from dashboard.webgeo import web_geometry

from .changes import changes_form
from .compare import compare_panel
from .controls import controls_panel
from .detail import detail_panel
from .footer import footer
from .map import geometry_url, live_map
from .scenarios import scenario_title, scenarios_panel
from .summary import summary_cards
from .table import district_table, table_rows
from .trend import trend_figure

ASSETS = Path(__file__).with_name("assets")


def service_labels(item: Loaded, lang: str) -> dict[str, str]:
    return {k: s.label_for(lang) for k, s in item.dataset.settings.services.items()}


def navbar(item: Loaded, view: ViewState, datasets: dict[str, str], scenario=None) -> dbc.Navbar:
    lang = view.lang
    s = item.dataset.settings
    # always in the page (a callback listens to it); shown only when there is a choice
    picker = dcc.Dropdown(id="dataset-picker", options=[{"label": k, "value": k} for k in datasets], value=s.id,
                          clearable=False, style={"minWidth": "160px", "display": "block" if len(datasets) > 1 else "none"},
                          searchable=False)
    return dbc.Navbar(dbc.Container([
        html.Div([html.Span(t("app_title", lang), className="navbar-brand mb-0 h1"),
                  html.Span(s.title_en if lang == "en" and s.title_en else s.title, className="caregap-dataset-title",
                            id="dataset-title"),
                  html.Span(scenario_title(scenario, lang), id="scenario-title", className="badge bg-light text-dark")],
                 className="d-flex align-items-baseline flex-wrap gap-2"),
        html.Div([
            html.Div(picker, className="me-2", hidden=len(datasets) < 2),
            dbc.RadioItems(id="lang", options=[{"label": code.upper(), "value": code} for code in LANGUAGES],
                           value=lang, inline=True, className="me-3 caregap-lang",
                           input_class_name="btn-check", label_class_name="btn btn-sm btn-outline-light",
                           label_checked_class_name="active"),
            dbc.DropdownMenu([dbc.DropdownMenuItem(t(f"download.{fmt}", lang), id=f"download-{fmt}")
                              for fmt in ("csv", "xlsx", "png", "pdf")],
                             label=t("download.menu", lang), color="light", size="sm", className="me-2",
                             toggle_class_name="btn-outline-light", id="download-menu"),
            dcc.Link(t("import.link", lang), href="/import" + ("?lang=en" if lang == "en" else ""),
                     className="btn btn-sm btn-outline-light me-2", id="import-link"),
            dbc.Button(t("nav.present_off" if view.present else "nav.present", lang), id="present-toggle",
                       color="light", outline=True, size="sm"),
        ], className="d-flex align-items-center"),
    ], fluid=True), color="primary", dark=True, className="mb-2")


def build_page(item: Loaded, view: ViewState, datasets: dict[str, str], scenario=None, saved=(),
               link: str = "", query: str = "") -> html.Div:
    dataset, calc = item.dataset, item.calculator
    lang = view.lang
    result = calc.compute(view.assumptions())
    geo = geometry_url(dataset.id, view.level, dataset.version)
    link_values = [n for n in view.notices if "=" in n and " " not in n]
    sentences = [n for n in view.notices if n not in link_values]
    if link_values:
        sentences.append(t("scenario.link_values", lang, values=", ".join(link_values)))
    notices = [dbc.Alert(n, color="warning", dismissable=True) for n in sentences]
    return dbc.Container([
        navbar(item, view, datasets, scenario),
        html.Div(notices, id="alert"),
        dcc.Loading(html.Div(id="download-status"), type="dot", delay_show=300),
        dcc.Download(id="download"),
        dbc.Row([
            dbc.Col(controls_panel(dataset, calc, view), lg=3, id="controls-col", className="caregap-controls-col"),
            dbc.Col([
                html.Div(summary_cards(result.summary, lang, service_labels(item, lang)), id="summary"),
                live_map(result, view.measure, lang, geo, dataset.districts.total_bounds, view.basemap, query),
                dbc.Tabs([
                    dbc.Tab(district_table(lang, table_rows(result)), label=t("table.heading", lang), tab_id="tab-table"),
                    dbc.Tab(dcc.Graph(id="trend", figure=trend_figure(calc.trend(view.assumptions()), lang,
                                                                      t("trend.city", lang), view.year),
                                      config={"displaylogo": False}),
                            label=t("trend.heading", lang), tab_id="tab-trend"),
                    dbc.Tab(changes_form(dataset, lang, view.fte_changes), label=t("changes.heading", lang),
                            tab_id="tab-changes"),
                    dbc.Tab(scenarios_panel(scenario, list(saved), lang, link), label=t("scenario.heading", lang),
                            tab_id="tab-scenarios"),
                    dbc.Tab(compare_panel(list(saved), view.scenario, lang), label=t("compare.heading", lang),
                            tab_id="tab-compare"),
                ], id="tabs", active_tab="tab-table", className="mt-3"),
            ], lg=9),
        ]),
        footer(dataset, lang),
        detail_panel(),
        dcc.Store(id="fte-changes", data=[asdict(c) for c in view.fte_changes]),
        dcc.Store(id="present", data=view.present),
        dcc.Store(id="selected-unit", data=None),
        dcc.Store(id="current-scenario", data={"id": scenario.id, "revision": scenario.revision,
                                               "name": scenario.name} if scenario else None),
    ], fluid=True, id="root", className="caregap" + (" presentation" if view.present else ""))


def create_app(dataset_ref: str = "dresden") -> dash.Dash:
    default = loaded(dataset_ref)  # fails early, with the validation report, if the data is bad
    # datasets a URL may name: the bundled ones and the one this server was started with (by id, never a path)
    datasets = {i: i for i in bundled_ids()}
    datasets[default.dataset.id] = dataset_ref
    app = dash.Dash(__name__, title="CareGap", assets_folder=str(ASSETS), compress=True,
                    suppress_callback_exceptions=True,  # Bootstrap theme served from assets, never a CDN
                    update_title=None)
    app.layout = html.Div([dcc.Location(id="url", refresh=False), dcc.Store(id="view-query"),
                           html.Div(id="page")])
    app.server.config["CAREGAP_DATASETS"] = datasets
    app.server.config["CAREGAP_DEFAULT"] = default.dataset.id

    @app.server.route("/geo/<dataset_id>/<level>.geojson")
    def geometry(dataset_id: str, level: str):
        known = all_datasets(datasets)
        if dataset_id not in known:
            abort(404)
        item = loaded(known[dataset_id])
        if level not in item.dataset.settings.level_names:
            abort(404)
        body = json.dumps(web_geometry(item.dataset, level), separators=(",", ":"))
        response = Response(body, mimetype="application/json")  # compressed like every JSON answer
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    from callbacks import register_all

    register_all(app)
    return app


