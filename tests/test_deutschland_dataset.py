"""The bundled Germany dataset: committed files meet the data contract and rebuild byte for byte."""

import csv
import io
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from dashboard.dataset import load_dataset
from dashboard.datasets import deutschland

from .conftest import SHARED_DATA, require_shared_data

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "deutschland"
GEO = ROOT / "geodata" / "deutschland"
SOURCE = SHARED_DATA / "germany"
BUILT_FILES = [GEO / "districts.geojson", DATA / "population.csv", DATA / "services.csv", DATA / "dataset.toml"]
BANDS = ["0-2", "3-5", "6-9", "10-14", "15-17", "18-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
         "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+"]
YEARS = list(range(2019, 2041))
LAENDER = {"Schleswig-Holstein", "Hamburg", "Niedersachsen", "Bremen", "Nordrhein-Westfalen", "Hessen",
           "Rheinland-Pfalz", "Baden-Württemberg", "Bayern", "Saarland", "Berlin", "Brandenburg",
           "Mecklenburg-Vorpommern", "Sachsen", "Sachsen-Anhalt", "Thüringen"}
OVER_60 = BANDS[BANDS.index("60-64"):]
OVER_80 = BANDS[BANDS.index("80-84"):]

# Figures of kreise-2023.csv, used only when the source file is absent.
PLACES_2023 = 874_562  # long-term places, sum over the published cells (none is suppressed)
WARTBURGKREIS_2023 = 2_059  # long-term places of 16063 in its 2023 territory (with Eisenach)
OVER_80_2023 = 6_041_003  # residents 80+ on 31.12.2023, sum over the 400 Kreise


def care_2023() -> list[dict] | None:
    """kreise-2023.csv read independently of the builder, or None if the source is absent."""
    path = SOURCE / "kreise-2023.csv"
    if not path.exists():
        return None
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def published(rows: list[dict], column: str) -> list[int]:
    return [int(r[column]) for r in rows if r[column].strip() != ""]


@pytest.fixture(scope="module")
def dataset():
    return load_dataset("deutschland")


@pytest.fixture(scope="module")
def districts():
    return gpd.read_file(GEO / "districts.geojson")


@pytest.fixture(scope="module")
def population():
    return pd.read_csv(DATA / "population.csv", dtype={"district_id": str, "status": str})


@pytest.fixture(scope="module")
def services():
    return pd.read_csv(DATA / "services.csv", dtype=str, keep_default_na=False)


def test_loads_through_the_core(dataset):
    assert dataset.id == "deutschland"
    assert len(dataset.districts) == 401
    assert dataset.years == YEARS
    assert dataset.settings.base_level == "kreis" and dataset.settings.levels == {"bundesland": "bundesland"}
    assert dataset.settings.services["dauerpflege"].unit == "places" and dataset.settings.unit == "places"
    assert dataset.year_status(2019) == "observed" and dataset.year_status(2020) == "forecast"
    assert not dataset.warnings  # every Kreis has a supply row


def test_kreise_form_a_valid_coverage(districts):
    assert list(districts.columns) == ["district_id", "name", "bundesland", "geometry"]
    assert len(districts) == 401
    assert districts["district_id"].is_unique and districts["district_id"].str.fullmatch(r"\d{5}").all()
    assert districts["name"].is_unique
    assert {"München (Landkreis)", "München (Kreisfreie Stadt)", "Dresden"} <= set(districts["name"])
    assert set(districts["bundesland"]) == LAENDER
    assert districts.groupby(districts["district_id"].str[:2])["bundesland"].nunique().eq(1).all()
    assert districts.crs.to_epsg() == 4326
    metric = districts.to_crs(25832).geometry.to_numpy()
    assert shapely.is_valid(metric).all() and not shapely.is_empty(metric).any()
    assert shapely.coverage_is_valid(metric)
    assert (GEO / "districts.geojson").stat().st_size < 1_500_000
    coordinates = re.findall(r"-?\d+\.\d+", (GEO / "districts.geojson").read_text(encoding="utf-8")[:20_000])
    assert coordinates and all(len(c.split(".")[1]) <= 5 for c in coordinates)


def test_population_is_complete(population, districts):
    assert list(population.columns) == ["district_id", "year", "age_band", "population", "status"]
    expected = pd.MultiIndex.from_product([sorted(districts["district_id"]), YEARS, BANDS])
    index = pd.MultiIndex.from_frame(population[["district_id", "year", "age_band"]])
    assert index.is_unique and index.sort_values().equals(expected.sort_values())
    assert pd.api.types.is_integer_dtype(population["population"]) and (population["population"] >= 0).all()
    assert set(population.loc[population["year"] == 2019, "status"]) == {"observed"}
    assert set(population.loc[population["year"] > 2019, "status"]) == {"forecast"}


def test_population_2019_matches_the_official_figures(population):
    base = population[population["year"] == 2019]
    assert base["population"].sum() == 83_166_711
    dresden = base[base["district_id"] == "14612"].set_index("age_band")["population"]
    assert dresden[OVER_60].sum() == 150_943
    assert dresden[OVER_80].sum() == 41_556


def test_projection_meets_the_2023_anchor(population):
    rows = care_2023()
    anchor = OVER_80_2023 if rows is None else sum(published(rows, "einwohner_ab_80"))
    old = population[population["age_band"].isin(OVER_80)].groupby("year")["population"].sum()
    assert old[2023] == anchor
    totals = population.groupby("year")["population"].sum()
    assert (totals.diff().dropna() < 0).all()  # no migration: the total falls every year (stated in the notes)


def test_services_hold_the_2023_care_places(services):
    columns = ["site_id", "name", "service", "fte", "year_from", "year_to", "district_id", "lon", "lat",
               "provider", "status"]
    assert list(services.columns) == columns
    assert len(services) == 401 and services["district_id"].is_unique
    assert (services["site_id"] == "P-" + services["district_id"]).all()
    assert set(services["service"]) == {"dauerpflege"} and set(services["provider"]) == {"Pflegestatistik"}
    assert (services["year_from"] == "2019").all() and (services["year_to"] == "").all()
    assert services["fte"].str.fullmatch(r"\d+").all()
    illustrative = set(services.loc[services["status"] == "illustrative", "district_id"])
    assert illustrative == {"16056", "16063"}
    assert set(services.loc[services["status"] != "illustrative", "status"]) == {"real"}

    rows = care_2023()
    if rows is None:
        expected_total, wartburgkreis = PLACES_2023, WARTBURGKREIS_2023
    else:
        assert len(rows) == 400
        expected_total = sum(published(rows, "plaetze_dauerpflege"))  # suppressed (empty) cells left out
        wartburgkreis = next(int(r["plaetze_dauerpflege"]) for r in rows if r["kreis_schluessel"] == "16063")
    places = services.set_index("district_id")["fte"].astype(int)
    assert places.sum() == expected_total
    assert places["16056"] + places["16063"] == wartburgkreis
    assert places["14612"] == 6_231


def test_dataset_toml():
    settings = tomllib.loads((DATA / "dataset.toml").read_text(encoding="utf-8"))
    dataset = settings["dataset"]
    assert dataset["id"] == "deutschland" and dataset["base_year"] == 2019
    assert dataset["reference_population"] == "80+"
    assert dataset["attribution"] == [
        "© GeoBasis-DE / BKG (2019) (dl-de/by-2-0), data changed",
        "Statistisches Bundesamt / Statistische Ämter des Bundes und der Länder (dl-de/by-2-0), data changed"]
    assert len(dataset["notes"]) == len(dataset["notes_en"]) >= 5
    assert any("not an official forecast" in note for note in dataset["notes_en"])
    assert settings["level_labels"] == {"kreis": {"de": "Kreis", "en": "District"},
                                        "bundesland": {"de": "Bundesland", "en": "State"}}
    assert settings["costs"]["fte_per_year_eur"] == 0
    service = settings["services"]["dauerpflege"]
    assert service["unit"] == "places" and service["between_milestones"] == "hold"
    rows = care_2023()
    ratio = OVER_80_2023 / PLACES_2023 if rows is None else \
        sum(published(rows, "einwohner_ab_80")) / sum(published(rows, "plaetze_dauerpflege"))
    assert service["ratios"] == {"2019": round(ratio, 2)}


def test_cli_report_per_bundesland():
    done = subprocess.run([sys.executable, "-m", "dashboard", "report", "deutschland", "--level", "bundesland",
                           "--format", "csv"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 17
    assert {r["district_id"] for r in rows[:-1]} == LAENDER
    assert rows[-1]["district_id"] == "TOTAL"
    assert int(rows[-1]["population"]) == 5_681_135  # residents 80+ on 31.12.2019
    assert float(rows[-1]["ist_fte"]) == PLACES_2023


@pytest.mark.sources
def test_rebuild_is_byte_identical(tmp_path):
    source = require_shared_data() / "germany"
    out_data, out_geo = tmp_path / "data", tmp_path / "geodata"
    deutschland.build(source, out_data, out_geo)
    for committed in BUILT_FILES:
        built = (out_geo if committed.parent == GEO else out_data) / committed.name
        assert built.read_bytes() == committed.read_bytes(), f"{committed.name} differs from a fresh build"
