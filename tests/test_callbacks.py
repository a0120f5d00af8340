"""Callbacks called directly: given widget values, the Patch, rows and texts they return."""

import json

import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict

from callbacks.changes import edit_changes
from callbacks.detail import show_detail
from callbacks.page import render_page, switch_language_or_dataset
from callbacks.ratios import sync_ratios
from callbacks.update import update, update_tabs
from dashboard.loaded import loaded
from dashboard.mapping import coverage_class
from dashboard.scenario import Assumptions
from layouts.page import create_app

from .conftest import FIXTURES

TINY = str(FIXTURES / "tiny")


@pytest.fixture(scope="module")
def app():
    return create_app(TINY)


@pytest.fixture
def request_ctx(app):
    with app.server.test_request_context("/"):
        yield


def triggered(prop_id: str, value=None):
    context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop_id, "value": value}],
                                    inputs_list=[], states_list=[], outputs_list=[]))


def texts(component) -> list[str]:
    """All strings in a component tree (children and labels)."""
    found = []
    def walk(node):
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, (list, tuple)):
            for n in node:
                walk(n)
        elif hasattr(node, "to_plotly_json"):
            props = node.to_plotly_json()["props"]
            for key in ("children", "label", "title"):
                if key in props:
                    walk(props[key])
    walk(component)
    return found


# the control values in the order of callbacks.update.CONTROLS
BASE = dict(service="beratung", measure="coverage", level="ortsteil", year=2025, overrides={}, rule="60+",
            between="hold", cost=75000, wage=0, changes=[], basemap="none", present=False)


def run_update(query="", **changes):
    """The map path: (paint, geometry, area ids, basemap, legend, summary, alert, query)."""
    values = {**BASE, **changes}
    return update(*values.values(), query)


def run_tabs(tab, query="", **changes):
    values = {**BASE, **changes}
    return update_tabs(*values.values(), tab, query)


def test_render_page_follows_the_link(request_ctx):
    page, query = render_page("/", "?level=bezirk&lang=en&year=2026&r.beratung=1000")
    words = texts(page)
    assert "All areas 2026" in words and "Assumptions" in words
    assert query == "level=bezirk&year=2026&r.beratung=1000&lang=en"


def test_slider_move_sends_paint_not_shapes(request_ctx):
    triggered("ratio-overrides.data")
    paint, geometry, area_ids, basemap, legend, summary, alert, query = run_update(overrides={"beratung": 1000})
    # coverage with 1 : 1000: A 1.0/3.0 → 33 % (class 0), B 3.0/5.0 → 60 % (class 1), C 0 % (class 0)
    assert paint["codes"] == [0, 1, 0] and paint["palette"][0] == "#b2182b"
    # the map keeps its shapes, ids, basemap and class legend
    assert all(x.__class__.__name__ == "NoUpdate" for x in (geometry, area_ids, basemap, legend))
    assert "9,00" in texts(summary)  # Soll 9.00 for the city
    assert query == "r.beratung=1000" and paint["version"] == query
    assert set(paint) == {"codes", "palette", "version"}  # hover figures come per hovered area
    assert len(json.dumps(paint)) < 400  # a few hundred bytes, never the geometry


def test_hover_figures_of_one_area(request_ctx):
    from callbacks.update import hover_figures
    answer = hover_figures({"id": "A", "version": "r.beratung=1000"})
    assert answer["id"] == "A" and answer["version"] == "r.beratung=1000" and answer["title"] == "Altdorf"
    # A with 1 : 1000: 3000 residents, Soll 3.00, Ist 1.00, gap +2.00, 33 %, 3,000 per post
    assert answer["lines"] == ["Zielgruppe: 3.000", "Soll (Stellen): 3,00", "Ist (Stellen): 1,00",
                               "Lücke (Stellen): +2,00", "Deckungsgrad: 33 %", "Einwohner je Stelle: 3.000"]
    assert "(Prognose)" in hover_figures({"id": "C", "version": "year=2026"})["lines"][0]
    assert hover_figures({"id": "Z", "version": ""}).__class__.__name__ == "NoUpdate"
    assert hover_figures(None).__class__.__name__ == "NoUpdate"  # the pointer left the areas


def test_table_rows_in_their_own_request(request_ctx):
    triggered("ratio-overrides.data")
    rows, trend = run_tabs("tab-table", overrides={"beratung": 1000})
    assert [r["soll_fte"] for r in rows] == [3.0, 5.0, 1.0] and trend.__class__.__name__ == "NoUpdate"
    rows, trend = run_tabs("tab-trend")
    assert rows.__class__.__name__ == "NoUpdate" and trend["data"][1]["y"] == [4.5, 4.75]
    for hidden in ("tab-changes", "tab-scenarios"):  # nothing is computed for a tab nobody sees
        assert all(x.__class__.__name__ == "NoUpdate" for x in run_tabs(hidden))


def test_values_match_the_core(request_ctx):
    item = loaded(TINY)
    triggered("year.value")
    paint, *_ = run_update(year=2026)
    core = item.calculator.compute(Assumptions.defaults(item.dataset, year=2026))
    assert paint["codes"] == coverage_class(core.table["coverage"]).tolist()


def test_level_switch_sends_new_locations(request_ctx):
    triggered("level.value")
    paint, geometry, area_ids, *_ = run_update(level="bezirk")
    assert area_ids == ["Nord", "Süd"]
    assert geometry.startswith("/geo/tiny/bezirk.geojson?v=")
    assert len(paint["codes"]) == 2


def test_continuous_measure_updates_the_legend(request_ctx):
    triggered("ratio-overrides.data")
    paint, *_, legend, _, _, _ = run_update(measure="gap", overrides={"beratung": 1000})
    assert texts(legend)[-2:] == ["-2,0", "2,0"]  # the scale's ends: symmetric around 0
    assert len(paint["palette"]) == 64


def test_impossible_change_shows_message(request_ctx):
    triggered("fte-changes.data")
    out = run_update(changes=[{"district_id": "A", "service": "beratung", "year_from": 2025, "delta_fte": -5.0, "note": ""}])
    assert "remove" in str(out[6])
    assert out[0].__class__.__name__ == "NoUpdate"


def test_ratio_sliders_follow_milestones_until_moved(request_ctx):
    query = ""
    context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "year.value", "value": 2027}],
                                    inputs_list=[None, None, [{"id": {"type": "ratio-slider", "service": "beratung"}},
                                                              {"id": {"type": "ratio-slider", "service": "begegnung"}}]]))
    values, disabled, overrides = sync_ratios(2027, "hold", [2000, 2500], [None, None], {}, query)
    assert values == [1000.0, 2500.0] and disabled == [True, True] and overrides == {}
    context_value.set(AttributeDict(triggered_inputs=[{"prop_id": '{"service":"beratung","type":"ratio-slider"}.value'}],
                                    inputs_list=[None, None, [{"id": {"type": "ratio-slider", "service": "beratung"}},
                                                              {"id": {"type": "ratio-slider", "service": "begegnung"}}]]))
    values, disabled, overrides = sync_ratios(2027, "hold", [1800, 2500], [None, None], {}, query)
    assert values == [1800.0, 2500.0] and disabled == [False, True] and overrides == {"beratung": 1800.0}


def test_language_switch_keeps_the_view(request_ctx):
    triggered("lang.value")
    assert switch_language_or_dataset("en", "tiny", "level=bezirk") == "?level=bezirk&lang=en"


def test_add_and_remove_planned_change(request_ctx):
    triggered("change-add.n_clicks")
    data, listing = edit_changes(1, [], "C", "beratung", 2026, 0.5, [], "")
    assert data == [{"district_id": "C", "service": "beratung", "year_from": 2026, "delta_fte": 0.5, "note": ""}]
    assert "Cunnersdorf: +0,50 Stellen Seniorenberatung ab 2026" in texts(listing)
    triggered('{"index":0,"type":"change-remove"}.n_clicks')
    data, listing = edit_changes(1, [1], None, None, None, None, data, "")
    assert data == [] and "Noch keine Änderungen geplant." in texts(listing)


def test_click_opens_detail(request_ctx):
    triggered("map.click_area")
    is_open, title, body, selected = show_detail({"id": "B", "n": 1}, None, "year=2026", False, None)
    assert (is_open, title, selected) == (True, "Bergheim", "B")
    words = texts(body)
    assert "Neue Beratung Bergheim" in words and "illustrativ" in words  # S3 runs from 2026
    assert "Beratung Bergheim" not in words  # S2 ended in 2025


def test_download_handout_and_table(request_ctx):
    from callbacks.downloads import download
    triggered("download-csv.n_clicks", 1)
    data, status = download(1, None, None, None, "year=2026")
    assert data["filename"] == "caregap-tiny-beratung-2026.csv" and status == ""
    import base64
    text = base64.b64decode(data["content"]).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Gebiet;") or ";" in text.splitlines()[0]
    assert "Cunnersdorf" in text
