"""Helpers for the browser tests: page loading, Dash readiness, console log and screenshots.

All of them take the WebDriver from the `chrome` fixture (see conftest.py).
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any, Callable, Iterable

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
FIXTURES = REPO / "tests" / "fixtures"
ARTIFACTS = REPO / "tests" / "artifacts"

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

# Browser log entries read so far for each driver, since its last `open_page`.
# `get_log("browser")` empties Chromium's buffer, so entries are kept here to
# let `console_errors` be called more than once.
_LOGS: dict[int, list[dict]] = {}


class BrowserTimeout(AssertionError):
    """A condition in the browser did not hold in time."""


def wait_until(predicate: Callable[[], Any], timeout: float = 30,
               message: str | Callable[[], str] = "condition", poll: float = 0.1) -> Any:
    """Call `predicate` until it returns something truthy, and return that.

    WebDriver errors (element missing or stale, script failing while the page changes) count as
    "not yet". Raises `BrowserTimeout` with `message` and the last value or error after `timeout`
    seconds; a callable `message` is called then, so it can describe the state at that time.
    """
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        try:
            value = predicate()
            if value:
                return value
            last = value
        except WebDriverException as exc:
            last = f"{type(exc).__name__}: {exc.msg or exc}"
        if time.monotonic() >= deadline:
            if callable(message):
                try:
                    message = message()
                except WebDriverException as exc:
                    message = f"condition ({type(exc).__name__} describing it: {exc.msg})"
            raise BrowserTimeout(f"timed out after {timeout:g} s waiting for {message} (last: {last!r})")
        time.sleep(poll)


def _drain_log(chrome) -> list[dict]:
    entries = _LOGS.setdefault(id(chrome), [])
    entries.extend(chrome.get_log("browser"))
    return entries


def browser_log(chrome) -> list[dict]:
    """All browser console entries since the last `open_page`."""
    return list(_drain_log(chrome))


def _is_favicon_404(entry: dict) -> bool:
    message = entry.get("message", "").lower()
    return "favicon" in message and "404" in message


def console_errors(chrome, ignore: Iterable[str] = ()) -> list[dict]:
    """SEVERE browser console entries since the last `open_page`, except a missing favicon.

    `ignore` holds regular expressions; entries whose message matches one are left out.
    """
    patterns = [re.compile(p) for p in ignore]
    return [e for e in browser_log(chrome)
            if e.get("level") == "SEVERE" and not _is_favicon_404(e)
            and not any(p.search(e.get("message", "")) for p in patterns)]


def format_log(entries: list[dict]) -> str:
    return "\n".join(f"[{e.get('level')}] {e.get('message')}" for e in entries) or "(none)"


def screenshot(chrome, name: str) -> Path:
    """Save a PNG of the browser window as tests/artifacts/<name>.png and return its path."""
    stem = re.sub(r"[^\w.-]+", "_", name.removesuffix(".png")).strip("_") or "screenshot"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{stem}.png"
    if not chrome.save_screenshot(str(path)):
        raise AssertionError(f"could not save screenshot {path}")
    return path


def _body_text(chrome, limit: int = 2000) -> str:
    try:
        return chrome.find_element(By.TAG_NAME, "body").text[:limit]
    except WebDriverException as exc:
        return f"(no body: {exc.msg})"


def open_page(chrome, url: str, wait_for_css: str, timeout: float = 30) -> None:
    """Load `url` and wait until an element matching `wait_for_css` is in the page.

    Console entries left from earlier pages are dropped first, so `console_errors` afterwards
    reports this page only. On timeout a screenshot `open_page-failure.png` is saved and the
    error shows the page text and console log.
    """
    _drain_log(chrome)
    _LOGS[id(chrome)] = []
    chrome.get(url)
    try:
        wait_until(lambda: chrome.find_elements(By.CSS_SELECTOR, wait_for_css), timeout,
                   f"{wait_for_css!r} on {url}")
    except BrowserTimeout as exc:
        try:
            shot = screenshot(chrome, "open_page-failure")
        except WebDriverException:
            shot = None
        raise BrowserTimeout(f"{exc}\nscreenshot: {shot}\npage text:\n{_body_text(chrome)}\n"
                             f"console:\n{format_log(browser_log(chrome))}") from None


# Dash state as the renderer exposes it: the page is ready once the layout is rendered into
# #react-entry-point (inside #_dash-app-content when dev tools are on), no loading placeholder or callback spinner is shown and the redux store holds no pending or
# running callback. Returns true, or a short reason why not.
_DASH_STATE_JS = """
if (document.readyState !== 'complete') return 'document ' + document.readyState;
var entry = document.getElementById('react-entry-point');
if (!entry) return 'no #react-entry-point';
if (document.querySelector('._dash-loading')) return 'layout loading';
if (!entry.firstElementChild) return 'layout not rendered';
if (document.querySelector('._dash-loading-callback')) return 'callbacks running';
var store = window.store;
if (!store || !store.getState) return true;
var state = store.getState();
if (state.appLifecycle && state.appLifecycle !== 'HYDRATED') return 'lifecycle ' + state.appLifecycle;
if (state.isLoading) return 'isLoading';
if (state.pendingCallbacks && state.pendingCallbacks.length) return 'pending callbacks';
var callbacks = Object.assign({}, state.callbacks || {});
delete callbacks.stored;
delete callbacks.completed;
var open = 0;
Object.keys(callbacks).forEach(function (k) {
    if (Array.isArray(callbacks[k])) open += callbacks[k].length;
});
if (open) return open + ' callbacks pending';
return true;
"""


def dash_state(chrome) -> Any:
    """True when Dash is idle, else a short reason (see `_DASH_STATE_JS`)."""
    return chrome.execute_script(_DASH_STATE_JS)


def dash_ready(chrome, timeout: float = 30, settle: float = 0.3) -> None:
    """Wait until Dash has rendered the layout and no callback is pending or running.

    The idle state must hold for `settle` seconds, so callbacks that fire right after the first
    render (or chain into further callbacks) are waited for too.
    """
    deadline = time.monotonic() + timeout
    idle_since: float | None = None
    last: Any = None
    while True:
        try:
            last = dash_state(chrome)
        except WebDriverException as exc:
            last = f"{type(exc).__name__}: {exc.msg or exc}"
        now = time.monotonic()
        if last is True:
            idle_since = idle_since if idle_since is not None else now
            if now - idle_since >= settle:
                return
        else:
            idle_since = None
        if now >= deadline:
            raise BrowserTimeout(f"Dash not ready after {timeout:g} s (last state: {last!r})\n"
                                 f"page text:\n{_body_text(chrome)}\n"
                                 f"console:\n{format_log(browser_log(chrome))}")
        time.sleep(0.1)


def page_text(chrome) -> str:
    """The visible text of the page body."""
    return chrome.find_element(By.TAG_NAME, "body").text


def click(chrome, element) -> None:
    """Scroll an element to the middle of the window and click it, as a person would; if a sticky
    header or a fading overlay is over it for a moment, the click goes to the element directly."""
    from selenium.common.exceptions import ElementClickInterceptedException

    chrome.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    try:
        element.click()
    except ElementClickInterceptedException:
        chrome.execute_script("arguments[0].click();", element)


# The live map (layouts/mapview): read through the hooks its container documents — `areaMap` (the
# MapLibre map, public API only), `areaIds`, `areaPaint`, `data-geometry`, `data-areas`.
MAP_READY_CSS = "#map[data-areas]"  # the map has drawn the areas of its geometry


def map_area_count(chrome) -> int:
    """Number of distinct areas the map has drawn from its current geometry (0 before)."""
    value = chrome.execute_script("var e = document.getElementById('map'); return e && e.getAttribute('data-areas');")
    return int(value or 0)


def map_drawn_indices(chrome) -> list[int] | None:
    """Indices `i` of the areas in the map's tiles, sorted (None before the geometry is there)."""
    return chrome.execute_script("""
        var e = document.getElementById('map'), m = e && e.areaMap;
        if (!m || !m.getSource('areas') || !m.isSourceLoaded('areas')) return null;
        var ids = new Set();
        m.querySourceFeatures('areas').forEach(function (f) { ids.add(f.properties.i); });
        return Array.from(ids).sort(function (a, b) { return a - b; });""")


def map_area_ids(chrome) -> list[str] | None:
    return chrome.execute_script("var e = document.getElementById('map'); return e && e.areaIds || null;")


def map_geometry_url(chrome) -> str | None:
    return chrome.find_element("id", "map").get_attribute("data-geometry")


def map_paint(chrome) -> dict | None:
    """The paint (`codes`, `palette`, `version`) the map last applied."""
    return chrome.execute_script("var e = document.getElementById('map'); return e && e.areaPaint || null;")


def map_fill_colours(chrome) -> list:
    """The colour MapLibre holds for each area (feature-state `c`), in the level's order."""
    return chrome.execute_script("""
        var e = document.getElementById('map'), m = e.areaMap;
        return e.areaPaint.codes.map(function (_, i) {
            return (m.getFeatureState({source: 'areas', id: i}) || {}).c || null; });""")


def map_offset(chrome, lon: float, lat: float) -> tuple[int, int]:
    """Pixel offset of a point from the centre of the map's canvas (for ActionChains offsets)."""
    x, y = chrome.execute_script("""
        var m = document.getElementById('map').areaMap, p = m.project([arguments[0], arguments[1]]);
        var r = m.getCanvas().getBoundingClientRect();
        return [p.x - r.width / 2, p.y - r.height / 2];""", lon, lat)
    return int(x), int(y)


def map_tooltip(chrome) -> str:
    """The text of the map's tooltip, one line per row ('' while hidden)."""
    return chrome.execute_script("var t = document.querySelector('#map .caregap-areamap-tip');"
                                 "return t && !t.hidden ? t.innerText : '';")


def grid_column(chrome, column: str, grid: str = "table") -> list[str]:
    """The texts of one column of the rows an AG Grid shows, in row order (pinned columns included)."""
    return chrome.execute_script("""
        var cells = Array.from(document.querySelectorAll('#' + arguments[0] + ' .ag-row[row-index] [col-id="' + arguments[1] + '"]'));
        var index = function (c) { return Number(c.closest('[row-index]').getAttribute('row-index')); };
        cells.sort(function (a, b) { return index(a) - index(b); });
        return cells.map(function (c) { return c.textContent.trim(); });""", grid, column)
