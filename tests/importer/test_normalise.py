"""The pieces: age labels, numbers, keys, column detection, mapping.toml, the TOML writer, the corpus."""

import math
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.dataset import load_dataset
from dashboard.errors import DataError
from dashboard.importer.dataset_toml import dataset_id, to_toml
from dashboard.importer.mapping import header_key, parse_mapping, resolve_columns
from dashboard.importer.normalise import KeyMatcher, read_band, year_header
from dashboard.tables import NumberStyle, detect_style, read_number, read_year
from dashboard.importer.services import service_key

from .make_messy import MESSY, corpus

COMMA, POINT = NumberStyle(True, ""), NumberStyle(False, "")


@pytest.mark.parametrize("text,label", [
    ("60-64", "60-64"), ("60 - 64", "60-64"), ("60–64", "60-64"), ("60 bis 64", "60-64"),
    ("60 bis unter 65", "60-64"), ("60 bis u. 65", "60-64"), ("von 60 bis 64 Jahren", "60-64"),
    ("im Alter von 60 bis 64 Jahren", "60-64"), ("60-64 J.", "60-64"), ("Einwohner 60 bis 64", "60-64"),
    ("80+", "80+"), ("80 +", "80+"), ("80 und älter", "80+"), ("80 Jahre und älter", "80+"), ("85 u. ä.", "85+"),
    ("100 und mehr", "100+"), ("ab 80", "80+"), ("65 and over", "65+"), ("unter 18", "0-17"),
    ("bis unter 18", "0-17"), ("0 bis unter 18", "0-17"), ("bis 17", "0-17"), ("under 18", "0-17"),
    ("75", "75-75"),
])
def test_age_labels(text, label):
    assert read_band(text).label == label


@pytest.mark.parametrize("text,reason", [("über 80", "could mean 80+ or 81+"), ("mehr als 65", "could mean"),
                                         ("64-60", "not a plausible"), ("Insgesamt", None), ("Anteil in %", None)])
def test_refused_age_labels(text, reason):
    reading = read_band(text)
    assert reading.label is None
    assert (reading.reason is None) if reason is None else (reason in reading.reason.render("en"))


def test_year_headers():
    assert [year_header(t) for t in ("2025", "Jahr 2030", "2026 (Prognose)", "60", "1850")] == [2025, 2030, 2026,
                                                                                                 None, None]


@pytest.mark.parametrize("text,style,value", [
    ("1.234", COMMA, 1234), ("1.234,5", COMMA, 1234.5), ("12,5", COMMA, 12.5), ("1.234.567", COMMA, 1234567),
    ("1,234", POINT, 1234), ("1,234.5", POINT, 1234.5), ("12.5", POINT, 12.5), ("1 234", COMMA, 1234),
    ("1\u00a0234", POINT, 1234), ("-5", COMMA, -5), ("0,75", COMMA, 0.75), ("1e3", POINT, 1000),
])
def test_numbers(text, style, value):
    assert read_number(text, style).value == value


def test_numbers_against_the_column_style_and_garbage():
    assert read_number("1.5", COMMA).value == 1.5 and read_number("1.5", COMMA).against_style
    assert read_number("2,5", POINT).value == 2.5 and read_number("2,5", POINT).against_style
    for text in ("k.A.", "1,2,3", "1.2.3,4,5", "", "inf", "nan"):
        assert read_number(text, COMMA).value is None and read_number(text, POINT).value is None


def test_style_detection():
    assert detect_style(["1", "12,5"], ",").decimal_comma
    assert not detect_style(["1", "0.25"], ";").decimal_comma
    assert detect_style(["1", "2"], ";").decimal_comma and not detect_style(["1", "2"], ",").decimal_comma
    assert detect_style(["1.500", "200"], "\t", counts=True).decimal_comma  # whole residents
    assert not detect_style(["1,500", "200"], ";", counts=True).decimal_comma
    assert detect_style(["1", "2"], "\t", fallback=COMMA) is COMMA


def test_years():
    assert read_year("2025") == (2025, None)
    assert read_year("31.12.2024") == (2024, "date") and read_year("2024-12-31") == (2024, "date")
    assert read_year("2025,5") == (None, None) and read_year("zwanzig") == (None, None)


def test_key_matching():
    m = KeyMatcher(["01", "02", "10"], ["Altstadt", "Bahnhof", "Zschertnitz"])
    assert m.match("1").key == "01" and "zero-padded" in m.match("1").reason.render("en")
    assert m.match("001").key == "01" and "removed" in m.match("001").reason.render("en")
    assert m.match("10").reason is None
    assert m.match("zschertnitz").key == "10" and "name" in m.match("zschertnitz").reason.render("en")
    assert m.match("99") .key == "99" and m.match("99").reason is None
    text = KeyMatcher(["A1", "B2"])
    assert text.match("a1").key == "A1"
    both = KeyMatcher(["1", "01", "x", "X"])
    assert both.match("001").candidates == ("1", "01")
    assert both.match("1").key == "1" and both.match("01").key == "01"  # exact text always wins
    assert both.match("x").key == "x"


@given(st.lists(st.integers(0, 999), min_size=1, max_size=30, unique=True), st.integers(0, 999))
def test_padding_never_merges_distinct_boundary_keys(numbers, probe):
    width = 3
    ids = [str(n).zfill(width) for n in numbers]
    m = KeyMatcher(ids)
    match = m.match(str(probe))
    assert match.key in ids if probe in numbers else match.key == str(probe)
    assert len({m.match(k).key for k in ids}) == len(ids)


def test_detection_tiers_and_ambiguity():
    r = resolve_columns("population", ["Stadtteil", "Stadtteil-Nr", "Jahr", "Alter", "Anzahl"], "p.csv")
    assert r.columns == {"district_id": "Stadtteil-Nr", "year": "Jahr", "age_band": "Alter", "population": "Anzahl",
                         "name": "Stadtteil"}
    assert {c.role: c.how for c in r.choices}["district_id"] == "detected"
    r = resolve_columns("population", ["district_id", "Stadtteil", "year"], "p.csv")
    assert r.columns["district_id"] == "district_id" and r.columns["name"] == "Stadtteil"
    r = resolve_columns("services", ["x", "y", "Längengrad", "Breitengrad"], "s.csv")
    assert (r.columns["lon"], r.columns["lat"]) == ("Längengrad", "Breitengrad")  # degrees beat x/y
    r = resolve_columns("services", ["Rechtswert", "X"], "s.csv")
    assert [p.message("en") for p in r.problems] == ["columns 'Rechtswert', 'X' could each be the lon; the import does "
                                               "not guess"]
    r = resolve_columns("population", ["Nr", "Stadtteilname", "Bezeichnung"], "p.csv", optional=frozenset({"name"}))
    assert [p.severity for p in r.problems] == ["warning"] and "name" not in r.columns
    r = resolve_columns("services", ["Nr", "VZÄ"], "s.csv", explicit={"fte": " vzä "})
    assert r.columns["fte"] == "VZÄ" and {c.role: c.how for c in r.choices}["fte"] == "mapping.toml"


def test_header_keys():
    assert header_key(" Stadtteil-Nr. ") == "stadtteilnr" and header_key("VZÄ") == "vzae"
    assert header_key("Längengrad") == "laengengrad" and header_key("Straße") == "strasse"


def test_mapping_file():
    mapping = parse_mapping({"population": {"district_id": "Gebiet", "fixed": {"year": 2025}, "ignore": ["Summe"]},
                             "services": {"crs": "EPSG:25832"}, "service_keys": {"Offene Beratung": "beratung"},
                             "boundaries": {"id": "AGS", "levels": {"kreis": "KREIS"}}})
    assert mapping.population.columns == {"district_id": "Gebiet"} and mapping.population.fixed == {"year": "2025"}
    assert mapping.services.crs == "EPSG:25832" and mapping.service_keys == {"offene beratung": "beratung"}
    assert mapping.boundaries.levels == {"kreis": "KREIS"}
    with pytest.raises(DataError) as caught:
        parse_mapping({"population": {"district_id": "A", "fixed": {"district_id": "x", "year": 1}},
                       "boundaries": {"levels": {"name": "X"}}})
    assert {p.column for p in caught.value.problems} == {"population.fixed.district_id", "boundaries.levels.name"}


def test_toml_writer_round_trips():
    data = {"dataset": {"id": "x", "title": 'Quote " and \\ and ü', "base_year": 2025, "notes": ["a", "b"],
                        "flag": True},
            "levels": {"stadtbezirk": "stadtbezirk"},
            "level_labels": {"ortsteil": {"de": "Ortsteil", "en": "Quarter"}},
            "costs": {"fte_per_year_eur": 75000, "wage_growth": 0.025},
            "services": {"beratung": {"label": "B", "ratios": {"2025": 4200, "2026": 2500.5},
                                      "unit": {"de": "Plätze"}}, "odd key": {"label": "x\x7f", "ratios": {}}}}
    assert tomllib.loads(to_toml(data)) == data


def test_service_keys_and_dataset_ids(tmp_path):
    assert service_key("Offene Begegnung") == "offene_begegnung" and service_key(" Beratung ") == "beratung"
    assert service_key("Größere Träger-Angebote") == "groessere_traeger_angebote"
    assert dataset_id(tmp_path / "Leipzig Ost") == "leipzig-ost" and dataset_id(tmp_path / "!!!") == "dataset"


def test_table_wide_by_year(run, tmp_path):
    rows = ["Stadtteil;Altersgruppe;2025;2026"]
    for key in ("01", "02", "03", "10"):
        rows += [f"{key};unter 60;1.000;1.000", f"{key};60 und älter;500;550"]
    path = tmp_path / "nach_jahren.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = run(population=path)
    assert report.ok, report.to_text()
    population = load_dataset(tmp_path / "out" / "testhausen").population
    assert population.loc[(population.district_id == "03") & (population.year == 2026)
                          & (population.age_band == "60+"), "population"].item() == 550
    assert any(n.text("en").startswith("2 year columns turned into rows") for n in report.normalisations)


def test_names_instead_of_keys(run, tmp_path):
    text = (MESSY / "einwohner_lang_bom.csv").read_text(encoding="utf-8-sig")
    for key, name in (("01", "Altstadt"), ("02", "Bahnhofsviertel"), ("03", "Cottaer Höhe"), ("10", "Zschertnitz")):
        text = text.replace(f"\n{key};", f"\n{name};")
    path = tmp_path / "namen.csv"
    path.write_text(text, encoding="utf-8")
    report = run(population=path)
    assert report.ok, report.to_text()
    assert any(n.text("en").startswith("district key 'Cottaer Höhe' → '03' (the district's name, replaced by its id)")
               for n in report.normalisations)


def test_corpus_is_current():
    """The committed fixtures are exactly what make_messy.py writes (run it after changing it)."""
    expected = corpus()
    committed = {p.name: p.read_bytes() for p in MESSY.iterdir() if p.is_file()}
    assert set(committed) == set(expected)
    for name, data in expected.items():
        assert committed[name] == data, f"{name} is out of date: python -m tests.importer.make_messy"
    assert math.isclose(len(b"".join(expected.values())) / 1024, 10, rel_tol=1)  # a few KB in all
