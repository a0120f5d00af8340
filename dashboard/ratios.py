"""Target ratios between and beyond milestones.

A service states ratios for some years (Dresden: 2023, 2024, 2026). Before the first and after
the last milestone that milestone's ratio holds; between two, the earlier one holds ("hold")
or the ratio moves in a straight line ("linear"), e.g. 2025 = (4200 + 2500) / 2 = 3350.
"""

from __future__ import annotations

from collections.abc import Mapping


def ratio_for_year(milestones: Mapping[int, float], year: int, between: str = "hold") -> float:
    if not milestones:
        raise ValueError("the service has no ratio milestones")
    if between not in ("hold", "linear"):
        raise ValueError(f"between-milestones rule must be 'hold' or 'linear', not '{between}'")
    years = sorted(milestones)
    if year <= years[0]:
        return float(milestones[years[0]])
    if year >= years[-1]:
        return float(milestones[years[-1]])
    before = max(y for y in years if y <= year)
    if before == year or between == "hold":
        return float(milestones[before])
    after = min(y for y in years if y > year)
    share = (year - before) / (after - before)
    return float(milestones[before] + share * (milestones[after] - milestones[before]))


def ratio_table(services: Mapping[str, Mapping[int, float]], years, rules) -> dict[str, dict[str, dict[str, float]]]:
    """rule → year → service → ratio from the milestones, for every year a slider can show: what the
    ratio sliders follow until moved (the browser looks the values up instead of asking the server)."""
    return {rule: {str(year): {key: ratio_for_year(milestones, year, rule) for key, milestones in services.items()}
                   for year in years} for rule in rules}
