"""Datasets loaded once per process, with their calculators (the app's slider path reuses them)."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path

from .dataset import Dataset, content_hash, load_dataset, resolve
from .errors import DataError
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
_CACHE: dict[str, tuple[Loaded, tuple]] = {}  # ref → (loaded dataset, signature of its files then)
_CACHE_SIZE = 16
_LOCK = threading.Lock()


def _signature(paths: list[Path]) -> tuple:
    """What a stat says about each file (size, time, inode): cheap enough for every request."""
    out = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            out.append(None)
            continue
        out.append((st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


def _load(ref: str) -> Loaded:
    dataset = load_dataset(ref)
    loaded = Loaded(ref, dataset, Calculator(dataset))
    _BY_ID[dataset.id] = ref
    return loaded


def _changed(item: Loaded) -> bool:
    """Whether the files now hold other content than the loaded dataset (its version is their hash)."""
    try:
        return content_hash(resolve(item.ref).all()) != item.dataset.version
    except (DataError, OSError):
        return True


def loaded(ref: str | Path) -> Loaded:
    """The dataset `ref` names, loaded once per process and again when its files change (a re-import):
    the files' stat is compared on each call, their content hash only when that moved."""
    ref = str(ref)
    cached = _CACHE.get(ref)
    if cached is not None and _signature(cached[0].dataset.files.all()) == cached[1]:
        return cached[0]
    with _LOCK:
        cached = _CACHE.get(ref)
        if cached is not None:
            item, seen = cached
            now = _signature(item.dataset.files.all())
            if now == seen:
                return item
            if not _changed(item):  # touched, not changed
                _CACHE[ref] = (item, now)
                return item
        before = _signature(resolve(ref).all())  # taken first: a change while loading is seen next time
        try:
            item = _load(ref)
        except DataError:
            if cached is None:
                raise
            _CACHE[ref] = (cached[0], before)  # a broken re-import: keep serving what was there
            return cached[0]
        _CACHE.pop(ref, None)
        _CACHE[ref] = (item, before)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        return item


def by_id(dataset_id: str) -> Loaded:
    """A dataset already loaded in this process, by its id (URLs carry ids, not paths)."""
    if dataset_id not in _BY_ID:
        raise KeyError(dataset_id)
    return loaded(_BY_ID[dataset_id])


def fit_view(bounds: tuple[float, float, float, float], width_px: int = 800, height_px: int = 440) -> dict:
    """Centre and zoom that fit WGS84 bounds (minx, miny, maxx, maxy) into a map of that size."""
    minx, miny, maxx, maxy = bounds
    lat = (miny + maxy) / 2
    span_x = max(maxx - minx, 1e-6)
    # Web-Mercator: vertical degrees stretch by 1/cos(lat)
    span_y = max((maxy - miny) / math.cos(math.radians(lat)), 1e-6)
    zoom = min(math.log2(360 * width_px / 512 / span_x), math.log2(360 * height_px / 512 / span_y))
    return {"center": {"lon": (minx + maxx) / 2, "lat": lat}, "zoom": round(zoom - 0.15, 2)}
