"""Client side: the app served by `app.py` on a loopback port, driven by headless Debian Chromium.

Measured per dataset:
- cold start: from spawning `app.py` (empty geometry cache) to the first fully drawn map; then the
  same with the cache the first start filled (warm start);
- slider-to-repaint: key presses on the first ratio slider's thumb; for each, the time from the
  keydown reaching the page to the map showing the new values (the map component has applied a new
  paint — its `areamap:painted` event — and its MapLibre map has rendered and gone `idle` after that);
- the server's peak RSS (`VmHWM`) after the moves.

Everything runs on 127.0.0.1; Chromium resolves no other host. Every wait has a timeout.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
REPO = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
    "--disable-dev-shm-usage", "--window-size=1400,1000", "--disable-extensions",
    "--disable-default-apps", "--no-default-browser-check",
    # talk to nobody but the local server
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--no-proxy-server",
)
COMMAND_TIMEOUT = 90  # seconds for any one WebDriver command: a page stuck in a loop must not hang the run
SCRIPT_TIMEOUT = 30  # execute_script
ASYNC_SCRIPT_TIMEOUT = 60  # execute_async_script (the map-only measurements)
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class BenchTimeout(RuntimeError):
    pass


def browser_missing() -> list[str]:
    return [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with _DIRECT.open(url, timeout=5) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


class Server:
    """`app.py --dataset ref` on a free loopback port, with its own cache and data folders."""

    def __init__(self, ref: str, cache_dir: Path, data_dir: Path, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        env = dict(os.environ, CAREGAP_CACHE_DIR=str(cache_dir), CAREGAP_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
        for key in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
            env.pop(key, None)
        self._log = open(log, "wb")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(self.port), "--dataset", ref],
            cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def wait_ready(self, timeout: float) -> float:
        """Seconds from spawn until `/` answers."""
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"app.py exited with {self.proc.returncode}:\n{self.output()}")
            if _answers(self.url + "/"):
                return time.monotonic() - self.started
            time.sleep(0.05)
        raise BenchTimeout(f"app.py did not answer on {self.url}/ within {timeout:g} s:\n{self.output()}")

    def peak_rss_mb(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
        except OSError:
            return None
        return None

    def output(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if not self._log.closed:
            self._log.close()


def start_chromium(profile: Path):
    os.environ["SE_OFFLINE"] = "true"  # Selenium must never fetch a driver of its own
    os.environ["SE_CHROMEDRIVER"] = CHROMEDRIVER
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    errors = []
    for attempt in range(3):
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        folder = profile / f"try{attempt}"
        folder.mkdir(parents=True, exist_ok=True)
        options.add_argument(f"--user-data-dir={folder}")
        service = Service(executable_path=CHROMEDRIVER, log_output=str(profile / f"chromedriver{attempt}.log"))
        try:
            driver = webdriver.Chrome(service=service, options=options)
            config = getattr(driver.command_executor, "_client_config", None)
            if config is not None:
                config.timeout = COMMAND_TIMEOUT
            driver.set_page_load_timeout(COMMAND_TIMEOUT - 10)
            driver.set_script_timeout(SCRIPT_TIMEOUT)
            driver.bench_browser_pids = _children(service.process.pid)
            return driver
        except Exception as exc:  # noqa: BLE001 - retried, then reported
            errors.append(f"{type(exc).__name__}: {exc}")
            try:
                service.stop()
            except Exception:  # noqa: BLE001
                pass
            time.sleep(1)
    raise RuntimeError("headless Chromium did not start:\n" + "\n".join(errors))


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (the browser that chromedriver started)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _kill(pid: int, timeout: float = 5.0) -> None:
    import signal

    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not Path(f"/proc/{pid}").exists() or "zombie" in _state(pid):
                return
            time.sleep(0.1)


def _state(pid: int) -> str:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("State:"):
                return line.lower()
    except OSError:
        return ""
    return ""


def stop_chromium(driver) -> None:
    """Quit the browser; if it does not answer, end chromedriver and the browser it started, by pid."""
    config = getattr(driver.command_executor, "_client_config", None)
    if config is not None:
        config.timeout = 15
    try:
        driver.quit()
    except Exception:  # noqa: BLE001 - the run is over either way
        pass
    for pid in getattr(driver, "bench_browser_pids", []):
        _kill(pid)
    process = getattr(driver.service, "process", None)
    if process is not None and process.poll() is None:
        process.kill()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            pass


def chromium_version() -> str:
    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout
        return out.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


# -- page state ---------------------------------------------------------------------------
# Read through the hooks the map component documents (layouts/mapview): `areaMap` is the MapLibre
# map (public API only), `areaPaint` the paint it applied, `data-areas` set once areas are drawn.
MAP_DRAWN_JS = """
var e = document.getElementById('map');
if (!e || !e.areaMap) return 'no map yet';
var m = e.areaMap;
if (!e.areaPaint) return 'no paint applied';
if (!m.isStyleLoaded() || !m.loaded() || !m.areTilesLoaded()) return 'map loading';
if (!m.getSource('areas') || !m.isSourceLoaded('areas')) return 'source loading';
if (!m.querySourceFeatures('areas').length) return 'no features drawn';
return e.hasAttribute('data-areas') ? true : 'areas not counted yet';
"""

DASH_IDLE_JS = """
if (document.readyState !== 'complete') return 'document ' + document.readyState;
if (document.querySelector('._dash-loading') || document.querySelector('._dash-loading-callback')) return 'loading';
var store = window.store;
if (!store || !store.getState) return true;
var state = store.getState();
if (state.isLoading) return 'isLoading';
if (state.pendingCallbacks && state.pendingCallbacks.length) return 'pending callbacks';
var callbacks = Object.assign({}, state.callbacks || {});
delete callbacks.stored; delete callbacks.completed;
var open = 0;
Object.keys(callbacks).forEach(function (k) { if (Array.isArray(callbacks[k])) open += callbacks[k].length; });
return open ? open + ' callbacks open' : true;
"""

# Arms one measurement: stamps the keydown when it reaches the page (capture phase of window: before
# the slider sees it), and watches the map. New values are the moment the map component has handed a
# new paint to MapLibre (its `areamap:painted` event, dispatched right after the feature-states are set).
ARM_JS = """
var e = document.getElementById('map'), m = e.areaMap;
performance.clearResourceTimings();
var b = {tKey: null, tZ: null, tRender: null, tIdle: null, rendersAfterZ: 0};
var old = window.__caregapBench;
if (old) { old.stop(); }
function onPaint() { if (b.tZ === null && b.tKey !== null) { b.tZ = performance.now(); } }
function onKey() { if (b.tKey === null) { b.tKey = performance.now(); } }
function onRender() {
    if (b.tZ !== null) { b.rendersAfterZ += 1; if (b.tRender === null) { b.tRender = performance.now(); } }
}
function onIdle() { if (b.tZ !== null && b.rendersAfterZ > 0 && b.tIdle === null) { b.tIdle = performance.now(); } }
window.addEventListener('keydown', onKey, true);
e.addEventListener('areamap:painted', onPaint);
m.on('render', onRender);
m.on('idle', onIdle);
b.stop = function () {
    window.removeEventListener('keydown', onKey, true); e.removeEventListener('areamap:painted', onPaint);
    m.off('render', onRender); m.off('idle', onIdle);
};
window.__caregapBench = b;
return true;
"""

POLL_JS = """
var b = window.__caregapBench;
if (!b) return null;
if (b.tIdle === null) return {done: false, tKey: b.tKey, tZ: b.tZ};
b.stop();
var calls = performance.getEntriesByType('resource').filter(function (e) {
    return e.name.indexOf('_dash-update-component') >= 0 && e.startTime >= b.tKey - 1;
}).map(function (e) {
    return {start: e.startTime, end: e.responseEnd, transfer: e.transferSize, body: e.decodedBodySize,
            wait: e.responseStart - e.requestStart};
});
return {done: true, tKey: b.tKey, tZ: b.tZ, tRender: b.tRender, tIdle: b.tIdle, calls: calls};
"""

# callback requests started since arguments[0] (ms of the page's clock; 0: since the page loaded)
COUNT_JS = """
var since = arguments[0];
return performance.getEntriesByType('resource').filter(function (e) {
    return e.name.indexOf('_dash-update-component') >= 0 && e.startTime >= since - 1;
}).length;
"""

THUMB_CSS = '[id*="ratio-slider"] [role="slider"]'
SWEEP = 5  # key presses in one direction before turning


def wait_js(driver, script: str, timeout: float, what: str, poll: float = 0.05):
    from selenium.common.exceptions import WebDriverException

    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = driver.execute_script(script)
            if last is True:
                return time.monotonic()
        except WebDriverException as exc:
            last = f"{type(exc).__name__}: {exc.msg}"
        if time.monotonic() >= deadline:
            raise BenchTimeout(f"timed out after {timeout:g} s waiting for {what} (last: {last!r})")
        time.sleep(poll)


def dash_idle(driver, timeout: float, settle: float = 0.25) -> None:
    """Dash idle (nothing pending) for `settle` seconds in a row."""
    from selenium.common.exceptions import WebDriverException

    deadline = time.monotonic() + timeout
    since = None
    while True:
        try:
            state = driver.execute_script(DASH_IDLE_JS)
        except WebDriverException as exc:
            state = type(exc).__name__
        now = time.monotonic()
        if state is True:
            since = since if since is not None else now
            if now - since >= settle:
                return
        else:
            since = None
        if now >= deadline:
            raise BenchTimeout(f"Dash not idle after {timeout:g} s (last: {state!r})")
        time.sleep(0.05)


def open_until_drawn(driver, server: Server, timeout: float) -> dict:
    """Spawn-relative times: server answering, page loaded, map drawn; and the page request → drawn map."""
    ready = server.wait_ready(timeout)
    requested = time.monotonic()
    driver.get(server.url + "/")
    loaded = time.monotonic() - server.started
    remaining = max(1.0, timeout - (time.monotonic() - server.started))
    drawn_at = wait_js(driver, MAP_DRAWN_JS, remaining, "the first drawn map")
    return {"server_ready_s": round(ready, 2), "page_loaded_s": round(loaded, 2),
            "map_drawn_s": round(drawn_at - server.started, 2), "drawn_after_request_s": round(drawn_at - requested, 2)}


def _thumb(driver):
    from selenium.webdriver.common.by import By

    thumbs = driver.find_elements(By.CSS_SELECTOR, THUMB_CSS)
    if not thumbs:
        raise RuntimeError("no ratio slider thumb on the page")
    # the counselling slider where the dataset has one, else the first ratio slider
    for thumb in thumbs:
        outer = thumb.find_element(By.XPATH, "./ancestor::*[contains(@id, 'ratio-slider')][1]")
        if "beratung" in (outer.get_attribute("id") or ""):
            return thumb
    return thumbs[0]


def _number(text) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


@dataclass
class Moves:
    samples: list[dict] = field(default_factory=list)

    def total(self) -> list[float]:
        return [s["total_ms"] for s in self.samples]

    def summary(self) -> dict:
        totals = sorted(self.total())
        if not totals:
            return {}
        p95 = totals[min(len(totals) - 1, int(round(0.95 * (len(totals) - 1))))]
        values = [s["values_ms"] for s in self.samples]
        draws = [s["draw_ms"] for s in self.samples]
        wire = [s["update_transfer_bytes"] for s in self.samples if s["update_transfer_bytes"] is not None]
        total_wire = [s["move_transfer_bytes"] for s in self.samples]
        body = [s["update_body_bytes"] for s in self.samples if s["update_body_bytes"] is not None]
        server = [s["update_server_ms"] for s in self.samples if s["update_server_ms"] is not None]
        return {"count": len(totals), "median": round(statistics.median(totals), 1), "p95": round(p95, 1),
                "update_server_ms_median": round(statistics.median(server), 1) if server else None,
                "values_ms_median": round(statistics.median(values), 1),
                "draw_ms_median": round(statistics.median(draws), 1),
                "move_transfer_bytes_median": int(statistics.median(total_wire)),
                "update_transfer_bytes_median": int(statistics.median(wire)) if wire else None,
                "update_body_bytes_median": int(statistics.median(body)) if body else None,
                "requests_per_move": round(statistics.median(s["requests"] for s in self.samples), 1),
                "requests_per_press": round(statistics.median(s["requests_total"] for s in self.samples), 1)}


def slider_moves(driver, n: int, timeout: float, budget: float | None = None, min_moves: int = 3,
                 log=print) -> Moves:
    """`n` keyboard moves of the ratio slider, each measured from keydown to the repainted map.

    With a `budget` (seconds), no further move starts once it is used up and `min_moves` are done.
    """
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.keys import Keys

    moves = Moves()
    started = time.monotonic()
    dash_idle(driver, timeout)
    direction = -1
    for i in range(n):
        thumb = _thumb(driver)
        now, low, high = (_number(thumb.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
        if i and i % SWEEP == 0:  # back and forth around the starting value, like a user trying values
            direction = -direction
        if now is not None and low is not None and high is not None:
            if direction < 0 and now <= low:
                direction = 1
            elif direction > 0 and now >= high:
                direction = -1
        driver.execute_script(ARM_JS)
        thumb.send_keys(Keys.ARROW_LEFT if direction < 0 else Keys.ARROW_RIGHT)
        deadline = time.monotonic() + timeout
        state = None
        while True:
            try:
                state = driver.execute_script(POLL_JS)
            except WebDriverException as exc:  # the page is busy for longer than a script may run
                state = f"{type(exc).__name__}"
            if isinstance(state, dict) and state.get("done"):
                break
            if time.monotonic() >= deadline:
                raise BenchTimeout(f"move {i + 1}: no repaint within {timeout:g} s (state {state!r})")
            time.sleep(0.02)
        calls = state["calls"]
        biggest = max(calls, key=lambda c: c["body"]) if calls else None
        sample = {"total_ms": state["tIdle"] - state["tKey"], "values_ms": state["tZ"] - state["tKey"],
                  "draw_ms": state["tIdle"] - state["tZ"], "requests": len(calls),
                  "move_transfer_bytes": sum(c["transfer"] for c in calls),
                  "update_transfer_bytes": biggest["transfer"] if biggest else None,
                  "update_body_bytes": biggest["body"] if biggest else None,
                  "update_server_ms": biggest["wait"] if biggest else None,
                  # each callback request of the move: start and end (ms after the key), bytes received
                  "requests_ms": [[round(c["start"] - state["tKey"], 1), round(c["end"] - state["tKey"], 1),
                                   c["transfer"]] for c in sorted(calls, key=lambda c: c["start"])]}
        dash_idle(driver, timeout)
        # every request the press made, also those answered after the map was idle (the table's block)
        sample["requests_total"] = driver.execute_script(COUNT_JS, state["tKey"])
        moves.samples.append(sample)
        if budget is not None and time.monotonic() - started > budget and len(moves.samples) >= min_moves:
            log(f"    stopped after {len(moves.samples)} of {n} moves: time budget of {budget:g} s used")
            break
    return moves


# -- the map alone: new colours without Dash ----------------------------------------------
# A new colour for every area set as feature-state on the component's own source (what a paint
# does), until the map has rendered and is idle: no GeoJSON travels to the tiling worker.
FEATURE_STATE_JS = """
var done = arguments[arguments.length - 1], k = arguments[0];
var e = document.getElementById('map'), m = e.areaMap, palette = e.areaPaint.palette;
var n = e.areaPaint.codes.length, t0 = performance.now(), rendered = false;
function onRender() { rendered = true; }
function onIdle() {
    if (!rendered) { return; }
    m.off('idle', onIdle); m.off('render', onRender); done([performance.now() - t0, n]);
}
m.on('render', onRender); m.on('idle', onIdle);
for (var i = 0; i < n; i++) { m.setFeatureState({source: 'areas', id: i}, {c: palette[(i * 7 + k) % palette.length]}); }
m.triggerRepaint();
"""


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def map_only(driver, n: int, timeout: float) -> dict:
    """Median ms from new colours (feature-state of every area) to an idle map."""
    driver.set_script_timeout(min(timeout, ASYNC_SCRIPT_TIMEOUT))
    try:
        runs = [driver.execute_async_script(FEATURE_STATE_JS, k) for k in range(1, n + 1)]
    finally:
        driver.set_script_timeout(SCRIPT_TIMEOUT)
    return {"feature_state_ms_median": _median([ms for ms, _ in runs]), "features": runs[0][1] if runs else None}


TABS_JS = "return Array.from(document.querySelectorAll('#tabs [role=\"tab\"]'));"
TAB_CHANGES = 2  # order of layouts/page.py: table, trend, changes, scenarios, compare


def show_tab(driver, index: int, timeout: float) -> None:
    from selenium.common.exceptions import ElementClickInterceptedException

    tabs = driver.execute_script(TABS_JS)
    if len(tabs) <= index:
        raise RuntimeError(f"the page has {len(tabs)} tabs; expected at least {index + 1}")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", tabs[index])  # below the fold
    try:
        tabs[index].click()
    except ElementClickInterceptedException:  # a sticky bar or an overlay over it for a moment
        driver.execute_script("arguments[0].click();", tabs[index])
    wait_js(driver, f"var t = document.querySelectorAll('#tabs [role=\"tab\"]')[{index}];"
                    "return !!t && t.classList.contains('active');", timeout, "the tab to open")
    dash_idle(driver, timeout)


# -- optional CPU profile of the page's main thread -----------------------------------------
def profile_start(driver) -> None:
    driver.execute_cdp_cmd("Profiler.enable", {})
    driver.execute_cdp_cmd("Profiler.setSamplingInterval", {"interval": 500})
    driver.execute_cdp_cmd("Profiler.start", {})


def profile_stop(driver, moves: int, top: int = 12) -> dict:
    """Self time per script and per function, in ms per move (main thread only; workers and GPU not seen)."""
    import collections

    profile = driver.execute_cdp_cmd("Profiler.stop", {})["profile"]
    driver.execute_cdp_cmd("Profiler.disable", {})
    nodes = {n["id"]: n for n in profile["nodes"]}
    self_ms: collections.Counter = collections.Counter()
    deltas = profile.get("timeDeltas", [])
    for sample, delta in zip(profile.get("samples", []), deltas[1:] + [0]):
        self_ms[sample] += delta / 1000
    scripts: collections.Counter = collections.Counter()
    functions: collections.Counter = collections.Counter()
    for node_id, ms in self_ms.items():
        frame = nodes[node_id]["callFrame"]
        script = frame["url"].rsplit("/", 1)[-1].split("?")[0] or frame["functionName"] or "(native)"
        script = script.split(".v")[0] if ".v" in script and script.endswith(".js") else script
        scripts[script] += ms
        functions[f"{frame['functionName'] or '(anonymous)'} @ {script}:{frame['lineNumber']}"] += ms
    per = max(moves, 1)
    return {"scripts_ms_per_move": {k: round(v / per, 1) for k, v in scripts.most_common(top)},
            "functions_ms_per_move": {k: round(v / per, 1) for k, v in functions.most_common(top)}}


def measure_case(driver, ref: str, plan: dict, workdir: Path, log=print) -> dict:
    """Cold start, slider moves (table shown, then hidden), peak RSS and the map-only comparison on
    one server; then a warm start on a second server with the cache the first one filled.

    `plan`: moves, hidden_moves, map_only, start_timeout, move_timeout, budget, profile.
    """
    cache = workdir / "geometry-cache"
    data = workdir / "appdata"
    for folder in (cache, data):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    out: dict = {}
    driver.get("about:blank")
    server = Server(ref, cache, data, workdir / "server-cold.log")
    try:
        out["cold"] = open_until_drawn(driver, server, plan["start_timeout"])
        log(f"    cold start: map drawn {out['cold']['map_drawn_s']:.1f} s after spawning the server, "
            f"{out['cold']['drawn_after_request_s']:.1f} s after the page was requested")
        dash_idle(driver, plan["move_timeout"])
        out["cold"]["load_requests"] = driver.execute_script(COUNT_JS, 0)  # callback requests of the page load
        if plan.get("profile"):
            profile_start(driver)
        moves = slider_moves(driver, plan["moves"], plan["move_timeout"], plan.get("budget"), log=log)
        if plan.get("profile"):
            out["profile"] = profile_stop(driver, len(moves.samples))
        out["moves"] = moves.summary()
        out["move_samples_ms"] = [round(v, 1) for v in moves.total()]
        out["move_samples"] = [{k: (round(v, 1) if isinstance(v, float) else v) for k, v in sample.items()}
                               for sample in moves.samples]
        log(f"    {len(moves.samples)} moves, table shown: median {out['moves']['median']:.0f} ms")
        out["peak_rss_mb"] = server.peak_rss_mb()
        if plan.get("hidden_moves"):
            show_tab(driver, TAB_CHANGES, plan["move_timeout"])
            hidden = slider_moves(driver, plan["hidden_moves"], plan["move_timeout"], plan.get("budget"), log=log)
            out["moves_table_hidden"] = hidden.summary()
            log(f"    {len(hidden.samples)} moves, table tab hidden: median {out['moves_table_hidden']['median']:.0f} ms")
        if plan.get("map_only"):
            out["map_only"] = map_only(driver, plan["map_only"], plan["move_timeout"])
            log(f"    map alone: MapLibre feature-state {out['map_only']['feature_state_ms_median']:.0f} ms")
        out["peak_rss_after_all_mb"] = server.peak_rss_mb()
    finally:
        server.stop()
    driver.get("about:blank")
    server = Server(ref, cache, data, workdir / "server-warm.log")
    try:
        out["warm"] = open_until_drawn(driver, server, plan["start_timeout"])
        log(f"    warm start: map drawn {out['warm']['map_drawn_s']:.1f} s after spawning the server, "
            f"{out['warm']['drawn_after_request_s']:.1f} s after the page was requested")
    finally:
        server.stop()
    driver.get("about:blank")
    return out
