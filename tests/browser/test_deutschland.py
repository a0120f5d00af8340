"""The Germany-wide view: 401 Kreise drawn, care places named as such, Länder level."""

from selenium.webdriver.common.by import By

from dashboard.dataset import load_dataset
from dashboard.formatting import fmt_fte
from dashboard.scenario import Assumptions, Calculator

from .helpers import console_errors, dash_ready, format_log, open_page, screenshot, wait_until
from .test_dashboard import RENDERED_IDS_JS, trace


def test_deutschland_view(chrome, live_server):
    server = live_server("deutschland")
    dataset = load_dataset("deutschland")
    open_page(chrome, server + "/", "#map .js-plotly-plot")
    dash_ready(chrome)
    wait_until(lambda: len(chrome.execute_script(RENDERED_IDS_JS) or []) == 401, 60, "401 Kreise drawn")
    expected = Calculator(dataset).compute(Assumptions.defaults(dataset))
    assert chrome.find_element(By.ID, "summary-soll").text == fmt_fte(expected.summary.soll_fte, "de")
    assert "Soll (Plätze)" in chrome.find_element(By.ID, "summary").text  # care places, not posts
    screenshot(chrome, "deutschland")
    open_page(chrome, server + "/?level=bundesland", "#map .js-plotly-plot")
    dash_ready(chrome)
    assert len(trace(chrome)["locations"]) == 16
    errors = console_errors(chrome)
    assert not errors, format_log(errors)
