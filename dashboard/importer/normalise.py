"""Normalising messy tables: age-band labels, numbers, district keys, status words, source positions.

Every change is something a user can check in the report: a key padded from `1` to `01`, a header
`65 und älter` read as `65+`, `1.234` read as 1234 in a decimal-comma file. Nothing is merged or
guessed silently: a key that could mean two districts, an age label such as `über 80` (80+ or 81+?)
and two columns that could play one role are refused.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field, replace

import pandas as pd

from ..boundaries import key_text  # noqa: F401  (ids are text; used here and by other importer modules)
from ..errors import Problem
from ..tables import ROW_OFFSET, decode, read_table, sniff_separator
from .mapping import header_key
from .safety import InputFile

MAX_AGE = 130
TOTAL_WORDS = {"insgesamt", "gesamt", "summe", "total", "zusammen", "alle", "gesamtstadt", "stadtinsgesamt",
               "stadtgesamt", "einwohnerinsgesamt", "all", "sum", "alteraltersgruppeninsgesamt", "alleralter"}
OPEN_END_WORDS = {"offen", "unbefristet", "laufend", "dauerhaft", "open", "ongoing", "-", "–", "—"}
POPULATION_STATUS = {
    "observed": "observed", "beobachtet": "observed", "ist": "observed", "bestand": "observed",
    "amtlich": "observed", "forecast": "forecast", "prognose": "forecast", "prognostiziert": "forecast",
    "vorausberechnung": "forecast", "projektion": "forecast", "estimate": "estimate", "schaetzung": "estimate",
    "geschaetzt": "estimate", "estimated": "estimate",
}
SITE_STATUS = {
    "real": "real", "echt": "real", "tatsaechlich": "real", "ist": "real", "bestand": "real",
    "illustrative": "illustrative", "illustrativ": "illustrative", "fiktiv": "illustrative",
    "beispiel": "illustrative", "beispielhaft": "illustrative", "annahme": "illustrative",
}
UNREADABLE = "#"  # prefix of a cell the importer could not read; reports show the original text


# -- age bands ----------------------------------------------------------------------------------
_FILLER = re.compile(
    r"\b(?:im alter von|im alter|altersgruppe|altersklasse|alter|einwohner(?:innen)?|bevölkerung|personen|anzahl|"
    r"ew|residents|population|people|aged|ages|age|von|from|jahren|jahre|jahr|years|year|yrs|j)\b\.?"
)
_RANGE_EXCL = re.compile(r"^(\d{1,3}) ?(?:-|bis|to|until) ?(?:unter|u\.|under|below) ?(\d{1,3})$")
_RANGE = re.compile(r"^(\d{1,3}) ?(?:-|bis|to|until|b\.) ?(\d{1,3})$")
_OPEN = re.compile(r"^(\d{1,3}) ?(?:\+|und älter|und aelter|u\. ?ä\.?|u\. ?ae\.?|und mehr|u\. ?m\.?|and over|"
                   r"and older|or older|or over|plus|\+ und älter|und darüber|and above)$")
_FROM = re.compile(r"^(?:ab|≥|>=) ?(\d{1,3})$")
_BELOW = re.compile(r"^(?:unter|under|below|less than|bis unter|bis u\.|<) ?(\d{1,3})$")
_UP_TO = re.compile(r"^(?:bis|up to|bis einschließlich|≤|<=) ?(\d{1,3})$")
_SINGLE = re.compile(r"^(\d{1,3})$")
_AMBIGUOUS = re.compile(r"^(?:über|ueber|over|mehr als|älter als|aelter als|more than|older than|>) ?(\d{1,3})$")


@dataclass(frozen=True)
class BandReading:
    label: str | None  # `A-B` or `A+`; None if the text is not an age band
    reason: str | None = None  # why an age-like text was refused


def read_band(text: str) -> BandReading:
    """Read an age-band label in contract, German or English spelling.

    `60-64`, `60 bis 64`, `60 bis unter 65` → 60-64; `80+`, `80 und älter`, `ab 80` → 80+;
    `unter 18` → 0-17; `bis 17` → 0-17; `75` → 75-75. `über 80` is refused as ambiguous.
    """
    t = str(text).strip().lower()
    for dash in ("–", "—", "‑", "−"):
        t = t.replace(dash, "-")
    t = _FILLER.sub(" ", t)
    t = re.sub(r"[():,]", " ", t)
    t = re.sub(r"\s*-\s*", "-", re.sub(r"\s+", " ", t)).strip()
    if m := _RANGE_EXCL.match(t):
        low, high = int(m.group(1)), int(m.group(2)) - 1
        return _band(low, high, text)
    if m := _RANGE.match(t):
        return _band(int(m.group(1)), int(m.group(2)), text)
    if m := (_OPEN.match(t) or _FROM.match(t)):
        low = int(m.group(1))
        return BandReading(f"{low}+") if low <= MAX_AGE else BandReading(None, "the age is not plausible")
    if m := _BELOW.match(t):
        return _band(0, int(m.group(1)) - 1, text)
    if m := _UP_TO.match(t):
        return _band(0, int(m.group(1)), text)
    if m := _SINGLE.match(t):
        return _band(int(m.group(1)), int(m.group(1)), text)
    if m := _AMBIGUOUS.match(t):
        n = int(m.group(1))
        return BandReading(None, f"'{text}' could mean {n}+ or {n + 1}+")
    return BandReading(None)


def _band(low: int, high: int, text: str) -> BandReading:
    if high < low or high > MAX_AGE:
        return BandReading(None, f"'{text}' is not a plausible age band")
    return BandReading(f"{low}-{high}")


def looks_like_age(text: str) -> bool:
    """A header with a 1–3 digit number and no 4-digit one: meant as an age band even if unreadable."""
    value = str(text)
    return bool(re.search(r"(?<!\d)\d{1,3}(?!\d)", value)) and not re.search(r"\d{4}", value)


def year_header(text: str) -> int | None:
    """`2025`, `Jahr 2025`, `2025 (Prognose)` → 2025 (a column of a table that is wide by year)."""
    m = re.fullmatch(r"\s*(?:jahr|year)?\s*(\d{4})\s*(?:\(.*\))?\s*", str(text).lower())
    if m and 1900 <= int(m.group(1)) <= 2200:
        return int(m.group(1))
    return None


def is_total(text: str) -> bool:
    return header_key(text) in TOTAL_WORDS


# -- numbers ------------------------------------------------------------------------------------
_SURE_COMMA = re.compile(r"^[+-]?\d+,(\d{1,2}|\d{4,})$|^[+-]?\d{1,3}(\.\d{3})+,\d+$|^[+-]?\d{1,3}(\.\d{3}){2,}$")
_SURE_POINT = re.compile(r"^[+-]?\d*\.(\d{1,2}|\d{4,})$|^[+-]?\d{1,3}(,\d{3})+\.\d+$|^[+-]?\d{1,3}(,\d{3}){2,}$")
_GROUPED_DOTS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN_COMMA = re.compile(r"^[+-]?\d+(,\d+)?$")
_GROUPED_COMMAS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN_POINT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_POINT_ONLY = re.compile(r"^[+-]?\d*\.\d+$")
_COMMA_ONLY = re.compile(r"^[+-]?\d+,\d+$")
_DATE_DE = re.compile(r"^\d{1,2}\.\d{1,2}\.(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-\d{2}-\d{2}(?:[ T].*)?$")


@dataclass(frozen=True)
class NumberStyle:
    decimal_comma: bool
    reason: str

    def describe(self) -> str:
        return ("decimal commas" if self.decimal_comma else "decimal points") + f" ({self.reason})"


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
        return NumberStyle(True, f"e.g. '{comma}'")
    if n_point > n_comma:
        return NumberStyle(False, f"e.g. '{point}'")
    if fallback is not None:
        return fallback
    if counts:
        grouped = [_clean(v) for v in values]
        dots = next((t for t in grouped if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", t)), None)
        commas = next((t for t in grouped if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", t)), None)
        if dots and not commas:
            return NumberStyle(True, f"'{dots}' is a whole number of residents")
        if commas and not dots:
            return NumberStyle(False, f"'{commas}' is a whole number of residents")
    if separator == ";":
        return NumberStyle(True, "semicolon-separated file")
    return NumberStyle(False, "no decimals that decide it")


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
        if _GROUPED_DOTS.match(t):
            return _finite(t.replace(".", "").replace(",", "."))
        if _PLAIN_COMMA.match(t):
            return _finite(t.replace(",", "."))
        if _POINT_ONLY.match(t):
            return replace(_finite(t), against_style=True)
        return Number(None)
    if _GROUPED_COMMAS.match(t):
        return _finite(t.replace(",", ""))
    if _PLAIN_POINT.match(t):
        return _finite(t)
    if _COMMA_ONLY.match(t):
        return replace(_finite(t.replace(",", ".")), against_style=True)
    return Number(None)


def _finite(text: str) -> Number:
    value = float(text)
    return Number(value if math.isfinite(value) else None)


def number_text(value: float) -> str:
    """Contract form: `1234`, `1.5` (decimal point, no thousands separators)."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def read_year(text: str) -> tuple[int | None, str | None]:
    """A year from `2025`, `2025,0`, `31.12.2024` or `2024-12-31`; the second item names a date read."""
    t = _clean(text)
    for pattern in (_DATE_DE, _DATE_ISO):
        if m := pattern.match(t):
            return int(m.group(1)), "date"
    for style in (NumberStyle(False, ""), NumberStyle(True, "")):
        n = read_number(t, style)
        if n.value is not None and float(n.value).is_integer() and not n.against_style:
            return int(n.value), None
    return None, None


def unreadable(text: str) -> str:
    """Marker for a cell the core must report as not a number (reports show the original text)."""
    return f"{UNREADABLE}{text}"


# -- district keys --------------------------------------------------------------------------------
@dataclass(frozen=True)
class KeyMatch:
    key: str  # the boundary file's key, or the input unchanged
    reason: str | None = None  # what was changed, e.g. "zero-padded"
    candidates: tuple[str, ...] = ()  # more than one: ambiguous


class KeyMatcher:
    """Maps a table's district keys onto the boundary file's keys.

    Exact text first; then, for keys of digits only, the boundary key with the same number (so `1`
    matches `01` and `001` matches `1`); then a case-insensitive match; then a district name of the
    boundary file. A key that fits two boundary keys (the boundary file has both `1` and `01`, or
    two districts share a name) is ambiguous and never merged.
    """

    def __init__(self, boundary_ids, names=None):
        self.ids = [str(i) for i in boundary_ids]
        self.by_name: dict[str, list[str]] = {}
        for key, name in zip(self.ids, names if names is not None else []):
            if str(name).strip():
                self.by_name.setdefault(str(name).strip().casefold(), []).append(key)
        self.exact = set(self.ids)
        self.by_number: dict[int, list[str]] = {}
        self.by_fold: dict[str, list[str]] = {}
        for key in self.ids:
            if key.isascii() and key.isdigit():
                self.by_number.setdefault(int(key), []).append(key)
            self.by_fold.setdefault(key.casefold(), []).append(key)
        widths = {len(k) for k in self.ids if k.isascii() and k.isdigit()}
        self.width = widths.pop() if len(widths) == 1 else None

    def match(self, key: str) -> KeyMatch:
        key = str(key).strip()
        if key in self.exact or not key:
            return KeyMatch(key)
        if key.isascii() and key.isdigit():
            found = self.by_number.get(int(key), [])
            if len(found) == 1:
                target = found[0]
                reason = (f"zero-padded to the boundary file's {len(target)}-digit keys" if len(target) > len(key)
                          else "leading zeros removed as in the boundary file")
                return KeyMatch(target, reason)
            if len(found) > 1:
                return KeyMatch(key, None, tuple(found))
        found = self.by_fold.get(key.casefold(), [])
        if len(found) == 1:
            return KeyMatch(found[0], "upper/lower case as in the boundary file")
        if len(found) > 1:
            return KeyMatch(key, None, tuple(found))
        found = self.by_name.get(key.casefold(), [])
        if len(found) == 1:
            return KeyMatch(found[0], "the district's name, replaced by its id")
        if len(found) > 1:
            return KeyMatch(key, None, tuple(found))
        return KeyMatch(key)


# -- reading a source table -----------------------------------------------------------------------
@dataclass
class SourceTable:
    """A table as read (all text), with its original header spelling and how it was decoded.

    `frame.index` is the 0-based data row, so a cell's spreadsheet row is index + ROW_OFFSET even
    after empty rows are dropped.
    """

    file: str
    frame: pd.DataFrame  # columns in the file's spelling (stripped)
    encoding: str | None = None
    separator: str | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[tuple[str, str, tuple[int, ...]]] = field(default_factory=list)  # (kind, message, rows)

    @property
    def headers(self) -> list[str]:
        return list(self.frame.columns)


ENCODING_NAMES = {"utf-8-sig": "UTF-8 with byte-order mark", "utf-8": "UTF-8", "cp1252": "Windows-1252 (cp1252)",
                  "latin-1": "Latin-1"}
SEPARATOR_NAMES = {";": "semicolons", ",": "commas", "\t": "tabs", "|": "vertical bars"}


def detect_encoding(raw: bytes) -> str:
    """The encoding `tables.decode` will use, named for the report."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        try:
            raw.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    return "latin-1"


def read_source(file: InputFile, sheet: str | None = None) -> SourceTable:
    """Read a CSV/XLSX with `tables.read_table` (encodings, BOM, separators) and restore the header
    spelling it lower-cases, so reports name columns as the user wrote them. Raises DataError."""
    label = file.name
    notes: list[tuple[str, str, tuple[int, ...]]] = []
    problems: list[Problem] = []
    encoding = separator = None
    if file.suffix == ".xlsx":
        frame, original = _read_workbook(file, sheet, notes)
    else:
        frame = read_table(file.path, label)
        raw = file.path.read_bytes()
        encoding = detect_encoding(raw)
        text = decode(raw, label)
        separator = sniff_separator(text)
        first, lines = _header_and_lines(text, separator)
        original = [str(h).strip() for h in first]
        if lines is not None and len(lines) == len(frame):
            frame.index = pd.Index([line - ROW_OFFSET for line in lines])  # spreadsheet row = index + ROW_OFFSET
        plain = "plain ASCII" if raw.isascii() else ENCODING_NAMES[encoding]
        notes.append(("encoding", f"read as {plain}", ()))
        notes.append(("separator", f"columns separated by {SEPARATOR_NAMES.get(separator, repr(separator))}", ()))
    if len(original) != len(frame.columns):
        original = list(frame.columns)
    headers = []
    for i, name in enumerate(original):
        headers.append(name if name else f"(column {i + 1})")
    seen: dict[str, int] = {}
    for i, name in enumerate(headers):
        folded = name.casefold()
        if folded in seen:
            problems.append(Problem(label, 1, name, f"the column '{name}' appears twice (columns {seen[folded] + 1} "
                                    f"and {i + 1})", "Rename or delete one of them.", name))
        else:
            seen[folded] = i
    frame = frame.copy()
    frame.columns = headers
    frame = frame.loc[:, ~pd.Index(headers).duplicated()]
    frame = frame.astype(str).apply(lambda col: col.str.strip())
    unnamed_empty = [h for h in frame.columns if h.startswith("(column ") and (frame[h] == "").all()]
    if unnamed_empty:
        frame = frame.drop(columns=unnamed_empty)
        notes.append(("dropped", f"{len(unnamed_empty)} empty column(s) without a header left out", ()))
    empty_rows = frame.index[(frame == "").all(axis=1)]
    if len(empty_rows):
        frame = frame.drop(index=empty_rows)
        notes.append(("dropped", "empty rows left out", tuple(int(i) + ROW_OFFSET for i in empty_rows)))
    return SourceTable(label, frame, encoding, separator, problems, notes)


def _header_and_lines(text: str, separator: str) -> tuple[list[str], list[int] | None]:
    """The header cells, and the spreadsheet row of each data record: the CSV reader skips blank
    lines, which a spreadsheet shows as empty rows, so its row count alone would shift reports."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=separator)
    header: list[str] = []
    rows: list[int] = []
    try:
        for number, record in enumerate(reader, start=1):
            if not record or (len(record) == 1 and not record[0].strip()):
                continue
            if not header and not rows:
                header = record
            else:
                rows.append(number)
    except csv.Error:
        return header, None
    return header, rows


def _read_workbook(file: InputFile, sheet: str | None, notes) -> tuple[pd.DataFrame, list[str]]:
    from openpyxl import load_workbook

    from ..errors import DataError

    try:
        book = load_workbook(file.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise DataError([Problem(file.name, None, None, f"the file cannot be read as an Excel workbook ({exc})",
                                 "Save it again as .xlsx, or as CSV.")]) from exc
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise DataError([Problem(file.name, None, None, f"the workbook has no sheet '{sheet}'",
                                     f"Sheets: {', '.join(names)}. Fix sheet in mapping.toml.", sheet)])
        chosen = sheet or names[0]
        first = next(book[chosen].iter_rows(min_row=1, max_row=1, values_only=True), ())
        original = ["" if v is None else str(v).strip() for v in first]
    finally:
        book.close()
    if len(names) > 1:
        notes.append(("sheet", f"read sheet '{chosen}' of {len(names)} ({', '.join(names)}); name another with "
                      "sheet in mapping.toml", ()))
    if chosen == names[0]:
        frame = read_table(file.path, file.name)
    else:
        try:
            frame = pd.read_excel(file.path, sheet_name=chosen, dtype=str, keep_default_na=False, engine="openpyxl")
        except Exception as exc:
            raise DataError([Problem(file.name, None, None, f"the sheet cannot be read as a table ({exc})",
                                     "Check that it has one header row.")]) from exc
        frame.columns = [str(c).strip().lower() for c in frame.columns]
        frame = frame.apply(lambda col: col.astype(str).str.strip()).fillna("")
    while original and not original[-1] and len(original) > len(frame.columns):
        original.pop()
    return frame, original


# -- positions: from the contract table back to the user's file -------------------------------------
@dataclass
class Staged:
    """A table in contract form (all text) and, per row, where it came from in the user's file.

    The core validators report rows and columns of the contract table; `translate` turns those into
    the user's spreadsheet row, column header and original cell text.
    """

    file: str
    table: pd.DataFrame  # contract columns, RangeIndex
    rows: list[int | None]  # spreadsheet row in the user's file, per table row
    columns: dict[str, str]  # contract column -> user's column
    cells: dict[str, list[str | None]] = field(default_factory=dict)  # per-row user column (wide tables)
    originals: dict[str, list[str]] = field(default_factory=dict)  # contract column -> user's cell text
    bands: dict[str, str] = field(default_factory=dict)  # contract band label -> user's header
    suppress: dict[str, set[int]] = field(default_factory=dict)  # core message prefix -> table rows already reported

    def translate(self, problem: Problem) -> Problem | None:
        column, row, value = problem.column, problem.row, problem.value
        if problem.row is not None:
            i = problem.row - ROW_OFFSET
            if not 0 <= i < len(self.rows):
                return replace(problem, file=self.file)
            for prefix, indices in self.suppress.items():
                if problem.message.startswith(prefix) and i in indices:
                    return None
            row = self.rows[i]
            per_row = self.cells.get(problem.column)
            column = (per_row[i] if per_row and per_row[i] else None) or self.columns.get(problem.column, problem.column)
            if problem.column in ("lon", "lat") and "lon" in self.originals and "lat" in self.originals:
                value = f"{self.originals['lon'][i]} / {self.originals['lat'][i]}"
                column = self.columns.get("lon", column)
            elif problem.column in self.originals and self.originals[problem.column][i] not in (None, ""):
                value = self.originals[problem.column][i]
        elif problem.column == "age_band" and problem.value in self.bands:
            column = self.bands[problem.value]
        else:
            column = self.columns.get(problem.column, problem.column)
        return replace(problem, file=self.file, row=row, column=column, value=value)


def spreadsheet_rows(index) -> list[int]:
    return [int(i) + ROW_OFFSET for i in index]
