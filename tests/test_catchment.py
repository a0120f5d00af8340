"""Service areas: rule and `serves` parsing, weights, and the two-step floating catchment (2SFCA)."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from dashboard.catchment import (OWN, Catchments, CatchmentError, CatchmentRule, DistrictGroups, Places, build_places,
                                 build_weights, contributions, decay_weights, format_rule, parse_rule,
                                 parse_serves, reach, serves_issues)
from dashboard.dataset import load_dataset
from dashboard.i18n import LANGUAGES, catalog
from dashboard.scenario import Calculator

GAUSS_EDGE = math.exp(-0.5)


def line_places(served=(None, None), xs=(0.0, 3.0, 6.0), site_xs=(0.0, 6.0), homes=(0, 2)) -> Places:
    """Districts A, B, C at x = 0, 3, 6 km; site 1 stands in A at x = 0, site 2 in C at x = 6.
    Planning areas: A and B form "north", C is "south"."""
    xy = np.column_stack([xs, np.zeros(len(xs))])
    site_xy = np.column_stack([site_xs, np.zeros(len(site_xs))])
    served_idx = tuple(None if s is None else np.array(sorted(s)) for s in served)
    return Places(("A", "B", "C"), xy, ("s1", "s2"), np.array(homes), site_xy, served_idx,
                  {"area": np.array([0, 0, 1]), "district": np.arange(3)})


P = np.array([1000.0, 2000.0, 3000.0])  # residents of A, B, C
S = np.array([2.0, 3.0])  # posts of site 1, site 2


# -- the rule ---------------------------------------------------------------------------------
def test_rule_parses_and_formats_round_trip():
    assert parse_rule("own") == OWN == parse_rule(None)
    level = parse_rule("level:stadtraum", levels=["stadtteil", "stadtraum"])
    assert (level.kind, level.level, level.token) == ("level", "stadtraum", "level:stadtraum")
    distance = parse_rule("distance", "2,5", "steps")
    assert (distance.radius_km, distance.decay, distance.steps) == (2.5, "steps", (1.00, 0.68, 0.22))
    assert parse_rule(**format_rule(distance)) == distance
    assert parse_rule(format_rule(level)["catchment"]) == level
    assert parse_rule("distance", 5).decay == "gaussian"


@pytest.mark.parametrize("args, codes", [
    (("distance", 0, "gaussian"), ["radius_not_positive"]),
    (("distance", -3, "cubic"), ["radius_not_positive", "unknown_decay"]),
    (("distance", None, None), ["radius_missing"]),
    (("distance", "five", None), ["radius_not_number"]),
    (("nearest", 5, None), ["unknown_rule"]),
    (("level:", None, None), ["level_missing"]),
])
def test_rule_faults_carry_codes(args, codes):
    with pytest.raises(CatchmentError) as caught:
        parse_rule(*args)
    assert [i.code for i in caught.value.issues] == codes


def test_unknown_level_names_the_known_ones():
    with pytest.raises(CatchmentError) as caught:
        parse_rule("level:ortsteil", levels=["stadtteil", "stadtraum"])
    issue = caught.value.issues[0]
    assert (issue.code, dict(issue.params)) == ("unknown_level", {"value": "ortsteil", "known": "stadtteil, stadtraum"})
    assert issue.message("de") == "die Ebene „ortsteil“ gibt es in diesem Datensatz nicht"
    assert issue.hint("en") == "Use one of: stadtteil, stadtraum."


def test_every_fault_code_has_texts_in_both_languages():
    codes = {key.split(".")[2] for key in catalog("en") if key.startswith("catchment.problem.")}
    assert "serves_unknown_group" in codes and len(codes) == 11
    for lang in LANGUAGES:
        for code in codes:
            assert catalog(lang)[f"catchment.problem.{code}.message"]
            assert catalog(lang)[f"catchment.problem.{code}.hint"]


def test_rule_describes_itself_for_the_handout():
    rule = parse_rule("distance", 30, "gaussian")
    assert rule.describe("de") == "Stellen zählen nach Entfernung: im Umkreis von 30 km, Gauß-Abnahme"
    assert parse_rule("level:stadtraum").describe("en", "urban area") == "posts count in the site's urban area"


# -- serves -----------------------------------------------------------------------------------
TABLE = DistrictGroups.from_table(
    pd.DataFrame({"district_id": ["11", "12", "21", "22"], "sr": ["Prohlis", "Prohlis", "Gorbitz", "Cotta"]}),
    {"stadtraum": "sr"})


def test_serves_reads_ids_groups_and_mixtures():
    assert parse_serves("11|21", TABLE) == {"11", "21"}
    assert parse_serves("stadtraum:Prohlis", TABLE) == {"11", "12"}
    assert parse_serves(" stadtraum:prohlis | 22 ", TABLE) == {"11", "12", "22"}
    assert parse_serves("", TABLE) is None and parse_serves(float("nan"), TABLE) is None


def test_serves_names_every_unknown_entry():
    with pytest.raises(CatchmentError) as caught:
        parse_serves("11|99|stadtraum:Pieschen|ortsteil:X", TABLE)
    assert [(i.code, i.params["value"]) for i in caught.value.issues] == [
        ("serves_unknown_district", "99"), ("serves_unknown_group", "Pieschen"), ("serves_unknown_level", "ortsteil")]
    assert caught.value.issues[1].message("de") == "es gibt keinen stadtraum namens „Pieschen“"
    with pytest.raises(CatchmentError) as empty:
        parse_serves("|", TABLE)
    assert empty.value.issues[0].code == "serves_empty"


def test_serves_column_faults_carry_spreadsheet_rows():
    column = pd.Series(["11|21", "", "stadtraum:Pieschen", "98|99"])
    assert [(row, i.code, i.params["value"]) for row, i in serves_issues(column, TABLE)] == [
        (4, "serves_unknown_group", "Pieschen"), (5, "serves_unknown_district", "98"),
        (5, "serves_unknown_district", "99")]


# -- weights ----------------------------------------------------------------------------------
def test_decay_weights_by_hand():
    gauss = CatchmentRule("distance", radius_km=9.0, decay="gaussian")
    # W(3) = (e^{-½·(1/3)²} − e^{-½}) / (1 − e^{-½}) = (0.945959 − 0.606531) / 0.393469 = 0.862656
    np.testing.assert_allclose(decay_weights([0.0, 3.0, 6.0, 9.0, 9.5], gauss),
                               [1.0, 0.862656, 0.493575, 0.0, 0.0], atol=1e-6)
    steps = CatchmentRule("distance", radius_km=6.0, decay="steps")
    # thirds of 6 km: (0, 2] → 1.00, (2, 4] → 0.68, (4, 6] → 0.22, beyond → 0
    np.testing.assert_allclose(decay_weights([0.0, 1.9, 2.1, 3.9, 4.1, 6.0, 6.1], steps),
                               [1.0, 1.0, 0.68, 0.68, 0.22, 0.22, 0.0])


def test_weights_per_rule():
    np.testing.assert_array_equal(build_weights(line_places(), OWN).dense(), [[1, 0, 0], [0, 0, 1]])
    np.testing.assert_array_equal(build_weights(line_places(), CatchmentRule("level", level="area")).dense(),
                                  [[1, 1, 0], [0, 0, 1]])
    declared = line_places(served=({0, 1}, None))  # site 1 declares A|B: that wins over the rule
    np.testing.assert_array_equal(build_weights(declared, OWN).dense(), [[1, 1, 0], [0, 0, 1]])
    with pytest.raises(CatchmentError):
        build_weights(line_places(), CatchmentRule("level", level="nowhere"))


# -- 2SFCA, hand-computed -----------------------------------------------------------------------
def test_declared_serves_binary():
    # site 1 serves A|B, site 2 serves B|C (weight 1 each)
    # R1 = 2 / (1000 + 2000) = 1/1500; R2 = 3 / (2000 + 3000) = 3/5000
    # A = 1000·R1 = 0.666667; B = 2000·(R1 + R2) = 1.333333 + 1.2 = 2.533333; C = 3000·R2 = 1.8
    result = reach(build_weights(line_places(served=({0, 1}, {1, 2})), OWN), P, S)
    np.testing.assert_allclose(result.reachable, [0.666667, 2.533333, 1.8], atol=1e-6)
    np.testing.assert_allclose(result.located, [2.0, 0.0, 3.0])
    np.testing.assert_allclose(result.per_resident, [1 / 1500, 3 / 5000])


def test_planning_area_level():
    # "north" = A, B holds site 1; "south" = C holds site 2
    # R1 = 2 / 3000; R2 = 3 / 3000; A = 0.666667, B = 1.333333, C = 3.0
    result = reach(build_weights(line_places(), CatchmentRule("level", level="area")), P, S)
    np.testing.assert_allclose(result.reachable, [0.666667, 1.333333, 3.0], atol=1e-6)


def test_stepped_distance():
    # radius 7 km, thirds at 2.33 / 4.67 / 7 km: d = 0 → 1.00, d = 3 → 0.68, d = 6 → 0.22
    # D1 = 1000·1 + 2000·0.68 + 3000·0.22 = 3020;  D2 = 1000·0.22 + 2000·0.68 + 3000·1 = 4580
    # A = 1000·(2/3020 + 0.22·3/4580) = 0.662252 + 0.144105 = 0.806357
    # B = 2000·0.68·(2/3020 + 3/4580) = 1360·0.001317274 = 1.791492
    # C = 3000·(0.22·2/3020 + 3/4580) = 0.437086 + 1.965066 = 2.402152
    rule = CatchmentRule("distance", radius_km=7.0, decay="steps")
    result = reach(build_weights(line_places(), rule), P, S)
    np.testing.assert_allclose(result.reachable, [0.806357, 1.791492, 2.402152], atol=1e-6)
    assert result.reachable.sum() == pytest.approx(5.0, abs=1e-12)


def test_gaussian_distance():
    # radius 9 km: W(0) = 1, W(3) = 0.862656, W(6) = 0.493575 (see test_decay_weights_by_hand)
    # D1 = 1000 + 2000·0.862656 + 3000·0.493575 = 4206.038;  D2 = 1000·0.493575 + 2000·0.862656 + 3000 = 5218.888
    # A = 1000·(2/4206.038 + 0.493575·3/5218.888) = 0.475507 + 0.283724 = 0.759231
    # B = 2000·0.862656·(2/4206.038 + 3/5218.888) = 1725.313·0.001050342 = 1.812168
    # C = 3000·(0.493575·2/4206.038 + 3/5218.888) = 0.704096 + 1.724505 = 2.428601
    rule = CatchmentRule("distance", radius_km=9.0, decay="gaussian")
    result = reach(build_weights(line_places(), rule), P, S)
    np.testing.assert_allclose(result.reachable, [0.759231, 1.812168, 2.428601], atol=1e-6)


def test_product_worked_example():
    # 3.0 posts serving A (12,000) and B (8,000): A gets 3.0·12,000/20,000 = 1.8, B 1.2
    places = Places(("A", "B"), np.zeros((2, 2)), ("s",), np.array([0]), np.zeros((1, 2)),
                    (np.array([0, 1]),), {})
    result = reach(build_weights(places, OWN), np.array([12_000.0, 8_000.0]), np.array([3.0]))
    np.testing.assert_allclose(result.reachable, [1.8, 1.2])


def test_own_rule_equals_plain_sums_even_without_residents():
    places = line_places(homes=(0, 0))  # both sites in A
    p = np.array([[0.0, 500.0], [2000.0, 2000.0], [3000.0, 0.0]])  # A empty in the first year
    s = np.array([[2.0, 1.0], [3.0, 0.5]])
    result = reach(build_weights(places, OWN), p, s)
    np.testing.assert_allclose(result.reachable, [[5.0, 1.5], [0.0, 0.0], [0.0, 0.0]])
    np.testing.assert_allclose(result.reachable, result.located)


def test_posts_of_a_catchment_without_residents_stay_home():
    # radius 2 km reaches only each site's own district; A has no residents this year
    rule = CatchmentRule("distance", radius_km=2.0, decay="steps")
    result = reach(build_weights(line_places(), rule), np.array([0.0, 2000.0, 3000.0]), S)
    np.testing.assert_allclose(result.reachable, [2.0, 0.0, 3.0])
    np.testing.assert_allclose(result.unplaced, [2.0, 0.0])


def test_contributions_list_the_sites_serving_a_district():
    # from test_declared_serves_binary: B gets 1.333333 from site 1 and 1.2 from site 2 (2.533333)
    weights = build_weights(line_places(served=({0, 1}, {1, 2})), OWN)
    parts = contributions(weights, P, S)
    rows = parts.to_district(1)
    assert [j for j, _, _ in rows] == [0, 1]
    np.testing.assert_allclose([v for _, v, _ in rows], [1.333333, 1.2], atol=1e-6)
    np.testing.assert_allclose([share for _, _, share in rows], [0.526316, 0.473684], atol=1e-6)
    assert parts.to_district(0) == [(0, pytest.approx(2 / 3), pytest.approx(1.0))]


def test_years_vectorised_equal_one_year_at_a_time():
    rule = CatchmentRule("distance", radius_km=9.0, decay="gaussian")
    weights = build_weights(line_places(), rule)
    p = np.column_stack([P, P * 1.5, P[::-1]])
    s = np.column_stack([S, S * 2, S[::-1]])
    together = reach(weights, p, s).reachable
    for year in range(3):
        np.testing.assert_allclose(together[:, year], reach(weights, p[:, year], s[:, year]).reachable)


# -- points -----------------------------------------------------------------------------------
def test_points_are_projected_to_km():
    # two 0.01° squares side by side at 51° N: 0.01° of longitude ≈ 111.32 km·cos 51° / 100 = 0.700 km
    districts = gpd.GeoDataFrame({"district_id": ["a", "b"], "sr": ["x", "x"]},
                                 geometry=[box(13.70, 51.00, 13.71, 51.01), box(13.71, 51.00, 13.72, 51.01)],
                                 crs="EPSG:4326")
    sites = pd.DataFrame({"site_id": ["s", "s", "t"], "district_id": ["a", "a", "b"],
                          "lon": [13.705, 13.705, None], "lat": [51.0, 51.0, None]})
    places = build_places(districts, sites, {"stadtraum": "sr"}, base_level="stadtteil")
    gap = np.hypot(*(places.district_xy[1] - places.district_xy[0]))
    assert gap == pytest.approx(0.7006, abs=0.002)
    assert places.site_ids == ("s", "t") and list(places.site_district) == [0, 1]
    # site s stands at its own point, 0.005° (0.556 km) south of a's middle; t at b's point
    assert np.hypot(*(places.site_xy[0] - places.district_xy[0])) == pytest.approx(0.556, abs=0.005)
    np.testing.assert_allclose(places.site_xy[1], places.district_xy[1])
    assert list(places.groups["stadtteil"]) == [0, 1] and list(places.groups["stadtraum"]) == [0, 0]


# -- properties -------------------------------------------------------------------------------
@st.composite
def cases(draw):
    n = draw(st.integers(1, 7))
    m = draw(st.integers(1, 6))
    coord = st.floats(-20, 20, allow_nan=False)
    xy = np.array(draw(st.lists(st.tuples(coord, coord), min_size=n, max_size=n)))
    site_xy = np.array(draw(st.lists(st.tuples(coord, coord), min_size=m, max_size=m)))
    homes = np.array(draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)))
    served = tuple(draw(st.one_of(st.none(), st.sets(st.integers(0, n - 1), min_size=1))) for _ in range(m))
    served = tuple(None if s is None else np.array(sorted(s)) for s in served)
    groups = {"area": np.array(draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))}
    places = Places(tuple(f"d{i}" for i in range(n)), xy, tuple(f"s{j}" for j in range(m)), homes, site_xy,
                    served, groups)
    rule = draw(st.sampled_from([OWN, CatchmentRule("level", level="area"),
                                 CatchmentRule("distance", radius_km=draw(st.floats(0.5, 40)), decay="gaussian"),
                                 CatchmentRule("distance", radius_km=draw(st.floats(0.5, 40)), decay="steps")]))
    population = np.array(draw(st.lists(st.one_of(st.just(0.0), st.floats(1, 1e5)), min_size=n, max_size=n)))
    supply = np.array(draw(st.lists(st.floats(0, 50), min_size=m, max_size=m)))
    return places, rule, population, supply


@settings(max_examples=300, deadline=None)
@given(cases())
def test_no_post_is_created_or_lost(case):
    places, rule, population, supply = case
    weights = build_weights(places, rule)
    result = reach(weights, population, supply)
    assert result.reachable.sum() == pytest.approx(supply.sum(), rel=1e-9, abs=1e-9)
    assert (result.reachable >= -1e-12).all()
    parts = contributions(weights, population, supply)
    per_district = np.bincount(parts.district, weights=parts.posts, minlength=places.n_districts)
    np.testing.assert_allclose(per_district, result.reachable, atol=1e-9)


# -- cross-check against the reference implementation ----------------------------------------
def test_matches_pysal_access_on_a_random_case():
    fca = pytest.importorskip("access.fca")
    rng = np.random.default_rng(7)
    n, m, radius = 12, 5, 15.0
    xy, site_xy = rng.uniform(0, 30, (n, 2)), rng.uniform(0, 30, (m, 2))
    homes = np.argmin(np.hypot(*(site_xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)), axis=1)
    places = Places(tuple(f"d{i}" for i in range(n)), xy, tuple(f"s{j}" for j in range(m)), homes, site_xy,
                    (None,) * m, {})
    population, supply = rng.uniform(500, 5000, n), rng.uniform(1, 10, m)
    rule = CatchmentRule("distance", radius_km=radius, decay="gaussian")
    ours = reach(build_weights(places, rule), population, supply)
    assert not ours.unplaced.any()

    d = np.hypot(*(xy[:, None, :] - site_xy[None, :, :]).transpose(2, 0, 1))
    cost = pd.DataFrame([(f"d{i}", f"s{j}", d[i, j]) for i in range(n) for j in range(m)],
                        columns=["origin", "dest", "cost"])
    demand = pd.DataFrame({"geoid": list(places.district_ids), "demand": population})
    sites = pd.DataFrame({"supply": supply}, index=pd.Index(places.site_ids, name="geoid"))
    theirs = fca.two_stage_fca(demand, sites, cost, max_cost=radius, demand_index="geoid", demand_name="demand",
                               supply_name="supply", weight_fn=lambda c: float(decay_weights(c, rule)))
    per_resident = theirs.reindex(places.district_ids).fillna(0.0).to_numpy()
    np.testing.assert_allclose(ours.reachable, population * per_resident, rtol=1e-10)


# -- the bundled Dresden data -----------------------------------------------------------------
@pytest.fixture(scope="module")
def dresden():
    dataset = load_dataset("dresden")
    calculator = Calculator(dataset)
    return dataset, calculator.reference_population("60+"), calculator


def test_dresden_own_rule_is_todays_figures(dresden):
    dataset, aged, calculator = dresden
    areas = Catchments.of(dataset)
    for service in dataset.settings.services:
        located, reachable = areas.reach(OWN, service, aged)
        today = calculator.site_fte(service).reindex(located.index)
        np.testing.assert_allclose(located.to_numpy(), today[located.columns].to_numpy())
        np.testing.assert_allclose(reachable.to_numpy(), today[located.columns].to_numpy())
        sites = dataset.sites[(dataset.sites["service"] == service) & (dataset.sites["year_from"] <= 2026)
                              & dataset.sites["year_to"].fillna(9999).ge(2026)]
        assert reachable[2026].sum() == pytest.approx(sites["fte"].sum())


def test_dresden_planning_areas_by_hand(dresden):
    dataset, aged, _ = dresden
    rule = parse_rule("level:stadtraum", levels=dataset.settings.level_names)
    located, reachable = Catchments.of(dataset).reach(rule, "beratung", aged)
    assert reachable[2026].sum() == pytest.approx(37.90)
    # Stadtraum "Prohlis, Reick": 1.55 posts located (all in its Stadtteile), 7,437 residents 60+ in
    # 2026, of them 2,167 in Prohlis-Nord (71): 1.55 · 2,167 / 7,437 = 0.451640 posts reachable there
    prohlis = dataset.districts.loc[dataset.districts["stadtraum"].str.startswith("Prohlis"), "district_id"]
    assert located.loc[prohlis, 2026].sum() == pytest.approx(1.55)
    assert aged.loc[prohlis, 2026].sum() == pytest.approx(7437) and aged.loc["71", 2026] == pytest.approx(2167)
    assert reachable.loc["71", 2026] == pytest.approx(0.451640, abs=1e-6)


def test_dresden_sites_serving_an_area(dresden):
    dataset, aged, _ = dresden
    areas = Catchments.of(dataset)
    rule = parse_rule("level:stadtraum", levels=dataset.settings.level_names)
    serving = areas.serving(rule, "beratung", aged[2026], 2026, "71")
    located = dataset.sites[dataset.sites["district_id"].isin(["71", "72", "77"])
                            & (dataset.sites["service"] == "beratung") & dataset.sites["year_to"].isna()]
    # every site of the Stadtraum gives Prohlis-Nord its posts × 2,167 / 7,437
    expected = located.groupby("site_id")["fte"].sum() * 2167 / 7437
    assert serving["site_id"].tolist() == expected.sort_values(ascending=False).index.tolist()
    np.testing.assert_allclose(serving["posts"], expected.sort_values(ascending=False), atol=1e-9)
    assert serving["share"].sum() == pytest.approx(1.0)


def test_bench_runs_at_401_districts():
    from bench.catchment import bench

    figures = bench("deutschland", radius_km=30.0, repeats=1)
    assert (figures["districts"], figures["sites"]) == (401, 401)
    assert figures["entries"] > 401  # a 30 km radius reaches beyond the own Kreis
    assert all(figures[k] > 0 for k in ("radius_change_ms", "slider_ms", "synthetic_radius_change_ms"))
