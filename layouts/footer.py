"""Footer: the dataset's notes (estimates, illustrative figures) and attribution, always visible;
the short caveats shown where the eye is (under the summary, on the map)."""

from __future__ import annotations

from dash import html

from dashboard.caveats import caveat_text
from dashboard.dataset import Dataset
from dashboard.i18n import t

from . import ids


def footer(dataset: Dataset, lang: str) -> html.Footer:
    s = dataset.settings
    return html.Footer([
        html.Div([html.Strong(t("footer.notes", lang) + ": "),
                  html.Ul([html.Li(n) for n in s.notes_for(lang)], className="mb-1")], id=ids.DATA_NOTES),
        html.Div([html.Strong(t("footer.sources", lang) + ": "), " · ".join(s.attribution)], id=ids.ATTRIBUTION),
    ], className="caregap-footer small mt-3 pt-2 border-top")


def caveat_line(dataset: Dataset, lang: str) -> html.Div | None:
    """Under the summary: the caveats (their details are in the notes of the footer)."""
    text = caveat_text(dataset, lang)
    if not text:
        return None
    return html.Div([html.Strong(t("caveat.heading", lang) + ": "), text],
                    id=ids.CAVEATS, className="caregap-caveats")


def map_caveat(dataset: Dataset, lang: str) -> html.Div | None:
    """On the map, in its top left corner: the same caveats, short."""
    text = caveat_text(dataset, lang)
    return html.Div(text, id=ids.MAP_CAVEAT, className="caregap-map-caveat") if text else None
