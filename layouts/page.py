"""The page: dataset title, city summary and the district table for the default assumptions."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dash_table, html

from dashboard.dataset import load_dataset
from dashboard.report import report_rows
from dashboard.scenario import Assumptions, Calculator


def create_app(dataset_ref: str = "dresden") -> dash.Dash:
    dataset = load_dataset(dataset_ref)
    result = Calculator(dataset).compute(Assumptions.defaults(dataset))
    app = dash.Dash(__name__, title="CareGap", external_stylesheets=[dbc.themes.FLATLY])
    s = dataset.settings
    rows = report_rows(result)
    app.layout = dbc.Container([
        html.H1(s.title, className="my-3"),
        html.P(f"{result.summary.year}: {s.services[result.assumptions.service].label}, "
               f"Bezugsbevölkerung {result.assumptions.population_rule}"),
        dash_table.DataTable(rows, [{"name": c, "id": c} for c in rows[0]], id="district-table", sort_action="native"),
        html.Footer([html.Small(line, className="d-block text-muted") for line in (*s.notes, *s.attribution)],
                    className="my-3"),
    ])
    return app
