"""The provider view: per provider its planning areas, posts, the Soll it is responsible for, and the gap."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.formatting import fmt_fte
from dashboard.i18n import t

from . import ids

COLUMNS = ("provider", "area_names", "posts", "soll_fte", "gap_fte")  # shown, in this order


def providers_panel(lang: str) -> html.Div:
    """The tab's frame; its table is filled when the tab is shown (callbacks.providers)."""
    return html.Div([html.P(t("providers.intro", lang), className="text-muted small mt-2"),
                     html.Div(id=ids.PROVIDERS_TABLE)])


def providers_table(table: pd.DataFrame, lang: str) -> dbc.Table:
    head = html.Thead(html.Tr([html.Th(t(f"providers.{c}", lang)) for c in COLUMNS]))
    rows = []
    for _, r in table.iterrows():
        name = r["provider"] or t("providers.none", lang)
        rows.append(html.Tr([html.Td(name), html.Td(r["area_names"], className="small"),
                             *(html.Td(fmt_fte(r[c], lang, signed=c == "gap_fte"), className="text-end")
                               for c in ("posts", "soll_fte", "gap_fte"))]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", striped=True, className="mt-2")
