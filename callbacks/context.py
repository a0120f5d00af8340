"""The dataset and view a request is about, from the query string the page carries.

`?scenario=<id>` starts from a saved scenario; other parameters change it from there.
"""

from __future__ import annotations

from dataclasses import replace

from flask import current_app

from dashboard.i18n import t, use_unit
from dashboard.loaded import Loaded, loaded
from dashboard.scenarios import Scenario, StoreError, open_store
from dashboard.userdata import all_datasets
from dashboard.view import View, default_view, scenario_view
from dashboard.view.checks import ScenarioError, fit_assumptions
from dashboard.view.url import from_query, link_of, to_query


def store():
    return open_store(current_app.config.get("CAREGAP_DATABASE_URL"))


def _scenario(scenario_id: str | None) -> Scenario | None:
    if not scenario_id:
        return None
    try:
        return store().get(scenario_id)
    except StoreError:
        return None


def _scenario_base(item: Loaded, scenario: Scenario | None) -> tuple[View, list[ScenarioError]]:
    """The view a saved scenario opens with, without the parts that no longer fit the data (listed)."""
    if scenario is None:
        return default_view(item.dataset, item.dataset.id), []
    assumptions, measure = scenario.typed()
    fitted, misfits = fit_assumptions(item.dataset, assumptions)
    return scenario_view(item.dataset, item.dataset.id, scenario.id, fitted, measure), misfits


def base_view(item: Loaded, scenario: Scenario | None) -> View:
    return _scenario_base(item, scenario)[0]


def datasets() -> dict[str, str]:
    """Datasets a URL may name (by id): the server's and the imported ones."""
    return all_datasets(current_app.config["CAREGAP_DATASETS"])


def view_from_query(query: str | None) -> tuple[Loaded, View]:
    default_id: str = current_app.config["CAREGAP_DEFAULT"]
    query = (query or "").lstrip("?")
    link = link_of(query)
    lang = link.lang
    notices: list[str] = []
    scenario = _scenario(link.scenario)
    if link.scenario and scenario is None:
        notices.append(t("scenario.not_found", lang))
    wanted = scenario.dataset_id if scenario else link.dataset or default_id
    known = current_app.config["CAREGAP_DATASETS"]  # the server's own: no listing of the imported ones needed
    if wanted not in known:
        known = datasets()
    if wanted not in known:
        notices.append(f"dataset={wanted}")
        scenario = None
    item = loaded(known.get(wanted, known[default_id]))
    use_unit(item.dataset.settings.unit)  # texts say "places" or "posts" as the dataset counts supply
    if scenario and scenario.dataset_version != item.dataset.version:
        notices.append(t("scenario.data_changed", lang))
    try:
        base, misfits = _scenario_base(item, scenario)
        if misfits:  # the scenario opens without them; saving it keeps it so, or it can be deleted
            notices.append(t("scenario.misfits", lang, items="; ".join(e.text(lang) for e in misfits)))
        view = from_query(query, item.dataset, item.dataset.id, base)
    except (ValueError, TypeError):  # a scenario that no longer fits the data at all
        notices.append(t("scenario.not_usable", lang))
        view = from_query(query, item.dataset, item.dataset.id)
        view = replace(view, scenario=None)
    return item, replace(view, notices=(*notices, *view.notices))


def query_of(item: Loaded, view: View) -> str:
    base = base_view(item, _scenario(view.scenario))
    return to_query(view, item.dataset, current_app.config["CAREGAP_DEFAULT"], base)
