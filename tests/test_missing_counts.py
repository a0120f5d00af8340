"""population.csv is a long table too: missing-value markers give one problem per area, not one per row."""

import pytest

from dashboard.dataset import load_dataset
from dashboard.errors import DataError


def mark(folder, marks: dict[tuple[str, str, str], str]):
    """Replace the count of (district, year, band) rows of the tiny dataset's population.csv."""
    path = folder / "population.csv"
    lines = path.read_text().splitlines()
    for n, line in enumerate(lines):
        cells = line.split(",")
        if tuple(cells[:3]) in marks:
            cells[3] = marks[tuple(cells[:3])]
            lines[n] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")


def problems(folder):
    with pytest.raises(DataError) as exc:
        load_dataset(folder)
    return exc.value.problems


def test_an_area_with_no_figure_in_any_row_is_one_error_saying_how_to_declare_it(tiny_copy):
    bands = ["0-59", "60-64", "65-79", "80+"]
    markers = iter(["NA", "-", "–", ".", "x", "…", "", "n/a"])
    mark(tiny_copy, {("C", year, band): next(markers) for year in ("2025", "2026") for band in bands})
    [p] = problems(tiny_copy)
    assert (p.code, p.row, p.column, p.value) == ("population.area_without_figures", 10, "district_id", "C")
    assert p.message("en") == "area C has no figure in any of its 8 rows"
    assert 'no_figures = ["C"]' in p.hint("en") and "remove its rows" in p.hint("en")
    assert p.message("de") == "Gebiet C hat in keiner seiner 8 Zeilen eine Zahl"


def test_an_area_with_some_rows_missing_is_one_error_naming_bands_and_rows(tiny_copy):
    mark(tiny_copy, {("A", "2025", "60-64"): "-", ("A", "2026", "80+"): "x", ("B", "2025", "0-59"): ""})
    found = problems(tiny_copy)
    assert [(p.code, p.row) for p in found] == [("population.rows_missing", 3), ("population.rows_missing", 6)]
    assert found[0].message("en") == "area A: 2 figure(s) missing: 60-64 2025, 80+ 2026 (row(s) 3, 17)"
    assert found[1].message("de") == "Gebiet B: 1 Zahl(en) fehlen: 0-59 2025 (Zeile(n) 6)"


def test_text_that_is_no_marker_is_still_a_cell_error(tiny_copy):
    mark(tiny_copy, {("A", "2025", "60-64"): "viele"})
    path = tiny_copy / "population.csv"
    path.write_text(path.read_text() + "Q,2025,0-59,,observed\n")
    codes = [(p.code, p.row) for p in problems(tiny_copy)]
    assert ("population.count_not_number", 3) in codes and ("population.count_empty", 26) in codes
    assert ("population.id_unknown", 26) in codes and not [c for c, _ in codes if "missing" in c]
