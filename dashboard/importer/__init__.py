"""Bring your own data: turn a planner's boundary, population and service files into a CareGap dataset.

The importer reads messy inputs (Excel CSV with semicolons and decimal commas, zipped Shapefiles in
any CRS, wide age tables with German headers, keys without leading zeros), normalises them into the
data contract of PRODUCT.md §4, validates the result with the same rules as every other dataset
(`dashboard.dataset.load_dataset`) and only then moves the finished folder into place.

Pure Python, no Dash: the command line (`python -m dashboard import …`) and the web upload page both
call `import_dataset` and show its `ImportReport`.
"""

from .pipeline import import_dataset
from .report import ImportReport, Normalisation
from .safety import InputFile, Limits

__all__ = ["ImportReport", "InputFile", "Limits", "Normalisation", "import_dataset"]
