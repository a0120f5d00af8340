"""Imported datasets and the upload staging of the import page."""

import pytest

from dashboard import userdata
from dashboard.userdata import UserDataError


def test_milestones_in_plain_words():
    assert userdata.parse_milestones("2024: 4200; 2026: 2500") == {"2024": 4200.0, "2026": 2500.0}
    assert userdata.parse_milestones("2024=4200, 2026=2500,5") == {"2024": 4200.0, "2026": 2500.5}
    with pytest.raises(UserDataError) as err:
        userdata.parse_milestones("ab 2026 1:2500")
    assert (err.value.code, err.value.params) == ("bad_milestone", {"text": "ab 2026 1:2500"})
    assert err.value.text("en") == "'ab 2026 1:2500' is not 'year: residents per post', e.g. '2026: 2500'"
    assert str(err.value) == "'ab 2026 1:2500' ist nicht 'Jahr: Einwohner je Stelle', z. B. '2026: 2500'"
    with pytest.raises(UserDataError) as err:
        userdata.parse_milestones("  ")
    assert "at least one milestone" in err.value.text("en")


def test_dataset_ids():
    assert userdata.check_dataset_id(" Leipzig-2025 ") == "leipzig-2025"
    for bad in ("../etc", "a", "dresden", "name with space", "x" * 50):
        with pytest.raises(UserDataError):
            userdata.check_dataset_id(bad)


def test_settings_from_form():
    table = userdata.settings_from_form("leipzig", "Leipzig", "Stadt Leipzig (dl-de/by-2-0)\n",
                                        [{"key": "Beratung", "label": "Seniorenberatung", "milestones": "2026: 2500"},
                                         {"key": "", "label": "leer"}], 80000, "Zahlen geschätzt")
    assert table["dataset"]["attribution"] == ["Stadt Leipzig (dl-de/by-2-0)"]
    assert table["services"] == {"beratung": {"label": "Seniorenberatung", "ratios": {"2026": 2500.0},
                                              "between_milestones": "hold", "unit": "posts"}}
    assert table["costs"]["fte_per_year_eur"] == 80000
    with pytest.raises(UserDataError) as err:
        userdata.settings_from_form("x1", "", "", [], None)
    assert "at least one service" in err.value.text("en")


def test_uploads_keep_generated_names_only():
    session = userdata.new_session()
    entry = userdata.stage(session, "population", b"a;b\n1;2\n", "../../Einwohner 2025.csv")
    assert entry["name"] == "Einwohner 2025.csv" and entry["stored"].startswith("population-")
    assert userdata.staged_file(session, entry).path.read_bytes() == b"a;b\n1;2\n"
    # a page cannot make the server read any other file
    for forged in ("../../../etc/passwd", "population-x.csv", "/etc/passwd", "population-" + "0" * 32 + ".csv/.."):
        with pytest.raises(UserDataError):
            userdata.staged_file(session, {"stored": forged})
    with pytest.raises(UserDataError) as err:
        userdata.staged_file("../x", entry)
    assert "session is unknown" in err.value.text("en")


def test_imported_datasets_are_listed(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREGAP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)  # this folder only (shared ones: test_many_servers.py)
    (tmp_path / "datasets" / "leipzig").mkdir(parents=True)
    (tmp_path / "datasets" / "leipzig" / "dataset.toml").write_text("")
    assert userdata.all_datasets({"dresden": "dresden"}) == {"leipzig": str(tmp_path / "datasets" / "leipzig"),
                                                             "dresden": "dresden"}
