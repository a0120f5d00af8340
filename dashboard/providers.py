"""Per provider: its planning areas, its posts, the Soll of the areas it is responsible for, and the gap.

The Fachplan assigns each planning area to a provider. Here the assignment follows the service
area: a provider is responsible for the share of an area's Soll that its sites supply of the
posts reaching the area (all of it where it alone serves the area). Its Soll is the sum of these
shares; Soll in areas no site reaches stays with no provider (the row with an empty provider), so
the rows add up to the whole Soll. Planned changes are not sites and are left out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import metrics
from .catchment import contributions
from .scenario import Assumptions, Calculator

COLUMNS = ["provider", "areas", "area_names", "posts", "soll_fte", "gap_fte"]
NO_PROVIDER = ""  # the row of the Soll in areas no site reaches
AREA_SEPARATOR = "; "  # area names hold commas ("Prohlis, Reick")
MIN_PROVIDERS = 2  # with one provider (or a source named as one) the view would only repeat the totals


def named_providers(sites: pd.DataFrame) -> list[str]:
    """The providers the sites name (sorted, blanks left out)."""
    if "provider" not in sites:
        return []
    names = sites["provider"].dropna().astype(str).str.strip()
    return sorted(set(names[names != ""]))


def providers_compared(sites: pd.DataFrame) -> bool:
    """Whether a view per provider says something: the sites name at least two providers."""
    return len(named_providers(sites)) >= MIN_PROVIDERS


def provider_table(calc: Calculator, a: Assumptions) -> pd.DataFrame:
    """One row per provider (largest gap first), then the row of areas no site reaches."""
    dataset, year = calc.dataset, a.year
    population = calc.reference_population(a.population_rule)[year]
    places = calc.catchments.places
    p = calc.catchments.in_place_order(population)
    first = dataset.sites.drop_duplicates("site_id").set_index("site_id")
    provider_of = first["provider"].reindex(list(places.site_ids)).fillna("").astype(str).to_numpy()
    soll = pd.Series(0.0, index=sorted(set(provider_of) | {NO_PROVIDER}))
    posts = pd.Series(0.0, index=soll.index)
    reached: dict[str, set[int]] = {name: set() for name in soll.index}
    for service in calc.services_of(a):
        rule = calc.rule(a, service)
        supply = calc.catchments.supply(service, [year])[:, 0]
        parts = contributions(calc.catchments.weights(rule), p, supply)
        need = metrics.required_fte(p, calc.ratio(a, service))
        reachable = np.bincount(parts.district, weights=parts.posts, minlength=len(p))
        share = np.divide(parts.posts, reachable[parts.district], out=np.zeros_like(parts.posts),
                          where=reachable[parts.district] > 0)
        owner = provider_of[parts.site]
        soll = soll.add(pd.Series(share * need[parts.district]).groupby(owner).sum(), fill_value=0.0)
        soll[NO_PROVIDER] += float(need[reachable <= 0].sum())
        posts = posts.add(pd.Series(supply).groupby(provider_of).sum(), fill_value=0.0)
        for name, district in zip(owner[parts.posts > 0], parts.district[parts.posts > 0]):
            reached[name].add(int(district))
        reached[NO_PROVIDER] |= set(np.flatnonzero((reachable <= 0) & (need > 0)).tolist())
    units = _units(calc, a)
    rows = []
    for name in soll.index:
        names = sorted({units[places.district_ids[d]] for d in reached[name]})
        rows.append({"provider": name, "areas": len(names), "area_names": AREA_SEPARATOR.join(names),
                     "posts": float(posts[name]),
                     "soll_fte": float(soll[name]), "gap_fte": float(soll[name] - posts[name])})
    table = pd.DataFrame(rows, columns=COLUMNS)
    table = table[(table["soll_fte"] > 0) | (table["posts"] > 0)]
    named = table[table["provider"] != NO_PROVIDER].sort_values(["gap_fte", "provider"], ascending=[False, True])
    return pd.concat([named, table[table["provider"] == NO_PROVIDER]], ignore_index=True)


def _units(calc: Calculator, a: Assumptions) -> dict[str, str]:
    """district id → the name of its planning area: the group at the rule's level where the service
    counts by planning area, else the unit at the view's level."""
    dataset = calc.dataset
    levels = {calc.rule(a, s).level for s in calc.services_of(a) if calc.rule(a, s).kind == "level"}
    level = levels.pop() if len(levels) == 1 else a.level or dataset.settings.base_level
    d = dataset.districts
    column = dataset.level_column(level)
    names = d["name"] if column == "district_id" else d[column]
    return dict(zip(d["district_id"].astype(str), names.astype(str)))


def providers_csv(table: pd.DataFrame) -> str:
    """The provider table as CSV (FTE rounded to two decimals, as the district report)."""
    out = table.copy()
    for column in ("posts", "soll_fte", "gap_fte"):
        out[column] = out[column].round(2)
    return out.to_csv(index=False, lineterminator="\n")
