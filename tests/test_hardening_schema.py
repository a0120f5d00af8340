"""A fresh database under its first users: twelve simultaneous first requests set the schema up once
and none fails (SQLite always; PostgreSQL when DATABASE_URL is set, as on CI)."""

from __future__ import annotations

import os
import threading
import uuid

import pytest
from sqlalchemy import create_engine, make_url, select, text

from dashboard.scenarios import ScenarioStore
from dashboard.scenarios.migrations import LATEST, schema_version

FIRST_USERS = 12


def _fresh_postgres():
    url = os.environ.get("DATABASE_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must set DATABASE_URL to a PostgreSQL database (see .ci/run)")
        pytest.skip("DATABASE_URL not set: PostgreSQL tests run on CI")
    url = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"caregap_fresh_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return url.set(database=name), admin, name


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    url, admin, name = _fresh_postgres()
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_simultaneous_first_requests_set_the_schema_up_once(fresh_url):
    barrier = threading.Barrier(FIRST_USERS)
    errors: list[BaseException] = []
    stores: list[ScenarioStore] = []

    def first_request() -> None:
        barrier.wait()
        try:
            store = ScenarioStore(fresh_url)  # each its own engine and connection, as separate servers
            store.list("dresden")
            stores.append(store)
        except BaseException as exc:  # noqa: BLE001 (collected and reported below)
            errors.append(exc)

    threads = [threading.Thread(target=first_request) for _ in range(FIRST_USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == [] and len(stores) == FIRST_USERS
    with stores[0].engine.connect() as conn:
        assert conn.execute(select(schema_version.c.version)).scalars().all() == [LATEST]  # one row, not twelve
    created = stores[0].create("Erster", "dresden", "v1", {"n": 1})
    assert [s.id for s in stores[-1].list("dresden")] == [created.id]
    for store in stores:
        store.engine.dispose()
