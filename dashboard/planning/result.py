"""A plan's figures: per year, per area and per budget period, with and without the measures."""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass

import numpy as np

from dashboard import metrics
from dashboard.metrics import FTE_EPSILON
from dashboard.planning.inputs import DEFAULT_PERIOD_YEARS, Limits, PlanInputs

DECIMALS = 6  # in JSON and CSV: enough for cents and hundredths of a post, no float noise


@dataclass(frozen=True)
class YearFigures:
    """City-wide figures of one year. ist_fte includes the posts the plan added up to this year."""

    year: int
    added_fte: float
    cumulative_added_fte: float
    added_cost_eur: float  # running cost of all posts added so far, at this year's cost per post
    total_cost_eur: float  # cost of all funded posts: existing + added
    soll_fte: float
    ist_fte: float
    gross_gap_fte: float
    net_gap_fte: float
    coverage: float  # ΣIst / ΣSoll; NaN where nothing is required
    areas_short: int


@dataclass(frozen=True)
class AreaPlan:
    district_id: str
    name: str
    added_fte: tuple[float, ...]  # per plan year
    met_year: int | None  # from this plan year on the area is not short; None = not by the last year
    met_year_without: int | None  # the same with no measures
    ist_fte: tuple[float, ...] = ()  # per plan year, with the posts the plan placed here and nearby that reach it
    gap_fte: tuple[float, ...] = ()  # per plan year: Soll − that Ist


@dataclass(frozen=True)
class Period:
    """A budget period (e.g. the double budget 2025/26) and what it must secure for the plan's posts."""

    label: str
    years: tuple[int, ...]  # the plan years inside it
    added_cost_eur: float  # Σ over its years of the running cost of the added posts
    increase_eur: float  # compared with the period before (the first: compared with nothing)


@dataclass(frozen=True)
class Plan:
    rule: str
    limits: Limits
    years: tuple[int, ...]
    figures: tuple[YearFigures, ...]
    without: tuple[YearFigures, ...]  # the same figures with no measures
    areas: tuple[AreaPlan, ...]  # sorted by id
    periods: tuple[Period, ...]
    first_funded: tuple[str, ...]  # area ids in the order they first received a post
    target_reached_year: int | None  # from this year on no area is short (to the last plan year)
    net_target_reached_year: int | None  # from this year on ΣIst ≥ ΣSoll
    target_reached_year_without: int | None
    net_target_reached_year_without: int | None

    def to_dict(self) -> dict:
        """The plan in its published JSON shape."""
        return {
            "years": [{"year": f.year, "added_fte": _num(f.added_fte),
                       "cumulative_added_fte": _num(f.cumulative_added_fte),
                       "added_cost_eur": _num(f.added_cost_eur), "total_cost_eur": _num(f.total_cost_eur),
                       "gross_gap_fte": _num(f.gross_gap_fte), "net_gap_fte": _num(f.net_gap_fte),
                       "coverage": _num(f.coverage)} for f in self.figures],
            "areas": [{"district_id": a.district_id, "name": a.name, "year": year, "added_fte": _num(fte)}
                      for year, a, fte in self.additions()],
            "periods": [{"label": p.label, "years": list(p.years), "added_cost_eur": _num(p.added_cost_eur)}
                        for p in self.periods],
            "target_reached_year": self.target_reached_year,
            "net_target_reached_year": self.net_target_reached_year,
            "rule": self.rule,
            "limits": self.limits.to_dict(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    def to_csv(self) -> str:
        """One flat table: a `city` row per year (with and without measures) and an `area` row per addition."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["level", "year", "period", "district_id", "name", "added_fte", "cumulative_added_fte",
                         "added_cost_eur", "total_cost_eur", "gross_gap_fte", "net_gap_fte", "coverage",
                         "gross_gap_fte_without", "coverage_without"])
        period_of = {y: p.label for p in self.periods for y in p.years}
        for f, w in zip(self.figures, self.without):
            writer.writerow(["city", f.year, period_of[f.year], "", "", _cell(f.added_fte),
                             _cell(f.cumulative_added_fte), _cell(f.added_cost_eur), _cell(f.total_cost_eur),
                             _cell(f.gross_gap_fte), _cell(f.net_gap_fte), _cell(f.coverage),
                             _cell(w.gross_gap_fte), _cell(w.coverage)])
        for year, a, fte in self.additions():
            writer.writerow(["area", year, period_of[year], a.district_id, a.name, _cell(fte)] + [""] * 8)
        return out.getvalue()

    def additions(self):
        """(year, area, posts added) wherever the plan adds posts, by year then area id."""
        for i, year in enumerate(self.years):
            for a in self.areas:
                if a.added_fte[i] > FTE_EPSILON:
                    yield year, a, a.added_fte[i]


def _num(x: float) -> float | None:
    return None if math.isnan(x) else round(float(x), DECIMALS)


def _cell(x: float) -> str:
    value = _num(x)
    return "" if value is None else repr(value)


def year_figures(inputs: PlanInputs, added: np.ndarray) -> tuple[YearFigures, ...]:
    """City figures per year with `added` (area × year, posts placed that year) on top of Ist, each counting
    where its service area reaches (`PlanInputs.received`)."""
    cumulative = np.cumsum(added, axis=1)
    ist = area_ist(inputs, added)
    gap = inputs.soll - ist
    rows = []
    for t, year in enumerate(inputs.years):
        soll_total, ist_total = float(inputs.soll[:, t].sum()), float(ist[:, t].sum())
        cost = float(inputs.cost_per_fte[t])
        cum_total = float(cumulative[:, t].sum())
        rows.append(YearFigures(
            year=year, added_fte=float(added[:, t].sum()), cumulative_added_fte=cum_total,
            added_cost_eur=cum_total * cost, total_cost_eur=ist_total * cost,
            soll_fte=soll_total, ist_fte=ist_total,
            gross_gap_fte=metrics.gross_gap(gap[:, t]), net_gap_fte=metrics.net_gap(inputs.soll[:, t], ist[:, t]),
            coverage=ist_total / soll_total if soll_total > 0 else math.nan,
            areas_short=int((gap[:, t] > FTE_EPSILON).sum())))
    return tuple(rows)


def area_ist(inputs: PlanInputs, added: np.ndarray) -> np.ndarray:
    """Ist per area and year with the posts `added` (area × year, placed that year), as a scenario shows it."""
    return inputs.ist + inputs.received(np.cumsum(added, axis=1))


def met_years(inputs: PlanInputs, added: np.ndarray) -> list[int | None]:
    """Per area: the plan year from which on it is not short of its Soll up to the last plan year (None: still
    short in the last year). With a rising target ramp a year met and lost again is not a target reached."""
    short = inputs.soll - area_ist(inputs, added) > FTE_EPSILON
    return [_kept_from(inputs.years, ~row) for row in short]


def _kept_from(years: tuple[int, ...], met) -> int | None:
    """The first year from which `met` holds in every later year, or None."""
    met = np.asarray(met, dtype=bool)
    if not met[-1]:
        return None
    misses = np.flatnonzero(~met)
    return years[int(misses[-1]) + 1] if len(misses) else years[0]


def target_years(figures: tuple[YearFigures, ...]) -> tuple[int | None, int | None]:
    """(year from which no area is short, year from which ΣIst ≥ ΣSoll), each kept to the last plan year."""
    years = tuple(f.year for f in figures)
    return (_kept_from(years, [f.areas_short == 0 for f in figures]),
            _kept_from(years, [f.net_gap_fte <= FTE_EPSILON for f in figures]))


def period_label(start: int, length: int) -> str:
    end = start + length - 1
    if length == 1:
        return str(start)
    if length == 2:
        return f"{start}/{end % 100:02d}"
    return f"{start}–{end}"


def budget_periods(figures: tuple[YearFigures, ...], start_year: int | None = None,
                   length: int = DEFAULT_PERIOD_YEARS) -> tuple[Period, ...]:
    """Group plan years into budget periods of `length` years aligned to `start_year`
    (default: the first plan year), each with the running cost of the added posts it must secure."""
    if length < 1:
        raise ValueError("a budget period lasts at least one year")
    anchor = figures[0].year if start_year is None else start_year
    groups: dict[int, list[YearFigures]] = {}
    for f in figures:
        groups.setdefault(anchor + (f.year - anchor) // length * length, []).append(f)
    periods, before = [], 0.0
    for start, members in groups.items():
        amount = sum(f.added_cost_eur for f in members)
        periods.append(Period(period_label(start, length), tuple(f.year for f in members), amount, amount - before))
        before = amount
    return tuple(periods)
