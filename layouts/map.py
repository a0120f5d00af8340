"""The choropleth: geometry loaded once from a cached URL; values patched on every change."""

from __future__ import annotations

from dash import dcc

from dashboard.formatting import PLOTLY_SEPARATORS
from dashboard.mapping import colour_spec, hover_data, hover_template
from dashboard.scenario import Result

BASEMAP_STYLES = {"none": "white-bg", "osm": "open-street-map"}


def geometry_url(dataset_id: str, level: str, version: str) -> str:
    # the version in the URL lets browsers keep the file for good: new data, new URL
    return f"/geo/{dataset_id}/{level}.geojson?v={version}"


def trace_values(result: Result, measure: str, lang: str, status: str) -> dict:
    """The trace properties that change with the assumptions (what a slider move sends)."""
    spec = colour_spec(result.table, measure, lang)
    colourbar = {"title": {"text": spec.legend_title, "side": "right"}, "thickness": 16, "len": 0.85,
                 "tickvals": spec.tickvals, "ticktext": spec.ticktext}
    return {
        "z": spec.z, "customdata": hover_data(result.table, lang), "colorscale": spec.colourscale,
        "zmin": spec.zmin, "zmax": spec.zmax, "colorbar": colourbar,
        "hovertemplate": hover_template(lang, status),
    }


def level_values(result: Result, geo_url: str) -> dict:
    """The trace properties that change only with the level."""
    return {"geojson": geo_url, "locations": list(result.table.index), "text": list(result.table["name"])}


def build_figure(result: Result, measure: str, lang: str, status: str, geo_url: str, view: dict,
                 basemap: str = "none") -> dict:
    trace = {"type": "choroplethmap", "featureidkey": "id", "marker": {"line": {"width": 0.8, "color": "#555"}},
             "showscale": True, **level_values(result, geo_url), **trace_values(result, measure, lang, status)}
    layout = {
        "map": {"style": BASEMAP_STYLES[basemap], **view}, "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "separators": PLOTLY_SEPARATORS[lang], "uirevision": "keep-view", "paper_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
    }
    return {"data": [trace], "layout": layout}


def map_graph(figure: dict) -> dcc.Graph:
    return dcc.Graph(id="map", figure=figure, className="caregap-map",
                     config={"displaylogo": False, "scrollZoom": True, "responsive": True,
                             "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "caregap-karte"}})
