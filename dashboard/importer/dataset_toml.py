"""dataset.toml for an imported dataset: the user's settings completed from the data, or generated.

A user's file supplies [dataset], [costs], [services] (and optionally [boundaries] / [levels], which
describe the boundary file and are rewritten for the contract-form output). Missing id, title and
base year are filled in from the out folder's name and the first year of the population table.
Without a file, minimal settings are generated; its services have no ratios, which is an error: a
service without a target ratio cannot be computed. The report then carries the generated file as a
template to complete.
"""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path

import tomli_w

from ..errors import DataError, Phrase, Problem
from ..settings import DatasetSettings, parse_settings
from .report import ImportReport
from .safety import InputFile

GENERATED = "dataset.toml (generated)"
RATIO_HINT = "fill in: year = residents per FTE, e.g. { 2025 = 4200, 2030 = 3000 }"


def read_user_settings(file: InputFile) -> tuple[dict | None, list[Problem]]:
    try:
        return tomllib.loads(file.path.read_bytes().decode("utf-8-sig")), []
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return None, [Problem(file.name, None, None, "settings.not_toml", {"error": str(exc)})]


def dataset_id(out: Path) -> str:
    """A dataset id from the out folder's name: `Leipzig Ost` → `leipzig-ost`."""
    value = out.name.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        value = value.replace(a, b)
    return re.sub(r"[^a-z0-9_]+", "-", value).strip("-") or "dataset"


def _id_problems(given: str, folder_id: str, label: str) -> list[Problem]:
    """A dataset's id names its folder and must not pose as a bundled dataset (its map, its data)."""
    from ..dataset import bundled_ids

    if given in bundled_ids():
        return [Problem(label, None, "dataset.id", "settings.bundled_id", {"id": given}, given)]
    if given != folder_id:
        return [Problem(label, None, "dataset.id", "settings.id_mismatch", {"id": given, "folder": folder_id}, given)]
    return []


def build_settings(user: dict | None, user_label: str | None, out: Path, years: list[int],
                   found: dict[str, str], levels: list[str], sources: list[str],
                   report: ImportReport) -> tuple[dict, DatasetSettings | None]:
    """The output dataset.toml as a dict, and its parsed settings (None if it has errors)."""
    label = user_label if user is not None else GENERATED
    report.files.setdefault(label, "settings")
    data = copy.deepcopy(user) if user is not None else {}
    ds = data.get("dataset")
    if not isinstance(ds, dict):
        if "dataset" in data:
            report.add(Problem(label, None, "dataset", "settings.dataset_not_table"))
            return data, None
        ds = data["dataset"] = {}
    filled = []
    if "id" in ds:
        report.add(_id_problems(str(ds["id"]), dataset_id(out), label))
    else:
        ds["id"] = dataset_id(out)
        filled.append(Phrase("import.note.filled_id", {"id": ds["id"]}))
    if "title" not in ds:
        ds["title"] = out.name
        filled.append(Phrase("import.note.filled_title", {"title": ds["title"]}))
    if "base_year" not in ds and years:
        ds["base_year"] = years[0]
        filled.append(Phrase("import.note.filled_base_year", {"year": years[0]}))
    ds.setdefault("reference_population", "60+")
    if user is None:
        ds["attribution"] = []
        ds["notes"] = [f"Imported from {', '.join(sources)}."]
    if filled:
        report.note(label, "settings", "filled_in", items=filled)
        first = {k: ds.pop(k) for k in ("id", "title", "base_year")}
        data["dataset"] = ds = {**first, **ds}
    data.pop("boundaries", None)
    if levels:
        data["levels"] = {level: level for level in levels}
    else:
        data.pop("levels", None)
    data.setdefault("costs", {"fte_per_year_eur": 75000, "wage_growth": 0.0})

    missing_ratios = []
    if not isinstance(data.get("services"), dict) or not data["services"]:
        data["services"] = {key: {"label": text, "ratios": {}, "between_milestones": "hold"}
                            for key, text in found.items()}
        missing_ratios = list(found)
        report.note(label, "settings", "services_from_table", services=", ".join(found))
    for key in missing_ratios:
        report.add(Problem(label, None, f"services.{key}.ratios", "settings.ratios_needed",
                           {"service": key, "label": found[key]}))
    if missing_ratios:
        report.settings_template = template(data)
    try:
        settings = parse_settings(data, label)
    except DataError as exc:
        mine = {f"services.{key}.ratios" for key in missing_ratios}
        report.add([p for p in exc.problems if p.column not in mine])
        return data, None
    if years and settings.base_year not in years:
        report.add(Problem(label, None, "dataset.base_year", "settings.base_year_outside",
                           {"year": settings.base_year, "first": years[0], "last": years[-1]},
                           str(settings.base_year), "warning"))
    return data, (None if missing_ratios else settings)


# -- writing TOML: tomli-w (the standard library reads TOML but does not write it) --------------------
_EMPTY_RATIOS = re.compile(r"^\[services\.[^\]]+\.ratios\]$")


def to_toml(data: dict) -> str:
    return tomli_w.dumps(data)


def template(data: dict) -> str:
    """The settings with every empty ratios table written inline (`ratios = {}`) under its service,
    with a comment saying what to fill in. tomli-w writes an empty table as a header of its own,
    right after its service's keys, so that header becomes the service's `ratios = {}` line."""
    lines = to_toml(data).splitlines()
    out = []
    header = ""
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        empty = not following.strip() or following.startswith("[")
        if _EMPTY_RATIOS.match(line) and empty and line == header[:-1] + ".ratios]":
            out.append(f"ratios = {{}}  # {RATIO_HINT}")
            continue
        if line.startswith("["):
            header = line
        out.append(line)
    return "\n".join(out) + "\n"
