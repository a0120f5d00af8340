"""The static maps (comparison tab, map image) name the grey of areas without figures in their legend."""

import shutil

import pytest

from dashboard.dataset import load_dataset
from dashboard.exports import ExportContext, map_figure
from dashboard.i18n import t
from dashboard.measures import NO_FIGURES_COLOUR
from dashboard.scenario import Assumptions, Calculator
from layouts.map import build_figure

from .conftest import FIXTURES
from .test_no_figures import without_figures

VIEW = {"center": {"lon": 13.7, "lat": 51.05}, "zoom": 10}


def computed(folder):
    dataset = load_dataset(folder)
    calc = Calculator(dataset)
    return dataset, calc, calc.compute(Assumptions.defaults(dataset))


@pytest.fixture
def with_gap(tmp_path):
    return computed(without_figures(tmp_path, "C"))


@pytest.fixture
def complete(tmp_path):
    shutil.copytree(FIXTURES / "tiny", tmp_path / "tiny")
    return computed(tmp_path / "tiny")


def grey_entries(data: list[dict]) -> list[dict]:
    return [d for d in data if d.get("showlegend")]


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("measure", ["coverage", "gap"])
def test_comparison_map_has_the_no_figures_legend_entry(with_gap, measure, lang):
    *_, r = with_gap
    fig = build_figure(r, measure, lang, "observed", "/geo.json", VIEW)
    [entry] = grey_entries(fig["data"])
    assert entry["name"] == t("no_figures.legend", lang)
    assert entry["name"] == {"de": "keine Angabe (Einwohnerzahlen fehlen)",
                             "en": "no figures (residents not published)"}[lang]
    assert entry["locations"] == ["C"] and entry["text"] == ["Cunnersdorf"]
    assert {colour for _, colour in entry["colorscale"]} == {NO_FIGURES_COLOUR} and entry["showscale"] is False
    assert "keine Angabe" in entry["customdata"][0] or "no figures" in entry["customdata"][0]
    assert fig["layout"]["showlegend"] is True and fig["data"][0]["locations"] == ["A", "B", "C"]


def test_comparison_map_without_such_areas_has_no_legend_entry(complete):
    *_, r = complete
    fig = build_figure(r, "coverage", "de", "observed", "/geo.json", VIEW)
    assert len(fig["data"]) == 1 and not grey_entries(fig["data"]) and fig["layout"]["showlegend"] is False
    assert "legend" not in fig["layout"]


def test_map_image_has_the_no_figures_legend_entry(with_gap):
    dataset, calc, _ = with_gap
    fig = map_figure(ExportContext(dataset, calc, Assumptions.defaults(dataset), lang="de")).to_dict()
    [entry] = grey_entries(fig["data"])
    # the live map's words, wrapped to the width beside the map
    assert entry["name"] == "keine Angabe (Einwohnerzahlen<br>fehlen)" and list(entry["locations"]) == ["C"]
    assert {colour for _, colour in entry["colorscale"]} == {NO_FIGURES_COLOUR}
    assert fig["layout"]["showlegend"] is True
    assert fig["layout"]["legend"]["x"] > fig["layout"]["map"]["domain"]["x"][1]  # beside the map, under the scale


def test_map_image_without_such_areas_has_no_legend_entry(complete):
    dataset, calc, _ = complete
    fig = map_figure(ExportContext(dataset, calc, Assumptions.defaults(dataset), lang="de")).to_dict()
    assert len(fig["data"]) == 1 and not grey_entries(fig["data"]) and fig["layout"]["showlegend"] is False
