"""A measure added through the registry reaches the page: the map's measure choice and the table."""

from selenium.webdriver.common.by import By

from dashboard.dataset import load_dataset
from dashboard.scenario import Assumptions, Calculator

from .helpers import console_errors, dash_ready, format_log, grid_column, open_page, screenshot, wait_until


def test_posts_per_10000_on_the_page(chrome, live_server):
    server = live_server("dresden")
    open_page(chrome, server + "/?measure=posts_per_10k&lang=en&year=2026", "#controls")
    dash_ready(chrome)
    choice = chrome.find_element(By.CSS_SELECTOR, "#measure input[value='posts_per_10k']")
    assert choice.is_selected()
    assert "Density: posts per 10,000 residents" in chrome.find_element(By.ID, "measure").text
    headers = wait_until(lambda: [h.text for h in chrome.find_elements(By.CSS_SELECTOR, "#table .ag-header-cell-text")],
                         15, "table headers")
    assert "Density per 10,000" in headers
    # the table's figures are the core's: Dresden's 37.90 posts for 160,580 residents 60+ in 2026 …
    dataset = load_dataset("dresden")
    result = Calculator(dataset).compute(Assumptions.defaults(dataset, year=2026))
    top = result.table.sort_values("gap_fte", ascending=False).iloc[0]  # the table is sorted by gap
    column = wait_until(lambda: grid_column(chrome, "posts_per_10k"), 15, "table rows")
    assert column[0] == f"{top['posts_per_10k']:,.2f}", column
    screenshot(chrome, "measure-posts-per-10k")
    errors = console_errors(chrome)
    assert not errors, format_log(errors)
