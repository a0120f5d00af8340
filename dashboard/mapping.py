"""What the choropleth shows for a result: colour values, class legend and hover data.

Coverage uses fixed, policy-anchored classes on a colour-blind-safe diverging palette (ColorBrewer
RdBu) centred on 100 %, identical across years and scenarios, so two maps can be compared by eye.
Other measures are exploratory and use continuous scales fitted to the data. Which measure uses
which colours, and what its hover line says, is declared once in `dashboard.measures`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from plotly.colors import get_colorscale, sample_colorscale

from .i18n import t
from .measures import COVERAGE_COLOURS  # noqa: F401 (read from here by tests)
from .measures import (BY_KEY, COVERAGE_CLASSES, MAP_MEASURES, NO_FIGURES_COLOUR, NO_VALUE_COLOUR, REGISTRY,
                       Classes, limit_text, map_measure, without_figures)

MEASURES = MAP_MEASURES  # the map's choices, in the order the controls list them
NO_TARGET_COLOUR = NO_VALUE_COLOUR


def coverage_class(coverage) -> np.ndarray:
    """Class index 0–4 per unit (lower bound inclusive: exactly 75 % is in 75–90 %); 5 if undefined."""
    return COVERAGE_CLASSES.index(coverage)


def discrete_colourscale(colours: tuple[str, ...]) -> list[list]:
    """Plotly colourscale with one flat band per class index 0…n−1."""
    n = len(colours)
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


@dataclass(frozen=True)
class ColourSpec:
    z: list  # one value per unit, in the table's order
    colourscale: list
    zmin: float
    zmax: float
    legend_title: str
    tickvals: list | None = None
    ticktext: list | None = None
    no_figures: tuple[int, ...] = ()  # positions of the units without figures: grey, "keine Angabe"


def class_labels(scale: Classes, lang: str) -> list[str]:
    """The legend's words per class, from the class limits ("unter 50 %", "50 bis 75 %" …), then the grey class."""
    limits = [limit_text(b, lang) for b in scale.breaks]
    labels = [t("legend.classes.below", lang, upper=limits[0])]
    for i in range(1, len(limits)):
        key = "legend.classes.target" if i == scale.target else "legend.classes.between"
        labels.append(t(key, lang, lower=limits[i - 1], upper=limits[i]))
    labels.append(t("legend.classes.above", lang, lower=limits[-1]))
    return labels + [t(scale.no_value_label, lang)]


def colour_spec(table: pd.DataFrame, measure: str, lang: str) -> ColourSpec:
    m = map_measure(measure)
    title = t(f"legend.{m.key}", lang)
    values = table[m.column].to_numpy(dtype=float)
    scale = m.scale
    missing = tuple(np.flatnonzero(without_figures(table)).tolist())
    if isinstance(scale, Classes):
        colours = scale.colours + (NO_VALUE_COLOUR,)
        return ColourSpec(scale.index(values).tolist(), discrete_colourscale(colours), -0.5, len(colours) - 0.5,
                          title, list(range(len(colours))), class_labels(scale, lang), missing)
    finite = values[np.isfinite(values)]
    # a named scale is resolved here: Plotly's browser library knows other scales under the same names
    # ("Blues" runs dark to light there) or none ("OrRd"), so the legend would not match the painted colours
    named = get_colorscale(scale.colourscale) if isinstance(scale.colourscale, str) else scale.colourscale
    colourscale = [list(p) for p in named]
    if scale.centred:
        limit = max(float(np.abs(finite).max()) if finite.size else 0.0, scale.min_half_span)
        low, high, z = -limit, limit, values
    else:
        high = float(finite.max()) if finite.size else 1.0
        z = np.where(np.isnan(values), high, values) if scale.undefined_at_top else values
        defined = z[np.isfinite(z)]
        low = 0.0 if scale.from_zero or not defined.size else float(defined.min())
    z = [None if math.isnan(v) else v for v in np.round(z, scale.z_decimals).tolist()]
    return ColourSpec(z, colourscale, low, high, title, no_figures=missing)


COLOUR_STEPS = 64  # continuous scales are drawn in this many steps


def colour_codes(spec: ColourSpec) -> tuple[list[int], list[str]]:
    """Each unit's colour as an index into a palette: few bytes per unit, whatever the measure.

    Coverage uses its class colours; continuous measures are cut into COLOUR_STEPS steps between
    zmin and zmax of the scale's colours (what the legend shows).
    """
    if spec.tickvals is not None:  # discrete classes: the colourscale holds one colour per class
        palette = [spec.colourscale[2 * i][1] for i in range(len(spec.tickvals))]
        return _no_figures_grey(spec, [int(z) for z in spec.z], palette)
    palette = sample_colorscale(spec.colourscale, [i / (COLOUR_STEPS - 1) for i in range(COLOUR_STEPS)])
    span = (spec.zmax - spec.zmin) or 1.0
    z = np.clip((np.asarray(spec.z, dtype=float) - spec.zmin) / span, 0, 1)
    undefined = np.isnan(z)
    undefined[list(spec.no_figures)] = False  # painted in their own grey below
    codes = np.rint(np.where(np.isnan(z), 0, z) * (COLOUR_STEPS - 1)).astype(int)
    if undefined.any():  # no value: grey, one entry after the scale's
        palette.append(NO_VALUE_COLOUR)
        codes[undefined] = len(palette) - 1
    return _no_figures_grey(spec, codes.tolist(), palette)


def _no_figures_grey(spec: ColourSpec, codes: list[int], palette: list[str]) -> tuple[list[int], list[str]]:
    """Units without figures take their own grey, the last entry of the palette (the legend names it)."""
    if spec.no_figures:
        palette = [*palette, NO_FIGURES_COLOUR]
        for i in spec.no_figures:
            codes[i] = len(palette) - 1
    return codes, palette


HOVER_MEASURES = tuple(m for m in REGISTRY if m.hover)


def hover_data(table: pd.DataFrame, lang: str, unit: str = "posts") -> list[list]:
    """Per unit the figures of every hover measure (population, Soll, Ist, gap, coverage …), formatted for `lang`.

    The unit's name is not repeated here: it goes to the trace's `text` once, so a slider move
    sends only the figures that changed.
    """
    no_post = t("hover.no_fte", lang)
    columns = [figures_or_word(m, table, m.in_unit(unit).glances(table[m.column], lang, no_post), lang)
               for m in HOVER_MEASURES]
    return [list(texts) for texts in zip(*columns)]


def figures_or_word(m, table: pd.DataFrame, texts: list, lang: str) -> list:
    """`texts` of measure `m` per unit, "keine Angabe" where a unit without figures has no value."""
    missing = without_figures(table)
    if not missing.any():
        return texts
    word = t("no_figures.word", lang)
    undefined = np.isnan(table[m.column].to_numpy(dtype=float))
    return [word if gone and empty else text for text, gone, empty in zip(texts, missing, undefined)]


HOVER_SHELL = "<b>%{text}</b><br>%{customdata}<extra></extra>"  # the live map: name, then the figures


def no_figures_trace(spec: ColourSpec, table: pd.DataFrame, lang: str, geojson, customdata: list,
                     hovertemplate: str) -> dict | None:
    """A static (Plotly) map's areas without figures as a trace of their own: the live map's grey and
    its legend entry ("keine Angabe"), drawn over the measure's trace. None if there are no such areas."""
    if not spec.no_figures:
        return None
    at = list(spec.no_figures)
    return {"type": "choroplethmap", "geojson": geojson, "featureidkey": "id",
            "locations": [table.index[i] for i in at], "z": [0] * len(at),
            "colorscale": [[0, NO_FIGURES_COLOUR], [1, NO_FIGURES_COLOUR]], "showscale": False,
            "showlegend": True, "name": t("no_figures.legend", lang),
            "text": [str(table["name"].iloc[i]) for i in at], "customdata": [customdata[i] for i in at],
            "hovertemplate": hovertemplate, "marker": {"line": {"width": 0.8, "color": "#555555"}, "opacity": 1}}


def hover_bodies(table: pd.DataFrame, lang: str, status: str, unit: str = "posts") -> list[str]:
    """Per unit the figures of its hover label as one text (the live map fetches them per hovered area)."""
    template = hover_template(lang, status).split("<br>", 1)[1].removesuffix("<extra></extra>")
    out = []
    for row in hover_data(table, lang, unit):
        text = template
        for i, value in enumerate(row):
            text = text.replace(f"%{{customdata[{i}]}}", value)
        out.append(text)
    return out


def measure_label(key: str, lang: str, status: str) -> str:
    """A measure's name in hover and detail panel; the population's status (estimate/forecast) is named in it."""
    label = t(f"hover.{key}", lang)
    return label if status == "observed" or not BY_KEY[key].status else f"{label} ({t(f'status.{status}', lang)})"


def hover_template(lang: str, status: str) -> str:
    """One template for all units; the population's status (estimate/forecast) is named in it."""
    lines = ["<b>%{text}</b>", *(f"{measure_label(m.key, lang, status)}: %{{customdata[{i}]}}"
                                 for i, m in enumerate(HOVER_MEASURES))]
    return "<br>".join(lines) + "<extra></extra>"
