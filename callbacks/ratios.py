"""Target-ratio sliders: unset, they follow the plan's milestones for the year; moved, they hold the
value in the years the scope chosen beside them names (only the year shown, from it on, all years),
and the ramp that results is written beside the slider. Choosing another scope gives the value that
holds in the year shown that scope; a new year shows the scope of the value that holds in it.

This runs in the browser (`caregap.syncRatios` in layouts/assets/caregap.js): a key press on a
slider becomes new overrides without a request of its own, and the one request of the move is
`update`'s. The milestone ratios it looks up are the core's (`dashboard.ratios.ratio_table`, in
the page's `ratio-plans` store); setting, re-scoping and the ramp follow `dashboard.ratios`
(`with_setting`, `rescoped`, `scenario_ratio`, `ratio_ramp`; tests/browser/test_ratio_scope.py
compares what the browser shows with the core's).
"""

from __future__ import annotations

from dash import ALL, ClientsideFunction, Input, Output, State, clientside_callback

from layouts import ids

clientside_callback(ClientsideFunction("caregap", "syncRatios"),
                    Output({"type": ids.RATIO_SLIDER_TYPE, "service": ALL}, "value"),
                    Output({"type": ids.RATIO_RESET_TYPE, "service": ALL}, "disabled"),
                    Output(ids.RATIO_OVERRIDES, "data"),
                    Output({"type": ids.RATIO_RAMP_TYPE, "service": ALL}, "children"),
                    Output({"type": ids.RATIO_SCOPE_TYPE, "service": ALL}, "value"),
                    Input(ids.YEAR, "value"), Input(ids.BETWEEN, "value"),
                    Input({"type": ids.RATIO_SLIDER_TYPE, "service": ALL}, "value"),
                    Input({"type": ids.RATIO_RESET_TYPE, "service": ALL}, "n_clicks"),
                    Input({"type": ids.RATIO_SCOPE_TYPE, "service": ALL}, "value"),
                    State(ids.RATIO_OVERRIDES, "data"), State(ids.RATIO_PLANS, "data"), State(ids.RATIO_STEPS, "data"),
                    prevent_initial_call=True)
