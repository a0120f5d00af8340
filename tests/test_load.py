"""bench/load.py against a running app: slider moves from concurrent clients, each asking for a view
of its own, answered without an error."""

import json
import os

from bench import load

from .appserver import Server


def test_the_load_test_replays_slider_moves_against_a_running_app(tmp_path):
    server = Server(tmp_path / "host", dict(os.environ))
    try:
        server.wait()
        out = tmp_path / "load.json"
        assert load.main(["--url", server.url, "--dataset", "tiny", "--clients", "1,3", "--moves", "4", "--table",
                          "--json", str(out)]) == 0
        runs = json.loads(out.read_text(encoding="utf-8"))
        assert [(r["clients"], r["moves"], r["errors"]) for r in runs] == [(1, 4, 0), (3, 12, 0)]
        page = load.Page(server.url, "tiny", table=True)
        ratios = {json.dumps(body["inputs"]) for client in range(3) for n in range(12) for body in page.moves(n, client)}
        assert len(ratios) == 36  # no two moves ask for the same view (the server keeps recent views' figures)
    finally:
        server.stop()
