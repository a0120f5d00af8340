"""The bundled Dresden dataset: committed files meet the data contract and rebuild byte for byte."""

import os
import tomllib
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from dashboard.datasets import dresden

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "dresden"
GEO = ROOT / "geodata" / "dresden"
SHARED = ROOT.parent / "shared" / "data"
BANDS = ["0-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85+"]
YEARS = list(range(2025, 2041))
BUILT_FILES = [GEO / "districts.geojson", DATA / "population.csv", DATA / "services.csv", DATA / "dataset.toml"]


@pytest.fixture(scope="module")
def districts():
    return gpd.read_file(GEO / "districts.geojson")


@pytest.fixture(scope="module")
def population():
    return pd.read_csv(DATA / "population.csv", dtype={"district_id": str})


@pytest.fixture(scope="module")
def services():
    return pd.read_csv(DATA / "services.csv", dtype=str, keep_default_na=False)


def test_map_units_form_a_valid_coverage(districts):
    assert list(districts.columns) == ["district_id", "name", "stadtbezirk", "stadtraum", "geometry"]
    assert len(districts) in (60, 61)
    assert districts["district_id"].is_unique
    assert districts.crs.to_epsg() == 4326
    metric = districts.to_crs(25833).geometry.values
    assert shapely.is_valid(metric).all() and not shapely.is_empty(metric).any()
    assert shapely.coverage_is_valid(metric)
    assert (GEO / "districts.geojson").stat().st_size < 250_000


def test_merged_and_combined_units(districts):
    ids = set(districts["district_id"])
    assert not ids & {"33", "34", "44"}
    assert "36" in ids
    assert "90_99" in ids or {"90", "99"} <= ids
    assert districts.loc[districts["district_id"] == "01", "stadtbezirk"].item() == "Altstadt"
    assert districts.loc[districts["district_id"] == "01", "stadtraum"].item() == "StB Altstadt ohne Johannstadt"


def test_population_is_complete(population, districts):
    assert list(population.columns) == ["district_id", "year", "age_band", "population", "status"]
    assert set(population["district_id"]) == set(districts["district_id"])
    expected = pd.MultiIndex.from_product([sorted(districts["district_id"]), YEARS, BANDS])
    index = pd.MultiIndex.from_frame(population[["district_id", "year", "age_band"]])
    assert index.is_unique and index.sort_values().equals(expected.sort_values())
    assert pd.api.types.is_integer_dtype(population["population"]) and (population["population"] >= 0).all()
    assert set(population.loc[population["year"] == 2025, "status"]) == {"estimate"}
    assert set(population.loc[population["year"] > 2025, "status"]) == {"forecast"}


def test_population_matches_city_totals(population):
    older = population[population["age_band"] != "0-59"].groupby("year")["population"].sum()
    assert older[2025] == 159_196
    assert older[2026] == 160_580
    oldest = population[population["age_band"].isin(["80-84", "85+"])].groupby("year")["population"].sum()
    assert oldest[2025] == 49_373
    assert population.loc[population["year"] == 2025, "population"].sum() == 571_476


def test_services_share_the_funded_fte(services):
    columns = ["site_id", "name", "service", "fte", "year_from", "year_to", "district_id", "lon", "lat",
               "provider", "status"]
    assert list(services.columns) == columns
    assert not services.duplicated(["site_id", "service", "year_from"]).any()
    assert services["site_id"].nunique() == 23
    assert set(services["service"]) == {"beratung", "begegnung"}
    assert set(services["status"]) == {"illustrative"}
    assert (services["district_id"] == "").all()
    totals = services.groupby(["service", "year_from"])["fte"].apply(lambda s: sum(Decimal(v) for v in s))
    assert totals[("beratung", "2023")] == Decimal("16.3") and totals[("begegnung", "2023")] == Decimal("24.5")
    assert totals[("beratung", "2024")] == Decimal("37.9") and totals[("begegnung", "2024")] == Decimal("31.6")
    assert (services.loc[services["year_from"] == "2023", "year_to"] == "2023").all()
    assert (services.loc[services["year_from"] == "2024", "year_to"] == "").all()
    assert all(Decimal(v) % Decimal("0.05") == 0 for v in services["fte"])


def test_every_site_lies_in_exactly_one_unit(services, districts):
    sites = services.drop_duplicates("site_id")
    points = shapely.points(sites["lon"].astype(float), sites["lat"].astype(float))
    units = districts.geometry.to_numpy()
    inside = shapely.contains(units[:, None], points[None, :])
    assert (inside.sum(axis=0) == 1).all()
    with_site = districts["stadtbezirk"].to_numpy()[inside.argmax(axis=0)]
    assert set(with_site) == set(districts["stadtbezirk"])  # every Stadtbezirk has a site


def test_dataset_toml(districts):
    settings = tomllib.loads((DATA / "dataset.toml").read_text(encoding="utf-8"))
    dataset = settings["dataset"]
    assert dataset["id"] == "dresden" and dataset["base_year"] == 2025 and dataset["reference_population"] == "60+"
    assert "© GeoBasis-DE / BKG (dl-de/by-2-0), data changed" in dataset["attribution"]
    assert len(dataset["notes"]) == len(dataset["notes_en"]) >= 5
    assert settings["services"]["beratung"]["ratios"] == {"2023": 5900, "2024": 4200, "2026": 2500}
    assert settings["services"]["begegnung"]["ratios"] == {"2023": 6500, "2024": 5000, "2026": 3500}
    assert settings["costs"] == {"fte_per_year_eur": 75000, "wage_growth": 0.0}
    for column in settings["levels"].values():
        assert column in districts.columns


@pytest.mark.sources
def test_rebuild_is_byte_identical(tmp_path):
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail("public source data ../shared/data not present")
        pytest.skip("public source data ../shared/data not present")
    out_data, out_geo = tmp_path / "data", tmp_path / "geodata"
    dresden.build(SHARED / "dresden", SHARED / "germany", out_data, out_geo)
    for committed in BUILT_FILES:
        built = (out_geo if committed.parent == GEO else out_data) / committed.name
        assert built.read_bytes() == committed.read_bytes(), f"{committed.name} differs from a fresh build"
