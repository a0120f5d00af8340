"""The table behind the map: one row per area, rows fetched block by block from the server.

The grid asks for the rows it shows (AG Grid's infinite row model: `getRowsRequest` → a callback →
`getRowsResponse`); the server sorts and filters the core's table (`dashboard.tableblock`) and
sends the rows already written in the page's language, so a new view costs one small block.
"""

from __future__ import annotations

import dash_ag_grid as dag

from dashboard.i18n import t
from dashboard.measures import CLASSED, NO_FIGURES, REGISTRY, SHORTFALL_RED
from dashboard.tableblock import NAME, Block

from . import ids

NAME_WIDTH = 120  # px, the area's name at least (pinned: it stays in view when the grid scrolls sideways; long names in a tooltip)
# a number column is at least as wide as its header's longest word (headers wrap between words) with the
# sort arrow beside it, its padding and its filter button, so no header is ever cut; the grid stretches
# the columns in proportion to fill its width (AG Grid's size-to-fit). German headers fit 1280 px; longer
# ones scroll, the name pinned.
HEADER_CHAR_PX, HEADER_CHROME_PX, SORT_ARROW_PX, FILTER_BUTTON_PX = 6.5, 28, 24, 16
PAGE_ROWS = 25  # one page is one block: a new view sends only these rows
DEFAULT_SORT = [{"colId": "gap_fte", "sort": "desc"}]  # largest shortfall first
NUMBER_FILTER = {"filter": "agNumberColumnFilter",
                 "filterParams": {"filterOptions": ["greaterThan", "lessThan", "inRange", "equals"],
                                  "maxNumConditions": 1, "buttons": ["apply", "reset"]}}


def undefined_words(lang: str) -> dict[str, str]:
    """What a cell says where a measure has no value, by measure key; under NO_FIGURES: in an area without figures."""
    words = {m.key: t("table.no_fte", lang) if m.undefined == "no_post" else "–" for m in REGISTRY}
    return {**words, NO_FIGURES: t("no_figures.word", lang)}


def _alert_style(column: str, classed: bool) -> dict:
    """Red (bold for a policy threshold) where the server marked the cell in the row's `alerts`."""
    style = {"color": SHORTFALL_RED, **({"fontWeight": "600"} if classed else {})}
    return {"styleConditions": [{"condition": f"params.data && params.data.alerts.includes('{column}')",
                                 "style": style}]}


def least_width(header: str, filtered: bool = True) -> int:
    """The narrowest a number column may be: its header's longest word on one line, sorted (and its filter
    button, if it has one)."""
    chrome = HEADER_CHROME_PX - (0 if filtered else FILTER_BUTTON_PX)
    return round(chrome + SORT_ARROW_PX + HEADER_CHAR_PX * max(len(word) for word in header.split()))


def column_defs(lang: str) -> list[dict]:
    columns = [{"field": NAME, "headerName": t("table.name", lang), "width": NAME_WIDTH, "minWidth": NAME_WIDTH, "pinned": "left",
                "tooltipField": NAME,
                "filter": "agTextColumnFilter",
                "filterParams": {"filterOptions": ["contains", "startsWith"], "maxNumConditions": 1,
                                 "buttons": ["apply", "reset"]}}]
    for m in REGISTRY:
        header = t(f"table.{m.key}", lang)
        column = {"field": m.column, "headerName": header, "type": "rightAligned",
                  "minWidth": least_width(header), "width": least_width(header), **NUMBER_FILTER}
        if m.alert is not None:
            column["cellStyle"] = _alert_style(m.column, m in CLASSED)
        if m.column == DEFAULT_SORT[0]["colId"]:
            column["sort"] = DEFAULT_SORT[0]["sort"]
        columns.append(column)
    return columns


def district_table(lang: str) -> dag.AgGrid:
    return dag.AgGrid(
        id=ids.TABLE, columnDefs=column_defs(lang), rowModelType="infinite",
        defaultColDef={"sortable": True, "resizable": True, "wrapHeaderText": True, "autoHeaderHeight": True},
        getRowId="params.data.id",
        dashGridOptions={
            # one page = one block, and only that block kept: what is shown is always the last block asked for
            "pagination": True, "paginationPageSize": PAGE_ROWS, "cacheBlockSize": PAGE_ROWS,
            "maxBlocksInCache": 1, "paginationPageSizeSelector": False, "infiniteInitialRowCount": PAGE_ROWS,
            "rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
            "domLayout": "autoHeight", "suppressMultiSort": True,
            "tabToNextCell": {"function": "false"}, "tabToNextHeader": {"function": "false"},
            "suppressColumnVirtualisation": True,  # nine columns: all in the page (readable, searchable)
            "localeText": {"page": t("table.grid.page", lang), "of": t("table.grid.of", lang), "to": t("table.grid.to", lang),
                           "noRowsToShow": t("table.grid.no_rows", lang)},
        },
        columnSize="responsiveSizeToFit",
        className="caregap-table", style={"width": "100%"},
    )


def block_response(block: Block) -> dict:
    return {"rowData": block.rows, "rowCount": block.count}


def sort_of(request: dict | None) -> list[tuple[str, str]]:
    """(column, direction) pairs of a grid request; the default order before the grid has asked."""
    model = (request or {}).get("sortModel") or DEFAULT_SORT
    return [(s["colId"], s["sort"]) for s in model]
