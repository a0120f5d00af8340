"""Age bands (`60-64`, `85+`) and reference-population rules (`60+`, `60-79 + 0.5*80+`).

A band is a closed interval of whole years; an open band (`85+`) has no upper end.
A rule selects the bands that lie inside its ranges, each with a weight, and refuses a
band that straddles one of its limits: summing a straddling band would silently count
residents outside the target group.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_BAND = re.compile(r"^\s*(\d{1,3})\s*(?:-\s*(\d{1,3})|(\+))\s*$")


@dataclass(frozen=True, order=True)
class AgeBand:
    low: int
    high: float  # inclusive upper age; math.inf for an open band

    @property
    def label(self) -> str:
        return f"{self.low}+" if math.isinf(self.high) else f"{self.low}-{int(self.high)}"

    def overlaps(self, other: AgeBand) -> bool:
        return self.low <= other.high and other.low <= self.high

    def within(self, low: int, high: float) -> bool:
        return self.low >= low and self.high <= high

    def straddles(self, low: int, high: float) -> bool:
        return self.overlaps(AgeBand(low, high)) and not self.within(low, high)

    def __str__(self) -> str:
        return self.label


def parse_band(text: str) -> AgeBand:
    """Parse `A-B` (inclusive) or `A+`; raises ValueError with a plain-language reason."""
    m = _BAND.match(str(text))
    if not m:
        raise ValueError(f"'{text}' is not an age band; write 'A-B' (e.g. 60-64) or 'A+' (e.g. 85+)")
    low = int(m.group(1))
    if m.group(3):
        return AgeBand(low, math.inf)
    high = int(m.group(2))
    if high < low:
        raise ValueError(f"age band '{text}' ends before it starts")
    return AgeBand(low, high)


def find_overlaps(bands: list[AgeBand]) -> list[tuple[AgeBand, AgeBand]]:
    """Pairs of bands (of one district and year) that overlap."""
    ordered = sorted(set(bands))
    return [(a, b) for a, b in zip(ordered, ordered[1:]) if a.overlaps(b)]


@dataclass(frozen=True)
class RuleTerm:
    low: int
    high: float
    weight: float = 1.0


@dataclass(frozen=True)
class PopulationRule:
    """Weighted sum of age ranges, e.g. `60+` or `60-79 + 0.5*80+`."""

    text: str
    terms: tuple[RuleTerm, ...]

    def weight_of(self, band: AgeBand) -> float:
        """Weight with which `band` counts; ValueError if it straddles a limit."""
        total = 0.0
        for term in self.terms:
            if band.within(term.low, term.high):
                total += term.weight
            elif band.straddles(term.low, term.high):
                raise ValueError(
                    f"age band {band} straddles the limit of '{self.text}'; "
                    f"split it at {term.low if band.low < term.low else int(term.high) + 1} in the population table"
                )
        return total

    @property
    def min_age(self) -> int:
        return min(t.low for t in self.terms)


_TERM = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*\*\s*)?(\d{1,3}\s*(?:-\s*\d{1,3}|\+))\s*$")

PRESET_RULES = ("60+", "65+", "75+", "80+")


def parse_rule(text: str) -> PopulationRule:
    """Parse a reference-population rule: terms joined by '+', each `[w*]A-B` or `[w*]A+`."""
    parts = re.split(r"\s+\+\s+|\s*\+\s*(?=\d)", str(text).strip())
    terms = []
    for part in parts:
        m = _TERM.match(part)
        if not m:
            raise ValueError(
                f"'{text}' is not a population rule; write e.g. '60+', '65+' or '60-79 + 0.5*80+'"
            )
        weight = float(m.group(1)) if m.group(1) else 1.0
        band = parse_band(m.group(2))
        terms.append(RuleTerm(band.low, band.high, weight))
    ranges = [AgeBand(t.low, t.high) for t in terms]
    if find_overlaps(ranges):
        raise ValueError(f"the ranges of population rule '{text}' overlap")
    return PopulationRule(str(text).strip(), tuple(terms))


def band_weights(rule: PopulationRule, labels: list[str]) -> dict[str, float]:
    """Weight of each band label under `rule` (0 for bands outside it)."""
    return {label: rule.weight_of(parse_band(label)) for label in labels}
