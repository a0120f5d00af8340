"""Dash callbacks: thin translations between widgets and `dashboard`.

Each module holds plain functions (widget values in, values and components out; tests call them
directly) and the decorated wrappers Dash calls, which only read the callback context (which input
fired) and pass it on. Importing this package registers every wrapper (dash.callback), so every
app in the process has them.
"""

from . import (changes, compare, detail, downloads, importer, page, planning, providers, ratios,  # noqa: F401
               scenarios, update)
