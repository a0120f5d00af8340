"""The caveats a reader must see next to the figures (not only in the notes at the foot of the page).

`caveat_keys` says which apply to a dataset; the texts are `caveat.<key>` in the catalogs.
"""

from __future__ import annotations

from .dataset import Dataset
from .i18n import t

# the order in which the caveats are read: where the residents come from, then the supply
ORDER = ("no_figures", "estimate", "forecast", "illustrative")


def caveat_keys(dataset: Dataset) -> tuple[str, ...]:
    """`estimate`/`forecast` when some residents figures are not observed counts, `illustrative`
    when any site of the dataset is marked illustrative (made-up locations or FTE)."""
    keys = set(dataset.population["status"].unique()) & {"estimate", "forecast"}
    if dataset.no_figures:  # areas without resident figures are in no total
        keys.add("no_figures")
    sites = dataset.sites
    if "status" in sites.columns and (sites["status"] == "illustrative").any():
        keys.add("illustrative")
    return tuple(k for k in ORDER if k in keys)


def caveat_lines(dataset: Dataset, lang: str) -> list[str]:
    """Each caveat that applies, in reading order."""
    return [t(f"caveat.{k}", lang, count=len(dataset.no_figures)) for k in caveat_keys(dataset)]


def caveat_text(dataset: Dataset, lang: str) -> str:
    """One line: what is estimated or made up ('' when nothing is)."""
    return " · ".join(caveat_lines(dataset, lang))
