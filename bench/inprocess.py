"""Server side of a slider move, measured in this process.

`project`: the requests a ratio move makes, their plain functions called as
`tests/test_callbacks.py` calls them (inside a request context of the app, told that
`ratio-overrides` changed): `callbacks.update.update` — the map path — and, when the table tab
is open, `callbacks.update.table_block`: the one block of rows the grid shows, asked again for
the new view (the first page, sorted by gap, as on opening). Each call is timed
together with serialising its outputs the way Dash answers `/_dash-update-component`:
`{"multi": true, "response": {id: {prop: value}}}` through plotly's JSON encoder (which Dash uses),
every `no_update` left out (no answer at all when nothing is left). Inputs and outputs are read
from the dependency lists the callbacks are registered with, so the benchmark follows the app.

`naive`: the pattern the project avoids — a callback that builds the whole figure again on every
move (`go.Figure(go.Choroplethmap(geojson=<the full web geometry>, …))`, validated by plotly) and
returns it with the same summary and table rows, serialised the same way.
"""

from __future__ import annotations

import cProfile
import gzip
import json
import pstats
import statistics
import time
from dataclasses import dataclass

import plotly.graph_objects as go
from dash import NoUpdate
from dash.exceptions import PreventUpdate
from plotly.io.json import to_json_plotly

import callbacks.update as update_module
from app import create_app
from callbacks.context import query_of, view_from_query
from dashboard.formatting import PLOTLY_SEPARATORS
from dashboard.loaded import fit_view
from dashboard.mapping import colour_spec, hover_data, hover_template
from dashboard.view.widgets import to_widgets
from dashboard.webgeo import web_geometry
from layouts import ids
from layouts.map import BASEMAP_STYLES
from dashboard.report import report_rows
from layouts.summary import summary_cards
from layouts.table import DEFAULT_SORT, PAGE_ROWS

GZIP_LEVEL = 6  # flask-compress's default for gzip
TRIGGER = f"{ids.RATIO_OVERRIDES}.data"
TABLE_TAB, HIDDEN_TAB = ids.TAB_TABLE, ids.TAB_CHANGES
TAB = f"{ids.TABS}.active_tab"
QUERY = f"{ids.VIEW_QUERY}.data"
# what the grid asks for after a new view: its first page in the default order
BLOCK_REQUEST = {"startRow": 0, "endRow": PAGE_ROWS, "sortModel": DEFAULT_SORT, "filterModel": {}}


def table_request(tab, _controls, query):
    """The table's request of a move: only while the table is shown (the browser asks for nothing else)."""
    if tab != TABLE_TAB:
        raise PreventUpdate
    return update_module.table_block(BLOCK_REQUEST, query)


def gzip_size(text: str) -> int:
    return len(gzip.compress(text.encode("utf-8"), compresslevel=GZIP_LEVEL, mtime=0))


@dataclass(frozen=True)
class Registered:
    """One callback of the slider path: its plain function, the page values it takes, what it returns.

    The function is called as `func(first, controls, query)`: `first` is the id of the widget that
    changed (`first_from` None) or the page value named by `first_from` (the open tab)."""

    name: str
    func: object
    inputs: tuple[str, ...]  # "id.property"
    state: tuple[str, ...]
    outputs: tuple[tuple[str, str], ...]  # (id, property)
    first_from: str | None = None


def _dependency(d) -> str:
    return f"{d.component_id}.{d.component_property}"


def slider_callbacks() -> list[Registered]:
    """The requests of a ratio move, `update` (the map path) first, then the table's block."""
    controls = tuple(_dependency(i) for i in update_module.CONTROLS)
    if TRIGGER not in controls:
        raise SystemExit(f"callbacks.update.CONTROLS has no input {TRIGGER}; bench/inprocess.py must follow the app")

    def outputs(deps) -> tuple[tuple[str, str], ...]:
        return tuple((str(o.component_id), str(o.component_property)) for o in deps)

    return [Registered("update", update_module.update, controls, (QUERY,), outputs(update_module.MAP_OUTPUTS)),
            Registered("table_block", table_request, (TAB,), (QUERY,),
                       ((ids.TABLE, "getRowsResponse"),), first_from=TAB)]


def dash_response(outputs: tuple[tuple[str, str], ...], values) -> str | None:
    """The body Dash sends for a callback (no_update outputs left out); None: no answer (204)."""
    if len(outputs) == 1:
        values = [values]
    response: dict = {}
    for (component, prop), value in zip(outputs, values):
        if not NoUpdate.is_no_update(value):
            response.setdefault(component, {})[prop] = value
    if not response:
        return None
    return to_json_plotly({"multi": True, "response": response})


def _stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"median": statistics.median(ordered), "p95": p95, "min": ordered[0], "max": ordered[-1]}


def _parts(body: str, prefix: str = "") -> list[dict]:
    """Each output of an answer (each map property, each key of a dict output separately): its JSON
    size and the gzip bytes the answer would lose without it."""
    response = json.loads(body)
    total = gzip_size(body)
    rows = []

    def saved(mutate) -> int:
        copy = json.loads(body)
        mutate(copy)
        return total - gzip_size(json.dumps(copy, separators=(",", ":")))

    def size(value) -> int:
        return len(json.dumps(value, separators=(",", ":")))

    for component, props in response["response"].items():
        for prop, value in props.items():
            label = f"{prefix}{component}.{prop}"
            if isinstance(value, dict) and "operations" in value:  # a Patch
                for n, op in enumerate(value["operations"]):
                    where = ".".join(str(x) for x in op["location"])
                    rows.append({"part": f"{label} patch {where}", "raw": size(op),
                                 "gzip_saved": saved(lambda c, n=n, a=component, b=prop:
                                                     c["response"][a][b]["operations"].__setitem__(n, None))})
            elif isinstance(value, dict) and "props" not in value and len(value) > 1:  # e.g. a store's data
                for key in value:
                    rows.append({"part": f"{label}.{key}", "raw": size(value[key]),
                                 "gzip_saved": saved(lambda c, a=component, b=prop, k=key: c["response"][a][b].pop(k))})
            else:
                rows.append({"part": label, "raw": size(value),
                             "gzip_saved": saved(lambda c, a=component, b=prop: c["response"][a].pop(b))})
    return rows


class Bench:
    """One dataset's app, in this process, with the slider callbacks' inputs ready."""

    def __init__(self, ref: str):
        self.ref = ref
        self.app = create_app(ref)
        self.callbacks = slider_callbacks()
        with self.app.server.test_request_context("/"):
            self.item, self.view = view_from_query("")
        self.dataset = self.item.dataset
        self.level = self.view.level
        self.service = next(iter(self.dataset.settings.services))
        w = to_widgets(self.view, self.dataset)
        self.values = {
            "service.value": w.service, "measure.value": w.measure, "level.value": w.level, "year.value": w.year,
            "ratio-overrides.data": w.overrides, "population-rule.value": w.rule, "between.value": w.between,
            "fte-cost.value": w.cost, "wage-growth.value": w.wage, "fte-changes.data": w.changes,
            "basemap.value": w.basemap, "present.data": w.present, TAB: TABLE_TAB, QUERY: "",
            "catchment.value": w.catchment, "catchment-radius.value": w.radius, "catchment-decay.value": w.decay,
        }
        self.controls = tuple(_dependency(i) for i in update_module.CONTROLS)
        for cb in self.callbacks:
            unknown = [k for k in cb.inputs + cb.state if k not in self.values]
            if unknown:
                raise SystemExit(f"{cb.name} takes {', '.join(unknown)}, which bench/inprocess.py does not set")
        self._geometry = None

    def ratios(self, n: int) -> list[float]:
        """`n` different ratios of the first service around its current value (one per simulated move)."""
        base = self.item.calculator.ratio(self.view.assumptions, self.service)
        return [round(base * (0.80 + 0.02 * (i % 20)), 4) for i in range(n)]

    # -- the project's callbacks -----------------------------------------------------------
    def call(self, cb: Registered, ratio: float) -> tuple[float, str | None, object]:
        """One callback for one move: (ms, answer body or None, return value)."""
        self.values[TRIGGER] = {self.service: ratio}
        first = TRIGGER.split(".")[0] if cb.first_from is None else self.values[cb.first_from]
        controls = tuple(self.values[k] for k in self.controls)
        started = time.perf_counter()
        try:
            out = cb.func(first, controls, self.values[QUERY])
            body = dash_response(cb.outputs, out)
        except PreventUpdate:
            out, body = None, None
        return (time.perf_counter() - started) * 1000, body, out

    def measure_project(self, repeats: int, tab: str = TABLE_TAB, warmups: int = 2) -> dict:
        self.values[TAB] = tab
        self.values[QUERY] = ""
        times = {cb.name: [] for cb in self.callbacks}
        bodies: dict[str, str | None] = {}
        with self.app.server.test_request_context("/"):
            for i, ratio in enumerate(self.ratios(repeats + warmups)):
                query = None
                for cb in self.callbacks:
                    ms, body, out = self.call(cb, ratio)
                    if i >= warmups:
                        times[cb.name].append(ms)
                    bodies[cb.name] = body
                    if cb.func is update_module.update and isinstance(out, (list, tuple)):
                        query = next((v for (c, _), v in zip(cb.outputs, out) if c == ids.VIEW_QUERY), None)
                        if isinstance(query, str):  # the table asks in the view of the answer
                            self.values[QUERY] = query
        self.values[TAB] = TABLE_TAB
        result = {}
        for cb in self.callbacks:
            body = bodies[cb.name]
            result[cb.name] = {"ms": _stats(times[cb.name]), "answers": body is not None,
                               "bytes_raw": len(body.encode()) if body else 0, "bytes_gzip": gzip_size(body) if body else 0,
                               "parts": _parts(body, "" if cb.func is update_module.update else f"[{cb.name}] ")
                               if body else []}
        return result

    def profile_project(self, repeats: int = 5) -> list[dict]:
        """Time per function each slider callback calls directly (cProfile, table tab open)."""
        ratios = self.ratios(repeats + 1)
        profiler = cProfile.Profile()
        with self.app.server.test_request_context("/"):
            for cb in self.callbacks:
                self.call(cb, ratios[-1])  # warm
            profiler.enable()
            for ratio in ratios[:repeats]:
                for cb in self.callbacks:
                    self.call(cb, ratio)
            profiler.disable()
        stats = pstats.Stats(profiler).stats
        rows = []
        for cb in self.callbacks:
            code = cb.func.__code__
            key = (code.co_filename, code.co_firstlineno, code.co_name)
            if key in stats:
                rows.append({"callback": cb.name, "function": "(total, without serialising)",
                             "ms_per_call": stats[key][3] * 1000 / repeats})
            for func, (_cc, _nc, _tt, _ct, callers) in stats.items():
                if key in callers:
                    rows.append({"callback": cb.name, "function": f"{func[2]} ({func[0].rsplit('/', 1)[-1]}:{func[1]})",
                                 "ms_per_call": callers[key][3] * 1000 / repeats})
        for func, (_cc, _nc, _tt, ct, _callers) in stats.items():
            if func[2] == "to_json_plotly":
                rows.append({"callback": "*", "function": "to_json_plotly (plotly.io.json, serialising all answers)",
                             "ms_per_call": ct * 1000 / repeats})
        rows.sort(key=lambda r: (r["callback"] == "*", r["callback"], -r["ms_per_call"]))
        return [{**r, "ms_per_call": round(r["ms_per_call"], 2)} for r in rows if r["ms_per_call"] >= 0.05]

    def measure_report(self, repeats: int) -> dict:
        """`report_rows` of the whole table (what exports and `report` start from), median ms."""
        with self.app.server.test_request_context("/"):
            result = self.item.calculator.compute(self.view.assumptions)
            times = []
            for _ in range(repeats + 1):
                started = time.perf_counter()
                rows = report_rows(result)
                times.append((time.perf_counter() - started) * 1000)
        return {"ms": _stats(times[1:]), "rows": len(rows)}

    # -- the naive callback ---------------------------------------------------------------
    def geometry(self) -> dict:
        if self._geometry is None:
            self._geometry = web_geometry(self.dataset, self.level)
        return self._geometry

    def naive_call(self, ratio: float) -> str:
        """Rebuild the whole figure (geometry included) on every move; return what Dash would send."""
        item, view = view_from_query(f"r.{self.service}={ratio}")  # the share-link form of the move
        lang = view.lang
        result = item.calculator.compute(view.assumptions)
        status = item.dataset.year_status(view.year)
        spec = colour_spec(result.table, view.measure, lang)
        figure = go.Figure(
            go.Choroplethmap(
                geojson=self.geometry(), featureidkey="id", locations=list(result.table.index),
                text=list(result.table["name"]), z=spec.z, customdata=hover_data(result.table, lang),
                hovertemplate=hover_template(lang, status), colorscale=spec.colourscale, zmin=spec.zmin,
                zmax=spec.zmax, marker={"line": {"width": 0.8, "color": "#555"}},
                colorbar={"title": {"text": spec.legend_title, "side": "right"}, "thickness": 16, "len": 0.85,
                          "tickvals": spec.tickvals, "ticktext": spec.ticktext}),
            layout=go.Layout(
                map={"style": BASEMAP_STYLES[view.basemap],
                     **fit_view(tuple(item.dataset.districts.total_bounds))},
                margin={"l": 0, "r": 0, "t": 0, "b": 0}, separators=PLOTLY_SEPARATORS[lang], uirevision="keep-view",
                paper_bgcolor="rgba(0,0,0,0)"),
        )
        summary = summary_cards(result.summary, lang, item.service_labels(lang))
        rows = report_rows(result)[:-1]  # every row, as a table without server-side blocks would
        outputs = (("map", "figure"), ("summary", "children"), ("table", "data"), ("alert", "children"),
                   ("view-query", "data"))
        return dash_response(outputs, (figure, summary, rows, [], query_of(item, view)))

    def measure_naive(self, repeats: int, warmups: int = 2) -> dict:
        times, body = [], ""
        with self.app.server.test_request_context("/"):
            self.geometry()  # a naive app would hold the geometry in memory too
            for i, ratio in enumerate(self.ratios(repeats + warmups)):
                started = time.perf_counter()
                body = self.naive_call(ratio)
                if i >= warmups:
                    times.append((time.perf_counter() - started) * 1000)
        return {"ms": _stats(times), "bytes_raw": len(body.encode()), "bytes_gzip": gzip_size(body)}
