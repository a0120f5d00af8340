"""Text catalogs: every visible word lives in `locales/<lang>.toml`, not in the code."""

from __future__ import annotations

import tomllib
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

DEFAULT_LANGUAGE = "de"
LANGUAGES = ("de", "en")
_FOLDER = Path(__file__).with_name("locales")
UNITS = ("posts", "places")
_UNIT: ContextVar[str] = ContextVar("caregap_unit", default="posts")


def use_unit(unit: str) -> None:
    """Name the supply unit (posts, places) that `{unit}` in texts stands for, in this context."""
    _UNIT.set(unit if unit in UNITS else "posts")


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """`locales/<lang>.toml` plus every `locales/<part>.<lang>.toml` (one file per feature)."""
    files = [_FOLDER / f"{lang}.toml", *sorted(_FOLDER.glob(f"*.{lang}.toml"))]
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict) -> None:
        for key, value in node.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                walk(f"{name}.", value)
            else:
                flat[name] = str(value)

    for path in files:
        walk("", tomllib.loads(path.read_text(encoding="utf-8")))
    return flat


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """The text for `key` in `lang` (German if missing there), with {placeholders} filled."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    text = catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key)
    if text is None:
        raise KeyError(f"no text for '{key}'")
    if "{" not in text:
        return text
    unit = _UNIT.get()
    words = {"unit": catalog(lang)[f"unit.{unit}.many"], "unit_one": catalog(lang)[f"unit.{unit}.one"],
             "no_unit": catalog(lang)[f"unit.{unit}.none"]}
    return text.format(**{**words, **values})
