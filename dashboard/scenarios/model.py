"""A saved scenario: name, description, the dataset it was made on, and every assumption."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from ..scenario import Assumptions, FteChange

EXTRA_KEYS = ("measure",)  # view settings saved with the assumptions so a scenario reopens as it looked


def assumptions_to_dict(a: Assumptions, measure: str = "coverage") -> dict:
    data = asdict(a)
    data["ratios"] = {k: v for k, v in a.ratios}
    data["fte_changes"] = [asdict(c) for c in a.fte_changes]
    data["measure"] = measure
    return data


def assumptions_from_dict(data: dict) -> tuple[Assumptions, str]:
    """Assumptions and the map measure; unknown keys (from a newer release) are ignored."""
    fields = {k: v for k, v in data.items() if k in Assumptions.__dataclass_fields__}
    fields["ratios"] = tuple(sorted((str(k), float(v)) for k, v in (data.get("ratios") or {}).items()))
    fields["fte_changes"] = tuple(FteChange(**c) for c in data.get("fte_changes") or [])
    return Assumptions(**fields), str(data.get("measure", "coverage"))


@dataclass(frozen=True)
class Scenario:
    id: str
    name: str
    description: str
    dataset_id: str
    dataset_version: str
    assumptions: dict  # assumptions_to_dict form
    created_at: datetime
    updated_at: datetime
    revision: int  # raised by every save; a save names the revision it started from

    def typed(self) -> tuple[Assumptions, str]:
        return assumptions_from_dict(self.assumptions)
