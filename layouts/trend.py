"""Phased view: Soll, Ist and gap per year, for the city or one area."""

from __future__ import annotations

import pandas as pd

from dashboard.formatting import PLOTLY_SEPARATORS
from dashboard.i18n import t
from dashboard.measures import BALANCE, BY_COLUMN, SHORTFALL, SHORTFALL_RED, SURPLUS_BLUE, SURPLUS_LIGHT_BLUE

GAP, SOLL, IST = (BY_COLUMN[column] for column in ("gap_fte", "soll_fte", "ist_fte"))


def trend_figure(trend: pd.DataFrame, lang: str, title: str, selected_year: int | None = None) -> dict:
    """Bars for the gap, lines for Soll and Ist; estimated/forecast years named in the hover."""
    status = [t(f"status.{s}", lang) for s in trend["status"]]
    years = trend["year"].tolist()
    # the bar is Soll − Ist of the year: for all areas together, the figure named BALANCE on the cards
    gap_name = t(f"figure.{BALANCE.key}", lang)
    data = [
        {"type": "bar", "x": years, "y": trend[GAP.column].round(GAP.decimals).tolist(), "name": gap_name,
         "marker": {"color": [SHORTFALL_RED if GAP.alarming(g) else SURPLUS_LIGHT_BLUE for g in trend[GAP.column]]},
         "opacity": 0.55, "customdata": status,
         "hovertemplate": f"%{{x}} (%{{customdata}}): %{{y:,.{GAP.decimals}f}}<extra>{gap_name}</extra>"},
        {"type": "scatter", "mode": "lines+markers", "x": years, "y": trend[SOLL.column].round(SOLL.decimals).tolist(),
         "name": t("trend.soll", lang), "line": {"color": "#222", "width": 2}},
        {"type": "scatter", "mode": "lines+markers", "x": years, "y": trend[IST.column].round(IST.decimals).tolist(),
         "name": t("trend.ist", lang), "line": {"color": SURPLUS_BLUE, "width": 2, "dash": "dot"}},
    ]
    if SHORTFALL.field in trend:  # all areas: the gross shortfall too, as on the card
        data.append({"type": "scatter", "mode": "lines+markers", "x": years, "name": t(f"figure.{SHORTFALL.key}", lang),
                     "y": trend[SHORTFALL.field].round(GAP.decimals).tolist(),
                     "line": {"color": SHORTFALL_RED, "width": 2}})
    shapes = []
    if selected_year is not None:
        shapes.append({"type": "line", "x0": selected_year, "x1": selected_year, "y0": 0, "y1": 1, "yref": "paper",
                       "line": {"color": "#888", "width": 1, "dash": "dash"}})
    layout = {
        "title": {"text": title, "x": 0, "font": {"size": 15}}, "separators": PLOTLY_SEPARATORS[lang],
        "margin": {"l": 50, "r": 10, "t": 40, "b": 40}, "height": 300, "hovermode": "x unified",
        "xaxis": {"title": {"text": t("trend.year", lang)}, "dtick": 1 if len(years) <= 12 else 2},
        "yaxis": {"title": {"text": t("trend.fte", lang)}, "rangemode": "tozero"},
        "legend": {"orientation": "h", "y": -0.25}, "shapes": shapes, "paper_bgcolor": "rgba(0,0,0,0)",
    }
    return {"data": data, "layout": layout}
