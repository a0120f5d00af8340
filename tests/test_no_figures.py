"""Areas without figures (`[population] no_figures`): kept on the map, left out of every sum; hand-computed."""

import math
import shutil

import pytest

from dashboard.dataset import load_dataset
from dashboard.errors import DataError
from dashboard.scenario import Assumptions, Calculator
from dashboard.validation import NO_FIGURES

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
