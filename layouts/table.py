"""The table behind the map: one sortable row per area, numbers formatted per language."""

from __future__ import annotations

from dash import dash_table
from dash.dash_table.Format import Format, Group, Scheme, Sign

from dashboard.i18n import t
from dashboard.measures import CLASSED, REGISTRY, SHORTFALL_RED
from dashboard.report import report_rows
from dashboard.scenario import Result

from . import ids


def _format(lang: str, decimals: int, signed: bool, nully: str = "–") -> Format:
    decimal, group = (",", ".") if lang == "de" else (".", ",")
    return Format(precision=decimals, scheme=Scheme.fixed, group=Group.yes, decimal_delimiter=decimal,
                  group_delimiter=group, sign=Sign.positive if signed else Sign.default, nully=nully)


def table_columns(lang: str) -> list[dict]:
    columns = [{"name": t("table.name", lang), "id": "name", "type": "text"}]
    for m in REGISTRY:
        nully = t("table.no_fte", lang) if m.undefined == "no_post" else "–"
        columns.append({"name": t(f"table.{m.key}", lang), "id": m.column, "type": "numeric",
                        "format": _format(lang, m.decimals, m.signed, nully)})
    return columns


def alert_styles() -> list[dict]:
    """Values beyond a measure's alert limit in red (a coverage below 75 %, a shortfall), on the rounded values shown."""
    styles = []
    for m in REGISTRY:
        if m.alert is not None:
            op, limit = m.alert
            style = {"if": {"filter_query": f"{{{m.column}}} {op} {limit * m.factor:g}", "column_id": m.column},
                     "color": SHORTFALL_RED}
            styles.append({**style, "fontWeight": "600"} if m in CLASSED else style)  # a policy threshold
    return styles


def table_rows(result: Result) -> list[dict]:
    """Rows without the total (sorting would move it); `id` lets a clicked row name its area."""
    rows = []
    for row in report_rows(result)[:-1]:
        row = dict(row)
        row["id"] = row.pop("district_id")
        rows.append(row)
    return rows


def district_table(lang: str, rows: list[dict]) -> dash_table.DataTable:
    return dash_table.DataTable(
        id=ids.TABLE, columns=table_columns(lang), data=rows, sort_action="native",
        sort_by=[{"column_id": "gap_fte", "direction": "desc"}], export_format="csv", export_headers="display",
        # 50 rows a page: 401 Kreise (or 11,000 areas) would otherwise take a second per update to render.
        # (Virtual scrolling with fixed headers loops forever in the table component for some data.)
        page_action="native", page_size=50, style_table={"overflowX": "auto"},
        style_cell={"fontFamily": "inherit", "padding": "4px 8px", "minWidth": "80px"},
        style_cell_conditional=[{"if": {"column_id": "name"}, "textAlign": "left", "minWidth": "180px"}],
        style_data_conditional=alert_styles(),
        style_header={"fontWeight": "600", "whiteSpace": "normal", "fontFamily": "inherit"},
        css=[{"selector": ".dash-spreadsheet", "rule": "font-family: inherit;"}],
    )
