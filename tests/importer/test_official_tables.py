"""Tables in the shapes cities publish import without hand edits, or fail with one grouped message."""

import pandas as pd
import pytest

from dashboard.dataset import load_dataset
from dashboard.importer import import_dataset

from . import official
from .conftest import find


@pytest.fixture
def files(tmp_path):
    (tmp_path / "out").mkdir()
    settings = tmp_path / "dataset.toml"
    settings.write_text(official.DATASET_TOML, encoding="utf-8")
    services = tmp_path / "standorte.csv"
    services.write_text(official.SERVICES_CSV, encoding="utf-8")
    return {"boundaries": official.boundaries(tmp_path), "services": services, "settings": settings,
            "out": tmp_path / "out" / "mitte"}


def sixty_plus(out) -> dict[str, float]:
    population = load_dataset(out).population
    older = population[population["age_band"].map(lambda b: int(b.split("-")[0].rstrip("+")) >= 60)]
    return older.groupby("district_id")["population"].sum().to_dict()


def notes(report) -> str:
    return "\n".join(n.text("en") for n in report.normalisations)


def test_register_table_with_coded_headers_imports_without_a_mapping(files, tmp_path):
    report = import_dataset(population=official.register(tmp_path), **files)
    assert report.ok, report.to_text("en")
    assert report.errors == [] and report.warnings == []
    dataset = load_dataset(files["out"])
    assert sorted(dataset.population["age_band"].unique()) == ["0-59", "60-62", "63-64", "65-66", "67-69",
                                                               "70-79", "80-109"]
    assert dataset.years == [2025]  # ZEIT 202512 read as its year
    assert sixty_plus(files["out"]) == dict(zip([a[0] for a in official.AREAS], official.SIXTY_PLUS))
    text = notes(report)
    assert "'E_E60_63' → 60-62" in text and "'E_E65U80' → 65-79" not in text  # each reading reported
    assert "'E_E65U80' (65-79) left out: the sum of 'E_E65_67', 'E_E67_70', 'E_E70_80'" in text
    assert "'E_E60U65' (60-64) left out" in text
    assert "id attribute 'plr_id' found by its values: 4 of 4 keys of the population column 'RAUMID' (100 %)" in text
    assert "ZEIT: dates read as their year" in text
    assert "total column(s) left out: 'E_E'" in text  # a total checked against the bands, not an unused column


def test_an_aggregate_that_differs_from_its_parts_is_named_with_row_and_values(files, tmp_path):
    report = import_dataset(population=official.register(tmp_path, mismatch=True), **files)
    assert report.ok  # the fine columns are used
    [warning] = find(report, message="aggregate column")
    assert (warning.row, warning.column, warning.value) == (3, "E_E65U80", "101")
    assert warning.message("en") == ("area 01011102 (Großer Tiergarten): the aggregate column is 101, its parts "
                                     "(E_E65_67, E_E67_70, E_E70_80) sum to 100")


@pytest.mark.parametrize("make", [official.hamburg, official.kiel, official.by_sex, official.names_only])
def test_city_forms_import(files, tmp_path, make):
    # the boundary ids are found by name here: the table's key column is recognised by its header
    report = import_dataset(population=make(tmp_path), **files)
    assert report.ok, report.to_text("en")
    assert sixty_plus(files["out"]) == dict(zip([a[0] for a in official.AREAS], official.SIXTY_PLUS))
    if make is official.by_sex:
        assert "'männlich 60-62' + 'weiblich 60-62' summed into 60-62" in notes(report)


def test_mapping_names_the_bands_of_unreadable_headers(files, tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text("[population.bands]\n" + "\n".join(
        f'"AG{i:02d}" = "{i + 19}-{i + 19}"' for i in range(1, 41)) + '\n"AG41" = "60+"\n', encoding="utf-8")
    report = import_dataset(population=official.unreadable(tmp_path), mapping=mapping, **files)
    assert report.ok, report.to_text("en")
    population = load_dataset(files["out"]).population
    assert population["age_band"].nunique() == 41 and population["population"].sum() == 4 * 41 * 10


def test_the_stuck_planners_table_gives_one_grouped_message(files, tmp_path):
    report = import_dataset(population=official.unreadable(tmp_path), **files)
    assert not report.ok
    assert len(report.errors) <= 3
    [error] = report.errors
    assert error.message("en") == ("41 column(s) look like age bands but cannot be read: AG01, AG02, AG03, AG04, "
                                   "AG05, …")
    assert "mapping.toml [population.bands]" in error.hint("en") and "import page" in error.hint("en")


def test_two_key_columns_matching_equally_are_refused(files, tmp_path):
    path = official.register(tmp_path)
    table = pd.read_csv(path, sep=";", dtype=str)
    table.insert(3, "RAUMID_ALT", table["RAUMID"])
    table.to_csv(path, sep=";", index=False)
    report = import_dataset(population=path, **files)
    assert not report.ok
    [error] = find(report, message="match the population table's keys equally well")
    assert "plr_id = RAUMID" in error.message("en") and "plr_id = RAUMID_ALT" in error.message("en")


def test_missing_value_markers_give_one_message_per_area(files, tmp_path):
    report = import_dataset(population=official.with_markers(tmp_path), **files)
    assert not report.ok
    assert [e.message("en") for e in report.errors] == [
        "area 01011102 (Großer Tiergarten): 2 age column(s) have no figure: 60 bis unter 63, 63 bis unter 65"]
    [warning] = [w for w in report.warnings if w.code == "population.no_figures"]
    assert warning.message("en") == ("2 area(s) with no figure in any age column, imported as 'no figures': "
                                     "01011103 (Lützowstraße), 01011104 (Körnerstraße)")


def test_areas_without_any_figure_import_as_no_figures(files, tmp_path):
    report = import_dataset(population=official.with_markers(tmp_path, partly=False), **files)
    assert report.ok, report.to_text("en")
    [warning] = [w for w in report.warnings if "no_figures" in w.code or "without_figures" in w.code]
    assert warning.message("de") == ("2 Gebiet(e) ohne Zahlen in allen Altersspalten, übernommen als „keine Angabe“: "
                                     "01011103 (Lützowstraße), 01011104 (Körnerstraße)")
    dataset = load_dataset(files["out"])
    assert dataset.no_figures == {"01011103", "01011104"} and len(dataset.districts) == 4
    assert set(dataset.population["district_id"]) == {"01011101", "01011102"}
    assert 'no_figures = [\n    "01011103",\n    "01011104",\n]' in (files["out"] / "dataset.toml").read_text()
    assert sixty_plus(files["out"]) == {"01011101": 200, "01011102": 200}


def sites(files, text):
    files["services"].write_text("Standort-Nr;Angebot;VZÄ;von;lon;lat\n" + text, encoding="utf-8")


def test_a_point_in_degrees_of_a_decimal_comma_file_is_read_as_degrees(files, tmp_path):
    sites(files, "S1;Seniorenberatung;1,5;2025;13.305;52.505\nS2;Seniorenberatung;0,5;2025;13,315;52,515\n")
    report = import_dataset(population=official.hamburg(tmp_path), **files)
    assert report.ok, report.to_text("en")
    placed = load_dataset(files["out"]).sites.set_index("site_id")["district_id"].to_dict()
    assert placed == {"S1": "01011101", "S2": "01011104"}
    assert "lon/lat: a number with a point (e.g. 13.775) read as degrees" in notes(report)


def test_a_point_outside_the_boundaries_is_refused_naming_both_readings(files, tmp_path):
    sites(files, "S1;Seniorenberatung;1,5;2025;13.775;52.505\nS2;Seniorenberatung;0,5;2025;13,315;52,515\n")
    report = import_dataset(population=official.hamburg(tmp_path), **files)
    assert not report.ok
    [error] = report.errors
    assert (error.row, error.column) == (2, "lon")
    assert error.message("en").startswith("'13.775' could be 13.775° or 13775")


def test_no_crs_is_advised_for_numbers_no_german_crs_gives(files, tmp_path):
    sites(files, "S1;Seniorenberatung;1,5;2025;13775;52505\n")
    report = import_dataset(population=official.hamburg(tmp_path), **files)
    [error] = report.errors
    assert error.code == "crs.sites_not_coordinates" and "EPSG" not in error.hint("en")


def test_faults_of_one_kind_are_one_message_naming_rows_and_areas(files, tmp_path):
    path = official.hamburg(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    for i in (1, 2, 4):  # three areas with a negative count in '60 bis unter 63'
        cells = lines[i].split(";")
        cells[3] = "-1"
        lines[i] = ";".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_dataset(population=path, **files)
    [error] = [e for e in report.errors if e.column == "60 bis unter 63"]
    assert error.code == "import.grouped" and error.params["count"] == 3
    assert error.message("en") == ("the population is negative — in 3 rows: row 2 ('-1' – area 01011101 "
                                   "(Stülerstraße)); row 3 ('-1' – area 01011102 (Großer Tiergarten)); row 5 ('-1' – "
                                   "area 01011104 (Körnerstraße))")


def test_the_stuck_planners_register_table_imports_without_a_mapping(files, tmp_path):
    """Once 44 errors: 41 unreadable coded headers, no key column, no id attribute. Now none."""
    report = import_dataset(population=official.register_one_year_bands(tmp_path), **files)
    assert report.ok, report.to_text("en")
    assert report.errors == [] and report.warnings == []
    population = load_dataset(files["out"]).population
    assert population["age_band"].nunique() == 96  # the aggregates are left out
    assert population.groupby("district_id")["population"].sum().tolist() == [970] * 4
    assert sixty_plus(files["out"]) == {key: 370 for key, *_ in official.AREAS}
    assert notes(report).count("left out: the sum of") == 4


def test_coded_sex_split_register_imports_with_sums_and_checked_totals(files, tmp_path):
    report = import_dataset(population=official.register_by_sex(tmp_path), **files)
    assert report.ok, report.to_text("en")
    assert sixty_plus(files["out"]) == dict(zip([a[0] for a in official.AREAS], official.SIXTY_PLUS))
    text = notes(report)
    assert "'E_M60_63' + 'E_W60_63' summed into 60-62 (male + female)" in text and "'E_E', 'E_M', 'E_W'" in text
    assert not [w for w in report.warnings if w.code == "population.total_differs"]


def test_a_coded_total_that_differs_from_its_bands_is_named_with_row_and_values(files, tmp_path):
    report = import_dataset(population=official.register_by_sex(tmp_path, wrong_total=True), **files)
    assert report.ok, report.to_text("en")
    [warning] = [w for w in report.warnings if w.code == "population.total_differs"]
    assert (warning.row, warning.column) == (3, "E_E")
    assert warning.message("en") == ("area 01011102 (Großer Tiergarten): the total column is 1105, its age columns "
                                     "(E_M00_60 + E_W00_60, E_M60_63 + E_W60_63, E_M63_65 + E_W63_65, "
                                     "E_M65_67 + E_W65_67, E_M67_70 + E_W67_70, …) sum to 1100")


def test_an_area_empty_in_one_year_only_is_an_error_naming_it(files, tmp_path):
    path = official.hamburg(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    later = [line.replace("31.12.2025", "31.12.2026") for line in lines[1:]]
    cells = later[3].split(";")
    cells[2:9] = ["-"] * 7  # Körnerstraße has figures for 2025, none for 2026
    later[3] = ";".join(cells)
    path.write_text("\n".join(lines + later) + "\n", encoding="utf-8")
    report = import_dataset(population=path, **files)
    assert not report.ok and not [w for w in report.warnings if w.code == "population.no_figures"]
    [error] = report.errors
    assert (error.code, error.row) == ("population.counts_missing", 9)
    assert error.message("en").startswith("area 01011104 (Körnerstraße): 7 age column(s) have no figure: unter 60, ")


def test_missing_markers_of_a_long_table_give_one_message_per_area(files, tmp_path):
    report = import_dataset(population=official.long_form(tmp_path), **files)
    assert not report.ok
    [error] = report.errors
    assert (error.code, error.row, error.column) == ("population.rows_missing", 10, "Einwohner")
    assert error.message("en") == ("area 01011102 (Großer Tiergarten): 2 figure(s) missing: "
                                   "60 bis unter 63, 63 bis unter 65 (row(s) 10, 11)")
    [warning] = [w for w in report.warnings if w.code == "population.no_figures"]
    assert warning.message("en") == ("2 area(s) with no figure in any row, imported as 'no figures': "
                                     "01011103 (Lützowstraße), 01011104 (Körnerstraße)")
    assert warning.row == 16  # the third area's first row


def test_areas_of_a_long_table_without_any_figure_import_as_no_figures(files, tmp_path):
    report = import_dataset(population=official.long_form(tmp_path, partly=False), **files)
    assert report.ok, report.to_text("en")
    [warning] = [w for w in report.warnings if w.code == "population.no_figures"]
    assert warning.message("de") == ("2 Gebiet(e) ohne Zahlen in allen Zeilen, übernommen als „keine Angabe“: "
                                     "01011103 (Lützowstraße), 01011104 (Körnerstraße)")
    assert not [p for p in report.warnings if p.code.startswith("population.count")]
    dataset = load_dataset(files["out"])
    assert dataset.no_figures == {"01011103", "01011104"} and len(dataset.districts) == 4
    assert set(dataset.population["district_id"]) == {"01011101", "01011102"}
    assert sixty_plus(files["out"]) == {"01011101": 200, "01011102": 200}


def test_an_area_of_a_long_table_empty_in_one_year_only_is_an_error_naming_its_rows(files, tmp_path):
    path = official.long_form(tmp_path, partly=False, years=("31.12.2025", "31.12.2026"), empty_in=("31.12.2026",))
    report = import_dataset(population=path, **files)
    assert not report.ok and not [w for w in report.warnings if w.code == "population.no_figures"]
    assert [(e.code, e.row) for e in report.errors] == [("population.rows_missing", 44),
                                                        ("population.rows_missing", 51)]
    assert report.errors[1].message("en") == (
        "area 01011104 (Körnerstraße): 7 figure(s) missing: unter 60 2026, 60 bis unter 63 2026, "
        "63 bis unter 65 2026, 65 bis unter 67 2026, 67 bis unter 70 2026, … (row(s) 51, 52, 53, 54, 55, …)")


def test_a_table_wide_by_year_groups_its_missing_cells_by_area(files, tmp_path):
    path = official.long_form(tmp_path)  # the same figures, one column per year
    table = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False).drop(columns="Stichtag")
    table = table.rename(columns={"Einwohner": "2025"}).assign(**{"2026": table["Einwohner"]})
    table.to_csv(path, sep=";", index=False)
    report = import_dataset(population=path, **files)
    [error] = report.errors
    assert (error.code, error.row, error.column) == ("population.rows_missing", 10, "2025")
    assert error.message("en") == ("area 01011102 (Großer Tiergarten): 4 figure(s) missing: 60 bis unter 63 2025, "
                                   "60 bis unter 63 2026, 63 bis unter 65 2025, 63 bis unter 65 2026 (row(s) 10, 11)")
    [warning] = [w for w in report.warnings if w.code == "population.no_figures"]
    assert warning.params["count"] == 2
