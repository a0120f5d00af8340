"""Checks of population and service tables against the boundaries and settings.

Each check returns typed tables plus every `Problem` found (file, spreadsheet row, column,
what to do). Checks are vectorised; only offending rows are turned into messages.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from .agebands import find_overlaps, parse_band, parse_rule
from .catchment import DistrictGroups, serves_issues
from .errors import MAX_LISTED, Phrase, Problem, first_named
from .settings import DatasetSettings
from .tables import ROW_OFFSET, is_missing, parse_column

POPULATION_STATUSES = ("observed", "forecast", "estimate")
SITE_STATUSES = ("real", "illustrative")
NO_SITES = "districts_without_sites"  # code of the warning that lists districts with no site
NO_FIGURES = "population.without_figures"  # code of the warning that lists the areas without figures
MORE_ROWS = "more_rows"  # code of the summary of rows past MAX_LISTED with one fault


class Collector:
    """Gathers problems, listing at most MAX_LISTED rows per kind of fault."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def rows(self, mask: pd.Series, column: str | None, code: str, values: pd.Series | None = None,
             severity: str = "error", **params) -> None:
        index = mask[mask].index
        for i in index[:MAX_LISTED]:
            value = None if values is None else str(values.loc[i])
            self.problems.append(Problem(self.file, int(i) + ROW_OFFSET, column, code, params, value, severity))
        if len(index) > MAX_LISTED:
            more = {"count": len(index) - MAX_LISTED, "what": Phrase(f"problem.{code}.message", params),
                    "todo": Phrase(f"problem.{code}.hint", params)}
            self.problems.append(Problem(self.file, None, column, MORE_ROWS, more, None, severity))

    def one(self, row: int | None, column: str | None, code: str, value=None, severity="error", **params):
        self.problems.append(Problem(self.file, row, column, code, params,
                                     None if value is None else str(value), severity))

    def require_columns(self, frame: pd.DataFrame, columns: tuple[str, ...], table: str) -> bool:
        missing = [c for c in columns if c not in frame.columns]
        for column in missing:
            self.one(1, column, "column_missing", column=column, table=Phrase(f"problem.table_kind.{table}"),
                     needed=", ".join(columns), found=", ".join(frame.columns))
        return not missing


@dataclass
class Checked:
    table: pd.DataFrame
    problems: list[Problem]


def check_population(raw: pd.DataFrame, file: str, district_ids: set[str], settings: DatasetSettings) -> Checked:
    """Typed population table: `district_id, year, age_band, population, status`."""
    c = Collector(file)
    empty = pd.DataFrame(columns=["district_id", "year", "age_band", "population", "status"])
    if not c.require_columns(raw, ("district_id", "year", "age_band", "population"), "population"):
        return Checked(empty, c.problems)

    ids = raw["district_id"]
    c.rows(ids == "", "district_id", "population.id_empty")
    unknown = (ids != "") & ~ids.isin(district_ids)
    c.rows(unknown, "district_id", "population.id_unknown", ids)

    years = parse_column(raw["year"])
    bad_year = years.isna() | (years != years.round()) | (years < 1900) | (years > 2200)
    c.rows(bad_year, "year", "population.year_bad", raw["year"])

    labels = raw["age_band"]
    band_of = {}
    for label in labels.unique():
        try:
            band_of[label] = parse_band(label)
        except ValueError:
            band_of[label] = None
    bad_band = labels.map(lambda v: band_of[v] is None)
    c.rows(bad_band, "age_band", "population.band_bad", labels)

    counts = parse_column(raw["population"])
    missing = raw["population"].map(is_missing) & ids.isin(district_ids)  # reported per area below
    _missing_counts(raw, missing, c)
    c.rows(counts.isna() & ~missing & (raw["population"] != ""), "population", "population.count_not_number",
           raw["population"])
    c.rows((raw["population"] == "") & ~missing, "population", "population.count_empty")
    c.rows(counts < 0, "population", "population.count_negative", raw["population"])

    status = raw["status"].str.lower() if "status" in raw.columns else pd.Series("observed", index=raw.index)
    status = status.replace("", "observed")
    c.rows(~status.isin(POPULATION_STATUSES), "status", "status_unknown", status, allowed=", ".join(POPULATION_STATUSES))

    ok = ~(unknown | (ids == "") | bad_year | bad_band | counts.isna() | (counts < 0))
    table = pd.DataFrame({"district_id": ids, "year": years, "age_band": labels,
                          "population": counts, "status": status})[ok]
    table["year"] = table["year"].astype(int)
    # report duplicates using the original spreadsheet rows
    dupes = table.duplicated(["district_id", "year", "age_band"], keep="first")
    c.rows(dupes.reindex(raw.index, fill_value=False), "age_band", "population.duplicate", labels)
    table = table[~dupes]
    if c.problems:
        return Checked(table, c.problems)
    without = _check_no_figures(table, c, district_ids, settings.no_figures)
    _check_bands(table, c, settings)
    _check_completeness(table, c, district_ids - without)
    return Checked(table.reset_index(drop=True), c.problems)


def _listed(ids: list[str]) -> str:
    """The first MAX_LISTED area ids of a warning that lists areas, then "…" if there are more."""
    return ", ".join(ids[:MAX_LISTED]) + (" …" if len(ids) > MAX_LISTED else "")


def _missing_counts(raw: pd.DataFrame, missing: pd.Series, c: Collector) -> None:
    """Counts left without a figure (`NA`, `-`, `.`, `x`, `…`, empty): one problem per area, not one per
    row. An area with no figure in any row is told how to declare it (`[population] no_figures`)."""
    if not missing.any():
        return
    several_years = raw["year"].nunique() > 1
    for district, rows in raw[missing].groupby("district_id", sort=False):
        first = int(rows.index[0]) + ROW_OFFSET
        if len(rows) == int((raw["district_id"] == district).sum()):
            c.one(first, "district_id", "population.area_without_figures", district, district=district,
                  count=len(rows))
            continue
        bands = [f"{b} {y}" if several_years else str(b) for b, y in zip(rows["age_band"], rows["year"])]
        where = [str(int(i) + ROW_OFFSET) for i in rows.index]
        c.one(first, "population", "population.rows_missing", rows["population"].iloc[0], area=district,
              count=len(rows), bands=first_named(bands), rows=first_named(where))


def _check_no_figures(table: pd.DataFrame, c: Collector, district_ids: set[str], listed: tuple[str, ...]) -> set[str]:
    """Areas declared without figures (`[population] no_figures`): known, and without population rows.
    They stay in the dataset; one warning names them."""
    without = set(listed)
    for district in sorted(without - district_ids):
        c.one(None, "district_id", "population.no_figures_unknown", district, district=district)
    for district in sorted(without & set(table["district_id"])):
        c.one(None, "district_id", "population.no_figures_has_rows", district, district=district)
    known = sorted(without & district_ids)
    if known:
        c.one(None, "district_id", NO_FIGURES, severity="warning", count=len(known), districts=_listed(known))
    return without


def _check_bands(table: pd.DataFrame, c: Collector, settings: DatasetSettings) -> None:
    # bands of one district and year are a subset of their year's bands, so checking each year's
    # bands for overlaps finds every overlap; the district named is one that has both bands
    for year, labels in table.groupby("year")["age_band"].unique().items():
        overlaps = find_overlaps([parse_band(b) for b in labels])
        for a, b in overlaps:
            rows = table[(table["year"] == year) & table["age_band"].isin([a.label, b.label])]
            both = rows.groupby("district_id")["age_band"].nunique()
            d = both[both == 2].index[0] if (both == 2).any() else rows["district_id"].iloc[0]
            c.one(None, "age_band", "population.bands_overlap", a=str(a), b=str(b), district=d, year=int(year))
    rule = parse_rule(settings.reference_population)
    for label in table["age_band"].unique():
        band = parse_band(label)
        for term in rule.terms:
            if band.straddles(term.low, term.high):  # the case in which rule.weight_of refuses the band
                at = term.low if band.low < term.low else int(term.high) + 1
                c.one(None, "age_band", "population.band_straddles", label, band=label, rule=rule.text, at=at)
                break


def _check_completeness(table: pd.DataFrame, c: Collector, district_ids: set[str]) -> None:
    present = set(table["district_id"].unique())
    for district in sorted(district_ids - present):
        c.one(None, "district_id", "population.district_missing", district, district=district)
    bands_per_year = table.groupby("year")["age_band"].unique()
    if len(table) == len(present) * sum(len(b) for b in bands_per_year):
        return  # rows are unique, so every district has every band of every year
    years = set(bands_per_year.index)
    have_years = table.groupby("district_id")["year"].unique()
    for district, have in have_years.items():
        missing = sorted(years - set(have))
        if missing:
            c.one(None, "year", "population.years_missing", district, district=district,
                  years=", ".join(map(str, missing)))
    counts = table.groupby(["district_id", "year"]).size()
    expected = counts.index.get_level_values("year").map(lambda y: len(bands_per_year[y]))
    for district, year in counts.index[counts.to_numpy() < expected.to_numpy()]:
        bands = set(table.loc[(table["district_id"] == district) & (table["year"] == year), "age_band"])
        missing = sorted(set(bands_per_year[year]) - bands)
        c.one(None, "age_band", "population.bands_missing", district, district=district, bands=", ".join(missing),
              year=int(year))


SERVICE_COLUMNS = ["site_id", "name", "service", "fte", "year_from", "year_to",
                   "district_id", "lon", "lat", "provider", "status", "serves"]


def check_services(raw: pd.DataFrame, file: str, districts: gpd.GeoDataFrame, settings: DatasetSettings) -> Checked:
    """Typed service sites, each assigned to a district (by id, or by point-in-polygon from lon/lat)."""
    c = Collector(file)
    if not c.require_columns(raw, ("site_id", "service", "fte", "year_from"), "services"):
        return Checked(pd.DataFrame(columns=SERVICE_COLUMNS), c.problems)
    raw = raw.copy()
    for column in SERVICE_COLUMNS:
        if column not in raw.columns:
            raw[column] = ""

    c.rows(raw["site_id"] == "", "site_id", "services.id_empty")
    service = raw["service"].str.lower()
    unknown_service = ~service.isin(settings.services)
    c.rows(unknown_service, "service", "services.service_unknown", raw["service"], allowed=", ".join(settings.services))

    fte = parse_column(raw["fte"])
    c.rows(fte.isna(), "fte", "services.fte_not_number", raw["fte"])
    c.rows(fte < 0, "fte", "services.fte_negative", raw["fte"])

    year_from = parse_column(raw["year_from"])
    bad_from = year_from.isna() | (year_from != year_from.round())
    c.rows(bad_from, "year_from", "services.year_from_bad", raw["year_from"])
    year_to = parse_column(raw["year_to"])
    bad_to = (raw["year_to"] != "") & (year_to.isna() | (year_to != year_to.round()))
    c.rows(bad_to, "year_to", "services.year_to_bad", raw["year_to"])
    c.rows((year_to < year_from), "year_to", "services.years_swapped", raw["year_to"])

    status = raw["status"].str.lower().replace("", "real")
    c.rows(~status.isin(SITE_STATUSES), "status", "status_unknown", status, allowed=", ".join(SITE_STATUSES))

    district = _assign_districts(raw, districts, c)
    dupes = raw.duplicated(["site_id", "service", "year_from"], keep="first") & (raw["site_id"] != "")
    c.rows(dupes, "site_id", "services.duplicate", raw["site_id"])
    _check_serves(raw, districts, settings, c)

    table = pd.DataFrame({
        "site_id": raw["site_id"], "name": raw["name"].where(raw["name"] != "", raw["site_id"]),
        "service": service, "fte": fte, "year_from": year_from, "year_to": year_to,
        "district_id": district, "lon": parse_column(raw["lon"]), "lat": parse_column(raw["lat"]),
        "provider": raw["provider"], "status": status, "serves": raw["serves"].str.strip(),
    })
    if not c.problems:
        table["year_from"] = table["year_from"].astype(int)
        table["year_to"] = table["year_to"].astype("Int64")
        without = sorted(set(districts["district_id"]) - set(table["district_id"]))
        if without:
            c.one(None, "district_id", NO_SITES, severity="warning", count=len(without), districts=_listed(without))
    return Checked(table.reset_index(drop=True), c.problems)


def _check_serves(raw: pd.DataFrame, districts: gpd.GeoDataFrame, settings: DatasetSettings, c: Collector) -> None:
    """Every `serves` entry names known districts or groups, and a site names the same on all its rows."""
    serves = raw["serves"].str.strip()
    if not serves.any():
        return
    groups = DistrictGroups.from_table(districts, settings.levels)
    for row, issue in serves_issues(serves.reset_index(drop=True), groups)[:MAX_LISTED]:
        code = f"catchment.problem.{issue.code}"
        c.one(row, "serves", "services.serves", serves.iloc[row - ROW_OFFSET],
              reason=Phrase(f"{code}.message", dict(issue.params)), advice=Phrase(f"{code}.hint", dict(issue.params)))
    first = serves.groupby(raw["site_id"]).transform("first")
    differs = raw.index[(serves != first) & (raw["site_id"] != "")]
    for i in differs[:MAX_LISTED]:
        c.one(int(i) + ROW_OFFSET, "serves", "services.serves_differs", serves.loc[i], site=raw.at[i, "site_id"])


def _assign_districts(raw: pd.DataFrame, districts: gpd.GeoDataFrame, c: Collector) -> pd.Series:
    ids = raw["district_id"]
    known = set(districts["district_id"])
    c.rows((ids != "") & ~ids.isin(known), "district_id", "services.id_unknown", ids)
    lon, lat = parse_column(raw["lon"]), parse_column(raw["lat"])
    by_location = ids == ""
    no_place = by_location & (lon.isna() | lat.isna())
    c.rows(no_place, "district_id", "services.no_place")
    bad_range = by_location & ~no_place & ((lon.abs() > 180) | (lat.abs() > 90))
    c.rows(bad_range, "lon", "services.not_degrees", lon.astype(str) + ", " + lat.astype(str))
    located = by_location & ~no_place & ~bad_range
    assigned = ids.copy()
    if located.any():
        points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon[located], lat[located]), index=raw.index[located],
                                  crs="EPSG:4326")
        hits = gpd.sjoin(points, districts[["district_id", "geometry"]], how="left", predicate="within")
        hits = hits[~hits.index.duplicated(keep="first")]  # a point on a shared edge counts once
        assigned.loc[hits.index] = hits["district_id"].fillna("")
        outside = pd.Series(False, index=raw.index)
        outside.loc[hits.index] = hits["district_id"].isna().to_numpy()
        c.rows(outside, "lon", "services.outside", lon.astype(str) + ", " + lat.astype(str))
    return assigned.astype(str)


def population_years(table: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in np.unique(table["year"]))
