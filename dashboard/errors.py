"""Problems found in input data, collected and reported together.

Bad input never ends in a traceback: loaders collect every `Problem` they find and raise
one `DataError` carrying all of them, so a user can fix a file in one pass.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # line number as a spreadsheet shows it (header = row 1); feature number for geodata
    column: str | None
    message: str  # what is wrong
    hint: str  # what to do about it
    value: str | None = None
    severity: Severity = "error"
    code: str = ""  # a stable name for the kind of problem, for programs (messages may be reworded)

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        value = f" (value: '{self.value}')" if self.value not in (None, "") else ""
        label = "warning" if self.severity == "warning" else "error"
        return f"{label}: {', '.join(where)}: {self.message}{value}. {self.hint}"

    def to_dict(self) -> dict:
        return asdict(self)


class DataError(Exception):
    """Input data that cannot be used; `problems` lists every reason found."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"] or list(problems)
        self.warnings = [p for p in problems if p.severity == "warning"]
        super().__init__(self.report())

    def report(self) -> str:
        lines = [f"{len(self.problems)} problem(s) found:"]
        lines += [str(p) for p in self.problems + self.warnings]
        return "\n".join(lines)


def raise_if_errors(problems: list[Problem]) -> list[Problem]:
    """Raise DataError if any problem is an error; otherwise return the warnings."""
    if any(p.severity == "error" for p in problems):
        raise DataError(problems)
    return problems
