"""Finding the key columns by their values when no column name settles it.

A register table's `RAUMID` and a boundary file's `plr_id` hold the same keys under names no synonym
list knows. The pair of columns whose values match best is taken — with its match rate in the report —
and two pairs that match equally well are refused, naming both, rather than guessed between.
"""

from __future__ import annotations

from dataclasses import dataclass

from .normalise import KeyMatcher, key_text

MIN_RATE = 0.5  # below this share of matching keys a pair is no key pair at all


@dataclass(frozen=True)
class KeyPair:
    attribute: str | None  # boundary attribute (None when the boundary key was known)
    column: str  # table column
    matched: int  # distinct table values that are boundary keys
    total: int  # distinct non-empty table values

    @property
    def rate(self) -> float:
        return self.matched / self.total if self.total else 0.0

    @property
    def percent(self) -> str:
        return f"{100 * self.rate:.0f}"


def _distinct(values) -> set[str]:
    return {key_text(v).strip() for v in values if str(v).strip() and str(v).strip().lower() != "nan"}


def _fold(value: str) -> str:
    return str(int(value)) if value.isascii() and value.isdigit() else value.casefold()


def best_pairs(attributes: dict[str, list], columns: dict[str, list]) -> list[KeyPair]:
    """Boundary attribute × table column pairs that match, best first (ties share the first place)."""
    pairs = []
    for attribute, attribute_values in attributes.items():
        keys = _distinct(attribute_values)
        if len(keys) < len([v for v in attribute_values if str(v).strip()]):
            continue  # not unique: no key
        folded = {_fold(k) for k in keys}
        for column, values in columns.items():
            distinct = _distinct(values)
            matched = sum(_fold(v) in folded for v in distinct)
            pairs.append(KeyPair(attribute, column, matched, len(distinct)))
    return _ranked(pairs)


def best_columns(matcher: KeyMatcher, columns: dict[str, list]) -> list[KeyPair]:
    """Table columns whose values the boundary keys (or names) match, best first."""
    pairs = []
    for column, values in columns.items():
        distinct = _distinct(values)
        found = [matcher.match(v) for v in distinct]
        matched = sum(not m.candidates and m.key in matcher.exact for m in found)
        pairs.append(KeyPair(None, column, matched, len(distinct)))
    return _ranked(pairs)


def _ranked(pairs: list[KeyPair]) -> list[KeyPair]:
    good = [p for p in pairs if p.total and p.rate >= MIN_RATE]
    return sorted(good, key=lambda p: (-p.rate, -p.matched))


def tied(pairs: list[KeyPair]) -> bool:
    return len(pairs) > 1 and (pairs[0].rate, pairs[0].matched) == (pairs[1].rate, pairs[1].matched)
