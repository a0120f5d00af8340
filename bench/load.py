"""Load test: slider moves from N concurrent clients against a running server on 127.0.0.1.

```
python bench/load.py --url http://127.0.0.1:8050 [--dataset deutschland] [--clients 10,25,50]
                     [--moves 20] [--seconds 60] [--table]
```

A move is the request a browser sends when a target-ratio slider is let go: the `update` callback
of `callbacks/update.py` (map colours, summary, link), POSTed to `/_dash-update-component` with
the page's widget values, `ratio-overrides` changed. `--table` adds the request for the table's
first page of rows that the grid sends after each move when the table tab is open. The requests'
shape is read from the running app (`/_dash-dependencies`) and the widget values from the page it
renders for `?dataset=…`, so the script follows the app and needs nothing but the standard library.
Every move of every client asks for a view of its own (its ratio differs by a millionth).

Bounded: each client makes at most `--moves` moves and stops at `--seconds`; each request times
out after 30 s. Only loopback addresses are accepted. Prints, per client count, p50/p95/max
latency, moves per second and errors (any status but 200, or a timeout).
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit

UPDATE_PATH = "/_dash-update-component"
TRIGGER = "ratio-overrides.data"
REQUEST_TIMEOUT_S = 30
LOOPBACK = ("127.0.0.1", "localhost", "::1")
MAX_MOVES = 10_000  # per client (--moves)


def _connection(url: str) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    if parts.hostname not in LOOPBACK:
        raise SystemExit(f"only loopback targets are allowed, not {parts.hostname}")
    return http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=REQUEST_TIMEOUT_S)


def _request(conn, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
    data = None if body is None else json.dumps(body).encode()
    conn.request(method, path, body=data, headers={"Content-Type": "application/json",
                                                   "Accept-Encoding": "gzip"} if data else {})
    response = conn.getresponse()
    answer = response.read()
    if response.getheader("Content-Encoding") == "gzip":  # compressed as for a browser
        answer = gzip.decompress(answer)
    return response.status, answer


def _key(dependency: dict) -> str:
    return f"{dependency['id']}.{dependency['property']}"


def widget_values(node, values: dict) -> None:
    """Every prop of every component with an id in a rendered layout, into `values` as `id.prop`
    (pattern-matching ids, e.g. one ratio slider per service, as sorted JSON)."""
    if isinstance(node, list):
        for child in node:
            widget_values(child, values)
    elif isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict):
            key = props.get("id")
            if isinstance(key, dict):
                key = json.dumps(key, sort_keys=True)
            if isinstance(key, str):
                values.update({f"{key}.{p}": v for p, v in props.items()})
            for value in props.values():
                widget_values(value, values)


def _callback_body(spec: dict, values: dict, changed: str) -> dict:
    outputs = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]}
               for o in spec["output"].strip(".").split("...")]
    return {"output": spec["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [dict(i, value=values.get(_key(i))) for i in spec["inputs"]],
            "state": [dict(s, value=values.get(_key(s))) for s in spec["state"]],
            "changedPropIds": [changed]}


class Page:
    """The requests of a slider move, built from the running app for one dataset."""

    def __init__(self, url: str, dataset: str, table: bool):
        conn = _connection(url)
        status, body = _request(conn, "GET", "/_dash-dependencies")
        if status != 200:
            raise SystemExit(f"GET /_dash-dependencies answered {status}")
        deps = json.loads(body)
        render = next(d for d in deps if {_key(i) for i in d["inputs"]} == {"url.pathname", "url.search"})
        slider = [d for d in deps if TRIGGER in {_key(i) for i in d["inputs"]}
                  and not d.get("clientside_function")]
        self.update = next(d for d in slider if "map.paint" in d["output"])
        # with the table shown, the grid asks for its first page of rows in the view the move's answer names
        self.table = next(d for d in deps if "table.getRowsResponse" in d["output"]) if table else None
        status, body = _request(conn, "POST", UPDATE_PATH, _callback_body(
            render, {"url.pathname": "/", "url.search": f"?dataset={dataset}"}, "url.search"))
        if status != 200:
            raise SystemExit(f"first render answered {status}: {body[:300]!r}")
        response = json.loads(body)["response"]
        self.values: dict = {}
        widget_values(response["page"]["children"], self.values)
        self.values["view-query.data"] = response["view-query"]["data"]
        self.values.setdefault("present.data", False)
        self.values["tabs.active_tab"] = "tab-table"
        grid = self.values.get("table.dashGridOptions") or {}
        self.rows = {"startRow": 0, "endRow": grid.get("cacheBlockSize") or 100, "sortModel": [], "filterModel": {}}
        service = self.values["service.value"]
        service = service if service != "all" else next(iter(self.values["ratio-overrides.data"] or {"beratung": 0}))
        slider = json.dumps({"service": service, "type": "ratio-slider"}, sort_keys=True)
        self.service = service
        self.ratio = float(self.values[f"{slider}.value"])
        conn.close()

    def moves(self, n: int, client: int = 0):
        """The bodies of move `n` of client `client`: the ratio five steps up, five back, …, 1 % a step,
        plus a millionth per move that no other move of any client has, so each move asks for a view of
        its own (a server keeps the figures of recent views: repeats would measure that, not a move)."""
        step = n % 10
        offset = step if step <= 5 else 10 - step
        ratio = round(self.ratio * (1 + 0.01 * (offset + 1)) + 1e-6 * (client * MAX_MOVES + n + 1), 6)
        values = dict(self.values, **{TRIGGER: {self.service: ratio}})
        return [_callback_body(self.update, values, TRIGGER)]

    def table_rows(self, move_answer: bytes) -> dict | None:
        """The grid's request for its rows after a move (None without --table)."""
        if self.table is None:
            return None
        query = json.loads(move_answer)["response"]["view-query"]["data"]
        values = {"table.getRowsRequest": self.rows, "view-query.data": query}
        return _callback_body(self.table, values, "table.getRowsRequest")


def run(url: str, page: Page, clients: int, moves: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        conn = _connection(url)
        for n in range(moves):
            if time.monotonic() > deadline:
                break
            start = time.perf_counter()
            try:
                for body in page.moves(n, index):
                    status, answer = _request(conn, "POST", UPDATE_PATH, body)
                    if status not in (200, 204):
                        raise RuntimeError(f"HTTP {status}: {answer[:120]!r}")
                    rows = page.table_rows(answer)
                    if rows is not None:
                        status, answer = _request(conn, "POST", UPDATE_PATH, rows)
                        if status != 200 or not json.loads(answer)["response"]["table"]["getRowsResponse"]["rowData"]:
                            raise RuntimeError(f"table rows: HTTP {status}: {answer[:120]!r}")
            except Exception as exc:  # noqa: BLE001 (every failure counts as an error, the run goes on)
                conn.close()
                conn = _connection(url)
                with lock:
                    errors.append(str(exc))
                continue
            with lock:
                latencies.append(time.perf_counter() - start)
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT_S * 2)
    wall = time.perf_counter() - started
    ordered = sorted(latencies) or [float("nan")]
    return {"clients": clients, "moves": len(latencies), "errors": len(errors),
            "first_error": errors[0] if errors else None, "seconds": round(wall, 2),
            "moves_per_s": round(len(latencies) / wall, 1),
            "p50_ms": round(1000 * statistics.median(ordered)),
            "p95_ms": round(1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]),
            "max_ms": round(1000 * ordered[-1])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8050")
    parser.add_argument("--dataset", default="deutschland")
    parser.add_argument("--clients", default="10,25,50", help="comma-separated client counts, one run each")
    parser.add_argument("--moves", type=int, default=20, help="moves per client (at most)")
    parser.add_argument("--seconds", type=float, default=60, help="time limit per run")
    parser.add_argument("--table", action="store_true", help="also request the table rows with each move")
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args(argv)
    if not 0 < args.moves <= MAX_MOVES:
        parser.error(f"--moves must be between 1 and {MAX_MOVES}")
    page = Page(args.url, args.dataset, args.table)
    results = []
    print(f"{'clients':>7} {'moves':>6} {'errors':>6} {'moves/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for clients in (int(c) for c in args.clients.split(",")):
        r = run(args.url, page, clients, args.moves, args.seconds)
        results.append(r)
        print(f"{r['clients']:>7} {r['moves']:>6} {r['errors']:>6} {r['moves_per_s']:>8} {r['p50_ms']:>7} "
              f"{r['p95_ms']:>7} {r['max_ms']:>7}" + (f"  first error: {r['first_error']}" if r["errors"] else ""))
        sys.stdout.flush()
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1)
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
