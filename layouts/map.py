"""The live map (our AreaMap component: geometry loaded once from a cached URL, colours painted per
area), its legend, and the Plotly figure of the static maps (comparison tab)."""

from __future__ import annotations

from dash import html

from dashboard.formatting import PLOTLY_SEPARATORS, fmt_number
from dashboard.i18n import t
from dashboard.mapping import HOVER_SHELL, colour_codes, colour_spec, hover_bodies, no_figures_trace
from dashboard.measures import NO_FIGURES_COLOUR
from dashboard.scenario import Result

from . import ids
from .mapview import AreaMap

# Plotly map styles: the static maps use "none"; the bench draws a Plotly map with either
BASEMAP_STYLES = {"none": "white-bg", "osm": "open-street-map"}
HOVER_LINE_BREAK = "<br>"  # how hover_bodies separates the lines of an area's figures


def geometry_url(dataset_id: str, level: str, version: str) -> str:
    # the version in the URL lets browsers keep the file for good: new data, new URL
    return f"/geo/{dataset_id}/{level}.geojson?v={version}"


def paint_payload(result: Result, measure: str, lang: str, version: str) -> dict:
    """What a change of assumptions sends to the map: a palette index per area, nothing per area else.
    `version` (the view's query) names the assumptions; hover events echo it back."""
    codes, palette = colour_codes(colour_spec(result.table, measure, lang))
    return {"codes": codes, "palette": palette, "version": version}


def tooltip(result: Result, unit: str, lang: str, status: str, version: str, supply: str = "posts") -> dict:
    """The hover figures of one area as plain lines of text (the map shows them as text, not HTML);
    `supply`: the dataset's supply unit (counted places are whole numbers)."""
    body = hover_bodies(result.table.loc[[unit]], lang, status, supply)[0]
    return {"id": unit, "version": version, "title": str(result.table.at[unit, "name"]),
            "lines": body.split(HOVER_LINE_BREAK)}


def legend(result: Result, measure: str, lang: str) -> list:
    """Classes (coverage) as swatches with their names; continuous measures as a colour ramp from
    the scale's lowest to its highest value, the colours the map paints with."""
    spec = colour_spec(result.table, measure, lang)
    _, palette = colour_codes(spec)
    title = html.Div(spec.legend_title, className="caregap-legend-title")
    # units without figures: their own grey swatch, named "keine Angabe"
    extra = [html.Li([html.Span(className="caregap-legend-swatch", style={"background": NO_FIGURES_COLOUR}),
                      t("no_figures.legend", lang)])] if spec.no_figures else []
    if spec.tickvals is not None:
        items = [html.Li([html.Span(className="caregap-legend-swatch", style={"background": colour}), text])
                 for colour, text in zip(palette, spec.ticktext)]
        return [title, html.Ul(items + extra, className="caregap-legend-classes")]
    decimals = 0 if max(abs(spec.zmin), abs(spec.zmax)) >= 10 else 1
    ramp_colours = palette[:-1] if spec.no_figures else palette
    ramp = html.Div(className="caregap-legend-ramp",
                    style={"background": f"linear-gradient(to right, {', '.join(ramp_colours)})"})
    ends = html.Div([html.Span(fmt_number(spec.zmin, lang, decimals)), html.Span(fmt_number(spec.zmax, lang, decimals))],
                    className="caregap-legend-ends")
    return [title, ramp, ends, *([html.Ul(extra, className="caregap-legend-classes")] if extra else [])]


def live_map(result: Result, measure: str, lang: str, geo_url: str, bounds, basemap: str, version: str) -> html.Div:
    """The map of the page with its legend. `bounds`: (minx, miny, maxx, maxy) in WGS84."""
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    area_map = AreaMap(id=ids.MAP, className="caregap-map", geometry=geo_url, area_ids=list(result.table.index),
                       paint=paint_payload(result, measure, lang, version), basemap=basemap,
                       bounds=[[minx, miny], [maxx, maxy]], pending_text=t("hover.pending", lang),
                       label=t("map.label", lang))
    return html.Div([area_map, html.Div(legend(result, measure, lang), id=ids.MAP_LEGEND, className="caregap-legend")],
                    className="caregap-map-wrap")


def build_figure(result: Result, measure: str, lang: str, status: str, geo_url: str, view: dict) -> dict:
    """A static Plotly map (the comparison tab, on a blank background): colours, legend and hover
    labels in one figure."""
    spec = colour_spec(result.table, measure, lang)
    colourbar = {"title": {"text": spec.legend_title, "side": "right"}, "thickness": 16, "len": 0.85,
                 "tickvals": spec.tickvals, "ticktext": spec.ticktext}
    trace = {"type": "choroplethmap", "featureidkey": "id", "marker": {"line": {"width": 0.8, "color": "#555"}},
             "showscale": True, "geojson": geo_url, "locations": list(result.table.index),
             "text": list(result.table["name"]), "z": spec.z, "colorscale": spec.colourscale, "zmin": spec.zmin,
             "zmax": spec.zmax, "colorbar": colourbar, "customdata": hover_bodies(result.table, lang, status),
             "hovertemplate": HOVER_SHELL}
    grey = no_figures_trace(spec, result.table, lang, geo_url, trace["customdata"], HOVER_SHELL)
    layout = {
        "map": {"style": BASEMAP_STYLES["none"], **view}, "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "separators": PLOTLY_SEPARATORS[lang], "uirevision": "keep-view", "paper_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"}, "showlegend": bool(grey),
    }
    if grey:  # areas without figures: the live map's grey, its legend entry in the map's lower left corner
        layout["legend"] = {"x": 0.01, "xanchor": "left", "y": 0.01, "yanchor": "bottom",
                            "bgcolor": "rgba(255,255,255,0.85)"}
    return {"data": [trace, grey] if grey else [trace], "layout": layout}
