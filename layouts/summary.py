"""City summary cards: target group, Soll, Ist, shortfall, surplus and balance (measures.CITY_FIGURES), cost,
districts below the coverage threshold."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.formatting import fmt_eur, fmt_fte, fmt_number, fmt_percent
from dashboard.i18n import t
from dashboard.measures import CITY_FIGURES, SHORTFALL, counted_text, limit_text
from dashboard.scenario import LOW_COVERAGE, CitySummary

from . import ids


def _card(lang: str, key: str, value: str, help_text: str = "", emphasis: bool = False, label: str | None = None,
          **words) -> dbc.Col:
    return dbc.Col(html.Div([
        html.Div(label or t(f"summary.{key}", lang, **words), className="caregap-card-label"),
        html.Div(value, className="caregap-card-value" + (" text-danger" if emphasis else ""), id=ids.summary_card(key)),
        html.Div(help_text, className="caregap-card-help") if help_text else None,
    ], className="caregap-card"), xs=6, md=4, xl=True)


def summary_cards(s: CitySummary, lang: str, service_labels: dict[str, str], unit: str = "posts") -> html.Div:
    """The cards; `unit`: the dataset's supply unit (counted places are whole numbers)."""
    status = "" if s.population_status == "observed" else f" ({t(f'status.{s.population_status}', lang)})"
    ratios = " · ".join(f"{service_labels.get(k, k)}: {t('summary.ratio_used', lang, ratio=fmt_number(r, lang, 0 if r >= 100 else 2))}"
                        for k, r in s.ratios)
    fte_cost = fmt_eur(s.fte_cost_eur, lang)
    return html.Div([
        html.Div([html.H2(t("summary.heading", lang, year=s.year), className="h5 mb-0 me-3"),
                  html.Span(ratios, className="text-muted small", id=ids.SUMMARY_RATIOS)],
                 className="d-flex flex-wrap align-items-baseline mb-2"),
        dbc.Row([
            _card(lang, "population", fmt_number(s.population, lang) + status),
            _card(lang, "soll", fmt_fte(s.soll_fte, lang)),
            _card(lang, "ist", counted_text(s.ist_fte, lang, unit), f"{t('summary.coverage', lang)} {fmt_percent(s.coverage, lang)}"),
            *[_card(lang, f.key, fmt_fte(getattr(s, f.field), lang, signed=f.signed), t(f"figure.{f.key}_help", lang),
                    f is SHORTFALL and s.gross_gap_fte > 0, label=t(f"figure.{f.key}", lang)) for f in CITY_FIGURES],
            # no cost per post in the data (and none typed in): a note instead of a cost of 0 €
            _card(lang, "cost", fmt_eur(s.gross_cost_eur, lang), t("summary.cost_help", lang, fte_cost=fte_cost))
            if s.fte_cost_eur > 0 else _card(lang, "cost", t("summary.cost_none", lang), t("summary.cost_none_help", lang)),
            _card(lang, "below", t("summary.below_value", lang, count=s.units_below_75, total=s.units),
                  threshold=limit_text(LOW_COVERAGE, lang)),
        ], className="g-2"),
    ], id=ids.SUMMARY_INNER)
