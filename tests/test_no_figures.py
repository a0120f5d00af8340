"""Areas without figures (`[population] no_figures`): kept on the map, left out of every sum; hand-computed."""

import io
import json
import math
import shutil

import pytest
from openpyxl import load_workbook

from dashboard.dataset import load_dataset
from dashboard.errors import DataError
from dashboard.exports import ExportContext, handout_html, table_csv, table_xlsx
from dashboard.measures import NO_FIGURES_COLOUR
from dashboard.report import to_csv, to_json
from dashboard.scenario import Assumptions, Calculator
from dashboard.tableblock import block
from dashboard.validation import NO_FIGURES
from layouts.detail import detail_body
from layouts.map import legend, paint_payload, tooltip
from layouts.table import undefined_words

from .conftest import FIXTURES


def without_figures(tmp_path, *areas, keep_rows=False):
    """The tiny dataset with `areas` declared without figures (their population rows removed)."""
    folder = tmp_path / "tiny"
    shutil.copytree(FIXTURES / "tiny", folder)
    if not keep_rows:
        lines = (folder / "population.csv").read_text().splitlines()
        kept = [line for line in lines if line.split(",")[0] not in areas]
        (folder / "population.csv").write_text("\n".join(kept) + "\n")
    listed = ", ".join(f'"{a}"' for a in areas)
    with (folder / "dataset.toml").open("a") as f:
        f.write(f"\n[population]\nno_figures = [{listed}]\n")
    return folder


def test_area_without_figures_loads_with_one_warning(tmp_path):
    dataset = load_dataset(without_figures(tmp_path, "C"))
    assert dataset.no_figures == {"C"} and list(dataset.districts["district_id"]) == ["A", "B", "C"]
    [warning] = [w for w in dataset.warnings if w.code == NO_FIGURES]
    assert warning.params == {"count": 1, "districts": "C"}
    assert "C" in warning.text("de") and "keine Angabe" in warning.text("de")


def test_declared_area_with_rows_or_unknown_is_refused(tmp_path):
    with pytest.raises(DataError) as exc:
        load_dataset(without_figures(tmp_path, "C", "Z", keep_rows=True))
    codes = {p.code: p.params for p in exc.value.problems}
    assert codes["population.no_figures_has_rows"] == {"district": "C"}
    assert codes["population.no_figures_unknown"] == {"district": "Z"}


def test_a_list_is_required(tmp_path):
    folder = without_figures(tmp_path, "C")
    toml = (folder / "dataset.toml").read_text().replace('no_figures = ["C"]', 'no_figures = "C"')
    (folder / "dataset.toml").write_text(toml)
    with pytest.raises(DataError) as exc:
        load_dataset(folder)
    [problem] = exc.value.problems
    assert problem.code == "settings.no_figures" and "list of area keys" in problem.text("en")


def test_city_totals_leave_the_area_out(tmp_path):
    calc = Calculator(load_dataset(without_figures(tmp_path, "C")))
    r = calc.compute(Assumptions.defaults(calc.dataset))  # beratung 2025, ratio 2000
    c = r.table.loc["C"]
    assert bool(c["no_figures"]) and not r.table.loc[["A", "B"], "no_figures"].any()
    for column in ("population", "soll_fte", "gap_fte", "coverage", "residents_per_fte", "posts_per_10k", "cost"):
        assert math.isnan(c[column]), column
    assert c["ist_fte"] == 0.0  # no site stands in C
    s = r.summary
    # A 3000 → Soll 1.5, Ist 1.0; B 5000 → Soll 2.5, Ist 3.0; C left out (with figures it added 1000 / 0.5)
    assert (s.population, s.soll_fte, s.ist_fte) == (8000, 4.0, 4.0)
    assert s.gross_gap_fte == pytest.approx(0.5) and s.surplus_fte == pytest.approx(0.5)
    assert s.net_gap_fte == 0 and s.balance_fte == pytest.approx(0.0)
    assert s.coverage == pytest.approx(1.0) and s.units == 3 and s.units_without_figures == 1
    assert s.units_below_75 == 1  # A (66.7 %); C has no coverage at all


def test_an_area_with_posts_keeps_them_but_they_count_nowhere(tmp_path):
    calc = Calculator(load_dataset(without_figures(tmp_path, "B")))
    r = calc.compute(Assumptions.defaults(calc.dataset))
    assert r.table.loc["B", "ist_fte"] == 3.0 and math.isnan(r.table.loc["B", "gap_fte"])
    s = r.summary  # A 3000 / 1.5 / 1.0 and C 1000 / 0.5 / 0.0: B's 3.0 posts are not in the sums
    assert (s.population, s.soll_fte, s.ist_fte) == (4000, 2.0, 1.0)
    assert s.gross_gap_fte == pytest.approx(1.0) and s.units_without_figures == 1
    # the Bezirk Nord (A, B) sums A only; Süd (C) is counted in full
    by_bezirk = calc.compute(Assumptions.defaults(calc.dataset, level="bezirk")).table
    assert by_bezirk.loc["Nord", ["population", "soll_fte", "ist_fte"]].tolist() == [3000, 1.5, 1.0]
    assert not by_bezirk["no_figures"].any()


def test_a_coarser_unit_of_areas_without_figures_has_none(tmp_path):
    calc = Calculator(load_dataset(without_figures(tmp_path, "C")))
    r = calc.compute(Assumptions.defaults(calc.dataset, level="bezirk"))
    assert r.table["no_figures"].to_dict() == {"Nord": False, "Süd": True}
    assert math.isnan(r.table.loc["Süd", "population"]) and math.isnan(r.table.loc["Süd", "ist_fte"])
    assert r.table.loc["Nord", "population"] == 8000 and r.summary.units_without_figures == 1


# -- what a reader sees: grey on the map, "keine Angabe" in tooltip, table, detail and exports -------------
@pytest.fixture
def shown(tmp_path):
    dataset = load_dataset(without_figures(tmp_path, "C"))
    calc = Calculator(dataset)
    return dataset, calc, calc.compute(Assumptions.defaults(dataset))


def test_the_map_paints_the_area_grey_with_its_own_legend_entry(shown):
    _, _, r = shown
    for measure in ("coverage", "gap", "population"):
        paint = paint_payload(r, measure, "de", "v")
        assert paint["palette"][paint["codes"][2]] == NO_FIGURES_COLOUR, measure  # C is the third area
        assert NO_FIGURES_COLOUR not in [paint["palette"][c] for c in paint["codes"][:2]]
        assert "keine Angabe (Einwohnerzahlen fehlen)" in str(legend(r, measure, "de"))
    assert paint_payload(r, "coverage", "de", "v")["codes"][:2] == [1, 4]  # A 66.7 % (50–75), B 120 % (>110)


def test_tooltip_table_and_detail_say_keine_angabe(shown):
    dataset, calc, r = shown
    assert tooltip(r, "C", "de", "observed", "v")["lines"] == [
        "Zielgruppe: keine Angabe", "Soll (Stellen): keine Angabe", "Ist (Stellen): 0,00", "Lücke (Stellen): keine Angabe",
        "Deckungsgrad: keine Angabe", "Einwohner je Stelle: keine Angabe", "Stellen je 10.000 Einwohner: keine Angabe"]
    assert tooltip(r, "A", "en", "observed", "v")["lines"][0] == "Target group: 3,000"
    rows = block(r.table, "de", undefined_words("de"), 0, 10, [("gap_fte", "desc")]).rows
    assert [row["id"] for row in rows] == ["A", "B", "C"]  # no figures sorts last, like any undefined value
    assert rows[2]["population"] == rows[2]["gap_fte"] == rows[2]["coverage"] == "keine Angabe"
    assert rows[2]["ist_fte"] == "0,00" and rows[2]["alerts"] == []
    body = str(detail_body(r.table.loc["C"], "observed", dataset.sites.iloc[:0], {}, {}, "en", []))
    assert body.count("no figures") == 7  # all but Ist and located posts and "nan" not in body.lower()


def test_exports_write_no_figures_not_zero(shown, tmp_path):
    dataset, calc, _ = shown
    ctx = ExportContext(dataset, calc, Assumptions.defaults(dataset), lang="de")
    lines = table_csv(ctx).decode("utf-8-sig").splitlines()
    assert lines[3] == ("C;Cunnersdorf;keine Angabe;keine Angabe;keine Angabe;0,00;0,00;keine Angabe;keine Angabe;"
                        "keine Angabe;keine Angabe;keine Angabe")
    assert lines[4].startswith(";Gesamt;8000;gezählt;4,00;4,00;4,00;0,00;100,0")  # A and B only
    ws = load_workbook(io.BytesIO(table_xlsx(ctx)))["Gebiete"]
    assert [c.value for c in ws[4]] == ["C", "Cunnersdorf", "keine Angabe", "keine Angabe", "keine Angabe", 0.0, 0.0,
                                        "keine Angabe", "keine Angabe", "keine Angabe", "keine Angabe", "keine Angabe"]
    assert ws["C5"].value == 8000
    assert ws["I4"].fill.fgColor.rgb.endswith(NO_FIGURES_COLOUR.lstrip("#").upper())  # coverage: the map's grey
    html = handout_html(ctx)
    assert "keine Angabe" in html and "1 Gebiet(e) ohne Einwohnerzahlen" in html
    report = json.loads(to_json(calc.compute(Assumptions.defaults(dataset))))
    assert report["rows"][2]["no_figures"] is True and report["rows"][2]["population"] is None
    assert report["summary"]["units_without_figures"] == 1 and report["total"]["population"] == 8000
    assert to_csv(calc.compute(Assumptions.defaults(dataset))).splitlines()[3].startswith("C,Cunnersdorf,no figures,")
