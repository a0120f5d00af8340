"""The figures of a view are computed once for the requests that follow a slider move (the table's
rows, the area under the pointer): the same figures as the calculator's, kept for the last views."""

from dataclasses import replace

import pytest

from dashboard.loaded import KEPT_RESULTS, loaded
from dashboard.scenario import Assumptions, ScenarioError

from .conftest import FIXTURES


def test_a_view_is_computed_once_then_served_from_the_kept_figures(monkeypatch):
    item = loaded(FIXTURES / "tiny")
    view = Assumptions.defaults(item.dataset).with_ratio("beratung", 1000)
    first = item.result(view)
    assert first.summary.soll_fte == 9.0  # 9,000 people aged 60+ at 1 : 1,000 (see test_scenario.py)
    monkeypatch.setattr(item.calculator, "compute", lambda a, year=None: pytest.fail("computed again"))
    assert item.result(replace(view)) is first  # an equal view, as the next request parses it
    monkeypatch.undo()
    other = item.result(view.with_ratio("beratung", 500))
    assert other.summary.soll_fte == 18.0 and first.summary.soll_fte == 9.0


def test_only_the_last_views_are_kept_and_a_bad_view_fails_every_time():
    item = loaded(FIXTURES / "tiny")
    base = Assumptions.defaults(item.dataset)
    views = [base.with_ratio("beratung", 1000 + i) for i in range(KEPT_RESULTS + 1)]
    first = item.result(views[0])
    for view in views[1:]:
        item.result(view)
    assert item.result(views[-1]) is item.result(views[-1])
    assert item.result(views[0]) is not first  # the oldest was let go, computed again: same figures
    assert item.result(views[0]).summary == first.summary
    bad = replace(base, year=1900)
    for _ in range(2):
        with pytest.raises(ScenarioError):
            item.result(bad)
