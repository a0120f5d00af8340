"""A changed target ratio says which years it holds in ("nur dieses Jahr", "ab diesem Jahr", "alle
Jahre"), the ramp that results is written beside the slider, and the milestone years beneath the
slider stay legible."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.dataset import load_dataset
from dashboard.mapping import colour_codes, colour_spec
from dashboard.ratios import ramp_text
from dashboard.scenario import Assumptions, Calculator

from .helpers import MAP_READY_CSS, dash_ready, map_paint, open_page, screenshot, wait_until

SLIDER = '[id*="ratio-slider"][id*="beratung"]'


@pytest.fixture(scope="module")
def dresden():
    dataset = load_dataset("dresden")
    return dataset, Calculator(dataset)


@pytest.fixture(scope="module")
def server(live_server):
    return live_server("dresden")


@pytest.fixture
def laptop(chrome):
    chrome.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1280, "height": 720, "deviceScaleFactor": 1, "mobile": False})
    yield
    chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _load(chrome, url):
    open_page(chrome, url, MAP_READY_CSS, timeout=60)
    dash_ready(chrome, 60)


def _ratio_shown(chrome) -> str:
    return chrome.find_element(By.CSS_SELECTOR, f"{SLIDER} [role='slider']").get_attribute("aria-valuenow")


def _ramp(chrome) -> str:
    return chrome.find_element(By.CSS_SELECTOR, '[id*="ratio-ramp"][id*="beratung"]').text


def _choose_scope(chrome, scope: str) -> None:
    radio = chrome.find_element(By.CSS_SELECTOR, f'[id*="ratio-scope"][id*="beratung"] input[value="{scope}"]')
    radio.send_keys(Keys.SPACE)  # chosen from the keyboard
    wait_until(radio.is_selected, 5, f"scope {scope} chosen")


def _set_ratio_300(chrome) -> None:
    thumb = chrome.find_element(By.CSS_SELECTOR, f"{SLIDER} [role='slider']")
    thumb.send_keys(Keys.HOME)  # the slider's minimum: 100 residents per post
    thumb.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)  # two steps of 100 → 300
    wait_until(lambda: _ratio_shown(chrome) == "300", 10, "ratio 300")


def _year_to(chrome, start: int, year: int) -> None:
    thumb = chrome.find_element(By.CSS_SELECTOR, "#year [role='slider']")
    thumb.send_keys(*([Keys.ARROW_RIGHT] * (year - start)))
    wait_until(lambda: thumb.get_attribute("aria-valuenow") == str(year), 10, f"year {year}")


def _expected_ramp(dresden, a) -> str:
    dataset, calc = dresden
    return ramp_text(calc.ratio_ramp(a, "beratung"), "de")


def test_only_this_year_and_from_this_year_on(chrome, server, dresden, laptop):
    dataset, calc = dresden
    _load(chrome, server + "/?year=2026")
    base = Assumptions.defaults(dataset, year=2026)
    assert _ramp(chrome) == _expected_ramp(dresden, base) == "2023 1 : 5.900 · 2024 1 : 4.200 · 2026 1 : 2.500"
    # 1 : 300 in 2026 alone
    _choose_scope(chrome, "only")
    _set_ratio_300(chrome)
    only = base.with_ratio("beratung", 300, "only", 2026)
    wait_until(lambda: "r.beratung=300%402026" in chrome.current_url or "r.beratung=300@2026" in chrome.current_url,
               10, lambda: f"the link names the scope, is {chrome.current_url}")
    assert _ramp(chrome) == _expected_ramp(dresden, only) == \
        "2023 1 : 5.900 · 2024 1 : 4.200 · 2026* 1 : 300 · 2027 1 : 2.500"
    # in 2030 the slider shows the dataset's ratio again, and the figures are the dataset's
    _year_to(chrome, 2026, 2030)
    plan_2030 = calc.ratio(Assumptions.defaults(dataset, year=2030), "beratung")
    assert plan_2030 == 2500
    wait_until(lambda: _ratio_shown(chrome) == "2500", 10, lambda: f"the plan's 2030 ratio, shows {_ratio_shown(chrome)}")
    expected = calc.compute(Assumptions.defaults(dataset, year=2030).with_ratio("beratung", 300, "only", 2026))
    codes, _ = colour_codes(colour_spec(expected.table, "coverage", "de"))
    wait_until(lambda: (map_paint(chrome) or {}).get("codes") == codes, 15, "the map painted with the plan's 2030 ratio")
    # from this year on: the value set keeps its year (2026), so 2030 holds 1 : 300 too
    _choose_scope(chrome, "from")
    wait_until(lambda: _ratio_shown(chrome) == "300", 10, lambda: f"300 from 2026 on, shows {_ratio_shown(chrome)}")
    since = Assumptions.defaults(dataset, year=2030).with_ratio("beratung", 300, "from", 2026)
    assert _ramp(chrome) == _expected_ramp(dresden, since) == "2023 1 : 5.900 · 2024 1 : 4.200 · 2026* 1 : 300"
    wait_until(lambda: "r.beratung=300%402026%2B" in chrome.current_url or "300@2026%2B" in chrome.current_url,
               10, lambda: f"the link names the scope, is {chrome.current_url}")
    codes, _ = colour_codes(colour_spec(calc.compute(since).table, "coverage", "de"))
    wait_until(lambda: (map_paint(chrome) or {}).get("codes") == codes, 15, "the map painted with 1 : 300")
    screenshot(chrome, "ratio-scope")


def test_a_link_with_a_scope_reopens_it(chrome, server, dresden):
    _load(chrome, server + "/?year=2030&r.beratung=2000@2028%2B")
    assert _ratio_shown(chrome) == "2000"
    assert chrome.find_element(By.CSS_SELECTOR, '[id*="ratio-scope"][id*="beratung"] input[value="from"]').is_selected()
    assert _ramp(chrome) == "2023 1 : 5.900 · 2024 1 : 4.200 · 2026 1 : 2.500 · 2028* 1 : 2.000"


_MARKS_JS = """
return Array.from(document.querySelectorAll('[id*="ratio-slider"] .dash-slider-mark'))
  .filter(function (m) { return m.textContent.trim(); })
  .map(function (m) { var r = m.getBoundingClientRect();
    return [m.closest('[id*="ratio-slider"]').id, m.textContent.trim(), r.left, r.right, r.top, r.bottom]; });
"""


def test_milestone_year_marks_do_not_overlap(chrome, server, laptop):
    _load(chrome, server + "/")
    marks = chrome.execute_script(_MARKS_JS)
    assert len(marks) >= 4, marks  # at least two years written under each of Dresden's two sliders
    for i, a in enumerate(marks):
        for b in marks[i + 1:]:
            if a[0] == b[0]:
                apart = a[3] <= b[2] or b[3] <= a[2] or a[5] <= b[4] or b[5] <= a[4]
                assert apart, f"year marks {a[1]} and {b[1]} overlap: {a} {b}"
