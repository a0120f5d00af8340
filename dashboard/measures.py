"""Every measure CareGap shows, declared once: its column, rounding, unit, sign, colours and words.

The map (measure choice, colours, legend, hover), the table, the detail panel, the trend chart,
the CSV and Excel exports, the handout and the `report` command all read `REGISTRY`; none of them
names a measure's decimals, sign or colours itself. Adding a measure takes a formula in
`metrics.FORMULAS`, an entry here and its words in `locales/measures.<lang>.toml` (the catalog
keys are the entry's `key` under `measure.`, `legend.`, `hover.`, `table.` and `export.column.`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from . import metrics
from .formatting import fmt_eur, fmt_fte, fmt_number

LOW_COVERAGE = 0.75  # the summary counts areas below this coverage; a class limit of the map too
# ColorBrewer RdBu, colour-blind safe: its red end marks a shortfall wherever one is shown
SHORTFALL_RED = "#b2182b"
SURPLUS_BLUE = "#2166ac"
SURPLUS_LIGHT_BLUE = "#4393c3"
COVERAGE_BREAKS = (0.5, LOW_COVERAGE, 0.9, 1.1)  # class limits: <50, 50–75, 75–90, 90–110, >110 %
COVERAGE_COLOURS = (SHORTFALL_RED, "#ef8a62", "#fddbc7", "#f0f0f0", SURPLUS_LIGHT_BLUE)
NO_VALUE_COLOUR = "#9e9e9e"  # a class measure with no value (coverage where nobody is in the target group)
PERCENT = 100  # a "percent" measure is a fraction, shown ×100
NO_FIGURES = "no_figures"  # result-table column: the unit's population counts are not published ("keine Angabe")
NO_FIGURES_COLOUR = "#d4d4d4"  # such a unit on the map: a lighter grey than "no value", with its own legend entry


def without_figures(table) -> np.ndarray:
    """Per row of a result table: whether the unit has no figures (False for tables without the column)."""
    return table[NO_FIGURES].to_numpy(dtype=bool) if NO_FIGURES in table else np.zeros(len(table), dtype=bool)


WHOLE_UNITS = ("places",)  # supply that exists only in whole units: a care place is there or not (posts come in fractions)


@dataclass(frozen=True)
class CityFigure:
    """A figure of all areas together, named once: its words are `figure.<key>` and `figure.<key>_help`
    in the catalogs, its value the `CitySummary` attribute `field`. Cards, trend chart, exports and
    handout show these and only these names."""

    key: str
    field: str
    signed: bool = False


# gross shortfall (no lending between areas), surplus, and their signed difference ΣSoll − ΣIst
SHORTFALL = CityFigure("shortfall", "gross_gap_fte")
SURPLUS = CityFigure("surplus", "surplus_fte")
BALANCE = CityFigure("balance", "balance_fte", signed=True)
CITY_FIGURES = (SHORTFALL, SURPLUS, BALANCE)


@dataclass(frozen=True)
class Classes:
    """Fixed, policy-anchored classes: identical across years and scenarios, so maps compare by eye.
    A value on a break belongs to the class above it."""

    breaks: tuple[float, ...]
    colours: tuple[str, ...]  # one more than breaks
    target: int  # the class that means "target met"; the legend says so
    no_value_label: str  # catalog key of the grey class where the value is undefined

    def index(self, values) -> np.ndarray:
        """Class index per value; len(colours) where the value is undefined."""
        values = np.asarray(values, dtype=float)
        classes = np.searchsorted(np.array(self.breaks), values, side="right")
        return np.where(np.isnan(values), len(self.colours), classes)


@dataclass(frozen=True)
class Continuous:
    """An exploratory scale fitted to the data shown."""

    colourscale: str | tuple  # a Plotly scale name or (position, colour) pairs
    z_decimals: int = 0  # rounding of the values sent to the map
    centred: bool = False  # diverging around 0, symmetric, at least ±min_half_span
    min_half_span: float = 0.0
    from_zero: bool = False  # the scale starts at 0, not at the smallest value
    undefined_at_top: bool = False  # an undefined value takes the top colour (no post at all is the worst case)


@dataclass(frozen=True)
class Measure:
    key: str  # catalog key, and the map's measure key
    column: str  # column of a result table and of report rows
    unit: str  # "residents", "supply" (posts or places), "percent" (a fraction, shown ×100), "euro", "density"
    decimals: int  # as tables, exports and `report` round it
    glance_decimals: int | None = None  # hover and detail panel; None: as `decimals`
    signed: bool = False  # written with + for positive values
    undefined: str = "not_available"  # what an undefined value means: "not_available" or "no_post"
    alert: tuple[str, float] | None = None  # (">" or "<", limit): values beyond the limit are shown in red
    status: bool = False  # the population status (estimate, forecast) is named next to it
    hover: bool = True  # in the map's hover label and the detail panel's figures
    scale: Classes | Continuous | None = None  # colours on the map; None: not a map choice
    map_rank: int = 0  # position among the map choices
    counted: bool = False  # counts supply that is there (Ist, at the sites): whole numbers for places

    def in_unit(self, unit: str) -> Measure:
        """This measure as a dataset whose supply is counted in `unit` shows it: counted places whole."""
        if self.counted and unit in WHOLE_UNITS:
            return replace(self, decimals=0, glance_decimals=0)
        return self

    @property
    def factor(self) -> float:
        return PERCENT if self.unit == "percent" else 1

    def rounded(self, value) -> float | None:
        """The value as tables and exports carry it (×100 for percentages); None where undefined."""
        if value is None or math.isnan(float(value)):
            return None
        return round(float(value) * self.factor, self.decimals)

    def alarming(self, value, shown: bool = False) -> bool:
        """Whether `value` is shown in red; `shown`: the value is rounded as tables carry it (see `rounded`)."""
        if self.alert is None or value is None or math.isnan(float(value)):
            return False
        op, limit = self.alert
        limit *= self.factor if shown else 1
        return float(value) > limit if op == ">" else float(value) < limit

    def glance(self, value, lang: str, no_post: str) -> str:
        """Short text of an unrounded value for hover and detail panel; `no_post` names a missing post."""
        return self.glances([value], lang, no_post)[0]

    def glances(self, values, lang: str, no_post: str) -> list[str]:
        """`glance` of many values (one formatting decision for all: hover texts of 11,000 areas at once)."""
        values = np.asarray(values, dtype=float)
        undefined = no_post if self.undefined == "no_post" else "–"
        if self.unit == "euro":
            return [undefined if math.isnan(v) else fmt_eur(v, lang) for v in values.tolist()]
        decimals = self.decimals if self.glance_decimals is None else self.glance_decimals
        suffix = " %" if self.unit == "percent" else ""
        return [undefined if math.isnan(v) else fmt_number(v, lang, decimals, self.signed) + suffix
                for v in (values * self.factor).tolist()]

    def cell(self, rounded, lang: str, undefined: str) -> str:
        """A rounded value (see `rounded`) as a table cell reads it in `lang`."""
        return undefined if rounded is None else fmt_number(rounded, lang, self.decimals, signed=self.signed)

    def excel_format(self) -> str:
        """Excel number format: thousands grouped, the measure's decimals, + for signed values."""
        if self.unit == "percent":
            return "0." + "0" * self.decimals + "%" if self.decimals else "0%"
        number = "#,##0" + ("." + "0" * self.decimals if self.decimals else "")
        zero = "0" + ("." + "0" * self.decimals if self.decimals else "")
        return f"+{number};-{number};{zero}" if self.signed else number

    def excel_value(self, rounded):
        """A rounded value as Excel stores it: percentages as fractions, whole numbers as int."""
        if self.unit == "percent":
            return round(rounded / PERCENT, self.decimals + 2)
        return int(rounded) if self.decimals == 0 else float(rounded)


COVERAGE_CLASSES = Classes(COVERAGE_BREAKS, COVERAGE_COLOURS, 3, "legend.no_target")

REGISTRY: tuple[Measure, ...] = (
    Measure("population", "population", "residents", 0, status=True, map_rank=3,
            scale=Continuous("Blues", from_zero=True)),
    Measure("soll", "soll_fte", "supply", 2),
    Measure("ist", "ist_fte", "supply", 2, counted=True),  # reachable posts under the service-area rule
    Measure("located", "located_fte", "supply", 2, hover=False, counted=True),  # posts of the sites standing in the unit
    Measure("gap", "gap_fte", "supply", 2, signed=True, alert=(">", 0.0), map_rank=1,
            scale=Continuous(((0, SURPLUS_BLUE), (0.5, "#f7f7f7"), (1, SHORTFALL_RED)), z_decimals=3, centred=True,
                             min_half_span=0.5)),
    Measure("coverage", "coverage", "percent", 1, glance_decimals=0, alert=("<", LOW_COVERAGE), map_rank=0,
            scale=COVERAGE_CLASSES),
    Measure("residents_per_fte", "residents_per_fte", "residents", 0, undefined="no_post", map_rank=2,
            scale=Continuous("OrRd", undefined_at_top=True)),
    Measure("posts_per_10k", "posts_per_10k", "density", 2, map_rank=4,
            scale=Continuous("YlGn", z_decimals=2, from_zero=True)),
    Measure("cost", "cost", "euro", 0, signed=True, hover=False),
)


def counted_text(value, lang: str, unit: str) -> str:
    """A counted supply figure (Ist) as a card writes it: whole places; posts as `fmt_fte` writes them."""
    return fmt_number(value, lang, 0) if unit in WHOLE_UNITS else fmt_fte(value, lang)


def registry(unit: str) -> tuple[Measure, ...]:
    """`REGISTRY` as a dataset counting its supply in `unit` shows it (see `Measure.in_unit`)."""
    return tuple(m.in_unit(unit) for m in REGISTRY)


BY_KEY = {m.key: m for m in REGISTRY}
BY_COLUMN = {m.column: m for m in REGISTRY}
MAP_MEASURES = tuple(m.key for m in sorted((m for m in REGISTRY if m.scale is not None), key=lambda m: m.map_rank))
DEFAULT_MEASURE = MAP_MEASURES[0]  # what the map shows unless told otherwise
COLUMNS = tuple(m.column for m in REGISTRY)
CLASSED = tuple(m for m in REGISTRY if isinstance(m.scale, Classes))  # tables show their class colour


def map_measure(key: str) -> Measure:
    """The map measure `key`; ValueError naming the choices if there is none."""
    m = BY_KEY.get(key)
    if m is None or m.scale is None:
        raise ValueError(f"unknown measure '{key}'; choose one of {', '.join(MAP_MEASURES)}")
    return m


def fixed_colours(key: str) -> bool:
    """Whether the map's colours and legend of `key` stay the same whatever the data (fixed classes)."""
    return isinstance(map_measure(key).scale, Classes)


def limit_text(fraction: float, lang: str) -> str:
    """A class limit or threshold as the texts name it, before their "%": 0.75 → "75", 0.825 → "82,5"."""
    value = fraction * PERCENT
    return fmt_number(value, lang, 0 if abs(value - round(value)) < 1e-9 else 1)


def class_colour(m: Measure, index: int) -> str:
    """The colour of class `index` of a classed measure (grey where its value is undefined; after that
    the lighter grey of a unit without figures, see `no_figures_class`)."""
    return (m.scale.colours + (NO_VALUE_COLOUR, NO_FIGURES_COLOUR))[index]


def no_figures_class(m: Measure) -> int:
    """The class index `class_colour` paints a unit without figures with."""
    return len(m.scale.colours) + 1


def rounded_row(values, unit: str = "posts") -> dict:
    """column → rounded value of every measure (as the supply `unit` rounds it), from a result table row
    or `metrics.measure_values`."""
    return {m.column: m.rounded(values[m.column]) for m in registry(unit)}


def total_values(population: float, soll: float, ist: float, fte_cost: float, located: float | None = None) -> dict:
    """Every measure for all units together: the formulas applied to the sums (no averaging of ratios)."""
    return metrics.measure_values(metrics.Base(float(population), float(soll), float(ist), fte_cost,
                                               None if located is None else float(located)))
