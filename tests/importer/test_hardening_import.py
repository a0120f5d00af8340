"""A dataset cannot pose as another (ids against the folder, the bundled and the imported ones),
`--overwrite` deletes nothing it did not write, and a running server sees a re-import."""

from __future__ import annotations

import os
import shutil

import pytest

from dashboard import userdata
from dashboard.loaded import loaded

from ..conftest import FIXTURES
from .make_messy import MESSY


def _settings(tmp_path, dataset_id: str):
    path = tmp_path / f"settings-{dataset_id}.toml"
    text = (MESSY / "dataset.toml").read_text(encoding="utf-8")
    path.write_text(text.replace("[dataset]\n", f'[dataset]\nid = "{dataset_id}"\n', 1), encoding="utf-8")
    return path


def test_dataset_toml_id_must_not_be_a_bundled_one(run, tmp_path):
    report = run(settings=_settings(tmp_path, "dresden"), out=tmp_path / "out" / "dresden-neu")
    assert not report.ok and not (tmp_path / "out" / "dresden-neu").exists()
    assert [p.code for p in report.errors] == ["settings.bundled_id"]
    assert "dresden" in report.errors[0].text("en")


def test_dataset_toml_id_must_match_the_folder(run, tmp_path):
    report = run(settings=_settings(tmp_path, "leipzig"), out=tmp_path / "out" / "testhausen")
    assert [p.code for p in report.errors] == ["settings.id_mismatch"]
    assert "'leipzig'" in report.errors[0].text("en") and "'testhausen'" in report.errors[0].text("en")
    assert run(settings=_settings(tmp_path, "testhausen"), out=tmp_path / "out" / "testhausen").ok


def test_form_short_name_must_be_new(monkeypatch, tmp_path):
    monkeypatch.setenv("CAREGAP_DATA_DIR", str(tmp_path))
    shutil.copytree(FIXTURES / "tiny", userdata.datasets_dir() / "meinort")
    with pytest.raises(userdata.UserDataError) as err:
        userdata.check_dataset_id("MeinOrt")
    assert err.value.code == "taken_id"
    with pytest.raises(userdata.UserDataError):
        userdata.check_dataset_id("dresden")
    assert userdata.check_dataset_id("anderort") == "anderort"


def test_overwrite_refuses_a_folder_with_other_files(run, tmp_path):
    out = tmp_path / "out" / "testhausen"
    assert run(out=out).ok
    written = sorted(p.name for p in out.iterdir())
    (out / "MY_NOTES.txt").write_text("Notizen der Planerin", encoding="utf-8")
    report = run(out=out, overwrite=True)
    assert [p.code for p in report.errors] == ["out.foreign_files"]
    assert "MY_NOTES.txt" in report.errors[0].text("en")
    assert (out / "MY_NOTES.txt").read_text(encoding="utf-8") == "Notizen der Planerin"
    assert sorted(p.name for p in out.iterdir()) == sorted([*written, "MY_NOTES.txt"])
    (out / "MY_NOTES.txt").unlink()
    assert run(out=out, overwrite=True).ok  # only its own files: replaced


def test_a_running_server_sees_a_reimport(tmp_path):
    folder = tmp_path / "ort"
    shutil.copytree(FIXTURES / "tiny", folder)
    first = loaded(folder)
    assert loaded(folder) is first  # unchanged files: the same object, no reload
    os.utime(folder / "population.csv")  # touched, same content: kept
    assert loaded(folder) is first
    population = folder / "population.csv"
    population.write_text(population.read_text(encoding="utf-8").replace("A,2025,80+,1000", "A,2025,80+,2000"),
                          encoding="utf-8")
    again = loaded(folder)
    assert again is not first and again.dataset.version != first.dataset.version
    a = again.dataset.population
    assert a[(a.district_id == "A") & (a.year == 2025) & (a.age_band == "80+")]["population"].sum() == 2000
    population.write_text("district_id,year,age_band,population,status\nA,2025,80+,viele,observed\n",
                          encoding="utf-8")  # a broken file: the last good data stays
    assert loaded(folder) is again
