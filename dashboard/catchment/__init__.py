"""Service areas: where a site's posts count (own district, planning area, or by distance), by 2SFCA."""

from .model import Catchments, declared_serves, running_fte, serves_entries, serves_issues, site_supply
from .points import Places, build_places
from .rule import (DECAYS, DEFAULT_RADIUS_KM, DEFAULT_STEPS, OWN, CatchmentError, CatchmentRule, Issue, format_rule,
                   parse_rule)
from .serves import DistrictGroups, parse_serves
from .twostep import Contributions, Reach, contributions, reach, spread
from .weights import Pairs, Weights, build_weights, decay_weights, near_pairs, placed_weights

__all__ = [
    "Catchments", "CatchmentError", "CatchmentRule", "Contributions", "DECAYS", "DEFAULT_RADIUS_KM", "DEFAULT_STEPS",
    "DistrictGroups", "Issue", "OWN", "Pairs", "Places", "Reach", "Weights", "build_places", "build_weights",
    "contributions", "decay_weights", "declared_serves", "near_pairs", "format_rule", "parse_rule", "parse_serves",
    "placed_weights", "reach", "running_fte", "serves_entries", "serves_issues", "site_supply", "spread",
]
