"""Age-band headers in the forms official tables use; aggregates, sex splits and the page's band editor."""

import pytest

from dashboard.importer.agecolumns import band_rows, bands_from_rows, classify, sex_split, total_sex
from dashboard.importer.mapping import parse_mapping
from dashboard.errors import DataError
from dashboard.tables import read_year


@pytest.mark.parametrize("header, band", [
    ("60 bis unter 65", "60-64"), ("65 und älter", "65+"), ("90 u. älter", "90+"), ("unter 6", "0-5"),
    ("60 – 64 Jahre", "60-64"), ("80 und aelter", "80+"), ("E_E60_63", "60-62"), ("E_E65U80", "65-79"),
    ("E_E00_01", "0-0"),
])
def test_official_header_forms(header, band):
    [reading] = classify([header], {}).readings
    assert reading.label == band


def test_aggregates_are_split_from_the_fine_bands():
    ages = classify(["E_E00_65", "E_E65_67", "E_E67_70", "E_E70_80", "E_E65U80", "E_E80U110", "E_E"], {})
    assert [c.label for c in ages.bands] == ["0-64", "65-66", "67-69", "70-79", "80-109"]
    [(aggregate, parts)] = ages.aggregates
    assert aggregate.header == "E_E65U80" and [p.header for p in parts] == ["E_E65_67", "E_E67_70", "E_E70_80"]
    assert ages.totals == ["E_E"] and not ages.unused


def test_coded_sex_halves_are_summed_and_coded_totals_recognised():
    ages = classify(["E_E", "E_M", "E_W", "E_M00_60", "E_W00_60", "E_M60U110", "E_W60U110", "E_W65U80"], {})
    assert [(c.header, c.label, c.parts) for c in ages.bands] == [
        ("E_M00_60 + E_W00_60", "0-59", ("E_M00_60", "E_W00_60")),
        ("E_M60U110 + E_W60U110", "60-109", ("E_M60U110", "E_W60U110"))]
    assert ages.totals == ["E_E", "E_M", "E_W"]
    assert [total_sex(h) for h in ("E_E", "E_M", "E_W", "Frauen insgesamt", "Insgesamt")] == [None, "m", "f", "f", None]
    assert ages.half_sex == ["E_W65U80"] and not ages.unused
    # beside a coded total of the band (E_E60_63), its halves are its parts, not bands of their own
    beside = classify(["E_E60_63", "E_M60_63", "E_W60_63"], {})
    assert [c.header for c in beside.bands] == ["E_E60_63"] and beside.totals == ["E_M60_63", "E_W60_63"]


def test_sex_halves_are_summed_and_a_lone_half_is_named():
    assert sex_split("männlich 60-64") == ("m", "60-64") and sex_split("60 bis 64 (weiblich)") == ("f", "60 bis 64")
    ages = classify(["männlich 60-64", "weiblich 60-64", "Frauen 65+", "Männer insgesamt"], {})
    [summed] = ages.bands
    assert (summed.label, summed.parts) == ("60-64", ("männlich 60-64", "weiblich 60-64"))
    assert ages.half_sex == ["Frauen 65+"] and ages.totals == ["Männer insgesamt"]


def test_mapping_names_bands_and_refuses_a_bad_one():
    mapping = parse_mapping({"population": {"bands": {"AG1": "60-64", "AG2": "65+"}}})
    assert mapping.population.bands == {"AG1": "60-64", "AG2": "65+"}
    assert [c.label for c in classify(["AG1", "AG2"], mapping.population.bands).bands] == ["60-64", "65+"]
    with pytest.raises(DataError) as caught:
        parse_mapping({"population": {"bands": {"AG1": "sechzig"}}})
    assert caught.value.problems[0].code == "mapping.band_value"


@pytest.mark.parametrize("text", ["202512", "31.12.2025", "2025-12-31", "20251231"])
def test_reference_dates_are_read_as_their_year(text):
    assert read_year(text) == (2025, "date")


def test_band_editor_rows_and_the_bands_a_planner_names():
    rows = band_rows(["Jahr", "unter 60", "AG60", "E_E65_80", "E_E80U90", "E_E65U90"])
    assert [(r["column"], r["band"], r["kind"]) for r in rows] == [
        ("unter 60", "0-59", "band"), ("AG60", "", "unreadable"), ("E_E65_80", "65-79", "band"),
        ("E_E80U90", "80-89", "band"), ("E_E65U90", "65-89", "aggregate")]
    rows[1]["band"] = "60-64"
    rows[2]["band"] = "65-79"  # unchanged: not written
    assert bands_from_rows(rows) == {"AG60": "60-64"}
