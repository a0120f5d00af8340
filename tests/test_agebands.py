import math

import pytest

from dashboard.agebands import AgeBand, band_weights, find_overlaps, parse_band, parse_rule


def test_parse_band_closed_and_open():
    assert parse_band("60-64") == AgeBand(60, 64)
    assert parse_band(" 85+ ") == AgeBand(85, math.inf)
    assert parse_band("60 - 64").label == "60-64"


@pytest.mark.parametrize("text", ["60", "sixty", "64-60", "60-", "+60"])
def test_parse_band_rejects(text):
    with pytest.raises(ValueError):
        parse_band(text)


def test_overlaps_are_found():
    bands = [parse_band(b) for b in ["0-59", "55-64", "65+"]]
    assert find_overlaps(bands) == [(AgeBand(0, 59), AgeBand(55, 64))]
    assert find_overlaps([parse_band(b) for b in ["0-59", "60-64", "65+"]]) == []


def test_rule_sums_bands_at_or_above_limit():
    weights = band_weights(parse_rule("60+"), ["0-59", "60-64", "65-79", "80+"])
    assert weights == {"0-59": 0, "60-64": 1, "65-79": 1, "80+": 1}


def test_rule_refuses_straddling_band():
    with pytest.raises(ValueError, match="55-64 straddles the limit of '60\\+'; split it at 60"):
        parse_rule("60+").weight_of(parse_band("55-64"))


def test_weighted_rule():
    rule = parse_rule("60-79 + 0.5*80+")
    assert [rule.weight_of(parse_band(b)) for b in ["0-59", "60-64", "65-79", "80+"]] == [0, 1, 1, 0.5]
    with pytest.raises(ValueError, match="overlap"):
        parse_rule("60+ + 80+")
    with pytest.raises(ValueError):
        parse_rule("old people")
