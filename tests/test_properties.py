"""Invariants of the arithmetic and of the view's codecs, over generated districts and assumptions."""

import argparse
import json
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import metrics
from dashboard.agebands import PRESET_RULES
from dashboard.dataset import load_dataset
from dashboard.i18n import LANGUAGES
from dashboard.mapping import MEASURES
from dashboard.scenario import Assumptions, Calculator, FteChange
from dashboard.scenarios import assumptions_from_dict, assumptions_to_dict
from dashboard.catchment import DECAYS
from dashboard.ratios import SCOPES
from dashboard.view import BASEMAPS, BETWEEN_RULES, COST_RANGE, RADIUS_RANGE, WAGE_RANGE, RatioOverride, View
from dashboard.view.cli import add_view_arguments, view_from_args
from dashboard.view.checks import ScenarioError, check_rule
from dashboard.view.url import encode_changes, from_query, number_text, override_text, to_query

from .conftest import FIXTURES

counts = st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=40)


@given(counts, st.floats(100, 20_000), st.data())
def test_gross_gap_at_least_net_gap(population, ratio, data):
    ist = data.draw(st.lists(st.floats(0, 500, allow_nan=False), min_size=len(population), max_size=len(population)))
    soll = metrics.required_fte(population, ratio)
    gaps = metrics.gap_fte(soll, ist)
    assert metrics.gross_gap(gaps) >= metrics.net_gap(soll, ist) - 1e-6
    assert metrics.net_gap(soll, ist) >= 0
    # the gross gap is the FTE that closing every shortfall takes: adding it covers every district
    filled = np.maximum(ist, soll)
    assert metrics.gross_gap(metrics.gap_fte(soll, filled)) == pytest.approx(0, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(ratio=st.floats(200, 10_000), year=st.sampled_from([2025, 2026]), rule=st.sampled_from(["60+", "65+", "80+"]),
       delta=st.floats(0, 3), service=st.sampled_from(["beratung", "begegnung", "all"]))
def test_levels_sum_to_the_same_city(tiny, ratio, year, rule, delta, service):
    calc = Calculator(tiny)
    a = Assumptions.defaults(tiny, year=year, population_rule=rule, service=service,
                             fte_changes=(FteChange("C", "begegnung", 2025, delta),))
    if service != "all":
        a = a.with_ratio(service, ratio)
    fine, coarse = calc.compute(a), calc.compute(Assumptions(**{**a.__dict__, "level": "bezirk"}))
    for column in ("population", "soll_fte", "ist_fte", "gap_fte", "cost"):
        assert fine.table[column].sum() == pytest.approx(coarse.table[column].sum(), abs=1e-6)
    # grouping lets surplus offset shortfall inside a group: the gross gap can only shrink
    assert coarse.summary.gross_gap_fte <= fine.summary.gross_gap_fte + 1e-9
    assert coarse.summary.net_gap_fte == pytest.approx(fine.summary.net_gap_fte)


# -- the view model: every medium reads back what it wrote -----------------------------------
TINY = load_dataset(FIXTURES / "tiny")  # strategies need the dataset before any fixture runs
SERVICES = list(TINY.settings.services)
finite = dict(allow_nan=False, allow_infinity=False)


def fte_changes(notes=st.just("")):
    change = st.builds(FteChange, st.sampled_from(TINY.district_order), st.sampled_from(SERVICES),
                       st.sampled_from(TINY.years), st.floats(-50, 50, **finite), notes)
    return st.lists(change, max_size=3).map(tuple)


def _fits(rule: str) -> bool:
    try:
        check_rule(TINY, rule)
    except ScenarioError:
        return False
    return True


FITTING_RULES = [r for r in [*PRESET_RULES, "60-79 + 0.5*80+"] if _fits(r)]  # 75+ would cut tiny's band 65-79


# a scenario's ratio: for all years, from a year on, or for one year alone
ratio_overrides = st.builds(RatioOverride, st.sampled_from(SERVICES), st.floats(1, 1e6, **finite),
                            st.sampled_from(SCOPES), st.sampled_from(TINY.years))


def assumptions(notes=st.just("")):
    return st.builds(
        Assumptions, service=st.sampled_from([*SERVICES, "all"]), year=st.sampled_from(TINY.years),
        population_rule=st.sampled_from(FITTING_RULES),
        ratios=st.lists(ratio_overrides, max_size=4, unique_by=lambda o: (o.service, o.year)).map(tuple),
        between_milestones=st.sampled_from([None, *BETWEEN_RULES]),
        fte_cost_eur=st.none() | st.floats(*COST_RANGE, **finite),
        wage_growth=st.none() | st.floats(*WAGE_RANGE, **finite),
        fte_changes=fte_changes(notes), level=st.sampled_from(TINY.settings.level_names),
        catchment=st.sampled_from([None, "own", "distance", *(f"level:{x}" for x in TINY.settings.level_names)]),
        radius_km=st.none() | st.floats(*RADIUS_RANGE, **finite), decay=st.sampled_from([None, *DECAYS]))


views = st.builds(View, dataset=st.just("tiny"), assumptions=assumptions(), measure=st.sampled_from(MEASURES),
                  lang=st.sampled_from(LANGUAGES), present=st.booleans(), basemap=st.sampled_from(BASEMAPS),
                  scenario=st.none())


@settings(max_examples=200, deadline=None)
@given(view=views, base=st.none() | st.builds(View, dataset=st.just("tiny"), assumptions=assumptions(),
                                              measure=st.sampled_from(MEASURES), scenario=st.just("saved1")))
def test_link_to_view_to_link_is_identity(view, base):
    """URL → model → URL, on top of the defaults or of a saved scenario (which saves assumptions and
    measure only); and the model comes back whole."""
    if base is not None:
        view = replace(view, scenario=base.scenario)
    query = to_query(view, TINY, "tiny", base)
    again = from_query(query, TINY, "tiny", base)
    assert again.notices == ()
    assert again == view
    assert to_query(again, TINY, "tiny", base) == query


@settings(max_examples=200, deadline=None)
@given(a=assumptions(notes=st.text(max_size=20)), measure=st.sampled_from(MEASURES))
def test_json_to_model_to_json_is_identity(a, measure):
    document = json.loads(json.dumps(assumptions_to_dict(a, measure)))  # as the store keeps it
    assert assumptions_from_dict(document) == (a, measure)
    assert assumptions_to_dict(*assumptions_from_dict(document)) == document


def _argv(view: View) -> list[str]:
    """The command line a user types for the view's assumptions."""
    a = view.assumptions
    argv = ["--service", a.service, "--year", str(a.year), "--population", a.population_rule, "--level", a.level,
            "--between", a.between_milestones or "plan", "--measure", view.measure, "--lang", view.lang]
    argv += [f"--ratio={o.service}={override_text(o)}" for o in a.ratios]
    argv += [f"--cost={number_text(a.fte_cost_eur)}"] if a.fte_cost_eur is not None else []
    argv += [f"--wage={number_text(a.wage_growth)}"] if a.wage_growth is not None else []
    argv += [f"--change={encode_changes((c,))}" for c in a.fte_changes]
    argv += ["--catchment", a.catchment or "plan", "--radius-km", number_text(a.radius_km) if a.radius_km else "plan",
             "--decay", a.decay or "plan"]
    return argv


@settings(max_examples=150, deadline=None)
@given(view=views.map(lambda v: replace(v, present=False, basemap="none")))
def test_command_line_and_link_give_the_same_model(view):
    parser = argparse.ArgumentParser()
    add_view_arguments(parser, measure=True)
    from_cli = view_from_args(parser.parse_args(_argv(view)), TINY)
    from_link = from_query(to_query(view, TINY, "tiny"), TINY, "tiny")
    assert from_cli == from_link == view
