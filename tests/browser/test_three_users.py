"""What a councillor, a planner and a presenter need of the page: readable contrast, every control
reachable by keyboard in order, the caveats on the first screen, dataset titles in the picker, and a
presentation mode whose map fits the screen and whose shortcuts step the view."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from .helpers import MAP_READY_CSS, dash_ready, open_page, page_text, screenshot, wait_until

SIZES = {"laptop": (1280, 720), "large": (1920, 1080)}
AA = 4.5  # WCAG 2 AA, normal text

# Contrast of every visible button, link, label and tab against the colour behind it (the first opaque
# background up the tree, semi-transparent ones laid over it).
_CONTRAST_JS = """
function rgba(s) { var m = s.match(/[\\d.]+/g) || [0, 0, 0, 0]; return m.map(Number).concat([1]).slice(0, 4); }
function over(top, bottom) { var a = top[3];
  return [0, 1, 2].map(function (i) { return top[i] * a + bottom[i] * (1 - a); }).concat([1]); }
function background(el) { var layers = [];
  for (var e = el; e; e = e.parentElement) { var c = rgba(getComputedStyle(e).backgroundColor);
    if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
  var colour = [255, 255, 255, 1];
  for (var i = layers.length - 1; i >= 0; i--) colour = over(layers[i], colour);
  return colour; }
function lum(c) { return [0, 1, 2].map(function (i) { var v = c[i] / 255;
  return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
  .reduce(function (s, v, i) { return s + v * [0.2126, 0.7152, 0.0722][i]; }, 0); }
var out = [];
document.querySelectorAll('button, a, label, [role=tab], .btn, .caregap-card-label, .caregap-card-help, '
                          + '.caregap-caveats, .caregap-map-caveat, .caregap-footer').forEach(function (el) {
  var r = el.getBoundingClientRect(), style = getComputedStyle(el);
  if (!r.width || !r.height || style.visibility === 'hidden' || !el.innerText.trim() || el.disabled) return;
  if (el.closest('.maplibregl-ctrl-attrib')) return;
  var bg = background(el), fg = over(rgba(style.color), bg);
  var a = lum(fg), b = lum(bg), ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  out.push([el.tagName + '#' + el.id + '.' + String(el.className).slice(0, 40) + ' "' + el.innerText.trim().slice(0, 30) + '"',
            Math.round(ratio * 100) / 100, style.color, 'rgb(' + bg.slice(0, 3).map(Math.round) + ')']);
});
return out;
"""


def _viewport(chrome, width, height):
    chrome.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


@pytest.fixture
def sized(chrome):
    yield lambda size: _viewport(chrome, *SIZES[size])
    chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _open(chrome, url):
    open_page(chrome, url, MAP_READY_CSS, timeout=60)
    dash_ready(chrome, 60)


def test_every_button_and_label_has_aa_contrast(chrome, live_server, sized):
    url = live_server()
    # (page, how many elements at least: the navbar, the controls, the tabs and the footer; fewer when presenting)
    for query, least in (("/", 30), ("/?present=1", 15)):
        sized("laptop")
        _open(chrome, url + query)
        measured = chrome.execute_script(_CONTRAST_JS)
        assert len(measured) >= least, measured
        low = [m for m in measured if m[1] < AA]
        assert not low, f"below {AA} : 1 on {query}:\n" + "\n".join(map(str, low))
        download = [m for m in measured if "Herunterladen" in m[0]]
        assert download and download[0][1] >= AA


_ACTIVE_JS = """var e = document.activeElement;
if (e === document.body) return null;
return (e.closest('#table') ? 'TABLE ' : '') + (e.id || '') + '|' + e.tagName + '|'
       + (e.getAttribute('aria-label') || e.innerText || e.value || '').trim().slice(0, 40);"""

# The element Tab has just focused: marked with the step it was reached at (a second visit shows as the
# mark already there), whether it comes after the element focused before it in the page, and whether it
# draws a focus ring (an outline of at least 2 px while it matches :focus-visible).
_STEP_JS = """var e = document.activeElement, step = arguments[0];
if (!e || e === document.body) return null;
var before = document.querySelector('[data-tab-step="' + (step - 1) + '"]');
var s = getComputedStyle(e), seen = e.getAttribute('data-tab-step');
if (seen === null) e.setAttribute('data-tab-step', step);
return {name: (e.closest('#table') ? 'TABLE ' : '') + (e.id || '') + '|' + e.tagName + '|'
              + (e.getAttribute('aria-label') || e.innerText || e.value || '').trim().slice(0, 40),
        seen: seen, inOrder: !before || !!(before.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING),
        ring: e.matches(':focus-visible') && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2};"""

# every control of the page that must be a Tab stop (outside the grid, whose cells are reached with the
# arrow keys from its header: one stop for the grid, then its pager; a focus target hidden from assistive
# technology hands its focus on to its visible control), not yet visited by the walk
_MISSED_JS = """
return Array.from(document.querySelectorAll('a[href], button, input, select, textarea, [role=slider], [role=tab], canvas[tabindex], [tabindex="0"]'))
  .filter(function (e) { var r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return !e.disabled && e.tabIndex >= 0 && s.visibility !== 'hidden' && r.width > 0 && r.height > 0
      && !e.closest('#table, [hidden], [aria-hidden=true], .tab-pane:not(.active), .modal:not(.show), .offcanvas:not(.show)')
      && !e.hasAttribute('data-tab-step'); })
  .map(function (e) { return e.tagName + '#' + e.id + ' ' + (e.getAttribute('aria-label') || e.innerText || e.value || '').trim().slice(0, 30); });
"""


def _tab_walk(chrome, stop_at_table: bool = False) -> list[str]:
    """The elements Tab visits from the top of the page, until focus leaves the page or (with
    `stop_at_table`) enters the district table. Each stop is reached once, after the one before it in
    the page, and shows a focus ring; focus never stays on one element for two presses."""
    chrome.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);"
                          "document.querySelectorAll('[data-tab-step]').forEach(function (e) {"
                          " e.removeAttribute('data-tab-step'); });")
    # Tab goes on from the last element clicked: start from the app's name, top left, not focusable itself
    ActionChains(chrome).move_to_element(chrome.find_element("css selector", ".navbar-brand")).click().perform()
    visited = []
    for step in range(400):
        ActionChains(chrome).send_keys(Keys.TAB).perform()
        current = chrome.execute_script(_STEP_JS, step)
        if current is None:
            return visited  # past the last stop: focus left the page
        name = current["name"]
        if stop_at_table and name.startswith("TABLE "):
            return visited
        assert current["seen"] is None, f"Tab came back to {name} (first reached at step {current['seen']}) " \
                                        f"after {visited[-5:]}"
        assert current["inOrder"], f"Tab jumped back up the page to {name} after {visited[-3:]}"
        assert current["ring"], f"no visible focus ring on {name}"
        visited.append(name)
    raise AssertionError(f"Tab did not leave the page after 400 presses: {visited[-10:]}")


@pytest.mark.parametrize("size", ["laptop", "large"])
def test_tab_leaves_the_district_table(chrome, live_server, sized, size):
    """Tab reaches the grid once (its header; the cells by the arrow keys), then its pager, then leaves the
    page past the footer: no control is skipped, none is a trap."""
    sized(size)
    _open(chrome, live_server() + "/")
    visited = _tab_walk(chrome)
    table = [v for v in visited if v.startswith("TABLE ")]
    assert table and table[0].endswith("|Gebiet"), table  # the grid's first header cell
    assert [v.split("|")[2] for v in table[1:]] == ["First Page", "Previous Page", "Next Page", "Last Page"], table
    assert visited[-1].startswith("TABLE "), visited[-3:]  # nothing focusable after the grid: the page is left
    missed = chrome.execute_script(_MISSED_JS)
    assert not missed, f"controls Tab never reached: {missed}"
    # the cells are reached from the header with ↓ and left again with Tab
    chrome.execute_script("document.querySelector('#table .ag-header-cell[col-id=name]').focus();")
    ActionChains(chrome).send_keys(Keys.ARROW_DOWN).perform()
    assert chrome.execute_script("return document.activeElement.closest('.ag-cell') !== null;")
    ActionChains(chrome).send_keys(Keys.TAB).perform()
    assert not chrome.execute_script("return document.activeElement.closest('.ag-center-cols-container, "
                                     ".ag-pinned-left-cols-container') !== null;")


def test_tab_reaches_the_share_link_button(chrome, live_server, sized):
    """In the scenarios tab, the copy button of the share link is a labelled control Tab reaches."""
    from .helpers import click

    sized("laptop")
    _open(chrome, live_server() + "/")
    tab = next(e for e in chrome.find_elements("css selector", "[role=tab]") if e.text == "Szenarien")
    click(chrome, tab)
    wait_until(lambda: chrome.find_element("id", "scenario-copy").is_displayed(), 10, "the copy button")
    visited = _tab_walk(chrome)
    assert any(v.startswith("scenario-copy|BUTTON|") and v.endswith("Link kopieren") for v in visited), visited
    assert visited.index(next(v for v in visited if v.startswith("scenario-link|"))) + 1 == \
        visited.index(next(v for v in visited if v.startswith("scenario-copy|")))  # right after the link
    assert not chrome.execute_script(_MISSED_JS)


@pytest.mark.parametrize("size", ["laptop", "large"])
def test_tab_reaches_every_control_once_in_order(chrome, live_server, sized, size):
    """From the navbar through the controls and the map to the tabs above the table."""
    sized(size)
    _open(chrome, live_server() + "/")
    visited = _tab_walk(chrome, stop_at_table=True)
    names = [v.split("|")[2] for v in visited]
    for tab in ("Tabelle", "Zeitverlauf", "Geplante Änderungen", "Szenarien", "Vergleich"):
        assert tab in names, f"tab {tab!r} not reached; visited: {names}"
    assert "Herunterladen" in names and "Präsentation" in names
    assert any(v.startswith("year|") or v.endswith("|Jahr") for v in visited), visited
    # navbar first, tabs after the controls
    assert names.index("Herunterladen") < names.index("Tabelle")


def test_caveats_on_the_first_screen_and_on_the_map(chrome, live_server, sized):
    sized("laptop")
    _open(chrome, live_server() + "/")
    boxes = chrome.execute_script("""return ['caveats', 'map-caveat'].map(function (id) {
        var r = document.getElementById(id).getBoundingClientRect(); return [r.top, r.bottom]; });""")
    for top, bottom in boxes:
        assert 0 <= top and bottom <= 720, boxes
    text = chrome.find_element("id", "caveats").text
    assert "geschätzt" in text and "illustrativ" in text
    assert "illustrativ" in chrome.find_element("id", "map-caveat").text
    screenshot(chrome, "default-view-1280x720")


def test_dataset_picker_shows_titles(chrome, live_server):
    _open(chrome, live_server() + "/")
    picker = chrome.find_element("id", "dataset-picker")
    assert "Dresden – statistische Stadtteile" in picker.text
    assert picker.text.strip() != "dresden"


def _year(chrome) -> int:
    return int(chrome.execute_script("return document.querySelector('#year [role=slider]').getAttribute('aria-valuenow');"))


@pytest.mark.parametrize("size", ["laptop", "large"])
def test_presentation_map_fits_and_shortcuts_step_the_view(chrome, live_server, sized, size):
    width, height = SIZES[size]
    sized(size)
    _open(chrome, live_server() + "/?present=1")
    boxes = chrome.execute_script("""return ['map', 'map-legend'].map(function (id) {
        var r = document.getElementById(id).getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; });""")
    for left, top, right, bottom in boxes:
        assert left >= 0 and top >= 0 and right <= width and bottom <= height, (size, boxes)
    legend_px = chrome.execute_script(
        "return parseFloat(getComputedStyle(document.querySelector('#map-legend li, #map-legend')).fontSize);")
    assert legend_px >= 18
    shortcuts = chrome.find_element("id", "present-bar").text
    assert "Jahr" in shortcuts and "Zielwert" in shortcuts and "Angebot" in shortcuts
    screenshot(chrome, f"presentation-{width}x{height}")

    chrome.execute_script("document.activeElement && document.activeElement.blur();")
    start = _year(chrome)
    ActionChains(chrome).send_keys(Keys.ARROW_RIGHT).perform()
    wait_until(lambda: _year(chrome) == start + 1, 5, "→ steps the year")
    wait_until(lambda: f"Alle Gebiete {start + 1}" in page_text(chrome), 5, "the summary repaints for the new year")
    ActionChains(chrome).send_keys(Keys.ARROW_LEFT).perform()
    wait_until(lambda: _year(chrome) == start, 5, "← steps back")
    service = lambda: chrome.execute_script("return document.querySelector('#service input:checked').value;")  # noqa: E731
    before = service()
    ActionChains(chrome).send_keys("s").perform()
    wait_until(lambda: service() != before, 5, "S switches the service")
    ratio = lambda: chrome.execute_script(  # noqa: E731
        "return document.querySelector('[id*=ratio-slider] [role=slider]').getAttribute('aria-valuenow');")
    ActionChains(chrome).send_keys("s").send_keys("s").perform()  # back to the first service
    wait_until(lambda: service() == before, 5, "S wraps round")
    old = ratio()
    label = lambda: chrome.find_element("css selector", ".caregap-ratio-value").text  # noqa: E731
    assert label() == "1 : " + f"{float(old):,.0f}".replace(",", ".")  # the slider reads as a ratio
    ActionChains(chrome).send_keys(Keys.ARROW_UP).perform()
    wait_until(lambda: ratio() != old, 5, "↑ moves the target ratio")
    wait_until(lambda: label() == "1 : " + f"{float(ratio()):,.0f}".replace(",", "."), 5, "the ratio's text follows")
    dash_ready(chrome, 30)


def _summary_year(chrome) -> str:
    return chrome.find_element("id", "summary").text.split("\n")[0]


@pytest.mark.parametrize("size", ["laptop", "large"])
def test_enter_applies_a_typed_year_and_cost(chrome, live_server, sized, size):
    sized(size)
    _open(chrome, live_server() + "/")
    box = chrome.find_element("css selector", "#year input[type=number]")
    assert box.is_displayed()
    chrome.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("2030", Keys.ENTER)
    wait_until(lambda: _summary_year(chrome) == "Alle Gebiete 2030", 10, "Enter applies the typed year")
    assert chrome.switch_to.active_element == box  # the field keeps the focus
    cost = chrome.find_element("id", "fte-cost")
    chrome.execute_script("arguments[0].scrollIntoView({block: 'center'});", cost)
    cost.click()
    cost.send_keys(Keys.CONTROL, "a")
    cost.send_keys("100000", Keys.ENTER)
    wait_until(lambda: "cost=100000" in chrome.current_url, 10, "Enter applies the typed cost")
    dash_ready(chrome, 30)


def test_planned_changes_form_fits_and_filters_in_german(chrome, live_server, sized):
    from .helpers import click

    sized("laptop")
    _open(chrome, live_server() + "/")
    tab = next(e for e in chrome.find_elements("css selector", "[role=tab]") if e.text == "Geplante Änderungen")
    click(chrome, tab)
    add = wait_until(lambda: chrome.find_element("id", "change-add"), 10, "the form")
    fits = chrome.execute_script("var b = arguments[0]; return b.scrollWidth <= b.clientWidth + 1;", add)
    assert fits and add.text == "Hinzufügen"
    picker = chrome.find_element("id", "change-district")
    click(chrome, picker)
    search = wait_until(lambda: [e for e in chrome.find_elements("css selector", "input[type=search], .dash-dropdown-search input, input.dash-dropdown-search")
                                 if e.is_displayed()], 5, "the dropdown's search box")[0]
    assert search.get_attribute("placeholder") == "Suchen"
    search.send_keys("Johann")
    options = wait_until(lambda: [e.text for e in chrome.find_elements("css selector", "[role=option]") if e.is_displayed()],
                         5, "filtered options")
    assert options and all("Johann" in o for o in options), options
    ActionChains(chrome).send_keys(Keys.ESCAPE).perform()


# Each header of a grid: its box, and whether its text is cut (wider than its box) — plus the grid's visible
# box, whether it scrolls sideways, and the fonts of the page, a cell and a header.
_HEADERS_JS = """var grid = document.getElementById(arguments[0]), root = grid.querySelector('.ag-root-wrapper').getBoundingClientRect();
var view = grid.querySelector('.ag-body-horizontal-scroll-viewport');
var cell = grid.querySelector('.ag-cell'), text = grid.querySelector('.ag-header-cell-text');
return {left: root.left, right: root.right, scrolls: !!view && view.scrollWidth > view.clientWidth + 1,
        fonts: [getComputedStyle(document.body).fontFamily, cell && getComputedStyle(cell).fontFamily,
                getComputedStyle(text).fontFamily],
        pinned: Array.from(grid.querySelectorAll('.ag-pinned-left-header .ag-header-cell')).map(function (h) {
          return h.getAttribute('col-id'); }),
        headers: Array.from(grid.querySelectorAll('.ag-header-cell')).map(function (h) {
          var r = h.getBoundingClientRect(), t = h.querySelector('.ag-header-cell-text');
          return {id: h.getAttribute('col-id'), text: t.textContent.trim(), left: r.left, right: r.right,
                  cut: t.scrollWidth > t.clientWidth || /\\u2026/.test(t.textContent)}; })};"""


def _sort_by(chrome, column: str) -> None:
    """Sort the district grid by one column (the grid's own API), and wait until the header shows it."""
    chrome.execute_script("dash_ag_grid.getApi('table').applyColumnState({state: [{colId: arguments[0], sort: 'asc'}],"
                          " defaultState: {sort: null}});", column)
    wait_until(lambda: chrome.execute_script(
        "return !!document.querySelector('#table .ag-header-cell[col-id=\"' + arguments[0] + '\"] .ag-sort-ascending-icon:not(.ag-hidden)');",
        column), 5, f"the sort arrow on {column}")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_district_table_fits_1280_in_the_page_font(chrome, live_server, sized, lang):
    """At 1280 px every header of the district grid is readable whole, whichever column is sorted; in
    German all columns are in view, in longer English the grid scrolls with the area's name pinned."""
    sized("laptop")
    _open(chrome, live_server() + ("/?lang=en" if lang == "en" else "/"))
    wait_until(lambda: chrome.find_elements("css selector", "#table .ag-cell"), 20, "the grid's rows")
    measured = chrome.execute_script(_HEADERS_JS, "table")
    body, cell, header = measured["fonts"]
    assert cell == body and header == body, measured["fonts"]
    assert len(measured["headers"]) == 10
    numbers = [h["id"] for h in measured["headers"] if h["id"] != "name"]
    chrome.execute_script("document.getElementById('table').scrollIntoView({behavior: 'instant', block: 'end'});")
    screenshot(chrome, f"district-table-1280x720-{lang}")
    for column in [None] + numbers:
        if column:
            _sort_by(chrome, column)
        # the header lays itself out again after a sort: measure once it has settled
        measured = wait_until(lambda: (m := chrome.execute_script(_HEADERS_JS, "table"))
                              and not [h for h in m["headers"] if h["cut"]] and m, 5,
                              lambda: f"headers whole with {column or 'the default order'}: "
                                      f"{[h for h in chrome.execute_script(_HEADERS_JS, 'table')['headers'] if h['cut']]}")
        if lang == "de":
            outside = [h for h in measured["headers"] if h["left"] < measured["left"] - 1 or h["right"] > measured["right"] + 1]
            assert not outside and not measured["scrolls"], (measured["left"], measured["right"], outside)
        elif measured["scrolls"]:
            assert measured["pinned"] == ["name"]


def test_comparison_headers_are_not_cut_at_1280(chrome, live_server, sized):
    from .helpers import click

    sized("laptop")
    _open(chrome, live_server() + "/")
    tab = next(e for e in chrome.find_elements("css selector", "[role=tab]") if e.text == "Vergleich")
    click(chrome, tab)
    wait_until(lambda: chrome.find_elements("css selector", "#compare-table .ag-header-cell"), 30, "the comparison table")
    # the grid lays its columns out after its rows arrive: measure once it has settled
    measured = wait_until(lambda: (m := chrome.execute_script(_HEADERS_JS, "compare-table"))
                          and len(m["headers"]) == 10 and all(h["text"] for h in m["headers"])
                          and not [h for h in m["headers"] if h["cut"]] and m,
                          20, lambda: f"comparison headers whole: {chrome.execute_script(_HEADERS_JS, 'compare-table')['headers']}")
    texts = [h["text"].replace("\n", " ") for h in measured["headers"]]
    assert "Δ Prozentpunkte" in texts, texts
    assert measured["fonts"][2] == measured["fonts"][0]
    chrome.execute_script("document.getElementById('compare-table').scrollIntoView({behavior: 'instant', block: 'end'});")
    screenshot(chrome, "comparison-table-1280x720")


def test_radius_and_provider_tab_only_where_they_mean_something(chrome, live_server, sized):
    """Dresden counts posts per Stadtraum: no radius or decay until the distance rule is chosen, and no
    provider tab (its sites name a single, illustrative provider)."""
    from .helpers import click

    sized("laptop")
    _open(chrome, live_server() + "/")
    box = chrome.find_element("id", "catchment-distance")
    assert not box.is_displayed() and not chrome.find_element("id", "catchment-radius").is_displayed()
    tabs = [e.text for e in chrome.find_elements("css selector", "[role=tab]") if e.is_displayed()]
    assert "Tabelle" in tabs and "Träger" not in tabs, tabs
    distance = chrome.find_element("css selector", "label[for='_dbcprivate_radioitems_catchment_input_distance']")
    click(chrome, distance)
    wait_until(lambda: box.is_displayed(), 5, "radius and decay with the distance rule")
    assert chrome.find_element("id", "catchment-radius").is_displayed()
    own = chrome.find_element("css selector", "label[for='_dbcprivate_radioitems_catchment_input_own']")
    click(chrome, own)
    wait_until(lambda: not box.is_displayed(), 5, "hidden again with another rule")
    dash_ready(chrome, 30)
