"""Nothing half-written: a failing import leaves no `out` and no temporary folder; overwrite swaps whole folders."""

import os

import pytest

from dashboard.dataset import load_dataset
from dashboard.errors import DataError, Problem
from dashboard.importer import pipeline

from .conftest import find, left_behind
from .make_messy import MESSY


@pytest.fixture
def out(tmp_path):
    return tmp_path / "out" / "testhausen"


def test_failing_import_leaves_nothing(run, tmp_path, out):
    report = run(population=MESSY / "fehler_negativ.csv")
    assert not report.ok and not report.written
    assert left_behind(tmp_path / "out") == []


def test_failure_in_the_final_check_leaves_nothing(run, tmp_path, out, monkeypatch):
    def reject(folder):
        assert (folder / "population.csv").exists()  # the files were written, next to out
        assert folder.parent.parent == out.parent
        raise DataError([Problem("population.csv", 2, "population", "population.count_negative")])

    monkeypatch.setattr(pipeline, "load_dataset", reject)
    report = run()
    assert [p.file for p in report.errors] == ["population.csv (as written)"]
    assert left_behind(tmp_path / "out") == []


def test_unexpected_exception_still_cleans_up(run, tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pipeline, "_write", boom)
    with pytest.raises(RuntimeError):
        run()
    assert left_behind(tmp_path / "out") == []


def test_existing_out_is_not_replaced_without_overwrite(run, tmp_path, out):
    assert run().ok
    before = (out / "population.csv").read_bytes()
    report = run(population=MESSY / "einwohner_lang_bom.csv")
    [problem] = report.errors
    assert problem.message("en") == "the output folder exists already" and "--overwrite" in problem.hint("en")
    assert (out / "population.csv").read_bytes() == before
    assert left_behind(tmp_path / "out") == ["testhausen"]


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_overwrite_swaps_cleanly(run, tmp_path, out, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(pipeline, "_renameat2", lambda *a: False)
    assert run().ok
    (out / "population.xlsx").write_text("from the old dataset")  # a dataset file the new one lacks
    report = run(population=MESSY / "einwohner_lang_bom.csv", overwrite=True)
    assert report.ok, report.to_text()
    assert sorted(p.name for p in out.iterdir()) == ["dataset.toml", "districts.geojson", "population.csv",
                                                     "services.csv"]
    assert load_dataset(out).year_status(2026) == "forecast"  # the new data
    assert left_behind(tmp_path / "out") == ["testhausen"]


def test_failing_overwrite_keeps_the_old_dataset(run, tmp_path, out):
    assert run().ok
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    report = run(population=MESSY / "fehler_negativ.csv", overwrite=True)
    assert not report.ok
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert left_behind(tmp_path / "out") == ["testhausen"]


def test_interrupted_swap_puts_the_old_dataset_back(run, tmp_path, out, monkeypatch):
    assert run().ok
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(pipeline, "_renameat2", lambda *a: False)
    real_rename = os.rename

    def flaky(src, dst):
        if str(src).endswith("dataset"):  # moving the new folder in fails
            raise OSError(28, "No space left on device")
        real_rename(src, dst)

    monkeypatch.setattr(pipeline.os, "rename", flaky)
    report = run(population=MESSY / "einwohner_lang_bom.csv", overwrite=True)
    assert find(report, "output folder", "could not be put in place")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert left_behind(tmp_path / "out") == ["testhausen"]


def test_overwrite_refuses_a_folder_that_is_not_a_dataset(run, tmp_path, out):
    out.mkdir(parents=True)
    (out / "thesis.docx").write_text("precious")
    report = run(overwrite=True)
    [problem] = report.errors
    assert problem.message("en").startswith("the output folder is not a CareGap dataset")
    assert (out / "thesis.docx").read_text() == "precious"


def test_empty_existing_folder_may_be_overwritten(run, out):
    out.mkdir(parents=True)
    assert run(overwrite=True).ok


def test_missing_parent_folders_are_created(run, tmp_path):
    out = tmp_path / "new" / "deeper" / "testhausen"
    report = run(out=out)
    assert report.ok and (out / "dataset.toml").is_file()


def test_parent_folders_created_for_a_failing_import_are_removed_again(run, tmp_path):
    report = run(population=MESSY / "fehler_negativ.csv", out=tmp_path / "new" / "deeper" / "testhausen")
    assert not report.ok and not (tmp_path / "new").exists()


def test_a_file_in_the_way_of_the_parent_is_named(run, tmp_path):
    (tmp_path / "blocked").write_text("a file")
    report = run(out=tmp_path / "blocked" / "testhausen")
    [problem] = report.errors
    assert problem.code == "out.no_parent" and "a file of that name" in problem.message("en")
