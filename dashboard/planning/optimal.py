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

from dashboard.metrics import FTE_EPSILON
from dashboard.planning.inputs import Limits, PlanError, PlanInputs, cumulative_cap_steps, steps_needed, whole_steps

SPREAD_GAP = 1e-3  # relative: with posts counting over a service area (see `_spread_steps`)
SPREAD_TIME_LIMIT_S = 10.0  # the app waits for it; the best plan found by then is kept
TIME_LIMIT_S = 120.0  # a plan the app waits for; beyond it the greedy rules answer at once
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


def _solver():
    import highspy

    with _quiet_stdout():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)  # one thread: the same answer on every run
    h.setOptionValue("mip_rel_gap", 0.0)  # proven optimal, not within the default 0.01 %
    h.setOptionValue("time_limit", TIME_LIMIT_S)
    return h


def _solve(h, columns: int, best_found: bool = False) -> np.ndarray:
    """Run the program; the first `columns` values, rounded to whole steps. `best_found`: a plan found before the
    time limit will do (the program started from a feasible plan, so there is one)."""
    import highspy

    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kTimeLimit and not best_found:
        raise PlanError("solver_time", seconds=round(TIME_LIMIT_S))
    if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit):
        raise PlanError("solver_failed", status=h.modelStatusToString(status))
    return np.rint(np.asarray(h.getSolution().col_value)[:columns]).astype(np.int64)


def _first_funded(steps: np.ndarray) -> list[int]:
    """No order of picking within a year here: by year, then id."""
    first = []
    for t in range(steps.shape[1]):
        first += [a for a in range(steps.shape[0]) if steps[a, t] > 0 and steps[a, :t].sum() == 0]
    return first


def optimal_steps(inputs: PlanInputs, limits: Limits) -> tuple[np.ndarray, list[int]]:
    if inputs.spread is not None:
        return _spread_steps(inputs, limits)
    n, years = len(inputs.area_ids), len(inputs.years)
    step = limits.step_fte
    gap = inputs.gap
    close = steps_needed(gap, step)  # steps from none that close each year's shortfall
    big = int(close.max(initial=0))  # an area never holds more: each step needs N ≤ close in its year
    cells = n * years
    idx = np.arange(cells).reshape(n, years)
    n_col, z_col, s_col = idx, cells + idx, 2 * cells + idx

    h = _solver()
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
    steps = _solve(h, cells).reshape(n, years)
    return steps, _first_funded(steps)


def _spread_steps(inputs: PlanInputs, limits: Limits) -> tuple[np.ndarray, list[int]]:
    """The program for posts counting over a service area: a step placed in D gives area a step·S_t[D, a].

    Shares of a post make the relaxation weak, so proving the last 0.1 % can take long: the program starts from
    the better greedy plan, stops at 0.1 % of the best bound or after SPREAD_TIME_LIMIT_S with the best plan
    found (never worse than that greedy plan), and then drops every step that closes no shortfall in any year.

    Variables are the steps held, H[D,t] (integer, never falling), so each year's coverage row has one entry per
    place reaching the area:
        minimise    Σ_a,t short[a,t] + penalty·Σ_D H[D,last]
        subject to  short[a,t] + step·Σ_D S_t[D,a]·H[D,t] ≥ gap[a,t],  short ≥ 0,  H[D,t] ≥ H[D,t−1] ≥ 0
                    Σ_D (H[D,t] − H[D,t−1]) ≤ hires in steps;  Σ_D H[D,t] ≤ money cap in steps
    "Only where still short" becomes: every step closes shortfall in some plan year (else the penalty drops it).
    """
    n, years = len(inputs.area_ids), len(inputs.years)
    step = limits.step_fte
    spread = inputs.spread
    short_gap = np.clip(inputs.gap, 0.0, None)
    # more steps in D than close every shortfall it reaches, in every year, close nothing
    with np.errstate(divide="ignore", invalid="ignore"):
        fill = np.where(spread > 0, short_gap.T[:, None, :] / (step * spread), 0.0)
    hires = whole_steps(np.inf if limits.hires_fte is None else limits.hires_fte, step)
    cap = cumulative_cap_steps(limits, inputs)
    most = min(float(np.ceil(fill.max(initial=0.0) + 1)), float(cap.max(initial=0)), float(hires) * years)
    cells = n * years
    held = np.arange(cells).reshape(n, years)
    short = cells + held

    h = _solver()
    h.setOptionValue("mip_rel_gap", SPREAD_GAP)
    h.setOptionValue("time_limit", SPREAD_TIME_LIMIT_S)
    h.addVars(cells, np.zeros(cells), np.full(cells, most))
    h.addVars(cells, np.zeros(cells), np.full(cells, np.inf))
    cost = np.concatenate([np.zeros(cells), np.ones(cells)])
    cost[held[:, -1]] = STEP_PENALTY
    h.changeColsCost(2 * cells, np.arange(2 * cells, dtype=np.int32), cost)
    h.changeColsIntegrality(cells, np.arange(cells, dtype=np.int32), np.ones(cells, dtype=np.uint8))

    rows = _Rows()
    for t in range(years):
        for a in range(n):
            places = np.flatnonzero(spread[t, :, a] > 0)
            rows.add([short[a, t]] + list(held[places, t]), [1.0] + list(step * spread[t, places, a]),
                     inputs.gap[a, t], np.inf)
        if t:
            for d in range(n):
                rows.add([held[d, t], held[d, t - 1]], [1.0, -1.0], 0.0, np.inf)
        if hires < n * most:
            cols, coefs = list(held[:, t]), [1.0] * n
            if t:
                cols, coefs = cols + list(held[:, t - 1]), coefs + [-1.0] * n
            rows.add(cols, coefs, -np.inf, float(hires))
        if cap[t] < n * most:
            rows.add(list(held[:, t]), [1.0] * n, -np.inf, float(cap[t]))
    rows.pass_to(h)
    start = _greedy_start(inputs, limits)
    h.setSolution(_start_values(inputs, step, start))
    holding = _solve(h, cells, best_found=True).reshape(n, years)
    if _total_short(inputs, step, holding) > _total_short(inputs, step, np.cumsum(start, axis=1)):
        holding = np.cumsum(start, axis=1)  # rounding of the solver's values cannot make it worse than its start
    steps = _drop_idle_steps(inputs, step, np.diff(holding, axis=1, prepend=0))
    return steps, _first_funded(steps)


def _greedy_start(inputs: PlanInputs, limits: Limits) -> np.ndarray:
    from dashboard.planning.greedy import greedy_steps

    plans = [greedy_steps(inputs, limits, rule)[0] for rule in ("shortfall", "equalise")]
    return min(plans, key=lambda steps: _total_short(inputs, limits.step_fte, np.cumsum(steps, axis=1)))


def _total_short(inputs: PlanInputs, step: float, holding: np.ndarray) -> float:
    """Σ shortfall over areas and years with `holding` steps held per place and year."""
    return float(np.clip(inputs.gap - step * inputs.received(holding), 0.0, None).sum())


def _start_values(inputs: PlanInputs, step: float, steps: np.ndarray):
    import highspy

    holding = np.cumsum(steps, axis=1)
    short = np.clip(inputs.gap - step * inputs.received(holding), 0.0, None)
    start = highspy.HighsSolution()
    start.col_value = list(np.concatenate([holding.ravel().astype(float), short.ravel()]))
    return start


def _drop_idle_steps(inputs: PlanInputs, step: float, steps: np.ndarray) -> np.ndarray:
    """Take away, latest first, each step whose removal adds no shortfall in any year (fewer steps keep every
    limit), so each step left closes some shortfall. A step placed in D in year τ gives step·S_t[D] in each t ≥ τ."""
    steps = steps.copy()
    gap_left = inputs.gap - step * inputs.received(np.cumsum(steps, axis=1))
    for t in range(steps.shape[1] - 1, -1, -1):
        for place in np.flatnonzero(steps[:, t])[::-1]:
            while steps[place, t] > 0:
                without = gap_left[:, t:] + step * inputs.spread[t:, place, :].T
                added = (np.clip(without, 0.0, None) - np.clip(gap_left[:, t:], 0.0, None)).sum()
                if added > FTE_EPSILON:
                    break
                steps[place, t] -= 1
                gap_left[:, t:] = without
    return steps


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
