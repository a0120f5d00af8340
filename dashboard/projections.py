"""Small-area population projections constrained to city (or country) totals.

Two methods take one base year per district and age band and the totals per band and year:

* `project_by_growth_factors` (default): each district keeps its base-year share of every band;
  optional group totals (e.g. per Stadtbezirk) are met by iterative proportional fitting.
* `project_by_cohort_shift`: districts age year by year with city-level cohort change ratios,
  so a district with many 60-64-year-olds today has many 65-69-year-olds in five years.

`round_preserving_totals` turns the float results into whole residents without changing totals.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .agebands import AgeBand, parse_band

BASE_COLUMNS = ("district_id", "age_band", "population")
TOTAL_COLUMNS = ("year", "age_band", "population")
OUT_COLUMNS = ["district_id", "year", "age_band", "population"]


def round_preserving_totals(values, total: float) -> np.ndarray:
    """Round non-negative `values` to integers summing exactly to `round(total)`.

    Largest-remainder method: values are first scaled to sum to `total` (if they do not already),
    each is floored, and the missing units go to the largest remainders (ties: earlier item first).
    """
    x = np.asarray(values, dtype=float)
    target = int(round(total))
    if x.ndim != 1:
        raise ValueError("values must be one-dimensional")
    if np.any(~np.isfinite(x)) or np.any(x < 0):
        raise ValueError("values must be finite and not negative")
    if target < 0:
        raise ValueError(f"total {total} is negative")
    if x.size == 0:
        if target:
            raise ValueError(f"cannot distribute a total of {target} over no values")
        return np.zeros(0, dtype=np.int64)
    current = x.sum()
    if current == 0:
        if target:
            raise ValueError(f"cannot distribute a total of {target} over values that are all zero")
        return np.zeros(x.size, dtype=np.int64)
    if current != total:
        x = x * (total / current)
    floors = np.floor(x)
    # floor(total) <= target and sum(floors) > total - n, so 0 <= missing <= n (up to float noise).
    missing = min(max(target - int(floors.sum()), 0), x.size)
    order = np.argsort(-(x - floors), kind="stable")
    result = floors.astype(np.int64)
    result[order[:missing]] += 1
    if int(result.sum()) != target:
        raise ValueError(f"could not round the values to a total of {target}")
    return result


def _check_columns(frame: pd.DataFrame, columns, name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s) {', '.join(missing)}")


def _band_order(labels) -> list[str]:
    return sorted(labels, key=lambda label: parse_band(label))


def _prepare(base: pd.DataFrame, band_totals: pd.DataFrame):
    """Base as district × band matrix, totals as year × band matrix, with matching bands."""
    _check_columns(base, BASE_COLUMNS, "base")
    _check_columns(band_totals, TOTAL_COLUMNS, "band_totals")
    base = base.assign(district_id=base["district_id"].astype(str), age_band=base["age_band"].astype(str))
    band_totals = band_totals.assign(age_band=band_totals["age_band"].astype(str),
                                     year=band_totals["year"].astype(int))
    base_bands, total_bands = set(base["age_band"]), set(band_totals["age_band"])
    if base_bands - total_bands:
        missing = ", ".join(_band_order(base_bands - total_bands))
        raise ValueError(f"band_totals has no total for age band {missing}")
    if total_bands - base_bands:
        missing = ", ".join(_band_order(total_bands - base_bands))
        raise ValueError(f"base has no population for age band {missing}")
    if base.duplicated(["district_id", "age_band"]).any():
        raise ValueError("base has more than one row for a district and age band")
    if band_totals.duplicated(["year", "age_band"]).any():
        raise ValueError("band_totals has more than one row for a year and age band")
    for frame, name in ((base, "base"), (band_totals, "band_totals")):
        values = pd.to_numeric(frame["population"], errors="coerce")
        if values.isna().any() or (values < 0).any():
            raise ValueError(f"{name} has a missing, non-numeric or negative population")
    bands = _band_order(base_bands)
    districts = list(dict.fromkeys(base["district_id"]))
    matrix = base.pivot(index="district_id", columns="age_band", values="population")
    matrix = matrix.reindex(index=districts, columns=bands).astype(float)
    if matrix.isna().any().any():
        raise ValueError("base lacks some district × age band combinations")
    totals = band_totals.pivot(index="year", columns="age_band", values="population")
    totals = totals.reindex(columns=bands).astype(float).sort_index()
    for year, row in totals.iterrows():
        if row.isna().any():
            raise ValueError(f"band_totals lacks age band {row.index[row.isna()][0]} in {year}")
    return matrix, totals


def _fit_bands(x: np.ndarray, target: np.ndarray, bands: list[str], year: int) -> np.ndarray:
    """Scale each column (band) of `x` so the districts sum to `target`."""
    sums = x.sum(axis=0)
    impossible = (sums == 0) & (target > 0)
    if impossible.any():
        band = bands[int(np.argmax(impossible))]
        raise ValueError(f"age band {band} has no residents in any district to carry the {year} total")
    # Shares first, then totals: dividing the total by a tiny band sum could overflow.
    shares = np.divide(x, sums, out=np.zeros_like(x), where=sums > 0)
    return shares * target


def _ipf(x, band_target, group_index, group_target, max_iter, tol, bands, year):
    """Alternate band and group margins until both match (relative to the grand total).

    Ends on a band step, so the band totals are met exactly and the groups within `tol`.
    """
    scale = max(1.0, band_target.sum())
    n_groups = len(group_target)
    for _ in range(max_iter):
        x = _fit_bands(x, band_target, bands, year)
        sums = np.bincount(group_index, weights=x.sum(axis=1), minlength=n_groups)
        if np.max(np.abs(sums - group_target)) <= tol * scale:
            return x
        if np.any((sums == 0) & (group_target > 0)):
            raise ValueError(f"a group has no residents in any of its districts to carry the {year} total")
        row_sums = sums[group_index][:, None]
        x = np.divide(x, row_sums, out=np.zeros_like(x), where=row_sums > 0) * group_target[group_index][:, None]
    raise ValueError(f"the band and group totals for {year} could not both be met after {max_iter} iterations")


def _to_frame(results: dict[int, np.ndarray], districts, bands) -> pd.DataFrame:
    frames = []
    for year, x in sorted(results.items()):
        frame = pd.DataFrame(x, index=pd.Index(districts, name="district_id"), columns=bands)
        frame = frame.melt(ignore_index=False, var_name="age_band", value_name="population").reset_index()
        frame.insert(1, "year", year)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=OUT_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    band_rank = {band: i for i, band in enumerate(bands)}
    district_rank = {d: i for i, d in enumerate(districts)}
    out = out.sort_values(["year", "district_id", "age_band"],
                          key=lambda s: s.map(district_rank) if s.name == "district_id"
                          else s.map(band_rank) if s.name == "age_band" else s, kind="stable")
    out["population"] = out["population"].astype(float)
    return out[OUT_COLUMNS].reset_index(drop=True)


def project_by_growth_factors(base: pd.DataFrame, band_totals: pd.DataFrame, group_of=None,
                              group_totals: pd.DataFrame | None = None, max_iter: int = 5000,
                              tol: float = 1e-9, base_year: int | None = None) -> pd.DataFrame:
    """Project districts by the band growth factors of the totals, rescaled to the totals.

    `base`: district_id, age_band, population (one base year). `band_totals`: year, age_band,
    population for the base year and every year to project. `base_year` defaults to a `year`
    column of `base` if it has one, else to the earliest year of `band_totals`.
    `group_of` (district_id -> group) with `group_totals` (year, group, population, all ages)
    adds a second margin; group totals are scaled to the band grand total of their year, then
    both margins are fitted alternately until they match within `tol` × grand total.
    Returns district_id, year, age_band, population (float) for the projected years only.
    """
    if (group_of is None) != (group_totals is None):
        raise ValueError("group_of and group_totals must be given together")
    if base_year is None and "year" in base.columns:
        years = base["year"].unique()
        if len(years) != 1:
            raise ValueError("base must hold exactly one year")
        base_year = int(years[0])
    matrix, totals = _prepare(base, band_totals)
    base_year = int(totals.index.min()) if base_year is None else int(base_year)
    if base_year not in totals.index:
        raise ValueError(f"band_totals has no rows for the base year {base_year}")
    districts, bands = list(matrix.index), list(matrix.columns)
    base_x = matrix.to_numpy()

    group_index = group_target_by_year = None
    if group_of is not None:
        group_index, group_target_by_year = _group_margins(districts, group_of, group_totals,
                                                           [y for y in totals.index if y != base_year])

    results = {}
    for year in totals.index:
        if year == base_year:
            continue
        target = totals.loc[year].to_numpy()
        # Growing every district of a band by the band's factor (total[t] / total[base]) and
        # rescaling to total[t] leaves each district its base-year share of the band, so the
        # shares are applied directly (no overflow for tiny base totals, no 0/0 for empty bands).
        x = _fit_bands(base_x, target, bands, year)
        if group_index is not None:
            g = group_target_by_year[year]
            g = g * (target.sum() / g.sum()) if g.sum() > 0 else g
            x = _ipf(x, target, group_index, g, max_iter, tol, bands, year)
        results[year] = x
    return _to_frame(results, districts, bands)


def _group_margins(districts, group_of, group_totals: pd.DataFrame, years):
    _check_columns(group_totals, ("year", "group", "population"), "group_totals")
    mapping = dict(group_of)
    missing = [d for d in districts if d not in mapping]
    if missing:
        raise ValueError(f"group_of has no group for district {missing[0]}")
    groups = list(dict.fromkeys(str(mapping[d]) for d in districts))
    index = np.array([groups.index(str(mapping[d])) for d in districts])
    table = group_totals.assign(group=group_totals["group"].astype(str), year=group_totals["year"].astype(int))
    if table.duplicated(["year", "group"]).any():
        raise ValueError("group_totals has more than one row for a year and group")
    pivot = table.pivot(index="year", columns="group", values="population")
    unknown = sorted(set(pivot.columns) - set(groups))
    if unknown:
        raise ValueError(f"group_totals names group {unknown[0]}, which no district belongs to")
    by_year = {}
    for year in years:
        if year not in pivot.index:
            raise ValueError(f"group_totals has no rows for {year}")
        row = pivot.loc[year].reindex(groups)
        if row.isna().any():
            raise ValueError(f"group_totals lacks group {row.index[row.isna()][0]} in {year}")
        values = row.to_numpy(dtype=float)
        if (values < 0).any():
            raise ValueError(f"group_totals has a negative population in {year}")
        by_year[year] = values
    return index, by_year


def _cohort_bands(bands: list[str]) -> list[AgeBand]:
    """Check the bands suit cohort shifting: contiguous, 5-year inner bands, open top band."""
    parsed = [parse_band(b) for b in bands]
    if len(parsed) < 2:
        raise ValueError("cohort shift needs at least two age bands")
    if not math.isinf(parsed[-1].high):
        raise ValueError(f"cohort shift needs an open top band such as 85+, not {parsed[-1]}")
    for lower, upper in zip(parsed, parsed[1:]):
        if upper.low != lower.high + 1:
            raise ValueError(f"cohort shift needs contiguous bands; {lower} is followed by {upper}")
    for band in parsed[1:-1]:
        if band.high - band.low + 1 != 5:
            raise ValueError(f"cohort shift needs 5-year bands above the lowest band; {band} is not one")
    return parsed


def project_by_cohort_shift(base: pd.DataFrame, band_totals: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Age each district's bands year by year, then constrain to the band totals of every year.

    Bands must be contiguous: a lowest band of any width (a 5-year band or a catch-all such as
    `0-59`), then 5-year bands, then an open top band. Under a uniform-within-band assumption a
    band of width w passes 1/w of its residents to the next band each year (1/5 for 5-year
    bands); the open top band keeps its own survivors. Nothing ages into the lowest band, so its
    city-level ratio carries births and inflow.
    The city cohort change ratio of band b in year t+1 is T[b,t+1] / A[b,t+1], where A is the
    city's year-t totals aged by one year the same way; it stands for deaths and migration. Each
    district's aged bands are multiplied by these ratios and rescaled to the year's totals (a no-op
    when the base sums to the base-year totals).
    Returns district_id, year, age_band, population (float) for the years after base_year.
    """
    matrix, totals = _prepare(base, band_totals)
    bands = list(matrix.columns)
    parsed = _cohort_bands(bands)
    base_year = int(base_year)
    years = [int(y) for y in totals.index if y > base_year]
    expected = list(range(base_year, base_year + len(years) + 1))
    present = [int(y) for y in totals.index if y >= base_year]
    if present != expected:
        raise ValueError(f"band_totals needs every year from {base_year} on without gaps")
    # Share of each band that moves up one band per year (none leaves the open top band).
    leave = np.array([0.0 if math.isinf(b.high) else 1.0 / (b.high - b.low + 1) for b in parsed])

    def age_one_year(x: np.ndarray) -> np.ndarray:
        moving = x * leave
        aged = x - moving
        aged[..., 1:] += moving[..., :-1]
        return aged

    x = matrix.to_numpy()
    city = totals.loc[base_year].to_numpy()
    results = {}
    for year in years:
        target = totals.loc[year].to_numpy()
        city_aged = age_one_year(city)
        ratio = np.divide(target, city_aged, out=np.zeros_like(target), where=city_aged > 0)
        x = _fit_bands(age_one_year(x) * ratio, target, bands, year)
        city = target
        results[year] = x
    return _to_frame(results, list(matrix.index), bands)
