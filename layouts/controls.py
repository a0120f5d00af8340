"""The assumptions panel: service, measure, level, year, target ratios, population, costs."""

from __future__ import annotations

import json
import math

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.agebands import PRESET_RULES
from dashboard.dataset import Dataset
from dashboard.i18n import t
from dashboard.measures import MAP_MEASURES
from dashboard.ratios import ALL_YEARS, RAMP_JOIN, RAMP_MARK, SCOPES, governing, ramp_text, ratio_table, ratio_text
from dashboard.scenario import ALL_SERVICES, Calculator
from dashboard.catchment import DECAYS
from dashboard.view import View
from dashboard.view.model import BETWEEN_RULES
from dashboard.view.widgets import to_widgets

from . import ids


def dom_id(component_id: dict) -> str:
    """The DOM id Dash gives a component with a dict id (keys sorted, compact JSON)."""
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


# blocks kept in the presentation mode's compact bar (the stylesheet hides the others there)
PRESENT_KEEP = "present-keep"


def _field(label: str, control, control_id: str, keep: bool = False) -> html.Div:
    return html.Div([dbc.Label(label, html_for=control_id, className="fw-semibold mb-1"), control],
                    className="mb-3" + (f" {PRESENT_KEEP}" if keep else ""))


def _radio(control_id: str, options: list[tuple[str, str]], value: str) -> dbc.RadioItems:
    return dbc.RadioItems(id=control_id, options=[{"label": label, "value": v} for v, label in options],
                          value=value, className="caregap-radio")


def nice_step(span: float, steps: int = 200) -> float:
    """A round step (1, 2 or 5 × 10^k) that cuts `span` into about `steps` parts."""
    raw = span / steps
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def ratio_range(dataset: Dataset) -> tuple[float, float, float]:
    """Slider range (low, high, step) from near 0 to twice the largest milestone, whatever its scale
    (residents per post in the thousands, residents per care place below ten)."""
    values = [r for s in dataset.settings.services.values() for r in s.ratios.values()]
    step = nice_step(max(values) * 2)
    high = round(math.ceil(max(values) * 2 / step / 10) * step * 10, 10)
    return step, high, step


MARK_GAP = 0.2  # share of the slider's range a milestone's year label needs beside its neighbour's


def milestone_marks(milestones: dict, low: float, high: float, gap: float = MARK_GAP) -> dict:
    """Each milestone marked on the 1 : x slider, its year written where it has room: from the
    strictest ratio up, a year that would touch the last one written stays a bare tick (the ramp
    beside the slider lists every year)."""
    marks, written = {}, None
    for ratio, year in sorted((r, y) for y, r in milestones.items()):
        room = written is None or (ratio - written) >= gap * (high - low)
        marks[ratio] = str(year) if room else ""  # a bare string: the slider writes no value in its place
        written = ratio if room else written
    return marks


def _scope_control(service: str, scope: str, lang: str) -> html.Div:
    """"Änderung gilt: nur dieses Jahr / ab diesem Jahr / alle Jahre" for the ratio the slider sets
    (a radio group: Tab reaches it, Space chooses)."""
    label_id = f"{ids.RATIO_SCOPE_TYPE}-label-{service}"
    radios = dbc.RadioItems(id={"type": ids.RATIO_SCOPE_TYPE, "service": service}, inline=True, value=scope,
                            options=[{"label": t(f"control.ratio_scope.{s}", lang), "value": s} for s in SCOPES],
                            className="caregap-radio caregap-ratio-scope-options")
    return html.Div([html.Span(t("control.ratio_scope.label", lang), id=label_id, className="me-2"), radios],
                    role="radiogroup", className="caregap-ratio-scope d-flex flex-wrap align-items-baseline",
                    **{"aria-labelledby": label_id})


def ratio_control(dataset: Dataset, calculator: Calculator, view: View, service: str) -> html.Div:
    """Slider with the plan's milestones marked; its number box takes an exact value; beneath it,
    which years a changed value holds in and the ramp that results."""
    spec, a, lang = dataset.settings.services[service], view.assumptions, view.lang
    settings = a.ratio_settings(service)
    holding = governing(settings, a.year)  # the scope choice shows that of the value holding in the year shown
    value = calculator.ratio(a, service)
    low, high, step = ratio_range(dataset)
    slider_id = {"type": ids.RATIO_SLIDER_TYPE, "service": service}
    return html.Div([
        html.Div([
            html.Div([dbc.Label(t("control.ratio", lang, service=spec.label_for(lang)), html_for=dom_id(slider_id),
                                className="fw-semibold mb-0"),
                      html.Div(ratio_text(value, lang), id={"type": ids.RATIO_VALUE_TYPE, "service": service},
                               className="caregap-ratio-value", **{"data-lang": lang})], className="mb-1"),
            dbc.Button(t("control.ratio_reset", lang), id={"type": ids.RATIO_RESET_TYPE, "service": service},
                       color="secondary", outline=True, size="sm", disabled=not settings, className="ms-2 py-0"),
        ], className="d-flex justify-content-between align-items-start"),
        # the value reads as a ratio (1 : 2500) above the handle while it is moved; the milestone years are the marks beneath
        dcc.Slider(id=slider_id, min=low, max=high, step=step, value=value,
                   marks=milestone_marks(spec.ratios, low, high), included=False,
                   updatemode="mouseup", allow_direct_input=True,
                   tooltip={"always_visible": False, "placement": "top", "template": "1 : {value}"}),
        _scope_control(service, holding[1] if holding else ALL_YEARS, lang),
        html.Div([html.Span(t("control.ratio_scope.ramp", lang) + ": "),
                  html.Span(ramp_text(calculator.ratio_ramp(a, service), lang),
                            id={"type": ids.RATIO_RAMP_TYPE, "service": service}),
                  html.Span(" (" + t("control.ratio_scope.ramp_note", lang) + ")")],
                 className="caregap-ratio-ramp small"),
    ], className=f"mb-3 {PRESENT_KEEP}", id=ids.ratio_block(service))


RADIUS_MARKS = (1, 5, 10, 25, 50)  # km marked on the radius slider
DISTANCE = "distance"  # the catchment rule the radius and the decay belong to


def catchment_controls(dataset: Dataset, view: View) -> html.Div:
    """"Versorgung zählt …": in the own area, in the planning area of a level, or by distance (radius, decay)."""
    s, lang, w = dataset.settings, view.lang, to_widgets(view, dataset)
    options = [("own", t("control.catchment.own", lang))]
    options += [(f"level:{lv}", t("control.catchment.level", lang, level=s.level_label(lv, lang))) for lv in s.levels]
    options.append((DISTANCE, t("control.catchment.distance", lang)))
    high = max(RADIUS_MARKS[-1], 2 * float(w.radius))
    return html.Div([
        _field(t("control.catchment.heading", lang), _radio(ids.CATCHMENT, options, w.catchment), ids.CATCHMENT),
        html.Div([
            dbc.Label(t("control.catchment.radius", lang), html_for=ids.RADIUS_KM, className="mb-1"),
            dcc.Slider(id=ids.RADIUS_KM, min=1, max=high, step=0.5, value=w.radius,
                       marks={m: f"{m} km" for m in RADIUS_MARKS if m <= high}, updatemode="mouseup",
                       allow_direct_input=True),
            _radio(ids.DECAY, [(d, t(f"control.catchment.decay_{d}", lang)) for d in DECAYS], w.decay),
        ], className="mb-3 ms-3", id=ids.CATCHMENT_DISTANCE, hidden=w.catchment != DISTANCE),
    ])


def ratio_steps(dataset: Dataset, lang: str) -> dict:
    """What the browser needs to write each service's ramp as `ratios.ratio_ramp` and `ramp_text`
    do: the milestone years, the dataset's last year, the page's language, and the mark and the
    separator of the ramp's text (the ratios of the milestone years before the data's first are in
    the `ratio-plans` table too)."""
    return {"milestones": {k: sorted(spec.ratios) for k, spec in dataset.settings.services.items()},
            "last": dataset.years[-1], "lang": lang, "mark": RAMP_MARK, "join": RAMP_JOIN}


def controls_panel(dataset: Dataset, calculator: Calculator, view: View) -> html.Div:
    s = dataset.settings
    lang = view.lang
    w = to_widgets(view, dataset)
    services = [(k, spec.label_for(lang)) for k, spec in s.services.items()]
    if len(services) > 1:
        services.append((ALL_SERVICES, t("control.all_services", lang)))
    years = dataset.years
    # marks at the ends and every fifth year, none so close to an end that the labels collide
    year_marks = {y: str(y) for y in years if y in (years[0], years[-1])
                  or (y % 5 == 0 and y - years[0] >= 3 and years[-1] - y >= 3)}
    rules = list(PRESET_RULES)
    if w.rule not in rules:
        rules.append(w.rule)
    return html.Div([
        html.H2(t("control.heading", lang), className="h5"),
        _field(t("control.service", lang), _radio(ids.SERVICE, services, w.service), ids.SERVICE, keep=True),
        _field(t("control.measure", lang), _radio(ids.MEASURE, [(m, t(f"measure.{m}", lang)) for m in MAP_MEASURES],
                                                  w.measure), ids.MEASURE),
        _field(t("control.level", lang), _radio(ids.LEVEL, [(lv, s.level_label(lv, lang)) for lv in s.level_names],
                                                w.level), ids.LEVEL),
        html.Div([
            dbc.Label(t("control.year", lang), html_for=ids.YEAR, className="fw-semibold mb-1"),
            dcc.Slider(id=ids.YEAR, min=years[0], max=years[-1], step=1, value=w.year, marks=year_marks,
                       updatemode="mouseup", allow_direct_input=True),
        ], className=f"mb-3 {PRESENT_KEEP}"),
        dcc.Store(id=ids.RATIO_OVERRIDES, data=w.overrides),
        dcc.Store(id=ids.RATIO_PLANS, data=ratio_table({k: spec.ratios for k, spec in s.services.items()},
                                                      sorted({*years, *(y for spec in s.services.values()
                                                                         for y in spec.ratios)}), BETWEEN_RULES)),
        dcc.Store(id=ids.RATIO_STEPS, data=ratio_steps(dataset, lang)),
        *[ratio_control(dataset, calculator, view, key) for key in s.services],
        catchment_controls(dataset, view),
        _field(t("control.population", lang),
               _radio(ids.POPULATION_RULE, [(r, t(f"population_rule.{r}", lang) if r in PRESET_RULES else r)
                                          for r in rules], w.rule), ids.POPULATION_RULE),
        _field(t("control.between", lang),
               _radio(ids.BETWEEN, [(r, t(f"control.between_{r}", lang)) for r in BETWEEN_RULES], w.between),
               ids.BETWEEN),
        _field(t("control.cost", lang),
               dbc.Input(id=ids.FTE_COST, type="number", min=0, step=500, debounce=True,
                         value=w.cost), ids.FTE_COST),
        _field(t("control.wage_growth", lang),
               dbc.Input(id=ids.WAGE_GROWTH, type="number", min=-10, max=20, step=0.1, debounce=True,
                         value=w.wage),
               ids.WAGE_GROWTH),
        _field(t("control.basemap", lang),
               _radio(ids.BASEMAP, [("none", t("control.basemap_none", lang)), ("osm", t("control.basemap_osm", lang))],
                      w.basemap), ids.BASEMAP),
    ], id=ids.CONTROLS, className="caregap-controls")
