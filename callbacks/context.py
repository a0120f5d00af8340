"""The dataset and view a request is about, from the query string the page carries."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs

from flask import current_app

from dashboard.loaded import Loaded, loaded
from dashboard.viewstate import ViewState, from_query, to_query


def view_from_query(query: str | None) -> tuple[Loaded, ViewState]:
    datasets: dict[str, str] = current_app.config["CAREGAP_DATASETS"]
    default_id: str = current_app.config["CAREGAP_DEFAULT"]
    query = (query or "").lstrip("?")
    wanted = parse_qs(query).get("dataset", [default_id])[-1]
    item = loaded(datasets.get(wanted, datasets[default_id]))
    view = from_query(query, item.dataset, item.dataset.id)
    if wanted not in datasets:
        view = replace(view, notices=(*view.notices, f"dataset={wanted}"))
    return item, view


def query_of(item: Loaded, view: ViewState) -> str:
    return to_query(view, item.dataset, current_app.config["CAREGAP_DEFAULT"])
