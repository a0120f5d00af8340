"""Saved scenarios: the model, its JSON form, and the transactional store (SQLite or PostgreSQL)."""

from .model import Scenario, assumptions_from_dict, assumptions_to_dict
from .store import ConflictError, NotFoundError, ScenarioStore, StoreError, open_store

__all__ = ["Scenario", "assumptions_from_dict", "assumptions_to_dict", "ConflictError", "NotFoundError",
           "ScenarioStore", "StoreError", "open_store"]
