"""A site's `serves` entry: the districts it declares to serve, by id or by group.

Written as district ids separated by `|` (`14|15|21`) or as `level:value` (`stadtraum:Prohlis`,
matching the group's name in the boundary file exactly, case aside); both may be mixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import pandas as pd

from .rule import CatchmentError, Issue

SEPARATOR = "|"
GROUP_MARK = ":"


@dataclass(frozen=True)
class DistrictGroups:
    """District ids and each district's group per level, as `serves` entries name them."""

    ids: tuple[str, ...]
    groups: Mapping[str, Mapping[str, frozenset[str]]]  # level -> group name (casefolded) -> district ids

    @classmethod
    def from_table(cls, districts: pd.DataFrame, levels: Mapping[str, str]) -> "DistrictGroups":
        """`levels`: level name -> its column in `districts` (as `DatasetSettings.levels`)."""
        ids = tuple(districts["district_id"].astype(str))
        groups = {}
        for level, column in levels.items():
            members: dict[str, set[str]] = {}
            for district, group in zip(ids, districts[column].astype(str)):
                members.setdefault(group.strip().casefold(), set()).add(district)
            groups[level] = {name: frozenset(ids_) for name, ids_ in members.items()}
        return cls(ids, groups)


def parse_serves(value: object, table: DistrictGroups) -> frozenset[str] | None:
    """The district ids a `serves` entry names; None when empty (the service's rule applies).

    Raises CatchmentError naming every unknown id, level or group.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    if not text:
        return None
    known = set(table.ids)
    served: set[str] = set()
    issues: list[Issue] = []
    for part in (p.strip() for p in text.split(SEPARATOR)):
        if not part:
            continue
        if part in known:
            served.add(part)
        elif GROUP_MARK in part:
            level, _, group = (s.strip() for s in part.partition(GROUP_MARK))
            if level not in table.groups:
                issues.append(Issue("serves_unknown_level",
                                    {"value": level, "known": ", ".join(table.groups) or "–"}))
            elif group.casefold() not in table.groups[level]:
                issues.append(Issue("serves_unknown_group", {"value": group, "level": level}))
            else:
                served |= table.groups[level][group.casefold()]
        else:
            issues.append(Issue("serves_unknown_district", {"value": part}))
    if issues:
        raise CatchmentError(issues)
    if not served:
        raise CatchmentError([Issue("serves_empty", {"value": text})])
    return frozenset(served)
