"""The view as command-line flags: one argument builder for `report`, `export` and later commands.

The flags speak the link's language (`--year 2030` is `year=2030`, `--ratio beratung=2500` is
`r.beratung=2500`, `--ratio beratung=2000@2028+` is `r.beratung=2000@2028+`, `--change
72~beratung~2026~1.5` is `changes=…`), and are decoded by the same
code (`url.apply_pairs`), strictly: a value that does not fit the dataset is an error with its
reason, in the language of `--lang` (default: the locale's, from LC_ALL, LC_MESSAGES or LANG,
else German).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from ..dataset import Dataset
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES
from ..mapping import MEASURES
from . import check_assumptions, default_view
from .checks import ScenarioError
from .model import ALL_SERVICES, BETWEEN_RULES, View
from .url import PLAN, RATIO_PREFIX, apply_pairs

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # the first one set decides, as in POSIX
# flag (argparse dest) → link key; --ratio and --change are read apart, they can repeat
FLAG_KEYS = (("service", "service"), ("year", "year"), ("population", "pop"), ("level", "level"),
             ("between", "between"), ("cost", "cost"), ("wage", "wage"), ("measure", "measure"), ("lang", "lang"),
             ("catchment", "catch"), ("radius_km", "radius"), ("decay", "decay"))


def locale_language(environ: Mapping[str, str] | None = None) -> str:
    """`de_DE.UTF-8` → de, `en_GB` → en; a locale in another language (or C) → German."""
    environ = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        if environ.get(name):
            lang = environ[name].split(".")[0].split("_")[0].lower()
            return lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def add_language_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default=locale_language(),
                        help="language of messages and output (default: from LC_ALL/LANG, else de)")


def add_view_arguments(parser: argparse.ArgumentParser, *, measure: bool = False) -> None:
    """The flags of the assumptions (and with `measure`, of the map), `--scenario` and `--lang`."""
    parser.add_argument("--service", help=f"service key from dataset.toml, or '{ALL_SERVICES}' (default: the first)")
    parser.add_argument("--year", help="year (default: the dataset's base year)")
    parser.add_argument("--ratio", action="append", metavar="[SERVICE=]N[@YEAR[+]]",
                        help="residents per FTE for --service, or for SERVICE, in every year (N), from YEAR on "
                             "(N@YEAR+) or in YEAR alone (N@YEAR); repeatable "
                             f"('{PLAN}': the dataset's milestones)")
    parser.add_argument("--population", help="reference population rule, e.g. 60+, 65+, 80+ or '60-79 + 0.5*80+'")
    parser.add_argument("--level", help="grouping level, e.g. stadtbezirk (default: the finest)")
    parser.add_argument("--between", choices=[*BETWEEN_RULES, PLAN], help="ratio between milestones")
    parser.add_argument("--cost", help=f"cost per FTE and year in EUR ('{PLAN}': the dataset's)")
    parser.add_argument("--wage", help=f"yearly wage growth as a fraction, e.g. 0.02 ('{PLAN}': the dataset's)")
    parser.add_argument("--change", action="append", metavar="DISTRICT~SERVICE~YEAR~DELTA",
                        help="a planned FTE change from a year on, e.g. 72~beratung~2026~1.5; repeatable "
                             "('none': drop the saved scenario's)")
    parser.add_argument("--catchment", metavar="own|level:LEVEL|distance",
                        help="where a site's posts count: its own area, its area at LEVEL (e.g. level:stadtraum), "
                             f"or by distance ('{PLAN}': each service's rule from dataset.toml)")
    parser.add_argument("--radius-km", dest="radius_km",
                        help=f"radius of the distance rule in km ('{PLAN}': the dataset's starting value)")
    parser.add_argument("--decay", help=f"decay of the distance rule: gaussian or steps ('{PLAN}': the dataset's)")
    parser.add_argument("--scenario", help="start from a saved scenario (its id); other options change it")
    if measure:
        parser.add_argument("--measure", choices=MEASURES,
                            help="what the map shows (default: the scenario's, else coverage)")
    add_language_argument(parser)


def flag_pairs(args: argparse.Namespace, base: View) -> list[tuple[str, str]]:
    """The flags given, as the (key, text) pairs of a link."""
    pairs = [(key, str(getattr(args, flag))) for flag, key in FLAG_KEYS if getattr(args, flag, None) is not None]
    service = getattr(args, "service", None) or base.service
    ratios: dict[str, list[str]] = {}  # a service's ratios given apart are one list, as a link writes them
    for item in getattr(args, "ratio", None) or []:
        name, named, value = item.rpartition("=")
        if not named:
            if service == ALL_SERVICES:
                raise ScenarioError("ratio_needs_service", all=ALL_SERVICES)
            name = service
        ratios.setdefault(name, []).append(value)
    pairs += [(f"{RATIO_PREFIX}{name}", ",".join(values)) for name, values in ratios.items()]
    if getattr(args, "change", None):
        pairs.append(("changes", ",".join(args.change)))
    return pairs


def view_from_args(args: argparse.Namespace, dataset: Dataset, base: View | None = None) -> View:
    """The view the flags describe, on top of `base` (a saved scenario's view, else the defaults).

    ScenarioError names the first flag whose value does not fit the dataset.
    """
    base = base or default_view(dataset, dataset.id)
    view = apply_pairs(flag_pairs(args, base), dataset, base, strict=True)
    check_assumptions(dataset, view.assumptions)
    return view
