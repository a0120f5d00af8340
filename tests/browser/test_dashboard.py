"""What a councillor or planner does on the Dresden dashboard, in headless Chromium."""

import json

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.dataset import load_dataset
from dashboard.formatting import fmt_fte
from dashboard.mapping import coverage_class
from dashboard.scenario import Assumptions, Calculator

from .helpers import ARTIFACTS, console_errors, dash_ready, format_log, open_page, screenshot, wait_until

MAP_JS = "return document.querySelector('#map .js-plotly-plot');"
RENDERED_IDS_JS = """
var gd = document.querySelector('#map .js-plotly-plot');
if (!gd || !gd._fullLayout.map) return null;
var m = gd._fullLayout.map._subplot.map;
if (!m.getSource('caregap-areas')) return null;
var ids = new Set();
m.querySourceFeatures('caregap-areas').forEach(function (f) { ids.add(f.properties.i); });
return Array.from(ids).sort(function (a, b) { return a - b; });
"""


@pytest.fixture(scope="module")
def dresden():
    dataset = load_dataset("dresden")
    return dataset, Calculator(dataset)


@pytest.fixture(scope="module")
def server(live_server):
    return live_server("dresden")


def trace(chrome) -> dict:
    return chrome.execute_script("var gd = document.querySelector('#map .js-plotly-plot');"
                                 "var t = gd.data[0]; return {z: t.z, locations: t.locations, geojson: t.geojson};")


def painted(chrome) -> list | None:
    """Palette indices the browser last painted the areas with (see layouts/assets/caregap.js)."""
    return chrome.execute_script("var gd = document.querySelector('#map .js-plotly-plot');"
                                 "return gd && gd.__caregapPaint ? gd.__caregapPaint.codes : null;")


def fill_colours(chrome) -> list:
    """The colour MapLibre holds for each area (feature-state), in the level's order."""
    return chrome.execute_script(
        "var gd = document.querySelector('#map .js-plotly-plot'); var m = gd._fullLayout.map._subplot.map;"
        "return gd.__caregapPaint.codes.map(function (_, i) {"
        "  return (m.getFeatureState({source: 'caregap-areas', id: i}) || {}).c || null; });")


def load(chrome, url):
    open_page(chrome, url, "#map .js-plotly-plot")
    dash_ready(chrome)


def text_of(chrome, element_id: str) -> str:
    return chrome.find_element(By.ID, element_id).text


def test_default_view_shows_every_map_unit(chrome, server, dresden):
    dataset, calc = dresden
    load(chrome, server + "/")
    ids = wait_until(lambda: (r := chrome.execute_script(RENDERED_IDS_JS)) and len(r) == 60 and r, 30,
                     "60 rendered districts")
    assert ids == list(range(60))  # every area is drawn, from the cached geometry
    assert trace(chrome)["locations"] == dataset.district_order
    expected = calc.compute(Assumptions.defaults(dataset))
    classes = coverage_class(expected.table["coverage"]).tolist()
    wait_until(lambda: painted(chrome) == classes, 15, "areas painted with the core's coverage classes")
    palette = chrome.execute_script("return document.querySelector('#map .js-plotly-plot').__caregapPaint.palette;")
    assert fill_colours(chrome) == [palette[c] for c in classes]  # what MapLibre draws
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


def test_click_on_district_opens_detail(chrome, server, dresden):
    dataset, _ = dresden
    load(chrome, server + "/")
    wait_until(lambda: len(chrome.execute_script(RENDERED_IDS_JS) or []) == 60, 30, "rendered districts")
    target = dataset.districts.set_index("district_id").loc["72"]  # Prohlis-Nord
    point = target.geometry.representative_point()
    xy = chrome.execute_script(
        "var gd = document.querySelector('#map .js-plotly-plot'); var m = gd._fullLayout.map._subplot.map;"
        "var p = m.project([arguments[0], arguments[1]]); var r = m.getCanvas().getBoundingClientRect();"
        "return [p.x - r.width / 2, p.y - r.height / 2];", point.x, point.y)
    canvas = chrome.find_element(By.CSS_SELECTOR, "#map canvas.maplibregl-canvas")
    ActionChains(chrome).move_to_element_with_offset(canvas, int(xy[0]), int(xy[1])).click().perform()
    wait_until(lambda: target["name"] in chrome.find_element(By.ID, "detail").text, 15, "detail panel of Prohlis-Nord")
    panel = chrome.find_element(By.ID, "detail").text
    assert "Standorte" in panel
    screenshot(chrome, "detail-panel")


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
    t = trace(chrome)
    assert len(t["locations"]) == 10 and "/geo/dresden/stadtbezirk.geojson" in t["geojson"]
    assert "All areas 2030" in chrome.find_element(By.ID, "summary").text
    thumb = chrome.find_element(By.CSS_SELECTOR, '[id*="ratio-slider"][id*="beratung"] [role="slider"]')
    assert thumb.get_attribute("aria-valuenow") == "3000"
    expected = calc.compute(Assumptions.defaults(dataset, year=2030, level="stadtbezirk").with_ratio("beratung", 3000))
    assert t["z"] == pytest.approx(expected.table["gap_fte"].round(3).tolist())
    level = chrome.find_element(By.CSS_SELECTOR, "#level input[value='stadtbezirk']")
    assert level.is_selected()


def test_presentation_mode(chrome, server):
    load(chrome, server + "/?present=1")
    root = chrome.find_element(By.ID, "root")
    assert "presentation" in root.get_attribute("class")
    assert not chrome.find_element(By.ID, "controls-col").is_displayed()
    value_size = chrome.execute_script(
        "return parseFloat(getComputedStyle(document.getElementById('summary-soll')).fontSize);")
    assert value_size >= 30  # large type for a projector
    screenshot(chrome, "presentation-mode")
    chrome.find_element(By.ID, "present-toggle").click()
    wait_until(lambda: chrome.find_element(By.ID, "controls-col").is_displayed(), 10, "controls back")
    assert "present=1" not in chrome.current_url


def test_hover_label_follows_the_slider(chrome, server, dresden):
    dataset, calc = dresden
    load(chrome, server + "/")
    wait_until(lambda: painted(chrome), 15, "first paint")
    point = dataset.districts.set_index("district_id").loc["73"].geometry.representative_point()  # Reick
    xy = chrome.execute_script(
        "var gd = document.querySelector('#map .js-plotly-plot'); var m = gd._fullLayout.map._subplot.map;"
        "var p = m.project([arguments[0], arguments[1]]); var r = m.getCanvas().getBoundingClientRect();"
        "return [p.x - r.width / 2, p.y - r.height / 2];", point.x, point.y)
    canvas = chrome.find_element(By.CSS_SELECTOR, "#map canvas.maplibregl-canvas")
    ActionChains(chrome).move_to_element_with_offset(canvas, int(xy[0]), int(xy[1])).perform()
    label = lambda: chrome.execute_script(  # noqa: E731
        "var h = document.querySelector('#map .hoverlayer'); return h ? h.textContent : '';")
    soll = lambda ratio: fmt_fte(calc.compute(  # noqa: E731
        Assumptions.defaults(dataset).with_ratio("beratung", ratio)).table.loc["73", "soll_fte"], "de")
    wait_until(lambda: f"Soll (Stellen): {soll(4200)}" in label(), 10, lambda: f"hover label, shows {label()!r}")
    thumb = chrome.find_element(By.CSS_SELECTOR, '[id*="ratio-slider"][id*="beratung"] [role="slider"]')
    chrome.execute_script("arguments[0].dispatchEvent(new KeyboardEvent('keydown', {key: 'Home', bubbles: true}));",
                          thumb)  # the pointer stays on Reick; the ratio drops to 1 : 100
    wait_until(lambda: f"Soll (Stellen): {soll(100)}" in label(), 15, lambda: f"new figures, shows {label()!r}")


def test_table_at_ratios_that_once_froze_the_page(chrome, server):
    # a virtually scrolled table with fixed headers looped forever at 1 : 1,500 and 1 : 1,550
    for ratio in (1500, 1550):
        load(chrome, server + f"/?r.beratung={ratio}")
        assert len(chrome.find_elements(By.CSS_SELECTOR, "#table tr")) == 51  # header + one page of 50
        errors = console_errors(chrome)
        assert not errors, format_log(errors)
