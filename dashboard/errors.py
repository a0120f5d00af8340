"""Problems found in input data, collected and reported together.

Bad input never ends in a traceback: loaders collect every `Problem` they find and raise
one `DataError` carrying all of them, so a user can fix a file in one pass.

A problem carries a stable `code` and its `params`, never prose: its message and hint are the
catalog texts `problem.<code>.message` / `problem.<code>.hint` (locales/problems.<lang>.toml),
rendered in the reader's language when shown. File, row, column and value stay as read.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from typing import Literal

from .i18n import DEFAULT_LANGUAGE, t

Severity = Literal["error", "warning"]
MAX_LISTED = 25  # faults of one kind listed one by one; the rest are counted
NAMED = 5  # columns, rows or areas named in one grouped message; the rest are elided


def first_named(texts: list[str]) -> str:
    """The first NAMED of `texts`, then "…" if there are more."""
    return ", ".join(texts[:NAMED]) + (", …" if len(texts) > NAMED else "")


@dataclass(frozen=True)
class Phrase:
    """A catalog text used as a parameter of another text (rendered in the same language)."""

    key: str
    params: dict = field(default_factory=dict, hash=False)

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t(self.key, lang, **rendered(self.params, lang))


# an absolute file path inside a library's error text (POSIX or Windows): only its last part is shown
_PATH = re.compile(r"(?:[A-Za-z]:)?[\\/](?:[^\\/\s'\"]+[\\/])+(?=[^\\/\s'\"]+)")
ERROR_PARAM = "error"  # the parameter that carries a library's own message


def without_paths(text: str) -> str:
    """A library's error message without the server's folders (a user must never see where files live)."""
    return _PATH.sub("", str(text))


def rendered(params: dict, lang: str) -> dict:
    """Parameters with every Phrase among them rendered in `lang` (a list of them joined by '; ');
    a library's error message without file paths."""
    return {k: without_paths(v) if k == ERROR_PARAM else _render(v, lang) for k, v in params.items()}


def _render(value, lang: str):
    if isinstance(value, Phrase):
        return value.render(lang)
    if isinstance(value, (list, tuple)):
        return "; ".join(str(_render(v, lang)) for v in value)
    return value


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # line number as a spreadsheet shows it (header = row 1); feature number for geodata
    column: str | None
    code: str  # a stable name for the kind of problem; its texts are in the catalogs
    params: dict = field(default_factory=dict, hash=False)  # the values its texts name
    value: str | None = None
    severity: Severity = "error"
    record: Phrase | str | None = None  # the record a person knows: a district's key and name, a site's id and name

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """What is wrong."""
        return t(f"problem.{self.code}.message", lang, **rendered(self.params, lang))

    def hint(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """What to do about it."""
        return t(f"problem.{self.code}.hint", lang, **rendered(self.params, lang))

    def where(self, lang: str = DEFAULT_LANGUAGE) -> list[str]:
        """Row and column as the reader's language names them."""
        parts = []
        if self.row is not None:
            parts.append(t("problem.where.row", lang, row=self.row))
        if self.column:
            parts.append(t("problem.where.column", lang, column=self.column))
        return parts

    def _body(self, lang: str) -> str:
        value = t("problem.where.value", lang, value=self.value) if self.value not in (None, "") else ""
        record = t("problem.where.record", lang, record=_render(self.record, lang)) if self.record else ""
        return f"{self.message(lang)}{value}{record}. {self.hint(lang)}"

    def detail(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """Row, column, message, value and hint: the line under a file's heading."""
        where = ", ".join(self.where(lang))
        return f"{where}: {self._body(lang)}" if where else self._body(lang)

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """One line: severity, file, row, column, message, value and hint."""
        label = t(f"problem.severity.{self.severity}", lang)
        return f"{label}: {', '.join([self.file, *self.where(lang)])}: {self._body(lang)}"

    def __str__(self) -> str:
        return self.text()

    def to_dict(self, lang: str = DEFAULT_LANGUAGE) -> dict:
        """For programs and the web page: the code and params, and the texts in `lang`."""
        return {"file": self.file, "row": self.row, "column": self.column, "code": self.code,
                "params": rendered(self.params, lang),
                "value": self.value, "severity": self.severity, "record": _render(self.record, lang), "message": self.message(lang),
                "hint": self.hint(lang), "text": self.text(lang), "detail": self.detail(lang)}


class DataError(Exception):
    """Input data that cannot be used; `problems` lists every reason found."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"] or list(problems)
        self.warnings = [p for p in problems if p.severity == "warning"]
        super().__init__(self.report())

    def report(self, lang: str = DEFAULT_LANGUAGE) -> str:
        lines = [t("problem.count", lang, count=len(self.problems))]
        lines += [p.text(lang) for p in self.problems + self.warnings]
        return "\n".join(lines)


def raise_if_errors(problems: list[Problem]) -> list[Problem]:
    """Raise DataError if any problem is an error; otherwise return the warnings."""
    if any(p.severity == "error" for p in problems):
        raise DataError(problems)
    return problems
