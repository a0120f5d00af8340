"""The caveats shown next to the figures, and the dataset picker's titles."""

from dashboard.caveats import caveat_keys
from dashboard.dataset import dataset_title
from dashboard.loaded import loaded


def test_dresden_caveats_name_estimates_projections_and_illustrative_sites():
    assert caveat_keys(loaded("dresden").dataset) == ("estimate", "forecast", "illustrative")


def test_tiny_fixture_has_only_the_caveats_its_data_carries():
    from tests.browser.helpers import FIXTURES

    dataset = loaded(FIXTURES / "tiny").dataset
    expected = tuple(k for k in ("estimate", "forecast") if k in set(dataset.population["status"]))
    if (dataset.sites.get("status") == "illustrative").any():
        expected += ("illustrative",)
    assert caveat_keys(dataset) == expected


def test_dataset_title_by_language_and_fallback():
    assert dataset_title("dresden", "de") == "Dresden – statistische Stadtteile"
    assert dataset_title("dresden", "en") == "Dresden – statistical districts"
    assert dataset_title("no-such-dataset", "de") == "no-such-dataset"


def test_handout_page_one_and_png_carry_the_caveats(tmp_path):
    """Next to the map on page 1 of the handout and in the map PNG's footer, not only in the notes."""
    from dashboard.exports import ExportContext
    from dashboard.exports.handout import handout_html
    from dashboard.exports.mapimage import map_figure
    from dashboard.scenario import Assumptions

    item = loaded("dresden")
    ctx = ExportContext(item.dataset, item.calculator, Assumptions.defaults(item.dataset), lang="de")
    page = handout_html(ctx, map_image=b"\x89PNG")
    page_one = page.split('class="page2"')[0]
    caption = page_one[page_one.index("<figcaption>"):page_one.index("</figcaption>")]
    assert "Einwohner je Gebiet geschätzt" in caption and "Standorte und Stellen illustrativ" in caption
    footer = map_figure(ctx).layout.annotations[0].text
    assert footer.startswith("Einwohner je Gebiet geschätzt") and "illustrativ" in footer
