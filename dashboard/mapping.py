"""What the choropleth shows for a result: colour values, class legend and hover data.

Coverage uses fixed, policy-anchored classes on a colour-blind-safe diverging palette (ColorBrewer
RdBu) centred on 100 %, identical across years and scenarios, so two maps can be compared by eye.
Other measures are exploratory and use continuous scales fitted to the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .formatting import fmt_number
from .i18n import t

MEASURES = ("coverage", "gap", "residents_per_fte", "population")
COVERAGE_BREAKS = (0.5, 0.75, 0.9, 1.1)  # class limits: <50, 50–75, 75–90, 90–110, >110 %
COVERAGE_COLOURS = ("#b2182b", "#ef8a62", "#fddbc7", "#f0f0f0", "#4393c3")
NO_TARGET_COLOUR = "#9e9e9e"
NO_TARGET_CLASS = len(COVERAGE_COLOURS)  # coverage undefined: nobody in the target group


def coverage_class(coverage) -> np.ndarray:
    """Class index 0–4 per unit (lower bound inclusive: exactly 75 % is in 75–90 %); 5 if undefined."""
    values = np.asarray(coverage, dtype=float)
    classes = np.searchsorted(np.array(COVERAGE_BREAKS), values, side="right")
    return np.where(np.isnan(values), NO_TARGET_CLASS, classes)


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


def colour_spec(table: pd.DataFrame, measure: str, lang: str) -> ColourSpec:
    if measure == "coverage":
        colours = COVERAGE_COLOURS + (NO_TARGET_COLOUR,)
        labels = [t(f"legend.class_{i}", lang) for i in range(len(COVERAGE_COLOURS))] + [t("legend.no_target", lang)]
        return ColourSpec(coverage_class(table["coverage"]).tolist(), discrete_colourscale(colours),
                          -0.5, len(colours) - 0.5, t("legend.coverage", lang), list(range(len(colours))), labels)
    if measure == "gap":
        values = table["gap_fte"].to_numpy(dtype=float)
        limit = max(float(np.nanmax(np.abs(values))) if len(values) else 0.0, 0.5)
        return ColourSpec(np.round(values, 3).tolist(), [[0, "#2166ac"], [0.5, "#f7f7f7"], [1, "#b2182b"]],
                          -limit, limit, t("legend.gap", lang))
    if measure == "residents_per_fte":
        values = table["residents_per_fte"].to_numpy(dtype=float)
        top = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
        # no post at all is the worst case: shown in the darkest colour, named in the hover
        z = np.where(np.isnan(values), top, values)
        return ColourSpec(np.round(z).tolist(), "OrRd", float(np.nanmin(z)) if len(z) else 0.0, top,
                          t("legend.residents_per_fte", lang))
    if measure == "population":
        values = table["population"].to_numpy(dtype=float)
        return ColourSpec(np.round(values).tolist(), "Blues", 0.0, float(values.max()) if len(values) else 1.0,
                          t("legend.population", lang))
    raise ValueError(f"unknown measure '{measure}'; choose one of {', '.join(MEASURES)}")


COLOUR_STEPS = 64  # continuous scales are drawn in this many steps


def colour_codes(spec: ColourSpec) -> tuple[list[int], list[str]]:
    """Each unit's colour as an index into a palette: few bytes per unit, whatever the measure.

    Coverage uses its class colours; continuous measures are cut into COLOUR_STEPS steps between
    zmin and zmax of the scale's colours (what the legend shows).
    """
    from plotly.colors import get_colorscale, sample_colorscale

    if spec.tickvals is not None:  # discrete classes: the colourscale holds one colour per class
        palette = [spec.colourscale[2 * i][1] for i in range(len(spec.tickvals))]
        return [int(z) for z in spec.z], palette
    scale = get_colorscale(spec.colourscale) if isinstance(spec.colourscale, str) else spec.colourscale
    palette = sample_colorscale(scale, [i / (COLOUR_STEPS - 1) for i in range(COLOUR_STEPS)])
    span = (spec.zmax - spec.zmin) or 1.0
    z = np.clip((np.asarray(spec.z, dtype=float) - spec.zmin) / span, 0, 1)
    return np.rint(z * (COLOUR_STEPS - 1)).astype(int).tolist(), palette


def hover_data(table: pd.DataFrame, lang: str) -> list[list]:
    """Per unit: population, Soll, Ist, gap, coverage %, residents per FTE, formatted for `lang`.

    The unit's name is not repeated here: it goes to the trace's `text` once, so a slider move
    sends only the figures that changed.
    """
    rows = []
    for pop, soll, ist, gap, cov, rpf in zip(table["population"], table["soll_fte"], table["ist_fte"],
                                             table["gap_fte"], table["coverage"], table["residents_per_fte"]):
        rows.append([
            fmt_number(pop, lang), fmt_number(soll, lang, 2), fmt_number(ist, lang, 2),
            fmt_number(gap, lang, 2, signed=True),
            "–" if math.isnan(cov) else fmt_number(cov * 100, lang, 0) + " %",
            t("hover.no_fte", lang) if math.isnan(rpf) else fmt_number(rpf, lang),
        ])
    return rows


HOVER_SHELL = "<b>%{text}</b><br>%{customdata}<extra></extra>"  # the live map: name, then the figures


def hover_bodies(table: pd.DataFrame, lang: str, status: str) -> list[str]:
    """Per unit the figures of its hover label as one text (the live map fetches them per hovered area)."""
    template = hover_template(lang, status).split("<br>", 1)[1].removesuffix("<extra></extra>")
    out = []
    for row in hover_data(table, lang):
        text = template
        for i, value in enumerate(row):
            text = text.replace(f"%{{customdata[{i}]}}", value)
        out.append(text)
    return out


def hover_template(lang: str, status: str) -> str:
    """One template for all units; the population's status (estimate/forecast) is named in it."""
    status_text = "" if status == "observed" else f" ({t(f'status.{status}', lang)})"
    lines = [
        "<b>%{text}</b>",
        f"{t('hover.population', lang)}{status_text}: %{{customdata[0]}}",
        f"{t('hover.soll', lang)}: %{{customdata[1]}}",
        f"{t('hover.ist', lang)}: %{{customdata[2]}}",
        f"{t('hover.gap', lang)}: %{{customdata[3]}}",
        f"{t('hover.coverage', lang)}: %{{customdata[4]}}",
        f"{t('hover.residents_per_fte', lang)}: %{{customdata[5]}}",
    ]
    return "<br>".join(lines) + "<extra></extra>"
