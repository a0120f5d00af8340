"""The app shell and the page for one view (dataset, language, assumptions)."""

from __future__ import annotations

from pathlib import Path

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.dataset import dataset_title
from dashboard.i18n import LANGUAGES, t
from dashboard.loaded import Loaded
from dashboard.notices import notice_sentences
from dashboard.planning.request import default_request
from dashboard.providers import providers_compared
from dashboard.view import View

from . import ids
from .changes import changes_form
from .compare import compare_panel
from .controls import controls_panel, nice_step, ratio_range
from .detail import detail_panel
from .footer import caveat_line, footer, map_caveat
from .map import geometry_url, live_map
from .planning import planning_panel
from .providers import providers_panel
from .scenarios import changed_mark, scenario_title, scenarios_panel
from .summary import summary_cards
from .table import district_table

ASSETS = Path(__file__).with_name("assets")  # the app's stylesheet and browser code, served by Dash
PRESENT_RATIO_STEPS = 40  # ↑/↓ in the presentation mode moves a target ratio by 1/40 of its slider


def shell(page=None, query: str | None = None, address: dict | None = None) -> html.Div:
    """The app's layout: the address, the view's query and the page rendered from them. With
    `page` built for the `address` (pathname, search, hash, href) the browser is at, the address
    component starts at it, so no callback renders the page again."""
    return html.Div([dcc.Location(id=ids.URL, refresh=False, **(address or {})),
                     dcc.Store(id=ids.VIEW_QUERY, data=query), html.Div(page, id=ids.PAGE)])


def navbar(item: Loaded, view: View, datasets: dict[str, str], scenario=None) -> dbc.Navbar:
    lang = view.lang
    s = item.dataset.settings
    # always in the page (a callback listens to it); shown only when there is a choice
    picker = dcc.Dropdown(id=ids.DATASET_PICKER, value=s.id,
                          options=[{"label": dataset_title(ref, lang), "value": k} for k, ref in datasets.items()],
                          clearable=False, style={"minWidth": "260px", "display": "block" if len(datasets) > 1 else "none"},
                          searchable=False)
    return dbc.Navbar(dbc.Container([
        html.Div([html.Span(t("app_title", lang), className="navbar-brand mb-0 h1"),
                  html.Span(s.title_en if lang == "en" and s.title_en else s.title, className="caregap-dataset-title",
                            id=ids.DATASET_TITLE),
                  html.Span(scenario_title(scenario, lang), id=ids.SCENARIO_TITLE, className="badge bg-light text-dark"),
                  html.Span(id=ids.SCENARIO_CHANGED, className="badge bg-warning text-dark"),
                  dcc.Store(id=ids.SCENARIO_CHANGED_TEXT, data=changed_mark(lang))],
                 className="d-flex align-items-baseline flex-wrap gap-2"),
        html.Div([
            html.Div(picker, className="me-2", hidden=len(datasets) < 2),
            dbc.RadioItems(id=ids.LANG, options=[{"label": code.upper(), "value": code} for code in LANGUAGES],
                           value=lang, inline=True, className="me-3 caregap-lang",
                           input_class_name="btn-check", label_class_name="btn btn-sm btn-outline-light",
                           label_checked_class_name="active"),
            dbc.DropdownMenu([dbc.DropdownMenuItem(t(f"download.{fmt}", lang), id=ids.download_button(fmt))
                              for fmt in ids.DOWNLOAD_FORMATS],
                             label=t("download.menu", lang), color="primary", size="sm", className="me-2",
                             toggle_class_name="border-light", id=ids.DOWNLOAD_MENU),
            dcc.Link(t("import.link", lang), href="/import" + ("?lang=en" if lang == "en" else ""),
                     className="btn btn-sm btn-outline-light me-2", id=ids.IMPORT_LINK),
            dbc.Button(t("nav.present_off" if view.present else "nav.present", lang), id=ids.PRESENT_TOGGLE,
                       color="light", outline=True, size="sm"),
        ], className="d-flex align-items-center"),
    ], fluid=True), color="primary", dark=True, className="mb-2")


def with_caveat(map_block: html.Div, caveat) -> html.Div:
    """The map with its caveat laid over it (top left)."""
    if caveat is not None:
        map_block.children.append(caveat)
    return map_block


def present_bar(dataset, lang: str) -> html.Div:
    """Presentation mode: the keyboard shortcuts, on screen. The handler (assets/caregap.js) finds the
    widgets it steps through the ids named here."""
    keys = [("← →", "present.keys_year"), ("↑ ↓", "present.keys_ratio"), ("S", "present.keys_service")]
    _, high, _ = ratio_range(dataset)
    targets = {"data-root": ids.ROOT, "data-year": ids.YEAR, "data-service": ids.SERVICE,
               "data-ratio-type": ids.RATIO_SLIDER_TYPE, "data-ratio-step": nice_step(high, PRESENT_RATIO_STEPS)}
    return html.Div([html.Span([html.Kbd(k), " ", t(key, lang)], className="me-3") for k, key in keys],
                    id=ids.PRESENT_BAR, className="caregap-present-bar", **targets)


def build_page(item: Loaded, view: View, datasets: dict[str, str], scenario=None, saved=(),
               link: str = "", query: str = "") -> html.Div:
    dataset, calc = item.dataset, item.calculator
    lang = view.lang
    result = calc.compute(view.assumptions)
    geo = geometry_url(dataset.id, view.level, dataset.version)
    notices = [dbc.Alert(n, color="warning", dismissable=True) for n in notice_sentences(view.notices, lang)]
    return dbc.Container([
        navbar(item, view, datasets, scenario),
        html.Div(notices, id=ids.ALERT),
        dcc.Loading(html.Div(id=ids.DOWNLOAD_STATUS), type="dot", delay_show=300),
        dcc.Download(id=ids.DOWNLOAD),
        dbc.Row([
            dbc.Col(controls_panel(dataset, calc, view), lg=3, id=ids.CONTROLS_COLUMN, className="caregap-controls-col"),
            dbc.Col([
                html.Div(summary_cards(result.summary, lang, item.service_labels(lang), dataset.settings.unit), id=ids.SUMMARY),
                caveat_line(dataset, lang),
                present_bar(dataset, lang),
                with_caveat(live_map(result, view.measure, lang, geo, dataset.districts.total_bounds, view.basemap,
                                     query), map_caveat(dataset, lang)),
                dbc.Tabs([
                    dbc.Tab(district_table(lang), label=t("table.heading", lang), tab_id=ids.TAB_TABLE),
                    dbc.Tab(html.Div(id=ids.TREND_BOX), label=t("trend.heading", lang), tab_id=ids.TAB_TREND),
                    dbc.Tab(changes_form(dataset, lang, view.assumptions.fte_changes), label=t("changes.heading", lang),
                            tab_id=ids.TAB_CHANGES),
                    dbc.Tab(scenarios_panel(scenario, list(saved), lang, link, item.service_labels(lang)), label=t("scenario.heading", lang),
                            tab_id=ids.TAB_SCENARIOS),
                    dbc.Tab(compare_panel(list(saved), view.scenario, lang), label=t("compare.heading", lang),
                            tab_id=ids.TAB_COMPARE),
                    dbc.Tab(planning_panel(dataset, default_request(dataset, view.assumptions), lang),
                            label=t("planning.heading", lang), tab_id=ids.TAB_PLAN),
                    # in the page either way (its callback fills it), offered only where providers can be compared
                    dbc.Tab(providers_panel(lang), label=t("providers.heading", lang), tab_id=ids.TAB_PROVIDERS,
                            **({} if providers_compared(dataset.sites) else
                               {"disabled": True, "tab_style": {"display": "none"}})),
                ], id=ids.TABS, active_tab=ids.TAB_TABLE, className="mt-3"),
            ], lg=9),
        ]),
        footer(dataset, lang),
        detail_panel(),
        dcc.Store(id=ids.FTE_CHANGES, data=[c.to_dict() for c in view.assumptions.fte_changes]),
        dcc.Store(id=ids.PRESENT, data=view.present),
        dcc.Store(id=ids.SELECTED_UNIT, data=None),
        dcc.Store(id=ids.TREND_VIEW), dcc.Store(id=ids.DETAIL_VIEW), dcc.Store(id=ids.PROVIDERS_VIEW),
        dcc.Store(id=ids.CURRENT_SCENARIO, data={"id": scenario.id, "revision": scenario.revision,
                                               "name": scenario.name} if scenario else None),
    ], fluid=True, id=ids.ROOT, className="caregap" + (" presentation" if view.present else ""))
