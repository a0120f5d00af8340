"""The page renders in headless Chromium with the tiny dataset, without console errors."""

from .helpers import (
    FIXTURES, console_errors, dash_ready, format_log, open_page, page_text, screenshot, wait_until,
)

TINY = FIXTURES / "tiny"


def test_page_renders(chrome, live_server):
    url = live_server(TINY)
    open_page(chrome, url + "/", "#react-entry-point")
    dash_ready(chrome)

    # Dash shows "Updating..." as the title while a callback runs.
    wait_until(lambda: chrome.title == "CareGap", 10, lambda: f"title 'CareGap' (is {chrome.title!r})")
    wait_until(lambda: all(word in page_text(chrome) for word in ("Testdorf", "Altdorf")), 10,
               lambda: f"'Testdorf' and 'Altdorf' on the page, which reads:\n{page_text(chrome)[:2000]}")

    path = screenshot(chrome, "smoke")
    assert path.stat().st_size > 0

    # Anything the page pulls from the internet fails here (no network) and counts as an error too.
    errors = console_errors(chrome)
    assert not errors, "browser console errors:\n" + format_log(errors)
