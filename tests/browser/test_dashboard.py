"""What a councillor or planner does on the Dresden dashboard, in headless Chromium."""

import json

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.dataset import load_dataset
from dashboard.formatting import fmt_fte
from dashboard.mapping import colour_codes, colour_spec, coverage_class
from dashboard.scenario import Assumptions, Calculator

from .helpers import (ARTIFACTS, MAP_READY_CSS, console_errors, dash_ready, format_log, map_area_count, map_area_ids,
                      map_drawn_indices, map_fill_colours, map_geometry_url, map_offset, map_paint, map_tooltip,
                      open_page, screenshot, wait_until, grid_column, click)

@pytest.fixture(scope="module")
def dresden():
    dataset = load_dataset("dresden")
    return dataset, Calculator(dataset)


@pytest.fixture(scope="module")
def server(live_server):
    return live_server("dresden")


def painted(chrome) -> list | None:
    """Palette indices the map last painted the areas with."""
    paint = map_paint(chrome)
    return paint["codes"] if paint else None


def load(chrome, url):
    open_page(chrome, url, MAP_READY_CSS)
    dash_ready(chrome)


def text_of(chrome, element_id: str) -> str:
    return chrome.find_element(By.ID, element_id).text


def test_default_view_shows_every_map_unit(chrome, server, dresden):
    dataset, calc = dresden
    load(chrome, server + "/")
    ids = wait_until(lambda: (r := map_drawn_indices(chrome)) and len(r) == 60 and r, 30, "60 rendered districts")
    assert ids == list(range(60))  # every area is drawn, from the cached geometry
    assert map_area_count(chrome) == 60
    assert map_area_ids(chrome) == dataset.district_order
    expected = calc.compute(Assumptions.defaults(dataset))
    classes = coverage_class(expected.table["coverage"]).tolist()
    wait_until(lambda: painted(chrome) == classes, 15, "areas painted with the core's coverage classes")
    palette = map_paint(chrome)["palette"]
    assert map_fill_colours(chrome) == [palette[c] for c in classes]  # what MapLibre draws
    legend = chrome.find_element(By.ID, "map-legend").text
    assert "unter 50 %" in legend and "keine Zielgruppe" in legend  # the class legend
    assert text_of(chrome, "summary-soll") == fmt_fte(expected.summary.soll_fte, "de")
    assert "Schätzung" in text_of(chrome, "summary-population")  # estimated residents are labelled
    assert "illustrativ" in text_of(chrome, "data-notes")
    screenshot(chrome, "default-view")
    errors = console_errors(chrome)  # nothing external is requested, so nothing may fail
    assert not errors, format_log(errors)


def test_ratio_slider_keys_change_map_and_summary(chrome, server, dresden):
    dataset, calc = dresden
    load(chrome, server + "/")
    before = wait_until(lambda: painted(chrome), 15, "first paint")
    thumb = chrome.find_element(By.CSS_SELECTOR, '[id*="ratio-slider"][id*="beratung"] [role="slider"]')
    assert thumb.get_attribute("aria-label").startswith("Zielwert Seniorenberatung")  # named for screen readers
    thumb.send_keys(Keys.HOME)  # the slider's minimum: 100 residents per post
    wait_until(lambda: thumb.get_attribute("aria-valuenow") == "100", 10, "slider at 100")
    thumb.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)  # two steps of 100 → 300
    expected = calc.compute(Assumptions.defaults(dataset).with_ratio("beratung", 300))
    wait_until(lambda: text_of(chrome, "summary-soll") == fmt_fte(expected.summary.soll_fte, "de"), 15,
               lambda: f"Soll {fmt_fte(expected.summary.soll_fte, 'de')} (shows {text_of(chrome, 'summary-soll')})")
    dash_ready(chrome)
    after = painted(chrome)
    assert after == coverage_class(expected.table["coverage"]).tolist()
    assert after != before
    assert "r.beratung=300" in chrome.current_url  # the address bar follows
    # what that move cost on the wire: the last update answer
    entries = chrome.execute_script(
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('_dash-update-component'))"
        ".map(e => ({transfer: e.transferSize, body: e.decodedBodySize, ms: e.duration}));")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "slider-responses.json").write_text(json.dumps(entries, indent=1))
    assert max(e["body"] for e in entries[-4:]) < 40_000  # values only, never the geometry (~150 KB)


def update_requests(chrome) -> int:
    return chrome.execute_script("return performance.getEntriesByType('resource')"
                                 ".filter(e => e.name.includes('_dash-update-component')).length;")


def test_one_request_per_key_press_and_sliders_follow_the_year(chrome, server, dresden):
    dataset, calc = dresden
    load(chrome, server + "/?year=2025")
    thumb = chrome.find_element(By.CSS_SELECTOR, '[id*="ratio-slider"][id*="beratung"] [role="slider"]')
    # table hidden: a key press is one request (the ratio sync runs in the browser)
    click(chrome, chrome.find_elements(By.CSS_SELECTOR, "#tabs .nav-link")[2])  # planned changes
    dash_ready(chrome)
    chrome.execute_script("performance.clearResourceTimings();")
    value = float(thumb.get_attribute("aria-valuenow"))
    thumb.send_keys(Keys.ARROW_RIGHT)
    moved = value + 100
    wait_until(lambda: f"r.beratung={moved:g}" in chrome.current_url, 15, "the address of the moved slider")
    dash_ready(chrome)
    assert update_requests(chrome) == 1
    # table shown: one more, for the block it shows
    click(chrome, chrome.find_elements(By.CSS_SELECTOR, "#tabs .nav-link")[0])
    dash_ready(chrome)
    chrome.execute_script("performance.clearResourceTimings();")
    thumb.send_keys(Keys.ARROW_RIGHT)
    wait_until(lambda: f"r.beratung={moved + 100:g}" in chrome.current_url, 15, "the address after the second press")
    dash_ready(chrome)
    assert update_requests(chrome) == 2
    # reset: the slider follows the milestones again, for the year shown
    reset = chrome.find_element(By.CSS_SELECTOR, '[id*="ratio-reset"][id*="beratung"]')
    click(chrome, reset)
    plan = calc.ratio(Assumptions.defaults(dataset, year=2025), "beratung")
    wait_until(lambda: float(thumb.get_attribute("aria-valuenow")) == plan, 15, f"the slider back at {plan:g}")
    wait_until(lambda: "r.beratung" not in chrome.current_url, 15, "no ratio in the address")
    assert not reset.is_enabled()
    errors = console_errors(chrome)
    assert not errors, format_log(errors)


def test_click_on_district_opens_detail(chrome, server, dresden):
    dataset, _ = dresden
    load(chrome, server + "/")
    wait_until(lambda: len(map_drawn_indices(chrome) or []) == 60, 30, "rendered districts")
    target = dataset.districts.set_index("district_id").loc["72"]  # Prohlis-Nord
    point = target.geometry.representative_point()
    canvas = chrome.find_element(By.CSS_SELECTOR, "#map canvas.maplibregl-canvas")
    ActionChains(chrome).move_to_element_with_offset(canvas, *map_offset(chrome, point.x, point.y)).click().perform()
    wait_until(lambda: target["name"] in chrome.find_element(By.ID, "detail").text, 15, "detail panel of Prohlis-Nord")
    panel = chrome.find_element(By.ID, "detail").text
    assert "Standorte" in panel
    index = dataset.district_order.index("72")
    outlined = lambda: chrome.execute_script(  # noqa: E731
        "return document.getElementById('map').areaMap.getFilter('areas-selected');")
    wait_until(lambda: outlined() == ["==", ["get", "i"], index], 10, "the selected area outlined")
    screenshot(chrome, "detail-panel")


def test_map_keyboard_and_basemap(chrome, server):
    load(chrome, server + "/")
    canvas = chrome.find_element(By.CSS_SELECTOR, "#map canvas.maplibregl-canvas")
    assert canvas.get_attribute("tabindex") == "0" and canvas.get_attribute("aria-label").startswith("Karte der Gebiete")
    zoom = lambda: chrome.execute_script("return document.getElementById('map').areaMap.getZoom();")  # noqa: E731
    before = zoom()
    canvas.send_keys("+")  # the focused map zooms in from the keyboard
    wait_until(lambda: zoom() > before + 0.5, 10, lambda: f"zoomed in (zoom {zoom()} from {before})")
    assert chrome.execute_script("return document.activeElement") == canvas
    assert chrome.execute_script("return getComputedStyle(arguments[0]).outlineStyle", canvas) == "solid"  # focus ring
    # the street map: tiles from the internet (this browser resolves no outside host, so they fail)
    chrome.find_element(By.CSS_SELECTOR, "#basemap input[value='osm']").click()
    visible = lambda: chrome.execute_script(  # noqa: E731
        "var m = document.getElementById('map').areaMap;"
        "return m.getLayer('osm') ? m.getLayoutProperty('osm', 'visibility') : null;")
    wait_until(lambda: visible() == "visible", 10, "OpenStreetMap tiles layer shown")
    tiles = chrome.execute_script("return document.getElementById('map').areaMap.getSource('osm').tiles;")
    assert tiles == ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"]
    chrome.find_element(By.CSS_SELECTOR, "#basemap input[value='none']").click()
    wait_until(lambda: visible() == "none", 10, "street map hidden again")
    # another level: new geometry and ids in the same map
    chrome.find_element(By.CSS_SELECTOR, "#level input[value='stadtbezirk']").click()
    wait_until(lambda: map_area_count(chrome) == 10, 20, "10 Stadtbezirke drawn")
    assert len(map_area_ids(chrome)) == 10 and len(map_paint(chrome)["codes"]) == 10
    assert "/geo/dresden/stadtbezirk.geojson" in map_geometry_url(chrome)


def test_english_switch(chrome, server):
    load(chrome, server + "/?year=2030")
    chrome.find_element(By.CSS_SELECTOR, "label[for='_dbcprivate_radioitems_lang_input_en']").click()
    wait_until(lambda: "All areas 2030" in chrome.find_element(By.ID, "summary").text, 15, "English summary")
    dash_ready(chrome)
    assert "Assumptions" in chrome.find_element(By.ID, "controls").text
    assert "lang=en" in chrome.current_url and "year=2030" in chrome.current_url
    assert "." not in text_of(chrome, "summary-soll").split(".")[0] or "," not in text_of(chrome, "summary-soll")


def test_url_restores_view(chrome, server, dresden):
    dataset, calc = dresden
    load(chrome, server + "/?level=stadtbezirk&year=2030&r.beratung=3000&measure=gap&lang=en")
    wait_until(lambda: map_area_count(chrome) == 10, 15, "10 Stadtbezirke drawn")
    assert len(map_area_ids(chrome)) == 10 and "/geo/dresden/stadtbezirk.geojson" in map_geometry_url(chrome)
    assert "All areas 2030" in chrome.find_element(By.ID, "summary").text
    thumb = chrome.find_element(By.CSS_SELECTOR, '[id*="ratio-slider"][id*="beratung"] [role="slider"]')
    assert thumb.get_attribute("aria-valuenow") == "3000"
    expected = calc.compute(Assumptions.defaults(dataset, year=2030, level="stadtbezirk").with_ratio("beratung", 3000))
    codes, palette = colour_codes(colour_spec(expected.table, "gap", "en"))
    assert map_paint(chrome)["codes"] == codes and map_paint(chrome)["palette"] == palette
    # the colour scale of the gap, named as the balance figure
    assert "Balance target − actual (posts)" in chrome.find_element(By.ID, "map-legend").text
    level = chrome.find_element(By.CSS_SELECTOR, "#level input[value='stadtbezirk']")
    assert level.is_selected()


def test_presentation_mode(chrome, server):
    load(chrome, server + "/?present=1")
    root = chrome.find_element(By.ID, "root")
    assert "presentation" in root.get_attribute("class")
    # a compact bar keeps service, year and ratios; the other assumptions wait for the full controls
    assert chrome.find_element(By.ID, "year").is_displayed() and chrome.find_element(By.ID, "service").is_displayed()
    assert not chrome.find_element(By.ID, "measure").is_displayed()
    legend_size = chrome.execute_script(
        "return parseFloat(getComputedStyle(document.getElementById('map-legend')).fontSize);")
    assert legend_size >= 18  # readable from the back of the room
    screenshot(chrome, "presentation-mode")
    chrome.find_element(By.ID, "present-toggle").click()
    wait_until(lambda: chrome.find_element(By.ID, "measure").is_displayed(), 10, "controls back")
    # the link follows when the server has answered (the controls come back before that)
    wait_until(lambda: "present=1" not in chrome.current_url, 10, "link without present=1")


def test_hover_label_follows_the_slider(chrome, server, dresden):
    dataset, calc = dresden
    load(chrome, server + "/")
    wait_until(lambda: painted(chrome), 15, "first paint")
    point = dataset.districts.set_index("district_id").loc["73"].geometry.representative_point()  # Reick
    canvas = chrome.find_element(By.CSS_SELECTOR, "#map canvas.maplibregl-canvas")
    ActionChains(chrome).move_to_element_with_offset(canvas, *map_offset(chrome, point.x, point.y)).perform()
    label = lambda: map_tooltip(chrome)  # noqa: E731
    soll = lambda ratio: fmt_fte(calc.compute(  # noqa: E731
        Assumptions.defaults(dataset).with_ratio("beratung", ratio)).table.loc["73", "soll_fte"], "de")
    wait_until(lambda: f"Soll (Stellen): {soll(4200)}" in label(), 10, lambda: f"hover label, shows {label()!r}")
    thumb = chrome.find_element(By.CSS_SELECTOR, '[id*="ratio-slider"][id*="beratung"] [role="slider"]')
    chrome.execute_script("arguments[0].dispatchEvent(new KeyboardEvent('keydown', {key: 'Home', bubbles: true}));",
                          thumb)  # the pointer stays on Reick; the ratio drops to 1 : 100
    wait_until(lambda: f"Soll (Stellen): {soll(100)}" in label(), 15, lambda: f"new figures, shows {label()!r}")
    # names and figures are shown as text: markup in them is never interpreted
    chrome.execute_script("""
        var e = document.getElementById('map');
        window.dash_clientside.set_props('map', {tooltip: {id: '73', version: e.areaPaint.version,
            title: '<img src=x id=injected>', lines: ['<b>bold</b>']}});""")
    wait_until(lambda: "<img src=x id=injected>" in label(), 10, lambda: f"the title as text, shows {label()!r}")
    assert "<b>bold</b>" in label() and not chrome.find_elements(By.CSS_SELECTOR, "#injected, #map .caregap-areamap-tip b")


def test_table_pages_sorts_and_opens_detail(chrome, server, dresden):
    dataset, calc = dresden
    load(chrome, server + "/?r.beratung=1500")
    result = calc.compute(Assumptions.defaults(dataset).with_ratio("beratung", 1500))
    by_gap = result.table.sort_values("gap_fte", ascending=False, kind="stable")["name"].tolist()
    # the server sends one page of 25 rows, largest shortfall first
    wait_until(lambda: grid_column(chrome, "name") == by_gap[:25], 30,
               lambda: f"the first page by gap, shows {grid_column(chrome, 'name')}")
    click(chrome, chrome.find_element(By.CSS_SELECTOR, "#table .ag-paging-button[aria-label='Next Page']"))
    wait_until(lambda: grid_column(chrome, "name") == by_gap[25:50], 30, "the second page")
    # a click on a header sorts on the server (by name, ascending)
    click(chrome, chrome.find_element(By.CSS_SELECTOR, "#table .ag-header-cell[col-id='name'] .ag-header-cell-label"))
    by_name = result.table.sort_values("name", kind="stable")["name"].tolist()
    wait_until(lambda: grid_column(chrome, "name") == by_name[:25], 30,
               lambda: f"sorted by name, shows {grid_column(chrome, 'name')}")
    # a key press on a ratio slider refreshes the block shown
    soll = lambda: grid_column(chrome, "soll_fte")  # noqa: E731
    before = soll()
    chrome.find_element(By.CSS_SELECTOR, "#controls [role='slider']").send_keys(Keys.ARROW_RIGHT)
    wait_until(lambda: soll() != before, 30, "new Soll values after the key press")
    # a click on a row opens its detail panel
    first = chrome.find_element(By.CSS_SELECTOR, "#table .ag-row[row-index='0'] [col-id='name']")
    name = first.text
    click(chrome, first)
    wait_until(lambda: name in chrome.find_element(By.ID, "detail").text, 15, "the detail panel of the clicked row")
    # by keyboard: the arrow keys move between cells, Space chooses the row
    second = grid_column(chrome, "name")[1]
    click(chrome, chrome.find_element(By.CSS_SELECTOR, "#detail .btn-close"))
    first = chrome.find_element(By.CSS_SELECTOR, "#table .ag-row[row-index='0'] [col-id='name']")
    # focus the cell without a click: a click would also open its row, and that answer could arrive last
    chrome.execute_script("arguments[0].focus()", first)
    ActionChains(chrome).send_keys(Keys.ARROW_DOWN).send_keys(Keys.SPACE).perform()
    wait_until(lambda: second in chrome.find_element(By.ID, "detail").text, 15, "the detail panel of the chosen row")
    errors = console_errors(chrome)
    assert not errors, format_log(errors)
