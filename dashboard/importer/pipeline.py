"""`import_dataset`: three messy files in, one checked dataset folder out — or nothing at all.

Steps: check the inputs (formats, sizes) → read and normalise the boundaries, the population and the
services → complete or generate dataset.toml → run the core validators on the normalised tables and
report their findings at the user's rows and columns → add planning warnings (tiny districts,
districts without sites) → write the contract files into a temporary folder next to `out` → load
that folder with `dashboard.dataset.load_dataset` (the same rules as everywhere) → move it to `out`
in one rename (or swap it with an existing dataset in one exchange). Any error leaves no `out` and
no temporary folder behind.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from ..agebands import parse_rule
from ..dataset import DATASET_TABLE_SUFFIXES, load_dataset
from ..errors import MAX_LISTED, DataError, Problem
from ..formats import DATASET_BOUNDARY_SUFFIXES
from ..settings import DatasetSettings, ServiceSpec
from ..validation import NO_FIGURES, NO_SITES, check_population, check_services
from .crs import parse_crs
from .dataset_toml import build_settings, read_user_settings, to_toml
from .geodata import Districts, read_districts
from .mapping import ColumnMapping, levels_from_settings, read_mapping
from .normalise import KeyMatcher, Staged, read_source
from .population import stage_population
from .report import ImportReport, grouped
from .safety import SHAPEFILE_PARTS, InputFile, Limits, check_input, check_total, check_workbook
from .services import apply_service_keys, stage_services

SMALL_DISTRICT = 300  # residents in a year below which ratios swing too much to plan with
OUT_LABEL = "output folder"


def import_dataset(boundaries, population, services, mapping=None, settings=None, *, out, crs=None,
                   limits: Limits = Limits(), overwrite: bool = False) -> ImportReport:
    """Import a planner's files into the dataset folder `out`; returns the report (`report.ok`).

    `boundaries`, `population`, `services`, `mapping` (mapping.toml) and `settings` (dataset.toml)
    are paths or `InputFile`s; `crs` (e.g. "EPSG:25832") is used for inputs without a CRS of their
    own. `out` must not exist unless `overwrite` is True (and then must be a dataset folder).
    """
    out = Path(out).absolute()
    report = ImportReport(out=out)
    inputs = {"boundaries": InputFile.of(boundaries), "population": InputFile.of(population),
              "services": InputFile.of(services)}
    if mapping is not None:
        inputs["mapping"] = InputFile.of(mapping)
    if settings is not None:
        inputs["settings"] = InputFile.of(settings)
    inputs = _unique_labels(inputs)
    for role, file in inputs.items():
        report.files[file.name] = role

    for role, file in inputs.items():
        report.add(check_input(file, role, limits))
    report.add(check_total(list(inputs.values()), limits))
    report.add(_check_out(out, overwrite))
    if report.errors:
        return report

    created = _make_parents(out)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.import-", dir=out.parent))
    try:
        staged_dir = _run(inputs, crs, limits, out, work, report)
        if staged_dir is not None and overwrite:
            report.add(_foreign_files(out, staged_dir))
        if staged_dir is not None and not report.errors:
            try:
                _publish(staged_dir, out, overwrite, work)
                report.written = True
            except OSError as exc:
                report.add(Problem(OUT_LABEL, None, None, "out.not_placed", {"error": str(exc)}, str(out)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if not report.written:
            _remove_empty(created)
    return report


def _make_parents(out: Path) -> list[Path]:
    """Create the missing folders above `out`; returns them, deepest first (removed again if nothing is written)."""
    missing = [a for a in out.parents if not a.exists()]
    out.parent.mkdir(parents=True, exist_ok=True)
    return missing


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            break


def _unique_labels(inputs: dict[str, InputFile]) -> dict[str, InputFile]:
    names = [f.name for f in inputs.values()]
    return {role: (replace(f, name=f"{f.name} ({role})") if names.count(f.name) > 1 else f)
            for role, f in inputs.items()}


def _check_out(out: Path, overwrite: bool) -> list[Problem]:
    def problem(code: str) -> list[Problem]:
        return [Problem(OUT_LABEL, None, None, f"out.{code}", {}, str(out))]

    first = next((a for a in out.parents if a.exists()), None)
    if first is None or not first.is_dir():
        return problem("no_parent")
    if out.is_symlink():
        return problem("symlink")
    if out.exists():
        if not out.is_dir():
            return problem("not_folder")
        if not overwrite:
            return problem("exists")
        if any(out.iterdir()) and not (out / "dataset.toml").is_file():
            return problem("not_dataset")
    return []


def _dataset_file(name: str) -> bool:
    """A file of a dataset folder by the data contract (an older import may have written another form)."""
    stem, _, suffix = name.partition(".")
    suffix = "." + suffix.lower()
    if stem == "districts":
        return suffix in DATASET_BOUNDARY_SUFFIXES or suffix in SHAPEFILE_PARTS
    return name == "dataset.toml" or (stem in ("population", "services") and suffix in DATASET_TABLE_SUFFIXES)


def _foreign_files(out: Path, staged: Path) -> list[Problem]:
    """Files in the folder to replace that belong to no dataset (a planner's notes, say): replacing
    the folder would delete them, so it is refused and each is named."""
    if not out.is_dir():
        return []
    ours = {p.name for p in staged.iterdir()}
    foreign = sorted(p.name for p in out.iterdir() if p.name not in ours and not _dataset_file(p.name))
    if not foreign:
        return []
    return [Problem(OUT_LABEL, None, None, "out.foreign_files", {"files": ", ".join(foreign)}, str(out))]


def _run(inputs: dict[str, InputFile], crs, limits: Limits, out: Path, work: Path, report: ImportReport) -> Path | None:
    """Read, normalise, check and write; returns the finished folder inside `work`, or None."""
    given_crs = None
    if isinstance(crs, CRS):
        given_crs = crs
    elif crs is not None:
        given_crs, problems = parse_crs(str(crs), "--crs", None)
        report.add(problems)
    column_mapping = ColumnMapping()
    if "mapping" in inputs:
        try:
            column_mapping = read_mapping(inputs["mapping"].path, inputs["mapping"].name)
        except DataError as exc:
            report.add(exc.problems)
    user_settings, settings_label = None, None
    if "settings" in inputs:
        settings_label = inputs["settings"].name
        user_settings, problems = read_user_settings(inputs["settings"])
        report.add(problems)
    if report.errors:
        return None

    explicit, explicit_source, levels, levels_source = _boundary_columns(column_mapping, user_settings,
                                                                         settings_label, report)
    districts = read_districts(inputs["boundaries"], column_mapping.boundaries, explicit, explicit_source, levels,
                               levels_source, given_crs, limits, work, report,
                               _table_columns(inputs["population"], column_mapping.population))
    if districts is not None and districts.key_column and "district_id" not in column_mapping.population.columns:
        population_mapping = replace(column_mapping.population,
                                     columns={**column_mapping.population.columns, "district_id": districts.key_column})
        column_mapping = replace(column_mapping, population=population_mapping)
        key_source = {"district_id": "values"}
    else:
        key_source = {}
    matcher = KeyMatcher(districts.frame["district_id"], districts.frame["name"]) if districts is not None else None
    extent = districts.frame.total_bounds if districts is not None else None
    pop_staged = _stage_table(inputs["population"], column_mapping.population.sheet, limits, report,
                              lambda src: stage_population(src, column_mapping.population, matcher, report,
                                                           key_source))
    site_staged = _stage_table(inputs["services"], column_mapping.services.sheet, limits, report,
                               lambda src: stage_services(src, column_mapping.services, matcher, given_crs, report,
                                                          extent),
                               allow_empty=True)

    # dataset.toml: with the user's services, values are mapped onto their keys; without, keys come from the table
    years = _years_of(pop_staged)
    sources = [f.name for role, f in inputs.items() if role in ("boundaries", "population", "services")]
    level_names = districts.levels if districts is not None else list(levels)
    found: dict[str, str] = {}
    if isinstance((user_settings or {}).get("services"), dict) and user_settings["services"]:
        data, settings = build_settings(user_settings, settings_label, out, years, {}, level_names, sources, report)
        if site_staged is not None:
            apply_service_keys(site_staged, settings.services if settings else _raw_specs(data),
                               column_mapping.service_keys, report)
    else:
        if site_staged is not None:
            found = apply_service_keys(site_staged, None, column_mapping.service_keys, report)
        data, settings = build_settings(user_settings, settings_label, out, years, found, level_names, sources,
                                        report)
    if districts is None or pop_staged is None or site_staged is None:
        return None
    if pop_staged.no_figures:  # areas kept without figures: dataset.toml names them
        data.setdefault("population", {})["no_figures"] = list(pop_staged.no_figures)
        settings = settings and replace(settings, no_figures=tuple(pop_staged.no_figures))

    # the core's rules, reported at the user's rows and columns
    check_settings = settings or replace(_fallback_settings(data, found), no_figures=tuple(pop_staged.no_figures))
    pop_checked = check_population(pop_staged.table, "population.csv", set(districts.frame["district_id"]),
                                   check_settings)
    site_checked = check_services(site_staged.table, "services.csv", districts.frame, check_settings)
    report.add(grouped(_translated(pop_staged, [p for p in pop_checked.problems if p.code != NO_FIGURES])))
    report.add(grouped(_translated(site_staged, [p for p in site_checked.problems if p.code != NO_SITES])))
    if not report.errors:
        _planning_warnings(districts, pop_checked.table, site_checked.table, pop_staged, site_staged, check_settings,
                           settings_label or "", report)
    if report.errors or settings is None:
        return None

    staged_dir = work / "dataset"
    staged_dir.mkdir()
    _write(staged_dir, districts, pop_staged, site_staged, data)
    try:
        dataset = load_dataset(staged_dir)
    except DataError as exc:  # the same rules as every dataset: anything found here is reported as is
        report.add([replace(p, file=f"{p.file} (as written)") for p in exc.problems])
        return None
    report.summary = {
        "dataset": dataset.id, "districts": len(dataset.districts),
        "years": f"{dataset.years[0]}–{dataset.years[-1]}" if len(dataset.years) > 1 else str(dataset.years[0]),
        "age bands": int(dataset.population["age_band"].nunique()), "site rows": len(dataset.sites),
        "services": list(dataset.settings.services),
    }
    return staged_dir


def _boundary_columns(column_mapping: ColumnMapping, user_settings: dict | None, settings_label: str | None,
                      report: ImportReport):
    """Id/name columns and levels of the boundary file: mapping.toml first, then dataset.toml's
    [boundaries] and [levels]; with the source of each for the report."""
    explicit, explicit_source = {}, {}
    raw_bounds = (user_settings or {}).get("boundaries", {})
    if isinstance(raw_bounds, dict):
        for role in ("id", "name"):
            if isinstance(raw_bounds.get(role), str):
                explicit[role], explicit_source[role] = raw_bounds[role], "dataset.toml"
    for role, column in column_mapping.boundaries.columns.items():
        explicit[role], explicit_source[role] = column, "mapping.toml"
    levels, levels_source = dict(column_mapping.boundaries.levels), "mapping.toml"
    if not levels and isinstance((user_settings or {}).get("levels"), dict):
        levels, problems = levels_from_settings(user_settings["levels"], settings_label)
        levels_source = "dataset.toml"
        report.add(problems)
    return explicit, explicit_source, levels, levels_source


def _table_columns(file: InputFile, mapping) -> dict[str, list] | None:
    """The population table's columns, to find the boundary ids by value; None if it cannot be read
    (that is reported when the table is staged)."""
    try:
        if file.suffix == ".xlsx":
            check_workbook(file.path, file.name, Limits())
        return {h: values.tolist() for h, values in read_source(file, mapping.sheet).frame.items()}
    except DataError:
        return None


def _stage_table(file: InputFile, sheet, limits: Limits, report: ImportReport, stage,
                 allow_empty: bool = False) -> Staged | None:
    try:
        if file.suffix == ".xlsx":
            check_workbook(file.path, file.name, limits)
        src = read_source(file, sheet)
    except DataError as exc:
        report.add(exc.problems)
        return None
    report.add(src.problems)
    for kind, code, params, rows in src.notes:
        report.note(file.name, kind, code, rows, **params)
    if src.problems:
        return None
    if src.frame.empty and allow_empty:
        report.add(Problem(file.name, None, None, "import.no_sites", severity="warning"))
    elif src.frame.empty:
        report.add(Problem(file.name, None, None, "import.no_rows"))
        return None
    return stage(src)


def _years_of(staged: Staged | None) -> list[int]:
    if staged is None:
        return []
    return sorted({int(y) for y in staged.table["year"] if str(y).isdigit()})


def _raw_specs(data: dict) -> dict[str, ServiceSpec]:
    specs = {}
    for key, spec in (data.get("services") or {}).items():
        spec = spec if isinstance(spec, dict) else {}
        label = str(spec.get("label", key))
        specs[str(key).lower()] = ServiceSpec(str(key).lower(), label, str(spec.get("label_en", label)), {})
    return specs


def _fallback_settings(data: dict, found: dict[str, str]) -> DatasetSettings:
    """Settings good enough to check the tables while dataset.toml itself has errors (reported already)."""
    ds = data.get("dataset") if isinstance(data.get("dataset"), dict) else {}
    rule = str(ds.get("reference_population", "60+"))
    try:
        parse_rule(rule)
    except ValueError:
        rule = "60+"
    services = _raw_specs(data) or {k: ServiceSpec(k, v, v, {}) for k, v in found.items()}
    return DatasetSettings(id="import", title="", base_year=0, reference_population=rule, attribution=(), notes=(),
                           notes_en=(), services=services)


def _translated(staged: Staged, problems: list[Problem]) -> list[Problem]:
    return [t for t in (staged.translate(p) for p in problems) if t is not None]


def _planning_warnings(districts: Districts, population: pd.DataFrame, sites: pd.DataFrame, pop_staged: Staged,
                       site_staged: Staged, settings: DatasetSettings, settings_label: str, report: ImportReport):
    names = dict(zip(districts.frame["district_id"], districts.frame["name"]))
    key_column = pop_staged.columns.get("district_id", "district_id")
    totals = population.groupby(["district_id", "year"])["population"].sum()
    small: dict[str, list[tuple[int, float]]] = {}
    for (district, year), total in totals.items():
        if total < SMALL_DISTRICT:
            small.setdefault(district, []).append((int(year), float(total)))
    for district, items in list(small.items())[:MAX_LISTED]:
        listed = ", ".join(f"{y}: {t:,.0f}" for y, t in items)
        report.add(Problem(pop_staged.file, None, key_column, "import.small_district",
                           {"district": district, "name": names.get(district, district), "limit": SMALL_DISTRICT,
                            "listed": listed}, district, "warning"))
    if len(small) > MAX_LISTED:
        report.add(Problem(pop_staged.file, None, key_column, "import.small_districts_more",
                           {"count": len(small) - MAX_LISTED, "limit": SMALL_DISTRICT}, severity="warning"))
    with_residents = set(totals[totals > 0].index.get_level_values(0))
    with_sites = set(sites["district_id"])
    site_column = site_staged.columns.get("district_id") or site_staged.columns.get("lon", "district_id")
    without = [d for d in districts.frame["district_id"] if d in with_residents and d not in with_sites]
    for district in without[:MAX_LISTED]:
        report.add(Problem(site_staged.file, None, site_column, "import.district_without_sites",
                           {"district": district, "name": names.get(district, district)}, district, "warning"))
    if len(without) > MAX_LISTED:
        report.add(Problem(site_staged.file, None, site_column, "import.districts_without_sites_more",
                           {"count": len(without) - MAX_LISTED}, severity="warning"))
    used = set(sites["service"])
    for key in settings.services:
        if key not in used:
            report.add(Problem(settings_label or "dataset.toml", None, f"services.{key}", "import.service_without_sites",
                               {"service": key}, key, "warning"))


def _write(folder: Path, districts: Districts, population: Staged, services: Staged, settings: dict) -> None:
    frame: gpd.GeoDataFrame = districts.frame
    frame.to_file(folder / "districts.geojson", driver="GeoJSON", engine="pyogrio", layer_options={"RFC7946": "YES"})
    pop = population.table.copy()
    pop["status"] = pop["status"].replace("", "observed")
    pop.to_csv(folder / "population.csv", index=False, encoding="utf-8", lineterminator="\n")
    sites = services.table.copy()
    sites["status"] = sites["status"].replace("", "real")
    sites.to_csv(folder / "services.csv", index=False, encoding="utf-8", lineterminator="\n")
    (folder / "dataset.toml").write_text(to_toml(settings), encoding="utf-8")


# -- putting the folder in place --------------------------------------------------------------------
_AT_FDCWD = -100
RENAME_NOREPLACE = 1
RENAME_EXCHANGE = 2


def _renameat2(src: Path, dst: Path, flags: int) -> bool:
    """Linux renameat2; False where the system or file system does not offer it."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if function(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(dst))


def _publish(staged: Path, out: Path, overwrite: bool, work: Path) -> None:
    """Move the finished folder to `out` in one step; an old dataset there is swapped out and removed
    with `work`. `out` always holds either the complete old or the complete new dataset."""
    if out.exists():
        if not overwrite:
            raise FileExistsError(errno.EEXIST, "exists already", str(out))
        if _renameat2(staged, out, RENAME_EXCHANGE):
            return
        previous = work / "previous"
        os.rename(out, previous)
        try:
            os.rename(staged, out)
        except OSError:
            os.rename(previous, out)
            raise
        return
    if not _renameat2(staged, out, RENAME_NOREPLACE):
        if out.exists():
            raise FileExistsError(errno.EEXIST, "exists already", str(out))
        os.rename(staged, out)
