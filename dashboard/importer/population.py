"""The population table: long or wide (by age or by year) in, contract rows out.

Accepted shapes:
- long: one row per district, year and age band (`Stadtteil; Jahr; Altersgruppe; Einwohner`);
- wide by age: one column per age band (`Stadtteil; Jahr; unter 60; 60 bis 64; 65 und älter`);
- wide by year: one column per year (`Stadtteil; Altersgruppe; 2025; 2026`).
Total columns (`Insgesamt`) and total rows (`Stadt insgesamt`) are left out and reported; a total
column is compared with the sum of the age columns when those cover every age.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import numpy as np
import pandas as pd

from ..agebands import parse_band
from ..errors import MAX_LISTED, NAMED, Phrase, Problem, first_named
from ..tables import ROW_OFFSET, NumberStyle, detect_style, number_text, read_number, read_year
from .agecolumns import AgeColumns, classify, total_sex
from .keys import best_columns, tied
from .mapping import TableMapping, find_column, header_key, resolve_columns
from .normalise import (POPULATION_STATUS, BandReading, KeyMatcher, SourceTable, Staged, is_missing, is_total,
                        read_band, spreadsheet_rows, unreadable)
from .report import ColumnChoice, ImportReport

CONTRACT = ["district_id", "year", "age_band", "population", "status"]
OLDEST = 99  # bands reaching this age cover every age (coded registers end at `U110`, i.e. 109)
ID_UNKNOWN = ("population.id_unknown", "services.id_unknown")  # the core's codes for a key not in the boundaries
# the core's codes for counts without a figure: replaced by the importer's one problem per area
CELL_CODES = ("population.count_empty", "population.count_not_number", "population.rows_missing",
              "population.area_without_figures")


def stage_population(src: SourceTable, mapping: TableMapping, matcher: KeyMatcher | None,
                     report: ImportReport, sources: dict[str, str] | None = None) -> Staged | None:
    """Contract-form population rows with their source positions; None if the table's shape is unusable.
    `sources` names where an explicit column came from when not mapping.toml (e.g. "values")."""
    file = src.file
    resolved = resolve_columns("population", src.headers, file, mapping.columns, mapping.fixed,
                               {r: (sources or {}).get(r, "mapping.toml") for r in mapping.columns},
                               optional=frozenset({"name"}))
    report.add(resolved.problems)
    if any(p.severity == "error" for p in resolved.problems):
        return None
    roles = dict(resolved.columns)
    choices = list(resolved.choices)
    problems: list[Problem] = []
    available = ", ".join(f"'{h}'" for h in src.headers)

    if "district_id" not in roles and matcher is not None:
        problems += _key_by_values(src, roles, choices, matcher, report)

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
    ages = AgeColumns()
    if mapping.age_columns:
        for name in mapping.age_columns:
            header = find_column(src.headers, name)
            given = next((b for c, b in mapping.bands.items() if header and find_column([header], c)), None)
            reading = BandReading(given) if given else read_band(header) if header else None
            if header is None:
                problems.append(Problem(file, 1, name, "population.age_column_absent", {"available": available}, name))
            elif reading.label is None:
                problems.append(Problem(file, 1, header, "population.header_not_band",
                                        {"reason": reading.reason or Phrase("problem.band.not_band")}, header))
            else:
                band_cols.append((header, reading.label))
        unused = [h for h in rest if h not in dict(band_cols)]
    else:
        ages = classify(rest, mapping.bands)
        band_cols = [(c.header, c.label) for c in ages.bands]
        year_cols, totals, unused = ages.years, list(ages.totals), list(ages.unused)
        problems += _grouped_headers(file, ages)
    for column in mapping.bands:
        if find_column(src.headers, column) is None:
            problems.append(Problem(file, 1, column, "population.band_column_absent", {"available": available},
                                    column, "warning"))

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
    elif not ages.unreadable and not ages.half_sex:  # else those headers are reported already
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

    if mode == "wide_age":
        src = _with_sums(src, ages)
        _note_ages(report, file, ages)
    return _build(src, mode, roles, band_cols, year_cols, totals, mapping, matcher, report, ages)


def _key_by_values(src: SourceTable, roles: dict[str, str], choices: list, matcher: KeyMatcher,
                   report: ImportReport) -> list[Problem]:
    """No column name settles the district key: take the column whose values are boundary keys."""
    taken = {h for r, h in roles.items() if r != "name"}
    candidates = {h: src.frame[h].tolist() for h in src.headers
                  if h not in taken and read_band(h).label is None and not is_total(h)}
    pairs = best_columns(matcher, candidates)
    if not pairs:
        return []
    if tied(pairs):
        return [Problem(src.file, 1, None, "population.key_tie",
                        {"first": pairs[0].column, "second": pairs[1].column, "percent": pairs[0].percent},
                        f"{pairs[0].column}, {pairs[1].column}")]
    best = pairs[0]
    roles["district_id"] = best.column
    if roles.get("name") == best.column:
        del roles["name"]
    choices.append(ColumnChoice(src.file, "district_id", best.column, "values"))
    report.note(src.file, "key", "key_by_values", column=best.column, matched=best.matched, total=best.total,
                percent=best.percent)
    return []


def _grouped_headers(file: str, ages: AgeColumns) -> list[Problem]:
    """One problem per kind of unreadable header, naming the first few columns."""
    problems = []
    if len(ages.unreadable) == 1 and ages.unreadable[0][1] is not None:  # one header, with the reason
        header, reason = ages.unreadable[0]
        problems.append(Problem(file, 1, header, "population.header_unreadable", {"reason": reason}, header))
    elif ages.unreadable:
        headers = [h for h, _ in ages.unreadable]
        problems.append(Problem(file, 1, headers[0], "population.headers_unreadable",
                                {"count": len(headers), "columns": first_named(headers), "first": headers[0]}))
    if ages.half_sex:
        problems.append(Problem(file, 1, ages.half_sex[0], "population.sex_half",
                                {"count": len(ages.half_sex), "columns": first_named(ages.half_sex)}))
    return problems


def _note_ages(report: ImportReport, file: str, ages: AgeColumns) -> None:
    for column in ages.bands:
        if column.source == "sum":
            report.note(file, "band", "sexes_summed", band=column.label, columns=" + ".join(f"'{p}'" for p in column.parts))
    for aggregate, parts in ages.aggregates:
        report.note(file, "band", "aggregate_left_out", column=aggregate.header, band=aggregate.label,
                    parts=", ".join(f"'{p.header}'" for p in parts))


def _with_sums(src: SourceTable, ages: AgeColumns) -> SourceTable:
    """The table with a column per summed sex split (male + female, cell by cell)."""
    sums = [c for c in ages.bands if c.source == "sum"]
    if not sums:
        return src
    frame = src.frame.copy()
    for column in sums:
        style = detect_style(list(frame[column.parts[0]]) + list(frame[column.parts[1]]), src.separator, counts=True)
        frame[column.header] = [_sum_text(a, b, style) for a, b in zip(frame[column.parts[0]], frame[column.parts[1]])]
    return replace(src, frame=frame)


def _sum_text(a: str, b: str, style: NumberStyle) -> str:
    if is_missing(a) and is_missing(b):
        return ""
    x, y = read_number(a, style).value, read_number(b, style).value
    if x is None or y is None:
        return f"{a} + {b}"
    return number_text(x + y)


def _no_year(file: str) -> Problem:
    return Problem(file, 1, None, "population.no_year")


def _build(src: SourceTable, mode: str, roles: dict[str, str], band_cols, year_cols, totals, mapping: TableMapping,
           matcher: KeyMatcher | None, report: ImportReport, ages: AgeColumns | None = None) -> Staged:
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

    years = _years(year_raw, rows, report, file, roles.get("year", "year"))
    bands = _bands(band_raw, rows, mode, report, file, problems, suppress)
    status = _statuses(status_raw, rows, report, file)
    keys = _keys(district_raw, rows, matcher, report, file, problems, suppress,
                 roles.get("district_id", "district_id"))

    table = pd.DataFrame({"district_id": keys, "year": years, "age_band": bands, "population": counts,
                          "status": status}).astype(str)
    _merged_key_duplicates(table, district_raw, rows, file, roles.get("district_id", "district_id"), problems, suppress)
    areas = area_records(district_raw, keys, matcher)
    known = set(matcher.ids) if matcher is not None else set()
    empty: list[int] = []
    if mode != "wide_age":  # a row per band (and year): a table wide by year has a cell per row and year
        count_columns = cells.get("population") or [roles.get("population", "population")] * len(rows)
        empty = _missing_rows(count_raw, band_raw, years, rows, keys, areas, known, file, problems, suppress,
                              count_columns, roles.get("district_id", "district_id"))
    if mode == "wide_age":
        names = _area_names(frame, roles, matcher)
        if totals:
            _check_totals(frame, band_cols, totals, ages, style, file, names, problems)
        _check_aggregates(frame, ages, style, file, names, problems)
        empty = _missing_cells(frame, band_cols, file, names, keys, known, problems, rows, suppress,
                               roles.get("district_id", "district_id"))
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
    records = [Phrase("problem.record.area", {"record": r}) if r else None for r in areas]
    # the rows of areas without figures are left out; the areas stay in the dataset (`no_figures`)
    no_figures = sorted({keys[i] for i in empty})
    table = table.drop(index=empty)
    return Staged(file, table, rows.tolist(), columns, cells, originals, bands_to_header, dict(suppress), records,
                  no_figures)


def area_records(raw_keys, keys, matcher: KeyMatcher | None) -> list[str]:
    """"01 (Altstadt)" per row: the key as the file writes it and the boundary file's name of the district."""
    names = dict(zip(matcher.ids, matcher.names)) if matcher is not None else {}
    out = []
    for raw, key in zip(raw_keys, keys):
        raw, name = str(raw).strip(), names.get(key, "")
        out.append(f"{raw} ({name})" if name and name != raw else raw)
    return out


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


def _check_totals(frame: pd.DataFrame, band_cols, totals, ages: AgeColumns | None, style: NumberStyle, file: str,
                  names: dict, problems: list[Problem]) -> None:
    """A total column (`Insgesamt`, coded `E_E`) must equal the sum of the age columns in every row, when
    those cover every age; a total of one sex (`E_M`) the sum of that sex's halves, when every band is
    summed from halves. One warning per total column, naming the first row's area and values."""
    bands = sorted(parse_band(label) for _, label in band_cols)
    covers_all = bands[0].low == 0 and bands[-1].high >= OLDEST and all(
        b.low == a.high + 1 for a, b in zip(bands, bands[1:]))
    if not covers_all:
        return
    by_header = {c.header: c for c in (ages.bands if ages else [])}
    for total_col in totals:
        sex = total_sex(total_col)
        if sex is None:
            headers = [h for h, _ in band_cols]
        elif all(by_header.get(h) and by_header[h].parts for h, _ in band_cols):
            headers = [by_header[h].parts[0 if sex == "m" else 1] for h, _ in band_cols]
        else:
            continue  # a total of one sex beside bands of both: nothing to compare it with
        problems += _sum_differs(frame, total_col, headers, first_named(headers), style, file, names,
                                 "population.total_differs")


def _area_names(frame: pd.DataFrame, roles: dict[str, str], matcher: KeyMatcher | None) -> dict:
    """Per source row: the area as a person knows it, "key (name)"."""
    raw = [str(k).strip() for k in (frame[roles["district_id"]] if "district_id" in roles else [""] * len(frame))]
    keys = [matcher.match(k).key if matcher is not None and k else k for k in raw]
    return dict(zip(frame.index, area_records(raw, keys, matcher)))


def _check_aggregates(frame: pd.DataFrame, ages: AgeColumns | None, style: NumberStyle, file: str, names: dict,
                      problems: list[Problem]) -> None:
    """An aggregate must equal the sum of its parts in every row; one warning per aggregate column."""
    for aggregate, parts in (ages.aggregates if ages else []):
        headers = [p.header for p in parts]
        problems += _sum_differs(frame, aggregate.header, headers, ", ".join(headers), style, file, names,
                                 "population.aggregate_differs")


def _sum_differs(frame: pd.DataFrame, total_col: str, headers: list[str], parts_text: str, style: NumberStyle,
                 file: str, names: dict, code: str) -> list[Problem]:
    """One warning if `total_col` differs from the sum of `headers` (by more than rounding) in any row:
    at the first such row, counting the others."""
    wrong = []
    for index, row in frame.iterrows():
        parts = [read_number(row[h], style).value for h in headers]
        total = read_number(row[total_col], style).value
        if total is not None and None not in parts and abs(total - sum(parts)) > 0.5:
            wrong.append((index, total, sum(parts)))
    if not wrong:
        return []
    index, total, parts_sum = wrong[0]
    more = Phrase("problem.population.more_rows", {"count": len(wrong) - 1}) if len(wrong) > 1 else ""
    return [Problem(file, int(index) + ROW_OFFSET, total_col, code,
                    {"area": names.get(index, ""), "total": number_text(total), "sum": number_text(parts_sum),
                     "parts": parts_text, "more": more}, str(frame.at[index, total_col]), "warning")]


def _missing_cells(frame: pd.DataFrame, band_cols, file: str, names: dict, keys: list[str], known: set[str],
                   problems: list[Problem], rows, suppress: dict[str, set[int]], key_column: str) -> list[int]:
    """Missing-value markers (NA, -, ., x, …, empty): one problem per area, not one per cell. An area of
    the boundaries (`known`) whose every count is missing in every row (uninhabited or suppressed) is
    imported without figures, named in one warning for the whole table; returns the contract-table
    positions of its rows."""
    headers = [h for h, _ in band_cols]
    if not headers:
        return []
    positions = defaultdict(list)  # spreadsheet row -> rows of the contract table
    for i, row in enumerate(rows):
        positions[int(row)].append(i)
    partly, empty = [], defaultdict(list)  # (index, missing headers); area key -> its empty source rows
    with_figures = set()
    for index, row in frame[headers].iterrows():
        at = positions.get(int(index) + ROW_OFFSET)
        if not at:
            continue  # total rows are left out anyway
        missing = [h for h in headers if is_missing(row[h])]
        if len(missing) == len(headers):
            empty[keys[at[0]]].append(index)
            continue
        with_figures.add(keys[at[0]])
        if missing:
            partly.append((index, missing))
    for key in [k for k in empty if k in with_figures or k not in known]:  # empty in one year only; or unknown
        partly += [(index, headers) for index in empty.pop(key)]
    for index, missing in sorted(partly, key=lambda item: item[0]):
        for i in positions[int(index) + ROW_OFFSET]:  # the core's cell problems are replaced by this one
            for code in CELL_CODES:
                suppress[code].add(i)
        problems.append(Problem(file, int(index) + ROW_OFFSET, missing[0], "population.counts_missing",
                                {"area": names.get(index, ""), "columns": first_named(missing),
                                 "count": len(missing)},
                                ", ".join(str(frame.at[index, h]) for h in missing[:NAMED])))
    if not empty:
        return []
    first_rows = [indexes[0] for indexes in empty.values()]
    areas = [names.get(i, "") for i in first_rows]
    problems.append(_no_figures(file, int(first_rows[0]) + ROW_OFFSET, key_column, areas, "columns"))
    return [i for indexes in empty.values() for index in indexes for i in positions[int(index) + ROW_OFFSET]]


def _missing_rows(counts, bands, years, rows, keys: list[str], areas: list[str], known: set[str], file: str,
                  problems: list[Problem], suppress: dict[str, set[int]], count_columns: list[str],
                  key_column: str) -> list[int]:
    """Missing-value markers in the counts of a long table (or one wide by year): one problem per area,
    not one per row. An area of the boundaries whose every count is missing (every band of every
    year) is imported without figures, named in one warning for the whole table; returns the
    positions of its rows. `count_columns`: per position, the column its count is in."""
    rows_of, missing = defaultdict(list), defaultdict(list)  # area key -> positions (all / missing count)
    for i, (key, cell) in enumerate(zip(keys, counts)):
        rows_of[key].append(i)
        if is_missing(cell):
            missing[key].append(i)
    if not missing:
        return []
    empty = {key: at for key, at in missing.items() if len(at) == len(rows_of[key]) and key in known}
    several_years = len(set(years)) > 1
    for key, at in missing.items():
        for i in at:  # the core's cell problems are replaced by this one
            for code in CELL_CODES:
                suppress[code].add(i)
        if key in empty:
            continue
        bands_named = [f"{str(bands[i]).strip()} {years[i]}" if several_years else str(bands[i]).strip() for i in at]
        where = list(dict.fromkeys(str(int(rows[i])) for i in at))  # a row of a table wide by year: once
        problems.append(Problem(file, int(rows[at[0]]), count_columns[at[0]], "population.rows_missing",
                                {"area": areas[at[0]], "count": len(at), "bands": first_named(bands_named),
                                 "rows": first_named(where)},
                                ", ".join(str(counts[i]) for i in at[:NAMED])))
    if not empty:
        return []
    first = [at[0] for at in empty.values()]
    problems.append(_no_figures(file, int(rows[first[0]]), key_column, [areas[i] for i in first], "rows"))
    return sorted(i for at in empty.values() for i in at)


def _no_figures(file: str, row: int, key_column: str, areas: list[str], where: str) -> Problem:
    """The one warning naming the areas imported without figures; `where`: "columns" or "rows"."""
    return Problem(file, row, key_column, "population.no_figures",
                   {"count": len(areas), "areas": first_named(areas), "where": Phrase(f"no_figures.where.{where}")},
                   areas[0], "warning")
