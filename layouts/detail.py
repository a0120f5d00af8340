"""Detail panel of one area: its figures, its sites and its trend."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.formatting import fmt_fte, fmt_number
from dashboard.i18n import t
from dashboard.mapping import figures_or_word, measure_label
from dashboard.measures import registry
from dashboard.scenario import PLANNED_POSTS

from . import ids


def detail_panel() -> dbc.Offcanvas:
    return dbc.Offcanvas(id=ids.DETAIL, title="", placement="end", is_open=False, scrollable=True,
                         backdrop=False, style={"width": "min(480px, 100vw)"}, children=html.Div(id=ids.DETAIL_BODY))


def _site_item(site: pd.Series, service_labels: dict[str, str], lang: str) -> html.Li:
    years = (t("detail.site_years", lang, start=site["year_from"]) if pd.isna(site["year_to"])
             else t("detail.site_years_to", lang, start=site["year_from"], end=site["year_to"]))
    badge = dbc.Badge(t("detail.illustrative", lang), color="warning", text_color="dark", className="ms-1") \
        if site["status"] == "illustrative" else None
    return html.Li([html.Span(site["name"]), badge, html.Br(),
                    html.Small(f"{service_labels.get(site['service'], site['service'])}: "
                               f"{fmt_fte(site['fte'], lang)} · {years} · {site['provider']}", className="text-muted")],
                   className="mb-1")


def serving_list(serving: pd.DataFrame, service_labels: dict[str, str], lang: str) -> list:
    """"Served by": each site whose posts reach the area, the posts it gives and its share of them."""
    if serving is None or not len(serving):
        return [html.H3(t("detail.serving", lang), className="h6 mt-3"),
                html.P(t("detail.no_serving", lang), className="text-muted", id=ids.DETAIL_SERVING)]
    def item(r):
        planned = r["site_id"] == PLANNED_POSTS  # the scenario's planned changes, not a site
        return html.Li([html.Span(t("detail.serving_planned", lang) if planned else r["name"]), html.Br(), html.Small(t(
            "detail.serving_planned_item" if planned else "detail.serving_item", lang,
            service=service_labels.get(r["service"], r["service"]), posts=fmt_fte(r["posts"], lang),
            share=fmt_number(100 * r["share"], lang, 0), provider=r["provider"]), className="text-muted")],
            className="mb-1")
    items = [item(r) for _, r in serving.iterrows()]
    return [html.H3(t("detail.serving", lang), className="h6 mt-3"),
            html.Ul(items, className="list-unstyled", id=ids.DETAIL_SERVING)]


def detail_body(row: pd.Series, status: str, sites: pd.DataFrame, trend: dict, service_labels: dict[str, str],
                lang: str, parents: list[str], serving: pd.DataFrame | None = None, unit: str = "posts") -> list:
    no_post = t("hover.no_fte", lang)
    frame = row.to_frame().T
    figures = [(measure_label(m.key, lang, status), figures_or_word(m, frame, m.glances([row[m.column]], lang, no_post),
                                                                    lang)[0]) for m in registry(unit)]
    return [
        html.P(f"{t('detail.part_of', lang)} {', '.join(parents)}", className="text-muted small") if parents else None,
        html.Table(html.Tbody([html.Tr([html.Th(k, className="pe-3 fw-normal"), html.Td(v, className="fw-semibold text-end")])
                               for k, v in figures]), className="table table-sm", id=ids.DETAIL_FIGURES),
        html.H3(t("detail.sites", lang), className="h6 mt-3"),
        html.Ul([_site_item(s, service_labels, lang) for _, s in sites.iterrows()], className="list-unstyled",
                id=ids.DETAIL_SITES) if len(sites) else html.P(t("detail.no_sites", lang), className="text-muted"),
        *serving_list(serving, service_labels, lang),
        dcc.Graph(figure=trend, config={"displaylogo": False}, id=ids.DETAIL_TREND),
    ]
