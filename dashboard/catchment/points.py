"""Reference points of districts and sites, in kilometres of one local equidistant projection.

A district is represented by its population-weighted point where the dataset has one, else by its
polygon's representative point (always inside it, unlike the centroid). A site stands at its own
coordinates where it has them, else at its district's point. Coordinates are projected with an
azimuthal equidistant projection centred on the districts, so straight-line distances within a
city or a country are true to well under one per cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

WGS84 = "EPSG:4326"


@dataclass(frozen=True)
class Places:
    """Everything the weights need about where districts and sites are, in index form."""

    district_ids: tuple[str, ...]
    district_xy: np.ndarray  # (districts, 2) km
    site_ids: tuple[str, ...]
    site_district: np.ndarray  # (sites,) index of the district each site stands in
    site_xy: np.ndarray  # (sites, 2) km
    served: tuple[np.ndarray | None, ...]  # per site: indices of declared districts, or None
    groups: Mapping[str, np.ndarray]  # level -> (districts,) group code of each district

    @property
    def n_districts(self) -> int:
        return len(self.district_ids)

    @property
    def n_sites(self) -> int:
        return len(self.site_ids)


def local_projection(lon: np.ndarray, lat: np.ndarray) -> Transformer:
    """Lon/lat → km of an azimuthal equidistant projection centred on the points given."""
    lon0, lat0 = float(np.mean(lon)), float(np.mean(lat))
    target = f"+proj=aeqd +lat_0={lat0:.6f} +lon_0={lon0:.6f} +datum=WGS84 +units=km +no_defs"
    return Transformer.from_crs(WGS84, target, always_xy=True)


def district_lonlat(districts: gpd.GeoDataFrame,
                    weighted_points: Mapping[str, tuple[float, float]] | None = None) -> np.ndarray:
    """(districts, 2) lon/lat: the population-weighted point where given, else the representative point."""
    shapes = districts.to_crs(WGS84) if districts.crs is not None else districts
    points = shapes.geometry.representative_point()
    lonlat = np.column_stack([points.x.to_numpy(), points.y.to_numpy()])
    for row, district in enumerate(districts["district_id"].astype(str)):
        if weighted_points and district in weighted_points:
            lonlat[row] = weighted_points[district]
    return lonlat


def build_places(districts: gpd.GeoDataFrame, sites: pd.DataFrame, levels: Mapping[str, str],
                 served: Mapping[str, frozenset[str] | None] | None = None,
                 weighted_points: Mapping[str, tuple[float, float]] | None = None,
                 base_level: str | None = None) -> Places:
    """Index districts and sites once per dataset.

    `districts`: district_id, geometry and one column per level (`levels`: level -> column);
    `base_level` names the districts themselves as a level (each its own group).
    `sites`: site_id, district_id, optional lon/lat; a site listed on several rows (services,
    periods) is one place, at its first row's point. `served`: site_id -> declared district ids.
    """
    ids = tuple(districts["district_id"].astype(str))
    position = {d: i for i, d in enumerate(ids)}
    lonlat = district_lonlat(districts, weighted_points)
    project = local_projection(lonlat[:, 0], lonlat[:, 1])
    district_xy = np.column_stack(project.transform(lonlat[:, 0], lonlat[:, 1]))

    first = sites.drop_duplicates("site_id")
    site_ids = tuple(first["site_id"].astype(str))
    site_district = first["district_id"].astype(str).map(position).to_numpy(dtype=int)
    site_xy = district_xy[site_district].copy()
    if {"lon", "lat"} <= set(first.columns):
        lon = pd.to_numeric(first["lon"], errors="coerce").to_numpy(dtype=float)
        lat = pd.to_numeric(first["lat"], errors="coerce").to_numpy(dtype=float)
        located = np.isfinite(lon) & np.isfinite(lat)
        if located.any():
            site_xy[located] = np.column_stack(project.transform(lon[located], lat[located]))
    declared = served or {}
    served_idx = tuple(
        None if declared.get(s) is None else np.array(sorted(position[d] for d in declared[s]), dtype=int)
        for s in site_ids)
    groups = {level: pd.factorize(districts[column].astype(str))[0] for level, column in levels.items()}
    if base_level:
        groups[base_level] = np.arange(len(ids))
    return Places(ids, district_xy, site_ids, site_district, site_xy, served_idx, groups)
