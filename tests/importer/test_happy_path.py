"""From raw messy files to a dataset folder that load_dataset accepts, with hand-computed results."""

import json
import os
import subprocess
import sys
import tomllib

import pandas as pd
import pytest

from dashboard.dataset import load_dataset
from dashboard.importer.cli import add_import_parser, main, run_import
from dashboard.scenario import Assumptions, Calculator

from ..conftest import REPO
from .conftest import find
from .make_messy import MESSY, build_shapefile_zip


def result(out, service, year, **kw):
    dataset = load_dataset(out)
    return Calculator(dataset).compute(Assumptions.defaults(dataset, service=service, year=year, **kw))


def test_messy_files_become_a_valid_dataset(run, tmp_path):
    out = tmp_path / "out" / "testhausen"
    report = run()
    assert report.ok, report.to_text()
    assert sorted(p.name for p in out.iterdir()) == ["dataset.toml", "districts.geojson", "population.csv",
                                                     "services.csv"]
    dataset = load_dataset(out)
    assert dataset.id == "testhausen"
    assert list(dataset.districts["district_id"]) == ["01", "02", "03", "10"]
    assert list(dataset.districts["name"]) == ["Altstadt", "Bahnhofsviertel", "Cottaer Höhe", "Zschertnitz"]
    assert list(dataset.districts["stadtbezirk"]) == ["Nord", "Nord", "Süd", "Süd"]
    assert dataset.districts.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = dataset.districts.total_bounds
    assert 7.7 < minx < maxx < 7.8 and 51.0 < miny < maxy < 51.05
    assert dataset.years == [2025, 2026]
    assert sorted(dataset.population["age_band"].unique()) == ["0-59", "60-64", "65-79", "80+"]
    # thousands dots and the city total row are gone; '1' became '01'
    assert dataset.population["population"].sum() == 10670 + 10900
    assert sorted(dataset.sites["district_id"]) == ["01", "01", "02", "02", "03"]  # B2 and T2 placed by lon/lat


def test_calculator_matches_hand_computed_numbers(run, tmp_path):
    assert run().ok
    out = tmp_path / "out" / "testhausen"
    r = result(out, "beratung", 2025)
    t = r.table
    # 60+ = 60-64 + 65-79 + 80+; ratio 1000 residents per FTE in 2025
    assert t.loc["01", "population"] == 2000 and t.loc["01", "soll_fte"] == pytest.approx(2.0)
    assert t.loc["01", "ist_fte"] == pytest.approx(1.5) and t.loc["01", "gap_fte"] == pytest.approx(0.5)
    assert t.loc["02", "population"] == 3000 and t.loc["02", "ist_fte"] == pytest.approx(2.0)  # B2 via coordinates
    assert t.loc["03", "soll_fte"] == pytest.approx(1.0) and t.loc["03", "ist_fte"] == 0
    assert t.loc["10", "population"] == 170 and t.loc["10", "soll_fte"] == pytest.approx(0.17)
    assert r.summary.gross_gap_fte == pytest.approx(0.5 + 1.0 + 1.0 + 0.17)
    assert r.summary.gross_cost_eur == pytest.approx(2.67 * 75000)

    r = result(out, "beratung", 2026)  # ratio 800; B2 ended 2025, B3 (2.5) starts 2026
    assert r.table.loc["01", "soll_fte"] == pytest.approx(2150 / 800)
    assert r.table.loc["02", "ist_fte"] == pytest.approx(2.5)
    assert r.table.loc["02", "gap_fte"] == pytest.approx(3150 / 800 - 2.5)

    r = result(out, "begegnung", 2025)  # ratio 2000; T1 0,75 in 03 (open end 'offen'), T2 0,5 in 01 by lon/lat
    assert r.table.loc["03", "gap_fte"] == pytest.approx(1000 / 2000 - 0.75)  # surplus stays negative
    assert r.table.loc["01", "ist_fte"] == pytest.approx(0.5)

    r = result(out, "beratung", 2025, level="stadtbezirk")
    assert r.table.loc["Nord", "population"] == 5000 and r.table.loc["Süd", "population"] == 1170


def test_report_lists_normalisations_and_choices(run):
    report = run()
    text = report.to_text("en")
    notes = [n.text("en") for n in report.normalisations]
    assert "district key '1' → '01' (zero-padded to the boundary file's 2-digit keys) (rows 2, 7)" in notes
    assert "district key '2' → '02' (zero-padded to the boundary file's 2-digit keys) (row 8)" in notes
    assert any(n.startswith("4 age columns turned into rows: 'unter 60' → 0-59, '60 bis 64' → 60-64, "
                            "'65 bis unter 80' → 65-79, '80 und älter' → 80+") for n in notes)
    assert "read as Windows-1252 (cp1252)" in notes
    assert "read as UTF-8 with byte-order mark" in notes
    assert "total rows left out (row 6)" in notes
    assert "thousands separators removed (rows 2, 3, 7, 8)" in notes
    assert any("coordinates in EPSG:25832" in n and "(.prj)" in n for n in notes)
    assert "status 'illustrativ' read as illustrative (rows 3, 4)" in notes
    choices = {(c.file, c.role): (c.column, c.how) for c in report.columns}
    assert choices[("einwohner_breit.csv", "district_id")] == ("Stadtteil", "detected")
    assert choices[("standorte.csv", "fte")] == ("VZÄ", "detected")
    assert choices[("standorte.csv", "provider")] == ("Träger", "detected")
    assert choices[("stadtteile.zip", "id")] == ("STT_ID", "detected")
    assert "fte ← 'VZÄ' (detected)" in text
    as_dict = report.to_dict()
    assert as_dict["ok"] and as_dict["error_count"] == 0
    json.dumps(as_dict)  # the web page gets plain data


def test_required_warnings(run):
    report = run()
    small = find(report, "einwohner_breit.csv", "fewer than 300 residents", "warning")
    assert len(small) == 1 and "district 10 (Zschertnitz)" in small[0].message("en") and "2025: 270" in small[0].message("en")
    no_sites = find(report, "standorte.csv", "has residents but no service site", "warning")
    assert [p.value for p in no_sites] == ["10"]
    assert not find(report, message="have no service site")  # the core's summary is replaced, not repeated


def test_long_table_with_german_spellings_and_status_words(run, tmp_path):
    report = run(population=MESSY / "einwohner_lang_bom.csv")
    assert report.ok, report.to_text()
    dataset = load_dataset(tmp_path / "out" / "testhausen")
    assert dataset.year_status(2026) == "forecast" and dataset.year_status(2025) == "observed"
    notes = [n.text("en") for n in report.normalisations]
    assert any(n.startswith("age band '80 und älter' read as 80+") for n in notes)
    assert any(n.startswith("status 'Prognose' read as forecast") for n in notes)
    assert ("einwohner_lang_bom.csv", "district_id") in {(c.file, c.role) for c in report.columns}


def test_decimal_point_file_with_thousands_commas(run, tmp_path):
    report = run(population=MESSY / "population_point.csv")
    assert report.ok, report.to_text()
    population = load_dataset(tmp_path / "out" / "testhausen").population
    assert population.loc[(population.district_id == "02") & (population.year == 2025)
                          & (population.age_band == "0-59"), "population"].item() == 2000  # "2,000"


def test_mapping_toml_and_utm_sites_with_crs(run, tmp_path):
    report = run(population=MESSY / "einwohner_eigen.csv", services=MESSY / "standorte_utm.csv",
                 mapping=MESSY / "mapping.toml")
    assert report.ok, report.to_text()
    choices = {(c.file, c.role): c.how for c in report.columns}
    assert choices[("einwohner_eigen.csv", "population")] == "mapping.toml"
    assert choices[("stadtteile.zip", "id")] == "mapping.toml"
    sites = load_dataset(tmp_path / "out" / "testhausen").sites.set_index("site_id")
    assert sites.loc["B1", "district_id"] == "01" and sites.loc["T1", "district_id"] == "03"
    assert sites.loc["T1", "service"] == "begegnung"  # 'Seniorentreff' via [service_keys]
    assert 7.7 < sites.loc["B1", "lon"] < 7.8
    assert any("transformed to WGS84" in n.text("en") for n in report.normalisations if n.file == "standorte_utm.csv")


def test_utm_sites_without_crs_are_refused(run, tmp_path):
    report = run(services=MESSY / "standorte_utm.csv")
    problems = find(report, "standorte_utm.csv", "not degrees and their coordinate reference system is not given")
    assert problems and problems[0].column == "Rechtswert/Hochwert"
    assert not (tmp_path / "out" / "testhausen").exists()
    report = run(services=MESSY / "standorte_utm.csv", crs="EPSG:25832",
                 settings=_settings_with_service_labels(tmp_path))
    assert report.ok, report.to_text()


def _settings_with_service_labels(tmp_path):
    text = (MESSY / "dataset.toml").read_text(encoding="utf-8")
    text = text.replace('label = "Seniorenbegegnung"', 'label = "Seniorentreff"')
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shapefile_without_prj_needs_crs(run, tmp_path):
    bare = build_shapefile_zip(tmp_path, with_prj=False, name="ohne_prj.zip")
    report = run(boundaries=bare)
    [problem] = find(report, "ohne_prj.zip", "no coordinate reference system")
    assert "--crs EPSG:25832" in problem.hint("en")
    report = run(boundaries=bare, crs="EPSG:25832")
    assert report.ok, report.to_text()
    assert any("from --crs" in n.text("en") for n in report.normalisations)


def test_projected_geojson_and_geopackage(run, tmp_path):
    assert run(boundaries=MESSY / "stadtteile_25832.geojson").ok
    import geopandas as gpd

    gpkg = tmp_path / "stadtteile.gpkg"
    gpd.read_file(MESSY / "stadtteile_25832.geojson").to_file(gpkg, layer="stadtteile", engine="pyogrio")
    report = run(boundaries=gpkg, overwrite=True)
    assert report.ok, report.to_text()
    assert any("from the file (GeoPackage)" in n.text("en") for n in report.normalisations)


def test_xlsx_population_with_two_sheets(run, tmp_path):
    wide = pd.read_csv(MESSY / "einwohner_breit.csv", sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    path = tmp_path / "einwohner.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        wide.to_excel(writer, sheet_name="Einwohner", index=False)
        pd.DataFrame({"Hinweis": ["Quelle: Kommunalstatistik"]}).to_excel(writer, sheet_name="Quelle", index=False)
    report = run(population=path)
    assert report.ok, report.to_text()
    assert any("read sheet 'Einwohner' of 2" in n.text("en") for n in report.normalisations)


def test_generated_settings_without_ratios_is_an_error_with_template(run, tmp_path):
    report = run(settings=None)
    assert not report.ok
    errors = find(report, "dataset.toml (generated)", "no target ratio")
    assert [p.column for p in errors] == ["services.beratung.ratios", "services.begegnung.ratios"]
    assert "--settings" in errors[0].hint("en")
    template = tomllib.loads(report.settings_template)
    assert template["dataset"]["id"] == "testhausen" and template["dataset"]["base_year"] == 2025
    assert template["services"]["beratung"]["label"] == "Beratung"
    assert "fill in: year = residents per FTE" in report.to_text("en")
    assert not (tmp_path / "out" / "testhausen").exists()
    # completing the template is all it takes
    completed = report.settings_template.replace("ratios = {}", "ratios = { 2025 = 1000 }", 1).replace(
        "ratios = {}", "ratios = { 2025 = 2000 }", 1)
    path = tmp_path / "completed.toml"
    path.write_text(completed, encoding="utf-8")
    assert run(settings=path).ok


def test_cli_run_import_and_main(tmp_path, shape_zip, capsys):
    import argparse

    parser = argparse.ArgumentParser()
    add_import_parser(parser.add_subparsers(dest="command"))
    out = tmp_path / "cli-out"
    args = parser.parse_args(["import", "--boundaries", str(shape_zip), "--population",
                              str(MESSY / "einwohner_breit.csv"), "--services", str(MESSY / "standorte.csv"),
                              "--settings", str(MESSY / "dataset.toml"), "--out", str(out), "--lang", "en"])
    assert run_import(args) == 0
    assert "done" in capsys.readouterr().out and (out / "dataset.toml").exists()
    assert main(["--boundaries", str(shape_zip), "--population", str(MESSY / "fehler_negativ.csv"),
                 "--services", str(MESSY / "standorte.csv"), "--settings", str(MESSY / "dataset.toml"),
                 "--out", str(tmp_path / "bad"), "--lang", "de"]) == 2
    err = capsys.readouterr().err
    assert "nichts geschrieben — 1 Fehler" in err
    assert "Zeile 4, Spalte '80 und älter': die Einwohnerzahl ist negativ (Wert: '-5')" in err
    assert not (tmp_path / "bad").exists()


def test_cli_entry_in_a_subprocess(tmp_path, shape_zip):
    out = tmp_path / "sub"
    command = [sys.executable, "-c", "from dashboard.importer.cli import main; main()", "--boundaries",
               str(shape_zip), "--population", str(MESSY / "einwohner_breit.csv"), "--services",
               str(MESSY / "fehler_angebot.csv"), "--settings", str(MESSY / "dataset.toml"), "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env={**os.environ, "LC_ALL": "en_US.UTF-8"})
    assert done.returncode == 2
    assert "row 5, column 'Angebot': this service is not defined in dataset.toml (value: 'Pflege')" in done.stderr
    command[command.index(str(MESSY / "fehler_angebot.csv"))] = str(MESSY / "standorte.csv")
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert (out / "services.csv").exists()


def test_written_dataset_toml_round_trips(run, tmp_path):
    assert run().ok
    data = tomllib.loads((tmp_path / "out" / "testhausen" / "dataset.toml").read_text(encoding="utf-8"))
    assert list(data["dataset"])[:3] == ["id", "title", "base_year"]
    assert data["services"]["beratung"]["ratios"] == {"2025": 1000, "2026": 800}
    assert data["levels"] == {"stadtbezirk": "stadtbezirk"} and "boundaries" not in data
