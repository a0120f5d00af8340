"""A plan asked for from a view: the request (years, limits, rule), its checks, and the plan as planned changes.

Every medium (CLI, app, handout) asks through here, so a plan for the same view and request is the same
everywhere. The plan is made at the view's level (district, or a coarser planning area) from the calculator's
Ist, so whatever the calculator counts as a unit's posts, the plan adds to.

The money limit is read per plan year: `budget_eur` in the first year, `budget_step_eur` more in each later
one ("EUR 1 million more per year from 2025": budget 1 M, step 1 M → 1 M, 2 M, 3 M, …); without a step the
same amount holds in every year.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from dashboard.localised import LocalisedError
from dashboard.view import ALL_SERVICES, Assumptions, FteChange

from .inputs import DEFAULT_STEP_FTE, RULES, Limits, PlanInputs
from .plan import make_plan
from .result import Plan
from .source import district_of_unit, inputs_from_calculator

DEFAULT_PLAN_YEARS = 6  # the app's first proposal: this year and the next five
MAX_PLAN_YEARS = 30


class PlanRequestError(LocalisedError, ValueError):
    """A plan request that does not fit the view or the dataset (texts in planning.*.toml)."""

    catalog = "planning.error"


@dataclass(frozen=True)
class PlanRequest:
    first_year: int
    last_year: int
    rule: str = "shortfall"
    budget_eur: float | None = None  # money limit of the first plan year; None: no money limit
    budget_step_eur: float = 0.0  # how much the money limit rises each later year
    hires_fte: float | None = None
    step_fte: float = DEFAULT_STEP_FTE

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    def budgets(self) -> tuple[float, ...] | None:
        """The money limit of each plan year, or None for none."""
        if self.budget_eur is None:
            return None
        return tuple(self.budget_eur + i * self.budget_step_eur for i in range(len(self.years)))

    def limits(self) -> Limits:
        budgets = self.budgets()
        if budgets is not None and not self.budget_step_eur:
            budgets = budgets[0]  # one amount for every year reads as such in the plan's JSON
        return Limits(budget_eur=budgets, hires_fte=self.hires_fte, step_fte=self.step_fte)

    def to_dict(self) -> dict:
        return {"first_year": self.first_year, "last_year": self.last_year, "rule": self.rule,
                "budget_eur": self.budget_eur, "budget_step_eur": self.budget_step_eur,
                "hires_fte": self.hires_fte, "step_fte": self.step_fte}

    @classmethod
    def from_dict(cls, data: dict) -> PlanRequest:
        def number(key, default=None):
            value = data.get(key)
            return default if value in (None, "") else float(value)
        return cls(int(data["first_year"]), int(data["last_year"]), str(data.get("rule") or "shortfall"),
                   number("budget_eur"), number("budget_step_eur", 0.0), number("hires_fte"),
                   number("step_fte", DEFAULT_STEP_FTE))


def default_request(dataset, assumptions: Assumptions) -> PlanRequest:
    """This view's year and the next five (as far as the dataset goes), largest shortfall first, no limits."""
    last = min(assumptions.year + DEFAULT_PLAN_YEARS - 1, dataset.years[-1])
    return PlanRequest(assumptions.year, last)


def check_request(dataset, assumptions: Assumptions, request: PlanRequest) -> None:
    """PlanRequestError (code + params, texts in planning.*.toml) for the first thing that does not fit."""
    if assumptions.service == ALL_SERVICES:
        raise PlanRequestError("plan_one_service", all=ALL_SERVICES)
    first, last = dataset.years[0], dataset.years[-1]
    if not first <= request.first_year <= request.last_year <= last:
        raise PlanRequestError("plan_years", start=request.first_year, end=request.last_year, first=first, last=last)
    if request.last_year - request.first_year + 1 > MAX_PLAN_YEARS:
        raise PlanRequestError("plan_too_long", most=MAX_PLAN_YEARS)
    if request.rule not in RULES:
        raise PlanRequestError("plan_rule", rule=request.rule, rules=", ".join(RULES))
    if not request.step_fte > 0:
        raise PlanRequestError("plan_step", value=request.step_fte)
    if request.hires_fte is not None and not request.hires_fte >= 0:
        raise PlanRequestError("plan_hires", value=request.hires_fte)
    budgets = request.budgets() or ()
    if any(not 0 <= b < float("inf") for b in budgets):
        raise PlanRequestError("plan_budget", value=min(budgets))


def plan_inputs(calculator, assumptions: Assumptions, request: PlanRequest) -> PlanInputs:
    check_request(calculator.dataset, assumptions, request)
    return inputs_from_calculator(calculator, assumptions, request.first_year, request.last_year)


def plan_from_inputs(dataset, inputs: PlanInputs, request: PlanRequest) -> Plan:
    """The plan, its years grouped into the dataset's budget periods (`[budget]` in dataset.toml)."""
    periods = dataset.settings.budget
    return make_plan(inputs, request.limits(), request.rule, period_start=periods.start,
                     period_years=periods.period_years)


def plan_for(calculator, assumptions: Assumptions, request: PlanRequest) -> Plan:
    """The plan for the view's assumptions (service, ratios, population, cost, wage, level, planned changes)."""
    return plan_from_inputs(calculator.dataset, plan_inputs(calculator, assumptions, request), request)


def plan_changes(plan: Plan, dataset, assumptions: Assumptions, note: str = "") -> tuple[FteChange, ...]:
    """The plan's additions as planned changes: one per area and year with posts added, from that year on."""
    booked = district_of_unit(dataset, assumptions.level)
    return tuple(FteChange(booked[a.district_id], assumptions.service, year, round(fte, 6), note)
                 for year, a, fte in plan.additions())


def with_plan(plan: Plan, dataset, assumptions: Assumptions, note: str = "") -> Assumptions:
    """The assumptions with the plan's posts added as planned changes (the existing changes stay)."""
    changes = plan_changes(plan, dataset, assumptions, note)
    return replace(assumptions, fte_changes=(*assumptions.fte_changes, *changes))
