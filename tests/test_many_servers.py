"""Many servers, one truth: two app processes with their own data folders on one PostgreSQL. A
dataset imported through the first is served by the second, with the same figures.

Runs where DATABASE_URL names a PostgreSQL database (CI starts one with .ci/postgres.sh); skipped
elsewhere, and a failure on CI when it is missing."""

from __future__ import annotations

import base64
import json
import os
import shutil
import uuid

import pytest

from bench import load
from dashboard.formatting import fmt_fte, fmt_number
from dashboard.scenarios.files import drop_dataset, put_dataset
from layouts import ids

from .appserver import TINY, Server, get


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql")):
        if os.environ.get("CI"):
            pytest.fail("CI must set DATABASE_URL to a PostgreSQL database (see .ci/run)")
        pytest.skip("DATABASE_URL (PostgreSQL) not set: the many-servers test runs on CI")
    return url


class Page:
    """One browser tab on a server, as Dash's renderer drives it: the widgets' values by id (pattern ids
    as sorted JSON), callbacks POSTed to `/_dash-update-component` with the values the browser would
    send, and their answers written back into the widgets."""

    def __init__(self, server: Server, pathname: str, search: str = ""):
        self.url = server.url
        self.deps = json.loads(get(self.url + "/_dash-dependencies")[1])
        self.values: dict = {f"{ids.URL}.pathname": pathname, f"{ids.URL}.search": search}
        self.call(ids.PAGE)

    def _spec(self, output_id: str) -> dict:
        return next(d for d in self.deps if not d.get("clientside_function")
                    and any(o.rsplit(".", 1)[0] == output_id for o in d["output"].strip(".").split("...")))

    def _entry(self, dependency: dict):
        key = dependency["id"]
        if not key.startswith("{"):
            return dict(dependency, value=self.values.get(f"{key}.{dependency['property']}"))
        pattern = json.loads(key)  # {"type": …, "table": ["ALL"]}: every widget of that type on the page
        return [{"id": json.loads(k.rsplit(".", 1)[0]), "property": dependency["property"], "value": v}
                for k, v in self.values.items() if k.startswith("{") and k.rsplit(".", 1)[1] == dependency["property"]
                and json.loads(k.rsplit(".", 1)[0]).get("type") == pattern["type"]]

    def call(self, output_id: str, changed: str | None = None) -> dict:
        spec = self._spec(output_id)
        outputs = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]}
                   for o in spec["output"].strip(".").split("...")]
        status, body = get(self.url + "/_dash-update-component", {
            "output": spec["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [self._entry(i) for i in spec["inputs"]], "state": [self._entry(s) for s in spec["state"]],
            "changedPropIds": [changed or f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"]})
        assert status == 200, body[:500]
        response = json.loads(body)["response"]
        for component, props in response.items():
            for prop, value in props.items():
                self.values[f"{component}.{prop}"] = value
                load.widget_values(value, self.values)  # a new part of the page: its widgets' values
        return response

    def set(self, component: str, prop: str, value) -> None:
        self.values[f"{component}.{prop}"] = value

    def text(self, component: str) -> str:
        return _text(self.values.get(f"{component}.children"))


def _text(node) -> str:
    if isinstance(node, (str, int, float)):
        return str(node)
    if isinstance(node, list):
        return " ".join(_text(c) for c in node)
    if isinstance(node, dict):
        return _text(node.get("props", {}).get("children"))
    return ""


def _figures(page: Page) -> dict[str, str]:
    """The city summary cards as the page shows them, by card id."""
    return {key: _text(props) for key, props in _components(page.values.get(f"{ids.PAGE}.children")).items()
            if key.startswith(ids.summary_card(""))}


def _components(node, found: dict | None = None) -> dict:
    found = {} if found is None else found
    if isinstance(node, list):
        for child in node:
            _components(child, found)
    elif isinstance(node, dict):
        props = node.get("props", {})
        if isinstance(props.get("id"), str):
            found[props["id"]] = node
        for value in props.values():
            _components(value, found)
    return found


def _import_through_the_page(server: Server, dataset_id: str, settings_file) -> Page:
    """What a planner does on the import page: drop each file on its field, check, save."""
    page = Page(server, "/import")
    page.call(ids.IMPORT_SESSION)
    for role, path in (("boundaries", TINY / "districts.geojson"), ("population", TINY / "population.csv"),
                       ("services", TINY / "services.csv"), ("settings", settings_file)):
        page.set(ids.upload(role), "contents",
                 "data:application/octet-stream;base64," + base64.b64encode(path.read_bytes()).decode())
        page.set(ids.upload(role), "filename", path.name)
        page.call(ids.IMPORT_FILES, f"{ids.upload(role)}.contents")
        assert path.name in page.text(ids.upload_status(role)), page.text(ids.upload_status(role))
        page.call(ids.IMPORT_PREVIEWS)  # the browser asks for the previews whenever the files change
    page.set(ids.IMPORT_ID, "value", dataset_id)
    page.set(ids.IMPORT_CHECK, "n_clicks", 1)
    page.call(ids.IMPORT_REPORT)
    assert page.values[f"{ids.IMPORT_SAVE}.disabled"] is False, page.text(ids.IMPORT_REPORT)
    page.set(ids.IMPORT_SAVE, "n_clicks", 1)
    page.call(ids.IMPORT_SAVED)
    assert f"?dataset={dataset_id}" in json.dumps(page.values[f"{ids.IMPORT_SAVED}.children"]), \
        page.text(ids.IMPORT_SAVED)
    return page


def test_import_through_one_server_is_served_by_another(tmp_path):
    url = _database_url()
    env = {**os.environ, "DATABASE_URL": url}
    dataset_id = f"ort-{uuid.uuid4().hex[:8]}"
    first, second = Server(tmp_path / "host-a", env), Server(tmp_path / "host-b", env)
    try:
        first.wait()
        second.wait()
        link = f"?dataset={dataset_id}&r.beratung=1000"
        before = Page(second, "/", link)  # the second server has listed the datasets before the import
        assert "Anderdorf" not in json.dumps(before.values[f"{ids.PAGE}.children"])
        settings = tmp_path / "dataset.toml"
        settings.write_text((TINY / "dataset.toml").read_text(encoding="utf-8").replace(
            'id = "tiny"', f'id = "{dataset_id}"').replace('title = "Testdorf"', 'title = "Anderdorf"'),
            encoding="utf-8")
        _import_through_the_page(first, dataset_id, settings)
        assert (tmp_path / "host-a" / "datasets" / dataset_id / "dataset.toml").is_file()
        assert not (tmp_path / "host-b" / "datasets" / dataset_id).exists()

        # the next page load on the second server opens it, with the figures the first server shows
        there, here = Page(second, "/", link), Page(first, "/", link)
        assert "Anderdorf" in json.dumps(there.values[f"{ids.PAGE}.children"])
        assert (tmp_path / "host-b" / "datasets" / dataset_id / "dataset.toml").is_file()  # its local copy
        figures = _figures(there)
        assert figures == _figures(here) and len(figures) >= 2
        # tiny at 1 : 1000 (see test_scenario.py): 9,000 people aged 60+, 9.0 posts needed
        assert figures[ids.summary_card("population")].startswith(fmt_number(9000, "de"))
        assert figures[ids.summary_card("soll")].startswith(fmt_fte(9.0, "de"))
        status, geo = get(f"{second.url}/geo/{dataset_id}/bezirk.geojson")
        assert status == 200 and sorted(f["id"] for f in json.loads(geo)["features"]) == ["Nord", "Süd"]
        # a slider move on each: the same colours and summary
        moves = []
        for page in (there, here):
            page.set(ids.RATIO_OVERRIDES, "data", {"beratung": 500})
            moves.append(page.call(ids.MAP, f"{ids.RATIO_OVERRIDES}.data"))
        assert moves[0][ids.MAP]["paint"] == moves[1][ids.MAP]["paint"]
        assert moves[0][ids.SUMMARY] == moves[1][ids.SUMMARY]
        assert _text(moves[0][ids.SUMMARY]["children"]).count(fmt_fte(18.0, "de")) >= 1  # 9,000 / 500
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


@pytest.fixture
def shared_sqlite(tmp_path, monkeypatch):
    """A database shared by "servers" in this process (SQLite: runs everywhere) and a statement counter."""
    from sqlalchemy import event

    from dashboard.scenarios.store import open_store

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'shared.db'}")
    monkeypatch.setenv("CAREGAP_DATA_DIR", str(tmp_path / "host-b"))
    engine = open_store().engine
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    yield statements
    event.remove(engine, "before_cursor_execute", count)


def _store_tiny(tmp_path, dataset_id: str, title: str = "Anderdorf") -> None:
    """What another server's import leaves in the shared store."""
    folder = tmp_path / "host-a" / dataset_id
    shutil.copytree(TINY, folder, dirs_exist_ok=True)
    settings = folder / "dataset.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace('id = "tiny"', f'id = "{dataset_id}"')
                        .replace('title = "Testdorf"', f'title = "{title}"'), encoding="utf-8")
    put_dataset(dataset_id, folder)


def test_the_listing_asks_one_small_question_until_a_server_stores_or_drops_a_dataset(tmp_path, shared_sqlite):
    from dashboard import userdata

    _store_tiny(tmp_path, "ort-a")
    assert set(userdata.user_datasets()) == {"ort-a"}
    shared_sqlite.clear()
    assert set(userdata.user_datasets()) == {"ort-a"}
    assert len(shared_sqlite) == 1 and "caregap_dataset_stamp" in shared_sqlite[0]  # nothing else is read
    _store_tiny(tmp_path, "ort-b")  # another server imports
    assert set(userdata.user_datasets()) == {"ort-a", "ort-b"}
    # a re-import within the same second, same file names and sizes: still seen (a stamp, not a time)
    _store_tiny(tmp_path, "ort-a", title="Anderstadt")
    userdata.user_datasets()
    assert 'title = "Anderstadt"' in (tmp_path / "host-b" / "datasets" / "ort-a" / "dataset.toml").read_text("utf-8")
    shared_sqlite.clear()
    userdata.user_datasets()
    assert len(shared_sqlite) == 1


def test_a_slider_move_on_the_servers_own_data_asks_the_database_nothing(tmp_path, shared_sqlite):
    from app import create_app
    from callbacks.update import update
    from tests.test_callbacks import BASE

    app = create_app(str(TINY))
    _store_tiny(tmp_path, "ort-a")
    with app.server.test_request_context("/"):
        controls = tuple(dict(BASE, overrides={"beratung": 1000}).values())
        update(ids.RATIO_OVERRIDES, controls, "dataset=ort-a")  # an imported dataset: listed, copied here
        shared_sqlite.clear()
        *_, query = update(ids.RATIO_OVERRIDES, controls, "dataset=ort-a")
        assert query.startswith("dataset=ort-a") and len(shared_sqlite) == 1  # only the stamp
        shared_sqlite.clear()
        *_, query = update(ids.RATIO_OVERRIDES, controls, "")
        assert query == "r.beratung=1000" and shared_sqlite == []
