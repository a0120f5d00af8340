"""Measures planner: where the next posts go, year by year, and what each budget period must secure.

A plan is a proposal from stated rules and the given figures, never a decision.
"""

from dashboard.planning.inputs import RULES, Limits, PlanError, PlanInputs
from dashboard.planning.plan import make_plan
from dashboard.planning.result import AreaPlan, Period, Plan, YearFigures

__all__ = ["RULES", "AreaPlan", "Limits", "Period", "Plan", "PlanError", "PlanInputs", "YearFigures", "make_plan"]
