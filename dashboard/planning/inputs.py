"""What a measures plan starts from: per-area requirement and staffing by year, cost per post, limits.

Plain arrays, so the planner does not depend on how the figures were computed (service, ratio ramp,
population rule, catchment rule are the caller's business).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from dashboard.localised import LocalisedError
from dashboard.metrics import FTE_EPSILON

RULES = ("shortfall", "equalise", "optimal")
DEFAULT_STEP_FTE = 0.25
DEFAULT_PERIOD_YEARS = 2  # double budgets (Doppelhaushalt)


class PlanError(LocalisedError, ValueError):
    """Inputs or limits a plan cannot be made from; the text (planning.*.toml) says which and why."""

    catalog = "planning.error"


@dataclass(frozen=True)
class Limits:
    """What a plan may spend and hire.

    budget_eur: the most the *added* posts may cost in one year (all posts added so far × that year's cost
    per post); one amount for every year, a tuple with one amount per plan year, or None for no money limit.
    hires_fte: the most posts added in one year, or None for no limit.
    step_fte: the smallest amount of a post the plan adds to an area at a time.
    """

    budget_eur: float | tuple[float, ...] | None = None
    hires_fte: float | None = None
    step_fte: float = DEFAULT_STEP_FTE

    def budget_by_year(self, years: int) -> np.ndarray:
        """The money limit for each plan year (inf where there is none)."""
        if self.budget_eur is None:
            return np.full(years, math.inf)
        if isinstance(self.budget_eur, tuple):
            if len(self.budget_eur) != years:
                raise PlanError("inputs_budget_years", named=len(self.budget_eur), years=years)
            return np.asarray(self.budget_eur, dtype=float)
        return np.full(years, float(self.budget_eur))

    def to_dict(self) -> dict:
        budget = list(self.budget_eur) if isinstance(self.budget_eur, tuple) else self.budget_eur
        return {"budget_eur": budget, "hires_fte": self.hires_fte, "step_fte": self.step_fte}


@dataclass(frozen=True)
class PlanInputs:
    """Figures per area (rows) and year (columns), without any measure.

    soll: required posts along the target ramp; ist: existing posts incl. planned changes;
    cost_per_fte: yearly cost of one post in each year (wage growth included).
    spread: where a post placed in an area counts, per year (years × areas × areas): spread[t, D, d] is what one
    post placed in D gives area d in year t (a service area reaching over several areas, shares by population).
    None: each post counts in the area it is placed in only (the identity; the planner then takes a faster path).
    """

    area_ids: tuple[str, ...]
    names: tuple[str, ...]
    years: tuple[int, ...]
    soll: np.ndarray
    ist: np.ndarray
    cost_per_fte: np.ndarray
    spread: np.ndarray | None = None

    @classmethod
    def of(cls, area_ids: Sequence[str], names: Sequence[str], years: Sequence[int], soll, ist,
           cost_per_fte, spread=None) -> PlanInputs:
        inputs = cls(tuple(str(a) for a in area_ids), tuple(str(n) for n in names), tuple(int(y) for y in years),
                     np.asarray(soll, dtype=float), np.asarray(ist, dtype=float),
                     np.broadcast_to(np.asarray(cost_per_fte, dtype=float), (len(years),)).copy(),
                     None if spread is None else np.asarray(spread, dtype=float))
        inputs.check()
        return inputs

    def check(self) -> None:
        n, t = len(self.area_ids), len(self.years)
        if t == 0:
            raise PlanError("inputs_no_year")
        if list(self.years) != list(range(self.years[0], self.years[0] + t)):
            raise PlanError("inputs_year_gaps")
        if len(set(self.area_ids)) != n:
            raise PlanError("inputs_ids_repeat")
        if len(self.names) != n:
            raise PlanError("inputs_names", names=len(self.names), areas=n)
        for label, values in (("soll", self.soll), ("ist", self.ist)):
            if values.shape != (n, t):
                raise PlanError("inputs_shape", what=label, expected=str((n, t)), got=str(values.shape))
            if not np.isfinite(values).all():
                raise PlanError("inputs_missing", what=label)
        if not np.isfinite(self.cost_per_fte).all() or (self.cost_per_fte < 0).any():
            raise PlanError("inputs_cost")
        if self.spread is not None:
            if self.spread.shape != (t, n, n):
                raise PlanError("inputs_shape", what="spread", expected=str((t, n, n)), got=str(self.spread.shape))
            if not np.isfinite(self.spread).all() or (self.spread < 0).any():
                raise PlanError("inputs_missing", what="spread")

    def reordered(self, order: Sequence[int]) -> PlanInputs:
        """The same inputs with the areas in `order`."""
        spread = None if self.spread is None else self.spread[:, order][:, :, order]
        return PlanInputs(tuple(self.area_ids[i] for i in order), tuple(self.names[i] for i in order), self.years,
                          self.soll[order], self.ist[order], self.cost_per_fte, spread)

    def received(self, held: np.ndarray) -> np.ndarray:
        """Posts each area gains (areas × years) from `held` posts placed per area and year (held from earlier
        years included): the posts themselves without a spread, else Σ_D held[D, t]·spread[t, D, d]."""
        if self.spread is None:
            return held
        return np.einsum("tDd,Dt->dt", self.spread, held)

    @property
    def gap(self) -> np.ndarray:
        """Soll − Ist per area and year, before any measure (positive = shortfall)."""
        return self.soll - self.ist


def check_limits(limits: Limits, rule: str) -> None:
    if rule not in RULES:
        raise PlanError("plan_rule", rule=rule, rules=", ".join(RULES))
    if not limits.step_fte > 0:
        raise PlanError("plan_step", value=limits.step_fte)
    if limits.hires_fte is not None and not limits.hires_fte >= 0:
        raise PlanError("plan_hires", value=limits.hires_fte)
    budget = limits.budget_eur
    amounts = budget if isinstance(budget, tuple) else (() if budget is None else (budget,))
    if any(not (b >= 0) or math.isinf(b) for b in amounts):
        raise PlanError("plan_budget", value=str(budget))


def whole_steps(amount: float, step: float) -> int:
    """How many whole steps fit into `amount` (a step short by rounding residue still counts)."""
    if math.isinf(amount):
        return 2**62
    return max(0, math.floor(amount / step + FTE_EPSILON))


def cumulative_cap_steps(limits: Limits, inputs: PlanInputs) -> np.ndarray:
    """Most added steps the plan may hold at the end of each year under the money limit.

    Posts stay and wage growth makes each later year dearer, so the cap in year t looks ahead: it is
    the smallest budget / cost per post over t and every later plan year. A plan keeping to it never
    breaks the money limit in a later year with posts it added earlier.
    """
    budget = limits.budget_by_year(len(inputs.years))
    cost = inputs.cost_per_fte
    with np.errstate(divide="ignore"):
        posts = np.where(cost > 0, budget / np.where(cost > 0, cost, 1.0), math.inf)
    ahead = np.minimum.accumulate(posts[::-1])[::-1]
    return np.array([whole_steps(p, limits.step_fte) for p in ahead], dtype=np.int64)


def steps_needed(gap_left: np.ndarray, step: float) -> np.ndarray:
    """Steps that close each remaining shortfall; the last one may overshoot by less than one step."""
    return np.where(gap_left > FTE_EPSILON, np.ceil((gap_left - FTE_EPSILON) / step), 0).astype(np.int64)
