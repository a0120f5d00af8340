"""Hostile links and saved scenarios that no longer fit: the page always renders (HTTP 200, through
the same request a browser sends) and says what it could not use; never a 500 or a blank page."""

from __future__ import annotations

import json
import os

import pytest

from dashboard.scenarios import ScenarioStore
from dashboard.scenarios.store import database_url
from dashboard.loaded import loaded
from layouts import ids

from .appserver import TINY, Server

HOSTILE_QUERIES = [
    "?pop=62+", "?pop=0-130", "?pop=61-70", "?pop=abc", "?pop=", "?pop=60+ + 60+", "?pop=1e9+", "?pop=-5+",
    "?pop=0.5*62-79", "?pop=%00", "?pop=60-59",
    "?r.beratung=1e-320", "?r.beratung=0", "?r.beratung=-1", "?r.beratung=nan", "?r.beratung=inf",
    "?r.beratung=1e400", "?r.beratung=abc", "?r.beratung=", "?r.beratung=0.5", "?r.beratung=2e6",
    "?r.unbekannt=2000", "?r.=1", "?r.beratung=1,5e3x",
    "?year=1990", "?year=abc", "?year=", "?year=2025x", "?year=99999999999999999999", "?year=-1",
    "?service=nope", "?service=", "?service=<script>", "?level=nope", "?level=", "?measure=nope",
    "?between=sometimes", "?cost=-1", "?cost=1e12", "?cost=abc", "?cost=nan", "?wage=500", "?wage=-99",
    "?wage=x", "?changes=Z~beratung~2025~1", "?changes=A~nope~2025~1", "?changes=A~beratung~x~1",
    "?changes=A~beratung~2025~x", "?changes=~~~", "?changes=A~beratung", "?changes=A~beratung~2025~1~9",
    "?changes=A~beratung~2025~nan", "?lang=xx", "?basemap=evil", "?scenario=doesnotexist",
    "?scenario=../../etc/passwd", "?dataset=dresden%2F..", "?dataset=../../etc", "?dataset=nope",
    "?year=2025&year=abc&pop=62+&r.beratung=1e-320", "?" + "pop=62+&" * 200,
    "?year=%ZZ", "?year=%E2%80%AE2025", "?pop=60%2B%0D%0A70", "?measure=coverage%00",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on the tiny dataset in its own process, with its own data folder and database."""
    data_dir = tmp_path_factory.mktemp("links")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAREGAP_DATA_DIR", str(data_dir))
        url = database_url()  # the one the server opens: DATABASE_URL, else SQLite in its folder
    app = Server(data_dir, dict(os.environ))
    app.wait()
    app.database = url
    yield app
    app.stop()


def first_render(server, search: str) -> dict:
    """The page's first callback, POSTed as the browser does when it opens `search` (a 500 raises)."""
    return server.first_render(search)


def _alerts(page) -> list[str]:
    """The texts of the page's notices (children of the alert area)."""
    out: list[str] = []

    def text(node) -> str:
        if isinstance(node, str):
            return node
        if isinstance(node, list):
            return "".join(text(n) for n in node)
        if isinstance(node, dict):
            return text(node.get("props", {}).get("children"))
        return ""

    def walk(node) -> None:
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") == ids.ALERT:
                out.extend(text(child) for child in (props.get("children") or []))
                return
            for value in props.values():
                walk(value)

    walk(page)
    return [a for a in out if a]


def test_corpus_is_large_enough():
    assert len(set(HOSTILE_QUERIES)) >= 50


@pytest.mark.parametrize("search", HOSTILE_QUERIES)
def test_hostile_link_renders_with_a_notice(server, search):
    page = first_render(server, search)[ids.PAGE]["children"]  # HTTP 200, else urllib raises
    assert _alerts(page), f"no notice for {search}"


@pytest.mark.parametrize("search, says", [("?pop=62+", "62+"), ("?pop=0-130", "0-130"),
                                          ("?r.beratung=1e-320", "r.beratung=1e-320")])
def test_issue_links_name_the_value_they_refused(server, search, says):
    page = first_render(server, search)[ids.PAGE]["children"]
    assert any(says in a for a in _alerts(page))


def test_ratio_bounds(tiny):
    from dashboard.view.checks import ScenarioError, check_ratio
    check_ratio(tiny, "beratung", 1.0)
    check_ratio(tiny, "beratung", 1e6)
    for bad in (1e-320, 0.999, 1e6 + 1, float("nan"), float("inf"), -5.0):
        with pytest.raises(ScenarioError) as err:
            check_ratio(tiny, "beratung", bad)
        assert "1000000" in err.value.text("en")


def test_scenario_naming_a_removed_district_opens_with_a_notice(server):
    store = ScenarioStore(server.database)
    data = loaded(TINY)
    document = {"version": 2, "view": {"measure": "gap"},
                "assumptions": {"service": "beratung", "year": 2025, "population_rule": "60+",
                                "ratios": {"beratung": 1500.0},
                                "fte_changes": [{"district_id": "GONE", "service": "beratung", "year_from": 2025,
                                                 "delta_fte": 2.0, "note": ""},
                                                {"district_id": "A", "service": "beratung", "year_from": 2025,
                                                 "delta_fte": 1.0, "note": ""}]}}
    saved = store.create("Nach Neuimport", data.dataset.id, data.dataset.version, document)
    answer = first_render(server, f"?scenario={saved.id}&lang=en")
    alerts = _alerts(answer[ids.PAGE]["children"])
    assert any("GONE" in a and "left out" in a and "delete" in a for a in alerts), alerts
    query = answer[ids.VIEW_QUERY]["data"]
    assert f"scenario={saved.id}" in query  # still the scenario: it can be saved over or deleted
    stored = json.dumps(answer)
    assert '"delta_fte": 1.0' in stored and '"delta_fte": 2.0' not in stored  # the fitting change stays
    store.delete(saved.id)


def test_a_district_named_like_a_link_stays_text_in_the_hover(tiny_copy):
    """The hover's title and lines are plain strings, and the map component writes them with
    textContent only (never parsed as HTML), so `<a href=…>` shows as the characters it is."""
    from dashboard.scenario import Assumptions
    from layouts.map import tooltip
    from layouts.mapview import __file__ as mapview_init
    from pathlib import Path

    name = '<a href="http://example.invalid/">Klick</a>'
    geo = tiny_copy / "districts.geojson"
    data = json.loads(geo.read_text(encoding="utf-8"))
    data["features"][0]["properties"]["name"] = name
    geo.write_text(json.dumps(data), encoding="utf-8")
    item = loaded(tiny_copy)
    result = item.calculator.compute(Assumptions.defaults(item.dataset))
    unit = item.dataset.district_order[0]
    tip = tooltip(result, unit, "de", "observed", "v")
    assert tip["title"] == name and isinstance(tip["title"], str)
    script = (Path(mapview_init).parent / "area_map.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "outerHTML" not in script
    assert "title.textContent = " in script
