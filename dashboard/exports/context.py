"""What every export starts from: one dataset, one set of assumptions, one language.

`ExportContext` computes the result once; `area_rows` gives the areas sorted by shortfall with a
total row, and `assumption_lines` states every assumption in plain words, so the CSV, the Excel
workbook, the map image and the PDF handout all say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

import pandas as pd

from ..dataset import Dataset
from ..formatting import LANGUAGES, fmt_eur, fmt_fte, fmt_number, fmt_percent
from ..i18n import t
from ..mapping import MEASURES
from ..measures import CITY_FIGURES, CLASSED, DEFAULT_MEASURE, NO_FIGURES, limit_text, no_figures_class
from ..ratios import ALL_YEARS, governing, ramp_text, ratio_for_year
from ..report import report_rows
from ..scenario import ALL_SERVICES, LOW_COVERAGE, Assumptions, Calculator, Result

STATUS_ORDER = ("estimate", "forecast", "observed")  # least certain first
UNITS = ("posts", "places")
NBSP = "\u00a0"


def unit_key(spec) -> str:
    """What a service's supply is counted in: "posts" (FTE, the default) or "places"."""
    unit = getattr(spec, "unit", "posts")
    return unit if isinstance(unit, str) and unit in UNITS else "posts"


def unit_words(unit: str, lang: str) -> dict[str, str]:
    """`{unit}`, `{unit_one}`, `{unit_full}` and `{no_unit}`: the supply unit's words
    (Stellen/Stelle/Vollzeitstelle/keine Stelle, or Plätze/Platz/Platz/kein Platz)."""
    words = {f"unit{suffix}": t(f"export.unit.{unit}.{word}", lang)
             for suffix, word in (("", "many"), ("_one", "one"), ("_full", "full"))}
    words["no_unit"] = t(f"export.unit.{unit}.none", lang)
    return words


def tx(key: str, lang: str, unit: str = "posts", **values) -> str:
    """A text of the export catalogs (`locales/export.<lang>.toml`), naming the supply unit."""
    return t(f"export.{key}", lang, **{**unit_words(unit, lang), **values})


def fmt_ratio(value: float, lang: str) -> str:
    """`2500` → `1 : 2.500` (de) / `1 : 2,500` (en), kept on one line."""
    return f"1{NBSP}:{NBSP}{fmt_number(value, lang)}"


@dataclass(frozen=True)
class ExportContext:
    dataset: Dataset
    calculator: Calculator
    assumptions: Assumptions
    measure: str = DEFAULT_MEASURE
    lang: str = "de"
    title: str | None = None
    description: str | None = None
    scenario_name: str | None = None
    exported_at: datetime = field(default_factory=datetime.now)

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"unknown language '{self.lang}'; choose one of {', '.join(LANGUAGES)}")
        if self.measure not in MEASURES:
            raise ValueError(f"unknown measure '{self.measure}'; choose one of {', '.join(MEASURES)}")

    # -- the figures ------------------------------------------------------------------------
    @cached_property
    def result(self) -> Result:
        """Raises ScenarioError (or ValueError for an unknown level) if the assumptions do not fit."""
        return self.calculator.compute(self.assumptions)

    @property
    def year(self) -> int:
        return self.result.summary.year

    @property
    def services(self) -> list[str]:
        return self.calculator.services_of(self.assumptions)

    @property
    def status(self) -> str:
        return self.result.summary.population_status

    # -- words ------------------------------------------------------------------------------
    @property
    def dataset_title(self) -> str:
        s = self.dataset.settings
        return s.title_en if self.lang == "en" and s.title_en else s.title

    @property
    def heading(self) -> str:
        return self.title or self.scenario_name or self.dataset_title

    @property
    def service_label(self) -> str:
        if self.assumptions.service == ALL_SERVICES:
            return self.text("all_services")
        return self.dataset.settings.services[self.assumptions.service].label_for(self.lang)

    def label_of(self, service: str) -> str:
        return self.dataset.settings.services[service].label_for(self.lang)

    @property
    def level_label(self) -> str:
        return self.dataset.settings.level_label(self.result.level, self.lang)

    @property
    def measure_label(self) -> str:
        return self.text(f"measure.{self.measure}")

    @property
    def status_label(self) -> str:
        return self.text(f"status.{self.status}")

    @property
    def rule_label(self) -> str:
        rule = self.assumptions.population_rule
        try:
            return self.text(f"population_rule.{rule}")
        except KeyError:
            return self.text("population_rule.custom", rule=rule)

    @property
    def unit_key(self) -> str:
        """The supply unit of the services shown (of the dataset's first service if they differ)."""
        services = self.dataset.settings.services
        units = {unit_key(services[s]) for s in self.services}
        return units.pop() if len(units) == 1 else unit_key(next(iter(services.values())))

    def text(self, key: str, **values) -> str:
        """An export text in this context's language, naming this context's supply unit."""
        return tx(key, self.lang, unit=self.unit_key, **values)

    @property
    def export_date(self) -> str:
        d = self.exported_at
        return self.text("date_format", day=d.day, month=d.month, year=d.year,
                         month_name=self.text(f"month.{d.month}"))

    @property
    def data_date(self) -> str:
        return self.dataset.settings.data_date

    def notes(self) -> list[str]:
        """The dataset's notes (which figures are estimates or illustrative) plus the status of this year."""
        notes = list(self.dataset.settings.notes_for(self.lang))
        if self.status != "observed":
            notes.insert(0, self.text("handout.status_note", year=self.year, status=self.status_label))
        return notes

    @property
    def attribution(self) -> list[str]:
        return list(self.dataset.settings.attribution)


# -- rows ------------------------------------------------------------------------------------
def unit_status(ctx: ExportContext) -> pd.Series:
    """Status of each unit's residents figures in the year (the least certain of its districts)."""
    d = ctx.dataset
    column = d.level_column(ctx.result.level)
    pop = d.population.loc[d.population["year"] == ctx.year, ["district_id", "status"]]
    groups = d.districts.set_index("district_id")
    unit_of = groups.index.to_series() if column == "district_id" else groups[column].astype(str)
    pop = pop.assign(unit=pop["district_id"].map(unit_of))
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    least = pop.assign(rank=pop["status"].map(rank).fillna(len(rank))).groupby("unit")["rank"].min()
    return least.map(lambda i: STATUS_ORDER[int(i)] if i < len(STATUS_ORDER) else "observed")


def area_rows(ctx: ExportContext) -> tuple[list[dict], dict]:
    """Rows of `report_rows` (rounded as in the app) sorted by gap, largest shortfall first, and the total.

    Each row also carries `status` (observed | forecast | estimate, or no_figures) of its residents figures
    and `classes`: per classed measure's column (coverage) the map's class of its unrounded value
    (0–4 for coverage; 5 where nobody is in the target group; 6 where the area has no figures).
    Areas without figures come last.
    """
    rows = report_rows(ctx.result, ctx.dataset.settings.unit)
    areas, total = rows[:-1], dict(rows[-1])
    status = unit_status(ctx)
    table = ctx.result.table
    classes = {m.column: dict(zip(table.index, m.scale.index(table[m.column]).tolist())) for m in CLASSED}
    areas = [dict(r, status=NO_FIGURES if r.get(NO_FIGURES) else status.get(str(r["district_id"]), ctx.status),
                  classes={m.column: no_figures_class(m) if r.get(NO_FIGURES) else classes[m.column][r["district_id"]]
                           for m in CLASSED})
             for r in areas]
    areas.sort(key=lambda r: (bool(r.get(NO_FIGURES)), -(r["gap_fte"] or 0.0), str(r["name"])))  # no figures: last
    total.update(district_id="", name=ctx.text("total"), status=ctx.status)
    return areas, total


# -- assumptions in words --------------------------------------------------------------------
def _ratio_source(ctx: ExportContext, service: str) -> str:
    lang, a = ctx.lang, ctx.result.assumptions
    spec = ctx.dataset.settings.services[service]
    rule = a.between_milestones or spec.between_milestones
    year = a.year
    setting = governing(a.ratio_settings(service), year)
    if setting is not None:
        _ratio, scope, since = setting
        key = "assumption.ratio_manual" + ("" if scope == ALL_YEARS else f"_{scope}")
        return ctx.text(key, year=since, plan=fmt_number(ratio_for_year(spec.ratios, year, rule), lang))
    years = sorted(spec.ratios)
    if year in spec.ratios:
        return ctx.text("assumption.ratio_milestone", year=year)
    if year < years[0]:
        return ctx.text("assumption.ratio_before", year=years[0])
    if year > years[-1]:
        return ctx.text("assumption.ratio_after", year=years[-1])
    before = max(y for y in years if y < year)
    after = min(y for y in years if y > year)
    if rule == "linear":
        return ctx.text("assumption.ratio_linear", year=before, next=after,
                        ratio_from=fmt_number(spec.ratios[before], lang), ratio_to=fmt_number(spec.ratios[after], lang))
    return ctx.text("assumption.ratio_hold", year=before, next=after)


def _between_text(ctx: ExportContext) -> str:
    lang, a = ctx.lang, ctx.result.assumptions
    rules = {s: a.between_milestones or ctx.dataset.settings.services[s].between_milestones for s in ctx.services}
    if len(set(rules.values())) == 1:
        return ctx.text(f"assumption.between_{next(iter(rules.values()))}")
    return "; ".join(ctx.text("assumption.between_service", service=ctx.label_of(s),
                        rule=ctx.text(f"assumption.between_{r}")) for s, r in rules.items())


def _cost_text(ctx: ExportContext) -> str:
    lang, a, s = ctx.lang, ctx.result.assumptions, ctx.dataset.settings
    base = s.fte_cost_eur if a.fte_cost_eur is None else a.fte_cost_eur
    growth = s.wage_growth if a.wage_growth is None else a.wage_growth
    cost = ctx.result.summary.fte_cost_eur
    if not growth:
        return ctx.text("assumption.cost_flat", cost=fmt_eur(cost, lang))
    return ctx.text("assumption.cost_growth", cost=fmt_eur(cost, lang), year=ctx.year, base=fmt_eur(base, lang),
                    base_year=s.base_year, growth=fmt_percent(growth, lang, 1))


def _change_lines(ctx: ExportContext) -> list[tuple[str, str]]:
    lang = ctx.lang
    changes = ctx.result.assumptions.fte_changes
    if not changes:
        return [(ctx.text("assumption.changes_none"), ctx.text("none"))]
    names = ctx.dataset.districts.set_index("district_id")["name"]
    lines = []
    for c in changes:
        text = ctx.text("assumption.change_value", district=names.get(c.district_id, c.district_id),
                        delta=fmt_fte(c.delta_fte, lang, signed=True), service=ctx.label_of(c.service),
                        year=c.year_from)
        if c.note:
            text = ctx.text("assumption.change_note", text=text, note=c.note)
        lines.append((ctx.text("assumption.change"), text))
    return lines


def assumption_lines(ctx: ExportContext) -> list[tuple[str, str]]:
    """(label, value) for every assumption behind the figures, in `ctx.lang`."""
    lang, a = ctx.lang, ctx.result.assumptions
    services = ctx.services
    if a.service == ALL_SERVICES:
        service = ctx.text("assumption.services_all", services=", ".join(ctx.label_of(s) for s in services))
    else:
        service = ctx.service_label
    lines = [(ctx.text("assumption.service"), service)]
    for key in services:
        spec = ctx.dataset.settings.services[key]
        per = tx("assumption.ratio_per", lang, unit=unit_key(spec))
        value = ctx.text("assumption.ratio_value", ratio=fmt_number(ctx.calculator.ratio(a, key), lang), per=per)
        lines.append((ctx.text("assumption.ratio", service=spec.label_for(lang)),
                      f"{value}; {_ratio_source(ctx, key)}"))
        milestones = " · ".join(f"{y}: {fmt_ratio(r, lang)}" for y, r in sorted(spec.ratios.items()))
        lines.append((ctx.text("assumption.milestones", service=spec.label_for(lang)), milestones))
        if a.ratio_settings(key):
            lines.append((ctx.text("assumption.ratio_scenario", service=spec.label_for(lang)),
                          ramp_text(ctx.calculator.ratio_ramp(a, key), lang)))
        lines.append(_catchment_line(ctx, key))
    lines += [
        (ctx.text("assumption.year"), ctx.text("assumption.year_value", year=ctx.year, status=ctx.status_label)),
        (ctx.text("assumption.population"), ctx.rule_label),
        (ctx.text("assumption.between"), _between_text(ctx)),
        (ctx.text("assumption.cost"), _cost_text(ctx)),
        *_change_lines(ctx),
        (ctx.text("assumption.level"), ctx.text("assumption.level_value", level=ctx.level_label,
                                                count=ctx.result.summary.units)),
        (ctx.text("assumption.measure"), ctx.measure_label),
        (ctx.text("assumption.dataset"), ctx.dataset_title),
        (ctx.text("assumption.version"), ctx.dataset.version),
    ]
    if ctx.data_date:
        lines.append((ctx.text("assumption.data_date"), ctx.data_date))
    return lines


def _catchment_line(ctx: ExportContext, service: str) -> tuple[str, str]:
    """Where the service's posts count: the service-area rule behind its Ist."""
    rule = ctx.calculator.rule(ctx.result.assumptions, service)
    level = ctx.dataset.settings.level_label(rule.level, ctx.lang) if rule.level else None
    spec = ctx.dataset.settings.services[service]
    return (ctx.text("assumption.catchment", service=spec.label_for(ctx.lang)),
            rule.describe(ctx.lang, level, unit=tx(f"unit.{unit_key(spec)}.many", ctx.lang)))


def below_label(ctx: ExportContext) -> str:
    """ "Areas below 75 %", naming the threshold the summary counts with."""
    return ctx.text("summary.below", threshold=limit_text(LOW_COVERAGE, ctx.lang))


def figure_label(ctx: ExportContext, figure, suffix: str = "") -> str:
    """A city figure's name (or, with suffix "_help", its explanation): the app's words."""
    return t(f"figure.{figure.key}{suffix}", ctx.lang, **unit_words(ctx.unit_key, ctx.lang))


def summary_items(ctx: ExportContext) -> list[tuple[str, str, str]]:
    """The city summary as (label, value, help) in `ctx.lang`, in the app's order."""
    lang, s = ctx.lang, ctx.result.summary
    status = "" if s.population_status == "observed" else f" ({ctx.status_label})"
    return [
        (ctx.text("summary.population"), fmt_number(s.population, lang),
         ctx.text("summary.population_help", rule=ctx.rule_label) + status),
        (ctx.text("summary.soll"), fmt_fte(s.soll_fte, lang), ""),
        (ctx.text("summary.ist"), fmt_fte(s.ist_fte, lang), ""),
        (ctx.text("summary.coverage"), fmt_percent(s.coverage, lang), ctx.text("summary.coverage_help")),
        *[(figure_label(ctx, f), fmt_fte(getattr(s, f.field), lang, signed=f.signed), figure_label(ctx, f, "_help"))
          for f in CITY_FIGURES],
        (ctx.text("summary.cost"), fmt_eur(s.gross_cost_eur, lang),
         ctx.text("summary.cost_help", fte_cost=fmt_eur(s.fte_cost_eur, lang))) if s.fte_cost_eur > 0 else
        (ctx.text("summary.cost"), t("summary.cost_none", lang),  # the app's words: no cost in the data
         t("summary.cost_none_help", lang, **unit_words(ctx.unit_key, lang))),
        (below_label(ctx), ctx.text("summary.below_value", count=s.units_below_75, total=s.units), ""),
    ]
