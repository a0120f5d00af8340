"""The measures plan tab as plain functions: compute, take as a scenario (posts conserved), download."""

import pytest
from dash import no_update

from callbacks.context import view_from_query
from callbacks.planning import adopt_plan, compute_plan, plan_download
from dashboard.i18n import t
from layouts import ids
from layouts.planning import plan_figure

from .test_callbacks import app, request_ctx, texts  # noqa: F401  (the tiny app and a request in it)

QUERY = "service=beratung&lang=en"
FORM = dict(first=2025, last=2026, budget=None, budget_step=None, hires=1.0, step=0.25, rule="shortfall")


def compute(query=QUERY, **form):
    return compute_plan(1, *{**FORM, **form}.values(), query)


def test_no_click_no_plan(request_ctx):
    assert compute_plan(None, *FORM.values(), QUERY) == (no_update,) * 4


def test_compute_shows_the_plan_with_its_rule_limits_and_tables(request_ctx):
    result, stored, adopt_disabled, feedback = compute()
    assert stored == {"request": {"first_year": 2025, "last_year": 2026, "rule": "shortfall", "budget_eur": None,
                                  "budget_step_eur": 0.0, "hires_fte": 1.0, "step_fte": 0.25}, "query": QUERY}
    assert adopt_disabled is False and feedback is None
    words = texts(result)
    assert "Limits: no money limit; at most 1.00 new posts a year; step 0.25 posts." in words
    assert "First to receive posts: Altdorf (A), Cunnersdorf (C), Bergheim (B)." in words
    assert "All figures are invented." in words  # the dataset's label of its inputs comes along
    # the per-period table: 2025 1 post, 2026 2 posts at EUR 75,000
    at = words.index("Budget per period")
    assert words[at + 5:at + 9] == ["2025/26", "2025, 2026", "€225,000", "€225,000"]


def test_compute_names_what_does_not_fit(request_ctx):
    result, stored, disabled, feedback = compute(last=2031)
    assert result is None and stored is None and disabled is True
    assert texts(feedback) == [t("planning.failed", "en", message=t(
        "planning.error.plan_years", "en", start=2025, end=2031, first=2025, last=2026))]


def test_chart_compares_coverage_and_gap_with_and_without(request_ctx):
    from dashboard.planning.request import PlanRequest, plan_for
    item, view = view_from_query(QUERY)
    plan = plan_for(item.calculator, view.assumptions, PlanRequest(2025, 2026, hires_fte=1.0))
    figure = plan_figure(plan, "en")
    by_name = {trace["name"]: trace["y"] for trace in figure["data"]}
    # Σ Soll 2025 4.5, Ist 4 (+1 with the plan); 2026 Σ Soll 4.75, Ist 2.5 (+2)
    assert by_name["Coverage without measures"] == [round(400 / 4.5, 1), round(250 / 4.75, 1)]
    assert by_name["Coverage with plan"] == [round(500 / 4.5, 1), round(450 / 4.75, 1)]
    assert by_name["Gross gap with plan"] == [0.0, 0.25]


def test_take_as_scenario_conserves_posts_and_opens_it(request_ctx):
    _, stored, _, _ = compute()
    search, feedback = adopt_plan(1, stored)
    assert feedback is None and search.startswith("?scenario=")
    item, view = view_from_query(search)
    changes = [(c.district_id, c.year_from, c.delta_fte) for c in view.assumptions.fte_changes]
    assert changes == [("A", 2025, 0.5), ("C", 2025, 0.5), ("B", 2026, 1.0)]
    assert {c.note for c in view.assumptions.fte_changes} == {"Measures plan"}
    # the scenario's figures are the plan's: gross gap 2026 = A .15 + C .1, Ist = 2.5 + 2
    summary = item.calculator.compute(view.assumptions, 2026).summary
    assert summary.gross_gap_fte == pytest.approx(0.25) and summary.ist_fte == pytest.approx(4.5)
    # a second adoption gets a name of its own
    again, _ = adopt_plan(1, stored)
    _, view2 = view_from_query(again)
    assert view2.scenario != view.scenario


def test_download_csv_of_the_plan(request_ctx):
    _, stored, _, _ = compute()
    data, feedback = plan_download(ids.PLAN_DOWNLOAD_CSV, stored)
    assert data["filename"] == "caregap-plan-tiny-beratung-2025.csv"
    assert plan_download(None, stored) == (no_update, no_update)


def test_download_handout_with_the_plan_page(request_ctx):
    import base64

    from dashboard.exports.handout import page_count
    from tests.test_exports import require_chromium

    require_chromium()
    _, stored, _, _ = compute()
    data, feedback = plan_download(ids.PLAN_DOWNLOAD_PDF, stored)
    pdf = base64.b64decode(data["content"])
    assert data["filename"] == "caregap-plan-tiny-beratung-2025.pdf" and feedback is None
    assert page_count(pdf) == 3
