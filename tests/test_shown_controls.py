"""Controls and tabs are offered only where they mean something: radius and decay with the distance rule,
the provider view where the sites name providers to compare."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from dashboard.dataset import load_dataset
from dashboard.providers import named_providers, providers_compared
from dashboard.view import default_view
from layouts import ids
from layouts.controls import DISTANCE, catchment_controls

from .conftest import FIXTURES


def test_providers_compared_needs_two_named_providers():
    sites = pd.DataFrame({"provider": ["Verein A", " ", None, "Verein B", "Verein A"]})
    assert named_providers(sites) == ["Verein A", "Verein B"]
    assert providers_compared(sites)
    assert not providers_compared(sites[sites["provider"] != "Verein B"])  # one provider: only the totals again
    assert not providers_compared(pd.DataFrame({"name": ["x"]}))  # no provider column at all


@pytest.mark.parametrize("ref, compared", [(FIXTURES / "tiny", True), ("dresden", False), ("deutschland", False)])
def test_bundled_datasets(ref, compared):
    # Dresden's sites all name one illustrative provider, Germany's the statistics office as its source
    assert providers_compared(load_dataset(ref).sites) is compared


def _find(component, component_id):
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        found = _find(child, component_id)
        if found is not None:
            return found
    return None


def test_radius_and_decay_only_with_the_distance_rule():
    dataset = load_dataset(FIXTURES / "tiny")
    view = default_view(dataset, "tiny")
    for rule, hidden in (("own", True), (DISTANCE, False)):
        shown = replace(view, assumptions=replace(view.assumptions, catchment=rule))
        box = _find(catchment_controls(dataset, shown), ids.CATCHMENT_DISTANCE)
        assert box.hidden is hidden, rule
        assert _find(box, ids.RADIUS_KM) is not None and _find(box, ids.DECAY) is not None


def test_provider_tab_offered_only_where_providers_compare():
    from dashboard.loaded import loaded
    from layouts.page import build_page

    for ref, offered in ((FIXTURES / "tiny", True), ("dresden", False)):
        item = loaded(ref)
        page = build_page(item, default_view(item.dataset, str(ref)), {})
        tab = next(t for t in _find(page, ids.TABS).children if t.tab_id == ids.TAB_PROVIDERS)
        assert (getattr(tab, "disabled", False) is not True) is offered, ref
        assert _find(tab, ids.PROVIDERS_TABLE) is not None  # the callback's output is there either way
