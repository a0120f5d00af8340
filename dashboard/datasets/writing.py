"""File writing shared by the dataset builders: stable, diff-friendly, byte-identical on rebuild."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

from ..dataset import REPO_ROOT


def rounded_coords(value, decimals: int):
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], (int, float)):
        return [round(float(v), decimals) for v in value]
    return [rounded_coords(v, decimals) for v in value]


def write_geojson(features: Iterable[tuple[dict, object]], path: Path, decimals: int) -> None:
    """(properties, shapely geometry) pairs as a FeatureCollection, one feature per line."""
    lines = []
    for properties, geom in features:
        geometry = geom.__geo_interface__
        feature = {"type": "Feature", "properties": properties,
                   "geometry": {"type": geometry["type"], "coordinates": rounded_coords(geometry["coordinates"], decimals)}}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def write_csv(rows: list[dict], columns: list[str], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def toml_list(values: list[str]) -> str:
    return "[\n" + "".join(f"  {toml_string(v)},\n" for v in values) + "]"


def repo_path(path: str) -> Path:
    """A path given on the command line; relative ones are taken from the repository root."""
    candidate = Path(path)
    return candidate if candidate.is_absolute() else (REPO_ROOT / candidate).resolve()
