"""A real app process on 127.0.0.1 for tests that talk HTTP to it (Dash registers its callbacks with
the first app of a process, so a second app made in the test process would answer none of them)."""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
import time
import urllib.request

from layouts import ids

from .conftest import FIXTURES, REPO

TINY = FIXTURES / "tiny"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback never through a proxy


def get(url: str, body: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"})
    with _DIRECT.open(request, timeout=60) as response:
        data = response.read()
        if response.headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        return response.status, data


class Server:
    def __init__(self, data_dir, env, dataset=TINY):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir.with_suffix(".log")
        with open(self.log, "wb") as log:  # a file, not a pipe nobody reads (which would block the server)
            self.proc = subprocess.Popen([sys.executable, "app.py", "--port", str(self.port), "--dataset", str(dataset)],
                                         cwd=REPO, env={**env, "CAREGAP_DATA_DIR": str(data_dir)},
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)

    def wait(self) -> None:
        deadline = time.time() + 90
        while True:
            try:
                get(self.url + "/_dash-dependencies")
                return
            except OSError:
                if time.time() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise AssertionError(self.log.read_text(errors="replace")[-3000:])
                time.sleep(0.3)

    def stop(self) -> None:
        self.proc.terminate()  # no effect on a process that ended
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def first_render(self, search: str) -> dict:
        deps = json.loads(get(self.url + "/_dash-dependencies")[1])
        render = next(d for d in deps if {(i["id"], i["property"]) for i in d["inputs"]}
                      == {(ids.URL, "pathname"), (ids.URL, "search")})
        status, body = get(self.url + "/_dash-update-component", {
            "output": render["output"],
            "outputs": [{"id": ids.PAGE, "property": "children"}, {"id": ids.VIEW_QUERY, "property": "data"}],
            "inputs": [{"id": ids.URL, "property": "pathname", "value": "/"},
                       {"id": ids.URL, "property": "search", "value": search}],
            "changedPropIds": [f"{ids.URL}.search"], "state": []})
        assert status == 200
        return json.loads(body)["response"]
