"""The benchmark script runs end to end (quick, Dresden only) and writes every field.

No timing is asserted: the figures depend on the machine. This only keeps `bench/run.py` from
rotting as the app changes.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

pytestmark = pytest.mark.browser

NUMBER = (int, float)
FIELDS = {
    "name": str, "districts": int, "callback_ms": NUMBER, "callback_bytes": int, "naive_ms": NUMBER,
    "naive_bytes": int, "ratio_bytes": NUMBER, "ratio_ms": NUMBER, "repaint_ms_median": NUMBER,
    "repaint_ms_p95": NUMBER, "cold_start_s": NUMBER, "peak_rss_mb": NUMBER, "nproc": int,
    "callback_bytes_raw": int, "naive_bytes_raw": int, "warm_start_s": NUMBER,
}


def test_quick_run_writes_one_complete_case(tmp_path):
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"Debian chromium/chromium-driver not installed on CI (missing {', '.join(missing)})")
        pytest.skip("Debian chromium/chromium-driver not installed; run `make browser`")
    out = tmp_path / "bench.json"
    env = dict(os.environ, CAREGAP_BENCH_CACHE=str(tmp_path / "bench-cache"), PYTHONUNBUFFERED="1")
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--cases", "dresden", "--json", str(out)],
        cwd=REPO, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout[-4000:]}\n{proc.stderr[-6000:]}"

    rows = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(rows, list) and len(rows) == 1
    row = rows[0]
    for key, kind in FIELDS.items():
        assert key in row, f"field {key} missing"
        assert isinstance(row[key], kind) and not isinstance(row[key], bool), f"{key} = {row[key]!r}"
    assert row["name"] == "dresden" and row["districts"] == 60
    for key in FIELDS:
        if key != "name":
            assert row[key] > 0, f"{key} = {row[key]!r}"
    assert row["repaint_ms_p95"] >= row["repaint_ms_median"]
    assert "dresden" in proc.stdout and "target" in proc.stdout  # the printed table
