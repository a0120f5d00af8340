"""AreaMap: our Dash component around MapLibre GL JS (the JavaScript is `area_map.js` here).

Props set by the app:
- `geometry`: URL of a GeoJSON FeatureCollection; each feature has the property `i` (its index,
  0…n−1, in the order of `area_ids`) and `name` (shown as the tooltip's title until figures come).
- `area_ids`: the area id of each index `i` (events name areas by these ids).
- `paint`: `{"codes": [int per area, by i], "palette": [CSS colour per code], "version": str}`;
  `version` names the assumptions the colours belong to (hover events echo it).
- `selected`: id of the area drawn with a heavy outline, or None.
- `basemap`: "none" (nothing requested from outside this server) or "osm" (OpenStreetMap raster
  tiles, loaded from the internet).
- `bounds`: `[[west, south], [east, north]]`, the initial view (WGS84).
- `tooltip`: `{"id", "version", "title", "lines": [str]}`, the figures of a hovered area; shown
  as text (never as HTML) while that area is hovered and `version` is the current paint's.
- `pending_text`: tooltip line shown until the figures of the current version arrive.
- `label`: accessible name of the map (the focusable canvas; arrow keys pan, +/− zoom).

Props the component sets (events):
- `hover_area`: `{"id", "version"}` when the pointer enters an area, and again when a new paint
  arrives while it is there; None when it leaves the areas.
- `click_area`: `{"id", "n"}`; `n` counts clicks, so clicking one area twice fires twice.

For tests and measurements the container element (`#<id>`) carries, through public DOM only:
`areaMap` (the maplibregl.Map), `areaIds` (the `area_ids` of the geometry shown), `areaPaint`
(the paint last applied as feature-state),
`data-geometry` (the geometry URL shown), `data-paint-version`, `data-areas` (number of distinct areas drawn from the current geometry), and
it dispatches `areamap:painted` (detail: the paint) right after each paint is applied.
"""

from __future__ import annotations

from dash.development.base_component import Component

PROPS = ["id", "className", "geometry", "area_ids", "paint", "selected", "basemap", "bounds", "tooltip",
         "pending_text", "label", "hover_area", "click_area"]


class AreaMap(Component):
    _namespace = "caregap_map"  # the browser global `area_map.js` registers
    _type = "AreaMap"
    _children_props: list[str] = []
    _base_nodes = ["children"]
    _prop_names = PROPS
    _valid_wildcard_attributes: list[str] = []
    available_properties = PROPS
    available_wildcard_properties: list[str] = []

    def __init__(self, id=None, **props):
        super().__init__(id=id, **props)
