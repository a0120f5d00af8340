"""A dataset: settings, boundaries, population and service sites, loaded and checked together.

A dataset is named either by a bundled id (`dresden`: tables in `data/<id>/`, boundaries in
`geodata/<id>/`) or by a folder that holds `dataset.toml`, `population.csv`, `services.csv`
and one `districts.*` boundary file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .boundaries import find_boundary_file, read_boundaries
from .errors import DataError, Problem, raise_if_errors
from .settings import DatasetSettings, read_settings
from .tables import read_table
from .validation import check_population, check_services

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_ROOT = REPO_ROOT / "data"
GEODATA_ROOT = REPO_ROOT / "geodata"
DATASET_TABLE_SUFFIXES = (".csv", ".xlsx")  # population.* / services.* of a dataset folder, in order of preference


@dataclass(frozen=True)
class DatasetFiles:
    settings: Path
    population: Path
    services: Path
    boundaries: Path | None

    def all(self) -> list[Path]:
        return [p for p in (self.settings, self.population, self.services, self.boundaries) if p]


def _table_file(folder: Path, stem: str) -> Path:
    for suffix in DATASET_TABLE_SUFFIXES:
        if (folder / f"{stem}{suffix}").exists():
            return folder / f"{stem}{suffix}"
    return folder / f"{stem}.csv"


def resolve(ref: str | Path) -> DatasetFiles:
    """Files of a bundled dataset id or of a dataset folder."""
    folder = Path(ref)
    if folder.is_dir() and (folder / "dataset.toml").exists():
        return DatasetFiles(folder / "dataset.toml", _table_file(folder, "population"),
                            _table_file(folder, "services"), find_boundary_file(folder))
    if (DATA_ROOT / str(ref) / "dataset.toml").exists():
        tables = DATA_ROOT / str(ref)
        return DatasetFiles(tables / "dataset.toml", _table_file(tables, "population"),
                            _table_file(tables, "services"), find_boundary_file(GEODATA_ROOT / str(ref)))
    raise DataError([Problem(str(ref), None, None, "dataset.unknown", {"bundled": ", ".join(bundled_ids()) or "–"})])


def bundled_ids() -> list[str]:
    return sorted(p.parent.name for p in DATA_ROOT.glob("*/dataset.toml"))


def content_hash(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Dataset:
    settings: DatasetSettings
    districts: gpd.GeoDataFrame  # district_id, name, <levels…>, geometry (WGS84)
    population: pd.DataFrame  # district_id, year, age_band, population, status
    sites: pd.DataFrame  # site_id, name, service, fte, year_from, year_to, district_id, …
    files: DatasetFiles
    version: str
    warnings: list[Problem] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.settings.id

    @cached_property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.population["year"].unique())

    @cached_property
    def age_bands(self) -> list[str]:
        """The age band labels of the population table."""
        return sorted(str(b) for b in self.population["age_band"].unique())

    @cached_property
    def no_figures(self) -> frozenset[str]:
        """Areas kept on the map whose population counts are not published ("keine Angabe"): they have
        no population rows, and every figure computed from their residents is undefined."""
        return frozenset(self.settings.no_figures)

    @cached_property
    def district_order(self) -> list[str]:
        return list(self.districts["district_id"])

    def level_column(self, level: str) -> str:
        """Column of `districts` that names each district's group at `level`."""
        if level == self.settings.base_level:
            return "district_id"
        if level not in self.settings.levels:
            raise ValueError(f"unknown level '{level}'; this dataset has {', '.join(self.settings.level_names)}")
        return level

    @cached_property
    def _year_statuses(self) -> dict[int, str]:
        order = {"observed": 0, "forecast": 1, "estimate": 2}
        worst = self.population.assign(rank=self.population["status"].map(order)).groupby("year")["rank"].max()
        names = {v: k for k, v in order.items()}
        return {int(year): names[int(rank)] for year, rank in worst.items()}

    def year_status(self, year: int) -> str:
        """Status of a year's population figures: the least certain one present (estimate > forecast > observed)."""
        return self._year_statuses.get(int(year), "observed")


def load_dataset(ref: str | Path) -> Dataset:
    """Load and check a dataset; raises DataError with every problem found."""
    files = resolve(ref)
    settings = read_settings(files.settings)
    problems: list[Problem] = []
    if files.boundaries is None:
        raise DataError([Problem("districts.*", None, None, "dataset.boundaries_missing")])
    for path in (files.population, files.services):
        if not path.exists():
            problems.append(Problem(path.name, None, None, "dataset.table_missing"))
    raise_if_errors(problems)
    districts = read_boundaries(files.boundaries, settings.id_column, settings.name_column, settings.levels)
    ids = set(districts["district_id"])
    population = check_population(read_table(files.population), files.population.name, ids, settings)
    sites = check_services(read_table(files.services), files.services.name, districts, settings)
    warnings = raise_if_errors(population.problems + sites.problems)
    return Dataset(settings, districts, population.table, sites.table, files, content_hash(files.all()), warnings)


def sites_in_unit(dataset: Dataset, level: str, unit_id: str, year: int) -> pd.DataFrame:
    """Sites that run in `year` inside the unit (a district, or a group of them at a coarser level)."""
    column = dataset.level_column(level)
    members = dataset.districts.loc[dataset.districts[column] == unit_id, "district_id"]
    sites = dataset.sites
    running = (sites["year_from"] <= year) & (sites["year_to"].isna() | (sites["year_to"] >= year)).fillna(True)
    return sites[sites["district_id"].isin(set(members)) & running].sort_values(["name", "service"])


def dataset_title(ref: str | Path, lang: str) -> str:
    """The title a dataset picker shows (reads only `dataset.toml`; the id if that cannot be read)."""
    try:
        s = read_settings(resolve(ref).settings)
    except (DataError, OSError, ValueError):  # a broken dataset still gets an entry, named by its id
        return Path(ref).name
    return s.title_en if lang == "en" and s.title_en else s.title
