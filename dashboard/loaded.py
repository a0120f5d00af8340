"""Datasets loaded once per process, with their calculators (the app's slider path reuses them)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .dataset import Dataset, load_dataset
from .scenario import Calculator


@dataclass(frozen=True)
class Loaded:
    ref: str
    dataset: Dataset
    calculator: Calculator

    def service_labels(self, lang: str) -> dict[str, str]:
        """Each service's label in `lang`, by key."""
        return {k: s.label_for(lang) for k, s in self.dataset.settings.services.items()}


_BY_ID: dict[str, str] = {}


@lru_cache(maxsize=16)
def _load(ref: str) -> Loaded:
    dataset = load_dataset(ref)
    loaded = Loaded(ref, dataset, Calculator(dataset))
    _BY_ID[dataset.id] = ref
    return loaded


def loaded(ref: str | Path) -> Loaded:
    return _load(str(ref))


def by_id(dataset_id: str) -> Loaded:
    """A dataset already loaded in this process, by its id (URLs carry ids, not paths)."""
    if dataset_id not in _BY_ID:
        raise KeyError(dataset_id)
    return _load(_BY_ID[dataset_id])


def fit_view(bounds: tuple[float, float, float, float], width_px: int = 800, height_px: int = 440) -> dict:
    """Centre and zoom that fit WGS84 bounds (minx, miny, maxx, maxy) into a map of that size."""
    minx, miny, maxx, maxy = bounds
    lat = (miny + maxy) / 2
    span_x = max(maxx - minx, 1e-6)
    # Web-Mercator: vertical degrees stretch by 1/cos(lat)
    span_y = max((maxy - miny) / math.cos(math.radians(lat)), 1e-6)
    zoom = min(math.log2(360 * width_px / 512 / span_x), math.log2(360 * height_px / 512 / span_y))
    return {"center": {"lon": (minx + maxx) / 2, "lat": lat}, "zoom": round(zoom - 0.15, 2)}
