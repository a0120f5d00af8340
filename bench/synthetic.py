"""A synthetic dataset of ~11,000 districts: a large, deterministic coverage for the benchmark.

Geometry: Voronoi cells of `cells_per_unit` × `units` seed points over a Germany-sized extent in
ETRS89-LAEA (EPSG:3035), each cell given to the nearest of `units` district seeds, and the cells
of one district merged with `shapely.coverage_union_all`. Seeds cluster around "towns" (denser,
smaller districts) over a uniform background, so district sizes vary the way real ones do, and
every border is a chain of cell edges: it zigzags, and both neighbours share exactly the same
vertices. The coverage is written in WGS84 as `districts.geojson` beside `dataset.toml`,
`population.csv` (bands 0-59, 60-79, 80+ for two years) and `services.csv` (one service, FTE for a
share of the districts), in a folder cached under a key made of the generator's parameters.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer

GENERATOR_VERSION = 1
METRIC_CRS = "EPSG:3035"  # ETRS89 / LAEA Europe, metres
# a 640 km × 870 km box over Germany in EPSG:3035 (about 5.9°–15.0° E, 47.3°–55.1° N)
EXTENT = (4_030_000.0, 2_690_000.0, 4_670_000.0, 3_560_000.0)


@dataclass(frozen=True)
class Params:
    units: int = 11_000
    cells_per_unit: int = 20
    towns: int = 120
    town_share: float = 0.5  # share of seeds drawn around towns, the rest uniform
    seed: int = 20250601
    service_share: float = 0.6  # share of districts with FTE

    def key(self) -> str:
        text = json.dumps({**asdict(self), "version": GENERATOR_VERSION, "extent": EXTENT}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def default_cache_root() -> Path:
    root = os.environ.get("CAREGAP_BENCH_CACHE")
    if root:
        return Path(root)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "caregap-bench"


def _seeds(rng: np.random.Generator, n: int, towns: np.ndarray, town_sigma: np.ndarray, share: float) -> np.ndarray:
    minx, miny, maxx, maxy = EXTENT
    n_town = int(round(n * share))
    pick = rng.integers(0, len(towns), n_town)
    around = towns[pick] + rng.normal(size=(n_town, 2)) * town_sigma[pick, None]
    uniform = rng.uniform((minx, miny), (maxx, maxy), size=(n - n_town, 2))
    points = np.vstack([around, uniform])
    # seeds pushed outside the box are folded back in (reflection keeps the density smooth)
    for axis, (lo, hi) in enumerate(((minx, maxx), (miny, maxy))):
        v = points[:, axis]
        v = np.where(v < lo, 2 * lo - v, v)
        v = np.where(v > hi, 2 * hi - v, v)
        points[:, axis] = np.clip(v, lo + 1.0, hi - 1.0)
    return points


def build_coverage(p: Params) -> tuple[np.ndarray, dict]:
    """District polygons in EPSG:3035 (one per unit, in unit order) and facts about them."""
    rng = np.random.default_rng(p.seed)
    minx, miny, maxx, maxy = EXTENT
    towns = rng.uniform((minx + 20_000, miny + 20_000), (maxx - 20_000, maxy - 20_000), size=(p.towns, 2))
    town_sigma = rng.uniform(8_000, 35_000, size=p.towns)
    units = _seeds(rng, p.units, towns, town_sigma, p.town_share)
    fine = np.vstack([units, _seeds(rng, p.units * (p.cells_per_unit - 1), towns, town_sigma, p.town_share)])
    # duplicate seeds would give one cell for two points; jitter is far below any cell size
    fine += rng.uniform(-0.5, 0.5, size=fine.shape)
    fine[: p.units] = units  # each district seed is its own cell: no district is left empty

    box = shapely.box(*EXTENT)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(fine), extend_to=box, ordered=True))
    if len(cells) != len(fine):
        raise RuntimeError(f"Voronoi gave {len(cells)} cells for {len(fine)} seeds")
    cells = shapely.intersection(cells, box)
    tree = shapely.STRtree(shapely.points(units))
    nearest = tree.query_nearest(shapely.points(fine), return_distance=False, all_matches=False)
    owner = np.empty(len(fine), dtype=np.int64)
    owner[nearest[0]] = nearest[1]
    owner[: p.units] = np.arange(p.units)

    order = np.argsort(owner, kind="stable")
    bounds = np.flatnonzero(np.diff(owner[order])) + 1
    groups = np.split(order, bounds)
    if len(groups) != p.units:
        raise RuntimeError(f"{len(groups)} non-empty districts, expected {p.units}")
    polygons = np.array([shapely.coverage_union_all(cells[g]) for g in groups], dtype=object)
    return polygons, {"cells": int(len(cells))}


def to_wgs84(polygons: np.ndarray) -> np.ndarray:
    """Reproject vertex by vertex and round to 1e-6° (~0.1 m): equal vertices stay equal."""
    transformer = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.round(np.column_stack([x, y]), 6)

    return shapely.transform(polygons, project)


def vertex_stats(polygons) -> dict:
    counts = shapely.get_num_coordinates(np.asarray(polygons, dtype=object))
    return {"polygons": int(len(counts)), "vertices_mean": round(float(counts.mean()), 1),
            "vertices_median": int(np.median(counts)), "vertices_max": int(counts.max()),
            "vertices_total": int(counts.sum())}


def _write_geojson(path: Path, ids: list[str], names: list[str], polygons) -> None:
    features = []
    for unit_id, name, geom in zip(ids, names, polygons):
        features.append(f'{{"type":"Feature","properties":{json.dumps({"district_id": unit_id, "name": name})},'
                        f'"geometry":{shapely.to_geojson(geom)}}}')
    path.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(features) + "\n]}\n", encoding="utf-8")


def _dataset_toml(p: Params) -> str:
    return f"""[dataset]
id = "synthetic"
title = "Synthetisch – {p.units:,} Gebiete"
title_en = "Synthetic – {p.units:,} areas"
base_year = 2025
reference_population = "60+"
attribution = ["Synthetic benchmark data (CareGap bench), generator key {p.key()}"]
notes = ["Alle Gebiete, Einwohner und Stellen sind erfunden (Benchmark)."]
notes_en = ["Every area, resident and post is invented (benchmark)."]

[costs]
fte_per_year_eur = 75000
wage_growth = 0.0

[services.beratung]
label = "Seniorenberatung"
label_en = "Senior counselling"
ratios = {{ 2025 = 4200, 2030 = 2500 }}
between_milestones = "hold"
"""


def write_dataset(folder: Path, p: Params) -> dict:
    started = time.perf_counter()
    metric, facts = build_coverage(p)
    areas_km2 = shapely.area(metric) / 1e6
    polygons = to_wgs84(metric)
    valid = bool(shapely.is_valid(polygons).all())
    coverage_valid = bool(shapely.coverage_is_valid(polygons))
    if not (valid and coverage_valid):
        raise RuntimeError(f"synthetic coverage is not valid (polygons valid: {valid}, coverage valid: {coverage_valid})")
    ids = [f"S{i:05d}" for i in range(p.units)]
    names = [f"Gebiet {i:05d}" for i in range(p.units)]
    _write_geojson(folder / "districts.geojson", ids, names, polygons)

    rng = np.random.default_rng(p.seed + 1)
    # residents scale with area around towns (smaller districts are denser), lognormal spread
    residents = np.clip(rng.lognormal(np.log(2_500), 0.6, p.units) * (1 + np.sqrt(areas_km2) / 10), 200, None)
    share60 = rng.uniform(0.22, 0.36, p.units)
    share80 = share60 * rng.uniform(0.25, 0.35, p.units)
    with open(folder / "population.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["district_id", "year", "age_band", "population", "status"])
        for year, growth, status in ((2025, 1.0, "observed"), (2030, 1.05, "forecast")):
            for i, unit_id in enumerate(ids):
                old = residents[i] * share60[i] * growth
                very_old = residents[i] * share80[i] * growth * 1.08
                out.writerow([unit_id, year, "0-59", round(residents[i] - residents[i] * share60[i]), status])
                out.writerow([unit_id, year, "60-79", round(old - very_old), status])
                out.writerow([unit_id, year, "80+", round(very_old), status])
    with_fte = np.flatnonzero(rng.random(p.units) < p.service_share)
    with open(folder / "services.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["site_id", "name", "service", "fte", "year_from", "year_to", "district_id", "lon", "lat",
                      "provider", "status"])
        for n, i in enumerate(with_fte):
            fte = residents[i] * share60[i] / 4200 * rng.uniform(0.3, 1.6)
            out.writerow([f"B{n:05d}", f"Beratung {names[i]}", "beratung", f"{max(fte, 0.1):.2f}", 2025, "", ids[i],
                          "", "", "Träger (synthetisch)", "illustrative"])
    (folder / "dataset.toml").write_text(_dataset_toml(p), encoding="utf-8")
    info = {"params": asdict(p), "key": p.key(), "crs_generated": METRIC_CRS, **facts, **vertex_stats(polygons),
            "coverage_is_valid": coverage_valid, "seconds_to_generate": round(time.perf_counter() - started, 1),
            "sites": int(len(with_fte))}
    (folder / "generator.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    return info


def ensure_dataset(p: Params = Params(), cache_root: Path | None = None, log=print) -> tuple[Path, dict]:
    """The dataset folder for `p`, generated once and then read from the cache."""
    root = cache_root or default_cache_root()
    folder = root / f"synthetic-{p.key()}"
    info_file = folder / "generator.json"
    if info_file.exists():
        return folder, json.loads(info_file.read_text(encoding="utf-8"))
    root.mkdir(parents=True, exist_ok=True)
    log(f"generating synthetic dataset ({p.units:,} districts from {p.units * p.cells_per_unit:,} Voronoi cells) …")
    tmp = Path(tempfile.mkdtemp(prefix="synthetic-", dir=root))
    try:
        info = write_dataset(tmp, p)
        if folder.exists():  # another run finished first
            shutil.rmtree(tmp)
        else:
            os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log(f"  done in {info['seconds_to_generate']} s: {folder}")
    return folder, info
