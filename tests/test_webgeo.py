import geopandas as gpd
import shapely
from shapely.geometry import shape

from dashboard import webgeo


def test_levels_dissolve_and_stay_a_coverage(tiny):
    base = webgeo.web_geometry(tiny, "ortsteil")
    assert [f["id"] for f in base["features"]] == ["A", "B", "C"]
    boroughs = webgeo.web_geometry(tiny, "bezirk")
    assert [f["id"] for f in boroughs["features"]] == ["Nord", "Süd"]
    nord = shape(boroughs["features"][0]["geometry"])
    assert nord.geom_type == "Polygon"  # A and B merged without a seam
    assert abs(nord.area - 0.0002) < 1e-9
    geoms = [shape(f["geometry"]) for f in base["features"]]
    assert shapely.coverage_is_valid(geoms)


def test_cache_is_reused(tiny, monkeypatch):
    first = webgeo.web_geometry(tiny, "bezirk")
    monkeypatch.setattr(webgeo, "simplify_coverage", lambda *a, **k: (_ for _ in ()).throw(AssertionError("recomputed")))
    assert webgeo.web_geometry(tiny, "bezirk") == first


def test_simplification_removes_vertices_and_keeps_shared_edges():
    # two neighbours sharing a zig-zag edge of 200 points
    import numpy as np
    ys = np.linspace(0, 1, 200)
    xs = 0.5 + 0.0001 * np.sin(ys * 300)
    edge = list(zip(xs, ys))
    left = shapely.Polygon([(0, 0), *edge, (0, 1)][::-1] if False else [(0, 0)] + edge + [(0, 1)])
    right = shapely.Polygon([(1, 0)] + edge + [(1, 1)])
    frame = gpd.GeoDataFrame({"district_id": ["L", "R"], "name": ["L", "R"]},
                             geometry=[shapely.make_valid(left), shapely.make_valid(right)], crs="EPSG:4326")
    frame = frame.set_geometry(frame.geometry.translate(13, 51))
    out = webgeo.simplify_coverage(frame, 1 / 200)
    assert shapely.get_num_coordinates(out.geometry.iloc[0]) < 50
    assert shapely.coverage_is_valid(out.geometry.to_numpy())
