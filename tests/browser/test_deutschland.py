"""The Germany-wide view: 401 Kreise drawn, care places named as such, Länder level."""

from selenium.webdriver.common.by import By

from dashboard.dataset import load_dataset
from dashboard.formatting import fmt_fte
from dashboard.scenario import Assumptions, Calculator

from .helpers import (MAP_READY_CSS, console_errors, dash_ready, format_log, map_area_count, map_area_ids,
                      map_drawn_indices, open_page, screenshot, wait_until)


def test_deutschland_view(chrome, live_server):
    server = live_server("deutschland")
    dataset = load_dataset("deutschland")
    open_page(chrome, server + "/", MAP_READY_CSS)
    dash_ready(chrome)
    wait_until(lambda: len(map_drawn_indices(chrome) or []) == 401, 60, "401 Kreise drawn")
    assert map_area_count(chrome) == 401
    expected = Calculator(dataset).compute(Assumptions.defaults(dataset))
    assert chrome.find_element(By.ID, "summary-soll").text == fmt_fte(expected.summary.soll_fte, "de")
    assert "Soll (Plätze)" in chrome.find_element(By.ID, "summary").text  # care places, not posts
    # counted places are whole numbers: 874.562, not 874.562,0
    assert chrome.find_element(By.ID, "summary-ist").text == f"{round(expected.summary.ist_fte):,}".replace(",", ".")
    screenshot(chrome, "deutschland")
    open_page(chrome, server + "/?level=bundesland", MAP_READY_CSS)
    dash_ready(chrome)
    assert len(map_area_ids(chrome)) == 16
    wait_until(lambda: map_area_count(chrome) == 16, 15, "16 Länder drawn")
    errors = console_errors(chrome)
    assert not errors, format_log(errors)
