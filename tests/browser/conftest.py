"""Fixtures for the browser tests: headless Debian Chromium and the app served on a free port.

`chrome` is one WebDriver for the whole session, driven by Debian's `chromium` and
`chromium-driver` packages (`make browser` installs them); nothing is downloaded at run time.
`live_server(ref)` serves `app.py` with dataset `ref` and returns its base URL; each dataset is
served once per session. Every test in this folder is marked `browser`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .helpers import CHROMEDRIVER, CHROMIUM, HERE, REPO, screenshot

DEFAULT_DATASET = "dresden"
SERVER_START_TIMEOUT = 90
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Save a screenshot `<test name>-failure.png` when a test that uses `chrome` fails."""
    report = yield
    if report.when == "call" and report.failed and "chrome" in getattr(item, "funcargs", {}):
        try:
            path = screenshot(item.funcargs["chrome"], f"{item.name}-failure")
            report.sections.append(("browser screenshot", str(path)))
        except Exception:  # noqa: BLE001 - a broken browser must not hide the test's own failure
            pass
    return report


def _browser_missing() -> list[str]:
    return [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]


def _new_driver(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=CHROMEDRIVER, log_output=str(profile.parent / "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    return driver


@pytest.fixture(scope="session")
def chrome(tmp_path_factory):
    """Headless Chromium WebDriver, shared by all browser tests of the session."""
    missing = _browser_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"Debian chromium/chromium-driver not installed on CI (missing {', '.join(missing)})")
        pytest.skip("Debian chromium/chromium-driver not installed; run `make browser`")
    # Selenium must use the Debian driver as given and never fetch one of its own.
    os.environ["SE_OFFLINE"] = "true"
    os.environ["SE_CHROMEDRIVER"] = CHROMEDRIVER

    # A first start on a cold machine occasionally fails (Chromium not answering in time);
    # each try gets a fresh profile.
    errors = []
    for attempt in range(3):
        profile = tmp_path_factory.mktemp("chromium") / "profile"
        profile.mkdir()
        try:
            driver = _new_driver(profile)
            break
        except Exception as exc:  # noqa: BLE001 - retried, then reported
            errors.append(f"try {attempt + 1}: {type(exc).__name__}: {exc}")
            time.sleep(1)
    else:
        pytest.fail("headless Chromium did not start:\n" + "\n".join(errors))
    yield driver
    try:
        driver.quit()
    except Exception:  # noqa: BLE001 - the session is over either way
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Loopback requests must not go through a proxy named in the environment.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _answers(url: str) -> bool:
    try:
        with _DIRECT.open(url, timeout=5) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


class _Server:
    def __init__(self, ref: str, log: Path, cache_dir: Path):
        self.ref = ref
        self.log_path = log
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, CAREGAP_CACHE_DIR=str(cache_dir), PYTHONUNBUFFERED="1")
        # Output goes to a file: a pipe nobody reads would block the server once full.
        self._log = open(log, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(self.port), "--dataset", ref],
            cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT)

    def output(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")[-8000:]

    def wait(self, timeout: float) -> bool:
        """True once `/` answers; False if the process exits first or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            if _answers(self.url + "/"):
                return True
            time.sleep(0.25)
        return False

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._log.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Factory: `live_server(ref="dresden")` serves `app.py --dataset ref` and returns its URL.

    `ref` is a bundled dataset id or a dataset folder. Each ref is served once per session (and
    served again if its server has died); all servers are stopped at the end of the session.
    """
    servers: dict[str, _Server] = {}
    cache_dir = tmp_path_factory.mktemp("caregap-cache")
    logs = tmp_path_factory.mktemp("live-server")

    def serve(ref: str | os.PathLike = DEFAULT_DATASET) -> str:
        key = str(ref)
        server = servers.get(key)
        if server is not None and server.alive():
            return server.url
        failures = []
        # The free port can be taken by someone else before the app binds it: then try another.
        for attempt in range(3):
            server = _Server(key, logs / f"server-{len(failures)}-{time.monotonic_ns()}.log", cache_dir)
            if server.wait(SERVER_START_TIMEOUT):
                servers[key] = server
                return server.url
            exited = not server.alive()
            server.stop()
            failures.append(f"--- try {attempt + 1}, port {server.port} "
                            f"({'exited with ' + str(server.proc.returncode) if exited else 'no answer'}):\n"
                            f"{server.output()}")
            if not exited or "address already in use" not in server.output().lower():
                break
        raise RuntimeError(f"app.py --dataset {key} did not start: it must answer on / within "
                           f"{SERVER_START_TIMEOUT} s\n"
                           + "\n".join(failures))

    yield serve
    for server in servers.values():
        server.stop()
