"""Datasets loaded once per process, with their calculators (the app's slider path reuses them)."""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from .dataset import Dataset, content_hash, load_dataset, resolve
from .errors import DataError
from .scenario import Assumptions, Calculator, Result
from .webgeo import cache_dir

DATASET_CACHE_VERSION = 1
# a checked dataset is stored with these libraries' objects: another version reads it again
PICKLED_WITH = ("pandas", "geopandas", "shapely", "numpy")
_CODE = Path(__file__).parent  # the reading and checking code: a change of it reads datasets again


KEPT_RESULTS = 32  # views whose figures a process keeps per dataset


@dataclass(frozen=True)
class Loaded:
    ref: str
    dataset: Dataset
    calculator: Calculator
    # the figures of the views last asked for: after a slider move's answer, the table's rows and the
    # area under the pointer ask for the same view (shared between requests: never changed in place)
    _results: OrderedDict = field(default_factory=OrderedDict, compare=False, repr=False)
    _results_lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def service_labels(self, lang: str) -> dict[str, str]:
        """Each service's label in `lang`, by key."""
        return {k: s.label_for(lang) for k, s in self.dataset.settings.services.items()}

    def result(self, assumptions: Assumptions) -> Result:
        """`calculator.compute(assumptions)`, computed once for the last KEPT_RESULTS views (a view
        that does not fit raises ScenarioError each time, as compute does)."""
        with self._results_lock:
            if assumptions in self._results:
                self._results.move_to_end(assumptions)
                return self._results[assumptions]
        result = self.calculator.compute(assumptions)
        with self._results_lock:
            self._results[assumptions] = result
            while len(self._results) > KEPT_RESULTS:
                self._results.popitem(last=False)
        return result


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


def _code_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(_CODE.glob("*.py")):
        digest.update(path.read_bytes())
    for name in PICKLED_WITH:
        digest.update(version(name).encode())
    return digest.hexdigest()[:16]


def checked_dataset(ref: str | Path) -> Dataset:
    """`load_dataset`, read and checked once per content: the checked dataset is kept in the cache
    folder (CAREGAP_CACHE_DIR, like the map geometry) under the hash of its files and of the code
    that reads them, so a restart loads it in a fraction of the time. A dataset with errors is
    never stored: it is checked again, and fails again with its report."""
    files = resolve(ref)
    try:
        # the paths too: a dataset keeps where its files are (the map geometry is read from there)
        paths = "|".join(str(p.resolve()) for p in files.all())
        key = f"{content_hash(files.all())}-{paths}-{_code_hash()}-v{DATASET_CACHE_VERSION}"
    except OSError:  # a file missing: the loader says which
        return load_dataset(ref)
    path = cache_dir() / f"dataset-{hashlib.sha256(key.encode()).hexdigest()[:24]}.pickle"
    if path.exists():
        try:
            with path.open("rb") as f:
                return pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass  # a damaged or outdated file: read the dataset again
    dataset = load_dataset(ref)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        with partial.open("wb") as f:
            pickle.dump(dataset, f, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)  # atomic: another process never reads half a file
    except OSError:
        partial.unlink(missing_ok=True)
    return dataset


def _load(ref: str) -> Loaded:
    dataset = checked_dataset(ref)
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
