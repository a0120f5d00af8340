import pytest

from dashboard.ratios import ratio_for_year

BERATUNG = {2023: 5900, 2024: 4200, 2026: 2500}


@pytest.mark.parametrize("year,expected", [(2020, 5900), (2023, 5900), (2024, 4200), (2025, 4200),
                                           (2026, 2500), (2040, 2500)])
def test_hold(year, expected):
    assert ratio_for_year(BERATUNG, year, "hold") == expected


def test_linear_between_milestones():
    assert ratio_for_year(BERATUNG, 2025, "linear") == 3350  # (4200 + 2500) / 2
    assert ratio_for_year({2020: 1000, 2030: 2000}, 2023, "linear") == pytest.approx(1300)


def test_errors():
    with pytest.raises(ValueError):
        ratio_for_year({}, 2025)
    with pytest.raises(ValueError):
        ratio_for_year(BERATUNG, 2025, "cubic")
