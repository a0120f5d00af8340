"""Committee exports: the district table (CSV, Excel), the map (PNG) and an A4 handout (PDF).

Pure Python, no Dash: every export starts from an `ExportContext` (dataset, calculator,
assumptions, measure, language) and returns bytes. Texts live in `locales/export.<lang>.toml`,
numbers are formatted by `dashboard.formatting`.
"""

from .chromium import ChromiumError, chromium_path
from .context import ExportContext, area_rows, assumption_lines, summary_items
from .handout import handout_html, handout_pdf
from .mapimage import map_figure, map_png
from .tables import table_csv, table_xlsx

__all__ = [
    "ChromiumError", "ExportContext", "area_rows", "assumption_lines", "chromium_path", "handout_html",
    "handout_pdf", "map_figure", "map_png", "summary_items", "table_csv", "table_xlsx",
]
