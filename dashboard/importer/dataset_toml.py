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
import json
import math
import re
import tomllib
from pathlib import Path

from ..errors import DataError, Problem
from ..settings import DatasetSettings, parse_settings
from .report import ImportReport
from .safety import InputFile

GENERATED = "dataset.toml (generated)"
RATIO_HINT = "fill in: year = residents per FTE, e.g. { 2025 = 4200, 2030 = 3000 }"


def read_user_settings(file: InputFile) -> tuple[dict | None, list[Problem]]:
    try:
        return tomllib.loads(file.path.read_bytes().decode("utf-8-sig")), []
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return None, [Problem(file.name, None, None, f"the file is not valid TOML ({exc})",
                              "Fix the syntax at the place named; strings need quotes.")]


def dataset_id(out: Path) -> str:
    """A dataset id from the out folder's name: `Leipzig Ost` → `leipzig-ost`."""
    value = out.name.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        value = value.replace(a, b)
    return re.sub(r"[^a-z0-9_]+", "-", value).strip("-") or "dataset"


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
            report.add(Problem(label, None, "dataset", "is not a table", "Write [dataset] with id, title and base_year."))
            return data, None
        ds = data["dataset"] = {}
    filled = []
    if "id" not in ds:
        ds["id"] = dataset_id(out)
        filled.append(f"id = \"{ds['id']}\" (from the folder name)")
    if "title" not in ds:
        ds["title"] = out.name
        filled.append(f"title = \"{ds['title']}\"")
    if "base_year" not in ds and years:
        ds["base_year"] = years[0]
        filled.append(f"base_year = {years[0]} (the first year of the population table)")
    ds.setdefault("reference_population", "60+")
    if user is None:
        ds["attribution"] = []
        ds["notes"] = [f"Imported from {', '.join(sources)}."]
    if filled:
        report.note(label, "settings", "filled in: " + "; ".join(filled))
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
        report.note(label, "settings", "services taken from the services table: " + ", ".join(found))
    for key in missing_ratios:
        report.add(Problem(label, None, f"services.{key}.ratios",
                           f"the services table names service '{key}' ('{found[key]}'), but no target ratio is given "
                           "for it, so its need cannot be computed",
                           f"Supply ratios with --settings dataset.toml, e.g. [services.{key}] ratios = "
                           "{ 2025 = 4200 } (residents of the reference population per FTE); the report ends with "
                           "a dataset.toml to complete."))
    if missing_ratios:
        report.settings_template = template(data)
    try:
        settings = parse_settings(data, label)
    except DataError as exc:
        mine = {f"services.{key}.ratios" for key in missing_ratios}
        report.add([p for p in exc.problems if p.column not in mine])
        return data, None
    if years and settings.base_year not in years:
        report.add(Problem(label, None, "dataset.base_year", f"the base year {settings.base_year} is not a year of "
                           f"the population table ({years[0]}–{years[-1]})",
                           "The app opens on the first year instead; set base_year to a year of the table.",
                           str(settings.base_year), "warning"))
    return data, (None if missing_ratios else settings)


# -- writing TOML (the standard library reads TOML but does not write it) ----------------------------
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def to_toml(data: dict) -> str:
    lines: list[str] = []
    scalars = {k: v for k, v in data.items() if not isinstance(v, dict)}
    for key, value in scalars.items():
        lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in data.items():
        if isinstance(value, dict):
            _table([key], value, lines)
    return "\n".join(lines).lstrip("\n") + "\n"


def _table(path: list[str], table: dict, lines: list[str]) -> None:
    inline = {k: v for k, v in table.items() if not isinstance(v, dict) or not any(isinstance(x, dict) for x in v.values())}
    nested = {k: v for k, v in table.items() if k not in inline}
    if inline or not nested:
        if lines:
            lines.append("")
        lines.append(f"[{'.'.join(_key(p) for p in path)}]")
        for key, value in inline.items():
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in nested.items():
        _table([*path, key], value, lines)


def _key(key) -> str:
    key = str(key)
    return key if _BARE.match(key) else _string(key)


def _string(text: str) -> str:
    return json.dumps(str(text), ensure_ascii=False).replace("\x7f", "\\u007f")


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return _string(str(value))


def template(data: dict) -> str:
    """The settings with a comment on every empty ratios table."""
    return "\n".join(line + f"  # {RATIO_HINT}" if line.strip() == "ratios = {}" else line
                     for line in to_toml(data).splitlines()) + "\n"
