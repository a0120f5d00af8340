"""Compare two scenarios: maps side by side with one set of classes, a difference map, a table."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.i18n import t

from . import ids
from .table import NAME_WIDTH, least_width

BASELINE = "baseline"
COMPARE_COLUMNS = [("gap_a", 2, True), ("gap_b", 2, True), ("gap_delta", 2, True), ("coverage_a", 1, False),
                   ("coverage_b", 1, False), ("coverage_delta", 1, True), ("cost_a", 0, True), ("cost_b", 0, True),
                   ("cost_delta", 0, True)]


def number_formatter(lang: str, decimals: int, signed: bool) -> dict:
    """A grid cell's number in `lang` (d3-format in the browser: 1.234,56 / 1,234.56; + when signed), – when empty."""
    decimal, group = (",", ".") if lang == "de" else (".", ",")
    locale = f"{{decimal: '{decimal}', thousands: '{group}', grouping: [3], currency: ['', ''], minus: '-'}}"
    spec = f"{'+' if signed else ''},.{decimals}f"
    return {"function": f"params.value == null ? '–' : d3.formatLocale({locale}).format('{spec}')(params.value)"}


def compare_options(saved, lang: str) -> list[dict]:
    return [{"label": t("compare.baseline", lang), "value": BASELINE}] + \
        [{"label": s.name, "value": s.id} for s in saved]


def compare_panel(saved, current_id: str | None, lang: str) -> html.Div:
    options = compare_options(saved, lang)
    return html.Div([
        html.P(t("compare.hint", lang), className="text-muted small"),
        dbc.Row([
            dbc.Col([dbc.Label(t("compare.left", lang), html_for=ids.COMPARE_A),
                     dcc.Dropdown(id=ids.COMPARE_A, options=options, value=BASELINE, clearable=False)], md=6),
            dbc.Col([dbc.Label(t("compare.right", lang), html_for=ids.COMPARE_B),
                     dcc.Dropdown(id=ids.COMPARE_B, options=options, value=current_id or BASELINE, clearable=False)],
                    md=6),
        ], className="g-2 mb-2"),
        html.Div(id=ids.COMPARE_RESULT),
    ])


def compare_table(rows: list[dict], lang: str) -> dag.AgGrid:
    # sized as the district table: no header cut, the name pinned if the grid must scroll sideways
    columns = [{"field": "name", "headerName": t("compare.area", lang), "width": NAME_WIDTH, "minWidth": NAME_WIDTH,
                "pinned": "left", "tooltipField": "name"}]
    for key, d, s in COMPARE_COLUMNS:
        header = t(f"compare.{key}", lang)
        width = least_width(header, filtered=False)
        columns.append({"field": key, "headerName": header, "type": "rightAligned", "minWidth": width, "width": width,
                        "valueFormatter": number_formatter(lang, d, s)})
    return dag.AgGrid(id=ids.COMPARE_TABLE, columnDefs=columns, rowData=rows,
                      defaultColDef={"sortable": True, "resizable": True, "wrapHeaderText": True,
                                     "autoHeaderHeight": True},
                      columnSize="responsiveSizeToFit", style={"height": "420px", "width": "100%"},
                      className="caregap-table")


def compare_body(title_a: str, title_b: str, fig_a: dict, fig_b: dict, fig_delta: dict, city_line: str,
                 rows: list[dict], lang: str) -> list:
    graph = {"config": {"displaylogo": False, "scrollZoom": True}, "style": {"height": "360px"}}
    return [
        dbc.Row([
            dbc.Col([html.H3(title_a, className="h6"), dcc.Graph(id=ids.COMPARE_MAP_A, figure=fig_a, **graph)], md=6),
            dbc.Col([html.H3(title_b, className="h6"), dcc.Graph(id=ids.COMPARE_MAP_B, figure=fig_b, **graph)], md=6),
        ], className="g-2"),
        html.P(t("compare.shared_legend", lang), className="small text-muted"),
        html.H3(t("compare.difference", lang), className="h6 mt-2"),
        dcc.Graph(id=ids.COMPARE_MAP_DELTA, figure=fig_delta, **graph),
        html.P(city_line, className="fw-semibold mt-2", id=ids.COMPARE_CITY),
        compare_table(rows, lang),
    ]
