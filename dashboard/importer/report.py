"""What an import found and did: problems per file, the columns chosen, the normalisations applied.

The command line prints `ImportReport.to_text(lang)`; the web upload page shows `ImportReport.to_dict(lang)`.
Problems, notes and column choices keep codes and parameters; their texts come from the catalogs.
Problems are the core's `Problem` (file, spreadsheet row, column, value, what to do), so an import
report reads like every other validation report of CareGap.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import NAMED, Phrase, Problem, rendered
from ..i18n import DEFAULT_LANGUAGE, t
from ..validation import MORE_ROWS  # the core's summary of rows past its own limit

MAX_ROWS_SHOWN = 10  # rows listed per normalisation; the rest are counted
GROUP_FROM = 2  # problems of one kind in one file from which they are reported as one message


@dataclass(frozen=True)
class Normalisation:
    """One change the importer made to the input, e.g. a key padded or a wide table melted.

    Its text is the catalog entry `import.note.<code>` with `params`, in the reader's language."""

    file: str
    kind: str  # encoding | separator | decimal | column | melt | key | band | number | value | dropped | crs | settings
    code: str
    params: dict = field(default_factory=dict, hash=False)
    rows: tuple[int, ...] = ()  # spreadsheet rows (or feature numbers) it applied to; empty = the whole file

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t(f"import.note.{self.code}", lang, **rendered(self.params, lang))

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        if not self.rows:
            return self.message(lang)
        shown = ", ".join(map(str, self.rows[:MAX_ROWS_SHOWN]))
        more = len(self.rows) - MAX_ROWS_SHOWN
        where = t("import.note.row" if len(self.rows) == 1 else "import.note.rows", lang, rows=shown)
        if more > 0:
            where += t("import.note.more", lang, count=more)
        return f"{self.message(lang)} ({where})"

    def __str__(self) -> str:
        return self.text()

    def to_dict(self, lang: str = DEFAULT_LANGUAGE) -> dict:
        return {"file": self.file, "kind": self.kind, "code": self.code, "params": rendered(self.params, lang),
                "rows": list(self.rows), "message": self.message(lang), "text": self.text(lang)}


HOW = ("contract name", "detected", "fixed value", "age columns", "year columns", "values")  # the others name a file


@dataclass(frozen=True)
class ColumnChoice:
    """Which source column plays which role of the data contract, and why."""

    file: str
    role: str  # contract column, e.g. district_id, population, fte
    column: str  # source column as the file spells it (or the fixed value, or a `cells.<how>` text)
    how: str  # one of HOW, or the file that names the column: "mapping.toml", "dataset.toml"

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        how = t(f"import.how.{self.how.replace(' ', '_')}", lang) if self.how in HOW else self.how
        column = t(f"import.how.{self.column}", lang) if self.column.startswith("cells_of_") else self.column
        if self.how == "fixed value":
            return f"{self.role} = '{column}' ({how})"
        return f"{self.role} ← '{column}' ({how})"

    def __str__(self) -> str:
        return self.text()


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

    def note(self, file: str, kind: str, code: str, rows=(), **params) -> None:
        self.normalisations.append(Normalisation(file, kind, code, params, tuple(sorted({int(r) for r in rows}))))

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
                 "columns": [{**asdict(c), "text": c.text(lang)} for c in group["columns"]],
                 "normalisations": [n.to_dict(lang) for n in group["normalisations"]]}
                for label, group in self.by_file().items()
            ],
        }

    def to_text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The report for the command line, in `lang`."""
        target = t("import.text.into", lang, out=self.out) if self.out else ""
        counts = {"target": target, "errors": len(self.errors), "warnings": len(self.warnings)}
        lines = [t("import.text.done" if self.ok else "import.text.nothing_written", lang, **counts)]
        if self.summary:
            lines.append("  " + ", ".join(f"{t('import.summary.' + k.replace(' ', '_'), lang)}: {_summary_value(v)}"
                                          for k, v in self.summary.items()))
        for label, group in self.by_file().items():
            role = f" ({t('import.role.' + group['role'], lang)})" if group["role"] else ""
            lines += ["", f"== {label}{role} =="]
            if group["columns"]:
                lines.append(f"  {t('import.text.columns', lang)}: " + "; ".join(c.text(lang) for c in group["columns"]))
            for key in ("errors", "warnings"):
                if group[key]:
                    lines.append(f"  {t(f'import.text.{key}', lang)}:")
                    lines += [f"    {p.detail(lang)}" for p in group[key]]
            if group["normalisations"]:
                lines.append(f"  {t('import.text.normalised', lang)}:")
                lines += [f"    {n.text(lang)}" for n in group["normalisations"]]
        if self.settings_template and not self.ok:
            lines += ["", t("import.text.template", lang), "", self.settings_template.rstrip()]
        return "\n".join(lines) + "\n"


def grouped(problems: list[Problem]) -> list[Problem]:
    """One message per kind of fault and file: problems with the same code, column and severity become
    one, naming the first rows (with their area or site) and counting all of them."""
    kinds: dict[tuple, list[Problem]] = {}
    more: dict[tuple, int] = {}
    for problem in problems:
        if problem.code == MORE_ROWS:
            key = (problem.file, problem.params.get("what"), problem.severity)
            more[key] = more.get(key, 0) + int(problem.params.get("count", 0))
            continue
        items = kinds.setdefault((problem.file, problem.code, problem.column, problem.severity), [])
        if problem.row is None or all(p.row != problem.row for p in items):  # a wide row's cells: once
            items.append(problem)
    out = []
    for (file, code, column, severity), items in kinds.items():
        first = items[0]
        extra = sum(n for (f, what, sev), n in more.items()
                    if f == file and sev == severity and getattr(what, "key", None) == f"problem.{code}.message")
        if len(items) + extra < GROUP_FROM or first.row is None:
            out += items
            continue
        listed = []
        for p in items[:NAMED]:
            where = Phrase("problem.import.grouped_where", {"row": p.row, "value": p.value or "",
                                                            "record": Phrase("problem.where.record", {"record": p.record}) if p.record else ""})
            listed.append(where)
        out.append(Problem(file, first.row, column, "import.grouped",
                           {"what": Phrase(f"problem.{code}.message", first.params),
                            "todo": Phrase(f"problem.{code}.hint", first.params),
                            "count": len(items) + extra, "listed": listed,
                            "more": Phrase("problem.population.more_rows", {"count": len(items) + extra - len(listed)})
                            if len(items) + extra > len(listed) else ""},
                           None, severity))
    # the core's summaries of a kind with no listed rows here stay as they are
    out += [p for p in problems if p.code == MORE_ROWS and not any(
        getattr(p.params.get("what"), "key", None) == f"problem.{code}.message" for (_, code, _, _) in kinds)]
    return out


def _summary_value(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)
