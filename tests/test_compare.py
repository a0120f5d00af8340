"""The choices a comparison makes: which year both sides use, how far the difference scale reaches."""

import math

import pandas as pd

from dashboard.compare import MIN_DIFFERENCE_LIMIT, comparison_year, difference_scale


def test_a_saved_scenario_sets_the_year_a_first():
    assert comparison_year(2025, 2030, 2027) == 2030  # A saved: A's year, whatever B is
    assert comparison_year(2025, None, 2027) == 2027  # A baseline, B saved: B's year
    assert comparison_year(2025, None, None) == 2025  # both baseline: the page's year


def test_difference_scale_is_symmetric_around_the_largest_change():
    values, limit = difference_scale(pd.Series([0.12345, -1.5, 0.75]))
    assert values == [0.123, -1.5, 0.75] and limit == 1.5  # rounded to 0.001; |-1.5| is the largest


def test_difference_scale_reaches_at_least_half_a_post():
    values, limit = difference_scale(pd.Series([0.1, -0.2]))
    assert limit == MIN_DIFFERENCE_LIMIT == 0.5  # small changes stay pale
    assert difference_scale(pd.Series([0.0, 0.0]))[1] == 0.5


def test_difference_scale_without_any_number():
    values, limit = difference_scale(pd.Series([float("nan")]))
    assert math.isnan(values[0]) and limit == 0.5
