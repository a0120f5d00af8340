"""One fault per test: the exact problem is reported at the user's row and column, and nothing is written."""

import json

import pytest

from .conftest import find
from .make_messy import MESSY, square


def only_error(report, file):
    errors = report.errors
    assert not report.ok and not report.written
    assert [p.file for p in errors] == [file] * len(errors), report.to_text()
    return errors


def where(problem):
    return problem.file, problem.row, problem.column, problem.value


def test_forgotten_year(run, tmp_path):
    report = run(population=MESSY / "fehler_jahr_fehlt.csv")
    [problem] = only_error(report, "fehler_jahr_fehlt.csv")
    assert problem.message("en") == "district 03 has no rows for 2026"
    assert (problem.column, problem.value) == ("Jahr", "03")
    assert not (tmp_path / "out" / "testhausen").exists()


def test_negative_count(run):
    report = run(population=MESSY / "fehler_negativ.csv")
    [problem] = only_error(report, "fehler_negativ.csv")
    assert (problem.code, problem.params) == ("population.count_negative", {})
    assert problem.message("en") == "the population is negative"
    assert problem.message("de") == "die Einwohnerzahl ist negativ"
    assert where(problem) == ("fehler_negativ.csv", 4, "80 und älter", "-5")
    [total] = find(report, "fehler_negativ.csv", "the total column is 1900, its age columns", "warning")
    assert (total.row, total.column, total.value) == (4, "Insgesamt", "1.900")


def test_count_that_is_not_a_number(run):
    [problem] = only_error(run(population=MESSY / "fehler_keine_zahl.csv"), "fehler_keine_zahl.csv")
    assert problem.message("en") == "the population is not a number"
    assert where(problem) == ("fehler_keine_zahl.csv", 10, "60 bis 64", "k.A.")


def test_duplicate_key_after_padding_is_not_merged(run):
    [problem] = only_error(run(population=MESSY / "fehler_doppelt.csv"), "fehler_doppelt.csv")
    assert where(problem) == ("fehler_doppelt.csv", 11, "Stadtteil", "2")
    assert problem.code == "key.merged_twice"
    assert problem.params == {"text": "2", "other": "02", "row": 3, "district": "02", "year": 2025}
    assert problem.message("en") == ("district key '2' and key '02' (row 3) are both district 02 after normalisation; "
                               "the table lists its 2025 residents twice")


def test_unknown_district_key(run):
    [problem] = only_error(run(population=MESSY / "fehler_schluessel.csv"), "fehler_schluessel.csv")
    assert problem.message("en") == "this district id is not in the boundary file"
    assert where(problem) == ("fehler_schluessel.csv", 10, "Stadtteil", "99")


def test_straddling_band(run):
    [problem] = only_error(run(population=MESSY / "fehler_band_55.csv"), "fehler_band_55.csv")
    assert (problem.code, problem.params) == ("population.band_straddles", {"band": "55-64", "rule": "60+", "at": 60})
    assert problem.message("en").startswith("age band 55-64 straddles the limit of '60+'; split it at 60")
    assert (problem.row, problem.column, problem.value) == (None, "55 bis 64", "55-64")


def test_ambiguous_age_header(run):
    [problem] = only_error(run(population=MESSY / "fehler_ueber80.csv"), "fehler_ueber80.csv")
    assert problem.code == "population.header_unreadable"
    assert problem.message("en") == "'über 80' could mean 80+ or 81+"
    assert problem.message("de") == "'über 80' kann 80+ oder 81+ bedeuten"
    assert (problem.row, problem.column) == (1, "über 80")


def test_ambiguous_columns_are_refused(run):
    [problem] = only_error(run(population=MESSY / "fehler_mehrdeutig.csv"), "fehler_mehrdeutig.csv")
    assert problem.message("en") == ("columns 'Einwohner', 'Bevölkerung' could each be the population; "
                               "the import does not guess")
    assert 'mapping.toml: [population] population = "Einwohner"' in problem.hint("en")


def test_site_outside_the_city(run):
    [problem] = only_error(run(services=MESSY / "fehler_ausserhalb.csv"), "fehler_ausserhalb.csv")
    assert problem.code == "services.outside"
    assert problem.message("en") == "the site lies outside every district"
    assert where(problem) == ("fehler_ausserhalb.csv", 4, "Längengrad", "13,40495 / 52,52001")


def test_unknown_service(run):
    [problem] = only_error(run(services=MESSY / "fehler_angebot.csv"), "fehler_angebot.csv")
    assert problem.message("en") == "this service is not defined in dataset.toml"
    assert where(problem) == ("fehler_angebot.csv", 5, "Angebot", "Pflege")


def test_coordinate_that_is_not_a_number(run, tmp_path):
    text = (MESSY / "standorte.csv").read_text(encoding="utf-8-sig").replace("7,75205", "7,75O05")
    path = tmp_path / "standorte_tippfehler.csv"
    path.write_text(text, encoding="utf-8")
    [problem] = only_error(run(services=path), path.name)
    assert problem.message("en") == "the coordinate is not a number"
    assert where(problem) == (path.name, 3, "Längengrad", "7,75O05")


def test_missing_year_column_and_fixed_year(run, tmp_path):
    path = tmp_path / "ohne_jahr.csv"
    path.write_text("Stadtteil;unter 60;60 und älter\n01;100;50\n02;100;50\n03;100;50\n10;100;50\n", encoding="utf-8")
    [problem] = only_error(run(population=path), path.name)
    assert problem.message("en") == "the table has no year column"
    assert "[population.fixed] year = 2025" in problem.hint("en")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text("[population.fixed]\nyear = 2025\n", encoding="utf-8")
    report = run(population=path, mapping=mapping)
    assert report.ok, report.to_text()
    assert ("ohne_jahr.csv", "year", "2025", "fixed value") in {(c.file, c.role, c.column, c.how) for c in report.columns}


def test_duplicate_boundary_id(run, tmp_path):
    data = json.loads((MESSY / "stadtteile_25832.geojson").read_text(encoding="utf-8"))
    data["features"][3]["properties"]["STT_ID"] = "02"
    path = tmp_path / "doppelt.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    [problem] = only_error(run(boundaries=path), path.name)
    assert (problem.code, problem.params) == ("boundaries.id_twice", {"id": "02", "other": 2})
    assert problem.message("en") == "district id '02' is used twice (also feature 2)"
    assert (problem.row, problem.column, problem.value) == (4, "STT_ID", "02")


def test_key_fitting_two_boundary_keys_is_refused(run, tmp_path):
    data = json.loads((MESSY / "stadtteile_25832.geojson").read_text(encoding="utf-8"))
    data["features"][3]["properties"]["STT_ID"] = "1"  # the boundary file has both '01' and '1'
    path = tmp_path / "eins.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    pop = tmp_path / "pop.csv"
    pop.write_text("Stadtteil;Jahr;Altersgruppe;Einwohner\n01;2025;60+;500\n001;2025;60+;400\n", encoding="utf-8")
    report = run(boundaries=path, population=pop)
    [problem] = find(report, "pop.csv", "fits the boundary keys")
    assert problem.message("en") == "the district key '001' fits the boundary keys '01', '1'"
    assert (problem.row, problem.column, problem.value) == (3, "Stadtteil", "001")
    assert not find(report, "pop.csv", "not in the boundary file")


def test_metres_in_a_geojson_without_crs(run, tmp_path):
    data = json.loads((MESSY / "stadtteile_25832.geojson").read_text(encoding="utf-8"))
    del data["crs"]
    path = tmp_path / "ohne_crs.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    [problem] = only_error(run(boundaries=path), path.name)
    assert problem.message("en").startswith("the coordinates look like metres, but the CRS (EPSG:4326")
    assert problem.value == "411000, 5.654e+06"
    assert run(boundaries=path, crs="EPSG:25832").ok


def test_degrees_under_a_metre_crs_warns(run, tmp_path):
    data = json.loads((MESSY / "stadtteile_25832.geojson").read_text(encoding="utf-8"))
    del data["crs"]
    for feature, i in zip(data["features"], range(4)):
        feature["geometry"]["coordinates"] = [[[7.73 + x / 100000 - 4.11, 51.03 + (y - 5654000) / 100000]
                                               for x, y in square(i)]]
    path = tmp_path / "grad.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    report = run(boundaries=path, crs="EPSG:25832")
    [warning] = find(report, path.name, "look like degrees", "warning")
    assert "counts metres" in warning.message("en")


def test_mapping_typos_are_errors(run, tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[populaton]\ndistrict_id = "Stadtteil"\n\n[services]\nvza = "VZÄ"\n', encoding="utf-8")
    report = run(mapping=mapping)
    assert {(p.column, p.message("en")) for p in report.errors} == {
        ("populaton", "is not a table mapping.toml knows"), ("services.vza", "is not a column role")}


def test_mapping_names_a_missing_column(run, tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[services]\nfte = "Stellen"\n', encoding="utf-8")
    [problem] = run(mapping=mapping).errors
    assert (problem.file, problem.row, problem.column) == ("standorte.csv", 1, "Stellen")
    assert problem.message("en") == "the column named for fte in mapping.toml is not in the file"


def test_service_without_sites_warns(run, tmp_path):
    settings = tmp_path / "dataset.toml"
    settings.write_text((MESSY / "dataset.toml").read_text(encoding="utf-8")
                        + '\n[services.pflege]\nlabel = "Pflegeplätze"\nratios = { 2025 = 50 }\n', encoding="utf-8")
    report = run(settings=settings)
    assert report.ok
    [warning] = find(report, "dataset.toml", "has no site", "warning")
    assert warning.column == "services.pflege"


@pytest.mark.parametrize("bad,column,message", [
    ("fte = -1", "VZÄ", "the FTE is negative"),
    ("year_to", "bis", "the last year is before the first year"),
])
def test_site_rows(run, tmp_path, bad, column, message):
    text = (MESSY / "standorte.csv").read_text(encoding="utf-8-sig")
    text = text.replace(";1,5;2025;;1;", ";-1;2025;;1;") if bad.startswith("fte") else \
        text.replace(";2,0;2025;2025;", ";2,0;2025;2024;")
    path = tmp_path / "sites.csv"
    path.write_text(text, encoding="cp1252")
    [problem] = only_error(run(services=path), "sites.csv")
    assert (problem.message("en"), problem.column) == (message, column)
    assert problem.row == (2 if bad.startswith("fte") else 3)


def test_services_table_without_sites_is_allowed_with_warnings(run, tmp_path):
    path = tmp_path / "keine.csv"
    path.write_text("Standort;Angebot;VZÄ;von;Stadtteil\n", encoding="utf-8")
    report = run(services=path)
    assert report.ok, report.to_text()
    assert find(report, "keine.csv", "the table has no sites", "warning")
    assert len(find(report, "keine.csv", "has residents but no service site", "warning")) == 4


def test_population_table_without_rows(run, tmp_path):
    path = tmp_path / "leer.csv"
    path.write_text("Stadtteil;Jahr;Altersgruppe;Einwohner\n", encoding="utf-8")
    [problem] = only_error(run(population=path), "leer.csv")
    assert problem.message("en") == "the table has no rows"


def test_not_a_workbook(run, tmp_path):
    path = tmp_path / "alt.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0 an old .xls renamed")
    [problem] = only_error(run(population=path), "alt.xlsx")
    assert problem.message("en") == "the file is not an Excel workbook (.xlsx)"


def test_rows_are_counted_as_the_file_shows_them(run, tmp_path):
    """A blank line is an empty spreadsheet row; a line break inside a quoted cell is not a new row."""
    lines = (MESSY / "fehler_negativ.csv").read_bytes().decode("cp1252").split("\r\n")
    lines.insert(2, "")  # a blank line before the faulty row
    lines[1] = lines[1].replace("Altstadt", '"Alt-\nstadt"')  # a cell with a line break
    path = tmp_path / "luecken.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    [problem] = only_error(run(population=path), "luecken.csv")
    assert (problem.row, problem.column, problem.value) == (5, "80 und älter", "-5")
