"""What an import found and did: problems per file, the columns chosen, the normalisations applied.

The command line prints `ImportReport.to_text()`; the web upload page shows `ImportReport.to_dict()`.
Problems are the core's `Problem` (file, spreadsheet row, column, value, what to do), so an import
report reads like every other validation report of CareGap.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import Problem
from ..i18n import DEFAULT_LANGUAGE, t

MAX_ROWS_SHOWN = 10  # rows listed per normalisation; the rest are counted


@dataclass(frozen=True)
class Normalisation:
    """One change the importer made to the input, e.g. a key padded or a wide table melted."""

    file: str
    kind: str  # encoding | separator | decimal | column | melt | key | band | number | value | dropped | crs | settings
    message: str
    rows: tuple[int, ...] = ()  # spreadsheet rows (or feature numbers) it applied to; empty = the whole file

    def __str__(self) -> str:
        if not self.rows:
            return self.message
        shown = ", ".join(map(str, self.rows[:MAX_ROWS_SHOWN]))
        more = f" and {len(self.rows) - MAX_ROWS_SHOWN} more" if len(self.rows) > MAX_ROWS_SHOWN else ""
        label = "row" if len(self.rows) == 1 else "rows"
        return f"{self.message} ({label} {shown}{more})"

    def to_dict(self, lang: str = DEFAULT_LANGUAGE) -> dict:
        """For the web page: problems carry their code, params and texts in `lang`."""
        return {**asdict(self), "rows": list(self.rows), "text": str(self)}


@dataclass(frozen=True)
class ColumnChoice:
    """Which source column plays which role of the data contract, and why."""

    file: str
    role: str  # contract column, e.g. district_id, population, fte
    column: str  # source column as the file spells it (or the fixed value)
    how: str  # "mapping.toml", "dataset.toml", "contract name", "detected", "fixed value", "age columns", "year columns"

    def __str__(self) -> str:
        if self.how == "fixed value":
            return f"{self.role} = '{self.column}' (fixed value)"
        return f"{self.role} ← '{self.column}' ({self.how})"


@dataclass
class ImportReport:
    """Everything an import found and did; `ok` is True only when the dataset folder was written."""

    out: Path | None = None
    files: dict[str, str] = field(default_factory=dict)  # file label -> role (boundaries, population, …)
    problems: list[Problem] = field(default_factory=list)
    normalisations: list[Normalisation] = field(default_factory=list)
    columns: list[ColumnChoice] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    settings_template: str | None = None  # a dataset.toml to complete when the settings were generated
    written: bool = False

    # -- collecting -------------------------------------------------------------------------
    def add(self, problems: Problem | list[Problem]) -> None:
        for problem in [problems] if isinstance(problems, Problem) else problems:
            if problem not in self.problems:
                self.problems.append(problem)

    def note(self, file: str, kind: str, message: str, rows=()) -> None:
        self.normalisations.append(Normalisation(file, kind, message, tuple(sorted({int(r) for r in rows}))))

    def choose(self, choice: ColumnChoice) -> None:
        self.columns.append(choice)

    # -- reading ----------------------------------------------------------------------------
    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return self.written and not self.errors

    def file_labels(self) -> list[str]:
        labels = list(self.files)
        for item in [*self.problems, *self.normalisations, *self.columns]:
            if item.file not in labels:
                labels.append(item.file)
        return labels

    def by_file(self) -> dict[str, dict]:
        """Per file: its role, errors, warnings, column choices and normalisations."""
        grouped = {}
        for label in self.file_labels():
            grouped[label] = {
                "role": self.files.get(label, ""),
                "errors": [p for p in self.errors if p.file == label],
                "warnings": [p for p in self.warnings if p.file == label],
                "columns": [c for c in self.columns if c.file == label],
                "normalisations": [n for n in self.normalisations if n.file == label],
            }
        return grouped

    def to_dict(self, lang: str = DEFAULT_LANGUAGE) -> dict:
        """For the web page: problems carry their code, params and texts in `lang`."""
        return {
            "ok": self.ok,
            "out": str(self.out) if self.out else None,
            "written": self.written,
            "error_count": len(self.errors),
            "warning_count": len(self.warnings),
            "summary": dict(self.summary),
            "settings_template": self.settings_template,
            "files": [
                {"file": label, "role": group["role"],
                 "errors": [p.to_dict(lang) for p in group["errors"]],
                 "warnings": [p.to_dict(lang) for p in group["warnings"]],
                 "columns": [{**asdict(c), "text": str(c)} for c in group["columns"]],
                 "normalisations": [n.to_dict() for n in group["normalisations"]]}
                for label, group in self.by_file().items()
            ],
        }

    def to_text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The report for the command line, in `lang`."""
        target = t("import.text.into", lang, out=self.out) if self.out else ""
        counts = {"target": target, "errors": len(self.errors), "warnings": len(self.warnings)}
        lines = [t("import.text.done" if self.ok else "import.text.nothing_written", lang, **counts)]
        if self.summary:
            lines.append("  " + ", ".join(f"{k}: {_summary_value(v)}" for k, v in self.summary.items()))
        for label, group in self.by_file().items():
            role = f" ({group['role']})" if group["role"] else ""
            lines += ["", f"== {label}{role} =="]
            if group["columns"]:
                lines.append(f"  {t('import.text.columns', lang)}: " + "; ".join(map(str, group["columns"])))
            for key in ("errors", "warnings"):
                if group[key]:
                    lines.append(f"  {t(f'import.text.{key}', lang)}:")
                    lines += [f"    {p.detail(lang)}" for p in group[key]]
            if group["normalisations"]:
                lines.append(f"  {t('import.text.normalised', lang)}:")
                lines += [f"    {n}" for n in group["normalisations"]]
        if self.settings_template and not self.ok:
            lines += ["", t("import.text.template", lang), "", self.settings_template.rstrip()]
        return "\n".join(lines) + "\n"


def _summary_value(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)
