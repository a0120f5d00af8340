from pathlib import Path

import pytest

from dashboard.importer import import_dataset

from .make_messy import MESSY, build_shapefile_zip


@pytest.fixture
def shape_zip(tmp_path) -> Path:
    """The corpus boundaries as a zipped Shapefile in sub-folders, EPSG:25832 with .prj."""
    return build_shapefile_zip(tmp_path)


@pytest.fixture
def run(tmp_path, shape_zip):
    """Import with the good corpus files, replacing any of them by keyword; returns the report."""

    def _run(**kwargs):
        args = {"boundaries": shape_zip, "population": MESSY / "einwohner_breit.csv",
                "services": MESSY / "standorte.csv", "settings": MESSY / "dataset.toml",
                "out": tmp_path / "out" / "testhausen"}
        (tmp_path / "out").mkdir(exist_ok=True)
        args.update(kwargs)
        return import_dataset(**args)

    return _run


def find(report, file=None, message=None, severity=None):
    """Problems of the report matching file, a message fragment and severity."""
    return [p for p in report.problems
            if (file is None or p.file == file) and (message is None or message in p.message("en"))
            and (severity is None or p.severity == severity)]


def left_behind(folder: Path) -> list[str]:
    """Everything in `folder` except the inputs a test put there."""
    return sorted(p.name for p in folder.iterdir())
