"""The map as a picture: the live map's colours, classes and legend, drawn offline by kaleido.

The figure is a `choroplethmap` on the blank `white-bg` style with the simplified boundaries
embedded as a dict, so rendering needs no tiles, no topojson and no network. Kaleido starts
headless Chromium once per image; MathJax is switched off and plotly.js comes from the installed
plotly package, so the page it renders loads nothing from the internet.
"""

from __future__ import annotations

import contextvars
import textwrap

import plotly.graph_objects as go

from .. import i18n
from ..caveats import caveat_text
from ..formatting import PLOTLY_SEPARATORS
from ..loaded import fit_view
from ..mapping import colour_spec, hover_data, hover_template, no_figures_trace
from ..webgeo import web_geometry
from .chromium import ChromiumError, chromium_path
from .context import ExportContext

FONT = "Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif"
TEXT_COLOUR = "#1f2933"
MUTED_COLOUR = "#52606d"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
RENDER_TIMEOUT_S = 120
LEGEND_CHAR_PX = 7  # width of a legend character at 13 px: the legend's words wrap to stay in the picture


def _live_map_texts(ctx: ExportContext, table):
    """Colours, legend and hover texts exactly as the live map makes them, naming this export's supply unit."""
    def make():
        use_unit = getattr(i18n, "use_unit", None)  # texts that name the unit (posts, places) read it from here
        if use_unit is not None:
            use_unit(ctx.unit_key)
        return (colour_spec(table, ctx.measure, ctx.lang), hover_data(table, ctx.lang),
                hover_template(ctx.lang, ctx.status))
    return contextvars.copy_context().run(make)  # the unit is set for this call only


def _wrap(text: str, width: int) -> str:
    return "<br>".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


def map_title(ctx: ExportContext) -> tuple[str, str]:
    """Title (service, year, measure) and subtitle (dataset, level, target group) of the map."""
    title = ctx.text("map.title", service=ctx.service_label, year=ctx.year, measure=ctx.measure_label)
    subtitle = ctx.text("map.subtitle", dataset=ctx.dataset_title, level=ctx.level_label, rule=ctx.rule_label)
    return title, subtitle


def map_figure(ctx: ExportContext, width: int = 1200, height: int = 800, *, title: bool = True,
               footer: bool = True) -> go.Figure:
    """The map of `ctx.measure`; `title` and `footer` (status and attribution) can be left to a page around it."""
    result, lang = ctx.result, ctx.lang
    table = result.table
    spec, hover, template = _live_map_texts(ctx, table)
    geometry = web_geometry(ctx.dataset, result.level)

    footer_lines: list[str] = []
    if footer:
        caveat = caveat_text(ctx.dataset, lang)  # what is estimated or made up, before the sources
        parts = [caveat] if caveat else []
        if ctx.status != "observed":
            parts.append(ctx.text("map.status", year=ctx.year, status=ctx.status_label))
        parts += ctx.attribution
        footer_lines = textwrap.wrap(" · ".join(parts), width=max(40, int(width / 6.2)), break_long_words=False)
    top = 86 if title else 8
    bottom = 12 + 15 * len(footer_lines) if footer_lines else 8
    side = 10
    plot_w, plot_h = width - 2 * side, height - top - bottom
    legend_px = min(max(230, round(0.23 * width)), plot_w // 2)
    map_share = 1 - legend_px / plot_w
    view = fit_view(tuple(ctx.dataset.districts.total_bounds), int(plot_w * map_share), int(plot_h))

    colourbar = {
        "title": {"text": _wrap(spec.legend_title, 30), "side": "top", "font": {"size": 14, "color": TEXT_COLOUR}},
        "tickfont": {"size": 13, "color": TEXT_COLOUR}, "thickness": 20, "len": 0.72, "lenmode": "fraction",
        "x": map_share + 0.02, "xanchor": "left", "y": 0.5, "yanchor": "middle", "outlinewidth": 0.5,
        "outlinecolor": "#9aa4ae", "ticks": "",
    }
    if spec.tickvals is not None:
        colourbar.update(tickvals=spec.tickvals, ticktext=spec.ticktext, tickmode="array")
    trace = go.Choroplethmap(
        geojson=geometry, featureidkey="id", locations=list(table.index), z=spec.z, text=list(table["name"]),
        customdata=hover, hovertemplate=template,
        colorscale=spec.colourscale, zmin=spec.zmin, zmax=spec.zmax, showscale=True, colorbar=colourbar,
        marker={"line": {"width": 0.8, "color": "#555555"}, "opacity": 1},
    )
    fig = go.Figure(trace)
    grey = no_figures_trace(spec, table, lang, geometry, hover, template)
    if grey:  # areas without figures in their own grey, named in a legend below the colour bar, as on the live map
        grey["name"] = _wrap(grey["name"], max(16, (legend_px - 50) // LEGEND_CHAR_PX))
        fig.add_trace(grey)
    layout = {
        "width": width, "height": height, "separators": PLOTLY_SEPARATORS[lang],
        "map": {"style": "white-bg", **view, "domain": {"x": [0, map_share], "y": [0, 1]}},
        "margin": {"l": side, "r": side, "t": top, "b": bottom, "autoexpand": False},
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "font": {"family": FONT, "color": TEXT_COLOUR},
        "showlegend": bool(grey),
    }
    if grey:
        below_scale = 0.5 - colourbar["len"] / 2 - 0.01
        layout["legend"] = {"x": map_share + 0.02, "xanchor": "left", "y": below_scale, "yanchor": "top",
                            "font": {"size": 13, "color": TEXT_COLOUR}, "bgcolor": "rgba(255,255,255,0)"}
    if title:
        text, subtitle = map_title(ctx)
        layout["title"] = {"text": f"<b>{text}</b>", "x": side / width, "xanchor": "left", "xref": "container",
                           "y": 1 - 14 / height, "yanchor": "top", "yref": "container",
                           "font": {"size": 24, "color": TEXT_COLOUR},
                           "subtitle": {"text": subtitle, "font": {"size": 15, "color": MUTED_COLOUR}}}
    if footer_lines:
        layout["annotations"] = [{
            "text": "<br>".join(footer_lines), "xref": "paper", "yref": "paper", "x": 0, "y": 0,
            "xanchor": "left", "yanchor": "top", "yshift": -6, "showarrow": False, "align": "left",
            "font": {"size": 11, "color": MUTED_COLOUR},
        }]
    fig.update_layout(layout)
    return fig


def map_png(ctx: ExportContext, width: int = 1200, height: int = 800, scale: float = 2, *, title: bool = True,
            footer: bool = True, timeout: float = RENDER_TIMEOUT_S) -> bytes:
    """PNG of `map_figure`, `width × scale` by `height × scale` pixels; one Chromium start per image."""
    import kaleido  # imported here: the other exports work without it

    fig = map_figure(ctx, width, height, title=title, footer=footer)
    options = {"mathjax": False, "timeout": timeout, "path": chromium_path()}
    try:
        png = kaleido.calc_fig_sync(fig.to_dict(), opts={"format": "png", "width": width, "height": height,
                                                         "scale": scale}, kopts=options)
    except Exception as exc:  # kaleido raises its own error types for a browser that fails or hangs
        raise ChromiumError(f"the map image could not be rendered: {exc}") from exc
    if not png.startswith(PNG_SIGNATURE):
        raise ChromiumError("the map image could not be rendered: kaleido returned no PNG")
    return png
