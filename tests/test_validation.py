"""Every validation rule, each triggered by breaking one file of a copy of the tiny dataset."""

import pytest

from dashboard.dataset import load_dataset
from dashboard.errors import DataError


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(folder) -> list[str]:
    with pytest.raises(DataError) as err:
        load_dataset(folder)
    return [p.text("en") for p in err.value.problems]


def _has(messages, *parts):
    assert any(all(p in m for p in parts) for m in messages), "\n".join(messages)


# population.csv: header is row 1, so the first data row is row 2
@pytest.mark.parametrize("old,new,expected", [
    ("A,2025,60-64,500", "Z,2025,60-64,500", ("population.csv, row 3, column 'district_id'", "not in the boundary file", "'Z'")),
    ("A,2025,60-64,500", "A,2025,60-64,-5", ("row 3, column 'population'", "negative", "'-5'")),
    ("A,2025,60-64,500", "A,2025,60-64,viele", ("row 3, column 'population'", "not a number", "'viele'")),
    ("A,2025,60-64,500", "A,2025,60-64,", ("row 3, column 'population'", "1 figure(s) missing: 60-64 2025")),
    ("A,2025,60-64,500", "A,zwanzig,60-64,500", ("row 3, column 'year'", "not a whole year")),
    ("A,2025,60-64,500", "A,2025,sechzig,500", ("row 3, column 'age_band'", "cannot be read", "Write 'A-B'")),
    ("A,2025,60-64,500,observed", "A,2025,60-64,500,guessed", ("row 3, column 'status'", "unknown")),
    ("A,2025,60-64,500", "A,2025,0-59,500", ("row 3, column 'age_band'", "appear in an earlier row too")),
])
def test_population_row_rules(tiny_copy, old, new, expected):
    _replace(tiny_copy / "population.csv", old, new)
    _has(_problems(tiny_copy), *expected)


def test_missing_year_and_band(tiny_copy):
    path = tiny_copy / "population.csv"
    lines = path.read_text().splitlines()
    kept = [l for l in lines if not l.startswith("C,2026") and not l.startswith("A,2025,80+")]
    path.write_text("\n".join(kept) + "\n")
    messages = _problems(tiny_copy)
    _has(messages, "column 'year'", "district C has no rows for 2026")
    _has(messages, "column 'age_band'", "district A lacks age band(s) 80+ in 2025")


def test_overlapping_and_straddling_bands(tiny_copy):
    path = tiny_copy / "population.csv"
    text = path.read_text().replace(",60-64,", ",55-64,")
    path.write_text(text)
    messages = _problems(tiny_copy)
    _has(messages, "age bands overlap (0-59 and 55-64)")
    _has(messages, "55-64 straddles the limit of '60+'")


def test_district_without_population(tiny_copy):
    path = tiny_copy / "population.csv"
    path.write_text("\n".join(l for l in path.read_text().splitlines() if not l.startswith("C,")) + "\n")
    _has(_problems(tiny_copy), "district C has no population rows")


@pytest.mark.parametrize("old,new,expected", [
    ("S1,Treff Altdorf,beratung,1.0", "S1,Treff Altdorf,pflege,1.0", ("services.csv, row 2, column 'service'", "not defined in dataset.toml", "beratung, begegnung")),
    ("beratung,1.0,2025", "beratung,-1,2025", ("row 2, column 'fte'", "negative")),
    ("beratung,1.0,2025", "beratung,eins,2025", ("row 2, column 'fte'", "not a number")),
    ("beratung,3.0,2025,2025", "beratung,3.0,2025,2020", ("row 3, column 'year_to'", "before the first year")),
    ("beratung,3.0,2025,2025,B", "beratung,3.0,2025,2025,X", ("row 3, column 'district_id'", "not in the boundary file")),
    ("13.715,51.005", "14.5,51.5", ("row 4, column 'lon'", "outside every district", "14.5, 51.5")),
    ("13.715,51.005", "51.005,13.715", ("row 4, column 'lon'", "outside every district", "not swapped")),
    (",,13.715,51.005", ",,,", ("row 4, column 'district_id'", "neither a district id nor coordinates")),
    ("S1,Treff Altdorf,begegnung,0.5,2025", "S1,Treff Altdorf,beratung,0.5,2025", ("row 5, column 'site_id'", "appear in an earlier row")),
    ("Verein A,illustrative\nS2", "Verein A,made-up\nS2", ("row 2, column 'status'", "unknown")),
])
def test_service_rules(tiny_copy, old, new, expected):
    _replace(tiny_copy / "services.csv", old, new)
    _has(_problems(tiny_copy), *expected)


def test_settings_rules(tiny_copy):
    _replace(tiny_copy / "dataset.toml", "ratios = { 2025 = 2500 }", "ratios = {}")
    _replace(tiny_copy / "dataset.toml", 'between_milestones = "hold"', 'between_milestones = "smooth"')
    messages = _problems(tiny_copy)
    _has(messages, "dataset.toml, column 'services.begegnung.ratios'", "the service has no ratios")
    _has(messages, "column 'services.beratung.between_milestones'", "neither 'hold' nor 'linear'")


def test_broken_toml(tiny_copy):
    _replace(tiny_copy / "dataset.toml", 'title = "Testdorf"', "title = Testdorf")
    _has(_problems(tiny_copy), "dataset.toml", "not valid TOML")


def test_all_problems_at_once(tiny_copy):
    _replace(tiny_copy / "population.csv", "A,2025,60-64,500", "A,2025,60-64,-5")
    _replace(tiny_copy / "services.csv", "beratung,1.0,2025", "beratung,-1,2025")
    messages = _problems(tiny_copy)
    _has(messages, "population.csv", "negative")
    _has(messages, "services.csv", "negative")


def test_warning_does_not_block(tiny):
    assert [w.message("en") for w in tiny.warnings] == ["1 district(s) have no service site: C"]


def test_many_bad_rows_are_summarised(tiny_copy, monkeypatch):
    monkeypatch.setattr("dashboard.validation.MAX_LISTED", 10)
    path = tiny_copy / "population.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0]] + [l.rsplit(",", 1)[0] + ",x" for l in lines[1:]]) + "\n")
    messages = _problems(tiny_copy)
    assert sum("the status is unknown" in m and "more rows" not in m for m in messages) == 10
    _has(messages, "14 more rows: the status is unknown")
