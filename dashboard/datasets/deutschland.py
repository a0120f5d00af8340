"""Build the bundled Germany dataset (401 Kreise) from the unchanged public files in `../shared/data/germany`.

    python -m dashboard.datasets.deutschland --source ../shared/data/germany

Relative paths are resolved against the repository root. Writes `geodata/deutschland/districts.geojson`
and `data/deutschland/{population.csv, services.csv, dataset.toml}`; the same inputs give
byte-identical files.

Map units: the 401 Kreise of BKG VG250 (2019), land parts only (`GF` = 4; the 24 water parts with
`GF` = 2 are dropped). Name = `GEN`, plus ` (BEZ)` where two Kreise share a `GEN`; `bundesland` from
the first two digits of the AGS. Simplified as one coverage (`shapely.coverage_simplify`, 400 m in
EPSG:25832), written in WGS84 with 5 decimals.

Population 31.12.2019 (`observed`): Regionaldatenbank 12411-03-03-4, 21 age bands per Kreis; the
"Insgesamt" column, checked against male + female in every row and against German + foreign
wherever neither is suppressed. Per-Kreis totals are compared with GENESIS 12411-0017.

2020–2040 (`forecast`) are a projection made here, not an official forecast:

* National path: the 2019 bands are split evenly into single years of age (90+ stays one group)
  and aged one year at a time. Deaths follow a Gompertz law, q(x) = 1 % · 2^((x − 65) / 7)
  (1 % a year at 65, doubling every 7 years of age; the 90+ group at the rate of age 95). Births
  are held at the 2019 level (one third of the 0-2 band) and net migration is zero. The death
  rates from age 80 on are multiplied by one factor k, found by bisection so that residents 80+
  on 31.12.2023 equal the sum over the Kreise of `kreise-2023.csv` (the one observed anchor in the
  public files); k = 1 is the uncalibrated path.
* Kreise: `project_by_growth_factors` with the national band totals as the margin (each Kreis
  keeps its 2019 share of every band); each band is rounded across Kreise to its national total.

Services: long-term residential care places (Pflegestatistik December 2023) per Kreis, one row per
Kreis, held at the 2023 level from 2019 on. Eisenach (16056) merged into the Wartburgkreis (16063)
in 2021; the 2023 figure of 16063 is split over both by their residents 80+ in 2019.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..agebands import parse_band
from .writing import repo_path, toml_list, toml_string, write_csv, write_geojson
from ..projections import project_by_growth_factors, round_preserving_totals

REPO_ROOT = Path(__file__).resolve().parents[2]

KREISE = "kreise.shp"
AGE_TABLE = "regionalstatistik_bev_2019_21AG_mw_Kreise_12411-03-03-4.xlsx"
GENESIS_TABLE = "destatis_12411-0017_rein_2019.csv"
CARE_TABLE = "kreise-2023.csv"

METRIC = "EPSG:25832"
WGS84 = "EPSG:4326"
LAND_PART = 4  # GF: 4 = land, 2 = water
SIMPLIFY_M = 400.0
DECIMALS = 5

BUNDESLAENDER = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen",
    "05": "Nordrhein-Westfalen", "06": "Hessen", "07": "Rheinland-Pfalz", "08": "Baden-Württemberg",
    "09": "Bayern", "10": "Saarland", "11": "Berlin", "12": "Brandenburg", "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen", "15": "Sachsen-Anhalt", "16": "Thüringen",
}
CITY_STATES = {"02": "02000", "11": "11000"}  # Hamburg and Berlin are Land and Kreis in one

BASE_YEAR = 2019
CARE_YEAR = 2023  # Pflegestatistik and the 80+ anchor: 31 December 2023
LAST_YEAR = 2040
GERMANY_2019 = 83_166_711

# Survival assumption of the national path (Gompertz law, scaled by the calibrated factor k).
REFERENCE_AGE = 65
DEATH_RATE_AT_REFERENCE = 0.01  # 1 % a year at 65 …
DOUBLING_YEARS = 7.0  # … doubling every 7 years of age
OPEN_BAND_AGE = 95  # the 90+ group dies at the rate of this age
CALIBRATED_FROM = 80  # the anchor counts residents 80+: the factor k scales the death rates from this age on
MAX_DEATH_RATE = 0.9

MERGED_FROM, MERGED_INTO = "16056", "16063"  # Eisenach, Wartburgkreis (merged 1 July 2021)
SERVICE = "dauerpflege"
PROVIDER = "Pflegestatistik"


# ---------------------------------------------------------------- age bands

def band_label(text: str) -> str:
    """GENESIS age text -> contract band: 'unter 3 Jahre' -> '0-2', '85 bis unter 90 Jahre' -> '85-89',
    '90 Jahre und mehr' -> '90+'."""
    text = " ".join(str(text).split())
    if m := re.fullmatch(r"unter (\d+) Jahre", text):
        return f"0-{int(m[1]) - 1}"
    if m := re.fullmatch(r"(\d+) bis unter (\d+) Jahre", text):
        return f"{int(m[1])}-{int(m[2]) - 1}"
    if m := re.fullmatch(r"(\d+) Jahre und mehr", text):
        return f"{int(m[1])}+"
    raise ValueError(f"unknown age group '{text}'")


def _sort_bands(labels) -> list[str]:
    return sorted(labels, key=parse_band)


def bands_from(lower: int, bands: list[str]) -> list[str]:
    """Bands at or above `lower` (none may straddle it)."""
    out = []
    for label in bands:
        band = parse_band(label)
        if band.low >= lower:
            out.append(label)
        elif band.high >= lower:
            raise ValueError(f"band {label} straddles {lower}")
    return out


# ---------------------------------------------------------------- boundaries

def read_kreise(source: Path) -> gpd.GeoDataFrame:
    """The land parts of the 401 Kreise in EPSG:25832, sorted by AGS."""
    frame = gpd.read_file(source / KREISE)
    frame = frame[frame["GF"].astype(int) == LAND_PART].sort_values("AGS").reset_index(drop=True)
    if len(frame) != 401 or not frame["AGS"].is_unique:
        raise ValueError(f"expected 401 Kreise with GF = {LAND_PART}, found {len(frame)}")
    if not frame["AGS"].str.fullmatch(r"\d{5}").all():
        raise ValueError("an AGS is not a 5-digit key")
    return frame.to_crs(METRIC) if frame.crs.to_epsg() != 25832 else frame


def unique_names(frame: gpd.GeoDataFrame) -> list[str]:
    """GEN, with ' (BEZ)' added where two Kreise share a GEN."""
    shared = frame["GEN"].duplicated(keep=False)
    names = [f"{gen} ({bez})" if twin else gen for gen, bez, twin in zip(frame["GEN"], frame["BEZ"], shared)]
    if len(set(names)) != len(names):
        raise ValueError("Kreis names are not unique even with BEZ")
    return names


def build_geometry(kreise: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """district_id, name, bundesland and the simplified coverage in WGS84."""
    geoms = kreise.geometry.to_numpy()
    if not shapely.is_valid(geoms).all() or not shapely.coverage_is_valid(geoms):
        raise ValueError("the BKG Kreise do not form a valid coverage")
    simplified = shapely.coverage_simplify(geoms, SIMPLIFY_M)
    if not shapely.is_valid(simplified).all() or not shapely.coverage_is_valid(simplified):
        raise ValueError("simplifying broke the coverage")
    wgs = gpd.GeoSeries(simplified, crs=METRIC).to_crs(WGS84).to_numpy()
    wgs = shapely.orient_polygons(shapely.transform(wgs, lambda xy: np.round(xy, DECIMALS)))
    back = gpd.GeoSeries(wgs, crs=WGS84).to_crs(METRIC).to_numpy()
    if not shapely.is_valid(wgs).all() or shapely.is_empty(wgs).any() or not shapely.coverage_is_valid(back):
        raise ValueError("rounding the coordinates broke a geometry or the coverage")
    ids = list(kreise["AGS"])
    return gpd.GeoDataFrame({"district_id": ids, "name": unique_names(kreise),
                             "bundesland": [BUNDESLAENDER[i[:2]] for i in ids]}, geometry=list(wgs), crs=WGS84)


# ---------------------------------------------------------------- population 2019

def _count(value) -> float:
    """GENESIS cell: digits, '-' (nothing, = 0) or '.' (unknown or suppressed, = NaN)."""
    text = str(value).strip()
    if text == "-":
        return 0.0
    if text == ".":
        return math.nan
    if not text.isdigit():
        raise ValueError(f"'{text}' is not a count")
    return float(text)


def read_population_2019(source: Path, ids: list[str]) -> tuple[pd.DataFrame, dict]:
    """Residents 31.12.2019 per Kreis (`ids`) and band from 12411-03-03-4; also the checks made."""
    with warnings.catch_warnings():  # the GENESIS export has no default cell style; openpyxl says so
        warnings.filterwarnings("ignore", "Workbook contains no default style", UserWarning)
        raw = pd.read_excel(source / AGE_TABLE, header=None, dtype=str, engine="openpyxl")
    dates = raw[0].astype(str).str.fullmatch(r"31\.12\.\d{4}")  # reference dates (the notes cite others)
    if list(raw.loc[dates, 0]) != [f"31.12.{BASE_YEAR}"]:
        raise ValueError(f"{AGE_TABLE} should hold the one reference date 31.12.{BASE_YEAR}")
    header = int(np.flatnonzero(dates)[0])
    # Two header rows above the date: nationality (merged cells, filled right) and sex.
    nationality = raw.iloc[header - 2].ffill()
    sex = raw.iloc[header - 1]
    column = {(str(nationality[c]), str(sex[c])): c for c in raw.columns[3:] if pd.notna(sex[c])}
    total = column[("Insgesamt", "Insgesamt")]
    body = raw.iloc[header + 1:]
    body = body.assign(key=body[0].ffill())[body[2].notna()]
    body = body.assign(key=body["key"].str.strip().replace(CITY_STATES))
    counts = body[list(column.values())].map(_count)

    def cols(nat: str, *sexes: str) -> list[int]:
        return [column[(nat, s)] for s in sexes]

    # The total column is the sum over sex (always published) and over nationality (where published).
    by_sex = counts[cols("Insgesamt", "männlich", "weiblich")]
    known = by_sex.notna().all(axis=1) & counts[total].notna()
    if (by_sex[known].sum(axis=1) != counts.loc[known, total]).any():
        raise ValueError(f"{AGE_TABLE}: total ≠ male + female in some row")
    by_nat = counts[[column[("Deutsche", "Insgesamt")], column[("Ausländer(innen)", "Insgesamt")]]]
    published = by_nat.notna().all(axis=1) & counts[total].notna()
    if (by_nat[published].sum(axis=1) != counts.loc[published, total]).any():
        raise ValueError(f"{AGE_TABLE}: total ≠ German + foreign in some row")

    frame = pd.DataFrame({"district_id": body["key"], "group": body[2].map(lambda t: " ".join(str(t).split())),
                          "population": counts[total]})
    germany = frame[frame["district_id"] == "DG"].set_index("group")["population"]
    frame = frame[frame["district_id"].isin(ids)]
    if sorted(frame["district_id"].unique()) != sorted(ids):
        raise ValueError(f"{AGE_TABLE} lacks Kreise {sorted(set(ids) - set(frame['district_id']))}")
    if frame["population"].isna().any() or not known[frame.index].all():
        raise ValueError(f"{AGE_TABLE}: a Kreis has a suppressed total or a suppressed figure by sex")
    totals = frame[frame["group"] == "Insgesamt"].set_index("district_id")["population"]
    frame = frame[frame["group"] != "Insgesamt"].assign(age_band=lambda f: f["group"].map(band_label))
    if frame.duplicated(["district_id", "age_band"]).any() or frame.groupby("district_id").size().nunique() != 1:
        raise ValueError(f"{AGE_TABLE}: the age groups differ between Kreise")
    if not (frame.groupby("district_id")["population"].sum() == totals.reindex(sorted(ids))).all():
        raise ValueError(f"{AGE_TABLE}: the age groups of a Kreis do not add up to its total")
    if frame["population"].sum() != germany["Insgesamt"]:
        raise ValueError(f"{AGE_TABLE}: the Kreise do not add up to Germany")
    national = germany.drop("Insgesamt").rename(index=band_label)
    if not frame.groupby("age_band")["population"].sum().reindex(national.index).equals(national):
        raise ValueError(f"{AGE_TABLE}: an age band of the Kreise does not add up to Germany")
    frame = frame.assign(population=frame["population"].astype(np.int64))
    order = {b: i for i, b in enumerate(_sort_bands(frame["age_band"].unique()))}
    frame = frame.sort_values(["district_id", "age_band"], key=lambda s: s.map(order) if s.name == "age_band" else s)
    checks = {"germany": int(germany["Insgesamt"]),
              "rows checked against German + foreign": int(published.sum()),
              "rows with German or foreign suppressed": int((~published).sum())}
    return frame[["district_id", "age_band", "population"]].reset_index(drop=True), checks


def cross_check_genesis(source: Path, population: pd.DataFrame) -> list[str]:
    """Differences between the per-Kreis totals (and comparable age groups) and 12411-0017."""
    raw = pd.read_csv(source / GENESIS_TABLE, sep=";", encoding="latin-1", dtype=str)
    raw = raw[~(raw.iloc[:, 2:] == "-").all(axis=1)]  # Kreise that no longer exist
    raw = raw.assign(district_id=raw.iloc[:, 0].str.strip().str.zfill(5)).set_index("district_id")
    ours = population.pivot(index="district_id", columns="age_band", values="population")
    differences = []
    if sorted(raw.index) != sorted(ours.index):
        differences.append(f"Kreise only in {GENESIS_TABLE}: {sorted(set(raw.index) - set(ours.index))}; "
                           f"only in {AGE_TABLE}: {sorted(set(ours.index) - set(raw.index))}")
    common = sorted(set(raw.index) & set(ours.index))
    for name in raw.columns[2:]:  # the 17 age groups and "Insgesamt"
        text = " ".join(name.split())
        wanted = parse_band("0+") if text == "Insgesamt" else parse_band(band_label(text))
        members = [b for b in ours.columns if parse_band(b).within(wanted.low, wanted.high)]
        if not members or min(parse_band(b).low for b in members) != wanted.low \
                or max(parse_band(b).high for b in members) != wanted.high:
            continue  # the group cannot be built from the 21 bands
        theirs = raw.loc[common, name].astype(int)
        mine = ours.loc[common, members].sum(axis=1)
        for district in [d for d in common if theirs[d] != mine[d]]:
            differences.append(f"{district} {text}: {GENESIS_TABLE} {theirs[district]:,}, {AGE_TABLE} {mine[district]:,}")
    return differences


# ---------------------------------------------------------------- national path

@dataclass
class NationalPath:
    totals: pd.DataFrame  # year, age_band, population (integers), BASE_YEAR..LAST_YEAR
    factor: float  # calibrated k
    uncalibrated_80_plus: float  # residents 80+ on 31.12.CARE_YEAR with k = 1
    anchor_80_plus: int


def death_rates(factor: float, top_age: int) -> np.ndarray:
    """Annual death probability for ages 0…top_age-1 and, last, for the open group top_age+;
    `factor` scales the rates from CALIBRATED_FROM on."""
    ages = np.append(np.arange(top_age, dtype=float), OPEN_BAND_AGE)
    rates = DEATH_RATE_AT_REFERENCE * 2.0 ** ((ages - REFERENCE_AGE) / DOUBLING_YEARS)
    return np.minimum(np.where(ages >= CALIBRATED_FROM, factor * rates, rates), MAX_DEATH_RATE)


def single_years(national: pd.Series) -> tuple[np.ndarray, int]:
    """Bands split evenly into single years of age; the open top band stays one group (last)."""
    bands = [parse_band(b) for b in national.index]
    top = bands[-1]
    if not math.isinf(top.high) or any(math.isinf(b.high) for b in bands[:-1]):
        raise ValueError("the national bands need one open top band")
    if [b.low for b in bands] != [0] + [b.high + 1 for b in bands[:-1]]:
        raise ValueError("the national bands are not contiguous from age 0")
    ages = np.concatenate([np.full(int(b.high - b.low + 1), v / (b.high - b.low + 1))
                           for b, v in zip(bands[:-1], national.to_numpy(dtype=float))])
    return np.append(ages, float(national.iloc[-1])), top.low


def run_path(national: pd.Series, factor: float, years: int) -> list[np.ndarray]:
    """Single-year populations for BASE_YEAR and each following year (cohort shift with deaths)."""
    x, top = single_years(national)
    first_band = parse_band(national.index[0])
    births = float(national.iloc[0]) / (first_band.high - first_band.low + 1)
    survive = 1.0 - death_rates(factor, top)
    path = [x]
    for _ in range(years):
        alive = x * survive
        nxt = np.empty_like(x)
        nxt[0] = births
        nxt[1:top] = alive[:top - 1]
        nxt[top] = alive[top - 1] + alive[top]
        x = nxt
        path.append(x)
    return path


def to_bands(x: np.ndarray, bands: list[str]) -> np.ndarray:
    out = []
    for label in bands:
        band = parse_band(label)
        out.append(x[band.low:].sum() if math.isinf(band.high) else x[band.low:int(band.high) + 1].sum())
    return np.array(out)


def aged_80_plus(x: np.ndarray) -> float:
    return float(x[80:].sum())


def calibrate(national: pd.Series, anchor: float) -> float:
    """k with residents 80+ on 31.12.CARE_YEAR = anchor (bisection; 80+ falls as k rises)."""
    steps = CARE_YEAR - BASE_YEAR
    low, high = 0.05, 20.0

    def value(k):
        return aged_80_plus(run_path(national, k, steps)[-1])

    if not value(high) < anchor < value(low):
        raise ValueError(f"no death-rate factor between {low} and {high} gives {anchor:,.0f} residents 80+")
    for _ in range(100):
        mid = (low + high) / 2
        if value(mid) > anchor:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def round_groups(values: np.ndarray, bands: list[str], limits=(60, 80)) -> np.ndarray:
    """Round band totals to integers; under 60, 60–79 and 80+ each keep their rounded sum."""
    out = np.zeros(len(bands), dtype=np.int64)
    lows = np.array([parse_band(b).low for b in bands])
    edges = [0, *limits, math.inf]
    for low, high in zip(edges, edges[1:]):
        part = (lows >= low) & (lows < high)
        out[part] = round_preserving_totals(values[part], round(float(values[part].sum())))
    return out


def national_path(base: pd.DataFrame, anchor_80_plus: int) -> NationalPath:
    bands = _sort_bands(base["age_band"].unique())
    national = base.groupby("age_band")["population"].sum().reindex(bands)
    factor = calibrate(national, anchor_80_plus)
    uncalibrated = aged_80_plus(run_path(national, 1.0, CARE_YEAR - BASE_YEAR)[-1])
    rows = []
    for offset, x in enumerate(run_path(national, factor, LAST_YEAR - BASE_YEAR)):
        values = national.to_numpy(dtype=np.int64) if offset == 0 else round_groups(to_bands(x, bands), bands)
        rows += [{"year": BASE_YEAR + offset, "age_band": b, "population": int(v)} for b, v in zip(bands, values)]
    return NationalPath(pd.DataFrame(rows), factor, uncalibrated, anchor_80_plus)


def build_population(base: pd.DataFrame, path: NationalPath) -> pd.DataFrame:
    bands = _sort_bands(base["age_band"].unique())
    projected = project_by_growth_factors(base, path.totals, base_year=BASE_YEAR)
    by_year = {year: rows.set_index("age_band")["population"] for year, rows in path.totals.groupby("year")}
    frames = [base.assign(year=BASE_YEAR, status="observed")]
    for year, rows in projected.groupby("year"):
        wide = rows.pivot(index="district_id", columns="age_band", values="population")[bands]
        rounded = pd.DataFrame({b: round_preserving_totals(wide[b].to_numpy(), by_year[year][b]) for b in bands},
                               index=wide.index)
        frames.append(rounded.rename_axis("district_id").reset_index().melt(
            id_vars="district_id", var_name="age_band", value_name="population").assign(year=year, status="forecast"))
    population = pd.concat(frames, ignore_index=True)
    population["order"] = population["age_band"].map(bands.index)
    population = population.sort_values(["district_id", "year", "order"], kind="stable")
    population["population"] = population["population"].astype(np.int64)
    return population[["district_id", "year", "age_band", "population", "status"]].reset_index(drop=True)


# ---------------------------------------------------------------- care statistics 2023

def read_care(source: Path) -> pd.DataFrame:
    """kreise-2023.csv with numbers parsed (decimal comma; empty = suppressed = NaN)."""
    raw = pd.read_csv(source / CARE_TABLE, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame = raw.rename(columns={"kreis_schluessel": "district_id", "kreis": "name"})
    if not frame["district_id"].str.fullmatch(r"\d{5}").all() or not frame["district_id"].is_unique:
        raise ValueError(f"{CARE_TABLE}: Kreis keys are not unique 5-digit keys")
    for name in frame.columns[2:]:
        text = frame[name].str.strip()
        bad = (text != "") & ~text.str.fullmatch(r"\d+(,\d+)?")
        if bad.any():
            raise ValueError(f"{CARE_TABLE}: column {name} has a value that is not a number: {text[bad].iloc[0]}")
        frame[name] = pd.to_numeric(text.str.replace(",", ".", regex=False).replace("", None))
    return frame.sort_values("district_id").reset_index(drop=True)


@dataclass
class Supply:
    rows: list[dict]
    suppressed: list[str]  # Kreise of 2023 without a figure for long-term places
    national_places: int  # sum over the published cells
    split: dict[str, int]  # 16056 / 16063 share of the 2023 figure of 16063


def build_services(care: pd.DataFrame, districts: gpd.GeoDataFrame, base: pd.DataFrame) -> Supply:
    ids_2019 = set(districts["district_id"])
    ids_2023 = set(care["district_id"])
    if ids_2019 - ids_2023 != {MERGED_FROM} or ids_2023 - ids_2019 or len(ids_2023) != 400:
        raise ValueError(f"the 400 Kreise of {CARE_TABLE} and the 401 of 2019 do not match as expected: "
                         f"only 2019 {sorted(ids_2019 - ids_2023)}, only 2023 {sorted(ids_2023 - ids_2019)}")
    places = care.set_index("district_id")["plaetze_dauerpflege"]
    suppressed = sorted(places.index[places.isna()])
    old = base[base["age_band"].isin(bands_from(80, _sort_bands(base["age_band"].unique())))]
    old = old.groupby("district_id")["population"].sum()
    split = {}
    if MERGED_INTO not in suppressed:
        shares = round_preserving_totals(old[[MERGED_FROM, MERGED_INTO]].to_numpy(), places[MERGED_INTO])
        split = {MERGED_FROM: int(shares[0]), MERGED_INTO: int(shares[1])}
    names = districts.set_index("district_id")["name"]
    rows = []
    for district in sorted(ids_2019):
        source_id = MERGED_INTO if district == MERGED_FROM else district
        if source_id in suppressed:
            continue
        value = split[district] if district in split else int(places[district])
        name = f"Pflegeplätze Dauerpflege {names[district]} (Pflegestatistik 12/{CARE_YEAR}"
        name += ", geschätzter Anteil; Wartburgkreis mit Eisenach)" if district in split else ")"
        rows.append({"site_id": f"P-{district}", "name": name, "service": SERVICE, "fte": str(value),
                     "year_from": BASE_YEAR, "year_to": "", "district_id": district, "lon": "", "lat": "",
                     "provider": PROVIDER, "status": "illustrative" if district in split else "real"})
    accounted = {MERGED_INTO if r["district_id"] == MERGED_FROM else r["district_id"] for r in rows} | set(suppressed)
    if accounted != ids_2023:
        raise ValueError(f"the supply rows do not account for all 400 Kreise of {CARE_TABLE}")
    national = int(places.dropna().sum())
    if sum(int(r["fte"]) for r in rows) != national:
        raise ValueError("the supply rows do not add up to the published long-term places")
    return Supply(rows, suppressed, national, split)


# ---------------------------------------------------------------- writing

def _de(value: float, digits: int) -> str:
    """Number in German notation: 6.041.003 / 6,91."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def default_ratio(care: pd.DataFrame) -> tuple[float, int, int]:
    """Residents 80+ per long-term place in Germany, Dec 2023, over the Kreise with both figures."""
    both = care.dropna(subset=["plaetze_dauerpflege", "einwohner_ab_80"])
    old, places = int(both["einwohner_ab_80"].sum()), int(both["plaetze_dauerpflege"].sum())
    return round(old / places, 2), old, places


# the distance rule's starting radius: outpatient care services' largest range, ~25–30 km (Neumeier 2015)
DISTANCE_KM = 30


def notes(path: NationalPath, supply: Supply, ratio: float, old: int, places: int) -> list[tuple[str, str]]:
    per_100 = 100 * places / old
    items = [
        ("Einwohner 2019: Bevölkerungsstand am 31.12.2019 je Kreis in 21 Altersgruppen (amtlich, Gebietsstand 2019).",
         "Residents 2019: official population on 31 Dec 2019 per district in 21 age groups (2019 territory)."),
        ("Die Jahre 2020–2040 sind eine einfache Fortschreibung von CareGap, keine amtliche Prognose: Altern der "
         "Jahrgänge mit angenommenen Sterberaten, gleichbleibenden Geburten und ohne Wanderungen, abgeglichen mit "
         f"den {_de(path.anchor_80_plus, 0)} Einwohnern ab 80 Jahren Ende {CARE_YEAR}; jeder Kreis behält seinen "
         "Anteil von 2019 an jeder Altersgruppe.",
         "The years 2020–2040 are a simple projection made by CareGap, not an official forecast: cohorts age with "
         "assumed death rates, births stay constant and migration is left out, matched to the "
         f"{path.anchor_80_plus:,} residents aged 80+ at the end of {CARE_YEAR}; each district keeps its 2019 share "
         "of every age group."),
        (f"Angebot: vollstationäre Dauerpflegeplätze laut Pflegestatistik Dezember {CARE_YEAR}, für alle Jahre "
         f"2019–2040 auf diesem Stand gehalten.",
         f"Supply: long-term residential care places from the care statistics of December {CARE_YEAR}, held at "
         "that level for every year 2019–2040."),
        (f"Eisenach (16056) gehört seit 2021 zum Wartburgkreis (16063); dessen Plätze {CARE_YEAR} sind nach den "
         "Einwohnern ab 80 Jahren von 2019 auf beide aufgeteilt (geschätzt, als illustrativ markiert).",
         f"Eisenach (16056) has been part of the Wartburgkreis (16063) since 2021; the latter's {CARE_YEAR} places "
         "are split over both by their residents aged 80+ in 2019 (estimated, marked illustrative)."),
        (f"Vorgabe {_de(ratio, 2)} Einwohner ab 80 je Dauerpflegeplatz = Bundesdurchschnitt Dezember {CARE_YEAR} "
         f"({_de(per_100, 1)} Plätze je 100 Einwohner ab 80): 100 % Deckung heißt so gut versorgt wie Deutschland im "
         "Mittel, keine gesetzliche Norm.",
         f"Target {ratio:.2f} residents aged 80+ per long-term place = German average of December {CARE_YEAR} "
         f"({per_100:.1f} places per 100 residents aged 80+): 100 % coverage means as well supplied as Germany on "
         "average, not a legal norm."),
        ("Kosten je Pflegeplatz werden nicht geschätzt (0 EUR).",
         "No cost per care place is estimated (EUR 0)."),
        ("Versorgungsbereich: Plätze zählen im Kreis, in dem sie liegen. Für die Pflegeheimwahl ist keine "
         f"Entfernung veröffentlicht; die Regel „nach Entfernung“ beginnt daher bei {DISTANCE_KM} km (Gauß-Abnahme), "
         "der größten Reichweite ambulanter Pflegedienste von etwa 25–30 km (Thünen-Landatlas; Neumeier 2015, "
         "Thünen Working Paper 47) – ein Anhaltspunkt, kein Messwert für Heime.",
         "Service area: places count in the district where they are. No distance is published for the choice of a "
         f"care home; the rule “by distance” therefore starts at {DISTANCE_KM} km (Gaussian decay), the largest "
         "range of outpatient care services of about 25–30 km (Thünen-Landatlas; Neumeier 2015, Thünen Working "
         "Paper 47) – a pointer, not a measured figure for care homes."),
    ]
    if supply.suppressed:
        listed = ", ".join(supply.suppressed)
        items.append((f"Für {listed} ist die Zahl der Dauerpflegeplätze gesperrt; diese Kreise haben kein Angebot.",
                      f"The number of long-term places is suppressed for {listed}; these districts have no supply."))
    return items


SOURCE_LINES = [
    f"{KREISE} (.shx, .dbf, .prj): BKG VG250 Kreise 2019 (GF = 4), © GeoBasis-DE / BKG (2019), dl-de/by-2-0",
    f"{AGE_TABLE}: Regionaldatenbank 12411-03-03-4, residents 31.12.2019 per Kreis in 21 age groups, dl-de/by-2-0",
    f"{GENESIS_TABLE}: GENESIS 12411-0017, residents 31.12.2019 per Kreis in 17 age groups (cross-check), dl-de/by-2-0",
    f"{CARE_TABLE}: Pflegestatistik December 2023 per Kreis (Regionaldatenbank 22411-02-05-4, 22411-01-02-4, "
    "12411-09-01-4): long-term care places, residents 80+ on 31.12.2023, dl-de/by-2-0",
]


def datasettoml_string(items: list[tuple[str, str]], ratio: float) -> str:
    attribution = ["© GeoBasis-DE / BKG (2019) (dl-de/by-2-0), data changed",
                   "Statistisches Bundesamt / Statistische Ämter des Bundes und der Länder (dl-de/by-2-0), data changed"]
    return f"""[dataset]
id = "deutschland"
title = "Deutschland – Landkreise und kreisfreie Städte"
title_en = "Germany – districts"
base_year = {BASE_YEAR}
reference_population = "80+"
attribution = {toml_list(attribution)}
notes = {toml_list([de for de, _ in items])}
notes_en = {toml_list([en for _, en in items])}

[boundaries]
id = "district_id"
name = "name"

[levels]
bundesland = "bundesland"

[level_labels]
kreis = {{de = "Kreis", en = "District"}}
bundesland = {{de = "Bundesland", en = "State"}}

[costs]
fte_per_year_eur = 0      # no cost per care place is estimated
wage_growth = 0.0

[services.{SERVICE}]
label = "Vollstationäre Dauerpflege"
label_en = "Long-term residential care"
unit = "places"
ratios = {{ {BASE_YEAR} = {ratio} }}   # residents 80+ per long-term place: German average, December {CARE_YEAR}
between_milestones = "hold"
catchment = "own"
radius_km = {DISTANCE_KM}   # starting value of the distance rule (Neumeier 2015, Thünen Working Paper 47; see notes)
decay = "gaussian"

[sources]
files = {toml_list(SOURCE_LINES)}
"""


# ---------------------------------------------------------------- command line

def build(source: Path, out_data: Path, out_geo: Path) -> dict:
    """Build all files; returns the figures worth checking."""
    kreise = read_kreise(source)
    districts = build_geometry(kreise)
    ids = list(districts["district_id"])
    base, checks = read_population_2019(source, ids)
    if checks["germany"] != GERMANY_2019:
        raise ValueError(f"Germany 2019: {checks['germany']:,} residents, expected {GERMANY_2019:,}")
    differences = cross_check_genesis(source, base)
    care = read_care(source)
    if care["einwohner_ab_80"].isna().any():
        raise ValueError(f"{CARE_TABLE}: residents 80+ are suppressed for a Kreis; the anchor needs all")
    anchor = int(care["einwohner_ab_80"].sum())
    path = national_path(base, anchor)
    population = build_population(base, path)
    supply = build_services(care, districts, base)
    ratio, old, places = default_ratio(care)

    out_data.mkdir(parents=True, exist_ok=True)
    out_geo.mkdir(parents=True, exist_ok=True)
    features = (({"district_id": r.district_id, "name": r.name, "bundesland": r.bundesland}, r.geometry)
                for r in districts.itertuples(index=False))
    write_geojson(features, out_geo / "districts.geojson", DECIMALS)
    write_csv(population.to_dict("records"), list(population.columns), out_data / "population.csv")
    write_csv(supply.rows, list(supply.rows[0]), out_data / "services.csv")
    (out_data / "dataset.toml").write_text(datasettoml_string(notes(path, supply, ratio, old, places), ratio),
                                           encoding="utf-8")

    bands = _sort_bands(base["age_band"].unique())
    over_60, over_80 = bands_from(60, bands), bands_from(80, bands)
    dresden = base[base["district_id"] == "14612"]
    old_by_year = population[population["age_band"].isin(over_80)].groupby("year")["population"].sum()
    kreis_80 = population[(population["year"] == CARE_YEAR) & population["age_band"].isin(over_80)]
    kreis_80 = kreis_80.groupby("district_id")["population"].sum()
    kreis_80[MERGED_INTO] += kreis_80.pop(MERGED_FROM)
    observed_80 = care.set_index("district_id")["einwohner_ab_80"]
    deviation = (kreis_80 / observed_80.reindex(kreis_80.index) - 1).abs()
    return {
        "Kreise": len(districts),
        "Germany 2019": int(base["population"].sum()),
        "Dresden 60+ 2019": int(dresden[dresden["age_band"].isin(over_60)]["population"].sum()),
        "Dresden 80+ 2019": int(dresden[dresden["age_band"].isin(over_80)]["population"].sum()),
        "rows checked against German + foreign": checks["rows checked against German + foreign"],
        "rows with German or foreign suppressed": checks["rows with German or foreign suppressed"],
        f"differences to {GENESIS_TABLE}": differences or "none",
        "80+ 2019": int(old_by_year[BASE_YEAR]),
        f"80+ {CARE_YEAR} anchor (kreise-2023.csv)": anchor,
        f"80+ {CARE_YEAR} uncalibrated (k = 1)": round(path.uncalibrated_80_plus),
        "uncalibrated − anchor": f"{path.uncalibrated_80_plus - anchor:+,.0f} "
                                 f"({100 * (path.uncalibrated_80_plus / anchor - 1):+.2f} %)",
        "calibrated death-rate factor k": round(path.factor, 4),
        f"80+ {CARE_YEAR} projected": int(old_by_year[CARE_YEAR]),
        "80+ 2030": int(old_by_year[2030]), "80+ 2040": int(old_by_year[LAST_YEAR]),
        "total 2040": int(population.loc[population["year"] == LAST_YEAR, "population"].sum()),
        f"per-Kreis 80+ {CARE_YEAR}: median |projected/observed − 1|": f"{100 * deviation.median():.1f} %",
        f"per-Kreis 80+ {CARE_YEAR}: largest |projected/observed − 1|":
            f"{100 * deviation.max():.1f} % ({deviation.idxmax()})",
        "long-term places (published cells)": supply.national_places,
        "suppressed Kreise": supply.suppressed or "none",
        f"split of {MERGED_INTO}": supply.split,
        "default ratio (residents 80+ per place)": ratio,
        "districts.geojson bytes": (out_geo / "districts.geojson").stat().st_size,
        "population.csv bytes": (out_data / "population.csv").stat().st_size,
        "services.csv bytes": (out_data / "services.csv").stat().st_size,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build the bundled Germany dataset from public source files.")
    parser.add_argument("--source", required=True, help="folder with the Germany files (e.g. ../shared/data/germany)")
    parser.add_argument("--out-data", default="data/deutschland")
    parser.add_argument("--out-geo", default="geodata/deutschland")
    args = parser.parse_args(argv)
    figures = build(repo_path(args.source), repo_path(args.out_data), repo_path(args.out_geo))
    for key, value in figures.items():
        if isinstance(value, list):
            print(f"{key}:")
            for line in value:
                print(f"  {line}")
        else:
            print(f"{key}: {value:,}" if isinstance(value, int) else f"{key}: {value}")


if __name__ == "__main__":
    main()
