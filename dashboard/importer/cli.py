"""`python -m dashboard import …`: the import as a command.

    python -m dashboard import --boundaries stadtteile.zip --population einwohner.csv \\
        --services standorte.csv [--mapping mapping.toml] [--settings dataset.toml] \\
        [--crs EPSG:25832] [--overwrite] [--lang de|en] --out data/leipzig

Exit codes: 0 written (the report, with its warnings, on stdout); 2 invalid input (the report on
stderr; nothing written).
"""

from __future__ import annotations

import argparse
import sys

from ..view.cli import add_language_argument
from .pipeline import import_dataset
from .safety import MB, Limits

EXIT_INVALID = 2


def add_import_parser(subparsers) -> argparse.ArgumentParser:
    """Add the `import` command to the subparsers of `python -m dashboard`."""
    parser = subparsers.add_parser(
        "import", help="turn your own boundary, population and service files into a dataset folder",
        description="Read, normalise and check a boundary file, a population table and a services table, and "
                    "write them as a CareGap dataset folder. Nothing is written unless every check passes.")
    parser.add_argument("--boundaries", required=True, metavar="FILE",
                        help="districts: GeoJSON, GeoPackage or zipped Shapefile")
    parser.add_argument("--population", required=True, metavar="FILE",
                        help="residents by district, year and age band (CSV or XLSX; long or wide)")
    parser.add_argument("--services", required=True, metavar="FILE",
                        help="service sites with service, FTE, years and district or coordinates (CSV or XLSX)")
    parser.add_argument("--mapping", metavar="FILE", help="mapping.toml naming the columns (default: detected)")
    parser.add_argument("--settings", metavar="FILE",
                        help="dataset.toml with [dataset], [costs] and [services] ratios (default: generated; "
                             "services then lack ratios and the import stops with a template)")
    parser.add_argument("--crs", metavar="EPSG:XXXX", help="CRS of inputs that do not state one, e.g. EPSG:25832")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing dataset folder")
    parser.add_argument("--out", required=True, metavar="DIR", help="dataset folder to create")
    parser.add_argument("--max-file-mb", type=float, default=Limits.max_file_bytes / MB, help=argparse.SUPPRESS)
    parser.add_argument("--max-total-mb", type=float, default=Limits.max_total_bytes / MB, help=argparse.SUPPRESS)
    add_language_argument(parser)
    return parser


def run_import(args: argparse.Namespace) -> int:
    limits = Limits(max_file_bytes=int(args.max_file_mb * MB), max_total_bytes=int(args.max_total_mb * MB))
    report = import_dataset(args.boundaries, args.population, args.services, args.mapping, args.settings,
                            out=args.out, crs=args.crs, limits=limits, overwrite=args.overwrite)
    lang = args.lang
    if report.ok:
        sys.stdout.write(report.to_text(lang))
        return 0
    sys.stderr.write(report.to_text(lang))
    return EXIT_INVALID


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry: `python -c "from dashboard.importer.cli import main; main()" --boundaries …`."""
    parser = argparse.ArgumentParser(prog="python -m dashboard")
    add_import_parser(parser.add_subparsers(dest="command", required=True))
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] != "import":
        arguments = ["import", *arguments]
    code = run_import(parser.parse_args(arguments))
    if argv is None:
        sys.exit(code)
    return code
