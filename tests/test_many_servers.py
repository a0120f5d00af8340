"""Many servers, one truth: two app processes with their own data folders on one PostgreSQL. A
dataset imported through the first is served by the second, with the same figures.

Runs where DATABASE_URL names a PostgreSQL database (CI starts one with .ci/postgres.sh); skipped
elsewhere, and a failure on CI when it is missing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import uuid

import pytest

from dashboard.formatting import fmt_fte, fmt_number
from dashboard.loaded import loaded
from dashboard.scenario import Assumptions
from dashboard.scenarios.files import drop_dataset
from layouts import ids

from .appserver import TINY, Server, get
from .conftest import REPO


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql")):
        if os.environ.get("CI"):
            pytest.fail("CI must set DATABASE_URL to a PostgreSQL database (see .ci/run)")
        pytest.skip("DATABASE_URL (PostgreSQL) not set: the many-servers test runs on CI")
    return url


def _texts_by_id(node, found: dict) -> dict:
    def text(n) -> str:
        if isinstance(n, (str, int, float)):
            return str(n)
        if isinstance(n, list):
            return "".join(text(c) for c in n)
        if isinstance(n, dict):
            return text(n.get("props", {}).get("children"))
        return ""

    if isinstance(node, list):
        for child in node:
            _texts_by_id(child, found)
    elif isinstance(node, dict):
        props = node.get("props", {})
        if isinstance(props.get("id"), str):
            found[props["id"]] = text(props.get("children"))
        for value in props.values():
            _texts_by_id(value, found)
    return found


def test_import_through_one_server_is_served_by_another(tmp_path):
    url = _database_url()
    env = {**os.environ, "DATABASE_URL": url}
    dataset_id = f"ort-{uuid.uuid4().hex[:8]}"
    first, second = Server(tmp_path / "host-a", env), Server(tmp_path / "host-b", env)
    try:
        first.wait()
        second.wait()
        settings = tmp_path / "dataset.toml"
        settings.write_text((TINY / "dataset.toml").read_text(encoding="utf-8").replace(
            'id = "tiny"', f'id = "{dataset_id}"').replace('title = "Testdorf"', 'title = "Anderdorf"'),
            encoding="utf-8")
        # the import as the first server's import page makes it: its data folder, the shared database
        script = textwrap.dedent(f"""
            from dashboard.userdata import check_dataset_id, import_user_dataset
            report = import_user_dataset(check_dataset_id({dataset_id!r}), {str(TINY / 'districts.geojson')!r},
                                         {str(TINY / 'population.csv')!r}, {str(TINY / 'services.csv')!r},
                                         None, {str(settings)!r})
            assert report.ok, report.to_text()
        """)
        done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120,
                              env={**env, "CAREGAP_DATA_DIR": str(tmp_path / "host-a")})
        assert done.returncode == 0, done.stderr[-3000:]
        assert not (tmp_path / "host-b" / "datasets" / dataset_id).exists()

        status, geo = get(f"{second.url}/geo/{dataset_id}/bezirk.geojson")
        assert status == 200 and sorted(f["id"] for f in json.loads(geo)["features"]) == ["Nord", "Süd"]
        answer = second.first_render(f"?dataset={dataset_id}&r.beratung=1000")
        texts = _texts_by_id(answer[ids.PAGE]["children"], {})
        expected = loaded(tmp_path / "host-a" / "datasets" / dataset_id)
        assert expected.dataset.id == dataset_id
        summary = expected.calculator.compute(
            Assumptions.defaults(expected.dataset).with_ratio("beratung", 1000)).summary
        assert summary.population == 9000 and summary.soll_fte == 9.0  # tiny at 1 : 1000 (see test_scenario.py)
        assert texts[ids.summary_card("population")].startswith(fmt_number(summary.population, "de"))
        assert texts[ids.summary_card("soll")].startswith(fmt_fte(summary.soll_fte, "de"))
        assert "Anderdorf" in json.dumps(answer)
        assert (tmp_path / "host-b" / "datasets" / dataset_id / "dataset.toml").is_file()  # its local copy
    finally:
        first.stop()
        second.stop()
        drop_dataset(dataset_id)  # other tests list the imported datasets (DATABASE_URL is this database)


def test_an_upload_received_by_one_server_is_read_by_another(tmp_path, monkeypatch):
    from dashboard import userdata

    monkeypatch.setenv("DATABASE_URL", _database_url())
    session = userdata.new_session()
    monkeypatch.setenv("CAREGAP_DATA_DIR", str(tmp_path / "host-a"))
    first = userdata.stage(session, "population", b"a;b\n1;2\n", "alt.csv")
    entry = userdata.stage(session, "population", b"a;b\n1;3\n", "Einwohner.csv")  # replaces the first
    monkeypatch.setenv("CAREGAP_DATA_DIR", str(tmp_path / "host-b"))
    file = userdata.staged_file(session, entry)
    assert file.path.read_bytes() == b"a;b\n1;3\n" and file.name == "Einwohner.csv"
    assert str(tmp_path / "host-b") in str(file.path)
    with pytest.raises(userdata.UserDataError):
        userdata.staged_file(session, first)  # the replaced copy is gone everywhere
