"""The `optimal` rule: the fewest shortfalls summed over all plan years, as a mixed-integer program (HiGHS).

The greedy rules look at one year at a time; this one sees the whole ramp. Example: an area whose requirement
falls next year (a shrinking population) is short now, another area is a little less short now and stays so.
Largest-shortfall-first gives the post to the first area, which needs it for one year; the program gives it to
the second, where it closes a shortfall in every year (see tests/test_planning.py).

Same limits and the same "only where still short" rule as the greedy rules, in whole steps:
    minimise    Σ_a,t short[a,t]
    subject to  short[a,t] ≥ gap[a,t] − step·N[a,t],  short ≥ 0,  N[a,t] = Σ_{τ≤t} n[a,τ],  n integer ≥ 0
                Σ_a n[a,t] ≤ hires in steps;  Σ_a N[a,t] ≤ money cap in steps (looking ahead, as the greedy rules)
                n[a,t] > 0 only if N[a,t] ≤ steps that close gap[a,t] (binary z[a,t]: the last step starts short)
Several plans can be equally good; a tiny cost on each step makes the program add no step it does not need.
"""

from __future__ import annotations

import contextlib
import os
import sys

import numpy as np

from dashboard.planning.inputs import Limits, PlanError, PlanInputs, cumulative_cap_steps, steps_needed, whole_steps

STEP_PENALTY = 1e-6  # per step, in shortfall posts: far below any step, decides only between equal plans


@contextlib.contextmanager
def _quiet_stdout():
    """HiGHS prints a banner from C++ when created; keep stdout clean (the CLI writes JSON/CSV there)."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def optimal_steps(inputs: PlanInputs, limits: Limits) -> tuple[np.ndarray, list[int]]:
    import highspy

    n, years = len(inputs.area_ids), len(inputs.years)
    step = limits.step_fte
    gap = inputs.gap
    close = steps_needed(gap, step)  # steps from none that close each year's shortfall
    big = int(close.max(initial=0))  # an area never holds more: each step needs N ≤ close in its year
    cells = n * years
    idx = np.arange(cells).reshape(n, years)
    n_col, z_col, s_col = idx, cells + idx, 2 * cells + idx

    with _quiet_stdout():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)  # one thread: the same answer on every run
    h.setOptionValue("mip_rel_gap", 0.0)  # proven optimal, not within the default 0.01 %
    upper_n = np.where(close > 0, close, 0).astype(float).ravel()
    h.addVars(cells, np.zeros(cells), upper_n)
    h.addVars(cells, np.zeros(cells), (close > 0).astype(float).ravel())
    h.addVars(cells, np.zeros(cells), np.full(cells, np.inf))
    all_cols = np.arange(3 * cells, dtype=np.int32)
    cost = np.concatenate([np.full(cells, STEP_PENALTY), np.zeros(cells), np.ones(cells)])
    h.changeColsCost(3 * cells, all_cols, cost)
    h.changeColsIntegrality(2 * cells, all_cols[:2 * cells], np.ones(2 * cells, dtype=np.uint8))

    rows = _Rows()
    for a in range(n):
        for t in range(years):
            held = list(n_col[a, :t + 1])
            # short + step·N ≥ gap
            rows.add([s_col[a, t]] + held, [1.0] + [step] * (t + 1), gap[a, t], np.inf)
            if close[a, t] > 0:
                # n ≤ M·z ; N + M·z ≤ close + M  (z = 1 ⇒ N ≤ close)
                rows.add([n_col[a, t], z_col[a, t]], [1.0, -float(big)], -np.inf, 0.0)
                rows.add(held + [z_col[a, t]], [1.0] * (t + 1) + [float(big)], -np.inf, float(close[a, t] + big))
    hires = whole_steps(np.inf if limits.hires_fte is None else limits.hires_fte, step)
    cap = cumulative_cap_steps(limits, inputs)
    for t in range(years):
        if hires < big * n:
            rows.add(list(n_col[:, t]), [1.0] * n, -np.inf, float(hires))
        if cap[t] < big * n:
            cols = [c for a in range(n) for c in n_col[a, :t + 1]]
            rows.add(cols, [1.0] * len(cols), -np.inf, float(cap[t]))
    rows.pass_to(h)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise PlanError(f"the solver found no optimal plan ({h.modelStatusToString(h.getModelStatus())})")
    values = np.asarray(h.getSolution().col_value)
    steps = np.rint(values[:cells]).astype(np.int64).reshape(n, years)
    first = []  # no order of picking within a year here: by year, then id
    for t in range(years):
        first += [a for a in range(n) if steps[a, t] > 0 and steps[a, :t].sum() == 0]
    return steps, first


class _Rows:
    """Constraint rows collected as a sparse matrix, passed to the solver at once."""

    def __init__(self):
        self.lower, self.upper, self.starts, self.indices, self.values = [], [], [], [], []

    def add(self, cols, coefs, lower: float, upper: float) -> None:
        self.starts.append(len(self.indices))
        self.indices += [int(c) for c in cols]
        self.values += coefs
        self.lower.append(lower)
        self.upper.append(upper)

    def pass_to(self, h) -> None:
        if self.lower:
            h.addRows(len(self.lower), np.array(self.lower), np.array(self.upper), len(self.indices),
                      np.array(self.starts, dtype=np.int32), np.array(self.indices, dtype=np.int32),
                      np.array(self.values, dtype=float))
