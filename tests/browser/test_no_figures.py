"""An area whose counts are all missing: imported on the page, then grey on the map with "keine Angabe"."""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from dashboard.measures import NO_FIGURES_COLOUR

from .helpers import (click, console_errors, format_log, map_area_ids, map_fill_colours, map_offset, map_paint,
                      map_tooltip, screenshot, wait_until)
from .test_import import save_and_open_map, upload_official


def test_an_area_without_figures_is_grey_and_says_keine_angabe(chrome, live_server, tmp_path):
    from tests.importer import official

    # areas 3 and 4 have no figure at all
    upload_official(chrome, live_server("dresden"), tmp_path, official.with_markers(tmp_path, partly=False))
    chrome.find_element(By.ID, "import-id").send_keys("ohnezahlen")
    click(chrome, chrome.find_element(By.ID, "import-check"))
    wait_until(lambda: "Keine Fehler gefunden: 4 Gebiete" in chrome.find_element(By.ID, "import-result").text, 60,
               "a report without errors")
    report = chrome.find_element(By.ID, "import-report-body").text
    assert ("2 Gebiet(e) ohne Zahlen in allen Altersspalten, übernommen als „keine Angabe“: 01011103 (Lützowstraße), "
            "01011104 (Körnerstraße)") in report
    save_and_open_map(chrome, 4)  # all 4 areas drawn, those without figures too

    # painted grey (their own palette entry), the others not; the legend names the grey
    ids = map_area_ids(chrome)
    wait_until(lambda: map_paint(chrome), 15, "first paint")
    paint = map_paint(chrome)
    colours = {area: paint["palette"][code] for area, code in zip(ids, paint["codes"])}
    assert [area for area, colour in colours.items() if colour == NO_FIGURES_COLOUR] == ["01011103", "01011104"]
    assert map_fill_colours(chrome) == [paint["palette"][c] for c in paint["codes"]]  # what MapLibre draws
    assert "keine Angabe (Einwohnerzahlen fehlen)" in chrome.find_element(By.ID, "map-legend").text

    # the tooltip and the detail panel say "keine Angabe", never 0
    x, y = official.AREAS[3][2] + 0.005, official.AREAS[3][3] + 0.005  # the middle of Körnerstraße
    canvas = chrome.find_element(By.CSS_SELECTOR, "#map canvas.maplibregl-canvas")
    ActionChains(chrome).move_to_element_with_offset(canvas, *map_offset(chrome, x, y)).perform()
    wait_until(lambda: "Zielgruppe: keine Angabe" in map_tooltip(chrome), 15,
               lambda: f"the tooltip of Körnerstraße, shows {map_tooltip(chrome)!r}")
    assert "Deckungsgrad: keine Angabe" in map_tooltip(chrome)
    ActionChains(chrome).move_to_element_with_offset(canvas, *map_offset(chrome, x, y)).click().perform()
    wait_until(lambda: "Körnerstraße" in chrome.find_element(By.ID, "detail").text, 15, "the detail panel")
    panel = chrome.find_element(By.ID, "detail").text
    assert "Zielgruppe" in panel and "keine Angabe" in panel
    screenshot(chrome, "no-figures")
    errors = console_errors(chrome)
    assert not errors, format_log(errors)
