"""The one reader of table files, for the dataset loader and the importer alike.

CSV (comma, semicolon, tab or vertical bar; UTF-8 with or without BOM, UTF-16, cp1252) and XLSX.
Every cell is read as text and converted later, so a bad cell is reported with its row and column
instead of turning a whole column into NaN or object dtype. A data row's index is its place in the
file: its spreadsheet row is `index + ROW_OFFSET`, also after blank lines and empty rows.

Libraries, and why:
- pandas (`read_csv`, `read_excel` with openpyxl) parses the cells: quoting, embedded line breaks
  and ragged rows are its daily work; our code only decides encoding, separator and numbers.
- Encoding: a strict order (UTF-8 BOM, UTF-16 BOM, UTF-8, cp1252) decides almost every real file
  unambiguously and is predictable; `charset-normalizer` is asked only when that order fails
  (UTF-16 without BOM, bytes cp1252 leaves undefined). Asked first it names short German cp1252
  files cp1250 or similar, which a report must not claim.
- Separator: `csv.Sniffer` on the first lines, then the most frequent candidate of the header.
- Numbers: our own rules. Locale libraries (babel) parse one known locale; a German planning
  office's exports mix decimal commas, points and thousands separators by column, so the style is
  decided per column from cells that can only be read one way, and reported.
- Writing TOML lives elsewhere: `tomli-w` writes the importer's dataset.toml/mapping.toml; the
  bundled datasets' builders keep their templates, whose comments tomli-w cannot write.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataError, Problem

TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")
ROW_OFFSET = 2  # data row i (0-based) is spreadsheet row i + 2: row 1 is the header
SEPARATORS = ";,\t|"
SNIFF_LINES = 20


# -- encoding and separator ------------------------------------------------------------------------
def detect_encoding(raw: bytes) -> str:
    """The codec a table's bytes are read with (see the module docstring for the order)."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "cp1252"):
        if encoding == "cp1252" and b"\x00" in raw:
            break  # NUL bytes: UTF-16 without a byte-order mark, not a Windows text file
        try:
            raw.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    # latin-1 maps every byte, so it is the last resort
    return best.encoding if best is not None else "latin-1"


def decode(raw: bytes) -> tuple[str, str]:
    """The text of a table file and the codec it was read with."""
    encoding = detect_encoding(raw)
    return raw.decode(encoding, errors="replace").lstrip("\ufeff"), encoding


def sniff_separator(text: str) -> str:
    head = "\n".join(text.splitlines()[:SNIFF_LINES])
    try:
        return csv.Sniffer().sniff(head, delimiters=SEPARATORS).delimiter
    except csv.Error:
        first = head.splitlines()[0] if head else ""
        return max(";,\t", key=first.count)


# -- reading ---------------------------------------------------------------------------------------
@dataclass
class RawTable:
    """A table as read: every cell stripped text ('' when empty), headers as the file spells them.

    `frame.index` is the 0-based data row (spreadsheet row = index + ROW_OFFSET); empty rows are
    kept here (the caller decides whether to report them).
    """

    file: str
    frame: pd.DataFrame
    headers: list[str]  # the header row as written (stripped), one per column of `frame`
    encoding: str | None = None  # CSV only
    separator: str | None = None  # CSV only
    sheet: str | None = None  # XLSX only: the sheet read
    sheets: list[str] = field(default_factory=list)  # XLSX only: every sheet of the workbook


def read_raw(path: str | Path, label: str | None = None, sheet: str | None = None) -> RawTable:
    """Read a CSV or XLSX file as text; raises DataError naming the file if it cannot be read."""
    path = Path(path)
    label = label or path.name
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise DataError([Problem(label, None, None, "table.format", {"suffix": suffix}, suffix)])
    if suffix == ".xlsx":
        return _read_workbook(path, label, sheet)
    text, encoding = decode(path.read_bytes())
    separator = sniff_separator(text)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False, header=None,
                            skipinitialspace=True, skip_blank_lines=False)
    except Exception as exc:  # parser errors carry their own line numbers; pass them on
        raise DataError([Problem(label, None, None, "table.unreadable", {"error": str(exc)})]) from exc
    # without quotes every record is one line, so pandas' own row positions are the rows already
    lines = _record_lines(text, separator) if '"' in text else None
    return _finish(label, frame, lines, encoding=encoding, separator=separator)


def read_table(path: str | Path, label: str | None = None) -> pd.DataFrame:
    """The loader's view: data rows only (empty ones dropped, their place kept in the index), column
    names stripped and lower-cased so `District_ID ` matches `district_id`."""
    raw = read_raw(path, label)
    frame = raw.frame.copy()
    frame.columns = [h.lower() for h in _unique(raw.headers)]
    return frame[(frame != "").any(axis=1)]


def _unique(headers: list[str]) -> list[str]:
    """Repeated names get `.1`, `.2` … as pandas names them, so every column stays addressable."""
    seen: dict[str, int] = {}
    out = []
    for name in headers:
        key = name.lower()
        out.append(f"{name}.{seen[key]}" if key in seen else name)
        seen[key] = seen.get(key, 0) + 1
    return out


def _finish(label: str, grid: pd.DataFrame, lines: list[int] | None, **how) -> RawTable:
    """Header row off, cells stripped text, index = spreadsheet row - ROW_OFFSET."""
    grid = grid.fillna("").astype(str).apply(lambda col: col.str.strip())
    blank = (grid == "").all(axis=1)
    first = int(np.argmax(~blank.to_numpy())) if (~blank).any() else len(grid)
    headers = [str(h).strip().lstrip("\ufeff") for h in grid.iloc[first]] if first < len(grid) else []
    frame = grid.iloc[first + 1:].copy()
    frame.columns = range(len(frame.columns))
    if lines is not None and len(lines) == len(frame):
        frame.index = pd.Index([line - ROW_OFFSET for line in lines])
    else:  # the records' own numbering: file line = position + 1 for one-line records
        frame.index = pd.Index([int(i) - 1 for i in frame.index])
    return RawTable(label, frame, headers, **how)


def _record_lines(text: str, separator: str) -> list[int] | None:
    """The spreadsheet row of each record after the header: records are counted, not lines (a quoted
    cell may span lines; a blank line is an empty row, as pandas keeps it); None if the csv module
    reads the text otherwise."""
    reader = csv.reader(io.StringIO(text), delimiter=separator, skipinitialspace=True)
    header = False
    rows: list[int] = []
    try:
        for number, record in enumerate(reader, start=1):
            if header:
                rows.append(number)
            elif any(cell.strip() for cell in record):
                header = True
    except csv.Error:
        return None
    return rows


# Every workbook is read here, and only within these bounds (a small .xlsx can unpack to gigabytes
# of XML or declare a cell a million rows down): a file's declared unpacked size, the cells read
# (empty ones a row is padded with count too) and the wall time.
WORKBOOK_MAX_UNPACKED = 50 * 1024 * 1024  # XML; openpyxl parses a sheet without <dimension> twice
WORKBOOK_MAX_CELLS = 2_000_000
WORKBOOK_MAX_SECONDS = 20.0


def _workbook_problem(label: str, code: str, **params) -> DataError:
    return DataError([Problem(label, None, None, code, params)])


def _check_unpacked(path: Path, label: str) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise _workbook_problem(label, "table.not_workbook") from None
    if declared > WORKBOOK_MAX_UNPACKED:
        raise _workbook_problem(label, "table.workbook_too_large", size=f"{declared / 2**20:.0f} MB",
                                limit=f"{WORKBOOK_MAX_UNPACKED / 2**20:.0f} MB")


def _cell_text(value) -> str:
    """A cell as pandas' Excel reader spells it with dtype=str: whole floats as integers, empty as ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet_rows(sheet, label: str, deadline: float) -> list[list[str]]:
    rows: list[list[str]] = []
    cells = 0
    for n, row in enumerate(sheet.iter_rows(values_only=True)):
        cells += len(row) + 1  # an empty row costs too: a far-down cell makes a million of them
        if cells > WORKBOOK_MAX_CELLS:
            raise _workbook_problem(label, "table.workbook_too_many_cells", limit=f"{WORKBOOK_MAX_CELLS:,}")
        if n % 500 == 0 and time.monotonic() > deadline:
            raise _workbook_problem(label, "table.workbook_too_slow", seconds=int(WORKBOOK_MAX_SECONDS))
        rows.append([_cell_text(v) for v in row])
    while rows and not any(rows[-1]):  # trailing empty rows, as pandas drops them
        rows.pop()
    for row in rows:  # trailing empty cells of each row
        while row and row[-1] == "":
            row.pop()
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _read_workbook(path: Path, label: str, sheet: str | None) -> RawTable:
    from openpyxl import load_workbook

    deadline = time.monotonic() + WORKBOOK_MAX_SECONDS
    _check_unpacked(path, label)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise DataError([Problem(label, None, None, "table.workbook_unreadable", {"error": str(exc)})]) from exc
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise DataError([Problem(label, None, None, "table.no_sheet",
                                     {"sheet": sheet, "sheets": ", ".join(names)}, sheet)])
        chosen = sheet or names[0]
        try:
            rows = _sheet_rows(book[chosen], label, deadline)
        except DataError:
            raise
        except Exception as exc:
            raise DataError([Problem(label, None, None, "table.unreadable", {"error": str(exc)})]) from exc
    finally:
        book.close()
    grid = pd.DataFrame(rows, dtype=str) if rows else pd.DataFrame(dtype=str)
    return _finish(label, grid, None, sheet=chosen, sheets=names)


# -- numbers ---------------------------------------------------------------------------------------
# One reading of a cell (`read_number`) under a column's style (decimal comma or point). The importer
# decides a style from the cells (`detect_style`) and reports it; the loader reads contract files,
# where one comma between digits makes a column a decimal-comma column (`parse_column`).
_COMMA_DECIMAL = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*,\d+$|^[+-]?\d+,\d+$")
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_SURE_COMMA = re.compile(r"^[+-]?\d+,(\d{1,2}|\d{4,})$|^[+-]?\d{1,3}(\.\d{3})+,\d+$|^[+-]?\d{1,3}(\.\d{3}){2,}$")
_SURE_POINT = re.compile(r"^[+-]?\d*\.(\d{1,2}|\d{4,})$|^[+-]?\d{1,3}(,\d{3})+\.\d+$|^[+-]?\d{1,3}(,\d{3}){2,}$")
_PLAIN_COMMA = re.compile(r"^[+-]?\d+(,\d+)?$")
_GROUPED_COMMAS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_POINT_ONLY = re.compile(r"^[+-]?\d*\.\d+$")
_COMMA_ONLY = re.compile(r"^[+-]?\d+,\d+$")
_DATE_DE = re.compile(r"^\d{1,2}\.\d{1,2}\.(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-\d{2}-\d{2}(?:[ T].*)?$")
_DATE_COMPACT = re.compile(r"^((?:19|2[01])\d{2})(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])?$")  # 202512, 20251231


@dataclass(frozen=True)
class NumberStyle:
    decimal_comma: bool
    reason: str  # what decided it, for the report: example | whole_number | semicolon | undecided
    # ("contract" for the loader's per-column rule, which is not reported)
    example: str = ""  # the cell that decided it

    def phrase(self):
        """The style and its reason as a catalog text, e.g. "decimal commas (e.g. '12,5')"."""
        from .errors import Phrase

        reason = Phrase(f"import.note.style.{self.reason}", {"example": self.example})
        return Phrase("import.note.style.comma" if self.decimal_comma else "import.note.style.point", {"reason": reason})


MISSING_MARKERS = {"", "na", "n/a", "n.a.", "-", "–", "—", ".", "x", "…", "...", "/"}  # official tables' "no figure"


def is_missing(text: str) -> bool:
    """A cell an official table leaves without a figure (`NA`, `-`, `–`, `.`, `x`, `…`, empty)."""
    return str(text).strip().lower() in MISSING_MARKERS


def _clean(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f']", "", str(text))


def detect_style(values, separator: str | None, fallback: NumberStyle | None = None,
                 counts: bool = False) -> NumberStyle:
    """Decimal comma or point for a set of cells: decided by cells that can only be read one way
    (`12,5`, `1.234,5`, `0.25`), else by `fallback`, else — for counts of people, which are whole
    numbers — by `1.500` / `1,500` read as thousands, else by the file's separator (`;` → comma)."""
    comma = point = None
    n_comma = n_point = 0
    for value in values:
        text = _clean(value)
        if _SURE_COMMA.match(text):
            n_comma += 1
            comma = comma or text
        elif _SURE_POINT.match(text):
            n_point += 1
            point = point or text
    if n_comma > n_point:
        return NumberStyle(True, "example", comma)
    if n_point > n_comma:
        return NumberStyle(False, "example", point)
    if fallback is not None:
        return fallback
    if counts:
        grouped = [_clean(v) for v in values]
        dots = next((t for t in grouped if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", t)), None)
        commas = next((t for t in grouped if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", t)), None)
        if dots and not commas:
            return NumberStyle(True, "whole_number", dots)
        if commas and not dots:
            return NumberStyle(False, "whole_number", commas)
    if separator == ";":
        return NumberStyle(True, "semicolon")
    return NumberStyle(False, "undecided")


@dataclass(frozen=True)
class Number:
    value: float | None
    against_style: bool = False  # read with the other decimal mark than the column's


def read_number(text: str, style: NumberStyle) -> Number:
    """`1.234,5` / `1,234.5` / `1 234` / `12,5` by the column's style; None if not a number."""
    t = _clean(text)
    if not t:
        return Number(None)
    if style.decimal_comma:
        if _THOUSANDS_DOT.match(t):
            return _finite(t.replace(".", "").replace(",", "."))
        if _PLAIN_COMMA.match(t):
            return _finite(t.replace(",", "."))
        if _POINT_ONLY.match(t):
            return replace(_finite(t), against_style=True)
        return Number(None)
    if _GROUPED_COMMAS.match(t):
        return _finite(t.replace(",", ""))
    if _NUMBER.match(t):
        return _finite(t)
    if _COMMA_ONLY.match(t):
        return replace(_finite(t.replace(",", ".")), against_style=True)
    return Number(None)


def _finite(text: str) -> Number:
    value = float(text)
    return Number(value if math.isfinite(value) else None)


def uses_decimal_comma(values: pd.Series) -> bool:
    """True when some value in the column is written with a decimal comma (e.g. `1,5`)."""
    values = values.astype(str)
    with_comma = values[values.str.contains(",", regex=False)]
    return bool(len(with_comma)) and bool(with_comma.str.match(_COMMA_DECIMAL).any())


def parse_number(text: str, decimal_comma: bool = False) -> float | None:
    """Parse `37.9`, `37,9`, `1.234,5` (with decimal_comma) or `1e3`; None if not a number.

    In a decimal-comma column a dot may only group thousands: `1.5` there could be 1.5 or 15 and is
    refused. In a decimal-point column a lone `37,9` is read as 37.9 (a hand-edited contract file).
    """
    number = read_number(text, NumberStyle(decimal_comma, "contract"))
    if number.against_style and decimal_comma:
        return None
    return number.value


def parse_column(values: pd.Series) -> pd.Series:
    """Numbers of a text column (float, NaN where a cell is empty or not a number)."""
    comma = uses_decimal_comma(values)
    if comma:
        return values.map(lambda v: parse_number(v, True)).astype(float)
    # plain numbers are read in one vectorised pass; only cells it cannot read go cell by cell
    fast = pd.to_numeric(values, errors="coerce").astype(float)
    fast[~np.isfinite(fast)] = np.nan  # 'inf' is no count
    slow = fast.isna() & (values != "")
    if slow.any():
        fast[slow] = values[slow].map(lambda v: parse_number(v, False)).astype(float)
    return fast


def parse_int(text: str) -> int | None:
    value = parse_number(text)
    if value is None or value != int(value):
        return None
    return int(value)


def number_text(value: float) -> str:
    """Contract form: `1234`, `1.5` (decimal point, no thousands separators)."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def read_year(text: str) -> tuple[int | None, str | None]:
    """A year from `2025`, `2025,0`, `31.12.2024`, `2024-12-31` or a reference date `202412` / `20241231`;
    the second item names a date read."""
    t = _clean(text)
    for pattern in (_DATE_DE, _DATE_ISO, _DATE_COMPACT):
        if m := pattern.match(t):
            return int(m.group(1)), "date"
    for style in (NumberStyle(False, ""), NumberStyle(True, "")):
        n = read_number(t, style)
        if n.value is not None and float(n.value).is_integer() and not n.against_style:
            return int(n.value), None
    return None, None
