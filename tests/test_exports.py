"""Committee exports: CSV, Excel, map PNG and the A4 PDF handout, on the tiny fixture and Dresden.

Tiny (base year 2025, counselling, ratio 2000, 60+): A 3000 residents, Soll 1.5, Ist 1.0, gap +0.5,
66.7 %; B 5000, Soll 2.5, Ist 3.0, gap −0.5, 120 %; C 1000, Soll 0.5, no FTE, gap +0.5, 0 %;
total 9000, Soll 4.5, Ist 4.0, gap 0.5, 88.9 %, 2250 residents per FTE (see test_scenario.py).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import shutil
import struct
import subprocess
import zlib
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dashboard.exports import (ChromiumError, ExportContext, area_rows, assumption_lines, chromium_path,
                               handout_html, handout_pdf, map_figure, map_png, table_csv, table_xlsx)
from dashboard.exports.cli import add_export_parser, run_export
from dashboard.exports.handout import MAX_ROWS
from dashboard.loaded import fit_view, loaded
from dashboard.mapping import colour_spec
from dashboard.scenario import Assumptions, FteChange

from .conftest import FIXTURES, TESTS

ARTIFACTS = TESTS / "artifacts"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BOM = b"\xef\xbb\xbf"
EXPORTED = datetime(2025, 12, 3, 9, 30)
NBSP = "\u00a0"


# -- helpers ---------------------------------------------------------------------------------
def _missing(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required on CI)")
    pytest.skip(reason)


def require_chromium() -> None:
    try:
        chromium_path()
    except ChromiumError as exc:
        _missing(str(exc))


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        _missing(f"{name} is not installed (Debian package poppler-utils; `make browser`)")
    return path


def norm(text: str) -> str:
    """Whitespace (line breaks, non-breaking spaces) collapsed, as text flows in a PDF."""
    return " ".join(text.replace(NBSP, " ").split())


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_SIGNATURE and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def blank_png(width: int, height: int) -> bytes:
    """A white RGB PNG, standing in for the map where only the page layout is tested."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xff" * 3 * width for _ in range(height))
    return (PNG_SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "handout.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([require_tool("pdftotext"), "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True, timeout=60)
    return norm(out.stdout.decode("utf-8"))


def pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    info = subprocess.run([require_tool("pdfinfo"), str(path)], capture_output=True, text=True, check=True, timeout=60)
    return int(next(line.split(":")[1] for line in info.stdout.splitlines() if line.startswith("Pages:")))


@pytest.fixture(scope="module")
def tiny_loaded():
    return loaded(FIXTURES / "tiny")


@pytest.fixture(scope="module")
def dresden():
    return loaded("dresden")


def context(data, lang="de", **assumptions) -> ExportContext:
    extra = {k: assumptions.pop(k) for k in ("measure", "title", "description", "scenario_name") if k in assumptions}
    a = Assumptions.defaults(data.dataset, **assumptions)
    return ExportContext(data.dataset, data.calculator, a, lang=lang, exported_at=EXPORTED, **extra)


# -- assumptions in words --------------------------------------------------------------------
def test_assumption_lines_name_every_choice(tiny_loaded):
    ctx = context(tiny_loaded)
    lines = dict(assumption_lines(ctx))
    assert lines["Angebot"] == "Seniorenberatung"
    ratio = lines["Zielwert Seniorenberatung"]
    assert norm(ratio).startswith("1 : 2.000 (Einwohner der Zielgruppe je Vollzeitstelle)")
    assert "Meilensteinen des Plans: Planwert für 2025" in ratio
    assert norm(lines["Meilensteine Seniorenberatung"]) == "2025: 1 : 2.000 · 2027: 1 : 1.000"
    assert lines["Jahr"] == "2025 (Einwohnerzahlen: gezählt)"
    assert lines["Zielgruppe"] == "60 Jahre und älter"
    assert lines["Jahre zwischen den Meilensteinen"] == "letzten Planwert halten"
    assert norm(lines["Kosten je Vollzeitstelle"]) == "75.000 € je Jahr, ohne Lohnsteigerung"
    assert lines["Geplante Änderungen"] == "keine"
    assert lines["Gebietsebene"] == "Ortsteil (3 Gebiete)"
    assert lines["Karte zeigt"] == "Deckungsgrad"
    assert lines["Datensatz"] == "Testdorf"
    assert lines["Datensatzversion"] == tiny_loaded.dataset.version
    assert "Datenstand" not in lines  # the fixture sets no data date


def test_assumption_lines_hand_set_ratio_wage_growth_and_changes(tiny_loaded):
    a = Assumptions.defaults(tiny_loaded.dataset, year=2026, wage_growth=0.02, between_milestones="linear",
                             fte_changes=(FteChange("C", "beratung", 2026, 0.75, "neuer Träger"),)
                             ).with_ratio("beratung", 1100)
    ctx = ExportContext(tiny_loaded.dataset, tiny_loaded.calculator, a, exported_at=EXPORTED)
    lines = assumption_lines(ctx)
    values = dict(lines)
    # the plan would give 1500 in 2026 (linear between 2000 in 2025 and 1000 in 2027)
    assert norm(values["Zielwert Seniorenberatung"]) == ("1 : 1.100 (Einwohner der Zielgruppe je Vollzeitstelle); "
                                                         "von Hand gesetzt; laut Plan wäre es 1 : 1.500")
    assert values["Jahr"] == "2026 (Einwohnerzahlen: Prognose)"
    assert values["Jahre zwischen den Meilensteinen"] == "gleichmäßig zum nächsten Planwert annähern"
    # 75,000 × 1.02 = 76,500 in 2026
    assert norm(values["Kosten je Vollzeitstelle"]) == ("76.500 € je Jahr im Jahr 2026: 75.000 € im Basisjahr 2025 "
                                                        "plus 2,0 % Lohnsteigerung je Jahr")
    assert ("Geplante Änderung", "Cunnersdorf: +0,75 Stellen Seniorenberatung ab 2026 (neuer Träger)") in lines

    english = dict(assumption_lines(ExportContext(tiny_loaded.dataset, tiny_loaded.calculator, a, lang="en")))
    assert norm(english["Target for Senior counselling"]) == (
        "1 : 1,100 (residents of the target group per full-time post); set by hand; the plan would give 1 : 1,500")
    assert english["Target group"] == "aged 60 and over"
    assert english["Planned change"] == "Cunnersdorf: +0.75 posts Senior counselling from 2026 (neuer Träger)"


def test_assumption_lines_name_the_years_a_ratio_holds_in(tiny_loaded):
    """tiny's Beratung: 2025 → 2000, 2027 → 1000 (hold); 1 : 3000 set for 2025 alone."""
    a = Assumptions.defaults(tiny_loaded.dataset).with_ratio("beratung", 3000, "only", 2025)
    here = dict(assumption_lines(ExportContext(tiny_loaded.dataset, tiny_loaded.calculator, a, exported_at=EXPORTED)))
    assert norm(here["Zielwert Seniorenberatung"]) == ("1 : 3.000 (Einwohner der Zielgruppe je Vollzeitstelle); "
                                                      "von Hand gesetzt für 2025; laut Plan wäre es 1 : 2.000")
    assert norm(here["Verlauf Seniorenberatung im Szenario"]) == "2025* 1 : 3.000 · 2026 1 : 2.000 · 2027 1 : 1.000"
    # in 2026 the plan's ratio holds again, and says where it comes from
    later = dict(assumption_lines(ExportContext(tiny_loaded.dataset, tiny_loaded.calculator,
                                                replace(a, year=2026), exported_at=EXPORTED)))
    assert norm(later["Zielwert Seniorenberatung"]).startswith("1 : 2.000 (Einwohner der Zielgruppe je Vollzeitstelle)")
    assert "von Hand" not in later["Zielwert Seniorenberatung"]


def test_assumption_lines_between_milestones_and_all_services(dresden):
    # Dresden 2025 lies between the 2024 (1 : 4.200) and 2026 milestones; "hold" keeps 2024's value
    lines = dict(assumption_lines(context(dresden, year=2025)))
    assert norm(lines["Zielwert Seniorenberatung"]).startswith("1 : 4.200 ")
    assert lines["Zielwert Seniorenberatung"].endswith("Planwert für 2024, gehalten bis 2026")
    both = dict(assumption_lines(context(dresden, service="all", year=2026, population_rule="60-79 + 0.5*80+")))
    assert both["Angebot"] == "alle Angebote zusammen: Seniorenberatung, Seniorenbegegnung"
    assert norm(both["Zielwert Seniorenbegegnung"]).startswith("1 : 3.500 ")
    assert both["Zielgruppe"] == "Einwohner nach der Regel „60-79 + 0.5*80+“"


# -- CSV -------------------------------------------------------------------------------------
def table_part(rows: list[list[str]]) -> list[list[str]]:
    """The CSV's table: its rows up to the empty line before the assumptions."""
    return rows[:rows.index([])]


def test_csv_german_excel(tiny_loaded):
    data = table_csv(context(tiny_loaded))
    assert data.startswith(BOM)
    text = data[len(BOM):].decode("utf-8")
    rows = table_part(list(csv.reader(io.StringIO(text), delimiter=";")))
    assert rows[0] == ["Kennung", "Gebiet", "Zielgruppe (Einwohner)", "Status der Einwohnerzahl", "Soll (Stellen)",
                       "Ist (Stellen)", "Stellen am Ort", "Saldo Soll − Ist (Stellen)", "Deckungsgrad (%)", "Einwohner je Stelle",
                       "Stellen je 10.000 Einwohner", "Kosten (€ je Jahr)"]
    # shortfalls first (A and C both +0.5, by name), then B's surplus, then the total
    assert rows[1:] == [
        ["A", "Altdorf", "3000", "gezählt", "1,50", "1,00", "1,00", "0,50", "66,7", "3000", "3,33", "37500"],
        ["C", "Cunnersdorf", "1000", "gezählt", "0,50", "0,00", "0,00", "0,50", "0,0", "keine Stelle", "0,00", "37500"],
        ["B", "Bergheim", "5000", "gezählt", "2,50", "3,00", "3,00", "-0,50", "120,0", "1667", "6,00", "-37500"],
        ["", "Gesamt", "9000", "gezählt", "4,50", "4,00", "4,00", "0,50", "88,9", "2250", "4,44", "37500"],
    ]
    assert "\r\n" in text


def test_csv_english(tiny_loaded):
    data = table_csv(context(tiny_loaded, lang="en"))
    assert data.startswith(BOM)
    rows = table_part(list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8")), delimiter=",")))
    assert rows[0][:3] == ["ID", "Area", "Target group (residents)"]
    assert rows[2] == ["C", "Cunnersdorf", "1000", "counted", "0.50", "0.00", "0.00", "0.50", "0.0", "none", "0.00", "37500"]
    assert rows[-1] == ["", "Total", "9000", "counted", "4.50", "4.00", "4.00", "0.50", "88.9", "2250", "4.44", "37500"]


def test_csv_dresden_has_no_thousands_separators(dresden):
    ctx = context(dresden, year=2026)
    rows = table_part(list(csv.reader(io.StringIO(table_csv(ctx)[len(BOM):].decode("utf-8")), delimiter=";")))
    result = ctx.result
    assert len(rows) == 1 + len(result.table) + 1
    total = rows[-1]
    assert total[1] == "Gesamt" and total[2] == str(round(result.summary.population)) == "160580"
    assert total[3] == "Prognose"
    for row in rows[1:]:
        for cell in row[2:3] + row[4:]:
            assert cell == "keine Stelle" or cell.lstrip("-").replace(",", "", 1).isdigit(), cell
    gaps = [float(r[7].replace(",", ".")) for r in rows[1:-1]]
    assert gaps == sorted(gaps, reverse=True)


def test_places_instead_of_posts(tiny_copy):
    """A service counted in places (e.g. care places) is named so in headers, assumptions and words."""
    settings = tiny_copy / "dataset.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'label_en = "Senior counselling"', 'label_en = "Senior counselling"\nunit = "places"'), encoding="utf-8")
    data = loaded(tiny_copy)
    assert data.dataset.settings.services["beratung"].unit == "places"
    ctx = context(data)
    text = table_csv(ctx).decode("utf-8-sig")
    assert text.startswith("Kennung;Gebiet;Zielgruppe (Einwohner);Status der Einwohnerzahl;Soll (Plätze);Ist (Plätze)")
    # counted places are whole numbers (Ist, at the sites); the need and the balance keep their decimals
    assert "Cunnersdorf;1000;gezählt;0,50;0;0;0,50;0,0;kein Platz;0,00;37500" in text
    assert "Plätze je 10.000 Einwohner" in text
    lines = dict(assumption_lines(ctx))
    assert norm(lines["Zielwert Seniorenberatung"]).startswith("1 : 2.000 (Einwohner der Zielgruppe je Platz)")
    assert "Kosten je Platz" in lines
    assert map_figure(ctx).data[0].colorbar.title.text.startswith("Deckungsgrad")


# -- Excel -----------------------------------------------------------------------------------
def test_xlsx_numbers_and_assumptions(tiny_loaded):
    wb = load_workbook(io.BytesIO(table_xlsx(context(tiny_loaded))))
    assert wb.sheetnames == ["Gebiete", "Annahmen"]
    ws = wb["Gebiete"]
    assert ws.freeze_panes == "A2"
    assert all(cell.font.bold for cell in ws[1])
    assert ws["B1"].value == "Gebiet" and ws["E1"].value == "Soll (Stellen)"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert rows[0] == ["A", "Altdorf", 3000, "gezählt", 1.5, 1.0, 1.0, 0.5, 0.667, 3000, 3.33, 37500]  # coverage 66.7 % as in the CSV
    assert rows[1] == ["C", "Cunnersdorf", 1000, "gezählt", 0.5, 0.0, 0.0, 0.5, 0.0, "keine Stelle", 0.0, 37500]
    assert rows[2] == ["B", "Bergheim", 5000, "gezählt", 2.5, 3.0, 3.0, -0.5, 1.2, 1667, 6.0, -37500]
    assert rows[3] == [None, "Gesamt", 9000, "gezählt", 4.5, 4.0, 4.0, 0.5, 0.889, 2250, 4.44, 37500]
    assert ws["I2"].number_format == "0.0%" and ws["E2"].number_format == "#,##0.00"
    assert ws["K1"].value == "Stellen je 10.000 Einwohner" and ws["K2"].number_format == "#,##0.00"
    assert ws["B5"].font.bold  # the total row

    sheet = wb["Annahmen"]
    cells = {(c.value if isinstance(c.value, str) else "") for row in sheet.iter_rows() for c in row}
    pairs: dict = {}
    for row in sheet.iter_rows():
        if row[0].value:
            pairs.setdefault(row[0].value, row[1].value)  # assumptions come before the city's figures
    assert norm(pairs["Zielwert Seniorenberatung"]).startswith("1 : 2.000")
    assert pairs["Zielgruppe"] == "60 Jahre und älter" and pairs["Jahr"] == "2025 (Einwohnerzahlen: gezählt)"
    assert pairs["Soll-Stellen"] == 4.5 and pairs["Fehlende Stellen"] == 1.0 and pairs["Kosten je Jahr"] == 75000
    assert "Alle Zahlen sind erfunden." in cells and "Invented test data" in cells
    assert pairs["Exportiert am"] == "03.12.2025"


# -- map -------------------------------------------------------------------------------------
def test_map_figure_matches_the_live_map(dresden):
    ctx = context(dresden, year=2026)
    fig = map_figure(ctx, 1200, 800)
    trace = fig.data[0]
    assert trace.type == "choroplethmap" and fig.layout.map.style == "white-bg"
    assert isinstance(trace.geojson, dict) and len(trace.geojson["features"]) == 60
    spec = colour_spec(ctx.result.table, "coverage", "de")
    assert list(trace.z) == spec.z and [list(x) for x in trace.colorscale] == spec.colourscale
    assert list(trace.colorbar.ticktext) == spec.ticktext
    assert "unter 50 %" in trace.colorbar.ticktext and "90 bis 110 % (Ziel erreicht)" in trace.colorbar.ticktext
    assert "Deckungsgrad" in trace.colorbar.title.text
    assert "Seniorenberatung 2026: Deckungsgrad" in fig.layout.title.text
    # centre and zoom fit the boundaries into the map's share of the figure
    domain = fig.layout.map.domain.x
    margin = fig.layout.margin
    width = int((1200 - margin.l - margin.r) * (domain[1] - domain[0]))
    view = fit_view(tuple(dresden.dataset.districts.total_bounds), width, 800 - margin.t - margin.b)
    assert fig.layout.map.zoom == view["zoom"] and fig.layout.map.center.lat == pytest.approx(view["center"]["lat"])
    assert fig.layout.separators == ",."
    gap = map_figure(context(dresden, lang="en", year=2026, measure="gap"), 1000, 700)
    assert "Senior counselling 2026: Balance target − actual (posts)" in gap.layout.title.text and gap.layout.separators == ".,"


def test_map_png_has_the_asked_size(tiny_loaded):
    require_chromium()
    png = map_png(context(tiny_loaded), width=600, height=400, scale=1)
    assert png.startswith(PNG_SIGNATURE)
    assert png_size(png) == (600, 400)


def test_missing_chromium_is_a_clear_error(tiny_loaded, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CAREGAP_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(ChromiumError, match="CAREGAP_CHROMIUM"):
        chromium_path()
    out = tmp_path / "map.png"
    assert run_export(parse(["export", str(FIXTURES / "tiny"), "--out", str(out)])) == 1
    assert "CAREGAP_CHROMIUM" in capsys.readouterr().err and not out.exists()


# -- handout ---------------------------------------------------------------------------------
def test_handout_html_is_self_contained_and_cut_at_25_rows(dresden):
    ctx = context(dresden, year=2026)
    page = handout_html(ctx, map_image=PNG_SIGNATURE + b"stub")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    for external in ('src="http', "href=", "url(", "@import", "<script", "<link"):
        assert external not in page
    assert len(re.findall(r'<td class="rank">\d+</td>', page)) == MAX_ROWS
    shortfalls = int((ctx.result.table["gap_fte"] > 0).sum())  # 45 of 60
    assert norm(page).count(f"… sowie {60 - MAX_ROWS} weitere Gebiete, davon {shortfalls - MAX_ROWS} mit Lücke") == 1
    assert "size: A4" in page and "break-before: page" in page


def test_handout_html_short_table_has_no_more_line(tiny_loaded):
    page = handout_html(context(tiny_loaded), map_image=PNG_SIGNATURE)
    assert len(re.findall(r'<td class="rank">\d+</td>', page)) == 3 and "weitere Gebiete" not in page


def test_handout_html_escapes_what_users_typed(tiny_loaded):
    """Title and description come from a user: escaped in the HTML, and in the footer's CSS string
    (where HTML escaping does not apply) unable to end the <style> element."""
    ctx = context(tiny_loaded, title='Plan "A" </style><script>alert(1)</script>', description="<b>fett</b> & mehr")
    page = handout_html(ctx, map_image=PNG_SIGNATURE)
    assert "<script" not in page and "<b>" not in page
    assert "&lt;b&gt;fett&lt;/b&gt; &amp; mehr" in page
    assert "<h1>Plan &#34;A&#34; &lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page
    style = page[page.index("<style>"):page.index("</style>")]
    assert 'content: "Erstellt mit CareGap · Plan \\"A\\" \\3c /style>\\3c script>alert(1)\\3c /script> · ' in style


@pytest.fixture(scope="module")
def dresden_handout(dresden):
    require_chromium()
    ctx = context(dresden, year=2026, description="Vorlage für den Sozialausschuss")
    return ctx, handout_pdf(ctx)


def test_handout_pdf_content(dresden_handout, tmp_path):
    ctx, pdf = dresden_handout
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert ctx.heading == "Dresden – statistische Stadtteile" and ctx.heading in text
    assert "Export vom 03.12.2025" in text and "Vorlage für den Sozialausschuss" in text
    for label, value in assumption_lines(ctx):
        assert norm(label) in text, label
        assert norm(value) in text, value
    assert "1 : 2.500" in text and "2026" in text and "60 Jahre und älter" in text
    # the three areas with the largest shortfall, from the calculator
    result = ctx.calculator.compute(ctx.assumptions)
    top = result.table.sort_values("gap_fte", ascending=False)["name"].head(3).tolist()
    for name in top:
        assert name in text
    # the 25 largest of 60 are listed; posts count in their Stadtraum (the dataset's rule), so most areas share some
    assert "… sowie 35 weitere Gebiete, davon 31 mit Lücke" in text
    # city summary
    for figure in ("160.580", "64,23", "37,90", "26,95", "26,33", "2,02 Mio. €", "50 von 60"):
        assert figure in text, figure
    # which figures are estimates or illustrative, and the sources
    for note in ctx.notes():
        assert norm(note) in text, note
    assert "geschätzt" in text and "illustrativ" in text
    for line in ctx.attribution:
        assert norm(line) in text, line


def test_handout_pdf_pages_and_preview(dresden_handout, tmp_path):
    _, pdf = dresden_handout
    assert pdf_pages(pdf, tmp_path) <= 2
    ARTIFACTS.mkdir(exist_ok=True)
    source = tmp_path / "handout.pdf"
    source.write_bytes(pdf)
    target = ARTIFACTS / "handout-page1"
    subprocess.run([require_tool("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(target)], check=True, timeout=60)
    png = (ARTIFACTS / "handout-page1.png").read_bytes()
    width, height = png_size(png)
    assert (width, height) == (round(595 * 60 / 72), round(842 * 60 / 72))  # A4 portrait at 60 dpi


def test_handout_pdf_english(tiny_loaded, tmp_path):
    require_chromium()
    ctx = context(tiny_loaded, lang="en", scenario_name="Two more posts for Cunnersdorf")
    pdf = handout_pdf(ctx)
    text = pdf_text(pdf, tmp_path)
    assert pdf_pages(pdf, tmp_path) <= 2
    for words in ("Two more posts for Cunnersdorf", "All areas 2025", "Assumptions", "Target for Senior counselling",
                  "1 : 2,000", "aged 60 and over", "Missing posts", "Areas below 75 %", "2 of 3", "About the data",
                  "All figures are invented.", "Invented test data", "Altdorf", "Cunnersdorf", "Bergheim", "Page 1 of"):
        assert words in text, words
    assert "Annahmen" not in text and "Alle Gebiete" not in text


def test_handout_pdf_long_assumptions_still_two_pages(dresden, tmp_path):
    """Many planned changes push page 1 over: the handout is printed again more compactly."""
    require_chromium()
    ids = ["55", "53", "63", "52", "04", "31"]
    changes = tuple(FteChange(d, service, 2026 + i % 2, 0.5 + i / 4, "Träger sucht Räume" if i % 2 else "")
                    for i, (d, service) in enumerate(zip(ids, ["beratung", "begegnung"] * 3)))
    a = Assumptions.defaults(dresden.dataset, service="all", year=2027, wage_growth=0.025,
                             between_milestones="linear", fte_changes=changes).with_ratio("begegnung", 3000)
    ctx = ExportContext(dresden.dataset, dresden.calculator, a, title="Sozialausschuss am 3. Dezember 2025",
                        description="Vorlage: Ausbau der Seniorenberatung und -begegnung in den Stadtteilen "
                                    "mit der größten Lücke, in zwei Schritten 2026 und 2027.", exported_at=EXPORTED)
    pdf = handout_pdf(ctx, map_image=blank_png(2700, 1350))
    assert pdf_pages(pdf, tmp_path) <= 2
    text = pdf_text(pdf, tmp_path)
    for label, value in assumption_lines(ctx):
        assert norm(value) in text, value
    assert text.count("Geplante Änderung") == len(changes)
    assert "Sozialausschuss am 3. Dezember 2025" in text and "Dresden – statistische Stadtteile" in text


# -- command line ----------------------------------------------------------------------------
def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m dashboard")
    add_export_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_cli_writes_csv_and_xlsx(tmp_path, capsys):
    out = tmp_path / "tiny.csv"
    assert run_export(parse(["export", str(FIXTURES / "tiny"), "--format", "csv", "--out", str(out)])) == 0
    assert out.read_bytes().startswith(BOM) and "Altdorf;3000" in out.read_text(encoding="utf-8-sig")
    xlsx = tmp_path / "tiny.xlsx"  # format from the suffix
    assert run_export(parse(["export", str(FIXTURES / "tiny"), "--lang", "en", "--year", "2026", "--out", str(xlsx)])) == 0
    areas = load_workbook(xlsx)["Areas"]
    # 2026: B has the largest gap, 2.5 − 1.5 (S2 ended, S3 started), ahead of A (1.65 − 1.0) and C (0.6 − 0)
    assert [areas["B2"].value, areas["F2"].value, areas["H2"].value] == ["Bergheim", 1.5, 1.0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.csv", "tiny.xlsx"]  # no temp files left
    assert "tiny.xlsx" in capsys.readouterr().out


def test_cli_saved_scenario_assumptions(tiny_loaded, tmp_path):
    scenario = Assumptions.defaults(tiny_loaded.dataset, year=2026, fte_changes=(FteChange("C", "beratung", 2026, 0.5),))
    out = tmp_path / "scenario.csv"
    assert run_export(parse(["export", str(FIXTURES / "tiny"), "--out", str(out)]), assumptions=scenario) == 0
    rows = {r[0]: r for r in table_part(list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";")))}
    assert rows["C"][5] == "0,50" and rows["B"][5] == "1,50"  # the scenario's year and planned change
    # an option given next to a saved scenario overrides it
    assert run_export(parse(["export", str(FIXTURES / "tiny"), "--year", "2025", "--out", str(out)]),
                      assumptions=scenario) == 0
    rows = {r[0]: r for r in table_part(list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";")))}
    assert rows["B"][5] == "3,00"


def test_cli_scenario_name_description_and_measure(tiny_loaded, tmp_path):
    scenario = Assumptions.defaults(tiny_loaded.dataset, year=2026)
    out = tmp_path / "plan.xlsx"
    assert run_export(parse(["export", str(FIXTURES / "tiny"), "--out", str(out)]), scenario,
                      scenario_name="Plan B", description="Zwei Stellen mehr", measure="gap") == 0
    sheet = load_workbook(out)["Annahmen"]
    pairs = {row[0].value: row[1].value for row in sheet.iter_rows() if row[0].value and row[1].value}
    assert sheet["A1"].value == "Plan B" and pairs["Beschreibung"] == "Zwei Stellen mehr"
    assert pairs["Karte zeigt"] == "Saldo Soll − Ist (Stellen)"
    # options given on the command line win over the scenario's
    assert run_export(parse(["export", str(FIXTURES / "tiny"), "--title", "Ausschuss", "--measure", "coverage",
                             "--out", str(out)]), scenario, scenario_name="Plan B", measure="gap") == 0
    pairs = {row[0].value: row[1].value for row in load_workbook(out)["Annahmen"].iter_rows() if row[0].value}
    assert pairs["Titel"] == "Ausschuss" and pairs["Szenario"] == "Plan B" and pairs["Karte zeigt"] == "Deckungsgrad"


@pytest.mark.parametrize("argv, message", [
    (["--service", "nope"], "unknown service 'nope'"),
    (["--year", "1990"], "no population for 1990"),
    (["--level", "nope"], "unknown level 'nope'"),
    (["--service", "all", "--ratio", "1000"], "--ratio needs one --service"),
    (["--population", "70+"], "straddles"),
])
def test_cli_bad_input(tmp_path, capsys, argv, message):
    out = tmp_path / "x.csv"
    assert run_export(parse(["export", str(FIXTURES / "tiny"), *argv, "--lang", "en", "--out", str(out)])) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_cli_bad_output_and_dataset(tmp_path, capsys):
    assert run_export(parse(["export", str(FIXTURES / "tiny"), "--out", str(tmp_path / "x.txt")])) == 2
    assert "--format" in capsys.readouterr().err
    assert run_export(parse(["export", str(FIXTURES / "tiny"), "--out", str(tmp_path / "missing" / "x.csv")])) == 2
    assert "does not exist" in capsys.readouterr().err
    assert run_export(parse(["export", str(tmp_path / "nothing"), "--out", str(tmp_path / "x.csv")])) == 2
    assert "diesen Datensatz gibt es nicht" in capsys.readouterr().err  # data problems in German unless asked


def test_area_rows_sorted_with_total(tiny_loaded):
    areas, total = area_rows(context(tiny_loaded))
    assert [r["district_id"] for r in areas] == ["A", "C", "B"]
    assert total["name"] == "Gesamt" and total["gap_fte"] == 0.5 and total["status"] == "observed"


def test_csv_carries_the_assumptions_after_the_table(tiny_loaded):
    """pandas (and a spreadsheet) read the table from row 1; the assumptions follow as the workbook's
    "Annahmen" sheet lists them (the same rows, one source)."""
    import pandas as pd

    ctx = context(tiny_loaded, fte_cost_eur=50_000)
    data = table_csv(ctx)
    areas = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", nrows=3 + 1, dtype=str)
    assert list(areas["Gebiet"]) == ["Altdorf", "Cunnersdorf", "Bergheim", "Gesamt"]
    assert list(areas["Soll (Stellen)"]) == ["1,50", "0,50", "2,50", "4,50"]
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    block = rows[rows.index([]) + 1:]
    pairs = {r[0]: r[1] for r in block if len(r) > 1 and r[0]}
    assert norm(pairs["Zielwert Seniorenberatung"]).startswith("1 : 2.000")
    assert norm(pairs["Kosten je Vollzeitstelle"]).startswith("50.000 € je Jahr")
    assert pairs["Fehlende Stellen"] == "1,00" and pairs["Saldo Soll − Ist (Stellen)"] == "0,50"
    assert pairs["Deckungsgrad"] == "88,9"  # in percent, as the table's column
    sheet = load_workbook(io.BytesIO(table_xlsx(ctx)))["Annahmen"]
    xlsx = {r[0].value: r[1].value for r in sheet.iter_rows() if r[0].value and len(r) > 1 and r[1].value is not None}
    assert set(xlsx) == set(pairs)  # the same labels as the workbook's sheet
    assert [r[0] for r in block if len(r) == 1] == [r[0].value for r in sheet.iter_rows()
                                                    if r[0].value and (len(r) < 2 or r[1].value is None)]
