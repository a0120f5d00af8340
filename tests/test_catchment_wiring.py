"""The service-area rule through settings, validation, the calculator, the view and the bundled data."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from dashboard.catchment import CatchmentRule
from dashboard.dataset import load_dataset
from dashboard.errors import DataError
from dashboard.report import report_rows
from dashboard.scenario import Assumptions, Calculator, ScenarioError
from dashboard.settings import parse_settings
from dashboard.validation import check_services

from .conftest import FIXTURES


def _settings(**service):
    return {"dataset": {"id": "x", "title": "x", "base_year": 2020}, "levels": {"raum": "raum"},
            "level_labels": {"teil": {"de": "Teil"}}, "services": {"a": {"ratios": {2020: 5}, **service}}}


def test_settings_read_the_rule_and_the_offered_distance():
    spec = parse_settings(_settings(catchment="level:raum", radius_km=30)).services["a"]
    assert spec.catchment == CatchmentRule("level", level="raum")
    assert spec.distance == CatchmentRule("distance", radius_km=30.0)
    assert parse_settings(_settings()).services["a"].catchment.kind == "own"


@pytest.mark.parametrize("service, column, text", [
    ({"catchment": "distance", "radius_km": 0}, "services.a.radius_km", "radius must be above 0 km"),
    ({"catchment": "level:kiez"}, "services.a.catchment", "the level 'kiez' does not exist"),
    ({"catchment": "distance", "radius_km": 5, "decay": "linear"}, "services.a.decay", "'linear'"),
])
def test_settings_name_file_key_and_reason(service, column, text):
    with pytest.raises(DataError) as caught:
        parse_settings(_settings(**service))
    problem = caught.value.problems[0]
    assert (problem.file, problem.column, problem.code) == ("dataset.toml", column, "settings.catchment")
    assert text in problem.message("en") and problem.message("de") != problem.message("en")


@pytest.fixture(scope="module")
def tiny():
    return load_dataset(FIXTURES / "tiny")


def _services(tiny, serves: list[str]) -> pd.DataFrame:
    rows = [{"site_id": f"S{i}", "service": "beratung", "fte": "1", "year_from": "2025", "district_id": "A",
             "serves": value} for i, value in enumerate(serves)]
    return pd.DataFrame(rows).astype(str)


def test_serves_faults_have_row_and_column(tiny):
    raw = _services(tiny, ["A|B", "A|Q", "", "bezirk:Nirgendwo", "kiez:X"])
    problems = check_services(raw, "services.csv", tiny.districts, tiny.settings).problems
    found = [(p.row, p.column, p.value) for p in problems if p.code == "services.serves"]
    assert found == [(3, "serves", "A|Q"), (5, "serves", "bezirk:Nirgendwo"), (6, "serves", "kiez:X")]
    assert "Q" in problems[0].message("de")


def test_serves_must_be_the_same_on_every_row_of_a_site(tiny):
    raw = _services(tiny, ["A|B", "A"])
    raw["site_id"] = "S0"
    raw["year_from"] = ["2025", "2026"]
    problems = check_services(raw, "services.csv", tiny.districts, tiny.settings).problems
    assert [(p.row, p.code, p.params["site"]) for p in problems] == [(3, "services.serves_differs", "S0")]


# -- the calculator ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dresden():
    dataset = load_dataset("dresden")
    return dataset, Calculator(dataset)


def test_dresden_defaults_to_planning_areas(dresden):
    dataset, calc = dresden
    for spec in dataset.settings.services.values():
        assert spec.catchment == CatchmentRule("level", level="stadtraum")
    assert dataset.districts["stadtraum"].nunique() == 17


def test_dresden_report_by_planning_area_by_hand(dresden):
    """Hand computation, 2026, Seniorenberatung, 60+: a site's posts spread over its Stadtraum by residents."""
    dataset, calc = dresden
    a = Assumptions.defaults(dataset, year=2026, catchment="level:stadtraum")
    result = calc.compute(a)
    rows = {r["district_id"]: r for r in report_rows(result)}
    # Prohlis-Nord (71): Stadtraum "Prohlis, Reick" has 1.55 posts and 7,437 residents 60+, 2,167 of them here
    assert 1.55 * 2167 / 7437 == pytest.approx(0.4516, abs=1e-4)
    assert rows["71"]["ist_fte"] == 0.45 and rows["71"]["located_fte"] == 0.0
    # Johannstadt-Nord (06): its Stadtraum has 4.2 posts (2.1 here) and 9,099 residents 60+, 3,548 here
    assert 4.2 * 3548 / 9099 == pytest.approx(1.6377, abs=1e-4)
    assert rows["06"]["ist_fte"] == 1.64 and rows["06"]["located_fte"] == 2.1
    assert rows["TOTAL"]["ist_fte"] == rows["TOTAL"]["located_fte"] == 37.90
    assert result.rules == (("beratung", CatchmentRule("level", level="stadtraum")),)


def test_own_rule_gives_todays_figures(dresden):
    dataset, calc = dresden
    for service in [*dataset.settings.services, "all"]:
        for year in (2025, 2026, 2040):
            a = Assumptions.defaults(dataset, service=service, year=year, catchment="own")
            table = calc.compute(a).table
            today = sum(calc.site_fte(s)[year] for s in calc.services_of(a))
            assert (table["ist_fte"] == today.reindex(table.index)).all()  # exactly, not approximately
            assert (table["located_fte"] == table["ist_fte"]).all()


def test_coarser_levels_sum_the_reachable_posts(dresden):
    dataset, calc = dresden
    a = Assumptions.defaults(dataset, year=2026)
    fine = calc.compute(a).table
    coarse = calc.compute(replace(a, level="stadtbezirk")).table
    sums = fine["ist_fte"].groupby(dataset.districts.set_index("district_id")["stadtbezirk"]).sum()
    np.testing.assert_allclose(coarse["ist_fte"].to_numpy(), sums.reindex(coarse.index).to_numpy())


def test_distance_rule_takes_the_views_radius_and_conserves_posts(dresden):
    dataset, calc = dresden
    a = Assumptions.defaults(dataset, year=2026, catchment="distance", radius_km=3.0, decay="steps")
    assert calc.rule(a, "beratung") == CatchmentRule("distance", radius_km=3.0, decay="steps")
    assert calc.rule(replace(a, radius_km=None, decay=None), "beratung") == CatchmentRule("distance", radius_km=5.0)
    assert calc.compute(a).summary.ist_fte == pytest.approx(37.90)


def test_sites_serving_an_area_with_their_shares(dresden):
    dataset, calc = dresden
    a = Assumptions.defaults(dataset, year=2026)
    serving = calc.serving(a, "71")
    assert serving["posts"].sum() == pytest.approx(1.55 * 2167 / 7437)
    assert serving["share"].sum() == pytest.approx(1.0)
    assert list(serving.columns) == ["site_id", "name", "provider", "service", "posts", "share"]
    assert (serving["posts"].diff().dropna() <= 0).all()
    # a Stadtraum as the unit: its sites give it all of their posts
    area = dataset.districts.set_index("district_id").at["71", "stadtraum"]
    whole = calc.serving(replace(a, level="stadtraum"), area)
    assert whole["posts"].sum() == pytest.approx(1.55)


def test_germany_keeps_own_and_offers_thirty_km(dresden):
    germany = load_dataset("deutschland")
    spec = germany.settings.services["dauerpflege"]
    assert spec.catchment.kind == "own" and spec.distance == CatchmentRule("distance", radius_km=30.0)
    assert any("Neumeier 2015" in note for note in germany.settings.notes)


def test_a_bad_rule_in_the_view_is_a_scenario_error(dresden):
    dataset, calc = dresden
    with pytest.raises(ScenarioError) as caught:
        calc.compute(Assumptions.defaults(dataset, catchment="level:kiez"))
    assert caught.value.code == "bad_catchment"


def test_handout_assumptions_name_the_rule(dresden):
    from dashboard.exports.context import ExportContext, assumption_lines
    dataset, calc = dresden
    lines = dict(assumption_lines(ExportContext(dataset, calc, Assumptions.defaults(dataset, year=2026))))
    assert lines["Versorgung zählt (Seniorenberatung)"] == "Stellen zählen im Stadtraum des Standorts"
    a = Assumptions.defaults(dataset, year=2026, catchment="distance", radius_km=3.0)
    lines = dict(assumption_lines(ExportContext(dataset, calc, a, lang="en")))
    assert lines["Where supply counts (Senior counselling)"] == "posts count by distance: within 3 km, Gaussian decay"


def test_comparison_carries_the_rule(dresden):
    from dashboard.compare import compare
    dataset, calc = dresden
    own = calc.compute(Assumptions.defaults(dataset, year=2026, catchment="own"))
    areas = calc.compute(Assumptions.defaults(dataset, year=2026))
    table = compare(own, areas)
    assert table.loc["71", "gap_delta"] == pytest.approx(-1.55 * 2167 / 7437)  # served from its Stadtraum
    assert table["gap_delta"].sum() == pytest.approx(0.0, abs=1e-9)  # no post created or lost
