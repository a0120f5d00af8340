"""The planner wired to a view: budget periods from dataset.toml, the request, the plan as planned changes,
its texts, and the `plan` command."""

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.cli import main
from dashboard.dataset import load_dataset
from dashboard.errors import DataError
from dashboard.i18n import t
from dashboard.planning.request import (PlanRequest, PlanRequestError, check_request, plan_changes, plan_for,
                                        plan_inputs, with_plan)
from dashboard.planning.texts import plan_lines
from dashboard.scenario import Assumptions, Calculator
from dashboard.settings import parse_settings
from tests.conftest import FIXTURES

TINY = str(FIXTURES / "tiny")


@pytest.fixture(scope="module")
def tiny_calc():
    return Calculator(load_dataset(FIXTURES / "tiny"))


def counselling(calc, **changes):
    return Assumptions.defaults(calc.dataset, service="beratung", year=2025, **changes)


def test_budget_periods_from_dataset_toml():
    assert load_dataset("dresden").settings.budget.start == 2023
    assert load_dataset("dresden").settings.budget.period_years == 2
    base = {"dataset": {"id": "x", "title": "X", "base_year": 2025}, "services": {"s": {"ratios": {"2025": 1}}}}
    assert parse_settings(base).budget.start is None  # default: periods start with the plan's first year
    with pytest.raises(DataError) as err:
        parse_settings({**base, "budget": {"start": "2023", "period_years": 0}})
    assert [p.column for p in err.value.problems] == ["budget.start", "budget.period_years"]


def test_rising_money_limit_is_one_amount_per_year():
    request = PlanRequest(2025, 2028, budget_eur=1_000_000, budget_step_eur=1_000_000)
    assert request.budgets() == (1e6, 2e6, 3e6, 4e6)
    assert request.limits().budget_eur == (1e6, 2e6, 3e6, 4e6)
    assert PlanRequest(2025, 2028, budget_eur=5e5).limits().budget_eur == 5e5
    assert PlanRequest.from_dict(request.to_dict()) == request


def test_request_checks_name_the_problem(tiny_calc):
    a = counselling(tiny_calc)
    with pytest.raises(PlanRequestError) as err:
        check_request(tiny_calc.dataset, a, PlanRequest(2025, 2030))
    assert err.value.text("en") == "the years 2025–2030 are not in the dataset (2025–2026) or in the wrong order"
    with pytest.raises(PlanRequestError, match="one service"):
        check_request(tiny_calc.dataset, Assumptions.defaults(tiny_calc.dataset, service="all"), PlanRequest(2025, 2026))


# Tiny, Beratung, 60+: Soll / Ist 2025  A 1.5/1  B 2.5/3  C 0.5/0 ;  2026  A 1.65/1  B 2.5/1.5  C 0.6/0.
# Hires 1 post a year in steps of 0.25, largest shortfall first, ties to the lower id:
# 2025: A .5 = C .5 → A (.25), C .5 → C (.25), A .25 = C .25 → A, C          → A +0.5, C +0.5
# 2026: remaining A .15, B 1, C .1 → B 1, .75, .5, .25                        → B +1
def test_tiny_plan_by_hand_and_as_planned_changes(tiny_calc):
    a = counselling(tiny_calc)
    plan = plan_for(tiny_calc, a, PlanRequest(2025, 2026, hires_fte=1.0))
    assert {x.district_id: x.added_fte for x in plan.areas} == {"A": (0.5, 0.0), "B": (0.0, 1.0), "C": (0.5, 0.0)}
    assert [f.added_cost_eur for f in plan.figures] == [75_000, 150_000]
    changes = plan_changes(plan, tiny_calc.dataset, a, "Plan")
    assert [(c.district_id, c.year_from, c.delta_fte, c.note) for c in changes] == [
        ("A", 2025, 0.5, "Plan"), ("C", 2025, 0.5, "Plan"), ("B", 2026, 1.0, "Plan")]
    # taken as a scenario, its figures are the plan's: the gross gap 2026 is A .15 + C .1
    adopted = with_plan(plan, tiny_calc.dataset, a)
    assert tiny_calc.compute(adopted, 2026).summary.gross_gap_fte == pytest.approx(0.25)
    assert plan.figures[-1].gross_gap_fte == pytest.approx(0.25)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rule=st.sampled_from(["shortfall", "equalise"]), level=st.sampled_from(["ortsteil", "bezirk"]),
       hires=st.one_of(st.none(), st.sampled_from([0.25, 0.5, 1.0, 2.0])),
       budget=st.one_of(st.none(), st.sampled_from([0.0, 40_000.0, 100_000.0, 200_000.0])),
       step=st.sampled_from([0.1, 0.25, 0.5]))
def test_posts_are_conserved_when_a_plan_becomes_a_scenario(tiny_calc, rule, level, hires, budget, step):
    a = counselling(tiny_calc, level=level)
    request = PlanRequest(2025, 2026, rule, budget, 0.0, hires, step)
    inputs = plan_inputs(tiny_calc, a, request)
    plan = plan_for(tiny_calc, a, request)
    adopted = with_plan(plan, tiny_calc.dataset, a)
    added = np.array([x.added_fte for x in plan.areas]).cumsum(axis=1)
    for i, year in enumerate(plan.years):
        table = tiny_calc.compute(adopted, year).table
        expected = dict(zip(inputs.area_ids, inputs.ist[:, i] + added[:, i]))  # inputs and plan.areas sort by id
        assert table["ist_fte"].to_dict() == pytest.approx(expected)
        assert table["gap_fte"].clip(lower=0).sum() == pytest.approx(plan.figures[i].gross_gap_fte)
        # never over a limit, never a post where no shortfall was left
        assert plan.figures[i].added_fte <= (hires if hires is not None else np.inf) + 1e-9
        assert plan.figures[i].added_cost_eur <= (budget if budget is not None else np.inf) + 1e-6


def test_coarse_level_books_posts_to_the_units_first_district(tiny_calc):
    a = counselling(tiny_calc, level="bezirk")
    plan = plan_for(tiny_calc, a, PlanRequest(2025, 2026))
    assert {c.district_id for c in plan_changes(plan, tiny_calc.dataset, a)} <= {"A", "C"}  # Nord → A, Süd → C


def test_plan_texts_say_it_is_a_proposal_and_list_rule_limits_assumptions(tiny_calc):
    a = counselling(tiny_calc)
    request = PlanRequest(2025, 2026, budget_eur=100_000, hires_fte=1.0)
    lines = plan_lines(tiny_calc, a, request, plan_for(tiny_calc, a, request), "en")
    assert lines["proposal"].startswith("A proposal computed by the stated rules")
    assert lines["rule"].startswith("Rule: Largest shortfall first")
    assert lines["limits"] == "Limits: at most €100,000 a year for the added posts; at most 1.00 new posts a year; step 0.25 posts."
    assert "2025: 1 : 2,000" in lines["assumptions"] and "2027: 1 : 1,000" in lines["assumptions"]
    assert "All figures are invented." in lines["inputs"]


def run_cli(capsys, *args):
    code = main(["plan", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_plan_command_json_has_the_published_shape(capsys):
    code, out, err = run_cli(capsys, TINY, "--service", "beratung", "--from", "2025", "--to", "2026", "--hires", "1",
                             "--format", "json", "--verbose", "--lang", "en")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["years", "areas", "periods", "target_reached_year", "net_target_reached_year", "rule",
                          "limits"]
    assert list(data["years"][0]) == ["year", "added_fte", "cumulative_added_fte", "added_cost_eur",
                                      "total_cost_eur", "gross_gap_fte", "net_gap_fte", "coverage"]
    assert data["years"][1]["cumulative_added_fte"] == 2.0 and data["years"][1]["added_cost_eur"] == 150000.0
    assert data["areas"] == [{"district_id": "A", "name": "Altdorf", "year": 2025, "added_fte": 0.5},
                             {"district_id": "C", "name": "Cunnersdorf", "year": 2025, "added_fte": 0.5},
                             {"district_id": "B", "name": "Bergheim", "year": 2026, "added_fte": 1.0}]
    assert data["periods"] == [{"label": "2025/26", "years": [2025, 2026], "added_cost_eur": 225000.0}]
    assert data["rule"] == "shortfall" and data["limits"] == {"budget_eur": None, "hires_fte": 1.0, "step_fte": 0.25}
    assert err.startswith("Plan for 3 areas × 2 years: inputs ")


def test_plan_command_csv_and_rising_budget(capsys):
    code, out, _ = run_cli(capsys, TINY, "--service", "beratung", "--from", "2025", "--to", "2026",
                           "--budget-eur", "37500", "--budget-step-eur", "37500", "--format", "csv")
    assert code == 0
    rows = out.splitlines()
    assert rows[0].startswith("level,year,period,district_id,name,added_fte,cumulative_added_fte,added_cost_eur")
    # 0.5 post fits 37,500 EUR in 2025, 1 post 75,000 EUR in 2026
    assert rows[1].startswith("city,2025,2025/26,,,0.5,0.5,37500.0,")
    assert rows[2].startswith("city,2026,2025/26,,,0.5,1.0,75000.0,")


def test_plan_command_refuses_what_does_not_fit(capsys):
    code, _, err = run_cli(capsys, TINY, "--service", "all", "--lang", "de")
    assert code == 2
    assert err.strip() == t("command.error", "de", message=t("planning.error.plan_one_service", "de", all="all"))


def test_handout_has_a_plan_page_with_the_period_amounts(tiny_calc):
    from dashboard.exports.context import ExportContext
    from dashboard.exports.handout import handout_html

    a = counselling(tiny_calc)
    request = PlanRequest(2025, 2026, hires_fte=1.0)
    ctx = ExportContext(tiny_calc.dataset, tiny_calc, a, lang="de")
    html = handout_html(ctx, b"png", plan=(request, plan_for(tiny_calc, a, request)))
    page = html[html.index('<section class="plan-page">'):]
    assert "<h2>Maßnahmenplan und Haushalt</h2>" in page
    assert "<td class=\"name\">2025/26</td><td>2025, 2026</td><td>225.000\xa0€</td><td>225.000\xa0€</td>" in page
    assert "Ein Vorschlag, berechnet nach den genannten Regeln" in page
    assert '<section class="plan-page">' not in handout_html(ctx, b"png")


def test_plan_command_writes_the_handout_with_its_plan_page(capsys, tmp_path):
    from dashboard.exports.handout import page_count
    from tests.test_exports import pdf_text, require_chromium

    require_chromium()
    out = tmp_path / "plan.pdf"
    code, _, _ = run_cli(capsys, TINY, "--service", "beratung", "--from", "2025", "--to", "2026", "--hires", "1",
                         "--handout", str(out), "--lang", "en")
    assert code == 0
    pdf = out.read_bytes()
    assert page_count(pdf) == 3
    text = pdf_text(pdf, tmp_path)
    assert "Measures plan and budget" in text and "2025/26" in text and "€225,000" in text
