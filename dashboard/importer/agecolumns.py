"""Which columns of a table that is wide by age hold which age band.

Official tables put more than the fine bands side by side: aggregates (65-79 beside 65-66, 67-69, …),
totals, and columns split by sex. This module decides, per header, what it is:
- a band named in mapping.toml's [population.bands] (or on the import page), or read from the header
  (`60 bis unter 65`, `90 u. älter`, coded `E_E60_63`);
- an aggregate: a band tiled exactly by finer bands of the table — checked against its parts and left out;
- one half of a sex split (`männlich 60-64`, `60-64 weiblich`): both halves are summed into one band;
- a total, a year (a table wide by year), a header that looks like an age but cannot be read, or other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..agebands import parse_band
from .mapping import find_column
from .normalise import is_total, looks_like_age, read_band, year_header

SEX_WORDS = {"m": "m", "w": "f", "f": "f", "männlich": "m", "maennlich": "m", "weiblich": "f", "männer": "m",
             "maenner": "m", "frauen": "f", "male": "m", "female": "f", "men": "m", "women": "f"}
_SEX = re.compile(r"^(?:(?P<pre>[^\W\d_]+)[\s_:/-]+(?P<rest1>.+)|(?P<rest2>.+?)[\s_:/(-]+(?P<post>[^\W\d_]+)\)?)$")
# coded register headers: prefix, `_`, a letter for whom it counts (E = Einwohner, all; M = männlich; W = weiblich),
# then the band (`E_M60_63`, `E_W65U80`) or nothing (`E_E`, `E_M`: every age)
CODED_SEX = {"e": None, "m": "m", "w": "f"}
_CODED_SEX = re.compile(r"^[A-Za-z]+_(?P<sex>[EMWemw])(?P<band>\d{1,3}(?:_|U)\d{1,3})?$")


def coded_sex(header: str) -> tuple[str | None, bool] | None:
    """`E_M60_63` → ('m', True), `E_W` → ('f', False), `E_E` → (None, False): whose count a coded header
    holds (None: everyone) and whether it names a band (else it counts every age); None if not coded."""
    m = _CODED_SEX.match(str(header).strip())
    if not m:
        return None
    return CODED_SEX[m.group("sex").lower()], m.group("band") is not None


def sex_split(header: str) -> tuple[str, str] | None:
    """`männlich 60-64` → ('m', '60-64'), `60 bis 64 (weiblich)` → ('f', '60 bis 64'); None otherwise."""
    m = _SEX.match(str(header).strip())
    if not m:
        return None
    if m.group("pre") and m.group("pre").lower() in SEX_WORDS:
        return SEX_WORDS[m.group("pre").lower()], m.group("rest1").strip()
    if m.group("post") and m.group("post").lower() in SEX_WORDS:
        return SEX_WORDS[m.group("post").lower()], m.group("rest2").strip()
    return None


def total_sex(header: str) -> str | None:
    """Whose total a total column holds: 'm' (`E_M`, `Männer insgesamt`), 'f', or None (everyone)."""
    coded = coded_sex(header)
    if coded is not None:
        return coded[0]
    split = sex_split(header)
    return split[0] if split else None


@dataclass(frozen=True)
class BandColumn:
    header: str  # as the file spells it; for a summed sex split: "male + female"
    label: str  # contract band, e.g. 60-64
    source: str  # header | mapping | sum
    parts: tuple[str, ...] = ()  # the sex halves summed (male, female)


@dataclass
class AgeColumns:
    bands: list[BandColumn] = field(default_factory=list)  # the fine bands the import uses
    aggregates: list[tuple[BandColumn, tuple[BandColumn, ...]]] = field(default_factory=list)  # (aggregate, parts)
    totals: list[str] = field(default_factory=list)
    years: list[tuple[str, int]] = field(default_factory=list)
    unreadable: list[tuple[str, object]] = field(default_factory=list)  # (header, reason Phrase or None)
    half_sex: list[str] = field(default_factory=list)  # a sex half without its other half
    unused: list[str] = field(default_factory=list)
    readings: list[BandColumn] = field(default_factory=list)  # every header read (for the page and report)


def classify(headers: list[str], named: dict[str, str]) -> AgeColumns:
    """Sort `headers` (those not playing another role); `named` maps a header to its band (mapping.toml)."""
    out = AgeColumns()
    halves: dict[str, dict[str, str]] = {}
    plain: list[BandColumn] = []
    for header in headers:
        given = next((band for column, band in named.items() if find_column([header], column)), None)
        if given is not None:
            plain.append(BandColumn(header, given, "mapping"))
            continue
        coded = coded_sex(header)
        if coded is not None and not coded[1]:  # E_E, E_M, E_W: every age, of everyone or of one sex
            out.totals.append(header)
            continue
        if coded is not None and coded[0] and (inner := read_band(header)).label is not None:
            halves.setdefault(inner.label, {})[coded[0]] = header  # E_M60_63 / E_W60_63
            continue
        split = sex_split(header)
        if is_total(header) or (split and is_total(split[1])):
            out.totals.append(header)
            continue
        if (year := year_header(header)) is not None:
            out.years.append((header, year))
            continue
        reading = read_band(header)
        if reading.label is not None:
            plain.append(BandColumn(header, reading.label, "header"))
            continue
        if split and (inner := read_band(split[1])).label is not None:
            halves.setdefault(inner.label, {})[split[0]] = header
            continue
        if looks_like_age(header):
            out.unreadable.append((header, reading.reason))
        else:
            out.unused.append(header)
    have = {b.label for b in plain}
    for label, pair in halves.items():
        if label in have:  # a plain column of the band beside its halves: the halves are its parts
            out.totals += list(pair.values())
        elif len(pair) == 2:
            plain.append(BandColumn(f"{pair['m']} + {pair['f']}", label, "sum", (pair["m"], pair["f"])))
        else:
            out.half_sex += list(pair.values())
    out.readings = list(plain)
    out.bands, out.aggregates = split_aggregates(plain)
    return out


def split_aggregates(columns: list[BandColumn]) -> tuple[list[BandColumn], list[tuple[BandColumn, tuple]]]:
    """Fine bands, and the aggregates (bands tiled exactly by the finest bands) with their parts."""
    parsed = {c.header: parse_band(c.label) for c in columns}

    def inside(a, b):  # a strictly within b
        return a != b and a.low >= b.low and a.high <= b.high

    finest = [c for c in columns if not any(inside(parsed[o.header], parsed[c.header]) for o in columns)]
    fine, aggregates = [], []
    for column in columns:
        if column in finest:
            fine.append(column)
            continue
        band = parsed[column.header]
        parts = sorted((c for c in finest if inside(parsed[c.header], band)), key=lambda c: parsed[c.header].low)
        tiled = (parts and parsed[parts[0].header].low == band.low and parsed[parts[-1].header].high == band.high
                 and all(parsed[b.header].low == parsed[a.header].high + 1 for a, b in zip(parts, parts[1:])))
        if tiled:
            aggregates.append((column, tuple(parts)))
        else:
            fine.append(column)  # overlapping bands: the core names the overlap
    return fine, aggregates


# -- the import page's band editor ---------------------------------------------------------------------
def band_rows(headers: list[str]) -> list[dict]:
    """One row per column that holds (or looks like it holds) an age band: column, detected band ('' if
    unreadable) and what the import does with it (a catalog key under import.bands.kind)."""
    ages = classify(headers, {})
    kinds = {c.header: "band" for c in ages.bands if c.source == "header"}
    kinds.update({a.header: "aggregate" for a, _ in ages.aggregates})
    rows = [{"column": c.header, "band": c.label, "detected": c.label, "kind": kinds.get(c.header, "band")}
            for c in ages.readings if c.source == "header"]
    for column in ages.bands:
        if column.source == "sum":
            rows += [{"column": part, "band": column.label, "detected": column.label, "kind": "summed"}
                     for part in column.parts]
    rows += [{"column": h, "band": "", "detected": "", "kind": "half"} for h in ages.half_sex]
    rows += [{"column": h, "band": "", "detected": "", "kind": "unreadable"} for h, _ in ages.unreadable]
    order = {h: i for i, h in enumerate(headers)}
    return sorted(rows, key=lambda r: order.get(r["column"], len(order)))


def bands_from_rows(rows: list[dict] | None) -> dict[str, str]:
    """[population.bands] from the editor: the columns whose band the planner changed or filled in."""
    return {str(r["column"]): str(r["band"]).strip() for r in rows or []
            if str(r.get("band") or "").strip() and str(r["band"]).strip() != r.get("detected")}
