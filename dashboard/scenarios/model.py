"""A saved scenario: name, description, the dataset it was made on, and its view as a JSON document.

The document (version 2) keeps the assumptions apart from the view settings saved with them:
`{"version": 2, "assumptions": {...every field of Assumptions...}, "view": {"measure": "gap"}}`.
Every field is written (the service-area fields where set), so a document read and written again
is the same document. A ratio for all years is a number, as before ratios had a scope; one from a
year on or for one year alone is `{"ratio": 2000, "scope": "from", "year": 2028}`, several for one
service a list of those (so the documents saved before read unchanged, and no new version is needed). A version-1
document (flat: the assumptions' fields and `measure` side by side) is read through the same
step that migrated the saved rows (`migrations.upgrade_document_v1`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..view import DEFAULT_MEASURE, Assumptions, FteChange, ScenarioError
from .migrations import DOCUMENT_VERSION, upgrade_document_v1


def assumptions_to_dict(a: Assumptions, measure: str = DEFAULT_MEASURE) -> dict:
    """The saved-scenario document of assumptions and the map measure."""
    return {"version": DOCUMENT_VERSION,
            "assumptions": {"service": a.service, "year": a.year, "population_rule": a.population_rule,
                            "ratios": a.ratios_json(), "between_milestones": a.between_milestones,
                            "fte_cost_eur": a.fte_cost_eur, "wage_growth": a.wage_growth,
                            "fte_changes": [c.to_dict() for c in a.fte_changes], "level": a.level,
                            **_set(catchment=a.catchment, radius_km=a.radius_km, decay=a.decay)},
            "view": {"measure": measure}}


def _set(**fields) -> dict:
    """The fields that are set: the service-area rule is written only where a view sets it, so the
    documents saved before it existed read and write back unchanged."""
    return {k: v for k, v in fields.items() if v is not None}


def _optional_float(value) -> float | None:
    return None if value is None else float(value)


def assumptions_from_dict(document: dict) -> tuple[Assumptions, str]:
    """Assumptions and the map measure; keys from a newer release are ignored. ScenarioError if unreadable."""
    if "version" not in document:
        document = upgrade_document_v1(document)
    try:
        data = document["assumptions"]
        a = Assumptions(service=str(data["service"]), year=int(data["year"]),
                        population_rule=str(data["population_rule"]),
                        ratios=Assumptions.ratios_from_json(data.get("ratios")),
                        between_milestones=data.get("between_milestones"),
                        fte_cost_eur=_optional_float(data.get("fte_cost_eur")),
                        wage_growth=_optional_float(data.get("wage_growth")),
                        fte_changes=tuple(FteChange.from_dict(c) for c in data.get("fte_changes") or []),
                        level=data.get("level"), catchment=data.get("catchment"),
                        radius_km=_optional_float(data.get("radius_km")), decay=data.get("decay"))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ScenarioError("unreadable", detail=f"{type(exc).__name__}: {exc}") from exc
    return a, str((document.get("view") or {}).get("measure") or DEFAULT_MEASURE)


@dataclass(frozen=True)
class Scenario:
    id: str
    name: str
    description: str
    dataset_id: str
    dataset_version: str
    assumptions: dict  # the JSON document (assumptions_to_dict form)
    created_at: datetime
    updated_at: datetime
    revision: int  # raised by every save; a save names the revision it started from

    def typed(self) -> tuple[Assumptions, str]:
        return assumptions_from_dict(self.assumptions)
