"""A planner from another city brings messy files, sees what is wrong, fixes it and opens the map."""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

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
    save_and_open_map(chrome, 4)
    wait_until(lambda: "Altstadt" in chrome.find_element(By.ID, "table").text, 30, "the imported areas in the table")
    errors = console_errors(chrome)
    assert not errors, format_log(errors)


def save_and_open_map(chrome, areas: int) -> None:
    """Save the checked import, follow the link to its map and wait until every area is drawn."""
    click(chrome, chrome.find_element(By.ID, "import-save"))
    link = wait_until(lambda: chrome.find_element(By.ID, "import-open"), 60, "saved")
    chrome.execute_script("arguments[0].click();", link)
    wait_until(lambda: chrome.find_elements(By.CSS_SELECTOR, MAP_READY_CSS), 30, "the map of the new data")
    dash_ready(chrome)
    wait_until(lambda: len(map_drawn_indices(chrome) or []) == areas, 30, f"{areas} imported areas drawn")


def upload_official(chrome, server: str, tmp_path, population) -> None:
    """Open the import page and upload the official test boundaries, services and settings with `population`."""
    from tests.importer import official

    services = tmp_path / "standorte.csv"
    services.write_text(official.SERVICES_CSV, encoding="utf-8")
    settings = tmp_path / "dataset.toml"
    settings.write_text(official.DATASET_TOML, encoding="utf-8")
    open_page(chrome, server + "/import", "#upload-boundaries")
    dash_ready(chrome)
    upload(chrome, "boundaries", official.boundaries(tmp_path))
    upload(chrome, "population", population)
    upload(chrome, "services", services)
    upload(chrome, "settings", settings)


def test_name_the_band_of_a_column_on_the_page_and_check_again(chrome, live_server, tmp_path):
    """A header no form describes: the page lists it without a band; the planner names it and checks again."""
    from tests.importer import official

    population = official.write(tmp_path, "einwohner_codes.csv", ["Jahr", "Stadtteil", "unter 60", "AG60", "AG65"],
                                [[2025, key, fine[0], fine[1] + fine[2], sum(fine[3:])]
                                 for (key, *_), fine in zip(official.AREAS, official.FINE)])
    upload_official(chrome, live_server("dresden"), tmp_path, population)
    editor = wait_until(lambda: chrome.find_element(By.CSS_SELECTOR, "#import-previews .dash-spreadsheet-container "
                                                                        "td[data-dash-column=band]"), 20, "band editor")
    assert editor is not None
    chrome.find_element(By.ID, "import-id").send_keys("mitte")

    click(chrome, chrome.find_element(By.ID, "import-check"))
    report = wait_until(lambda: chrome.find_element(By.ID, "import-report-body").text, 60, "check report")
    assert "2 Spalte(n) sehen wie Altersgruppen aus, lassen sich aber nicht lesen: AG60, AG65" in report

    def band_cell(column):
        rows = chrome.find_elements(By.XPATH, "//td[@data-dash-column='column'][normalize-space()='%s']/.." % column)
        return rows[-1].find_element(By.CSS_SELECTOR, "td[data-dash-column=band]")

    assert [band_cell(c).text for c in ("unter 60", "AG60", "AG65")] == ["0-59", "", ""]
    for column, band in (("AG60", "60-64"), ("AG65", "65+")):
        click(chrome, band_cell(column))  # select the cell, then type: the table edits the selected cell
        ActionChains(chrome).send_keys(band, Keys.TAB).perform()
        wait_until(lambda: band_cell(column).text == band, 10, lambda: f"{column} = {band}, shown: {band_cell(column).text!r}")
    click(chrome, chrome.find_element(By.ID, "import-check"))
    wait_until(lambda: "Keine Fehler gefunden: 4 Gebiete" in chrome.find_element(By.ID, "import-result").text, 60,
               "a clean report after naming the bands")
    report = chrome.find_element(By.ID, "import-report-body").text
    assert "'AG60' → 60-64" in report and "'AG65' → 65+" in report
    errors = console_errors(chrome)
    assert not errors, format_log(errors)
