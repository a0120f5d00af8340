"""The served app answers on HTTP with the bundled dataset's page."""

import json
import socket
import subprocess
import sys
import time
import urllib.request

from .conftest import FIXTURES, REPO


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_app_serves_page():
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port), "--dataset", str(FIXTURES / "tiny")],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while True:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
                geo = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/geo/tiny/bezirk.geojson", timeout=5).read())
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise AssertionError(proc.stdout.read().decode() if proc.poll() is not None else "no answer")
                time.sleep(0.3)
        assert "<title>CareGap</title>" in page
        assert [f["id"] for f in geo["features"]] == ["Nord", "Süd"]
    finally:
        proc.terminate()
        proc.wait(10)


def test_wsgi_factory(monkeypatch):
    import app as entry
    monkeypatch.setenv("CAREGAP_DATASET", str(FIXTURES / "tiny"))
    server = entry.create_server()
    response = server.test_client().get("/geo/tiny/ortsteil.geojson")
    assert response.status_code == 200 and len(response.get_json()["features"]) == 3
    assert "immutable" in response.headers["Cache-Control"]  # the URL carries the data version
    client = server.test_client()
    assert client.get("/geo/nowhere/ortsteil.geojson").status_code == 404  # unknown dataset
    assert client.get("/geo/tiny/gemeinde.geojson").status_code == 404  # level the dataset lacks
