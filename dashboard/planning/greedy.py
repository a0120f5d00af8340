"""The two explainable rules: year by year, step by step, the area that needs a post most gets the next one.

- `shortfall`: the area with the largest remaining shortfall (Soll − Ist − added, in that year) first;
- `equalise`: the area with the lowest coverage ((Ist + added) / Soll) first — max–min.

Ties go to the lower area id (areas are kept sorted by id). Within a year the urgency of an area's j-th next step
is linear in j, `key = v + j·d` (smaller first): for `shortfall` v = −(remaining shortfall), d = step; for
`equalise` v = current coverage, d = step / Soll. Taking K steps one at a time is then the same as taking the K
smallest keys of all areas' sequences. A bisection finds a key level below which all steps are taken (vectorised);
a heap hands out the few steps left at that level in order, so a year costs O(areas · log) not O(steps · areas).
"""

from __future__ import annotations

import heapq

import numpy as np

from dashboard.metrics import FTE_EPSILON
from dashboard.planning.inputs import Limits, PlanInputs, cumulative_cap_steps, steps_needed, whole_steps

BISECTIONS = 200  # more than enough to reach adjacent floats; the loop stops earlier when it does


def step_keys(rule: str, inputs: PlanInputs, t: int, held: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray]:
    """(v, d) per area for year t: the urgency of the next step and how much each further step adds to it."""
    gap, ist, soll = inputs.gap[:, t], inputs.ist[:, t], inputs.soll[:, t]
    if rule == "shortfall":
        return -(gap - step * held), np.full(len(held), step)
    safe = np.where(soll > 0, soll, 1.0)  # areas without Soll are never short, so never keyed
    return (ist + step * held) / safe, step / safe


def _below(v: np.ndarray, d: np.ndarray, needed: np.ndarray, level: float) -> np.ndarray:
    """Per area: how many of its next steps have a key strictly below `level` (exact for key = v + j·d)."""
    with np.errstate(invalid="ignore", over="ignore"):
        count = np.clip(np.ceil((level - v) / d), 0, needed).astype(np.int64)
    # the division can be one off by rounding; settle it on the keys themselves
    count -= (count > 0) & (v + (count - 1) * d >= level)
    count += (count < needed) & (v + count * d < level)
    return count


def allocate_year(rule: str, inputs: PlanInputs, t: int, held: np.ndarray, budget_steps: int,
                  step: float) -> tuple[np.ndarray, list[int]]:
    """Steps to add per area in year t (at most `budget_steps`), and the areas in the order they got a first step.

    `held` is the steps each area holds from earlier years; it is not changed.
    """
    needed = steps_needed(inputs.gap[:, t] - step * held, step)
    v, d = step_keys(rule, inputs, t, held, step)
    candidates = np.flatnonzero(needed)
    if budget_steps >= needed.sum():
        return needed, _first_order(candidates, v)
    if budget_steps <= 0:
        return np.zeros_like(held), []
    last = v + (needed - 1) * d
    lo, hi = float(v[candidates].min()), float(last[candidates].max()) + 1.0
    for _ in range(BISECTIONS):  # largest level lo with no more than budget_steps keys below it
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if _below(v, d, needed, mid).sum() <= budget_steps:
            lo = mid
        else:
            hi = mid
    added = _below(v, d, needed, lo)
    order = _first_order(np.flatnonzero(added), v)
    heap = [(v[a] + added[a] * d[a], int(a)) for a in candidates if added[a] < needed[a]]
    heapq.heapify(heap)
    for _ in range(budget_steps - int(added.sum())):
        _, a = heapq.heappop(heap)
        if added[a] == 0:
            order.append(a)
        added[a] += 1
        if added[a] < needed[a]:
            heapq.heappush(heap, (v[a] + added[a] * d[a], a))
    return added, order


def greedy_steps(inputs: PlanInputs, limits: Limits, rule: str) -> tuple[np.ndarray, list[int]]:
    """Steps added per area (rows, sorted by id) and year, and the areas in the order of their first step."""
    n, years = len(inputs.area_ids), len(inputs.years)
    cap = cumulative_cap_steps(limits, inputs)
    hires = whole_steps(np.inf if limits.hires_fte is None else limits.hires_fte, limits.step_fte)
    steps = np.zeros((n, years), dtype=np.int64)
    held = np.zeros(n, dtype=np.int64)
    first: list[int] = []
    for t in range(years):
        room = int(min(hires, cap[t] - held.sum()))
        allocate = allocate_year if inputs.spread is None else allocate_year_spread
        added, order = allocate(rule, inputs, t, held, room, limits.step_fte)
        first += [a for a in order if held[a] == 0]
        steps[:, t] = added
        held = held + added
    return steps, first


def _first_order(areas: np.ndarray, v: np.ndarray) -> list[int]:
    """Areas in the order their first step is taken: by key, then by id."""
    return [int(a) for a in sorted(areas, key=lambda a: (v[a], a))]


# -- posts that count over a service area ------------------------------------------------------------------------
# A step placed in area D gives each area d step·S[D, d] (S = `PlanInputs.spread` of the year). The rules keep their
# meaning and pick the place, not the receiving area:
# - `shortfall`: the step goes where it closes the most shortfall, Σ_d min(step·S[D, d], shortfall_d); among equal
#   places, where the shortfall it lands in is largest, Σ_d S[D, d]·shortfall_d; then the lower id. Without a spread
#   (S = identity) that is the area with the largest shortfall, as above.
# - `equalise`: the area with the lowest coverage among those still short gets the next step's help: the step goes
#   where it gives that area most (largest S[D, m]); among equal places, the one closing the most shortfall; then the
#   lower id. An area no place reaches is passed over.
# A step goes only where it closes some shortfall (more than FTE_EPSILON), as the last step may overshoot above.
# The shortfall rule's score of a place only falls as steps are added (shortfalls only shrink), so a heap of
# earlier scores is a list of upper bounds: a place whose fresh score still beats every bound is the best (lazy).

def _shortfall(gap_left: np.ndarray) -> np.ndarray:
    return np.where(gap_left > FTE_EPSILON, gap_left, 0.0)


def _closing(spread_row: np.ndarray, short: np.ndarray, step: float) -> tuple[float, float]:
    """(shortfall a step placed with `spread_row` closes, the shortfall it lands in)."""
    return float(np.minimum(step * spread_row, short).sum()), float(spread_row @ short)


def allocate_year_spread(rule: str, inputs: PlanInputs, t: int, held: np.ndarray, budget_steps: int,
                         step: float) -> tuple[np.ndarray, list[int]]:
    """As `allocate_year`, for posts counting over a service area (`inputs.spread` set)."""
    spread = inputs.spread[t]
    gap_left = inputs.gap[:, t] - step * (held @ spread)
    added = np.zeros_like(held)
    order: list[int] = []
    pick = _shortfall_picker(spread, gap_left, step) if rule == "shortfall" else \
        _equalise_picker(spread, gap_left, inputs.soll[:, t], step)
    for _ in range(max(0, budget_steps)):
        place = pick()
        if place is None:
            break
        if added[place] == 0:
            order.append(place)
        added[place] += 1
        gap_left -= step * spread[place]
    return added, order


def _shortfall_picker(spread: np.ndarray, gap_left: np.ndarray, step: float):
    short = _shortfall(gap_left)
    closes = np.minimum(step * spread, short).sum(axis=1)
    lands = spread @ short
    heap = [(-closes[p], -lands[p], p) for p in range(len(gap_left)) if closes[p] > FTE_EPSILON]
    heapq.heapify(heap)

    def pick() -> int | None:
        short = _shortfall(gap_left)  # gap_left is updated in place by the caller after each pick
        while heap:
            _, _, place = heapq.heappop(heap)
            close, land = _closing(spread[place], short, step)
            if close <= FTE_EPSILON:
                continue  # closes nothing any more, and never will this year
            fresh = (-close, -land, place)
            if not heap or fresh <= heap[0]:
                heapq.heappush(heap, fresh)  # it stays a candidate for the next step
                return place
            heapq.heappush(heap, fresh)
        return None
    return pick


def _equalise_picker(spread: np.ndarray, gap_left: np.ndarray, soll: np.ndarray, step: float):
    """Areas by coverage in a heap; an entry is stale once its area gained posts (a fresh one was pushed) and an
    area passed over stays so (shortfalls only shrink), so each pick pops a few entries only."""
    safe = np.where(soll > 0, soll, 1.0)
    helps = spread.max(axis=0)  # the most one step placed anywhere gives each area
    kept = (helps > 0) & (soll > 0)
    open_ = np.flatnonzero((_shortfall(gap_left) > 0) & kept)
    coverage = lambda a: float((soll[a] - gap_left[a]) / safe[a])  # noqa: E731  (Ist with the steps so far / Soll)
    heap = [(coverage(a), int(a)) for a in open_]
    heapq.heapify(heap)
    reaches: dict[int, list[int]] = {}  # per place: the kept areas it gives posts (their coverage moves)
    best_of: dict[int, np.ndarray] = {}  # per area: the places giving it most
    last: list[int] = []  # the place picked before

    def pick() -> int | None:
        if last:
            place = last.pop()
            if place not in reaches:
                reaches[place] = np.flatnonzero((spread[place] > 0) & kept).tolist()
            for a in reaches[place]:
                heapq.heappush(heap, (coverage(a), a))
        while heap:
            value, lowest = heap[0]
            if value != coverage(lowest) or gap_left[lowest] <= FTE_EPSILON:
                heapq.heappop(heap)  # stale, or no longer short
                continue
            if lowest not in best_of:
                best_of[lowest] = np.flatnonzero(spread[:, lowest] == helps[lowest])
            best = best_of[lowest]
            closes = np.minimum(step * spread[best], _shortfall(gap_left)).sum(axis=1)
            usable = closes > FTE_EPSILON
            if not usable.any():
                heapq.heappop(heap)  # what reaches it most closes nothing, and never will this year
                continue
            place = int(best[usable][np.lexsort((best[usable], -closes[usable]))[0]])
            last.append(place)
            return place
        return None
    return pick
