"""Reading tables as text: CSV (comma, semicolon or tab; UTF-8 with or without BOM, cp1252) and XLSX.

Every cell is read as text and converted later by the validators, so a bad cell is reported
with its row and column instead of turning a whole column into NaN or object dtype.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataError, Problem

ENCODINGS = ("utf-8-sig", "cp1252")
TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")
ROW_OFFSET = 2  # data row i (0-based) is spreadsheet row i + 2: row 1 is the header


def decode(raw: bytes, file: str) -> str:
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    # cp1252 leaves five bytes undefined; latin-1 maps every byte, so it is the last resort
    return raw.decode("latin-1")


def sniff_separator(text: str) -> str:
    head = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(head, delimiters=";,\t|").delimiter
    except csv.Error:
        first = head.splitlines()[0] if head else ""
        return max(";,\t", key=first.count)


def read_table(path: str | Path, label: str | None = None) -> pd.DataFrame:
    """Read a CSV or XLSX file into a DataFrame of stripped strings ('' for empty cells).

    Column names are stripped and lower-cased so `District_ID ` matches `district_id`.
    """
    path = Path(path)
    label = label or path.name
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise DataError([Problem(label, None, None, f"'{suffix}' is not a table format CareGap reads",
                                 "Save the table as CSV or Excel (.xlsx).")])
    try:
        if suffix == ".xlsx":
            frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
        else:
            text = decode(path.read_bytes(), label)
            frame = pd.read_csv(io.StringIO(text), sep=sniff_separator(text), dtype=str,
                                keep_default_na=False, skipinitialspace=True, skip_blank_lines=False)
    except DataError:
        raise
    except Exception as exc:  # parser errors carry their own line numbers; pass them on
        raise DataError([Problem(label, None, None, f"the file cannot be read as a table ({exc})",
                                 "Check that it is a CSV or XLSX file with one header row.")]) from exc
    frame.columns = [str(c).strip().lstrip("\ufeff").lower() for c in frame.columns]
    frame = frame.apply(lambda col: col.astype(str).str.strip()).fillna("")
    # empty lines are dropped but keep their place, so row numbers stay those of the file
    return frame[(frame != "").any(axis=1)]


_COMMA_DECIMAL = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*,\d+$|^[+-]?\d+,\d+$")
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def uses_decimal_comma(values: pd.Series) -> bool:
    """True when some value in the column is written with a decimal comma (e.g. `1,5`)."""
    values = values.astype(str)
    with_comma = values[values.str.contains(",", regex=False)]
    return bool(len(with_comma)) and bool(with_comma.str.match(_COMMA_DECIMAL).any())


def parse_number(text: str, decimal_comma: bool = False) -> float | None:
    """Parse `37.9`, `37,9`, `1.234,5` (with decimal_comma) or `1e3`; None if not a number."""
    text = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if decimal_comma:
        # in a decimal-comma column a dot may only group thousands: `1.5` there is ambiguous, not 15
        if "." in text and not _THOUSANDS_DOT.match(text):
            return None
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        if re.fullmatch(r"[+-]?\d+,\d+", text):
            text = text.replace(",", ".")
        else:
            return None
    if not _NUMBER.match(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


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
