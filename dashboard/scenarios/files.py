"""Files every server of one database shares: imported datasets and the import page's uploads.

With DATABASE_URL set, several app processes (also on several hosts, each with its own data
folder) serve the same data: an imported dataset's files are kept in the database as blobs keyed
by dataset id and file name, with their content hash, and copied into a server's local data folder
when it first needs them or when the hashes say they changed. Uploads of the import page are kept
the same way, so the server that checks or saves an import need not be the one that received the
file. Without DATABASE_URL the local folder is the only copy, as before.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, insert, select, update

from .migrations import dataset_files, dataset_stamp, uploads
from .store import _now, open_store

HASH_FILE = ".caregap-version"  # in a local copy: the combined hash of the files it was made from


def shared() -> bool:
    """Whether this server shares its data through the database (DATABASE_URL is set)."""
    return bool(os.environ.get("DATABASE_URL", "").strip())


def _engine():
    return open_store().engine


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def combined_hash(hashes: dict[str, str]) -> str:
    """One version for a dataset's files: their names and content hashes, in name order."""
    return _digest("".join(f"{n}:{h};" for n, h in sorted(hashes.items())).encode())[:32]


def put_dataset(dataset_id: str, folder: Path) -> str:
    """Store every file of a dataset folder (replacing what the id held before); returns its version."""
    files = {p.name: p.read_bytes() for p in sorted(Path(folder).iterdir()) if p.is_file() and p.name != HASH_FILE}
    hashes = {name: _digest(data) for name, data in files.items()}
    now = _now()
    with _engine().begin() as conn:
        conn.execute(delete(dataset_files).where(dataset_files.c.dataset_id == dataset_id))
        for name, data in files.items():
            conn.execute(insert(dataset_files).values(dataset_id=dataset_id, name=name, content_hash=hashes[name],
                                                     data=data, updated_at=now))
        _raise_stamp(conn)
    version = combined_hash(hashes)
    (Path(folder) / HASH_FILE).write_text(version, encoding="utf-8")
    return version


def drop_dataset(dataset_id: str) -> None:
    """Remove a dataset from the shared store (each server's local copy stays until it is cleaned)."""
    with _engine().begin() as conn:
        conn.execute(delete(dataset_files).where(dataset_files.c.dataset_id == dataset_id))
        _raise_stamp(conn)


def _raise_stamp(conn) -> None:
    conn.execute(update(dataset_stamp).values(stamp=dataset_stamp.c.stamp + 1))


def dataset_stamp_now() -> int:
    """The shared datasets' stamp: it moves whenever one is stored or dropped, by any server."""
    with _engine().connect() as conn:
        return conn.execute(select(dataset_stamp.c.stamp)).scalar() or 0


def dataset_versions() -> dict[str, str]:
    """Every shared dataset's id and version (hashes only: no file content travels)."""
    hashes: dict[str, dict[str, str]] = {}
    with _engine().connect() as conn:
        for row in conn.execute(select(dataset_files.c.dataset_id, dataset_files.c.name, dataset_files.c.content_hash)):
            hashes.setdefault(row.dataset_id, {})[row.name] = row.content_hash
    return {i: combined_hash(h) for i, h in hashes.items()}


def local_version(folder: Path) -> str | None:
    try:
        return (folder / HASH_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None


def materialise(dataset_id: str, folder: Path, version: str) -> None:
    """Make `folder` the local copy of the shared dataset, unless it already is (`version`).
    Written beside it and swapped in by renames, so a reader never sees half a dataset."""
    if local_version(folder) == version:
        return
    with _engine().connect() as conn:
        rows = conn.execute(select(dataset_files.c.name, dataset_files.c.data)
                            .where(dataset_files.c.dataset_id == dataset_id)).all()
    fresh = folder.parent / f".{folder.name}.{uuid.uuid4().hex}"
    fresh.mkdir(parents=True)
    for row in rows:
        if "/" in row.name or row.name.startswith("."):
            continue  # names are the importer's own; anything else is never made a path
        (fresh / row.name).write_bytes(row.data)
    (fresh / HASH_FILE).write_text(combined_hash({r.name: _digest(r.data) for r in rows}), encoding="utf-8")
    old = folder.parent / f".{folder.name}.old-{uuid.uuid4().hex}"
    try:
        os.rename(folder, old)
    except FileNotFoundError:  # no copy yet (or another thread moved it aside first)
        pass
    try:
        os.rename(fresh, folder)
    except OSError:  # another thread or process placed it first: theirs is as good
        shutil.rmtree(fresh, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)


def put_upload(session: str, name: str, data: bytes) -> None:
    with _engine().begin() as conn:
        conn.execute(delete(uploads).where(uploads.c.session == session, uploads.c.name == name))
        conn.execute(insert(uploads).values(session=session, name=name, data=data, created_at=_now()))


def drop_uploads(session: str, names: list[str]) -> None:
    with _engine().begin() as conn:
        conn.execute(delete(uploads).where(uploads.c.session == session, uploads.c.name.in_(names)))


def get_upload(session: str, name: str) -> bytes | None:
    with _engine().connect() as conn:
        return conn.execute(select(uploads.c.data).where(uploads.c.session == session, uploads.c.name == name)).scalar()


def drop_old_uploads(max_age_s: float) -> None:
    with _engine().begin() as conn:
        conn.execute(delete(uploads).where(uploads.c.created_at < _now() - timedelta(seconds=max_age_s)))
