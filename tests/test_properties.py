"""Invariants of the arithmetic, over generated districts and assumptions."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import metrics
from dashboard.scenario import Assumptions, Calculator, FteChange

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
