"""A planner sets a budget, sees the plan, takes it as a scenario and reopens that scenario by its link."""

import re

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.dataset import load_dataset
from dashboard.formatting import fmt_fte
from dashboard.planning.request import PlanRequest, plan_for, with_plan
from dashboard.scenario import Assumptions, Calculator

from .helpers import MAP_READY_CSS, click, console_errors, dash_ready, format_log, open_page, screenshot, wait_until
from .test_scenarios import tab

BUDGET = 500_000


def fill(chrome, component_id, value):
    box = chrome.find_element(By.ID, component_id)
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(str(value))


def test_budget_plan_scenario_link(chrome, live_server):
    server = live_server("dresden")
    dataset = load_dataset("dresden")
    calc = Calculator(dataset)
    assumptions = Assumptions.defaults(dataset, service="beratung", year=2025)
    request = PlanRequest(2025, 2030, budget_eur=BUDGET, hires_fte=4.0)
    plan = plan_for(calc, assumptions, request)

    open_page(chrome, server + "/?service=beratung", MAP_READY_CSS)
    dash_ready(chrome)
    tab(chrome, "Maßnahmenplan")
    fill(chrome, "plan-last", 2030)
    fill(chrome, "plan-budget", BUDGET)
    fill(chrome, "plan-hires", 4)
    click(chrome, chrome.find_element(By.ID, "plan-compute"))
    wait_until(lambda: chrome.find_elements(By.ID, "plan-periods-table"), 30, "the plan's budget periods")
    dash_ready(chrome)
    # 500,000 EUR at 75,000 EUR a post: 6.5 posts in steps of 0.25 at most, 4 in the first year
    years = chrome.find_element(By.ID, "plan-years-table").text
    assert f"2025 2025/26 {fmt_fte(plan.figures[0].added_fte, 'de')}" in years
    assert plan.figures[0].added_fte == 4.0 and plan.figures[-1].cumulative_added_fte == 6.5
    assert "Grenzen: höchstens 500.000 € im Jahr" in chrome.find_element(By.ID, "plan-result").text
    assert chrome.find_elements(By.CSS_SELECTOR, "#plan-chart .main-svg")
    screenshot(chrome, "plan")

    click(chrome, chrome.find_element(By.ID, "plan-adopt"))
    wait_until(lambda: "Maßnahmenplan 2025–2030" in chrome.find_element(By.ID, "scenario-title").text, 30,
               "the plan opened as a scenario")
    dash_ready(chrome)
    scenario_id = re.search(r"scenario=([0-9a-f]+)", chrome.current_url).group(1)
    expected = calc.compute(with_plan(plan, dataset, assumptions), 2025).summary

    # reopened by its link, as a colleague would: the plan's posts are its planned changes
    open_page(chrome, server + f"/?scenario={scenario_id}", MAP_READY_CSS)
    dash_ready(chrome)
    assert chrome.find_element(By.ID, "summary-ist").text == fmt_fte(expected.ist_fte, "de")
    tab(chrome, "Geplante Änderungen")
    changes = chrome.find_element(By.ID, "changes-list").text
    assert changes.count("Entfernen") == len(list(plan.additions()))
    errors = console_errors(chrome)
    assert not errors, format_log(errors)
