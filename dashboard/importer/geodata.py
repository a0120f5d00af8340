"""The boundary file: GeoJSON, GeoPackage or zipped Shapefile in, contract districts in WGS84 out.

A zipped Shapefile is checked and unpacked by `safety` (generated names, a fresh folder), never read
in place. Problems name the feature number (1 = the first feature) as the core's boundary checks do.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

from ..boundaries import feature_problems
from ..errors import MAX_LISTED, DataError, Problem
from .crs import WGS84, choose_boundary_crs, looks_like_degrees, name_of, parse_crs, plausibility
from .keys import best_pairs, tied
from .mapping import BoundaryMapping, find_column, header_key, resolve_columns
from .normalise import key_text
from .report import ColumnChoice, ImportReport
from .safety import InputFile, Limits, extract_shapefile



ID_ENDINGS = ("id", "nr", "schluessel", "key", "code")  # endings of an id attribute's name: plr_id, bez_nr
NAME_ENDINGS = ("name", "bezeichnung")


@dataclass
class Districts:
    frame: gpd.GeoDataFrame  # district_id, name, <levels…>, geometry (WGS84)
    levels: list[str]
    file: str
    key_column: str | None = None  # the population table's column matched to the ids by value


def read_districts(file: InputFile, mapping: BoundaryMapping, explicit: dict[str, str], explicit_source: dict[str, str],
                   levels: dict[str, str], levels_source: str, given_crs, limits: Limits, workdir: Path,
                   report: ImportReport, table_columns: dict[str, list] | None = None) -> Districts | None:
    """Read, check and reproject the boundary file; problems go to `report`, None if unusable.

    `explicit` names the id/name columns (from mapping.toml or dataset.toml's [boundaries]);
    `levels` maps level names to columns of the file. Without an id attribute by name, the attribute
    whose values match a column of `table_columns` (the population table's) best is the id.
    """
    label = file.name
    try:
        frame, kind, explicit_crs = read_geodata(file, mapping, limits, workdir)
    except DataError as exc:
        report.add(exc.problems)
        return None
    if len(frame) == 0:
        report.add(Problem(label, None, None, "geodata.empty"))
        return None

    headers = [c for c in frame.columns if c != frame.geometry.name]
    problems: list[Problem] = []
    resolved = resolve_columns("boundaries", headers, label, explicit, explicit_source=explicit_source)
    problems += resolved.problems
    if "name" not in resolved.columns:
        _by_suffix(frame, headers, resolved, label, "name", NAME_ENDINGS)
    key_column = None
    if "id" not in resolved.columns and table_columns and not any(p.severity == "error" for p in problems):
        key_column = _id_by_values(frame, headers, resolved, table_columns, label, problems, report)
    if "id" not in resolved.columns and not any(p.severity == "error" for p in problems):
        _by_suffix(frame, headers, resolved, label, "id", ID_ENDINGS)
    if "id" not in resolved.columns and not any(p.severity == "error" for p in problems):
        problems.append(Problem(label, None, None, "geodata.no_id", {"attributes": ", ".join(repr(h) for h in headers)
                                                                         or "–"}))
    level_columns = {}
    for level, wanted in levels.items():
        header = find_column(headers, wanted)
        if header is None:
            problems.append(Problem(label, None, wanted, "geodata.level_absent",
                                    {"level": level, "source": levels_source,
                                     "attributes": ", ".join(repr(h) for h in headers)}, wanted))
        else:
            level_columns[level] = header
    override = None
    if mapping.crs:
        override, crs_problems = parse_crs(mapping.crs, label, "crs")
        problems += crs_problems
    report.add(problems)
    if any(p.severity == "error" for p in problems):
        return None
    for choice in resolved.choices:
        report.choose(choice)
    for level, header in level_columns.items():
        report.choose(ColumnChoice(label, f"level {level}", header, levels_source))
    used = {*resolved.columns.values(), *level_columns.values()}
    unused = [h for h in headers if h not in used]
    if unused:
        report.note(label, "column", "attributes_not_used", columns=", ".join(f"'{h}'" for h in unused))

    implied = frame.crs if kind == "GeoJSON crs member" and not explicit_crs else None
    choice = choose_boundary_crs(frame.crs if explicit_crs else None, implied, kind, override, given_crs, label)
    report.add(list(choice.problems))
    if choice.crs is None:
        return None
    report.note(label, "crs", "coordinates_in", crs=name_of(choice.crs), source=choice.source)
    frame = frame.set_crs(choice.crs, allow_override=True)

    id_col = resolved.columns["id"]
    name_col = resolved.columns.get("name")
    ids = [key_text(v) for v in frame[id_col]]
    geometries = list(frame.geometry)
    errors = feature_problems(label, ids, geometries, id_col)
    report.add(errors[:MAX_LISTED * 4])
    if errors:
        return None

    report.add(plausibility(frame.total_bounds, choice.crs, label, choice.source))
    if any(p.severity == "error" for p in report.problems if p.file == label):
        return None
    if shapely.has_z(frame.geometry.values).any():
        frame = frame.set_geometry(shapely.force_2d(frame.geometry.values))
        report.note(label, "value", "heights_dropped")
    wgs = frame.to_crs(WGS84)
    minx, miny, maxx, maxy = wgs.total_bounds
    if not looks_like_degrees([minx, maxx], [miny, maxy]):
        report.add(Problem(label, None, "geometry", "geodata.not_transformable", {}, f"{minx:.6g}, {miny:.6g}"))
        return None
    invalid = [i for i, g in enumerate(wgs.geometry, start=1) if not g.is_valid]
    for i in invalid[:MAX_LISTED]:
        report.add(Problem(label, i, "geometry", "geodata.invalid_in_degrees", {}, ids[i - 1]))
    if invalid:
        return None
    if not choice.crs.equals(WGS84) and not (choice.crs.is_geographic and choice.crs.to_epsg() == 4326):
        report.note(label, "crs", "transformed")

    names = [str(v).strip() if v is not None and str(v) != "nan" else "" for v in frame[name_col]] if name_col else ids
    if name_col is None:
        report.add(Problem(label, None, None, "geodata.no_name", severity="warning"))
    out = gpd.GeoDataFrame(
        {"district_id": ids, "name": names,
         **{level: [key_text(v) for v in frame[col]] for level, col in level_columns.items()}},
        geometry=list(wgs.geometry), crs=WGS84,
    )
    changed_ids = [i for i, (raw, key) in enumerate(zip(frame[id_col], ids), start=1) if str(raw) != key]
    if changed_ids:
        report.note(label, "key", "ids_as_text", changed_ids)
    return Districts(out, list(level_columns), label, key_column)


def _by_suffix(frame, headers, resolved, label: str, role: str, endings: tuple[str, ...]) -> None:
    """`plr_id`, `bzr_name`: the one unused attribute whose name ends like the role's, with distinct values."""
    taken = set(resolved.columns.values())
    found = [h for h in headers if h not in taken and header_key(h).endswith(endings)
             and frame[h].astype(str).nunique() == len(frame)]
    if len(found) == 1:
        resolved.columns[role] = found[0]
        resolved.choices.append(ColumnChoice(label, role, found[0], "detected"))


def _id_by_values(frame, headers, resolved, table_columns: dict[str, list], label: str, problems: list[Problem],
                  report: ImportReport) -> str | None:
    """The attribute and table column whose values match best become the keys; a tie is refused."""
    name = resolved.columns.get("name")
    attributes = {h: [key_text(v) for v in frame[h]] for h in headers if h != name}
    pairs = best_pairs(attributes, table_columns)
    if not pairs:
        return None
    if tied(pairs):
        a, b = pairs[0], pairs[1]
        problems.append(Problem(label, None, None, "geodata.key_tie",
                                {"first": f"{a.attribute} = {a.column}", "second": f"{b.attribute} = {b.column}",
                                 "percent": a.percent}, f"{a.attribute}, {b.attribute}"))
        return None
    best = pairs[0]
    resolved.columns["id"] = best.attribute
    resolved.choices.append(ColumnChoice(label, "id", best.attribute, "values"))
    report.note(label, "key", "id_by_values", attribute=best.attribute, column=best.column, matched=best.matched,
                total=best.total, percent=best.percent)
    return best.column


def read_geodata(file: InputFile, mapping: BoundaryMapping, limits: Limits, workdir: Path):
    """The frame as read, what kind of file it was, and whether the file states its CRS.

    A zipped Shapefile is unpacked (checked) into a fresh folder under `workdir`."""
    label = file.name
    suffix = file.suffix
    layer = None
    if suffix == ".zip":
        folder = Path(tempfile.mkdtemp(prefix="unpacked-", dir=workdir))
        source = extract_shapefile(file.path, label, folder, limits)
        kind = ".prj"
    elif suffix == ".gpkg":
        source = file.path
        kind = "GeoPackage"
        try:
            layers = [str(name) for name, _ in pyogrio.list_layers(source)]
        except Exception as exc:
            raise DataError([Problem(label, None, None, "geodata.gpkg_unreadable", {"error": str(exc)})]) from exc
        if mapping.layer:
            if mapping.layer not in layers:
                raise DataError([Problem(label, None, None, "geodata.no_layer",
                                         {"layer": mapping.layer, "layers": ", ".join(layers)}, mapping.layer)])
            layer = mapping.layer
        elif len(layers) != 1:
            raise DataError([Problem(label, None, None, "geodata.layers",
                                     {"count": len(layers), "layers": ", ".join(layers)})])
    else:
        source = file.path
        kind = "GeoJSON crs member"
    try:
        frame = gpd.read_file(source, engine="pyogrio", layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FieldError,
            OSError, ValueError, RuntimeError) as exc:
        raise DataError([Problem(label, None, None, "boundaries.unreadable", {"error": str(exc)})]) from exc
    if suffix in (".geojson", ".json"):
        explicit = _geojson_has_crs(file.path)
    else:
        explicit = frame.crs is not None
    return frame, kind, explicit


def _geojson_has_crs(path: Path) -> bool:
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(data, dict) and isinstance(data.get("crs"), dict)
