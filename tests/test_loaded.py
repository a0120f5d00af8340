"""A checked dataset is kept on disk by content: read again only when a file (or the code) changes."""

import pytest

from dashboard.errors import DataError
from dashboard.loaded import checked_dataset
from dashboard.webgeo import cache_dir


def stored() -> set:
    return set(cache_dir().glob("dataset-*.pickle"))


def test_checked_once_then_read_from_the_cache(tiny_copy, monkeypatch):
    before = stored()
    first = checked_dataset(tiny_copy)
    added = stored() - before
    assert len(added) == 1
    # the second load never reads the tables: it comes from the stored file, with the same figures
    monkeypatch.setattr("dashboard.loaded.load_dataset", lambda ref: pytest.fail("read again"))
    again = checked_dataset(tiny_copy)
    assert again.population.equals(first.population) and list(again.districts["district_id"]) == ["A", "B", "C"]
    assert again.version == first.version
    monkeypatch.undo()
    # a changed file is read and checked again, and stored under its own content
    path = tiny_copy / "population.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    checked_dataset(tiny_copy)
    assert len(stored() - before) == 2


def test_a_dataset_with_errors_is_never_stored(tiny_copy):
    (tiny_copy / "population.csv").write_text("district_id,year,age_band,population\nZ,2025,60+,-3\n", encoding="utf-8")
    before = stored()
    for _ in range(2):  # fails again with its report, every time
        with pytest.raises(DataError):
            checked_dataset(tiny_copy)
    assert stored() == before
