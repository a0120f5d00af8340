"""Benchmark of the slider path: server callback, bytes on the wire, repaint in Chromium, cold start.

    python bench/run.py [--quick] [--json FILE] [--cases dresden,deutschland,synthetic] [--profile]

Per case (a dataset): the project's slider callback against a naive full-figure callback (time and
gzip bytes), slider-to-repaint in headless Chromium, cold and warm start, the server's peak RSS.
Prints a table with the targets next to the figures and writes one JSON object per case.
See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# import the benchmark as the package `bench` from the repository root, never its modules bare
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(REPO))

CASES = ("dresden", "deutschland", "synthetic")
TARGET_UNITS = 401
TARGETS = {"callback_ms": 10.0, "callback_bytes": 4096, "ratio_bytes": 100.0, "repaint_ms_median": 150.0,
           "warm_start_s": 3.0, "first_map_warm_s": 1.5, "requests_per_press": 2}
SYNTHETIC_REPAINT_MS = 300.0  # repaint median at 11,000 polygons
REPORT_ROWS_MS = 50.0  # report_rows of the 11,000-row table
SYNTHETIC_WARM_START_S = 6.0  # `python app.py` started → map drawn at 11,000 polygons, warm cache
MODES = {
    # repetitions of the callbacks (after 2 warm-ups), key presses, seconds of moves per case at most
    "quick": {"repeats": 5, "moves": 10, "hidden_moves": 5, "map_only": 3, "budget": 120.0, "profile_calls": 2},
    "full": {"repeats": 30, "moves": 30, "hidden_moves": 15, "map_only": 10, "budget": 900.0, "profile_calls": 5},
}
HARD_LIMIT = {"quick": 1500.0, "full": 5400.0}  # seconds for a run of all cases, at most
START_TIMEOUT = 600.0  # spawn → first drawn map, at most
MOVE_TIMEOUT = 300.0  # one key press → repainted map, at most


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _terminate(signum, _frame):
    raise SystemExit(128 + signum)  # unwinds through every `finally`: servers and Chromium are stopped


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and moves (CI)")
    parser.add_argument("--json", default=str(REPO / "bench" / "results.json"), help="where to write the results")
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated subset of {', '.join(CASES)}")
    parser.add_argument("--profile", action="store_true",
                        help="also record a CPU profile of the page during the moves (scripts and functions)")
    parser.add_argument("--no-browser", action="store_true", help="server-side figures only (browser fields null)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (server logs)")
    args = parser.parse_args(argv)
    args.cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [c for c in args.cases if c not in CASES]
    if unknown or not args.cases:
        parser.error(f"unknown case(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(CASES)}")
    return args


def versions() -> dict:
    import dash
    import plotly

    from bench.browser import chromium_version

    return {"python": platform.python_version(), "dash": dash.__version__, "plotly": plotly.__version__,
            "chromium": chromium_version(), "commit": git_commit()}


def git_commit() -> str | None:
    """The checked-out commit, with `+changes` when files differ from it (the figures are for that code)."""
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (head + ("+changes" if dirty else "")) or None


def _count_vertices(coords) -> int:
    if coords and isinstance(coords[0], (int, float)):
        return 1
    return sum(_count_vertices(c) for c in coords)


def geometry_facts(geojson: dict) -> dict:
    from bench.inprocess import gzip_size

    text = json.dumps(geojson, separators=(",", ":"))
    counts = [_count_vertices(f["geometry"]["coordinates"]) for f in geojson["features"]]
    return {"features": len(counts), "vertices_mean": round(sum(counts) / max(len(counts), 1), 1),
            "bytes_raw": len(text.encode()), "bytes_gzip": gzip_size(text)}


def server_side(name: str, ref: str, mode: dict, work: Path) -> dict:
    from bench.inprocess import HIDDEN_TAB, TABLE_TAB, Bench
    from bench.startup import startup_phases

    cache = work / f"startup-cache-{name}"
    cache.mkdir(parents=True, exist_ok=True)
    log(f"  [{name}] start-up phases in fresh processes, cache empty then filled")
    startup = {"cold": startup_phases(ref, cache), "warm": startup_phases(ref, cache)}

    bench = Bench(ref)
    log(f"  [{name}] callbacks in process: {', '.join(cb.name for cb in bench.callbacks)} "
        f"({mode['repeats']} repetitions after 2 warm-ups), then the naive callback")
    project = bench.measure_project(mode["repeats"], TABLE_TAB)
    hidden = bench.measure_project(mode["repeats"], HIDDEN_TAB)
    naive = bench.measure_naive(mode["repeats"])
    profile = bench.profile_project(mode["profile_calls"])
    report = bench.measure_report(mode["repeats"])
    return {"districts": int(len(bench.dataset.districts)), "level": bench.level, "service": bench.service,
            "project": project, "hidden": hidden, "naive": naive, "profile": profile,
            "geometry": geometry_facts(bench.geometry()), "startup": startup,
            "report": report}


def _move(callbacks: dict) -> tuple[float, int, int]:
    """Server time and bytes of one move: every slider callback that answers."""
    answering = [c for c in callbacks.values() if c["answers"]]
    return (sum(c["ms"]["median"] for c in answering), sum(c["bytes_gzip"] for c in answering),
            sum(c["bytes_raw"] for c in answering))


def record(name: str, server: dict, browser: dict | None, mode_name: str, mode: dict, extra: dict) -> dict:
    project, naive, hidden = server["project"], server["naive"], server["hidden"]
    main = project["update"]
    others = {k: v for k, v in project.items() if k != "update"}
    move_ms, move_bytes, move_raw = _move(project)
    hidden_ms, hidden_bytes, hidden_raw = _move(hidden)
    b = browser or {}
    moves, cold, warm = b.get("moves") or {}, b.get("cold") or {}, b.get("warm") or {}
    out = {
        "name": name,
        "districts": server["districts"],
        # callbacks.update.update: the map path
        "callback_ms": round(main["ms"]["median"], 2),
        "callback_bytes": main["bytes_gzip"],
        "callback_bytes_raw": main["bytes_raw"],
        "naive_ms": round(naive["ms"]["median"], 2),
        "naive_bytes": naive["bytes_gzip"],
        "naive_bytes_raw": naive["bytes_raw"],
        # naive ÷ project for the same content: every answer of the move (map path + table request)
        "ratio_bytes": round(naive["bytes_gzip"] / move_bytes, 1),
        "ratio_ms": round(naive["ms"]["median"] / move_ms, 1),
        "repaint_ms_median": moves.get("median"),
        "repaint_ms_p95": moves.get("p95"),
        "cold_start_s": cold.get("map_drawn_s"),
        "warm_start_s": warm.get("map_drawn_s"),
        "first_map_s": cold.get("drawn_after_request_s"),  # page requested → map drawn (cold geometry cache)
        "first_map_warm_s": warm.get("drawn_after_request_s"),
        "peak_rss_mb": b.get("peak_rss_mb"),
        "nproc": os.cpu_count(),
        # details
        "mode": mode_name,
        "repetitions": mode["repeats"],
        "level": server["level"],
        "service": server["service"],
        "callback_ms_p95": round(main["ms"]["p95"], 2),
        "ratio_bytes_map_path": round(naive["bytes_gzip"] / main["bytes_gzip"], 1),
        "table_request_ms": round(sum(v["ms"]["median"] for v in others.values() if v["answers"]), 2),
        "table_request_bytes": sum(v["bytes_gzip"] for v in others.values()),
        "move_ms": round(move_ms, 2), "move_bytes": move_bytes, "move_bytes_raw": move_raw,
        "move_table_hidden_ms": round(hidden_ms, 2), "move_table_hidden_bytes": hidden_bytes,
        "move_table_hidden_bytes_raw": hidden_raw,
        "naive_ms_p95": round(naive["ms"]["p95"], 2),
        "callbacks": {tab: {k: {"ms_median": round(v["ms"]["median"], 2), "ms_p95": round(v["ms"]["p95"], 2),
                                "answers": v["answers"], "bytes_gzip": v["bytes_gzip"], "bytes_raw": v["bytes_raw"]}
                            for k, v in callbacks.items()}
                      for tab, callbacks in (("table_tab", project), ("other_tab", hidden))},
        "callback_parts": sorted((p for v in project.values() for p in v["parts"]), key=lambda p: -p["gzip_saved"]),
        "callback_profile": server["profile"],
        "geometry": server["geometry"],
        "startup_phases": server["startup"],
        "report_rows_ms": round(server["report"]["ms"]["median"], 1),
        "requests_per_press": moves.get("requests_per_press"),
        "requests_per_press_table_hidden": (b.get("moves_table_hidden") or {}).get("requests_per_press"),
        "load_requests": cold.get("load_requests"),
        "repaint": {k: v for k, v in moves.items() if k not in ("median", "p95")} or None,
        "repaint_samples_ms": b.get("move_samples_ms"),
        "repaint_samples": b.get("move_samples"),
        "repaint_table_hidden": b.get("moves_table_hidden"),
        "map_only": b.get("map_only"),
        "cold_start": cold or None,
        "warm_start": warm or None,
        "peak_rss_after_all_mb": b.get("peak_rss_after_all_mb"),
        **extra,
    }
    if b.get("profile"):
        out["repaint_profile"] = b["profile"]
    return out


# -- printing -----------------------------------------------------------------------------
def _fmt(value, spec: str = ".0f", none: str = "–") -> str:
    return none if value is None else format(value, spec)


def _kb(n) -> str:
    return "–" if n is None else f"{n / 1024:.1f}"


def table(rows: list[dict]) -> str:
    head = ["case", "units", "callback ms", "callback KB gz (raw)", "+ table request ms / KB gz", "naive ms",
            "naive KB gz", "naive/proj bytes", "naive/proj ms", "repaint ms med / p95", "repaint, table tab hidden",
            "cold / warm start s", "page → map s cold / warm", "peak RSS MB"]
    body = []
    for r in rows:
        hidden = r.get("repaint_table_hidden") or {}
        body.append([
            r["name"], f"{r['districts']:,}", _fmt(r["callback_ms"], ".1f"),
            f"{_kb(r['callback_bytes'])} ({_kb(r['callback_bytes_raw'])})",
            f"{_fmt(r['table_request_ms'], '.1f')} / {_kb(r['table_request_bytes'])}", _fmt(r["naive_ms"], ".1f"),
            _kb(r["naive_bytes"]), f"{r['ratio_bytes']:.1f}×", f"{r['ratio_ms']:.1f}×",
            f"{_fmt(r['repaint_ms_median'])} / {_fmt(r['repaint_ms_p95'])}", _fmt(hidden.get("median")),
            f"{_fmt(r['cold_start_s'], '.1f')} / {_fmt(r['warm_start_s'], '.1f')}",
            f"{_fmt(r.get('first_map_s'), '.1f')} / {_fmt(r.get('first_map_warm_s'), '.1f')}", _fmt(r["peak_rss_mb"]),
        ])
    targets = ["target", f"{TARGET_UNITS}", f"≤ {TARGETS['callback_ms']:g}", f"≤ {TARGETS['callback_bytes'] / 1024:g}",
               "", "", "", f"≥ {TARGETS['ratio_bytes']:g}×", "", f"≤ {TARGETS['repaint_ms_median']:g} (med)", "",
               f"≤ {TARGETS['warm_start_s']:g} (warm)", f"≤ {TARGETS['first_map_warm_s']:g} (warm)", ""]
    grid = [head, *body, targets]
    widths = [max(len(row[i]) for row in grid) for i in range(len(head))]
    lines = []
    for n, row in enumerate(grid):
        lines.append("  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths))))
        if n == 0 or n == len(body):
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _phases(startup: dict | None) -> str:
    if not startup:
        return "–"
    keys = ("imports_s", "dataset_s", "app_s", "page_s", "geometry_s", "table_block_s")
    return " / ".join(f"{startup['warm'][k]:.2f} ({startup['cold'][k]:.2f})" for k in keys)


def details(rows: list[dict]) -> str:
    """Where the time and bytes go: the second table."""
    head = ["case", "move, table tab hidden: ms / KB gz", "largest output (KB gz saved)",
            "repaint: key→new values / →idle ms", "received by repaint KB", "map alone: feature-state ms",
            "geometry once KB gz", "vertices / polygon", "report_rows ms", "requests / press (table shown, hidden; page load)",
            "server start warm (cold) s: imports / dataset / app / page / geometry / table block"]
    body = []
    for r in rows:
        part = max(r["callback_parts"], key=lambda p: p["gzip_saved"]) if r["callback_parts"] else None
        rep = r.get("repaint") or {}
        mo = r.get("map_only") or {}
        geo = r["geometry"]
        body.append([
            r["name"], f"{r['move_table_hidden_ms']:.1f} / {_kb(r['move_table_hidden_bytes'])}",
            f"{part['part']} ({_kb(part['gzip_saved'])})" if part else "–",
            f"{_fmt(rep.get('values_ms_median'))} / {_fmt(rep.get('draw_ms_median'))}",
            _kb(rep.get("move_transfer_bytes_median")),
            _fmt(mo.get("feature_state_ms_median")),
            _kb(geo["bytes_gzip"]), f"{geo['vertices_mean']:.0f}", _fmt(r.get("report_rows_ms"), ".1f"),
            f"{_fmt(r.get('requests_per_press'), '.0f')}, {_fmt(r.get('requests_per_press_table_hidden'), '.0f')}; "
            f"{_fmt(r.get('load_requests'), '.0f')}",
            _phases(r.get("startup_phases")),
        ])
    grid = [head, *body]
    widths = [max(len(row[i]) for row in grid) for i in range(len(head))]
    lines = []
    for n, row in enumerate(grid):
        lines.append("  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def verdicts(rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        if r["districts"] == TARGET_UNITS:
            checks = [
                ("callback", r["callback_ms"], TARGETS["callback_ms"], "ms", lambda v, t: v <= t),
                ("callback size", r["callback_bytes"] / 1024, TARGETS["callback_bytes"] / 1024, "KB gzip",
                 lambda v, t: v <= t),
                ("less data than naive (whole move, same content)", r["ratio_bytes"], TARGETS["ratio_bytes"], "×",
                 lambda v, t: v >= t),
                ("repaint median", r["repaint_ms_median"], TARGETS["repaint_ms_median"], "ms", lambda v, t: v <= t),
                ("map drawn after `python app.py` started (warm cache)", r.get("warm_start_s"),
                 TARGETS["warm_start_s"], "s", lambda v, t: v <= t),
                ("map drawn after the page request (server up, warm cache)", r.get("first_map_warm_s"),
                 TARGETS["first_map_warm_s"], "s", lambda v, t: v <= t),
                ("requests per key press, table shown", r.get("requests_per_press"), TARGETS["requests_per_press"],
                 "", lambda v, t: v <= t),
            ]
            for label, value, target, unit, ok in checks:
                if value is None:
                    out.append(f"{r['name']}: {label}: not measured (target {target:g} {unit})")
                else:
                    verdict = "met" if ok(value, target) else "MISSED"
                    shown = f"{value:.1f} {unit}".strip()
                    limit = f"{'≥' if unit == '×' else '≤'} {target:g} {unit if unit != '×' else ''}".strip()
                    out.append(f"{r['name']} ({r['districts']} units): {label} {shown} (target {limit}): {verdict}")
        elif r["name"] == "synthetic":
            hidden = (r.get("repaint_table_hidden") or {}).get("median")
            median = r["repaint_ms_median"]
            verdict = "–" if median is None else ("met" if median <= SYNTHETIC_REPAINT_MS else "MISSED")
            warm = r["warm_start_s"]
            warm_verdict = "–" if warm is None else ("met" if warm <= SYNTHETIC_WARM_START_S else "MISSED")
            out.append(f"synthetic ({r['districts']:,} polygons): repaint median {_fmt(median)} ms "
                       f"with the table tab shown (target ≤ {SYNTHETIC_REPAINT_MS:g}: {verdict}), {_fmt(hidden)} ms "
                       f"with it hidden; map drawn after `python app.py` started {_fmt(warm, '.1f')} s with a warm "
                       f"cache (target ≤ {SYNTHETIC_WARM_START_S:g}: {warm_verdict}), cold "
                       f"{_fmt(r['cold_start_s'], '.1f')} s; page → map {_fmt(r.get('first_map_s'), '.1f')} s")
            rows_ms = r.get("report_rows_ms")
            out.append(f"synthetic ({r['districts']:,} polygons): report_rows {_fmt(rows_ms, '.1f')} ms (target ≤ "
                       f"{REPORT_ROWS_MS:g}: {'met' if rows_ms is not None and rows_ms <= REPORT_ROWS_MS else 'MISSED'})")
    return out


# -- main ---------------------------------------------------------------------------------
def dataset_ref(name: str) -> tuple[str, dict]:
    if name != "synthetic":
        return name, {}
    from bench.synthetic import ensure_dataset

    folder, info = ensure_dataset(log=log)
    return str(folder), {"synthetic": info}


def main(argv=None) -> int:
    args = parse_args(argv)
    mode_name = "quick" if args.quick else "full"
    mode = MODES[mode_name]
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)

    from bench import browser as web

    if not args.no_browser and web.browser_missing():
        log(f"headless Chromium is missing ({', '.join(web.browser_missing())}): install Debian's chromium and "
            "chromium-driver (`make browser`), or pass --no-browser")
        return 2

    work = Path(tempfile.mkdtemp(prefix="caregap-bench-"))
    # this process's own geometry cache and scenario database (the servers get theirs per case)
    os.environ["CAREGAP_CACHE_DIR"] = str(work / "inprocess-cache")
    os.environ["CAREGAP_DATA_DIR"] = str(work / "inprocess-data")
    started = time.monotonic()
    rows: list[dict] = []
    failures: list[str] = []
    driver = None
    # a last resort if something hangs anyway: end the run (the SIGTERM handler unwinds and cleans up)
    watchdog = threading.Timer(HARD_LIMIT[mode_name] * len(args.cases) / len(CASES) + 300,
                               lambda: (log("time limit of the whole run reached: stopping"),
                                        os.kill(os.getpid(), signal.SIGTERM)))
    watchdog.daemon = True
    watchdog.start()
    try:
        from bench.inprocess import slider_callbacks

        slider_callbacks()  # fails early, with a message, if the app's slider path is not where expected
        refs = {name: dataset_ref(name) for name in args.cases}
        meta = {"versions": versions(), "machine": platform.machine()}
        if not args.no_browser:
            driver = web.start_chromium(work / "chromium")
        for name in args.cases:
            ref, extra = refs[name]
            case_started = time.monotonic()
            log(f"[{name}] {ref}")
            server = server_side(name, ref, mode, work)
            browser, error = None, None
            if driver is not None:
                log(f"  [{name}] app.py in headless Chromium")
                plan = {"moves": mode["moves"], "hidden_moves": mode["hidden_moves"], "map_only": mode["map_only"],
                        "budget": mode["budget"], "start_timeout": START_TIMEOUT, "move_timeout": MOVE_TIMEOUT,
                        "profile": args.profile}
                try:
                    browser = web.measure_case(driver, ref, plan, work / name, log=lambda m: log(f"  [{name}]{m}"))
                except Exception as exc:  # noqa: BLE001 - reported, and the next case gets a fresh browser
                    error = f"{type(exc).__name__}: {exc}".strip()[:4000]
                    log(f"  [{name}] browser measurement FAILED: {error}")
                    failures.append(name)
                    web.stop_chromium(driver)
                    driver = None
                    driver = web.start_chromium(work / f"chromium-after-{name}")
            row = record(name, server, browser, mode_name, mode, {**extra, **meta})
            if error:
                row["browser_error"] = error
            row["case_seconds"] = round(time.monotonic() - case_started, 1)
            rows.append(row)
    finally:
        watchdog.cancel()
        if driver is not None:
            web.stop_chromium(driver)
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    target = Path(args.json)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(rows))
    print()
    print(details(rows))
    print()
    for line in verdicts(rows):
        print(line)
    print(f"\n{mode_name} run on {os.cpu_count()} cores in {time.monotonic() - started:.0f} s; results in {target}")
    if failures:
        print(f"browser measurement failed for {', '.join(failures)} (see browser_error in the JSON)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
