"""Target-ratio sliders: unset, they follow the plan's milestones for the year; moved, they hold the value."""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, ctx

from dashboard.scenario import Assumptions
from layouts import ids

from .context import view_from_query


def sync_ratios(trigger, services, year, between, slider_values, resets, overrides, query):
    """(slider values, reset buttons disabled, overrides) for the sliders of `services` (in page order)
    after `trigger` (the year, the rule between milestones, a slider or a reset button) changed."""
    item, _ = view_from_query(query)
    overrides = dict(overrides or {})
    if isinstance(trigger, dict):
        service = trigger["service"]
        position = services.index(service)
        if trigger["type"] == ids.RATIO_SLIDER_TYPE and slider_values[position]:
            overrides[service] = float(slider_values[position])
        elif trigger["type"] == ids.RATIO_RESET_TYPE and resets[position]:
            overrides.pop(service, None)
    plan = Assumptions(service=services[0], year=int(year), between_milestones=between)
    values = [overrides.get(s, item.calculator.ratio(plan, s)) for s in services]
    return values, [s not in overrides for s in services], overrides


@callback(Output({"type": ids.RATIO_SLIDER_TYPE, "service": ALL}, "value"),
          Output({"type": ids.RATIO_RESET_TYPE, "service": ALL}, "disabled"),
          Output(ids.RATIO_OVERRIDES, "data"),
          Input(ids.YEAR, "value"), Input(ids.BETWEEN, "value"),
          Input({"type": ids.RATIO_SLIDER_TYPE, "service": ALL}, "value"),
          Input({"type": ids.RATIO_RESET_TYPE, "service": ALL}, "n_clicks"),
          State(ids.RATIO_OVERRIDES, "data"), State(ids.VIEW_QUERY, "data"), prevent_initial_call=True)
def _sync_ratios(*args):
    services = [i["id"]["service"] for i in ctx.inputs_list[2]]  # the sliders' services, in page order
    return sync_ratios(ctx.triggered_id, services, *args)
