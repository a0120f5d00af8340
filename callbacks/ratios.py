"""Target-ratio sliders: unset, they follow the plan's milestones for the year; moved, they hold the value."""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, ctx

from dashboard.scenario import Assumptions

from .context import view_from_query


@callback(Output({"type": "ratio-slider", "service": ALL}, "value"),
          Output({"type": "ratio-reset", "service": ALL}, "disabled"),
          Output("ratio-overrides", "data"),
          Input("year", "value"), Input("between", "value"),
          Input({"type": "ratio-slider", "service": ALL}, "value"),
          Input({"type": "ratio-reset", "service": ALL}, "n_clicks"),
          State("ratio-overrides", "data"), State("view-query", "data"), prevent_initial_call=True)
def sync_ratios(year, between, slider_values, resets, overrides, query):
    item, _ = view_from_query(query)
    services = [i["id"]["service"] for i in ctx.inputs_list[2]]
    overrides = dict(overrides or {})
    trigger = ctx.triggered_id
    if isinstance(trigger, dict):
        service = trigger["service"]
        position = services.index(service)
        if trigger["type"] == "ratio-slider" and slider_values[position]:
            overrides[service] = float(slider_values[position])
        elif trigger["type"] == "ratio-reset" and resets[position]:
            overrides.pop(service, None)
    plan = Assumptions(service=services[0], year=int(year), between_milestones=between)
    values = [overrides.get(s, item.calculator.ratio(plan, s)) for s in services]
    return values, [s not in overrides for s in services], overrides
