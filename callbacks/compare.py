"""Compare two saved scenarios (or one and the baseline) at the page's level."""

from __future__ import annotations

from dataclasses import replace

from dash import Input, Output, State, callback, no_update

from dashboard.compare import city_difference, compare, compare_rows, comparison_year, difference_scale
from dashboard.formatting import fmt_eur, fmt_fte
from dashboard.i18n import t
from dashboard.loaded import fit_view
from dashboard.localised import say
from dashboard.scenario import Assumptions, ScenarioError
from dashboard.scenarios import StoreError
from layouts import ids
from layouts.compare import BASELINE, compare_body
from layouts.map import build_figure, geometry_url

from .context import store, view_from_query


def _saved(choice: str) -> tuple[str, Assumptions] | None:
    """(name, assumptions) of a saved scenario, read once; None for the baseline."""
    if choice == BASELINE:
        return None
    scenario = store().get(choice)
    return scenario.name, scenario.typed()[0]


def _assumptions(saved, year: int, item, level: str) -> tuple[str | None, Assumptions]:
    if saved is None:
        return None, Assumptions.defaults(item.dataset, year=year, level=level)
    name, assumptions = saved
    return name, replace(assumptions, level=level)


@callback(Output(ids.COMPARE_RESULT, "children"), Input(ids.COMPARE_A, "value"), Input(ids.COMPARE_B, "value"),
          Input(ids.TABS, "active_tab"), State(ids.VIEW_QUERY, "data"), prevent_initial_call=True)
def show_comparison(a_choice, b_choice, tab, query):
    """Both maps, the difference map, the city line and the table; computed only on the compare tab."""
    if tab != ids.TAB_COMPARE:
        return no_update
    item, view = view_from_query(query)
    lang = view.lang
    try:
        saved_a, saved_b = _saved(a_choice), _saved(b_choice)
        year = comparison_year(view.year, saved_a[1].year if saved_a else None, saved_b[1].year if saved_b else None)
        name_a, a = _assumptions(saved_a, year, item, view.level)
        name_b, b = _assumptions(saved_b, year, item, view.level)
        result_a, result_b = item.calculator.compute(a), item.calculator.compute(b)
    except (StoreError, ScenarioError) as exc:
        return say(exc, lang)
    geo = geometry_url(item.dataset.id, view.level, item.dataset.version)
    fit = fit_view(tuple(item.dataset.districts.total_bounds), 560, 360)
    fig_a = build_figure(result_a, "coverage", lang, item.dataset.year_status(a.year), geo, fit)
    fig_b = build_figure(result_b, "coverage", lang, item.dataset.year_status(b.year), geo, fit)
    fig_a["data"][0]["showscale"] = False  # one legend for both: the classes are fixed
    fig_a["layout"]["showlegend"] = False  # and so is the grey of the areas without figures
    table = compare(result_a, result_b)
    fig_delta = build_figure(result_b, "gap", lang, item.dataset.year_status(b.year), geo,
                             fit_view(tuple(item.dataset.districts.total_bounds), 900, 360))
    delta, limit = difference_scale(table["gap_delta"])
    trace = fig_delta["data"][0]
    trace.update(z=delta, zmin=-limit, zmax=limit,
                 colorbar={**trace["colorbar"], "title": {"text": t("compare.difference_legend", lang), "side": "right"}})
    city = city_difference(result_a, result_b)
    city_line = (f"{t('compare.city', lang)}: {t('figure.shortfall', lang)} {fmt_fte(city.gross_gap_a, lang)} → "
                 f"{fmt_fte(city.gross_gap_b, lang)} ({fmt_fte(city.gross_gap_delta, lang, signed=True)}), "
                 f"{t('summary.cost', lang)} {fmt_eur(city.cost_a, lang)} → {fmt_eur(city.cost_b, lang)}")
    title_a = name_a or t("compare.baseline", lang)
    title_b = name_b or t("compare.baseline", lang)
    return compare_body(f"A: {title_a} ({a.year})", f"B: {title_b} ({b.year})", fig_a, fig_b, fig_delta, city_line,
                        compare_rows(table), lang)
