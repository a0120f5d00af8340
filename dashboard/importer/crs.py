"""Coordinate reference systems: which one applies to an input, and whether its numbers fit it.

Order of precedence for a boundary file: `crs` in mapping.toml's [boundaries] (an explicit correction)
> the file's own CRS (.prj, GeoPackage, a GeoJSON `crs` member) > the caller's `--crs` > for GeoJSON
without a `crs` member, WGS84 as RFC 7946 implies. A Shapefile or GeoPackage without a CRS and
without `--crs` is refused. Site coordinates that look like degrees are WGS84; otherwise the caller
names their CRS (`crs` in mapping.toml's [services], or `--crs`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from pyproj import CRS
from pyproj.exceptions import CRSError

from ..errors import Phrase, Problem

WGS84 = "EPSG:4326"
# where a CRS came from, as the report names it
DEGREES = Phrase("import.source.degrees")
GIVEN = Phrase("import.source.given")


@dataclass(frozen=True)
class CrsChoice:
    crs: CRS | None
    source: Phrase | str  # e.g. the file (.prj), --crs, mapping.toml, GeoJSON default (WGS84)
    problems: tuple[Problem, ...] = ()


def parse_crs(text: str, label: str, where: str) -> tuple[CRS | None, list[Problem]]:
    """A CRS from user text (`EPSG:25832`, `25832`, WKT, PROJ string)."""
    value = str(text).strip()
    if value.isdigit():
        value = f"EPSG:{value}"
    try:
        return CRS.from_user_input(value), []
    except CRSError as exc:
        return None, [Problem(label, None, where, "crs.unknown", {"text": text, "error": str(exc)}, text)]


def name_of(crs: CRS) -> str:
    code = crs.to_epsg(min_confidence=70)
    return f"EPSG:{code} ({crs.name})" if code else crs.name


def looks_like_degrees(xs, ys) -> bool:
    """True when every coordinate lies within longitude/latitude ranges."""
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    finite = np.isfinite(xs) & np.isfinite(ys)
    if not finite.any():
        return False
    return bool((np.abs(xs[finite]) <= 180).all() and (np.abs(ys[finite]) <= 90).all())


def choose_boundary_crs(file_crs: CRS | None, implied: CRS | None, file_kind: str, override: CRS | None,
                        given: CRS | None, label: str) -> CrsChoice:
    """Which CRS the boundary coordinates are in; a missing one without `--crs` is an error.

    `file_crs` is what the file states (.prj, GeoPackage, GeoJSON `crs` member); `implied` is WGS84
    for a GeoJSON without a `crs` member.
    """
    if override is not None:
        return CrsChoice(override, Phrase("import.source.mapping", {"table": "boundaries"}))
    if file_crs is not None:
        problems = ()
        if given is not None and not given.equals(file_crs):
            problems = (Problem(label, None, None, "crs.file_wins", {"file": name_of(file_crs), "given": name_of(given)},
                                severity="warning"),)
        return CrsChoice(file_crs, Phrase("import.source.file", {"kind": file_kind}), problems)
    if given is not None:
        return CrsChoice(given, GIVEN)
    if implied is not None:
        return CrsChoice(implied, Phrase("import.source.geojson_default"))
    return CrsChoice(None, "", (Problem(label, None, None, "crs.missing"),))


def plausibility(bounds, crs: CRS, label: str, source: Phrase | str) -> list[Problem]:
    """Coordinates that do not fit the CRS: metres under a degree CRS (error) or degrees under metres (warning)."""
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        return [Problem(label, None, "geometry", "crs.not_finite")]
    example = f"{minx:.6g}, {miny:.6g}"
    if crs.is_geographic and not looks_like_degrees([minx, maxx], [miny, maxy]):
        return [Problem(label, None, "geometry", "crs.metres_in_degrees", {"crs": name_of(crs), "source": source},
                        example)]
    if crs.is_projected and looks_like_degrees([minx, maxx], [miny, maxy]):
        code = "crs.degrees_in_metres_given" if source == GIVEN else "crs.degrees_in_metres"
        return [Problem(label, None, "geometry", code, {"crs": name_of(crs), "source": source}, example, "warning")]
    return []


def choose_site_crs(xs, ys, override: CRS | None, given: CRS | None, label: str,
                    columns: str) -> CrsChoice:
    """CRS of site coordinates: explicit in mapping.toml, degrees → WGS84, else --crs, else an error."""
    degrees = looks_like_degrees(xs, ys)
    if override is not None:
        problems = ()
        if override.is_projected and degrees:
            problems = (Problem(label, None, columns, "crs.sites_degrees_in_metres", {"crs": name_of(override)},
                                severity="warning"),)
        return CrsChoice(override, Phrase("import.source.mapping", {"table": "services"}), problems)
    if degrees:
        return CrsChoice(CRS.from_user_input(WGS84), DEGREES)
    if given is not None:
        if given.is_geographic:
            return CrsChoice(None, "", (Problem(label, None, columns, "crs.sites_metres_in_degrees",
                                                {"crs": name_of(given)}),))
        return CrsChoice(given, GIVEN)
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    finite = np.isfinite(xs) & np.isfinite(ys)
    example = f"{xs[finite][0]:.6g}, {ys[finite][0]:.6g}" if finite.any() else None
    code = "crs.sites_missing" if looks_like_metres(xs[finite], ys[finite]) else "crs.sites_not_coordinates"
    return CrsChoice(None, "", (Problem(label, None, columns, code, {}, example),))


# eastings and northings a projected CRS of Germany gives (UTM 32N/33N, also with the zone prefix of
# EPSG:4647/5650, and Gauss-Krüger zones 2-5): a CRS is advised only for numbers that can be metres here
_EASTINGS = ((150_000, 950_000), (32_150_000, 32_950_000), (33_150_000, 33_950_000), (2_300_000, 5_700_000))
_NORTHINGS = (5_200_000, 6_200_000)


def looks_like_metres(xs, ys) -> bool:
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    if not len(xs):
        return False
    northing = bool(((ys >= _NORTHINGS[0]) & (ys <= _NORTHINGS[1])).all())
    return northing and any(bool(((xs >= lo) & (xs <= hi)).all()) for lo, hi in _EASTINGS)
