"""Datasets a user imported, and the upload staging area of the import page.

Imported datasets live in `<data dir>/datasets/<id>/` (dataset folders in the data contract).
Uploads wait in `<data dir>/uploads/<session>/` under names the server generated; the browser only
ever holds those names, and a name is checked against their pattern before it becomes a path.
With DATABASE_URL set, both are kept in the database as well and these folders are each server's
local copies of them (`scenarios.files`), so every server sees every import and upload.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import uuid
from pathlib import Path

from .dataset import bundled_ids
from .i18n import DEFAULT_LANGUAGE, t
from .importer.dataset_toml import to_toml
from .importer.safety import InputFile, Limits, stage_upload
from .scenarios import files as shared_files
from .scenarios.store import data_dir

DATASET_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,40}$")
SESSION = re.compile(r"^[0-9a-f]{32}$")
STAGED = re.compile(r"^(boundaries|population|services|mapping|settings)-[0-9a-f]{32}\.[a-z]{2,7}$")
UPLOAD_MAX_AGE_S = 24 * 3600
PREVIEW_ROWS = 5  # rows of an upload shown under its column choices


class UserDataError(ValueError):
    """A form or upload the import page cannot use; `code` and `params` name the catalog text `userdata.<code>`."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(code)

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t(f"userdata.{self.code}", lang, **self.params)

    def __str__(self) -> str:
        return self.text()


def datasets_dir() -> Path:
    path = data_dir() / "datasets"
    path.mkdir(parents=True, exist_ok=True)
    return path


# (database, data folder) → the shared datasets' stamp its local copies were last brought up to
_COPIED_AT: dict[tuple[str, str], int] = {}


def _copy_shared(root: Path) -> None:
    """Copy the shared datasets that are new or changed into `root`; when no server stored or dropped
    one since the last time (the stamp, one small query), nothing else is asked or read."""
    key = (os.environ.get("DATABASE_URL", ""), str(root))
    stamp = shared_files.dataset_stamp_now()  # read first: a change after it is seen on the next call
    if _COPIED_AT.get(key) == stamp:
        return
    for dataset_id, version in shared_files.dataset_versions().items():
        if DATASET_ID.match(dataset_id) and dataset_id not in bundled_ids():
            shared_files.materialise(dataset_id, root / dataset_id, version)
    _COPIED_AT[key] = stamp


def user_datasets() -> dict[str, str]:
    """Imported datasets: id → folder (shared ones copied here first when they are new or changed)."""
    root = datasets_dir()
    if shared_files.shared():
        _copy_shared(root)
    return {p.parent.name: str(p.parent) for p in sorted(root.glob("*/dataset.toml"))
            if DATASET_ID.match(p.parent.name)}  # never a copy being written (hidden names)


def import_user_dataset(dataset_id: str, boundaries, population, sites, mapping, settings):
    """Import into the dataset folder of `dataset_id` (checked with `check_dataset_id`); shared with
    every server of the database when the report is ok. Returns the importer's report."""
    from .importer import import_dataset

    folder = datasets_dir() / dataset_id
    report = import_dataset(boundaries, population, sites, mapping, settings, out=folder)
    if report.ok and shared_files.shared():
        shared_files.put_dataset(dataset_id, folder)
    return report


def check_dataset_id(dataset_id: str) -> str:
    dataset_id = (dataset_id or "").strip().lower()
    if not DATASET_ID.match(dataset_id):
        raise UserDataError("bad_id")
    if dataset_id in bundled_ids():
        raise UserDataError("bundled_id", id=dataset_id)
    if dataset_id in user_datasets():
        raise UserDataError("taken_id", id=dataset_id)
    return dataset_id


def new_session() -> str:
    return uuid.uuid4().hex


def _session_dir(session: str) -> Path:
    if not SESSION.match(session or ""):
        raise UserDataError("unknown_session")
    path = data_dir() / "uploads" / session
    path.mkdir(parents=True, exist_ok=True)
    return path


def stage(session: str, role: str, data: bytes, filename: str, limits: Limits = Limits()) -> dict:
    """Store an upload; returns what the page keeps: the generated name and the name shown."""
    _clean_old_uploads()
    folder = _session_dir(session)
    staged = stage_upload(data, filename, folder, role, limits)
    replaced = [p for p in folder.glob(f"{role}-*")  # a re-upload replaces the earlier file of its role
                if p.is_file() and p != staged.path and STAGED.match(p.name)]
    for earlier in replaced:
        earlier.unlink(missing_ok=True)
    if shared_files.shared():
        shared_files.put_upload(session, staged.path.name, data)
        shared_files.drop_uploads(session, [p.name for p in replaced])
    return {"stored": staged.path.name, "name": staged.name}


def staged_file(session: str, entry: dict | None) -> InputFile | None:
    """The InputFile for a page's upload entry, refusing anything but a generated name."""
    if not entry:
        return None
    stored = str(entry.get("stored", ""))
    if not STAGED.match(stored):
        raise UserDataError("unknown_upload")
    path = _session_dir(session) / stored
    if not path.is_file() and shared_files.shared():  # received by another server
        data = shared_files.get_upload(session, stored)
        if data is not None:
            path.write_bytes(data)
    if not path.is_file():
        raise UserDataError("expired", name=entry.get("name") or stored)
    return InputFile(path, str(entry.get("name") or stored))


def write_settings(session: str, settings: dict) -> InputFile:
    """A dataset.toml built from the page's form, staged like an upload."""
    path = _session_dir(session) / f"settings-{uuid.uuid4().hex}.toml"
    path.write_text(to_toml(settings), encoding="utf-8")
    return InputFile(path, "dataset.toml")


def parse_milestones(text: str) -> dict[str, float]:
    """`2024: 4200; 2026: 2500` (or `2024=4200, 2026=2500`) → {"2024": 4200.0, "2026": 2500.0}."""
    out: dict[str, float] = {}
    for part in re.split(r"[;,\n]+\s*(?=\d{4})", str(text or "").strip()):
        if not part.strip():
            continue
        m = re.match(r"^\s*(\d{4})\s*[:=]\s*([0-9]+(?:[.,][0-9]+)?)\s*$", part)
        if not m:
            raise UserDataError("bad_milestone", text=part.strip())
        out[m.group(1)] = float(m.group(2).replace(",", "."))
    if not out:
        raise UserDataError("no_milestone")
    return out


def settings_from_form(dataset_id: str, title: str, attribution: str, services: list[dict],
                       fte_cost: float | None, notes: str = "") -> dict:
    """dataset.toml content from the page's form; services rows: key, label, milestones, unit."""
    table: dict = {"dataset": {"id": dataset_id, "title": (title or dataset_id).strip(),
                               "attribution": [line.strip() for line in (attribution or "").splitlines() if line.strip()],
                               "notes": [line.strip() for line in (notes or "").splitlines() if line.strip()]},
                   "costs": {"fte_per_year_eur": float(fte_cost if fte_cost is not None else 75000), "wage_growth": 0.0},
                   "services": {}}
    for row in services:
        key = re.sub(r"[^a-z0-9_]", "", str(row.get("key", "")).strip().lower())
        if not key:
            continue
        table["services"][key] = {"label": str(row.get("label") or key), "ratios": parse_milestones(row.get("milestones")),
                                  "between_milestones": "hold", "unit": row.get("unit") or "posts"}
    if not table["services"]:
        raise UserDataError("no_service")
    return table


def _clean_old_uploads() -> None:
    root = data_dir() / "uploads"
    if not root.is_dir():
        return
    cutoff = time.time() - UPLOAD_MAX_AGE_S
    if shared_files.shared():
        shared_files.drop_old_uploads(UPLOAD_MAX_AGE_S)
    for folder in root.iterdir():
        if folder.is_dir() and SESSION.match(folder.name) and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def all_datasets(base: dict[str, str]) -> dict[str, str]:
    """The datasets a URL may name: those the server started with, and the imported ones."""
    return {**user_datasets(), **base}


def preview(file: InputFile, role: str, rows: int = PREVIEW_ROWS) -> tuple[list[str], list[dict]]:
    """Column names and the first rows of an upload (attributes only, for boundaries)."""
    import tempfile

    from .importer.geodata import read_geodata
    from .importer.mapping import BoundaryMapping
    from .importer.normalise import read_source

    if role == "boundaries":
        with tempfile.TemporaryDirectory(dir=file.path.parent) as work:
            frame, _, _ = read_geodata(file, BoundaryMapping(), Limits(), Path(work))
        frame = frame.drop(columns="geometry")
    else:
        frame = read_source(file).frame
    head = frame.head(rows).astype(str)
    return [str(c) for c in frame.columns], head.to_dict("records")


def mapping_from_choices(choices: dict[str, dict[str, str]]) -> dict:
    """mapping.toml content from the page's column choices ({table: {role: column}}), empty ones left out."""
    table = {}
    for kind, roles in choices.items():
        picked = {role: column for role, column in (roles or {}).items() if column}
        if picked:
            table[kind] = picked
    return table


def write_mapping(session: str, mapping: dict) -> InputFile:
    path = _session_dir(session) / f"mapping-{uuid.uuid4().hex}.toml"
    path.write_text(to_toml(mapping), encoding="utf-8")
    return InputFile(path, "mapping.toml")


def check_folder(session: str) -> Path:
    """A fresh folder to try an import in (nothing there is kept)."""
    path = _session_dir(session) / f"check-{uuid.uuid4().hex}"
    path.mkdir()
    return path
