import re
import zipfile

import geopandas as gpd
import pytest
from shapely.geometry import Polygon, box

from dashboard.boundaries import read_boundaries
from dashboard.errors import DataError

from .conftest import FIXTURES


def _frame(crs="EPSG:25832"):
    # two 1 km squares near Dresden, in UTM 32N (as the BKG files are)
    return gpd.GeoDataFrame({"AGS": ["14612", "14625"], "GEN": ["Dresden", "Bautzen"]},
                            geometry=[box(830_000, 5_655_000, 831_000, 5_656_000),
                                      box(831_000, 5_655_000, 832_000, 5_656_000)], crs=crs)


def test_geojson_fixture(tmp_path):
    b = read_boundaries(FIXTURES / "tiny" / "districts.geojson", level_columns={"bezirk": "bezirk"})
    assert b["district_id"].tolist() == ["A", "B", "C"]
    assert b["bezirk"].tolist() == ["Nord", "Nord", "Süd"]
    assert b.crs.to_epsg() == 4326


def test_gpkg_reprojected_to_wgs84(tmp_path):
    path = tmp_path / "districts.gpkg"
    _frame().to_file(path)
    b = read_boundaries(path, "AGS", "GEN")
    assert b.crs.to_epsg() == 4326
    x, y = b.geometry.iloc[0].centroid.coords[0]
    assert 13.5 < x < 14.5 and 50.5 < y < 51.5  # east Saxony
    assert b["name"].tolist() == ["Dresden", "Bautzen"]


def test_zipped_shapefile_in_subfolder(tmp_path):
    shp = tmp_path / "shp"
    shp.mkdir()
    _frame().to_file(shp / "kreise.shp")
    path = tmp_path / "districts.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for f in shp.iterdir():
            archive.write(f, f"export/2019/{f.name}")
    b = read_boundaries(path, "AGS", "GEN")
    assert b["district_id"].tolist() == ["14612", "14625"]


def test_zip_without_shapefile(tmp_path):
    path = tmp_path / "districts.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "nothing")
    with pytest.raises(DataError) as err:
        read_boundaries(path)
    assert [p.code for p in err.value.problems] == ["archive.no_shape"]
    assert "the archive holds no .shp file" in err.value.report("en")
    assert "das Archiv enthält keine .shp-Datei" in err.value.report("de")


def test_problems_are_all_reported(tmp_path):
    bow_tie = Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    frame = gpd.GeoDataFrame({"district_id": ["01", "01", "", "04"], "name": ["a", "b", "c", "d"]},
                             geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1), bow_tie], crs="EPSG:4326")
    path = tmp_path / "districts.geojson"
    frame.to_file(path)
    with pytest.raises(DataError) as err:
        read_boundaries(path)
    messages = [p.text("en") for p in err.value.problems]
    assert err.value.problems[0].code == "boundaries.id_twice" and err.value.problems[0].params == {"id": "01", "other": 1}
    assert any("row 2, column 'district_id': district id '01' is used twice (also feature 1)" in m for m in messages)
    assert any("row 3, column 'district_id': the feature has no district id" in m for m in messages)
    assert any("row 4, column 'geometry': the geometry is invalid (Self-intersection" in m for m in messages)


def test_missing_column_names_alternatives(tmp_path):
    path = tmp_path / "districts.gpkg"
    _frame().to_file(path)
    with pytest.raises(DataError) as err:
        read_boundaries(path)
    assert re.search("column 'district_id' .* is missing.*Available columns: AGS, GEN", err.value.report("en"))


def test_missing_crs(tmp_path):
    shp = tmp_path / "x.shp"
    _frame().to_file(shp)
    (tmp_path / "x.prj").unlink()
    with pytest.raises(DataError) as err:
        read_boundaries(shp, "AGS", "GEN")
    assert "no coordinate reference system" in err.value.report("en")
