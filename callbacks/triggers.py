"""Which button a callback fired for, read from Dash's documented callback context (`dash.ctx`).

Only the decorated wrappers call this; the plain functions they call get the answer as a value.
"""

from __future__ import annotations

from dash import ctx


def clicked() -> str | None:
    """The id of the first input that fired with a value: a real click. Mounting a component fires
    its callbacks too, with nothing clicked (None then)."""
    fired = [t["prop_id"].split(".")[0] for t in ctx.triggered if t.get("value")]
    return fired[0] if fired else None
