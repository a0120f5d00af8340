"""`python -m dashboard export DATASET … --format csv|xlsx|png|pdf --out FILE`.

Exit codes: 0 written; 2 invalid input (unknown dataset, service, year, level, format or folder),
with one clear line on stderr; 1 the export could not be made (e.g. no Chromium for png/pdf).
The file is written to a temporary name next to FILE and renamed, so FILE is never half-written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from ..errors import DataError
from ..formatting import fmt_number
from ..loaded import loaded
from ..localised import say
from ..scenario import Assumptions, ScenarioError
from ..view import DEFAULT_MEASURE, scenario_view
from ..view.cli import add_view_arguments, view_from_args
from .chromium import ChromiumError
from .context import ExportContext
from .handout import handout_pdf
from .mapimage import map_png
from .tables import table_csv, table_xlsx

FORMATS = ("csv", "xlsx", "png", "pdf")
EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
WRITERS = {"csv": table_csv, "xlsx": table_xlsx, "png": map_png, "pdf": handout_pdf}


def add_export_parser(subparsers) -> argparse.ArgumentParser:
    """Add the `export` subcommand to an argparse subparsers object."""
    p = subparsers.add_parser(
        "export", help="write a committee export: table (csv, xlsx), map (png) or A4 handout (pdf)",
        description="Write the district table, the map or a PDF handout for one set of assumptions.")
    p.add_argument("dataset", help="bundled dataset id (e.g. dresden) or a dataset folder")
    add_view_arguments(p, measure=True)
    p.add_argument("--format", choices=FORMATS, help="csv, xlsx, png or pdf (default: from the --out suffix)")
    p.add_argument("--out", required=True, help="file to write")
    p.add_argument("--title", help="title of the handout (default: the scenario's name, else the dataset's title)")
    p.add_argument("--description", help="a sentence under the handout's title (default: the scenario's)")
    return p


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename over `path`."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _fail(message: str, code: int = EXIT_INVALID) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def run_export(args: argparse.Namespace, assumptions: Assumptions | None = None, *, scenario_name: str | None = None,
               description: str | None = None, measure: str | None = None) -> int:
    """Run `export`; `assumptions` (e.g. a saved scenario's) replace the defaults the options start from.

    A saved scenario's `scenario_name`, `description` and `measure` are used where the options
    `--title`, `--description` and `--measure` are not given.
    """
    out = Path(args.out)
    fmt = getattr(args, "format", None) or out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        return _fail(f"cannot tell the format of '{out}'; give --format {'|'.join(FORMATS)} "
                     "or an --out file ending in one of them")
    if not out.parent.is_dir():
        return _fail(f"the folder '{out.parent}' does not exist; create it or choose another --out")
    if out.is_dir():
        return _fail(f"'{out}' is a folder; give a file name for --out")
    try:
        data = loaded(args.dataset)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_INVALID
    lang = args.lang
    try:
        base = None if assumptions is None else scenario_view(data.dataset, data.dataset.id, None, assumptions,
                                                              measure or DEFAULT_MEASURE)
        view = view_from_args(args, data.dataset, base)
        ctx = ExportContext(data.dataset, data.calculator, view.assumptions, measure=view.measure, lang=lang,
                            title=getattr(args, "title", None),
                            description=getattr(args, "description", None) or description,
                            scenario_name=scenario_name)
        _ = ctx.result  # checks the assumptions against the data before any rendering
    except (ScenarioError, ValueError) as exc:
        return _fail(say(exc, lang))
    started = time.perf_counter()
    try:
        content = WRITERS[fmt](ctx)
    except ChromiumError as exc:
        return _fail(str(exc), EXIT_FAILED)
    try:
        write_atomic(out, content)
    except OSError as exc:
        return _fail(f"could not write '{out}': {exc.strerror or exc}", EXIT_FAILED)
    seconds = fmt_number(time.perf_counter() - started, lang, 1)
    print(ctx.text("cli.written", path=out, size=fmt_number(len(content), lang), seconds=seconds))
    return EXIT_OK
