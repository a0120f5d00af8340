"""Per-provider table: areas, posts, the Soll a provider is responsible for, and the gap."""

import pytest

from dashboard.cli import main
from dashboard.dataset import load_dataset
from dashboard.providers import provider_table
from dashboard.scenario import Assumptions, Calculator

from .conftest import FIXTURES

TINY = str(FIXTURES / "tiny")


@pytest.fixture(scope="module")
def tiny():
    dataset = load_dataset(TINY)
    return dataset, Calculator(dataset)


def test_own_areas_by_hand(tiny):
    """2026, 60+, 1 : 2,000: Altdorf 3,300 residents → Soll 1.65 (Verein A, 1.0 post), Bergheim 5,000 → 2.5
    (Verein B, S3's 1.5 posts), Cunnersdorf 1,200 → 0.6 with no site reaching it."""
    dataset, calc = tiny
    table = provider_table(calc, Assumptions.defaults(dataset, year=2026))
    rows = {r["provider"]: r for r in table.to_dict("records")}
    assert list(table["provider"]) == ["Verein B", "Verein A", ""]  # largest gap first, the unreached last
    assert rows["Verein B"] == pytest.approx({"provider": "Verein B", "areas": 1, "area_names": "Bergheim",
                                              "posts": 1.5, "soll_fte": 2.5, "gap_fte": 1.0})
    assert (rows["Verein A"]["soll_fte"], rows["Verein A"]["gap_fte"]) == pytest.approx((1.65, 0.65))
    assert (rows[""]["area_names"], rows[""]["soll_fte"]) == ("Cunnersdorf", pytest.approx(0.6))


def test_shared_areas_split_the_soll_and_nothing_is_lost(tiny):
    dataset, calc = tiny
    a = Assumptions.defaults(dataset, year=2026, catchment="distance", radius_km=50.0)
    table = provider_table(calc, a)
    assert table["soll_fte"].sum() == pytest.approx(calc.compute(a).summary.soll_fte)
    assert table["posts"].sum() == pytest.approx(2.5)
    assert "" not in set(table["provider"])  # every area is reached within 50 km


def test_report_by_provider(capsys):
    assert main(["report", TINY, "--year", "2026", "--by", "provider"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "provider,areas,area_names,posts,soll_fte,gap_fte"
    assert lines[1] == "Verein B,1,Bergheim,1.5,2.5,1.0"
