"""Compare two scenarios: maps side by side with one set of classes, a difference map, a table."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dash_table, dcc, html
from dash.dash_table.Format import Format, Group, Scheme, Sign

from dashboard.i18n import t

from . import ids

BASELINE = "baseline"
COMPARE_COLUMNS = [("gap_a", 2, True), ("gap_b", 2, True), ("gap_delta", 2, True), ("coverage_a", 1, False),
                   ("coverage_b", 1, False), ("coverage_delta", 1, True), ("cost_a", 0, True), ("cost_b", 0, True),
                   ("cost_delta", 0, True)]


def _format(lang: str, decimals: int, signed: bool, nully: str = "–") -> Format:
    decimal, group = (",", ".") if lang == "de" else (".", ",")
    return Format(precision=decimals, scheme=Scheme.fixed, group=Group.yes, decimal_delimiter=decimal,
                  group_delimiter=group, sign=Sign.positive if signed else Sign.default, nully=nully)


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


def compare_table(rows: list[dict], lang: str) -> dash_table.DataTable:
    columns = [{"name": t("compare.area", lang), "id": "name", "type": "text"}]
    columns += [{"name": t(f"compare.{key}", lang), "id": key, "type": "numeric", "format": _format(lang, d, s)}
                for key, d, s in COMPARE_COLUMNS]
    return dash_table.DataTable(id=ids.COMPARE_TABLE, columns=columns, data=rows, sort_action="native",
                                page_action="none", style_table={"maxHeight": "420px", "overflowY": "auto"},
                                fixed_rows={"headers": True}, export_format="csv", export_headers="display",
                                style_cell={"fontFamily": "inherit", "padding": "4px 8px", "minWidth": "80px"},
                                style_header={"fontWeight": "600", "whiteSpace": "normal", "fontFamily": "inherit"},
                                style_cell_conditional=[{"if": {"column_id": "name"}, "textAlign": "left",
                                                         "minWidth": "170px"}])


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
