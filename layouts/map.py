"""The choropleth: geometry loaded once from a cached URL; values patched on every change."""

from __future__ import annotations

from dash import dcc, html

from dashboard.formatting import PLOTLY_SEPARATORS
from dashboard.i18n import t
from dashboard.mapping import HOVER_SHELL, colour_codes, colour_spec, hover_bodies
from dashboard.scenario import Result

from . import ids

BASEMAP_STYLES = {"none": "white-bg", "osm": "open-street-map"}


def geometry_url(dataset_id: str, level: str, version: str) -> str:
    # the version in the URL lets browsers keep the file for good: new data, new URL
    return f"/geo/{dataset_id}/{level}.geojson?v={version}"


def legend_values(result: Result, measure: str, lang: str) -> dict:
    """The trace properties that draw the legend (the colour bar): they change with the measure, and
    for continuous measures with the data's range."""
    spec = colour_spec(result.table, measure, lang)
    colourbar = {"title": {"text": spec.legend_title, "side": "right"}, "thickness": 16, "len": 0.85,
                 "tickvals": spec.tickvals, "ticktext": spec.ticktext}
    return {"z": spec.z, "colorscale": spec.colourscale, "zmin": spec.zmin, "zmax": spec.zmax, "colorbar": colourbar}


def trace_values(result: Result, measure: str, lang: str, status: str) -> dict:
    return {**legend_values(result, measure, lang), "customdata": hover_bodies(result.table, lang, status),
            "hovertemplate": HOVER_SHELL}


def paint_payload(result: Result, measure: str, lang: str, geo_url: str, query: str) -> dict:
    """What a change of assumptions sends to the map: a palette index per area, nothing per area else.
    The browser recolours the shapes it already has (see assets/caregap.js) and asks for an area's
    hover figures when the pointer is over it (`query` tells which view they must belong to)."""
    codes, palette = colour_codes(colour_spec(result.table, measure, lang))
    return {"geo": geo_url, "codes": codes, "palette": palette, "query": query, "pending": t("hover.pending", lang)}


def level_values(result: Result, geo_url: str) -> dict:
    """The trace properties that change only with the level."""
    return {"geojson": geo_url, "locations": list(result.table.index), "text": list(result.table["name"])}


def build_figure(result: Result, measure: str, lang: str, status: str, geo_url: str, view: dict,
                 basemap: str = "none", painted_in_browser: bool = True) -> dict:
    # on the live map the trace is invisible: it carries hover texts and the legend; the colours are
    # drawn by our own map layer, so a change of assumptions never makes Plotly redraw the shapes.
    # Static maps (comparison) draw their colours with Plotly.
    marker = {"opacity": 0, "line": {"width": 0}} if painted_in_browser else {"line": {"width": 0.8, "color": "#555"}}
    trace = {"type": "choroplethmap", "featureidkey": "id", "marker": marker,
             "showscale": True, **level_values(result, geo_url), **trace_values(result, measure, lang, status)}
    layout = {
        "map": {"style": BASEMAP_STYLES[basemap], **view}, "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "separators": PLOTLY_SEPARATORS[lang], "uirevision": "keep-view", "paper_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
    }
    return {"data": [trace], "layout": layout}


def map_graph(figure: dict, paint: dict) -> html.Div:
    return html.Div([dcc.Store(id=ids.MAP_PAINT, data=paint), dcc.Store(id=ids.MAP_HOVER_REQUEST),
                     dcc.Store(id=ids.MAP_HOVER), _graph(figure)])


def _graph(figure: dict) -> dcc.Graph:
    return dcc.Graph(id=ids.MAP, figure=figure, className="caregap-map", clear_on_unhover=True,
                     config={"displaylogo": False, "scrollZoom": True, "responsive": True,
                             "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "caregap-karte"}})
