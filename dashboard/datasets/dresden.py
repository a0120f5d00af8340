"""Build the bundled Dresden dataset from the unchanged public files in `../shared/data`.

    python -m dashboard.datasets.dresden --source ../shared/data/dresden --germany ../shared/data/germany

Relative paths are resolved against the repository root. Writes `geodata/dresden/districts.geojson`
and `data/dresden/{population.csv, services.csv, dataset.toml}`; the same inputs give byte-identical
files.

Map units are the city's 61 statistical units (Stadtteile 01…99 without 33, 34, 44):

* OpenStreetMap Stadtteile, with 33 and 34 dissolved into 31 and 44 into 42 as in the statistics;
* 36, 90 and 99 have no OSM polygon. They are cut from the BKG outline of Dresden (Kreis 14612)
  minus the OSM units; thin slivers along the city edge (two generalisations of one boundary) are
  dropped. No source has a boundary between 90 and 99, so they form one unit `90_99`.
* All lines are noded on a 1 cm grid and polygonized together, so the units share identical edges
  (a valid coverage); then coverage-simplified (10 m) and written in WGS84 with 6 decimals.

Residents by age per Stadtteil are not published; 2025 is estimated:

* H_i = residents in private households of unit i (md23e), scaled within each Stadtbezirk so that
  ΣH'_i = the Stadtbezirk's 2025 total (md9, scaled to md8's city total): residents outside private
  households are placed in their Stadtbezirk, and 2025 → 2026 has no jump.
* For 60-64 and for 65+ separately: p_i = share of the age class among residents living alone in i
  (md33ie); the band's share q_i = logistic(logit(p_i) + b), with one constant b per band found by
  bisection so that Σ H'_i q_i = the city's 2025 band total. 0-59 = H'_i − 60-64 − 65+.
* 65+ is split into 65-69 … 85+ by the city's 2025 shares within 65+ (the same in every unit, so
  differences in very old age between units are not captured).
* Each band is rounded across units (largest remainder) to the city total exactly.

2026–2040: `project_by_growth_factors` with the city's band totals (md8) and, as a second margin,
the Stadtbezirk totals (md9, scaled to md8's yearly total); each band rounded to its total per year.

Services: site locations and FTE per site are not published. 23 illustrative sites: one per
Stadtbezirk, the other 13 shared by residents 60+; within a Stadtbezirk they go to the units with
most residents 60+. The funded FTE of 2023 and 2024 are shared over the sites by the 60+
residents of their Stadtbezirk divided by its number of sites (0.05 FTE steps, largest remainder).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from ..agebands import parse_band
from .writing import repo_path, toml_list, toml_string, write_csv, write_geojson
from ..projections import project_by_growth_factors, round_preserving_totals

REPO_ROOT = Path(__file__).resolve().parents[2]

OSM_FILE = "Stadtteile-Dresden.geojson"
MD8 = "einwohner-prognose_md8_open_data_alter_ueber_85_zu_85_j_-_gerundet.csv"
MD9 = "einwohner-prognose_md9_open_data_stadtbezirk_mit_zugeordneten_ortschaften_-_gerundet.csv"
MD23E = "einwohner_-_haushalte_md23e_2025_od_bevoelkerung_ab_stadtteil_haushalt-groesse_in_5_klassen.csv"
MD33IE = "einwohner_-_haushalte_md33ie_2025_od_bevoelkerung_1-p-hh_ab_stadtteil_5_altersklassen_geschlecht.csv"
KREISE = "kreise.shp"

METRIC = "EPSG:25833"
WGS84 = "EPSG:4326"
DRESDEN_AGS = "14612"
MERGED_INTO = {"33": "31", "34": "31", "44": "42"}  # as in the city's statistical tables
COMBINED_ID = "90_99"
COMBINED_NAME = "Cossebaude/Mobschatz/Oberwartha und Altfranken/Gompitz"
LANGEBRUECK = (13.84, 51.13)  # lon, lat inside Stadtteil 36
WEST_OF_LON = 13.70  # the western Ortschaften 90 and 99 lie west of this
OPENING_M = 25.0  # slivers thinner than 2 × this are dropped
TRIM_M = 50.0  # keep the missing area within this distance of its sliver-free core
MIN_UNIT_KM2 = 1.0  # the missing units are several km²; gaps along the edge are far smaller
NODING_GRID_M = 0.01
SIMPLIFY_M = 10.0
DECIMALS = 6

BANDS = ["0-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85+"]
OLD_BANDS = BANDS[2:]  # split of 65+
BASE_YEAR = 2025
LAST_YEAR = 2040
LOGIT_EPS = 1e-3

SITE_COUNT = 23
SERVICES = ("beratung", "begegnung")
FUNDED_FTE = {2023: {"beratung": 16.3, "begegnung": 24.5}, 2024: {"beratung": 37.9, "begegnung": 31.6}}
FTE_STEP = 0.05
PROVIDER = "Freier Träger (illustrativ)"


@dataclass
class StatUnit:
    code: str
    name: str
    stadtbezirk: str  # as in md9, e.g. "StB 0 Altstadt"
    stadtraum: str
    households: float  # residents in private households
    alone: dict[str, float]  # residents living alone per age class


# ---------------------------------------------------------------- reading the city tables

def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str)


def _split_code(text: str) -> tuple[str, str]:
    code, name = text.strip().split(" ", 1)
    return code, name.strip()


def strip_code(text: str) -> str:
    """'StB 0 Altstadt' -> 'Altstadt'; '01 StB Altstadt ohne Johannstadt' -> 'StB Altstadt ohne Johannstadt'."""
    return re.sub(r"^(?:StB\s+\d+|\d+)\s+", "", text.strip())


def read_city_forecast(source: Path) -> pd.DataFrame:
    """md8: year, age (85 = 85 and older), residents."""
    frame = _read_csv(source / MD8)
    frame.columns = ["year", "age", "population"]
    return pd.DataFrame({"year": frame["year"].astype(int),
                         "age": frame["age"].str.extract(r"^(\d+)")[0].astype(int),
                         "population": frame["population"].astype(int)})


def band_totals(forecast: pd.DataFrame) -> pd.DataFrame:
    """City totals per year and band."""
    parsed = {band: parse_band(band) for band in BANDS}
    band_of = {age: next(b for b, p in parsed.items() if p.low <= age <= p.high) for age in range(0, 86)}
    totals = forecast.assign(age_band=forecast["age"].map(band_of))
    totals = totals.groupby(["year", "age_band"], as_index=False)["population"].sum()
    totals["order"] = totals["age_band"].map(BANDS.index)
    return totals.sort_values(["year", "order"]).drop(columns="order").reset_index(drop=True)


def read_stadtbezirk_forecast(source: Path) -> pd.DataFrame:
    frame = _read_csv(source / MD9)
    frame.columns = ["year", "group", "population"]
    return frame.astype({"year": int, "population": int})


def read_stat_units(source: Path) -> dict[str, StatUnit]:
    """The 61 statistical units with residents in households and residents living alone by age."""
    households = _read_csv(source / MD23E)
    alone = _read_csv(source / MD33IE)
    households["count"] = households["Anzahl Einwohner"].astype(int)
    alone["count"] = alone["Anzahl Einwohner"].astype(int)
    area, stb, raum, age = ("Stadtteil zus.", "Stadtbezirk mit zugeordneten Ortschaften", "Stadtraum",
                            "AltK_05D__-24-44-59-64-")
    units = {}
    for label, rows in alone.groupby(area, sort=True):
        code, name = _split_code(label)
        in_households = households[households[area] == label]
        if in_households.empty:
            raise ValueError(f"{MD23E} has no rows for Stadtteil {label}")
        if rows[stb].nunique() != 1:
            raise ValueError(f"Stadtteil {label} lies in several Stadtbezirke")
        # Strehlen (76) is split between two Stadträume; the map takes the one where more live.
        by_raum = in_households.groupby(raum)["count"].sum().sort_index()
        by_age = rows.groupby(age)["count"].sum()
        units[code] = StatUnit(code, name, rows[stb].iloc[0], str(by_raum.idxmax()),
                               float(in_households["count"].sum()), {k: float(v) for k, v in by_age.items()})
    return units


# ---------------------------------------------------------------- geometry

def _opening(geom, radius: float):
    return shapely.buffer(shapely.buffer(geom, -radius), radius)


def _missing_units(osm: gpd.GeoDataFrame, outline) -> dict[str, shapely.Geometry]:
    """Sliver-free cores of the parts of Dresden that no OSM unit covers, by unit id."""
    missing = shapely.difference(outline, shapely.union_all(osm.geometry.values))
    cores = [p for p in shapely.get_parts(_opening(missing, OPENING_M)) if p.area >= MIN_UNIT_KM2 * 1e6]
    to_metric = Transformer.from_crs(WGS84, METRIC, always_xy=True)
    to_wgs = Transformer.from_crs(METRIC, WGS84, always_xy=True)
    langebrueck = shapely.Point(to_metric.transform(*LANGEBRUECK))
    found: dict[str, list] = {"36": [], COMBINED_ID: []}
    for core in cores:
        lon, _ = to_wgs.transform(*shapely.point_on_surface(core).coords[0])
        if core.distance(langebrueck) < 2000:
            found["36"].append(core)
        elif lon < WEST_OF_LON:
            found[COMBINED_ID].append(core)
        else:
            raise ValueError(f"unexpected area of {core.area / 1e6:.1f} km² without an OSM unit at lon {lon:.3f}")
    for key, pieces in found.items():
        if len(pieces) != 1:
            # Two western pieces would mean the sources now hold a 90/99 boundary: handle it then.
            raise ValueError(f"expected one area for {key} outside the OSM units, found {len(pieces)}")
    return {key: pieces[0] for key, pieces in found.items()}


def build_geometry(source: Path, germany: Path, units: dict[str, StatUnit]) -> gpd.GeoDataFrame:
    """Map units as a valid coverage in WGS84.

    Columns: district_id, name, stadtbezirk and stadtraum (with the codes of md33ie), site_area
    (the unit without merged uninhabited Stadtteile, for placing sites) and geometry.
    """
    osm = gpd.read_file(source / OSM_FILE)[["ref", "name", "geometry"]].to_crs(METRIC)
    osm = osm.sort_values("ref").reset_index(drop=True)
    kreise = gpd.read_file(germany / KREISE)
    outline = kreise[(kreise["AGS"] == DRESDEN_AGS) & (kreise["GF"].astype(int) == 4)].to_crs(METRIC)
    outline = shapely.union_all(outline.geometry.values)
    cores = _missing_units(osm, outline)

    expected = sorted(units)
    have = sorted({MERGED_INTO.get(r, r) for r in osm["ref"]} | {"36", "90", "99"})
    if have != expected:
        raise ValueError(f"OSM Stadtteile and statistical units differ: {sorted(set(have) ^ set(expected))}")

    # Node every boundary together so neighbouring units share identical vertices, then give each
    # face to the OSM unit or missing area that holds it; faces in neither are edge slivers.
    zones = {key: shapely.buffer(core, TRIM_M) for key, core in cores.items()}
    lines = shapely.boundary(np.array([*osm.geometry.values, outline, *zones.values()]))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all(lines, grid_size=NODING_GRID_M))))
    shapely.prepare(osm.geometry.values)
    by_unit: dict[str, list] = {}
    for face in faces:
        point = shapely.point_on_surface(face)
        inside = np.flatnonzero(shapely.contains(osm.geometry.values, point))
        if inside.size:
            key = MERGED_INTO.get(osm["ref"].iloc[inside[0]], osm["ref"].iloc[inside[0]])
        else:
            key = next((k for k, zone in zones.items() if zone.contains(point) and outline.contains(point)
                        and face.intersects(cores[k])), None)
        if key is not None:
            by_unit.setdefault(key, []).append(face)
    ids = sorted(by_unit)
    if ids != sorted({map_unit_of(code) for code in units}):
        raise ValueError(f"map units found: {ids}")
    geoms = np.array([shapely.coverage_union_all(by_unit[i]) for i in ids])
    if not shapely.coverage_is_valid(geoms):
        raise ValueError("the noded map units do not form a valid coverage")
    geoms = shapely.coverage_simplify(geoms, SIMPLIFY_M)
    if not shapely.is_valid(geoms).all() or not shapely.coverage_is_valid(geoms):
        raise ValueError("simplifying broke the coverage")

    wgs = gpd.GeoSeries(geoms, crs=METRIC).to_crs(WGS84).values
    wgs = shapely.orient_polygons(shapely.transform(wgs, lambda xy: np.round(xy, DECIMALS)))
    back = gpd.GeoSeries(wgs, crs=WGS84).to_crs(METRIC).values
    if not shapely.is_valid(wgs).all() or shapely.is_empty(wgs).any() or not shapely.coverage_is_valid(back):
        raise ValueError("rounding the coordinates broke a geometry or the coverage")

    # Sites go where people live, not into the merged airport area, Hellerberge or Dresdner Heide.
    merged = osm[osm["ref"].isin(list(MERGED_INTO))].to_crs(WGS84)
    home = [shapely.difference(geom, shapely.union_all(merged.geometry[merged["ref"].map(MERGED_INTO) == unit_id]))
            for unit_id, geom in zip(ids, wgs)]

    rows = []
    for unit_id, site_area in zip(ids, home):
        if unit_id == COMBINED_ID:
            parts = [units["90"], units["99"]]
            if len({(u.stadtbezirk, u.stadtraum) for u in parts}) != 1:
                raise ValueError("90 and 99 lie in different Stadtbezirke or Stadträume")
            name, stb, raum = COMBINED_NAME, parts[0].stadtbezirk, parts[0].stadtraum
        else:
            unit = units[unit_id]
            name, stb, raum = unit.name, unit.stadtbezirk, unit.stadtraum
        rows.append({"district_id": unit_id, "name": name, "stadtbezirk": stb, "stadtraum": raum,
                     "site_area": site_area})
    return gpd.GeoDataFrame(rows, geometry=list(wgs), crs=WGS84)


def map_unit_of(code: str) -> str:
    return COMBINED_ID if code in ("90", "99") else code


# ---------------------------------------------------------------- population

def _logistic(z):
    return 1.0 / (1.0 + np.exp(-z))


def calibrate_shift(logits: np.ndarray, weights: np.ndarray, total: float) -> float:
    """Constant b with Σ weights · logistic(logits + b) = total (bisection; the sum rises with b)."""
    low, high = -20.0, 20.0
    if not (weights @ _logistic(logits + low)) < total < (weights @ _logistic(logits + high)):
        raise ValueError(f"a total of {total} cannot be reached by shifting the shares")
    for _ in range(200):
        mid = (low + high) / 2
        if weights @ _logistic(logits + mid) < total:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def estimate_base_year(units: dict[str, StatUnit], totals: pd.DataFrame, stadtbezirk_totals: dict[str, float]) -> pd.DataFrame:
    """Residents per statistical unit and band in the base year (floats summing to the city totals).

    Residents in private households are scaled within each Stadtbezirk to its base-year total (md9,
    itself scaled to md8's city total), so people outside private households (care homes, student
    halls) are placed in the right Stadtbezirk and the projection continues without a jump.
    """
    city = totals[totals["year"] == BASE_YEAR].set_index("age_band")["population"].astype(float)
    codes = sorted(units)
    households = np.array([units[c].households for c in codes])
    groups = np.array([units[c].stadtbezirk for c in codes])
    scale_to_city = city.sum() / sum(stadtbezirk_totals.values())
    group_households = pd.Series(households).groupby(groups).sum()
    factor = np.array([stadtbezirk_totals[g] * scale_to_city / group_households[g] for g in groups])
    residents = households * factor
    alone_total = np.array([sum(units[c].alone.values()) for c in codes])
    estimate = pd.DataFrame(index=pd.Index(codes, name="code"))
    for band, age_class in (("60-64", "60 - 64 Jahre"), ("65+", "65 Jahre u.älter")):
        share = np.array([units[c].alone.get(age_class, 0.0) for c in codes]) / alone_total
        logits = np.log(np.clip(share, LOGIT_EPS, 1 - LOGIT_EPS) / (1 - np.clip(share, LOGIT_EPS, 1 - LOGIT_EPS)))
        target = city[BANDS[2:]].sum() if band == "65+" else city[band]
        shift = calibrate_shift(logits, residents, target)
        estimate[band] = residents * _logistic(logits + shift)
    estimate["0-59"] = residents - estimate["60-64"] - estimate["65+"]
    if (estimate["0-59"] < 0).any():
        raise ValueError("the estimate leaves a unit with fewer than no residents under 60")
    old_shares = city[OLD_BANDS] / city[OLD_BANDS].sum()
    for band in OLD_BANDS:
        estimate[band] = estimate["65+"] * old_shares[band]
    return estimate[BANDS]


def round_bands(frame: pd.DataFrame, totals: pd.Series) -> pd.DataFrame:
    """Round every band (column) across units to its total exactly."""
    return pd.DataFrame({band: round_preserving_totals(frame[band].to_numpy(), totals[band]) for band in frame.columns},
                        index=frame.index)


def build_population(units: dict[str, StatUnit], forecast: pd.DataFrame, stb_forecast: pd.DataFrame,
                     group_of: dict[str, str]) -> pd.DataFrame:
    totals = band_totals(forecast)
    base_groups = stb_forecast[stb_forecast["year"] == BASE_YEAR].set_index("group")["population"].astype(float)
    estimate = estimate_base_year(units, totals, base_groups.to_dict())
    estimate = estimate.groupby(estimate.index.map(map_unit_of)).sum().sort_index()
    by_year = {year: rows.set_index("age_band")["population"] for year, rows in totals.groupby("year")}
    base = round_bands(estimate, by_year[BASE_YEAR])

    long_base = base.rename_axis("district_id").reset_index().melt(
        id_vars="district_id", var_name="age_band", value_name="population")
    # md9 sums differ from md8 by rounding; the projection scales them to md8's total per year.
    groups = stb_forecast[stb_forecast["year"] > BASE_YEAR]
    projected = project_by_growth_factors(long_base, totals, group_of=group_of, group_totals=groups,
                                          base_year=BASE_YEAR)
    frames = [long_base.assign(year=BASE_YEAR, status="estimate")]
    for year, rows in projected.groupby("year"):
        wide = rows.pivot(index="district_id", columns="age_band", values="population")[BANDS]
        rounded = round_bands(wide, by_year[year])
        frames.append(rounded.rename_axis("district_id").reset_index().melt(
            id_vars="district_id", var_name="age_band", value_name="population").assign(year=year, status="forecast"))
    population = pd.concat(frames, ignore_index=True)
    population["order"] = population["age_band"].map(BANDS.index)
    population = population.sort_values(["district_id", "year", "order"], kind="stable")
    return population[["district_id", "year", "age_band", "population", "status"]].reset_index(drop=True)


# ---------------------------------------------------------------- services

def choose_sites(districts: gpd.GeoDataFrame, older: pd.Series) -> list[str]:
    """Units for the sites: one per Stadtbezirk, the rest shared by residents 60+ (largest
    remainder), each Stadtbezirk's sites in its units with most residents 60+."""
    frame = districts.assign(older=districts["district_id"].map(older)).sort_values(
        ["older", "district_id"], ascending=[False, True])
    by_stb = frame.groupby("stadtbezirk", sort=True)["older"].sum()
    extra = round_preserving_totals(by_stb.to_numpy(), SITE_COUNT - len(by_stb))
    chosen = []
    for (stb, units), more in zip(frame.groupby("stadtbezirk", sort=True), extra):
        if len(units) < 1 + more:
            raise ValueError(f"Stadtbezirk {stb} has fewer units than sites")
        chosen += list(units["district_id"].head(1 + int(more)))
    return sorted(chosen)


def _site_point(geometry, site_area) -> tuple[float, float]:
    point = shapely.point_on_surface(site_area)
    lon, lat = round(point.x, DECIMALS), round(point.y, DECIMALS)
    if not geometry.contains(shapely.Point(lon, lat)):
        raise ValueError("a rounded site point left its unit")
    return lon, lat


def build_services(districts: gpd.GeoDataFrame, population: pd.DataFrame) -> list[dict]:
    base = population[(population["year"] == BASE_YEAR) & (population["age_band"] != "0-59")]
    older = base.groupby("district_id")["population"].sum()
    chosen = choose_sites(districts, older)
    units = districts.set_index("district_id")
    older_by_stb = units.assign(older=units.index.map(older)).groupby("stadtbezirk")["older"].sum()
    sites_per_stb = pd.Series([units.loc[u, "stadtbezirk"] for u in chosen]).value_counts()
    weights = np.array([older_by_stb[units.loc[u, "stadtbezirk"]] / sites_per_stb[units.loc[u, "stadtbezirk"]]
                        for u in chosen])
    rows = []
    shares = {}
    for year, funded in FUNDED_FTE.items():
        for service, total in funded.items():
            steps = round_preserving_totals(weights, round(total / FTE_STEP))
            shares[year, service] = steps
    for number, unit_id in enumerate(chosen, start=1):
        lon, lat = _site_point(units.loc[unit_id, "geometry"], units.loc[unit_id, "site_area"])
        name = f"Seniorenbegegnung und -beratung {units.loc[unit_id, 'name']} (illustrativ)"
        for service in SERVICES:
            for year in FUNDED_FTE:
                fte = shares[year, service][number - 1] * FTE_STEP
                rows.append({"site_id": f"S{number:02d}", "name": name, "service": service, "fte": f"{fte:.2f}",
                             "year_from": year, "year_to": year if year == 2023 else "", "district_id": "",
                             "lon": f"{lon:.{DECIMALS}f}", "lat": f"{lat:.{DECIMALS}f}", "provider": PROVIDER,
                             "status": "illustrative"})
    return rows


# ---------------------------------------------------------------- writing

NOTES = [
    ("Einwohner nach Alter je Stadtteil werden nicht veröffentlicht und sind hier geschätzt: aus dem Anteil der "
     "Altersgruppen unter den Alleinlebenden im Stadtteil, so angepasst, dass die Stadtteile zusammen die Zahlen "
     "der Stadt für 2025 ergeben; ab 65 Jahren nach der Altersverteilung der ganzen Stadt aufgeteilt.",
     "Residents by age per Stadtteil are not published and are estimated here: from the age mix of residents "
     "living alone in each Stadtteil, adjusted so that the Stadtteile add up to the city's 2025 figures; ages "
     "65+ are split by the age distribution of the whole city."),
    ("Die Zahlen je Stadtteil für 2026–2040 sind eigene Fortschreibungen aus den Prognosen der Stadt (Altersgruppen "
     "der Gesamtstadt, Einwohner je Stadtbezirk), keine Prognose der Stadt je Stadtteil.",
     "Figures per Stadtteil for 2026–2040 are our own projections from the city's forecasts (age groups for the "
     "whole city, residents per Stadtbezirk), not a forecast of the city per Stadtteil."),
    ("Zwischen Cossebaude/Mobschatz/Oberwartha (90) und Altfranken/Gompitz (99) liegt in den Quellen keine Grenze; "
     "beide bilden hier ein gemeinsames Gebiet „90_99“.",
     "The sources hold no boundary between Cossebaude/Mobschatz/Oberwartha (90) and Altfranken/Gompitz (99); "
     "they form one combined unit “90_99” here."),
    ("Die Grenzen von Langebrück/Schönborn (36) und 90_99 stammen aus dem Stadtumriss des BKG (Maßstab 1:250.000) "
     "und sind daher gröber als die übrigen.",
     "The boundaries of Langebrück/Schönborn (36) and 90_99 come from the BKG outline of the city (scale "
     "1:250,000) and are coarser than the others."),
    ("Standorte und Stellen (VZÄ) je Standort sind erfunden (illustrativ); nur die Summen der geförderten VZÄ "
     "2023 und 2024 stammen aus dem Fachplan Seniorenarbeit und Altenhilfe.",
     "Sites and FTE per site are made up (illustrative); only the totals of funded FTE in 2023 and 2024 come "
     "from the Fachplan Seniorenarbeit und Altenhilfe."),
    ("Die Stadtteile 33 und 34 sind wie in der Statistik in Klotzsche (31) enthalten, die Dresdner Heide (44) in "
     "Bühlau/Weißer Hirsch (42).",
     "As in the city's statistics, Stadtteile 33 and 34 are part of Klotzsche (31) and the Dresdner Heide (44) is "
     "part of Bühlau/Weißer Hirsch (42)."),
    ("Strehlen (76) gehört in der Statistik teils zum Stadtraum 11, teils zu 12; die Karte zählt es ganz zum "
     "Stadtraum, in dem mehr seiner Einwohner leben.",
     "In the statistics Strehlen (76) lies partly in Stadtraum 11 and partly in 12; the map counts it wholly in "
     "the Stadtraum where more of its residents live."),
    ("Versorgungsbereich: Die Sozialplanung der Stadt arbeitet in 17 Stadträumen; sie gelten hier als "
     "Planungsbereiche. Die Stellen eines Standorts zählen für alle Stadtteile seines Stadtraums, verteilt nach "
     "deren Einwohnern der Zielgruppe (2SFCA). Diese Zuordnung ist eine Annahme, keine veröffentlichte "
     "Zuständigkeit der Träger.",
     "Service area: the city's social planning works in 17 Stadträume; they serve as the planning areas here. A "
     "site's posts count for every Stadtteil of its Stadtraum, shared by their residents of the target group "
     "(2SFCA). This assignment is an assumption, not a published responsibility of the providers."),
]

SOURCE_LINES = [
    f"{OSM_FILE}: Stadtteile from OpenStreetMap (offenesdresden/GeoData), ODbL 1.0",
    f"{MD8}: city population forecast 2025–2040 by single age, opendata.dresden.de, dl-de/by-2-0",
    f"{MD9}: forecast 2025–2040 per Stadtbezirk, opendata.dresden.de, dl-de/by-2-0",
    f"{MD23E}: 2025 residents by household size per Stadtteil, opendata.dresden.de, dl-de/by-2-0",
    f"{MD33IE}: 2025 residents living alone by age class per Stadtteil, opendata.dresden.de, dl-de/by-2-0",
    f"{KREISE} (.shx, .dbf, .prj): BKG VG250 Kreise 2019, outline of Dresden (14612), dl-de/by-2-0",
]


def datasettoml_string() -> str:
    attribution = ["© OpenStreetMap contributors (ODbL)",
                   "Landeshauptstadt Dresden, opendata.dresden.de (dl-de/by-2-0)",
                   "© GeoBasis-DE / BKG (dl-de/by-2-0), data changed"]
    return f"""[dataset]
id = "dresden"
title = "Dresden – statistische Stadtteile"
title_en = "Dresden – statistical districts"
base_year = {BASE_YEAR}
reference_population = "60+"
attribution = {toml_list(attribution)}
notes = {toml_list([de for de, _ in NOTES])}
notes_en = {toml_list([en for _, en in NOTES])}

[boundaries]
id = "district_id"
name = "name"

[levels]
stadtbezirk = "stadtbezirk"
stadtraum = "stadtraum"

[level_labels]
stadtteil = {{de = "Stadtteil", en = "District"}}
stadtbezirk = {{de = "Stadtbezirk", en = "Borough"}}
stadtraum = {{de = "Stadtraum", en = "Urban area"}}

[costs]
fte_per_year_eur = 75000
wage_growth = 0.0

[budget]                # double budgets (Doppelhaushalt) 2023/24, 2025/26, …
start = 2023
period_years = 2

[services.beratung]
label = "Seniorenberatung"
label_en = "Senior counselling"
ratios = {{ 2023 = 5900, 2024 = 4200, 2026 = 2500 }}
between_milestones = "hold"
catchment = "level:stadtraum"  # the 17 Stadträume as planning areas (see notes)

[services.begegnung]
label = "Seniorenbegegnung"
label_en = "Senior meeting centres"
ratios = {{ 2023 = 6500, 2024 = 5000, 2026 = 3500 }}
between_milestones = "hold"
catchment = "level:stadtraum"

[sources]
files = {toml_list(SOURCE_LINES)}
"""


# ---------------------------------------------------------------- command line

def build(source: Path, germany: Path, out_data: Path, out_geo: Path) -> dict:
    """Build all files; returns the figures worth checking."""
    units = read_stat_units(source)
    forecast = read_city_forecast(source)
    districts = build_geometry(source, germany, units)
    group_of = dict(zip(districts["district_id"], districts["stadtbezirk"]))
    population = build_population(units, forecast, read_stadtbezirk_forecast(source), group_of)
    services = build_services(districts, population)

    out_data.mkdir(parents=True, exist_ok=True)
    out_geo.mkdir(parents=True, exist_ok=True)
    levels = ("stadtbezirk", "stadtraum")
    features = (({c: strip_code(getattr(r, c)) if c in levels else getattr(r, c)
                  for c in ("district_id", "name", *levels)}, r.geometry) for r in districts.itertuples(index=False))
    write_geojson(features, out_geo / "districts.geojson", DECIMALS)
    write_csv(population.to_dict("records"), list(population.columns), out_data / "population.csv")
    write_csv(services, list(services[0]), out_data / "services.csv")
    (out_data / "dataset.toml").write_text(datasettoml_string(), encoding="utf-8")

    older = population[population["age_band"] != "0-59"].groupby("year")["population"].sum()
    oldest = population[population["age_band"].isin(["80-84", "85+"])].groupby("year")["population"].sum()
    return {"units": len(districts), "60+ 2025": int(older[2025]), "60+ 2026": int(older[2026]),
            "80+ 2025": int(oldest[2025]),
            "districts.geojson bytes": (out_geo / "districts.geojson").stat().st_size,
            "population.csv bytes": (out_data / "population.csv").stat().st_size,
            "services.csv bytes": (out_data / "services.csv").stat().st_size}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build the bundled Dresden dataset from public source files.")
    parser.add_argument("--source", required=True, help="folder with the Dresden files (e.g. ../shared/data/dresden)")
    parser.add_argument("--germany", required=True, help="folder with kreise.shp (e.g. ../shared/data/germany)")
    parser.add_argument("--out-data", default="data/dresden")
    parser.add_argument("--out-geo", default="geodata/dresden")
    args = parser.parse_args(argv)
    figures = build(repo_path(args.source), repo_path(args.germany), repo_path(args.out_data), repo_path(args.out_geo))
    for key, value in figures.items():
        print(f"{key}: {value:,}")


if __name__ == "__main__":
    main()
