"""Scenario storage through SQLAlchemy: SQLite by default, PostgreSQL when DATABASE_URL says so.

Every write is one transaction, so a scenario is saved whole or not at all (a server killed
mid-save leaves the previous state). Saves are optimistic: each names the revision it started
from, and a save over a newer revision fails with ConflictError instead of overwriting someone
else's work.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, event, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from ..localised import LocalisedError
from .migrations import migrate, scenarios
from .model import Scenario

DB_FILE = "scenarios.sqlite3"
NAME_LIMIT = 120  # characters of a scenario's name (the column's width)


class StoreError(LocalisedError):
    """A request the store cannot carry out; its text (catalog section `store_error`) says why."""

    catalog = "store_error"


class NotFoundError(StoreError):
    pass


class ConflictError(StoreError):
    pass


def data_dir() -> Path:
    path = Path(os.environ.get("CAREGAP_DATA_DIR") or Path.home() / ".local" / "share" / "caregap")
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{data_dir() / DB_FILE}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA synchronous=FULL")  # a committed save survives a power cut
    cursor.execute("PRAGMA busy_timeout=10000")  # concurrent writers wait instead of failing
    cursor.close()


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0, tzinfo=None)


class ScenarioStore:
    def __init__(self, url: str | None = None):
        self.url = url or database_url()
        self.engine: Engine = create_engine(self.url, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        migrate(self.engine)

    # -- reading ------------------------------------------------------------------------------
    def get(self, scenario_id: str) -> Scenario:
        with self.engine.connect() as conn:
            row = conn.execute(select(scenarios).where(scenarios.c.id == scenario_id)).mappings().first()
        if row is None:
            raise NotFoundError("not_found", id=scenario_id)
        return _scenario(row)

    def list(self, dataset_id: str | None = None) -> list[Scenario]:
        query = select(scenarios).order_by(scenarios.c.name)
        if dataset_id:
            query = query.where(scenarios.c.dataset_id == dataset_id)
        with self.engine.connect() as conn:
            return [_scenario(r) for r in conn.execute(query).mappings()]

    # -- writing ------------------------------------------------------------------------------
    def create(self, name: str, dataset_id: str, dataset_version: str, assumptions: dict,
               description: str = "") -> Scenario:
        name = _clean_name(name)
        now = _now()
        values = {"id": uuid.uuid4().hex[:12], "name": name, "description": description.strip(),
                  "dataset_id": dataset_id, "dataset_version": dataset_version,
                  "assumptions": json.dumps(assumptions, sort_keys=True), "created_at": now, "updated_at": now,
                  "revision": 1}
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(scenarios).values(**values))
        except IntegrityError as exc:
            raise StoreError("name_taken", name=name) from exc
        return self.get(values["id"])

    def save(self, scenario_id: str, expected_revision: int, *, name: str | None = None,
             description: str | None = None, assumptions: dict | None = None,
             dataset_version: str | None = None) -> Scenario:
        """Change a scenario if nobody saved it since `expected_revision`; else ConflictError."""
        changes: dict = {"updated_at": _now(), "revision": scenarios.c.revision + 1}
        if name is not None:
            changes["name"] = _clean_name(name)
        if description is not None:
            changes["description"] = description.strip()
        if assumptions is not None:
            changes["assumptions"] = json.dumps(assumptions, sort_keys=True)
        if dataset_version is not None:
            changes["dataset_version"] = dataset_version
        try:
            with self.engine.begin() as conn:
                done = conn.execute(update(scenarios).where(scenarios.c.id == scenario_id,
                                                            scenarios.c.revision == expected_revision)
                                    .values(**changes))
                if done.rowcount == 1:
                    return self._get_in(conn, scenario_id)
                current = conn.execute(select(scenarios.c.revision, scenarios.c.updated_at)
                                       .where(scenarios.c.id == scenario_id)).first()
        except IntegrityError as exc:
            raise StoreError("name_taken", name=name) from exc
        if current is None:
            raise NotFoundError("deleted_meanwhile", id=scenario_id)
        raise ConflictError("conflict", time=f"{current.updated_at:%H:%M:%S}")

    def rename(self, scenario_id: str, expected_revision: int, name: str) -> Scenario:
        return self.save(scenario_id, expected_revision, name=name)

    def duplicate(self, scenario_id: str, name: str | None = None) -> Scenario:
        original = self.get(scenario_id)
        base = name or f"{original.name} (Kopie)"
        candidate, n = base, 2
        taken = {s.name for s in self.list(original.dataset_id)}
        while candidate in taken and name is None:
            candidate, n = f"{base} {n}", n + 1
        return self.create(candidate, original.dataset_id, original.dataset_version, original.assumptions,
                           original.description)

    def delete(self, scenario_id: str, expected_revision: int | None = None) -> None:
        with self.engine.begin() as conn:
            query = scenarios.delete().where(scenarios.c.id == scenario_id)
            if expected_revision is not None:
                query = query.where(scenarios.c.revision == expected_revision)
            if conn.execute(query).rowcount == 0:
                exists = conn.execute(select(func.count()).where(scenarios.c.id == scenario_id)).scalar()
                if exists:
                    raise ConflictError("conflict_delete")
                raise NotFoundError("not_found", id=scenario_id)

    def _get_in(self, conn, scenario_id: str) -> Scenario:
        return _scenario(conn.execute(select(scenarios).where(scenarios.c.id == scenario_id)).mappings().one())


def _clean_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise StoreError("name_missing")
    if len(name) > NAME_LIMIT:
        raise StoreError("name_too_long", limit=NAME_LIMIT)
    return name


def _scenario(row) -> Scenario:
    return Scenario(id=row["id"], name=row["name"], description=row["description"] or "",
                    dataset_id=row["dataset_id"], dataset_version=row["dataset_version"],
                    assumptions=json.loads(row["assumptions"]), created_at=row["created_at"],
                    updated_at=row["updated_at"], revision=row["revision"])


_STORES: dict[str, ScenarioStore] = {}
_STORES_LOCK = threading.Lock()  # one store per URL also when a server's threads ask at once


def open_store(url: str | None = None) -> ScenarioStore:
    """One store per database URL and process (engines pool their connections)."""
    url = url or database_url()
    with _STORES_LOCK:
        if url not in _STORES:
            _STORES[url] = ScenarioStore(url)
        return _STORES[url]
