"""Saved scenarios as a planner meets them: a second scenario starts without the first one's
description, a changed scenario says so, the list names services and shows local times, and
downloads carry the scenario's name."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from app import create_app
from callbacks.downloads import file_name
from callbacks.scenarios import act_on_scenario, store
from dashboard.view.url import differs_from_scenario
from layouts import ids
from layouts.scenarios import local_time, scenario_list

from .conftest import FIXTURES
from .test_callbacks import texts


@pytest.fixture(scope="module")
def app():
    return create_app(str(FIXTURES / "tiny"))


@pytest.fixture
def request_ctx(app, tmp_path, monkeypatch):
    monkeypatch.setenv("CAREGAP_CACHE_DIR", str(tmp_path))
    with app.server.test_request_context("/"):
        yield


def test_second_scenario_does_not_carry_the_first_ones_description(request_ctx):
    first = act_on_scenario(ids.SCENARIO_SAVE_NEW, "Erster Plan", "Mit zwei neuen Stellen", None, "year=2026")
    first_id = first[11]
    current = {"id": first_id, "revision": 1, "name": "Erster Plan"}
    # the description box still shows the first scenario's text when the second is saved
    second = act_on_scenario(ids.SCENARIO_SAVE_NEW, "Zweiter Plan", "Mit zwei neuen Stellen", current,
                             f"scenario={first_id}&year=2025")
    assert store().get(second[11]).description == ""
    # a description typed for the second one is kept
    third = act_on_scenario(ids.SCENARIO_SAVE_NEW, "Dritter Plan", "Eigener Text", current, f"scenario={first_id}")
    assert store().get(third[11]).description == "Eigener Text"


def test_changed_scenario_is_marked(request_ctx):
    out = act_on_scenario(ids.SCENARIO_SAVE_NEW, "Plan mark", "", None, "year=2026")
    sid = out[11]
    assert differs_from_scenario(f"scenario={sid}") is False
    assert differs_from_scenario(f"scenario={sid}&lang=en&present=1") is False  # shown differently, same figures
    assert differs_from_scenario(f"scenario={sid}&year=2025") is True
    assert differs_from_scenario("year=2025") is False  # no scenario open: nothing to mark


def test_list_names_services_and_local_times(request_ctx):
    act_on_scenario(ids.SCENARIO_SAVE_NEW, "Plan labels", "", None, "year=2026")
    saved = [s for s in store().list() if s.name == "Plan labels"]
    listed = " ".join(texts(scenario_list(saved, "de", None, {"beratung": "Seniorenberatung"})))
    assert "2026 · Seniorenberatung ·" in listed and "2026 · beratung" not in listed
    assert local_time(saved[0].updated_at) in listed


def test_local_time_is_the_servers_zone(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        assert local_time(datetime(2026, 12, 6, 21, 30, tzinfo=timezone.utc)) == "06.12.2026 22:30"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_download_names_carry_the_scenario():
    assert file_name("dresden", "beratung", 2026, "csv", "Plan für Süd") == "caregap-dresden-beratung-2026-Plan_fuer_Sued.csv"
    assert file_name("dresden", "beratung", 2026, "pdf") == "caregap-dresden-beratung-2026.pdf"


def test_an_unreadable_saved_scenario_is_listed_not_fatal():
    """One damaged row must not take the page down: it is listed with what is wrong, so it can be deleted."""
    from datetime import datetime

    from dashboard.scenarios import Scenario
    from layouts.scenarios import scenario_list

    when = datetime(2026, 1, 5, 9, 0)
    broken = Scenario("bad1", "Alt", "", "dresden", "v0", {"version": 2, "assumptions": {"year": "soon"}, "view": {}},
                      when, when, 1)
    words = str(scenario_list([broken], "de", None).to_plotly_json())
    assert "Alt" in words and "bad1" in words and "lässt sich nicht lesen" in words
