"""Normalising messy tables: age-band labels, district keys, status words, source positions.

Tables are read, and numbers parsed, by the one table reader (`dashboard/tables.py`).

Every change is something a user can check in the report: a key padded from `1` to `01`, a header
`65 und älter` read as `65+`, `1.234` read as 1234 in a decimal-comma file. Nothing is merged or
guessed silently: a key that could mean two districts, an age label such as `über 80` (80+ or 81+?)
and two columns that could play one role are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import pandas as pd

from ..boundaries import key_text  # noqa: F401  (ids are text; used here and by other importer modules)
from ..errors import Phrase, Problem
from ..tables import ROW_OFFSET, is_missing, read_raw  # noqa: F401 (is_missing: read from here)
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
_OPEN = re.compile(r"^(\d{1,3}) ?(?:\+|und älter|und aelter|u\. ?älter|u\. ?aelter|u\. ?ä\.?|u\. ?ae\.?|und mehr|"
                   r"u\. ?m\.?|and over|"
                   r"and older|or older|or over|plus|\+ und älter|und darüber|and above)$")
_FROM = re.compile(r"^(?:ab|≥|>=) ?(\d{1,3})$")
_BELOW = re.compile(r"^(?:unter|under|below|less than|bis unter|bis u\.|<) ?(\d{1,3})$")
_UP_TO = re.compile(r"^(?:bis|up to|bis einschließlich|≤|<=) ?(\d{1,3})$")
_SINGLE = re.compile(r"^(\d{1,3})$")
# coded headers of register tables: prefix, lower age, `_` or `U` ("unter"), upper age (exclusive):
# E_E60_63 = 60 to under 63 = 60-62, E_E65U80 = 65-79
_CODED = re.compile(r"^[A-Za-z][A-Za-z_]*?_?[A-Za-z]*(\d{1,3})(?:_|U)(\d{1,3})$")
_AMBIGUOUS = re.compile(r"^(?:über|ueber|over|mehr als|älter als|aelter als|more than|older than|>) ?(\d{1,3})$")


@dataclass(frozen=True)
class BandReading:
    label: str | None  # `A-B` or `A+`; None if the text is not an age band
    reason: Phrase | None = None  # why an age-like text was refused


def read_band(text: str) -> BandReading:
    """Read an age-band label in contract, German or English spelling.

    `60-64`, `60 bis 64`, `60 bis unter 65` → 60-64; `80+`, `80 und älter`, `ab 80` → 80+;
    `unter 18` → 0-17; `bis 17` → 0-17; `75` → 75-75; coded `E_E60_63` → 60-62 and `E_E65U80` → 65-79.
    `über 80` is refused as ambiguous.
    """
    if m := _CODED.match(str(text).strip()):
        return _band(int(m.group(1)), int(m.group(2)) - 1, text)
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
        return BandReading(f"{low}+") if low <= MAX_AGE else BandReading(None, Phrase("problem.band.implausible_age"))
    if m := _BELOW.match(t):
        return _band(0, int(m.group(1)) - 1, text)
    if m := _UP_TO.match(t):
        return _band(0, int(m.group(1)), text)
    if m := _SINGLE.match(t):
        return _band(int(m.group(1)), int(m.group(1)), text)
    if m := _AMBIGUOUS.match(t):
        n = int(m.group(1))
        return BandReading(None, Phrase("problem.band.ambiguous", {"text": text, "low": n, "high": n + 1}))
    return BandReading(None)


def _band(low: int, high: int, text: str) -> BandReading:
    if high < low or high > MAX_AGE:
        return BandReading(None, Phrase("problem.band.implausible", {"text": text}))
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


# -- numbers: read by the one table reader (dashboard/tables.py) --------------------------------------
def unreadable(text: str) -> str:
    """Marker for a cell the core must report as not a number (reports show the original text)."""
    return f"{UNREADABLE}{text}"


# -- district keys --------------------------------------------------------------------------------
@dataclass(frozen=True)
class KeyMatch:
    key: str  # the boundary file's key, or the input unchanged
    reason: Phrase | None = None  # what was changed, e.g. zero-padded
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
        self.names = [str(n) for n in names] if names is not None else [""] * len(self.ids)
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
                reason = (Phrase("import.note.key.padded", {"digits": len(target)}) if len(target) > len(key)
                          else Phrase("import.note.key.unpadded"))
                return KeyMatch(target, reason)
            if len(found) > 1:
                return KeyMatch(key, None, tuple(found))
        found = self.by_fold.get(key.casefold(), [])
        if len(found) == 1:
            return KeyMatch(found[0], Phrase("import.note.key.case"))
        if len(found) > 1:
            return KeyMatch(key, None, tuple(found))
        found = self.by_name.get(key.casefold(), [])
        if len(found) == 1:
            return KeyMatch(found[0], Phrase("import.note.key.name"))
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
    notes: list[tuple[str, str, dict, tuple[int, ...]]] = field(default_factory=list)  # (kind, code, params, rows)

    @property
    def headers(self) -> list[str]:
        return list(self.frame.columns)


ENCODING_NAMES = {"utf-8-sig": Phrase("import.note.utf8_bom"), "utf-8": "UTF-8", "utf-16": "UTF-16",
                  "cp1252": "Windows-1252 (cp1252)", "latin-1": "Latin-1"}
SEPARATOR_NAMES = {";": "semicolon", ",": "comma", "\t": "tab", "|": "bar"}


def read_source(file: InputFile, sheet: str | None = None) -> SourceTable:
    """Read a CSV/XLSX with the one table reader (`tables.read_raw`) and keep the header spelling,
    so reports name columns as the user wrote them. Raises DataError."""
    label = file.name
    notes: list[tuple[str, str, dict, tuple[int, ...]]] = []
    problems: list[Problem] = []
    raw = read_raw(file.path, label, sheet)
    if raw.sheet is not None:
        if len(raw.sheets) > 1:
            notes.append(("sheet", "sheet_read", {"sheet": raw.sheet, "count": len(raw.sheets),
                                                  "sheets": ", ".join(raw.sheets)}, ()))
    else:
        ascii_only = file.path.read_bytes().isascii()
        encoding = Phrase("import.note.ascii") if ascii_only else ENCODING_NAMES.get(raw.encoding, raw.encoding)
        notes.append(("encoding", "read_as", {"encoding": encoding}, ()))
        separator = SEPARATOR_NAMES.get(raw.separator)
        notes.append(("separator", "separated_by",
                      {"separator": Phrase(f"import.note.separator.{separator}") if separator else repr(raw.separator)},
                      ()))
    frame = raw.frame
    headers = [name if name else f"(column {i + 1})" for i, name in enumerate(raw.headers)]
    seen: dict[str, int] = {}
    for i, name in enumerate(headers):
        folded = name.casefold()
        if folded in seen:
            problems.append(Problem(label, 1, name, "table.duplicate_column",
                                    {"column": name, "first": seen[folded] + 1, "second": i + 1}, name))
        else:
            seen[folded] = i
    frame = frame.copy()
    frame.columns = headers
    frame = frame.loc[:, ~pd.Index(headers).duplicated()]
    unnamed_empty = [h for h in frame.columns if h.startswith("(column ") and (frame[h] == "").all()]
    if unnamed_empty:
        frame = frame.drop(columns=unnamed_empty)
        notes.append(("dropped", "empty_columns_left_out", {"count": len(unnamed_empty)}, ()))
    empty_rows = frame.index[(frame == "").all(axis=1)]
    if len(empty_rows):
        frame = frame.drop(index=empty_rows)
        notes.append(("dropped", "empty_rows_left_out", {}, tuple(int(i) + ROW_OFFSET for i in empty_rows)))
    return SourceTable(label, frame, raw.encoding, raw.separator, problems, notes)


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
    suppress: dict[str, set[int]] = field(default_factory=dict)  # core problem code -> table rows already reported
    records: list = field(default_factory=list)  # per table row: the district or site as a person knows it (Phrase)
    no_figures: list[str] = field(default_factory=list)  # areas whose every count is missing (rows left out)

    def translate(self, problem: Problem) -> Problem | None:
        column, row, value = problem.column, problem.row, problem.value
        if problem.row is not None:
            i = problem.row - ROW_OFFSET
            if not 0 <= i < len(self.rows):
                return replace(problem, file=self.file)
            if i in self.suppress.get(problem.code, ()):
                return None
            row = self.rows[i]
            record = self.records[i] if i < len(self.records) and self.records[i] else None
            problem = replace(problem, record=problem.record or record)
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
