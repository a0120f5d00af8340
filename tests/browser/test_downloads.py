"""A planner downloads the table (CSV, Excel) and the committee handout (PDF) of the current view."""

import subprocess
import time

import openpyxl
from selenium.webdriver.common.by import By

from dashboard.dataset import load_dataset
from dashboard.scenario import Assumptions, Calculator

from .helpers import MAP_READY_CSS, dash_ready, open_page, wait_until


def fetch(chrome, folder, item_id, suffix, timeout=90):
    before = set(folder.glob(f"*{suffix}"))
    menu = chrome.find_element(By.CSS_SELECTOR, "#download-menu button, #download-menu .dropdown-toggle")
    chrome.execute_script("arguments[0].click();", menu)
    item = wait_until(lambda: chrome.find_element(By.ID, item_id), 10, item_id)
    chrome.execute_script("arguments[0].click();", item)
    done = wait_until(lambda: [p for p in set(folder.glob(f"*{suffix}")) - before if p.stat().st_size > 0], timeout,
                      f"a downloaded {suffix} file")
    time.sleep(0.3)  # the browser renames the partial file when it has finished writing
    return done[0]


def test_downloads(chrome, live_server, tmp_path):
    server = live_server("dresden")
    chrome.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    open_page(chrome, server + "/?year=2026&r.beratung=2500", MAP_READY_CSS)
    dash_ready(chrome)
    dataset = load_dataset("dresden")
    result = Calculator(dataset).compute(Assumptions.defaults(dataset, year=2026).with_ratio("beratung", 2500))
    top = result.table.sort_values("gap_fte", ascending=False)["name"].head(3).tolist()

    csv_file = fetch(chrome, tmp_path, "download-csv", ".csv")
    text = csv_file.read_bytes().decode("utf-8-sig")
    assert ";" in text.splitlines()[0] and all(name in text for name in top)
    assert "1 : 2.500" in text.replace("\u00a0", " ")  # the assumptions travel with the table

    xlsx_file = fetch(chrome, tmp_path, "download-xlsx", ".xlsx")
    book = openpyxl.load_workbook(xlsx_file)
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert top[0] in cells

    pdf_file = fetch(chrome, tmp_path, "download-pdf", ".pdf", timeout=120)
    pdf_text = subprocess.run(["pdftotext", "-layout", str(pdf_file), "-"], capture_output=True, text=True,
                              check=True).stdout
    assert "1 : 2.500" in pdf_text.replace("\u00a0", " ")  # the assumption, in German format
    assert "2026" in pdf_text and all(name in pdf_text for name in top)
    assert "illustrativ" in pdf_text  # the notes on illustrative sites travel with the handout
