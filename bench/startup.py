"""Where the time to the first map goes on the server: `python -m bench.startup REF` prints JSON.

Run in a fresh process (imports are part of it), with the cache folder the caller chose
(CAREGAP_CACHE_DIR): empty for a cold start, filled for a warm one. Phases, in the order a start
runs them: `imports_s` (app.py and everything it imports), `dataset_s` (the dataset read and
checked, or read from the cache), `app_s` (the Dash app built, callbacks registered), `page_s`
(the initial layout with the first page: core figures, summary, map paint), `geometry_s` (the
map's web geometry, simplified or read from the cache), `table_block_s` (the table's first block).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _measure(ref: str) -> dict:
    phases = {}
    started = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        phases[name] = round(now - started, 3)
        started = now

    import app  # noqa: F401

    lap("imports_s")
    from dashboard.loaded import loaded

    item = loaded(ref)
    lap("dataset_s")
    dash_app = app.create_app(ref)
    lap("app_s")
    with dash_app.server.test_request_context("/_dash-layout", headers={"Referer": "http://localhost/"},
                                              base_url="http://localhost"):
        layout = app.initial_layout()
        query = layout.children[1].data
        lap("page_s")
        from dashboard.webgeo import web_geometry

        view_level = item.dataset.settings.base_level
        web_geometry(item.dataset, view_level)
        lap("geometry_s")
        from callbacks.update import table_block
        from layouts.table import DEFAULT_SORT, PAGE_ROWS

        table_block({"startRow": 0, "endRow": PAGE_ROWS, "sortModel": DEFAULT_SORT}, query or "")
        lap("table_block_s")
    phases["total_s"] = round(sum(phases.values()), 3)
    return phases


def startup_phases(ref: str, cache_dir: Path, timeout: float = 600) -> dict:
    """The phases in a fresh process with `cache_dir` as the cache folder (as it is: empty or filled)."""
    env = dict(os.environ, CAREGAP_CACHE_DIR=str(cache_dir))
    done = subprocess.run([sys.executable, "-m", "bench.startup", ref], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"bench.startup failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(_measure(sys.argv[1])))
