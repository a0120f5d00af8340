"""A planner from another city brings messy files, sees what is wrong, fixes it and opens the map."""

from selenium.webdriver.common.by import By

from .helpers import (FIXTURES, MAP_READY_CSS, click, console_errors, dash_ready, format_log, map_drawn_indices,
                      open_page, screenshot, wait_until)

MESSY = FIXTURES / "messy"


def upload(chrome, role, path):
    field = chrome.find_element(By.CSS_SELECTOR, f"#upload-{role} input[type=file]")
    field.send_keys(str(path))
    wait_until(lambda: path.name in chrome.find_element(By.ID, f"upload-{role}-status").text, 20, f"{role} uploaded")


def test_import_messy_files_then_open_the_map(chrome, live_server):
    server = live_server("dresden")
    open_page(chrome, server + "/import", "#upload-boundaries")
    dash_ready(chrome)
    upload(chrome, "boundaries", MESSY / "stadtteile_25832.geojson")  # EPSG:25832
    upload(chrome, "population", MESSY / "fehler_negativ.csv")  # cp1252, ';', decimal commas, one count -5
    upload(chrome, "services", MESSY / "standorte.csv")
    upload(chrome, "settings", MESSY / "dataset.toml")
    wait_until(lambda: "Stadtteil" in chrome.find_element(By.ID, "import-previews").text, 20, "previews")
    chrome.find_element(By.ID, "import-id").send_keys("musterstadt")

    click(chrome, chrome.find_element(By.ID, "import-check"))
    report = wait_until(lambda: chrome.find_element(By.ID, "import-report-body").text, 60, "check report")
    assert "1 Fehler gefunden" in report
    # the page is German, and so are the problems it lists
    assert "Zeile 4, Spalte '80 und älter': die Einwohnerzahl ist negativ (Wert: '-5')" in report
    assert chrome.find_element(By.ID, "import-save").get_attribute("disabled")  # nothing saved with errors

    upload(chrome, "population", MESSY / "einwohner_breit.csv")  # the corrected file, wide by age
    click(chrome, chrome.find_element(By.ID, "import-check"))
    wait_until(lambda: "Keine Fehler gefunden: 4 Gebiete" in chrome.find_element(By.ID, "import-result").text, 60,
               "a clean report")
    report = chrome.find_element(By.ID, "import-report-body").text
    assert "aufgefüllt" in report and "cp1252" in report  # what was adjusted is shown, in German too
    screenshot(chrome, "import-report")
    click(chrome, chrome.find_element(By.ID, "import-save"))
    link = wait_until(lambda: chrome.find_element(By.ID, "import-open"), 60, "saved")
    chrome.execute_script("arguments[0].click();", link)
    wait_until(lambda: chrome.find_elements(By.CSS_SELECTOR, MAP_READY_CSS), 30, "the map of the new data")
    dash_ready(chrome)
    wait_until(lambda: len(map_drawn_indices(chrome) or []) == 4, 30, "4 imported areas drawn")
    wait_until(lambda: "Altstadt" in chrome.find_element(By.ID, "table").text, 30, "the imported areas in the table")
    errors = console_errors(chrome)
    assert not errors, format_log(errors)
