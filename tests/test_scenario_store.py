"""The scenario store on SQLite, and on PostgreSQL when DATABASE_URL is set (CI starts one)."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import datetime

import pytest
from sqlalchemy import create_engine, text

from dashboard.scenario import Assumptions, FteChange, ScenarioError
from dashboard.scenarios import (ConflictError, NotFoundError, ScenarioStore, StoreError, assumptions_from_dict,
                                 assumptions_to_dict)
from dashboard.scenarios.migrations import (LATEST, STEPS, SchemaError, current_version, migrate, scenarios,
                                            schema_version)

from .conftest import REPO

ASSUMPTIONS = Assumptions(service="beratung", year=2026, population_rule="65+", ratios=(("beratung", 2500.0),),
                          between_milestones="linear", fte_cost_eur=80000, wage_growth=0.02,
                          fte_changes=(FteChange("72", "beratung", 2026, 2.0),), level="stadtbezirk")




@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        return ScenarioStore(f"sqlite:///{tmp_path / 'scenarios.sqlite3'}")
    url = os.environ.get("DATABASE_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must set DATABASE_URL to a PostgreSQL database (see .ci/run)")
        pytest.skip("DATABASE_URL not set: PostgreSQL store tests run on CI")
    s = ScenarioStore(url)
    with s.engine.begin() as conn:
        conn.execute(text("DELETE FROM caregap_scenarios"))
    return s


# a row as release 1 of the schema saved it: the assumptions' fields and the measure side by side
V1_DOCUMENT = {"service": "beratung", "year": 2026, "population_rule": "65+", "ratios": {"beratung": 2500.0},
               "between_milestones": "linear", "fte_cost_eur": 80000, "wage_growth": 0.02,
               "fte_changes": [{"district_id": "72", "service": "beratung", "year_from": 2026, "delta_fte": 2.0,
                                "note": ""}], "level": "stadtbezirk", "measure": "gap"}


def test_round_trip_keeps_every_assumption():
    data = assumptions_to_dict(ASSUMPTIONS, measure="gap")
    assert data["version"] == 2 and data["view"] == {"measure": "gap"}
    assert data["assumptions"]["ratios"] == {"beratung": 2500.0}
    assert assumptions_from_dict(data) == (ASSUMPTIONS, "gap")
    # keys from a newer release are ignored, not fatal
    future = {**data, "future_view": 1, "assumptions": {**data["assumptions"], "future_knob": 3}}
    assert assumptions_from_dict(future)[0] == ASSUMPTIONS
    # a document of the first format still reads
    assert assumptions_from_dict(V1_DOCUMENT) == (ASSUMPTIONS, "gap")


def test_unreadable_document_is_a_scenario_error():
    with pytest.raises(ScenarioError, match="cannot be read"):
        assumptions_from_dict({"version": 2, "assumptions": {"year": "soon"}, "view": {}})


def test_old_rows_are_migrated(tmp_path):
    """A database of schema 1 with a saved row opens in this release: the row reads as it did."""
    url = f"sqlite:///{tmp_path / 'v1.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        schema_version.create(conn)
        conn.execute(schema_version.insert().values(version=1))
        STEPS[0][1](conn)  # the table as schema 1 made it
        conn.execute(scenarios.insert().values(
            id="old1", name="Variante 2024", description="", dataset_id="dresden", dataset_version="v0",
            assumptions=json.dumps(V1_DOCUMENT), created_at=datetime(2024, 5, 1, 9, 0),
            updated_at=datetime(2024, 5, 2, 10, 30), revision=4))
    store = ScenarioStore(url)
    with engine.connect() as conn:
        assert current_version(conn) == LATEST == 4
    old = store.get("old1")
    assert old.assumptions == assumptions_to_dict(ASSUMPTIONS, measure="gap")
    assert old.typed() == (ASSUMPTIONS, "gap")
    # a migration is nobody's edit: revision and times stay
    assert (old.revision, old.updated_at) == (4, datetime(2024, 5, 2, 10, 30))
    assert migrate(engine) == LATEST  # opening again changes nothing


def test_store_errors_in_both_languages(store):
    store.create("A", "dresden", "v1", {})
    with pytest.raises(StoreError) as caught:
        store.create("A", "dresden", "v1", {})
    assert caught.value.code == "name_taken" and caught.value.params == {"name": "A"}
    assert caught.value.text("de") == ("Für diesen Datensatz gibt es schon ein Szenario namens „A“; "
                                       "wählen Sie einen anderen Namen.")
    assert caught.value.text("en") == "a scenario named 'A' exists already for this dataset; choose another name"
    with pytest.raises(StoreError) as caught:
        store.create("x" * 121, "dresden", "v1", {})
    assert caught.value.text("de") == "Ein Szenarioname hat höchstens 120 Zeichen."


def test_create_get_list(store):
    a = store.create("Variante A: 1:2.500 ab 2026", "dresden", "v1", assumptions_to_dict(ASSUMPTIONS),
                     "Schlüssel laut Fachplan")
    b = store.create("Variante B", "dresden", "v1", assumptions_to_dict(ASSUMPTIONS))
    store.create("Andere Stadt", "leipzig", "v9", assumptions_to_dict(ASSUMPTIONS))
    got = store.get(a.id)
    assert got.name == "Variante A: 1:2.500 ab 2026" and got.description == "Schlüssel laut Fachplan"
    assert got.revision == 1 and got.typed() == (ASSUMPTIONS, "coverage")
    assert [s.name for s in store.list("dresden")] == ["Variante A: 1:2.500 ab 2026", "Variante B"]
    assert b.id != a.id


def test_names_are_unique_per_dataset(store):
    store.create("Variante A", "dresden", "v1", {})
    with pytest.raises(StoreError, match="exists already"):
        store.create("Variante  A ", "dresden", "v1", {})  # spaces do not make a new name
    store.create("Variante A", "leipzig", "v1", {})
    with pytest.raises(StoreError, match="needs a name"):
        store.create("  ", "dresden", "v1", {})


def test_save_rename_duplicate_delete(store):
    s = store.create("A", "dresden", "v1", {"year": 2025})
    s2 = store.save(s.id, 1, assumptions={"year": 2030}, description="neu")
    assert (s2.revision, s2.assumptions, s2.description) == (2, {"year": 2030}, "neu")
    s3 = store.rename(s.id, 2, "A (Endfassung)")
    assert s3.name == "A (Endfassung)" and s3.revision == 3
    copy = store.duplicate(s.id)
    assert copy.name == "A (Endfassung) (Kopie)" and copy.assumptions == {"year": 2030} and copy.revision == 1
    assert store.duplicate(s.id).name == "A (Endfassung) (Kopie) 2"
    with pytest.raises(ConflictError):
        store.delete(s.id, expected_revision=1)
    store.delete(s.id, expected_revision=3)
    with pytest.raises(NotFoundError, match="no saved scenario"):
        store.get(s.id)


def test_second_editor_gets_a_clear_conflict(store):
    s = store.create("A", "dresden", "v1", {"year": 2025})
    store.save(s.id, s.revision, assumptions={"year": 2027})  # first editor
    with pytest.raises(ConflictError, match="someone saved this scenario .* after you opened it"):
        store.save(s.id, s.revision, assumptions={"year": 2040})  # second editor, same starting revision
    assert store.get(s.id).assumptions == {"year": 2027}  # nothing overwritten


def test_concurrent_saves_one_wins(store):
    s = store.create("A", "dresden", "v1", {"n": 0})
    outcomes = []

    def editor(n):
        try:
            store.save(s.id, 1, assumptions={"n": n})
            outcomes.append(("saved", n))
        except ConflictError:
            outcomes.append(("conflict", n))

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved = [n for kind, n in outcomes if kind == "saved"]
    assert len(saved) == 1 and len(outcomes) == 8
    assert store.get(s.id).assumptions == {"n": saved[0]} and store.get(s.id).revision == 2


def test_processes_save_side_by_side(store):
    script = textwrap.dedent(f"""
        import sys
        from dashboard.scenarios import ScenarioStore
        store = ScenarioStore({store.url!r})
        for i in range(10):
            store.create(f"P{{sys.argv[1]}}-{{i}}", "dresden", "v1", {{"i": i}})
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, str(p)], cwd=REPO) for p in range(4)]
    assert all(p.wait(60) == 0 for p in procs)
    assert len(store.list("dresden")) == 40


def test_kill_during_save_loses_nothing(store):
    kept = store.create("Bestand", "dresden", "v1", {"year": 2025})
    # a second process starts a save and is killed before its transaction commits
    script = textwrap.dedent(f"""
        import time, sys
        from sqlalchemy import event
        from dashboard.scenarios import ScenarioStore
        store = ScenarioStore({store.url!r})
        def stall(conn):
            print("committing", flush=True)
            time.sleep(60)
        event.listen(store.engine, "commit", stall)
        store.save({kept.id!r}, 1, assumptions={{"year": 2040}}, name="halb")
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "committing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    reopened = ScenarioStore(store.url)
    got = reopened.get(kept.id)
    assert (got.name, got.assumptions, got.revision) == ("Bestand", {"year": 2025}, 1)
    reopened.save(kept.id, 1, name="weiter")  # the database is not left locked


def test_schema_version_and_newer_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = create_engine(url)
    assert migrate(engine) == 0  # fresh: from nothing to LATEST
    assert migrate(engine) == LATEST  # opening again changes nothing
    with engine.begin() as conn:
        conn.execute(text("UPDATE caregap_schema_version SET version = 99"))
    with pytest.raises(SchemaError, match="newer than this release knows"):
        ScenarioStore(url)


def test_data_dir_and_url(monkeypatch, tmp_path):
    from dashboard.scenarios.store import database_url
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CAREGAP_DATA_DIR", str(tmp_path / "daten"))
    assert database_url() == f"sqlite:///{tmp_path / 'daten' / 'scenarios.sqlite3'}"
    assert (tmp_path / "daten").is_dir()  # created on first run
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@127.0.0.1/caregap")
    assert database_url() == "postgresql+psycopg://u:p@127.0.0.1/caregap"
