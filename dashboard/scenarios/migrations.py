"""Schema versions. A database records its version; opening it applies the missing steps in order.

Each step is frozen once released: later releases append steps, never edit old ones, so any
database made by an earlier release opens in a later one.
"""

from __future__ import annotations

import json

from sqlalchemy import (Column, DateTime, Integer, LargeBinary, MetaData, PrimaryKeyConstraint, String, Table, Text,
                        UniqueConstraint, inspect, select, text, update)
from sqlalchemy.engine import Connection, Engine

metadata = MetaData()

schema_version = Table("caregap_schema_version", metadata, Column("version", Integer, nullable=False))

scenarios = Table(
    "caregap_scenarios", metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("dataset_id", String(120), nullable=False),
    Column("dataset_version", String(64), nullable=False),
    Column("assumptions", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("revision", Integer, nullable=False),
    UniqueConstraint("dataset_id", "name", name="uq_scenario_name_per_dataset"),
)


def _v1(conn: Connection) -> None:
    scenarios.create(conn)
    conn.execute(text("CREATE INDEX ix_caregap_scenarios_dataset ON caregap_scenarios (dataset_id)"))


DOCUMENT_VERSION = 2  # of the JSON document in `assumptions` (see scenarios.model)


def upgrade_document_v1(document: dict) -> dict:
    """Version 1 kept the map measure among the assumptions' fields; version 2 sets them apart."""
    assumptions = {k: v for k, v in document.items() if k != "measure"}
    return {"version": 2, "assumptions": assumptions, "view": {"measure": document.get("measure", "coverage")}}


def _v2(conn: Connection) -> None:
    """Rewrite every saved document in the version-2 form; revisions and times stay (nobody edited them)."""
    for row in conn.execute(select(scenarios.c.id, scenarios.c.assumptions)).all():
        document = json.loads(row.assumptions)
        if isinstance(document, dict) and "version" not in document:
            conn.execute(update(scenarios).where(scenarios.c.id == row.id)
                         .values(assumptions=json.dumps(upgrade_document_v1(document), sort_keys=True)))


# files shared by every server of one database: imported datasets and the import page's uploads
dataset_files = Table(
    "caregap_dataset_files", metadata,
    Column("dataset_id", String(120), nullable=False),
    Column("name", String(120), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    PrimaryKeyConstraint("dataset_id", "name", name="pk_caregap_dataset_files"),
)

uploads = Table(
    "caregap_uploads", metadata,
    Column("session", String(32), nullable=False),
    Column("name", String(120), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", DateTime, nullable=False),
    PrimaryKeyConstraint("session", "name", name="pk_caregap_uploads"),
)


def _v3(conn: Connection) -> None:
    dataset_files.create(conn)
    uploads.create(conn)


# one number every store or removal of a shared dataset raises (in its transaction): a server keeps
# its listing of the shared datasets until the number moves, one tiny query per request
dataset_stamp = Table("caregap_dataset_stamp", metadata, Column("stamp", Integer, nullable=False))


def _v4(conn: Connection) -> None:
    dataset_stamp.create(conn)
    conn.execute(dataset_stamp.insert().values(stamp=0))


STEPS = [(1, _v1), (2, _v2), (3, _v3), (4, _v4)]
LATEST = STEPS[-1][0]


class SchemaError(RuntimeError):
    pass


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table(schema_version.name):
        return 0
    return conn.execute(select(schema_version.c.version)).scalar() or 0


MIGRATION_LOCK = 0x43617265  # PostgreSQL advisory lock key of the schema set-up ("Care")


def _apply(conn: Connection) -> int:
    if not inspect(conn).has_table(schema_version.name):
        schema_version.create(conn)
        conn.execute(schema_version.insert().values(version=0))
    found = current_version(conn)
    if found > LATEST:
        raise SchemaError(f"the scenario database has schema version {found}, newer than this release knows "
                          f"({LATEST}); update CareGap")
    for version, step in STEPS:
        if version > found:
            step(conn)
            conn.execute(schema_version.update().values(version=version))
    return found


def migrate(engine: Engine) -> int:
    """Bring the database to LATEST; returns the version it had.

    One transaction that holds a lock from the first look at the schema to the last step, so
    servers and threads opening a fresh database at the same moment set it up once: the others
    wait, then find it done (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE, the write lock)."""
    if engine.dialect.name == "sqlite":
        # the driver's own transaction handling would start the transaction too late (at the first write)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                found = _apply(conn)
            except BaseException:
                conn.exec_driver_sql("ROLLBACK")
                raise
            conn.exec_driver_sql("COMMIT")
            return found
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        return _apply(conn)
