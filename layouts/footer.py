"""Footer: the dataset's notes (estimates, illustrative figures) and attribution, always visible."""

from __future__ import annotations

from dash import html

from dashboard.dataset import Dataset
from dashboard.i18n import t

from . import ids


def footer(dataset: Dataset, lang: str) -> html.Footer:
    s = dataset.settings
    return html.Footer([
        html.Div([html.Strong(t("footer.notes", lang) + ": "),
                  html.Ul([html.Li(n) for n in s.notes_for(lang)], className="mb-1")], id=ids.DATA_NOTES),
        html.Div([html.Strong(t("footer.sources", lang) + ": "), " · ".join(s.attribution)], id=ids.ATTRIBUTION),
    ], className="caregap-footer small text-muted mt-3 pt-2 border-top")
