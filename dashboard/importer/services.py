"""The services table: sites with their service, FTE, years and place, in contract form.

A site is placed by district key, or by coordinates: degrees are taken as WGS84; metres (x/y,
Rechtswert/Hochwert) need their CRS (`--crs` or `crs` in mapping.toml's [services]) and are
transformed to lon/lat. Service values are mapped to the service keys of dataset.toml afterwards
(`apply_service_keys`), because without a dataset.toml the keys come from the table itself.
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np
import pandas as pd
from pyproj import CRS, Transformer

from ..errors import Phrase, Problem
from ..settings import ServiceSpec
from .crs import DEGREES, choose_site_crs, name_of, parse_crs
from ..tables import detect_style, number_text, read_number
from .mapping import TableMapping, resolve_columns
from .normalise import OPEN_END_WORDS, SITE_STATUS, KeyMatcher, SourceTable, Staged, spreadsheet_rows
from .population import _keys, _note_numbers, _numbers, _statuses, _years
from .report import ImportReport

CONTRACT = ["site_id", "name", "service", "fte", "year_from", "year_to", "district_id", "lon", "lat", "provider",
            "status"]


def service_key(text: str) -> str:
    """`Offene Begegnung` → `offene_begegnung`: a key for dataset.toml and services.csv."""
    value = str(text).strip().lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        value = value.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "_", value).strip("_")


def stage_services(src: SourceTable, mapping: TableMapping, matcher: KeyMatcher | None, given_crs: CRS | None,
                   report: ImportReport, extent=None) -> Staged | None:
    """Contract-form site rows; `extent` (min lon, min lat, max lon, max lat of the boundaries) decides
    coordinates such as `13.775` in a decimal-comma file."""
    file = src.file
    resolved = resolve_columns("services", src.headers, file, mapping.columns, mapping.fixed)
    report.add(resolved.problems)
    if any(p.severity == "error" for p in resolved.problems):
        return None
    roles = resolved.columns
    available = ", ".join(f"'{h}'" for h in src.headers)
    problems: list[Problem] = []
    for role, example in (("service", "Angebot"), ("fte", "VZÄ"), ("year_from", "von")):
        if role not in roles and role not in mapping.fixed:
            problems.append(Problem(file, 1, None, "services.no_column",
                                    {"role": role, "example": example, "available": available}))
    if ("lon" in roles) != ("lat" in roles):
        have, lack = ("lon", "lat") if "lon" in roles else ("lat", "lon")
        problems.append(Problem(file, 1, roles[have], "services.half_coordinates", {"have": have, "lack": lack}))
    if "district_id" not in roles and "lon" not in roles:
        problems.append(Problem(file, 1, None, "services.no_place_columns"))
    override = None
    if mapping.crs:
        override, crs_problems = parse_crs(mapping.crs, file, "crs")
        problems += crs_problems
    report.add(problems)
    if problems:
        return None
    for choice in resolved.choices:
        report.choose(choice)
    unused = [h for h in src.headers if h not in roles.values()]
    if unused:
        report.note(file, "column", "columns_not_used", columns=", ".join(f"'{h}'" for h in unused))

    frame = src.frame
    n = len(frame)
    rows = np.array(spreadsheet_rows(frame.index), dtype=int)

    def column(role: str) -> np.ndarray:
        if role in roles:
            return frame[roles[role]].to_numpy(dtype=object)
        return np.full(n, mapping.fixed.get(role, ""), dtype=object)

    suppress: dict[str, set[int]] = defaultdict(set)
    raw = {role: column(role) for role in CONTRACT}
    if "site_id" not in roles:
        raw["site_id"] = np.array([f"row-{r}" for r in rows], dtype=object)
        report.note(file, "value", "sites_named_by_row")

    numeric = [*raw["fte"], *(raw["lon"] if "lon" in roles else []), *(raw["lat"] if "lat" in roles else [])]
    file_style = detect_style(numeric, src.separator)
    fte_style = detect_style(raw["fte"], src.separator, file_style)
    fte, fte_notes = _numbers(raw["fte"], fte_style)
    fte_column = roles.get("fte", "fte")
    report.note(file, "decimal", "column_read_with", column=fte_column, style=fte_style.phrase())
    _note_numbers(report, file, rows, fte_notes, fte_column)
    year_from = _years(raw["year_from"], rows, report, file, roles.get("year_from", "year_from"))
    open_end = np.array([str(v).strip().lower() in OPEN_END_WORDS for v in raw["year_to"]], dtype=bool)
    if open_end.any():
        report.note(file, "value", "open_end_left_empty", rows[open_end].tolist())
    year_to = _years(np.where(open_end, "", raw["year_to"]), rows, report, file, roles.get("year_to", "year_to"))
    district = _keys(raw["district_id"], rows, matcher, report, file, problems, suppress,
                     roles.get("district_id", "district_id"))
    status = _statuses(raw["status"], rows, report, file, SITE_STATUS)
    lon, lat = [""] * n, [""] * n
    if "lon" in roles:
        lon, lat = _coordinates(raw["lon"], raw["lat"], rows, roles, file_style, src.separator, override, given_crs,
                                file, report, problems, suppress, extent)
        if lon is None:
            report.add(problems)
            return None
    report.add(problems)

    table = pd.DataFrame({
        "site_id": [str(v).strip() for v in raw["site_id"]], "name": [str(v).strip() for v in raw["name"]],
        "service": [str(v).strip() for v in raw["service"]], "fte": fte, "year_from": year_from,
        "year_to": year_to, "district_id": district, "lon": lon, "lat": lat,
        "provider": [str(v).strip() for v in raw["provider"]], "status": status,
    }).astype(str)
    columns = {role: header for role, header in roles.items()}
    for role in mapping.fixed:
        columns[role] = f"[services.fixed] {role}"
    originals = {role: [str(v) for v in raw[role]] for role in CONTRACT}
    records = [Phrase("problem.record.site", {"record": f"{i} ({nm})" if nm and nm != i else i})
               for i, nm in zip(table["site_id"], table["name"])]
    return Staged(file, table, rows.tolist(), columns, {}, originals, {}, dict(suppress), records)


def _coordinates(lon_raw, lat_raw, rows, roles, file_style, separator, override, given_crs, file: str,
                 report: ImportReport, problems: list[Problem], suppress,
                 extent=None) -> tuple[list[str] | None, list[str] | None]:
    n = len(lon_raw)
    values = {}
    comma = {}
    for role, raw in (("lon", lon_raw), ("lat", lat_raw)):
        style = detect_style(raw, separator, file_style)
        comma[role] = style.decimal_comma
        parsed = [read_number(v, style) for v in raw]
        values[role] = np.array([np.nan if p.value is None else p.value for p in parsed], dtype=float)
        for i, (p, v) in enumerate(zip(parsed, raw)):
            if p.value is None and str(v).strip():
                problems.append(Problem(file, int(rows[i]), roles[role], "services.coordinate_not_number", {}, str(v)))
                suppress["services.no_place"].add(i)
        if any(p.against_style for p in parsed):
            report.note(file, "number", "other_decimal_mark", [int(rows[i]) for i, p in enumerate(parsed) if p.against_style],
                        prefix=f"{roles[role]}: ")
    xs, ys = values["lon"], values["lat"]
    _point_degrees(lon_raw, lat_raw, xs, ys, comma, rows, roles, extent, file, report, problems, suppress)
    both = np.isfinite(xs) & np.isfinite(ys)
    out_lon, out_lat = [""] * n, [""] * n
    if not both.any():
        return out_lon, out_lat
    where = f"{roles['lon']}/{roles['lat']}"
    choice = choose_site_crs(xs[both], ys[both], override, given_crs, file, where)
    problems += list(choice.problems)
    if choice.crs is None:
        return None, None
    if choice.source == DEGREES:
        report.note(file, "crs", "coordinates_in_degrees")
    else:
        report.note(file, "crs", "coordinates_in" if choice.crs.is_geographic else "coordinates_in_transformed",
                    crs=name_of(choice.crs), source=choice.source)
    if choice.crs.is_geographic and choice.crs.to_epsg() == 4326:
        lon_deg, lat_deg = xs, ys
    else:
        transformer = Transformer.from_crs(choice.crs, "EPSG:4326", always_xy=True)
        lon_deg, lat_deg = np.full(n, np.nan), np.full(n, np.nan)
        lon_deg[both], lat_deg[both] = transformer.transform(xs[both], ys[both])
    for i in np.flatnonzero(both):
        if np.isfinite(lon_deg[i]) and np.isfinite(lat_deg[i]):
            out_lon[i], out_lat[i] = number_text(round(float(lon_deg[i]), 7)), number_text(round(float(lat_deg[i]), 7))
        else:  # out of the CRS's domain: let the core report the place as unusable
            out_lon[i], out_lat[i] = "999", "999"
    return out_lon, out_lat


_POINT_OR_THOUSANDS = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")  # 13.775: 13.775° or 13 775 in a decimal-comma file
EXTENT_MARGIN = 0.05  # degrees around the boundaries within which a site may lie


def _point_degrees(lon_raw, lat_raw, xs, ys, comma: dict[str, bool], rows, roles, extent, file: str,
                   report: ImportReport, problems: list[Problem], suppress) -> None:
    """In a decimal-comma file `13.775` reads as 13775; read it as degrees when the place then lies in
    the boundaries' extent (noted), else refuse naming both readings. Changes `xs`/`ys` in place."""
    as_degrees = []
    for i, (lon_text, lat_text) in enumerate(zip(lon_raw, lat_raw)):
        texts = {"lon": str(lon_text).strip(), "lat": str(lat_text).strip()}
        doubtful = [r for r in texts if comma[r] and _POINT_OR_THOUSANDS.match(texts[r])]
        if not doubtful:
            continue
        lon = float(texts["lon"]) if "lon" in doubtful else xs[i]
        lat = float(texts["lat"]) if "lat" in doubtful else ys[i]
        inside = abs(lon) <= 180 and abs(lat) <= 90 and (
            extent is None or (extent[0] - EXTENT_MARGIN <= lon <= extent[2] + EXTENT_MARGIN
                               and extent[1] - EXTENT_MARGIN <= lat <= extent[3] + EXTENT_MARGIN))
        if inside:
            xs[i], ys[i] = lon, lat
            as_degrees.append(int(rows[i]))
            continue
        role = doubtful[0]
        problems.append(Problem(file, int(rows[i]), roles[role], "services.coordinate_ambiguous",
                                {"degrees": texts[role], "thousands": number_text(float(texts[role].replace(".", "")))},
                                texts[role]))
        suppress["services.no_place"].add(i)
        xs[i] = ys[i] = np.nan
    if as_degrees:
        report.note(file, "number", "point_read_as_degrees", as_degrees,
                    columns=f"{roles['lon']}/{roles['lat']}")


def apply_service_keys(staged: Staged, specs: dict[str, ServiceSpec] | None, explicit: dict[str, str],
                       report: ImportReport) -> dict[str, str]:
    """Replace service values by service keys; returns key -> first value seen (a label for generated settings).

    With settings: the key itself, its label or label_en (any case), or an entry of [service_keys] in
    mapping.toml. Without settings: a key made from the value (`Offene Begegnung` → offene_begegnung).
    Values that fit no key stay as they are and the core reports them as unknown services.
    """
    labels: dict[str, str] = {}
    by_label = {}
    for key, spec in (specs or {}).items():
        for text in (key, spec.label, spec.label_en):
            by_label.setdefault(str(text).strip().casefold(), key)
    changed: dict[tuple[str, str], list[int]] = defaultdict(list)
    out = []
    for i, value in enumerate(staged.table["service"]):
        text = str(value).strip()
        folded = text.casefold()
        if folded in explicit:
            key = explicit[folded]
        elif specs is None:
            key = service_key(text) or text
        elif folded in by_label:
            key = by_label[folded]
        elif service_key(text) in specs:
            key = service_key(text)
        else:
            key = text
        out.append(key)
        labels.setdefault(key, text)
        if key != text.lower():
            changed[(text, key)].append(staged.rows[i])
    staged.table["service"] = pd.Series(out, index=staged.table.index, dtype=str)
    for (text, key), rows in changed.items():
        report.note(staged.file, "value", "service_read_as", rows, text=text, service=key)
    return labels

