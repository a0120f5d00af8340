"""The district table as CSV (German-Excel friendly for `de`) and as an Excel workbook.

Both list one row per area, largest shortfall first, and a total row; numbers are rounded as in
the app (FTE to 2 decimals, coverage to 0.1 %, residents and euros whole). Where an area has no
FTE, residents per FTE is the word "keine Stelle" / "none", never infinity.
"""

from __future__ import annotations

import csv
import io
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..formatting import fmt_number
from ..i18n import t
from ..measures import CITY_FIGURES, NO_FIGURES, SHORTFALL_RED, Measure, class_colour, registry
from .context import ExportContext, area_rows, assumption_lines, summary_items

CSV_DELIMITER = {"de": ";", "en": ","}
BOM = "\ufeff"
STATUS = "status"  # the column after the population: whether its figures are counted, estimated or forecast
# text a spreadsheet would read as a formula starts with one of these (OWASP, CSV injection)
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value) -> str:
    """Text for a spreadsheet cell, never read as a formula: a leading `'` where it could start one."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_LEADS) else text


def cell_value(value):
    """A cell of either format: numbers stay numbers, None stays empty, everything else is safe text."""
    if value is None or isinstance(value, (int, float)):
        return value
    return cell_text(value)


def append_row(ws, values) -> None:
    """One worksheet row through the cell writer; text cells are stored as strings, never as formulas."""
    ws.append([cell_value(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def columns(unit: str = "posts") -> list[str | Measure]:
    """The table's columns after id and name: every measure (as the supply `unit` rounds it), and the
    status right after the population."""
    out: list[str | Measure] = []
    for m in registry(unit):
        out += [m, STATUS] if m.status else [m]
    return out


def headers(ctx: ExportContext) -> list[str]:
    names = [ctx.text("column.id"), ctx.text("column.name")]
    return names + [ctx.text("column.status") if c == STATUS else ctx.text(f"column.{c.key}") for c in columns(ctx.dataset.settings.unit)]


def undefined_word(ctx: ExportContext, m: Measure, row: dict | None = None) -> str:
    """What a cell says where `m` has no value; "keine Angabe" in an area without figures."""
    if row is not None and row.get(NO_FIGURES):
        return t("no_figures.word", ctx.lang)
    return ctx.text("no_fte") if m.undefined == "no_post" else ctx.text("not_available")


def plain_number(value, lang: str, decimals: int) -> str:
    """A number as spreadsheets read it in `lang`: decimal comma (de) or point (en), no thousands separator."""
    text = fmt_number(value, lang, decimals)
    return text.replace("." if lang == "de" else ",", "")


def _csv_cells(ctx: ExportContext, row: dict) -> list[str]:
    cells = [cell_text(row["district_id"]), cell_text(row["name"])]
    for c in columns(ctx.dataset.settings.unit):
        if c == STATUS:
            cells.append(cell_text(ctx.text(f"status.{row['status']}")))
        elif row[c.column] is None:
            cells.append(cell_text(undefined_word(ctx, c, row)))
        else:
            cells.append(plain_number(row[c.column], ctx.lang, c.decimals))
    return cells


def table_csv(ctx: ExportContext) -> bytes:
    """UTF-8 with BOM; `;` and decimal comma for `de` (German Excel opens it as is), `,` and `.` for `en`.

    The table comes first (header in row 1, so a spreadsheet's filter and sort take it as it is), then
    one empty line, then the assumptions as the workbook's "Annahmen" sheet lists them. To read the
    table alone: `pandas.read_csv(..., nrows=areas + 1)` (areas and the total row), or stop at the
    first empty line.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER[ctx.lang], lineterminator="\r\n")
    writer.writerow([cell_text(h) for h in headers(ctx)])
    areas, total = area_rows(ctx)
    for row in [*areas, total]:
        writer.writerow(_csv_cells(ctx, row))
    writer.writerow([])
    for kind, cells in assumption_rows(ctx):
        if kind == SECTION:
            writer.writerow([])
        writer.writerow(_csv_assumption_cells(kind, cells, ctx.lang))
    return (BOM + out.getvalue()).encode("utf-8")


# -- Excel -----------------------------------------------------------------------------------
HEADER_FILL = PatternFill("solid", fgColor="E8ECF1")
TOTAL_FILL = PatternFill("solid", fgColor="F4F4F4")
SHORTFALL_FONT = Font(color=SHORTFALL_RED.lstrip("#").upper())
THIN = Side(style="thin", color="9AA4AE")
MAX_SHEET_NAME = 31
WIDTHS = {"district_id": 10, "name": 30, STATUS: 13}
UNIT_WIDTHS = {"supply": 12, "euro": 15}  # other measures: 13 characters


def _class_fill(m: Measure, cls: int) -> tuple[PatternFill, Font | None]:
    """A classed measure's cell in its map colour; white text on the darkest class."""
    colour = class_colour(m, cls)
    return PatternFill("solid", fgColor=colour.lstrip("#").upper()), Font(color="FFFFFF") if cls == 0 else None


def _xlsx_value(ctx: ExportContext, m: Measure, row: dict):
    """Real numbers; percentages as fractions shown as percentages; words where undefined."""
    value = row[m.column]
    return undefined_word(ctx, m, row) if value is None else m.excel_value(value)


def _areas_sheet(ws, ctx: ExportContext) -> None:
    names = headers(ctx)
    append_row(ws, names)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = Border(bottom=THIN)
    areas, total = area_rows(ctx)
    keys = ["district_id", "name", *columns(ctx.dataset.settings.unit)]
    for row in [*areas, total]:
        values = []
        for key in keys:
            if key in ("district_id", "name"):
                values.append(str(row[key]) or None)
            elif key == STATUS:
                values.append(ctx.text(f"status.{row['status']}"))
            else:
                values.append(_xlsx_value(ctx, key, row))
        append_row(ws, values)
        r = ws.max_row
        for column, key in enumerate(keys, start=1):
            if isinstance(key, Measure):
                cell = ws.cell(r, column)
                if isinstance(cell.value, (int, float)):
                    cell.number_format = key.excel_format()
                cell.alignment = Alignment(horizontal="right")
        if row is total:
            for cell in ws[r]:
                cell.font = Font(bold=True)
                cell.fill = TOTAL_FILL
                cell.border = Border(top=THIN)
            continue
        for column, key in enumerate(keys, start=1):
            if not isinstance(key, Measure):
                continue
            cell = ws.cell(r, column)
            if key.column in row["classes"]:  # a classed measure shows its class colour, as on the map
                fill, font = _class_fill(key, row["classes"][key.column])
                cell.fill = fill
                if font:
                    cell.font = font
            elif key.alarming(row[key.column], shown=True):
                cell.font = SHORTFALL_FONT
    for column, key in enumerate(keys, start=1):
        width = UNIT_WIDTHS.get(key.unit, 13) if isinstance(key, Measure) else WIDTHS[key]
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{len(areas) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


# a row of the assumptions (the workbook's sheet and the CSV's block after the table): its kind and cells;
# a figure's cells are (label, value, decimals, number format, explanation)
TITLE, SECTION, PAIR, FIGURE, LINE = "title", "section", "pair", "figure", "line"


def assumption_rows(ctx: ExportContext) -> list[tuple[str, tuple]]:
    """What the export assumed and summed, row by row: one source for the XLSX sheet and the CSV."""
    rows: list[tuple[str, tuple]] = [(TITLE, (ctx.heading,)), (SECTION, (ctx.text("sheet.export"),)),
                                     (PAIR, (ctx.text("sheet.title"), ctx.heading))]
    if ctx.scenario_name and ctx.scenario_name != ctx.heading:
        rows.append((PAIR, (ctx.text("sheet.scenario"), ctx.scenario_name)))
    if ctx.description:
        rows.append((PAIR, (ctx.text("sheet.description"), ctx.description)))
    rows.append((PAIR, (ctx.text("sheet.exported"), ctx.export_date)))
    rows.append((SECTION, (ctx.text("sheet.assumptions"),)))
    rows += [(PAIR, (label, value)) for label, value in assumption_lines(ctx)]
    rows.append((SECTION, (ctx.text("summary.heading", year=ctx.year),)))
    s = ctx.result.summary
    # (value, decimals, number format), rounded as the areas sheet and the app round them
    numbers = [(s.population, 0, "#,##0"), (s.soll_fte, 2, "#,##0.00"), (s.ist_fte, 2, "#,##0.00"),
               (s.coverage, 3, "0.0%"), *((getattr(s, f.field), 2, "+#,##0.00;-#,##0.00;0.00" if f.signed else "#,##0.00")
                                    for f in CITY_FIGURES),
               (s.gross_cost_eur, 0, "#,##0"), (s.units_below_75, 0, "0")]
    for (label, _shown, help_text), (value, decimals, number_format) in zip(summary_items(ctx), numbers):
        defined = not math.isnan(float(value))
        number = round(float(value), decimals) if defined else ctx.text("not_available")
        number = int(number) if defined and decimals == 0 else number
        rows.append((FIGURE, (label, number, decimals, number_format if defined else None, help_text)))
    rows.append((SECTION, (ctx.text("sheet.notes"),)))
    rows += [(LINE, (None, note)) for note in ctx.notes()]
    rows.append((SECTION, (ctx.text("sheet.sources"),)))
    rows += [(LINE, (None, line)) for line in ctx.attribution]
    return rows


def _assumptions_sheet(ws, ctx: ExportContext) -> None:
    bold = Font(bold=True)
    for kind, cells in assumption_rows(ctx):
        if kind == TITLE:
            append_row(ws, cells)
            ws.cell(1, 1).font = Font(bold=True, size=14)
        elif kind == SECTION:
            if ws.max_row > 1:
                append_row(ws, [])
            append_row(ws, cells)
            ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)
        elif kind == FIGURE:
            label, number, _decimals, number_format, help_text = cells
            append_row(ws, [label, number, help_text])
            cell = ws.cell(ws.max_row, 2)
            if number_format:
                cell.number_format = number_format
            cell.alignment = Alignment(horizontal="left")
        else:
            append_row(ws, cells)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 100
    ws.column_dimensions["C"].width = 60
    for row in ws.iter_rows(min_row=2):
        if row[0].value and len(row) > 1 and row[1].value is not None:
            row[0].font = bold
            row[0].alignment = Alignment(vertical="top")
        for cell in row[1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=cell.alignment.horizontal)


def _csv_assumption_cells(kind: str, cells: tuple, lang: str) -> list[str]:
    if kind == FIGURE:
        label, number, decimals, number_format, help_text = cells
        if not isinstance(number, (int, float)):
            value = cell_text(number)
        elif number_format and number_format.endswith("%"):  # a share in percent, as the table's column
            value = plain_number(100 * number, lang, decimals - 2)
        else:
            value = plain_number(number, lang, decimals)
        return [cell_text(label), value, cell_text(help_text)]  # a number as the table writes its numbers
    return ["" if c is None else cell_text(c) for c in cells]


def table_xlsx(ctx: ExportContext) -> bytes:
    """Workbook: sheet of areas (shortfalls first, real numbers, frozen bold header), sheet of assumptions."""
    wb = Workbook()
    areas = wb.active
    areas.title = ctx.text("sheet.areas")[:MAX_SHEET_NAME]
    _areas_sheet(areas, ctx)
    _assumptions_sheet(wb.create_sheet(ctx.text("sheet.assumptions")[:MAX_SHEET_NAME]), ctx)
    wb.properties.title = ctx.heading
    wb.properties.creator = "CareGap"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

