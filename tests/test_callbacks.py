"""Callbacks' plain functions called directly: given widget values (and which widget fired), the
Patch, rows and texts they return. Only a request context of the app is needed (the datasets and
the scenario store it serves)."""

import base64
import json

import pytest

from app import create_app
from callbacks.changes import edit_changes
from callbacks.detail import show_detail
from callbacks.page import render_page, switch_language_or_dataset
from callbacks.downloads import download
from callbacks.update import hover_figures, table_block, trend_chart, update
from dashboard.loaded import loaded
from dashboard.mapping import coverage_class
from dashboard.ratios import ratio_table
from dashboard.scenario import Assumptions
from layouts import ids

from .conftest import FIXTURES

TINY = str(FIXTURES / "tiny")


@pytest.fixture(scope="module")
def app():
    return create_app(TINY)


@pytest.fixture
def request_ctx(app):
    with app.server.test_request_context("/"):
        yield


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


def run_update(trigger, query="", **changes):
    """The map path after the widget `trigger` changed: (paint, geometry, area ids, basemap, legend,
    summary, alert, query)."""
    values = {**BASE, **changes}
    return update(trigger, tuple(values.values()), query)


def test_render_page_follows_the_link(request_ctx):
    page, query = render_page("/", "?level=bezirk&lang=en&year=2026&r.beratung=1000")
    words = texts(page)
    assert "All areas 2026" in words and "Assumptions" in words
    assert query == "level=bezirk&year=2026&r.beratung=1000&lang=en"


def test_slider_move_sends_paint_not_shapes(request_ctx):
    paint, geometry, area_ids, basemap, legend, summary, alert, query = run_update(ids.RATIO_OVERRIDES,
                                                                                   overrides={"beratung": 1000})
    # coverage with 1 : 1000: A 1.0/3.0 → 33 % (class 0), B 3.0/5.0 → 60 % (class 1), C 0 % (class 0)
    assert paint["codes"] == [0, 1, 0] and paint["palette"][0] == "#b2182b"
    # the map keeps its shapes, ids, basemap and class legend
    assert all(x.__class__.__name__ == "NoUpdate" for x in (geometry, area_ids, basemap, legend))
    assert "9,00" in texts(summary)  # Soll 9.00 for the city
    assert query == "r.beratung=1000" and paint["version"] == query
    assert set(paint) == {"codes", "palette", "version"}  # hover figures come per hovered area
    assert len(json.dumps(paint)) < 400  # a few hundred bytes, never the geometry


def test_hover_figures_of_one_area(request_ctx):
    answer = hover_figures({"id": "A", "version": "r.beratung=1000"})
    assert answer["id"] == "A" and answer["version"] == "r.beratung=1000" and answer["title"] == "Altdorf"
    # A with 1 : 1000: 3000 residents, Soll 3.00, Ist 1.00, gap +2.00, 33 %, 3,000 per post, 3.33 per 10,000
    assert answer["lines"] == ["Zielgruppe: 3.000", "Soll (Stellen): 3,00", "Ist (Stellen): 1,00",
                               "Lücke (Stellen): +2,00", "Deckungsgrad: 33 %", "Einwohner je Stelle: 3.000",
                               "Stellen je 10.000 Einwohner: 3,33"]
    assert "(Prognose)" in hover_figures({"id": "C", "version": "year=2026"})["lines"][0]
    assert hover_figures({"id": "Z", "version": ""}).__class__.__name__ == "NoUpdate"
    assert hover_figures(None).__class__.__name__ == "NoUpdate"  # the pointer left the areas


def test_table_block_in_its_own_request(request_ctx):
    # the grid asks for rows 0–2 sorted by Soll, in the view the last answer named (1 : 1000)
    request = {"startRow": 0, "endRow": 2, "sortModel": [{"colId": "soll_fte", "sort": "asc"}], "filterModel": {}}
    answer = table_block(request, "r.beratung=1000")
    assert answer["rowCount"] == 3 and [r["id"] for r in answer["rowData"]] == ["C", "A"]
    assert [r["soll_fte"] for r in answer["rowData"]] == ["1,00", "3,00"]  # German numbers
    assert answer["rowData"][1]["alerts"] == ["gap_fte", "coverage"]  # A: gap +2.00, 33 % in red
    shown = table_block({**request, "filterModel": {"name": {"filterType": "text", "type": "contains", "filter": "berg"}}},
                        "r.beratung=1000&lang=en")
    assert shown["rowCount"] == 1 and shown["rowData"][0]["name"] == "Bergheim"
    assert shown["rowData"][0]["soll_fte"] == "5.00"
    assert table_block(None, "").__class__.__name__ == "NoUpdate"  # the grid has not asked yet
    assert trend_chart("").__class__.__name__ == "NoUpdate"  # the trend tab was never shown
    assert trend_chart("year=2025").figure["data"][1]["y"] == [4.5, 4.75]  # drawn when its tab opens


def test_values_match_the_core(request_ctx):
    item = loaded(TINY)
    paint, *_ = run_update(ids.YEAR, year=2026)
    core = item.calculator.compute(Assumptions.defaults(item.dataset, year=2026))
    assert paint["codes"] == coverage_class(core.table["coverage"]).tolist()
    assert item.service_labels("en") == {"beratung": "Senior counselling", "begegnung": "Senior meeting centres"}


def test_level_switch_sends_new_locations(request_ctx):
    paint, geometry, area_ids, *_ = run_update(ids.LEVEL, level="bezirk")
    assert area_ids == ["Nord", "Süd"]
    assert geometry.startswith("/geo/tiny/bezirk.geojson?v=")
    assert len(paint["codes"]) == 2


def test_continuous_measure_updates_the_legend(request_ctx):
    paint, *_, legend, _, _, _ = run_update(ids.RATIO_OVERRIDES, measure="gap", overrides={"beratung": 1000})
    assert texts(legend)[-2:] == ["-2,0", "2,0"]  # the scale's ends: symmetric around 0
    assert len(paint["palette"]) == 64


def test_impossible_change_shows_message(request_ctx):
    out = run_update(ids.FTE_CHANGES, changes=[{"district_id": "A", "service": "beratung", "year_from": 2025, "delta_fte": -5.0, "note": ""}])
    # in the page's language, with its numbers: A has 1.00 post in 2025
    assert "nehmen 5,00 Stellen (beratung) aus Gebiet A im Jahr 2025, das nur 1,00 hat" in str(out[6])
    assert out[0].__class__.__name__ == "NoUpdate"


def test_ratio_sliders_follow_milestones_until_moved():
    # what the sliders show until moved (looked up in the browser): 4200 in 2025, 2500 from 2030;
    # 2027 holds 4200 or moves 2/5 of the way: 4200 - 1700 * 2 / 5 = 3520
    table = ratio_table({"beratung": {2025: 4200, 2030: 2500}}, [2025, 2027, 2031], ("hold", "linear"))
    assert table["hold"] == {"2025": {"beratung": 4200}, "2027": {"beratung": 4200}, "2031": {"beratung": 2500}}
    assert table["linear"]["2027"] == {"beratung": 3520.0}


def test_language_switch_keeps_the_view(request_ctx):
    assert switch_language_or_dataset(ids.LANG, "en", "tiny", "level=bezirk") == "?level=bezirk&lang=en"
    assert switch_language_or_dataset(ids.LANG, "de", "tiny", "level=bezirk").__class__.__name__ == "NoUpdate"
    assert switch_language_or_dataset(ids.DATASET_PICKER, "en", "other", "lang=en") == "?dataset=other&lang=en"


def test_add_and_remove_planned_change(request_ctx):
    data, listing = edit_changes(ids.CHANGE_ADD, 1, [], "C", "beratung", 2026, 0.5, [], "")
    assert data == [{"district_id": "C", "service": "beratung", "year_from": 2026, "delta_fte": 0.5, "note": ""}]
    assert "Cunnersdorf: +0,50 Stellen Seniorenberatung ab 2026" in texts(listing)
    removed = {"index": 0, "type": ids.CHANGE_REMOVE_TYPE}
    data, listing = edit_changes(removed, 1, [1], None, None, None, None, data, "")
    assert data == [] and "Noch keine Änderungen geplant." in texts(listing)


def test_click_opens_detail(request_ctx):
    is_open, title, body, selected = show_detail(ids.MAP, {"id": "B", "n": 1}, None, "year=2026", False, None)
    assert (is_open, title, selected) == (True, "Bergheim", "B")
    words = texts(body)
    assert "Neue Beratung Bergheim" in words and "illustrativ" in words  # S3 runs from 2026
    assert "Beratung Bergheim" not in words  # S2 ended in 2025
    # under the dataset's rule (own) Bergheim's posts are its site's: S3 gives all 1.5 of them
    assert "Versorgt von" in words and "Seniorenberatung: 1,50 · 100 % der hier erreichbaren · Verein B" in words


def test_detail_lists_the_sites_serving_an_area_with_their_shares(request_ctx):
    _, _, body, _ = show_detail(ids.MAP, {"id": "C", "n": 1}, None, "year=2026&catch=distance&radius=50", False, None)
    words = texts(body)
    assert "Keine Standorte in diesem Gebiet." in words  # none stands in Cunnersdorf …
    assert "Versorgt von" in words and "Keine Stellen erreichen dieses Gebiet." not in words  # … but posts reach it


def test_download_handout_and_table(request_ctx):
    data, status = download("csv", "year=2026")
    assert data["filename"] == "caregap-tiny-beratung-2026.csv" and status == ""
    text = base64.b64decode(data["content"]).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Gebiet;") or ";" in text.splitlines()[0]
    assert "Cunnersdorf" in text
    assert all(x.__class__.__name__ == "NoUpdate" for x in download(None, "year=2026"))  # nothing clicked


def test_upload_is_staged_and_a_form_without_files_is_refused(request_ctx):
    from callbacks.importer import UPLOAD_ROLES, check_import, receive_upload, start_session
    session = start_session(None)
    contents = [None] * len(UPLOAD_ROLES)
    names = [None] * len(UPLOAD_ROLES)
    position = UPLOAD_ROLES.index("population")
    contents[position] = "data:text/csv;base64," + base64.b64encode(b"id;age;count\nA;60;10\n").decode()
    names[position] = "bevoelkerung.csv"
    files, *statuses = receive_upload(ids.upload("population"), contents, names, {}, session, "?lang=en")
    assert files["population"]["name"] == "bevoelkerung.csv"
    assert texts(statuses[position]) == ["uploaded: bevoelkerung.csv"]
    assert all(s.__class__.__name__ == "NoUpdate" for i, s in enumerate(statuses) if i != position)
    report, checked, disabled = check_import(1, files, {}, "mine", "", "", "", 75000, [], session, "?lang=en")
    assert (checked, disabled) == (None, True)  # boundaries and sites are missing: nothing to save
    assert texts(report) == ["Please upload boundaries, residents and sites first."]


def test_save_a_scenario_and_open_it_by_its_link(request_ctx):
    from callbacks.scenarios import act_on_scenario
    assert all(x.__class__.__name__ == "NoUpdate" for x in act_on_scenario(None, "Plan", "", None, ""))  # no click
    out = act_on_scenario(ids.SCENARIO_SAVE_NEW, "Plan 2026", "", None, "year=2026&lang=en")
    feedback, query, name, compare_b = out[0], out[3], out[8], out[11]
    assert texts(feedback) == ["Saved: “Plan 2026”."]
    assert name == "Plan 2026" and query == f"scenario={compare_b}&lang=en"


def test_provider_tab_shows_the_table(request_ctx):
    from callbacks.providers import show_providers
    assert show_providers(ids.TAB_TABLE, "year=2026").__class__.__name__ == "NoUpdate"
    words = texts(show_providers(ids.TAB_PROVIDERS, "year=2026"))
    assert words[:5] == ["Träger", "Planungsbereiche", "Stellen", "Soll", "Lücke"]
    assert ["Verein B", "Bergheim", "1,50", "2,50", "+1,00"] == words[5:10]
    assert "(kein Träger)" in words


def test_initial_layout_holds_the_page_of_the_address(app):
    from app import initial_layout

    # the page's script fetches the layout; the Referer names the address the browser is at
    with app.server.test_request_context("/_dash-layout", headers={"Referer": "http://localhost/?year=2026&lang=en"},
                                         base_url="http://localhost"):
        layout = initial_layout()
    location, query, page = layout.children
    assert (location.pathname, location.search) == ("/", "?year=2026&lang=en")
    assert query.data == "year=2026&lang=en" and "All areas 2026" in texts(page.children)
    # without it the page is left to the page callback (the address component reports it on mounting)
    with app.server.test_request_context("/_dash-layout"):
        location, query, page = initial_layout().children
    assert page.children is None and query.data is None and getattr(location, "search", None) is None
