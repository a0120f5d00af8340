"""The population table: long or wide (by age or by year) in, contract rows out.

Accepted shapes:
- long: one row per district, year and age band (`Stadtteil; Jahr; Altersgruppe; Einwohner`);
- wide by age: one column per age band (`Stadtteil; Jahr; unter 60; 60 bis 64; 65 und älter`);
- wide by year: one column per year (`Stadtteil; Altersgruppe; 2025; 2026`).
Total columns (`Insgesamt`) and total rows (`Stadt insgesamt`) are left out and reported; a total
column is compared with the sum of the age columns when those cover every age.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pandas as pd

from ..agebands import parse_band
from ..errors import MAX_LISTED, Phrase, Problem
from ..tables import ROW_OFFSET, NumberStyle, detect_style, number_text, read_number, read_year
from .mapping import TableMapping, find_column, header_key, resolve_columns
from .normalise import (POPULATION_STATUS, KeyMatcher, SourceTable, Staged, is_total,
                        looks_like_age, read_band, spreadsheet_rows,
                        unreadable, year_header)
from .report import ColumnChoice, ImportReport

CONTRACT = ["district_id", "year", "age_band", "population", "status"]
ID_UNKNOWN = ("population.id_unknown", "services.id_unknown")  # the core's codes for a key not in the boundaries


def stage_population(src: SourceTable, mapping: TableMapping, matcher: KeyMatcher | None,
                     report: ImportReport) -> Staged | None:
    """Contract-form population rows with their source positions; None if the table's shape is unusable."""
    file = src.file
    resolved = resolve_columns("population", src.headers, file, mapping.columns, mapping.fixed,
                               optional=frozenset({"name"}))
    report.add(resolved.problems)
    if any(p.severity == "error" for p in resolved.problems):
        return None
    roles = dict(resolved.columns)
    choices = list(resolved.choices)
    problems: list[Problem] = []
    available = ", ".join(f"'{h}'" for h in src.headers)

    ignored = set()
    for name in mapping.ignore:
        header = find_column(src.headers, name)
        if header is None:
            problems.append(Problem(file, 1, name, "population.ignored_absent", {"available": available}, name,
                                    "warning"))
        else:
            ignored.add(header)
    rest = [h for h in src.headers if h not in roles.values() and h not in ignored]

    band_cols: list[tuple[str, str]] = []
    year_cols: list[tuple[str, int]] = []
    totals: list[str] = []
    unused: list[str] = []
    if mapping.age_columns:
        for name in mapping.age_columns:
            header = find_column(src.headers, name)
            reading = read_band(header) if header else None
            if header is None:
                problems.append(Problem(file, 1, name, "population.age_column_absent", {"available": available}, name))
            elif reading.label is None:
                problems.append(Problem(file, 1, header, "population.header_not_band",
                                        {"reason": reading.reason or Phrase("problem.band.not_band")}, header))
            else:
                band_cols.append((header, reading.label))
        unused = [h for h in rest if h not in dict(band_cols)]
    else:
        for header in rest:
            reading = read_band(header)
            if is_total(header):
                totals.append(header)
            elif (year := year_header(header)) is not None:
                year_cols.append((header, year))
            elif reading.label is not None:
                band_cols.append((header, reading.label))
            elif looks_like_age(header):
                problems.append(Problem(file, 1, header, "population.header_unreadable",
                                        {"reason": reading.reason or Phrase("problem.band.looks_like_band")}, header))
            else:
                unused.append(header)

    has_year = "year" in roles or "year" in mapping.fixed
    mode = None
    if "district_id" not in roles:
        problems.append(Problem(file, 1, None, "population.no_key_column", {"available": available}))
    if "age_band" in roles:
        if band_cols:
            problems.append(Problem(file, 1, band_cols[0][0], "population.two_layouts", {"column": roles["age_band"]},
                                    ", ".join(h for h, _ in band_cols)))
        elif "population" in roles and has_year:
            mode = "long"
            unused += [h for h, _ in year_cols]
        elif year_cols and not has_year and "population" not in roles:
            mode = "wide_year"
        elif "population" not in roles:
            problems.append(Problem(file, 1, None, "population.no_count_column", {"available": available}))
        else:
            problems.append(_no_year(file))
    elif band_cols:
        if year_cols and not has_year:
            problems.append(Problem(file, 1, None, "population.bands_and_years", {}, ", ".join(h for h, _ in year_cols)))
        elif not has_year:
            problems.append(_no_year(file))
        else:
            mode = "wide_age"
            unused += [h for h, _ in year_cols]
            if "population" in roles:
                totals.append(roles.pop("population"))
                choices = [c for c in choices if c.role != "population"]
    else:
        problems.append(Problem(file, 1, None, "population.no_bands", {}, available))
    report.add(problems)
    if mode is None or any(p.severity == "error" for p in problems):
        return None

    for choice in choices:
        report.choose(choice)
    if mode == "wide_age":
        report.choose(ColumnChoice(file, "age_band", ", ".join(h for h, _ in band_cols), "age columns"))
        report.choose(ColumnChoice(file, "population", "cells_of_age_columns", "age columns"))
        melted = ", ".join(f"'{h}' → {label}" if h != label else label for h, label in band_cols)
        report.note(file, "melt", "age_columns_melted", count=len(band_cols), columns=melted)
    if mode == "wide_year":
        report.choose(ColumnChoice(file, "year", ", ".join(h for h, _ in year_cols), "year columns"))
        report.choose(ColumnChoice(file, "population", "cells_of_year_columns", "year columns"))
        report.note(file, "melt", "year_columns_melted", count=len(year_cols), columns=", ".join(h for h, _ in year_cols))
    if totals:
        report.note(file, "column", "total_columns_left_out", columns=", ".join(f"'{h}'" for h in totals))
    if unused:
        report.note(file, "column", "columns_not_used", columns=", ".join(f"'{h}'" for h in unused))

    return _build(src, mode, roles, band_cols, year_cols, totals, mapping, matcher, report)


def _no_year(file: str) -> Problem:
    return Problem(file, 1, None, "population.no_year")


def _build(src: SourceTable, mode: str, roles: dict[str, str], band_cols, year_cols, totals, mapping: TableMapping,
           matcher: KeyMatcher | None, report: ImportReport) -> Staged:
    file, frame = src.file, src.frame
    n = len(frame)
    source_rows = np.array(spreadsheet_rows(frame.index), dtype=int)

    def column(role: str, fallback: str = "") -> np.ndarray:
        if role in roles:
            return frame[roles[role]].to_numpy(dtype=object)
        return np.full(n, mapping.fixed.get(role, fallback), dtype=object)

    cells: dict[str, list] = {}
    if mode == "long":
        k = 1
        band_raw = column("age_band")
        count_raw = column("population")
        year_raw = column("year")
    elif mode == "wide_age":
        k = len(band_cols)
        headers = [h for h, _ in band_cols]
        band_raw = np.tile(np.array([label for _, label in band_cols], dtype=object), n)
        count_raw = frame[headers].to_numpy(dtype=object).ravel()
        year_raw = np.repeat(column("year"), k)
        cells["population"] = list(np.tile(np.array(headers, dtype=object), n))
        cells["age_band"] = cells["population"]
    else:  # wide_year
        k = len(year_cols)
        headers = [h for h, _ in year_cols]
        band_raw = np.repeat(column("age_band"), k)
        count_raw = frame[headers].to_numpy(dtype=object).ravel()
        year_raw = np.tile(np.array([str(y) for _, y in year_cols], dtype=object), n)
        cells["population"] = list(np.tile(np.array(headers, dtype=object), n))
        cells["year"] = cells["population"]
    rows = np.repeat(source_rows, k)
    district_raw = np.repeat(column("district_id"), k)
    status_raw = np.repeat(column("status"), k)
    name_raw = np.repeat(column("name"), k)

    # total rows (a city total, or an 'Insgesamt' age band) are left out
    keep = np.ones(len(rows), dtype=bool)
    total_rows = np.array([is_total(d) or (not str(d).strip() and is_total(nm))
                           for d, nm in zip(district_raw, name_raw)], dtype=bool)
    if mode != "wide_age":
        total_rows |= np.array([is_total(b) for b in band_raw], dtype=bool)
    if total_rows.any():
        keep &= ~total_rows
        report.note(file, "dropped", "total_rows_left_out", sorted(set(rows[total_rows].tolist())))

    rows, district_raw, year_raw, band_raw, count_raw, status_raw = (
        a[keep] for a in (rows, district_raw, year_raw, band_raw, count_raw, status_raw))
    cells = {key: [c for c, kept in zip(values, keep) if kept] for key, values in cells.items()}
    problems: list[Problem] = []
    suppress: dict[str, set[int]] = defaultdict(set)

    # numbers: one decimal style for every count cell of the file
    total_values = [v for h in totals for v in frame[h].tolist()]
    style = detect_style(list(count_raw) + total_values, src.separator, counts=True)
    counts, count_notes = _numbers(count_raw, style)
    report.note(file, "decimal", "numbers_read_with", style=style.phrase())
    _note_numbers(report, file, rows, count_notes)

    years = _years(year_raw, rows, report, file)
    bands = _bands(band_raw, rows, mode, report, file, problems, suppress)
    status = _statuses(status_raw, rows, report, file)
    keys = _keys(district_raw, rows, matcher, report, file, problems, suppress,
                 roles.get("district_id", "district_id"))

    table = pd.DataFrame({"district_id": keys, "year": years, "age_band": bands, "population": counts,
                          "status": status}).astype(str)
    _merged_key_duplicates(table, district_raw, rows, file, roles.get("district_id", "district_id"), problems, suppress)
    if mode == "wide_age" and totals:
        _check_totals(frame, band_cols, totals, style, file, problems)
    report.add(problems)

    columns = {role: header for role, header in roles.items() if role in CONTRACT}
    for role in ("year", "status"):
        if role in mapping.fixed:
            columns[role] = f"[population.fixed] {role}"
    bands_to_header = {label: header for header, label in band_cols}
    originals = {"district_id": list(district_raw), "year": list(year_raw), "age_band": list(band_raw),
                 "population": list(count_raw), "status": list(status_raw)}
    if mode == "wide_age":
        originals["age_band"] = cells["age_band"]
    return Staged(file, table, rows.tolist(), columns, cells, originals, bands_to_header, dict(suppress))


# -- helpers shared with the services table -----------------------------------------------------------
def _numbers(values, style: NumberStyle) -> tuple[list[str], dict[str, list[int]]]:
    """Contract text of each cell, and which cells needed which normalisation (by position)."""
    out, notes = [], defaultdict(list)
    for i, value in enumerate(values):
        text = str(value).strip()
        number = read_number(text, style)
        if number.value is None:
            out.append(unreadable(text) if text else "")
            continue
        out.append(number_text(number.value))
        cleaned = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
        if number.against_style:
            notes["against"].append(i)
        elif ("." in cleaned and style.decimal_comma) or ("," in cleaned and not style.decimal_comma) \
                or cleaned != text.strip():
            notes["grouped"].append(i)
    return out, notes


def _note_numbers(report: ImportReport, file: str, rows, notes: dict[str, list[int]], what: str = "") -> None:
    """`what` names the column (as the file spells it) when a file has more than one kind of number."""
    prefix = f"{what}: " if what else ""
    if notes.get("grouped"):
        report.note(file, "number", "thousands_removed", sorted({int(rows[i]) for i in notes["grouped"]}),
                    prefix=prefix)
    if notes.get("against"):
        report.note(file, "number", "other_decimal_mark", sorted({int(rows[i]) for i in notes["against"]}),
                    prefix=prefix)


def _years(values, rows, report: ImportReport, file: str, what: str = "year") -> list[str]:
    """Years of a column; `what` names the column in the note on dates read as years."""
    out, dates = [], []
    cache: dict[str, tuple[int | None, str | None]] = {}
    for i, value in enumerate(values):
        text = str(value).strip()
        if text not in cache:
            cache[text] = read_year(text)
        year, kind = cache[text]
        if year is None:
            out.append(unreadable(text) if text else "")
        else:
            out.append(str(year))
            if kind == "date":
                dates.append(int(rows[i]))
    if dates:
        report.note(file, "value", "dates_read_as_year", sorted(set(dates)), column=what)
    return out


def _bands(values, rows, mode: str, report: ImportReport, file: str, problems: list[Problem],
           suppress: dict[str, set[int]]) -> list[str]:
    if mode == "wide_age":
        return [str(v) for v in values]
    out = []
    changed: dict[tuple[str, str], list[int]] = defaultdict(list)
    readings = {}
    for i, value in enumerate(values):
        text = str(value).strip()
        if text not in readings:
            try:
                readings[text] = (parse_band(text).label, None)
            except ValueError:
                reading = read_band(text)
                readings[text] = (reading.label, reading.reason)
        label, reason = readings[text]
        if label is None:
            out.append(text)
            if reason:
                problems.append(Problem(file, int(rows[i]), None, "population.band_refused", {"reason": reason}, text))
                suppress["population.band_bad"].add(i)
        else:
            out.append(label)
            if label != text:
                changed[(text, label)].append(int(rows[i]))
    for (text, label), where in changed.items():
        report.note(file, "band", "band_read_as", where, text=text, label=label)
    return out


def _statuses(values, rows, report: ImportReport, file: str, words=POPULATION_STATUS) -> list[str]:
    out = []
    changed: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, value in enumerate(values):
        text = str(value).strip()
        mapped = words.get(header_key(text)) if text else ""
        if mapped is None:
            out.append(text)
        else:
            out.append(mapped)
            if text and mapped != text.lower():
                changed[(text, mapped)].append(int(rows[i]))
    for (text, mapped), where in changed.items():
        report.note(file, "value", "status_read_as", where, text=text, status=mapped)
    return out


def _keys(values, rows, matcher: KeyMatcher | None, report: ImportReport, file: str, problems: list[Problem],
          suppress: dict[str, set[int]], role: str) -> list[str]:
    """District keys mapped onto the boundary file's keys; every changed key is reported once."""
    out = []
    changed: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    ambiguous: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(list)
    cache = {}
    for i, value in enumerate(values):
        text = str(value).strip()
        if matcher is None or not text:
            out.append(text)
            continue
        if text not in cache:
            cache[text] = matcher.match(text)
        match = cache[text]
        out.append(match.key)
        if match.candidates:
            ambiguous[(text, match.candidates)].append(i)
            for code in ID_UNKNOWN:
                suppress[code].add(i)
        elif match.reason:
            changed[(text, match.key, match.reason)].append(int(rows[i]))
    for (text, key, reason), where in changed.items():
        report.note(file, "key", "key_changed", where, text=text, key_to=key, reason=reason)
    for (text, candidates), positions in ambiguous.items():
        listed = ", ".join(f"'{c}'" for c in candidates)
        where = [int(rows[i]) for i in positions]
        also = Phrase("problem.key.also_rows", {"rows": ", ".join(map(str, where[1:MAX_LISTED]))}) if len(where) > 1 else ""
        problems.append(Problem(file, where[0], role, "key.ambiguous", {"text": text, "candidates": listed, "also": also},
                                text))
    return out


def _merged_key_duplicates(table: pd.DataFrame, district_raw, rows, file: str, column: str,
                           problems: list[Problem], suppress: dict[str, set[int]]) -> None:
    """Two differently written keys (`2`, `02`) that became one district must not give one cell twice."""
    raw = pd.Series([str(v).strip() for v in district_raw], index=table.index)
    groups = table.groupby(["district_id", "year", "age_band"], sort=False).indices
    reported: set[tuple[int, int]] = set()
    for (district, year, _band), positions in groups.items():
        if len(positions) < 2 or raw.iloc[positions].nunique() < 2:
            continue
        first = positions[0]
        for i in positions[1:]:
            if raw.iloc[i] == raw.iloc[first]:
                continue
            suppress["population.duplicate"].add(int(i))
            pair = (int(rows[i]), int(rows[first]))
            if pair in reported:
                continue
            reported.add(pair)
            problems.append(Problem(file, pair[0], column, "key.merged_twice",
                                    {"text": raw.iloc[i], "other": raw.iloc[first], "row": pair[1], "district": district,
                                     "year": int(year)}, raw.iloc[i]))


def _check_totals(frame: pd.DataFrame, band_cols, totals, style: NumberStyle, file: str,
                  problems: list[Problem]) -> None:
    bands = sorted(parse_band(label) for _, label in band_cols)
    covers_all = bands[0].low == 0 and math.isinf(bands[-1].high) and all(
        b.low == a.high + 1 for a, b in zip(bands, bands[1:]))
    if not covers_all:
        return
    headers = [h for h, _ in band_cols]
    listed = 0
    for index, row in frame.iterrows():
        parts = [read_number(row[h], style).value for h in headers]
        if any(p is None for p in parts):
            continue
        for total_col in totals:
            total = read_number(row[total_col], style).value
            if total is not None and abs(total - sum(parts)) > 0.5 and listed < MAX_LISTED:
                listed += 1
                problems.append(Problem(file, int(index) + ROW_OFFSET, total_col, "population.total_differs",
                                        {"sum": number_text(sum(parts))}, row[total_col], "warning"))
