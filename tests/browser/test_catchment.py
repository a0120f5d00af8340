"""The default Dresden map counts posts in their Stadtraum: areas a site serves are no longer at 0 %."""

from dataclasses import replace

import pytest

from dashboard.dataset import load_dataset
from dashboard.mapping import coverage_class
from dashboard.scenario import Assumptions, Calculator

from .helpers import MAP_READY_CSS, dash_ready, map_fill_colours, map_paint, open_page, wait_until


@pytest.fixture(scope="module")
def dresden():
    dataset = load_dataset("dresden")
    return dataset, Calculator(dataset)


def test_areas_served_from_their_stadtraum_are_painted_by_reachable_posts(chrome, live_server, dresden):
    dataset, calc = dresden
    a = Assumptions.defaults(dataset)
    shown = calc.compute(a).table
    own = calc.compute(replace(a, catchment="own")).table
    classes = coverage_class(shown["coverage"]).tolist()
    # Prohlis-Nord (71) has no site of its own but is served from its Stadtraum "Prohlis, Reick"
    row = dataset.district_order.index("71")
    assert own.at["71", "ist_fte"] == 0 and shown.at["71", "ist_fte"] > 0
    assert coverage_class(own["coverage"]).tolist()[row] == 0  # counted in its own area: under 50 % (0 %)
    assert classes[row] == 2  # 75–90 % in 2025 (1 : 4,200): 1.55 posts shared by the Stadtraum's residents

    open_page(chrome, live_server("dresden") + "/", MAP_READY_CSS)
    dash_ready(chrome)
    wait_until(lambda: (p := map_paint(chrome)) and p["codes"] == classes, 30, "the core's coverage classes")
    paint = map_paint(chrome)
    assert paint["codes"][row] == 2
    assert map_fill_colours(chrome)[row] == paint["palette"][2]  # what MapLibre draws for Prohlis-Nord
    # every area some site serves shows its reachable posts, none of them at 0 %
    served = [dataset.district_order.index(d) for d in shown.index[shown["ist_fte"] > 0]]
    assert all(shown["coverage"].iloc[i] > 0 for i in served)
    assert sum(1 for d in own.index if own.at[d, "ist_fte"] == 0 and shown.at[d, "ist_fte"] > 0) == 26


def test_provider_tab_shows_its_table_when_opened(chrome, live_server, dresden):
    from selenium.webdriver.common.by import By

    from .helpers import click

    from tests.conftest import FIXTURES

    # the tiny dataset's sites name two providers (Dresden's only one: there the tab is not offered)
    open_page(chrome, live_server(FIXTURES / "tiny") + "/", MAP_READY_CSS)
    dash_ready(chrome)
    tab = next(e for e in chrome.find_elements(By.CSS_SELECTOR, "#tabs .nav-link") if e.text.strip() == "Träger")
    click(chrome, tab)
    wait_until(lambda: "Planungsbereiche" in chrome.find_element(By.ID, "providers-table").text, 20,
               "the provider table after opening its tab")
