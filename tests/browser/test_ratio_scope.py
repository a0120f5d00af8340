"""A changed target ratio says which years it holds in ("nur dieses Jahr", "ab diesem Jahr", "alle
Jahre"), the ramp that results is written beside the slider, and the milestone years beneath the
slider stay legible."""

from __future__ import annotations

from dataclasses import replace

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.mapping import colour_codes, colour_spec
from dashboard.ratios import ramp_text
from dashboard.scenario import Assumptions

from .helpers import MAP_READY_CSS, click, dash_ready, map_paint, open_page, screenshot, wait_until
# dresden, server: fixtures (the Dresden dataset and its server)
from .test_dashboard import dresden, server, update_requests  # noqa: F401

SLIDER = '[id*="ratio-slider"][id*="beratung"]'


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


def _scope_chosen(chrome) -> str:
    checked = chrome.find_element(By.CSS_SELECTOR, '[id*="ratio-scope"][id*="beratung"] input:checked')
    return checked.get_attribute("value")


def _set_ratio_300(chrome) -> None:
    thumb = chrome.find_element(By.CSS_SELECTOR, f"{SLIDER} [role='slider']")
    thumb.send_keys(Keys.HOME)  # the slider's minimum: 100 residents per post
    thumb.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)  # two steps of 100 → 300
    wait_until(lambda: _ratio_shown(chrome) == "300", 10, "ratio 300")


def _year_to(chrome, start: int, year: int) -> None:
    thumb = chrome.find_element(By.CSS_SELECTOR, "#year [role='slider']")
    thumb.send_keys(*([Keys.ARROW_RIGHT if year > start else Keys.ARROW_LEFT] * abs(year - start)))
    wait_until(lambda: thumb.get_attribute("aria-valuenow") == str(year), 10, f"year {year}")


def _expected_ramp(dresden, a) -> str:
    dataset, calc = dresden
    return ramp_text(calc.ratio_ramp(a, "beratung"), "de")


def _link_has(chrome, text: str) -> bool:
    """Whether the address holds `text` as the link writes it (`@` and `,` as they are, `+` escaped)."""
    return text.replace("+", "%2B") in chrome.current_url


def _painted_as(chrome, calc, a) -> bool:
    codes, _ = colour_codes(colour_spec(calc.compute(a).table, "coverage", "de"))
    return (map_paint(chrome) or {}).get("codes") == codes


def test_only_this_year_and_from_this_year_on(chrome, server, dresden, laptop):
    dataset, calc = dresden
    _load(chrome, server + "/?year=2026")
    plan = Assumptions.defaults(dataset, year=2026)
    assert _ramp(chrome) == _expected_ramp(dresden, plan) == "2023 1 : 5.900 · 2024 1 : 4.200 · 2026 1 : 2.500"
    # 1 : 300 in 2026 alone
    _choose_scope(chrome, "only")
    _set_ratio_300(chrome)
    only = plan.with_ratio("beratung", 300, "only", 2026)
    wait_until(lambda: _link_has(chrome, "r.beratung=300@2026"), 10, lambda: f"the scope in {chrome.current_url}")
    assert _ramp(chrome) == _expected_ramp(dresden, only) == \
        "2023 1 : 5.900 · 2024 1 : 4.200 · 2026* 1 : 300 · 2027 1 : 2.500"
    # in 2030 the slider shows the dataset's ratio again, and the map the figures with it
    _year_to(chrome, 2026, 2030)
    assert calc.ratio(plan, "beratung", 2030) == 2500
    wait_until(lambda: _ratio_shown(chrome) == "2500", 10, lambda: f"the plan's 2030 ratio, shows {_ratio_shown(chrome)}")
    wait_until(lambda: _painted_as(chrome, calc, replace(only, year=2030)), 15, "the map with the plan's 2030 ratio")
    # back in 2026 the choice shows the scope of the value set there; from this year on: 2030 keeps 1 : 300
    _year_to(chrome, 2030, 2026)
    wait_until(lambda: _ratio_shown(chrome) == "300", 10, lambda: f"2026's 300 again, shows {_ratio_shown(chrome)}")
    assert _scope_chosen(chrome) == "only"
    _choose_scope(chrome, "from")
    since = plan.with_ratio("beratung", 300, "from", 2026)
    wait_until(lambda: _ramp(chrome) == _expected_ramp(dresden, since) == "2023 1 : 5.900 · 2024 1 : 4.200 · 2026* 1 : 300",
               10, lambda: f"the ramp from 2026 on, shows {_ramp(chrome)!r}")
    wait_until(lambda: _link_has(chrome, "r.beratung=300@2026+"), 10, lambda: f"the scope in {chrome.current_url}")
    _year_to(chrome, 2026, 2030)
    wait_until(lambda: _ratio_shown(chrome) == "300", 10, lambda: f"300 from 2026 on, shows {_ratio_shown(chrome)}")
    assert _scope_chosen(chrome) == "from"
    wait_until(lambda: _painted_as(chrome, calc, replace(since, year=2030)), 15, "the map with 1 : 300")
    screenshot(chrome, "ratio-scope")


def test_a_link_with_scopes_reopens_them(chrome, server, dresden):
    dataset, _ = dresden
    _load(chrome, server + "/?year=2030&r.beratung=3000@2025,2000@2028%2B")
    assert _ratio_shown(chrome) == "2000"
    assert _scope_chosen(chrome) == "from"
    assert _ramp(chrome) == "2023 1 : 5.900 · 2024 1 : 4.200 · 2025* 1 : 3.000 · 2026 1 : 2.500 · 2028* 1 : 2.000"
    # 2030's value (2000, from 2028 on) for 2030 alone: 2028 and 2029 return to the plan
    _choose_scope(chrome, "only")
    both = Assumptions.defaults(dataset, year=2030).with_ratio("beratung", 3000, "only", 2025) \
        .with_ratio("beratung", 2000, "only", 2030)
    expected = "2023 1 : 5.900 · 2024 1 : 4.200 · 2025* 1 : 3.000 · 2026 1 : 2.500 · 2030* 1 : 2.000 · 2031 1 : 2.500"
    wait_until(lambda: _ramp(chrome) == _expected_ramp(dresden, both) == expected, 10,
               lambda: f"the ramp with 2030 alone, shows {_ramp(chrome)!r}")
    wait_until(lambda: _link_has(chrome, "r.beratung=3000@2025,2000@2030"), 10,
               lambda: f"both in {chrome.current_url}")


def test_the_scope_and_the_ramp_cost_no_request_of_their_own(chrome, server):
    _load(chrome, server + "/?year=2026")
    click(chrome, chrome.find_elements(By.CSS_SELECTOR, "#tabs .nav-link")[2])  # table hidden: no block to ask for
    dash_ready(chrome)
    chrome.execute_script("performance.clearResourceTimings();")
    _choose_scope(chrome, "from")  # nothing set yet: only how the next move applies
    dash_ready(chrome)
    assert update_requests(chrome) == 0
    thumb = chrome.find_element(By.CSS_SELECTOR, f"{SLIDER} [role='slider']")
    thumb.send_keys(Keys.ARROW_RIGHT)  # 2,500 → 2,600 from 2026 on: the ramp follows in the browser
    wait_until(lambda: _ramp(chrome).endswith("2026* 1 : 2.600"), 10, lambda: f"the ramp, shows {_ramp(chrome)!r}")
    wait_until(lambda: _link_has(chrome, "r.beratung=2600@2026+"), 10, lambda: f"the scope in {chrome.current_url}")
    dash_ready(chrome)
    assert update_requests(chrome) == 1  # the key press's one request


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
