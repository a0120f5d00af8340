"""Dash callbacks: thin translations between widgets and `dashboard`.

Importing a module registers its callbacks (dash.callback), so every app in the process has them.
"""


def register_all(app) -> None:
    from . import changes, compare, detail, downloads, importer, page, ratios, scenarios, update  # noqa: F401  (import registers)
