"""Dash components of the CareGap page, one module per panel.

Dash serves a component library's files from the top-level package that defines its components
(`_js_dist`/`_css_dist` below, fingerprinted with `__version__`): here the map of `mapview/`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("caregap")
except PackageNotFoundError:  # run from a checkout that is not installed
    __version__ = "0"

_js_dist = [
    {"relative_package_path": "mapview/vendor/maplibre-gl.js", "namespace": "layouts"},
    {"relative_package_path": "mapview/area_map.js", "namespace": "layouts"},
]
_css_dist = [{"relative_package_path": "mapview/vendor/maplibre-gl.css", "namespace": "layouts"}]
