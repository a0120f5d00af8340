"""Errors that carry a code and its parameters; their text comes from the de/en catalogs.

`str(error)` is the English text (for logs and tracebacks); `error.text(lang)` is what a user
reads. Float parameters are written as numbers are in that language (`1,50` in German).
"""

from __future__ import annotations

from .formatting import fmt_number
from .i18n import t

LOG_LANGUAGE = "en"


class LocalisedError(Exception):
    """Base of coded errors; a subclass names the catalog section (`catalog`) its codes live in."""

    catalog = "error"

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)

    def text(self, lang: str) -> str:
        values = {k: fmt_number(v, lang, 2) if isinstance(v, float) else v for k, v in self.params.items()}
        return t(f"{self.catalog}.{self.code}", lang, **values)

    def __str__(self) -> str:
        return self.text(LOG_LANGUAGE)


def say(error: Exception, lang: str) -> str:
    """The text of any error for a user: a coded one in `lang`, any other as it is."""
    return error.text(lang) if isinstance(error, LocalisedError) else str(error)
