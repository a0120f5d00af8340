"""The map component's Python side: its props, the files Dash serves for it, what the page gives it."""

import re
from pathlib import Path

import pytest

from dashboard.mapping import COVERAGE_COLOURS, NO_TARGET_COLOUR
from dashboard.scenario import Assumptions, Calculator
from layouts.map import geometry_url, legend, live_map, paint_payload, tooltip
from layouts import mapview
from layouts.mapview import AreaMap
from app import create_app

from .conftest import FIXTURES, REPO

MAPVIEW = REPO / "layouts" / "mapview"


@pytest.fixture(scope="module")
def result(tiny):
    return Calculator(tiny).compute(Assumptions.defaults(tiny).with_ratio("beratung", 1000))


def test_component_serialises_its_documented_props():
    json = AreaMap(id="m", geometry="/geo/x.geojson", area_ids=["a"], paint={"codes": [0], "palette": ["#fff"],
                                                                           "version": ""}).to_plotly_json()
    assert (json["namespace"], json["type"]) == ("caregap_map", "AreaMap")
    assert json["props"]["area_ids"] == ["a"] and json["props"]["geometry"] == "/geo/x.geojson"
    with pytest.raises(TypeError):
        AreaMap(id="m", figure={})  # not a prop of the contract


def test_every_prop_is_documented_and_used_by_the_script():
    doc = mapview.__doc__
    script = (MAPVIEW / "area_map.js").read_text(encoding="utf-8")
    for prop in AreaMap._prop_names:
        if prop in ("id", "className"):
            continue
        assert f"`{prop}`" in doc, prop
        assert re.search(rf"\b{prop}\b", script), prop
    assert "window.caregap_map = {AreaMap: AreaMap}" in script  # the namespace Dash looks the component up in


def test_app_serves_maplibre_and_the_component(tiny):
    client = create_app(str(FIXTURES / "tiny")).server.test_client()
    page = client.get("/").data.decode()
    urls = re.findall(r'(?:src|href)="(/_dash-component-suites/layouts/[^"]+)"', page)
    names = [u.rsplit("/", 1)[1].split(".")[0] for u in urls]
    assert names == ["maplibre-gl", "maplibre-gl", "area_map"]  # css, then the library before our script
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 200 and len(answer.data) > 1000
    assert (MAPVIEW / "vendor" / "LICENSE-maplibre.txt").read_text().startswith("Copyright (c) 2023, MapLibre")


def test_paint_is_one_code_per_area(result):
    # tiny at 1 : 1000: A 33 % (class 0), B 60 % (class 1), C 0 % (class 0)
    paint = paint_payload(result, "coverage", "de", "r.beratung=1000")
    assert paint == {"codes": [0, 1, 0], "palette": [*COVERAGE_COLOURS, NO_TARGET_COLOUR], "version": "r.beratung=1000"}


def test_tooltip_is_plain_lines(result):
    tip = tooltip(result, "B", "en", "observed", "v")
    assert tip["id"] == "B" and tip["version"] == "v" and tip["title"] == "Bergheim"
    # B: 5000 residents, Soll 5.00, Ist 3.00, gap +2.00, 60 %, 1,667 per post, 3.00 / 5000 × 10,000 = 6.00
    assert tip["lines"] == ["Target group: 5,000", "Target (posts): 5.00", "Actual (posts): 3.00", "Gap (posts): +2.00",
                            "Coverage: 60 %", "Residents per post: 1,667", "Density (posts per 10,000): 6.00"]
    assert not any("<" in line for line in tip["lines"])


def test_tooltip_text_never_goes_into_html():
    script = (MAPVIEW / "area_map.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "setHTML" not in script and ".textContent = " in script


def test_class_legend_and_colour_ramp(result):
    def words(nodes):
        out = []
        for node in nodes:
            if isinstance(node, str):
                out.append(node)
            elif isinstance(node, (list, tuple)):
                out += words(node)
            elif hasattr(node, "children"):
                out += words([node.children] if node.children is not None else [])
        return out

    classes = legend(result, "coverage", "de")
    assert words(classes)[0] == "Deckungsgrad (Ist ÷ Soll)" and "unter 50 %" in words(classes)
    swatches = [li.children[0].style["background"] for li in classes[1].children]
    assert swatches == [*COVERAGE_COLOURS, NO_TARGET_COLOUR]
    ramp = legend(result, "gap", "en")
    assert words(ramp)[-2:] == ["-2.0", "2.0"]  # gaps +2, +2, +1 (1 : 1000): a scale symmetric around 0
    assert ramp[1].style["background"].startswith("linear-gradient(to right, ")


def test_live_map_starts_on_the_dataset(tiny, result):
    wrap = live_map(result, "coverage", "de", geometry_url("tiny", "ortsteil", "1"), tiny.districts.total_bounds,
                    "osm", "q")
    area_map = wrap.children[0]
    minx, miny, maxx, maxy = tiny.districts.total_bounds
    assert area_map.bounds == [[minx, miny], [maxx, maxy]]
    assert area_map.area_ids == ["A", "B", "C"] and area_map.basemap == "osm"
    assert area_map.paint["version"] == "q" and area_map.geometry == "/geo/tiny/ortsteil.geojson?v=1"


def test_no_private_parts_of_other_libraries():
    # our code talks to Dash, Plotly and MapLibre through their public APIs only
    # written in pieces, so that a text search of the repository for these names does not find this test
    private = ("_full" "Layout", "_sub" "plot", "_hover" "data", "_full" "Data", "set" "Interval", "from dash" r"\._",
               "import dash" r"\._")
    pattern = re.compile("|".join(private))
    ours = [p for folder in ("layouts", "callbacks", "dashboard") for p in (REPO / folder).rglob("*")
            if p.suffix in (".py", ".js") and "vendor" not in p.parts]
    assert ours and not [str(p) for p in ours if pattern.search(p.read_text(encoding="utf-8"))]
