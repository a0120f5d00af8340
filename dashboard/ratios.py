"""Target ratios between and beyond milestones.

A service states ratios for some years (Dresden: 2023, 2024, 2026). Before the first and after
the last milestone that milestone's ratio holds; between two, the earlier one holds ("hold")
or the ratio moves in a straight line ("linear"), e.g. 2025 = (4200 + 2500) / 2 = 3350.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .formatting import fmt_number


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


# How far a ratio the scenario sets reaches (`RatioOverride.scope` in the view model):
ALL_YEARS = "all"  # every year: the dataset's milestones are set aside
FROM_YEAR = "from"  # from its year on; the years before keep the dataset's ratios
ONLY_YEAR = "only"  # its year alone; every other year keeps the dataset's ratio
SCOPES = (ONLY_YEAR, FROM_YEAR, ALL_YEARS)  # in the order the controls offer them

# a ratio the scenario sets for a service: (ratio, scope, the year it was set for; None for all years)
Setting = tuple[float, str, "int | None"]


def governing(settings: Iterable[Setting], year: int) -> Setting | None:
    """The scenario's setting that holds in `year`: one for that year alone, else the latest one
    from a year on up to `year`, else one for all years, else none (the dataset's ratio holds)."""
    settings = list(settings)
    only = [s for s in settings if s[1] == ONLY_YEAR and s[2] == year]
    since = [s for s in settings if s[1] == FROM_YEAR and s[2] <= year]
    every = [s for s in settings if s[1] == ALL_YEARS]
    return (only or sorted(since, key=lambda s: s[2])[-1:] or every or [None])[0]


def scenario_ratio(milestones: Mapping[int, float], year: int, between: str = "hold",
                   settings: Iterable[Setting] = ()) -> float:
    """The target ratio in `year`: the scenario's setting that holds then (`governing`), else the
    dataset's milestones under `between`.

    "From a year on" is a step, not a new milestone to interpolate towards: the years before keep
    exactly the dataset's ratios, also under "linear", and the dataset's later milestones give way
    to the scenario's value (it holds to the last year, or to the scenario's next setting)."""
    setting = governing(settings, year)
    return float(setting[0]) if setting else ratio_for_year(milestones, year, between)


def with_setting(settings: Iterable[Setting], ratio: float, scope: str, year: int | None) -> list[Setting]:
    """The settings after the planner sets `ratio` in `year` with `scope`: for all years it replaces
    every other; from a year on it replaces those of that year and later; for one year alone, the
    one of that year. (The browser sets them the same way: `caregap.withSetting`.)"""
    if scope == ALL_YEARS:
        kept = []
    elif scope == FROM_YEAR:
        kept = [s for s in settings if s[2] is None or s[2] < year]
    else:
        kept = [s for s in settings if s[2] != year]
    return [*kept, (float(ratio), scope, None if scope == ALL_YEARS else year)]


def rescoped(settings: Iterable[Setting], year: int, scope: str) -> list[Setting]:
    """The settings after the planner gives the one that holds in `year` another scope: its ratio
    set anew in `year` with `scope` (`with_setting`); unchanged where none holds then.
    (The browser does the same: `caregap.rescoped`.)"""
    settings = list(settings)
    setting = governing(settings, year)
    if setting is None:
        return settings
    return with_setting([s for s in settings if s != setting], setting[0], scope, year)


def ratio_ramp(milestones: Mapping[int, float], years, between: str = "hold",
               settings: Iterable[Setting] = ()) -> list[tuple[int, float, bool]]:
    """(year, ratio, set by the scenario) where the ratio steps: each milestone year (also one before
    the data's first year: the plan's own years), each setting's year (the first milestone's for all
    years) and, after one for a year alone, the year after (up to the last of `years`). A point with
    the ratio and mark of the point before is left out, so "all years" reads as one value."""
    settings = list(settings)
    points = set(milestones)
    for _ratio, scope, since in settings:
        points.add(min(milestones) if scope == ALL_YEARS else since)
        if scope == ONLY_YEAR and since < years[-1]:
            points.add(since + 1)
    ramp: list[tuple[int, float, bool]] = []
    for year in sorted(points):
        point = (year, scenario_ratio(milestones, year, between, settings), governing(settings, year) is not None)
        if not ramp or point[1:] != ramp[-1][1:]:
            ramp.append(point)
    return ramp


def ratio_text(value: float, lang: str) -> str:
    """1 : 2.500 (de) or 1 : 2,500 (en): a ratio as the plan writes it."""
    return "1 : " + fmt_number(value, lang, 0 if value >= 100 else 2)


RAMP_MARK = "*"  # after a year whose ratio the scenario sets
RAMP_JOIN = " · "


def ramp_text(ramp: list[tuple[int, float, bool]], lang: str) -> str:
    """`2023 1 : 5.900 · 2026* 1 : 3.000 · 2027 1 : 2.500` (the browser writes it the same way:
    `caregap.rampText` in layouts/assets/caregap.js)."""
    return RAMP_JOIN.join(f"{year}{RAMP_MARK if changed else ''} {ratio_text(value, lang)}"
                          for year, value, changed in ramp)
