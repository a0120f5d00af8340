"""Boundaries for the browser: dissolved per level, simplified as a coverage, cached on disk.

Simplifying each polygon alone opens gaps and overlaps between neighbours; shapely's
`coverage_simplify` moves shared edges once, so the map stays a gap-free mosaic. The result
depends only on the boundary file, the level and the tolerance, so it is computed once and kept
in a cache folder keyed by the file's hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import geopandas as gpd
import shapely

from .dataset import Dataset

CACHE_VERSION = 2  # 2: features carry their index `i` (the map colours them by it)
COORD_DECIMALS = 5  # ~1 m: finer than any screen shows at city scale
DEFAULT_TOLERANCE_SHARE = 1 / 2500  # of the dataset's extent diagonal


def cache_dir() -> Path:
    path = Path(os.environ.get("CAREGAP_CACHE_DIR", Path.home() / ".cache" / "caregap"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def dissolve(districts: gpd.GeoDataFrame, column: str) -> gpd.GeoDataFrame:
    """Districts merged into their groups (`column`), one feature per group.

    `union_all` rather than `coverage_union_all`: user files often have hairline overlaps,
    which the faster coverage union would keep as seams.
    """
    if column == "district_id":
        return districts[["district_id", "name", "geometry"]].copy()
    groups = []
    for value, part in districts.groupby(column, sort=True):
        groups.append({"district_id": str(value), "name": str(value),
                       "geometry": shapely.union_all(part.geometry.to_numpy())})
    return gpd.GeoDataFrame(groups, geometry="geometry", crs=districts.crs)


def simplify_coverage(frame: gpd.GeoDataFrame, tolerance_share: float = DEFAULT_TOLERANCE_SHARE) -> gpd.GeoDataFrame:
    """Simplify in a metric CRS as one coverage; tolerance relative to the extent."""
    metric = frame.to_crs(frame.estimate_utm_crs())
    minx, miny, maxx, maxy = metric.total_bounds
    tolerance = ((maxx - minx) ** 2 + (maxy - miny) ** 2) ** 0.5 * tolerance_share
    geoms = shapely.make_valid(metric.geometry.to_numpy())
    simplified = shapely.coverage_simplify(geoms, tolerance)
    metric = metric.set_geometry(list(simplified))
    return metric.to_crs("EPSG:4326")


def to_geojson(frame: gpd.GeoDataFrame) -> dict:
    """Compact GeoJSON: rounded coordinates, feature `id` = unit id (the map's locations), property `i` =
    position in the level's order (the browser recolours features by it without reloading shapes)."""
    rounded = shapely.set_precision(frame.geometry.to_numpy(), 10 ** -COORD_DECIMALS, mode="pointwise")
    features = []
    for index, (unit_id, name, geom) in enumerate(zip(frame["district_id"], frame["name"], rounded)):
        mapping = shapely.geometry.mapping(geom)
        features.append({"type": "Feature", "id": unit_id, "properties": {"name": name, "i": index},
                         "geometry": mapping})
    return {"type": "FeatureCollection", "features": features}


def web_geometry(dataset: Dataset, level: str, tolerance_share: float = DEFAULT_TOLERANCE_SHARE) -> dict:
    """GeoJSON of `level`, simplified; read from the cache when the boundary file is unchanged."""
    source = dataset.files.boundaries
    key = f"{dataset.id}-{level}-{file_hash(source)}-{tolerance_share:.6g}-v{CACHE_VERSION}"
    path = cache_dir() / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.geojson"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    frame = simplify_coverage(dissolve(dataset.districts, dataset.level_column(level)), tolerance_share)
    geojson = to_geojson(frame)
    # write to a temp file and rename, so a crash never leaves a half-written cache entry
    with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False, encoding="utf-8") as tmp:
        json.dump(geojson, tmp, separators=(",", ":"))
    os.replace(tmp.name, path)
    return geojson
