"""A planner saves two options, reloads the page, reopens one by its link and compares them."""

import re

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.dataset import load_dataset
from dashboard.formatting import fmt_fte
from dashboard.scenario import Assumptions, Calculator

from .helpers import MAP_READY_CSS, click, console_errors, dash_ready, format_log, open_page, screenshot, wait_until


def load(chrome, url):
    open_page(chrome, url, MAP_READY_CSS)
    dash_ready(chrome)


def tab(chrome, label):
    click(chrome, next(a for a in chrome.find_elements(By.CSS_SELECTOR, "#tabs .nav-link") if a.text == label))
    dash_ready(chrome)


def save_as_new(chrome, name):
    tab(chrome, "Szenarien")
    box = chrome.find_element(By.ID, "scenario-name")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(name)
    click(chrome, chrome.find_element(By.ID, "scenario-save-new"))
    wait_until(lambda: f"Gespeichert: „{name}“" in chrome.find_element(By.ID, "scenario-feedback").text, 15,
               f"saved {name}")
    dash_ready(chrome)
    return re.search(r"scenario=([0-9a-f]+)", chrome.current_url).group(1)


def test_save_reload_reopen_compare(chrome, live_server):
    server = live_server("dresden")
    dataset = load_dataset("dresden")
    calc = Calculator(dataset)

    load(chrome, server + "/?year=2026&r.beratung=2500")
    id_a = save_as_new(chrome, "Variante A: 1:2.500 ab 2026")
    assert chrome.current_url.endswith(f"?scenario={id_a}")  # an unchanged saved view links by its id
    assert chrome.find_element(By.ID, "scenario-changed").text == ""

    load(chrome, server + "/?year=2026&r.beratung=3000")
    id_b = save_as_new(chrome, "Variante B: 1:3.000")
    assert id_b != id_a

    # a fresh page keeps nothing in memory: the scenarios come back from the database
    load(chrome, server + "/")
    tab(chrome, "Szenarien")
    listing = chrome.find_element(By.ID, "scenario-list").text
    assert "Variante A: 1:2.500 ab 2026" in listing and "Variante B: 1:3.000" in listing
    click(chrome, chrome.find_element(By.LINK_TEXT, "Variante A: 1:2.500 ab 2026"))
    wait_until(lambda: "Variante A" in chrome.find_element(By.ID, "scenario-title").text, 15, "scenario A open")
    dash_ready(chrome)
    expected_a = calc.compute(Assumptions.defaults(dataset, year=2026).with_ratio("beratung", 2500))
    assert chrome.find_element(By.ID, "summary-soll").text == fmt_fte(expected_a.summary.soll_fte, "de")
    assert chrome.find_element(By.ID, "scenario-changed").text == ""  # opened as saved
    # a key press on a ratio slider changes the opened scenario: marked at once, without a save
    thumb = chrome.find_element(By.CSS_SELECTOR, '[id*="ratio-slider"][id*="beratung"] [role="slider"]')
    thumb.send_keys(Keys.ARROW_RIGHT)
    wait_until(lambda: "geändert — nicht gespeichert" in
               chrome.find_element(By.ID, "scenario-changed").get_attribute("textContent"), 10, "the changed mark")

    # the same by its link, as a colleague would open it
    load(chrome, server + f"/?scenario={id_b}")
    thumb = chrome.find_element(By.CSS_SELECTOR, '[id*="ratio-slider"][id*="beratung"] [role="slider"]')
    assert thumb.get_attribute("aria-valuenow") == "3000"

    tab(chrome, "Vergleich")
    click(chrome, chrome.find_element(By.ID, "compare-a"))
    option = wait_until(lambda: [o for o in chrome.find_elements(By.CSS_SELECTOR, "[role=option]")
                                 if o.text.startswith("Variante A")], 10, "option Variante A")[0]
    click(chrome, option)
    expected_b = calc.compute(Assumptions.defaults(dataset, year=2026).with_ratio("beratung", 3000))
    delta = expected_b.summary.gross_gap_fte - expected_a.summary.gross_gap_fte
    wait_until(lambda: fmt_fte(delta, "de", signed=True) in chrome.find_element(By.ID, "compare-city").text, 20,
               lambda: f"city difference {fmt_fte(delta, 'de', signed=True)} in "
                       f"{chrome.find_element(By.ID, 'compare-city').text!r}")
    rows = wait_until(lambda: chrome.execute_script(
        "var api = dash_ag_grid.getApi('compare-table'); return api && api.getDisplayedRowCount();"), 10, "compare rows")
    assert rows >= 60
    # numbers in German: a signed gap difference with a decimal comma
    cells = chrome.execute_script(
        "return Array.from(document.querySelectorAll('#compare-table [col-id=\"gap_delta\"].ag-cell'))"
        ".map(c => c.textContent);")
    assert cells and all(re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})*,\d{2}|–", c) for c in cells), cells
    screenshot(chrome, "compare")
    errors = console_errors(chrome)
    assert not errors, format_log(errors)
