"""Boundary files: GeoJSON, GeoPackage or zipped Shapefile, any CRS in, WGS84 out."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

from .errors import DataError, Problem
from .formats import DATASET_BOUNDARY_SUFFIXES

WGS84 = "EPSG:4326"


def find_boundary_file(folder: Path) -> Path | None:
    """The `districts.*` file of a dataset folder, in order of preference."""
    for suffix in DATASET_BOUNDARY_SUFFIXES:
        candidate = folder / f"districts{suffix}"
        if candidate.exists():
            return candidate
    return None


def _zip_source(path: Path) -> str:
    """GDAL path of the one Shapefile inside a zip (which may sit in sub-folders); the archive is
    checked first (no paths leaving it, no links, no zip bombs), as for uploads."""
    from .importer.safety import ARCHIVE_MEMBER_SUFFIXES, Limits, inspect_archive, shapes_problem

    inspect_archive(path, path.name, Limits(), ARCHIVE_MEMBER_SUFFIXES)
    with zipfile.ZipFile(path) as archive:
        shapes = [n for n in archive.namelist() if n.lower().endswith(".shp") and not n.startswith("__MACOSX")]
    if len(shapes) != 1:
        raise DataError([shapes_problem(path.name, shapes)])
    return f"/vsizip/{path.resolve()}/{shapes[0]}"


def read_boundaries(path: str | Path, id_column: str = "district_id", name_column: str = "name",
                    level_columns: dict[str, str] | None = None, label: str | None = None) -> gpd.GeoDataFrame:
    """Read and check a boundary file; returns `district_id, name, <levels…>, geometry` in WGS84.

    Raises DataError listing every problem: missing columns, empty or duplicate ids, empty or
    invalid geometries, a missing CRS.
    """
    path = Path(path)
    label = label or path.name
    level_columns = level_columns or {}
    if path.suffix.lower() not in DATASET_BOUNDARY_SUFFIXES:
        raise DataError([Problem(label, None, None, "boundaries.format", {"suffix": path.suffix}, path.suffix)])
    source = _zip_source(path) if path.suffix.lower() == ".zip" else str(path)
    try:
        frame = gpd.read_file(source, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError, ValueError) as exc:
        raise DataError([Problem(label, None, None, "boundaries.unreadable", {"error": str(exc)})]) from exc

    problems: list[Problem] = []
    wanted = {"district_id": id_column, "name": name_column, **level_columns}
    for role, column in wanted.items():
        if column not in frame.columns:
            problems.append(Problem(label, None, column, "boundaries.column_missing",
                                    {"column": column, "role": role,
                                     "found": ", ".join(c for c in frame.columns if c != "geometry")}))
    if frame.crs is None:
        problems.append(Problem(label, None, None, "boundaries.no_crs"))
    if problems:
        raise DataError(problems)

    ids = frame[id_column].map(key_text)
    problems += feature_problems(label, list(ids), list(frame.geometry), id_column)
    if problems:
        raise DataError(problems)

    out = gpd.GeoDataFrame(
        {"district_id": ids, "name": frame[name_column].astype(str).str.strip(),
         **{level: frame[col].astype(str).str.strip() for level, col in level_columns.items()}},
        geometry=frame.geometry, crs=frame.crs,
    )
    return out.to_crs(WGS84).reset_index(drop=True)


def feature_problems(label: str, ids: list[str], geometries: list, id_column: str) -> list[Problem]:
    """Every feature needs a unique id and a valid, non-empty area."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, (key, geom) in enumerate(zip(ids, geometries), start=1):
        if not key:
            problems.append(Problem(label, i, id_column, "boundaries.id_empty"))
        elif key in seen:
            problems.append(Problem(label, i, id_column, "boundaries.id_twice", {"id": key, "other": seen[key]}, key))
        else:
            seen[key] = i
        if geom is None or geom.is_empty:
            problems.append(Problem(label, i, "geometry", "boundaries.no_geometry", {}, key))
        elif geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(Problem(label, i, "geometry", "boundaries.not_area", {"kind": geom.geom_type}, key))
        elif not geom.is_valid:
            problems.append(Problem(label, i, "geometry", "boundaries.invalid",
                                    {"reason": shapely.is_valid_reason(geom)}, key))
    return problems


def key_text(value) -> str:
    """Ids are text: a float read from a shapefile (1.0) becomes '1', not '1.0'."""
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if value != value else (str(int(value)) if value.is_integer() else str(value))
    return str(value).strip()
