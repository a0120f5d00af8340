"""Hostile names in downloads: a district, a dataset's attribution or notes that look like a formula
are written as text (OWASP CSV injection), and the handout's CSS holds no user text it could leave."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook

from dashboard.exports import ExportContext, handout_html, table_csv, table_xlsx
from dashboard.exports.tables import cell_text
from dashboard.loaded import loaded
from dashboard.scenario import Assumptions

HOSTILE = ['=HYPERLINK("http://example.invalid","y")', "=1+1", "+1+1", "@SUM(1+1)", "-2+3", "\t=1+1", "\r=1+1"]


def _hostile_copy(tiny_copy, name: str):
    geo = tiny_copy / "districts.geojson"
    data = json.loads(geo.read_text(encoding="utf-8"))
    for feature in data["features"]:
        if feature["properties"].get("district_id", feature.get("id")) == "A" or feature["properties"].get("name") == "Altdorf":
            feature["properties"]["name"] = name
    geo.write_text(json.dumps(data), encoding="utf-8")
    settings = tiny_copy / "dataset.toml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        .replace('attribution = ["Invented test data"]', f"attribution = [{json.dumps(name)}]")
                        .replace('notes = ["Alle Zahlen sind erfunden."]', f"notes = [{json.dumps(name)}]"),
                        encoding="utf-8")
    return loaded(tiny_copy)


def _context(data) -> ExportContext:
    return ExportContext(data.dataset, data.calculator, Assumptions.defaults(data.dataset), lang="de")


@pytest.mark.parametrize("text", HOSTILE + ["=", "-"])
def test_cell_text_neutralises_formula_leads(text):
    assert cell_text(text) == "'" + text


@pytest.mark.parametrize("text", ["Altdorf", "12", "Nord-Ost", " =1", "", "'=1"])
def test_cell_text_leaves_plain_text(text):
    assert cell_text(text) == text


@pytest.mark.parametrize("name", HOSTILE[:5])  # the loader strips leading whitespace from names
def test_csv_and_xlsx_write_formula_names_as_text(tiny_copy, name):
    data = _hostile_copy(tiny_copy, name)
    rows = list(csv.reader(io.StringIO(table_csv(_context(data)).decode("utf-8-sig")), delimiter=";"))
    names = [r[1] for r in rows[1:rows.index([])]]  # the table, up to the empty line before the assumptions
    assert "'" + name in names and name not in names
    assert all(not cell.startswith(("=", "+", "@")) for r in rows for cell in r)
    # numbers stay numbers (Soll, posts located here, posts reachable, gap)
    assert ["B", "Bergheim", "5000", "gezählt", "2,50", "3,00", "3,00", "-0,50"] == rows[3][:8]

    wb = load_workbook(io.BytesIO(table_xlsx(_context(data))))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]  # no formula anywhere: areas, notes, sources
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "'" + name in texts and name not in texts
    sheet = wb[wb.sheetnames[1]]
    assert sum(c.value == "'" + name for row in sheet.iter_rows() for c in row) >= 2  # notes and sources
    areas = wb[wb.sheetnames[0]]
    assert [c.value for c in areas[4]][2:8] == [5000, "gezählt", 2.5, 3.0, 3.0, -0.5]


def test_handout_css_holds_no_user_text(tiny_loaded_hostile_title):
    page = tiny_loaded_hostile_title
    style = page[page.index("<style>"):page.index("</style>")]
    assert "\r" not in style
    strings = re.findall(r'content: ("(?:[^"\\\r\n\f]|\\.)*")', style)  # CSS strings as a browser reads them
    assert "background: red" in strings[0] and style.count("background: red") == 1


@pytest.fixture
def tiny_loaded_hostile_title():
    from .conftest import FIXTURES
    data = loaded(FIXTURES / "tiny")
    title = 'x"\r} body { background: red } @page { @top-center { content: "rot" } } x{"'
    ctx = ExportContext(data.dataset, data.calculator, Assumptions.defaults(data.dataset), lang="de", title=title)
    return handout_html(ctx, map_image=b"\x89PNG\r\n\x1a\n")
