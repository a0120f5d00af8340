import math

import numpy as np
import pandas as pd
import pytest

from dashboard import metrics


def test_fachplan_cross_check():
    # 31.6 funded Begegnung FTE at 1:5,000 cover 158,000 residents 60+
    assert 31.6 * 5000 == pytest.approx(158_000)
    assert metrics.required_fte([158_000], 5000)[0] == pytest.approx(31.6)
    # 159,196 residents 60+ (2025) at 1:2,500 need 63.68 counselling FTE
    assert metrics.required_fte([159_196], 2500)[0] == pytest.approx(63.6784)
    # with 37.9 FTE in place the gap is 25.78 FTE and coverage 59.5 %
    soll = metrics.required_fte([159_196], 2500)
    assert metrics.gap_fte(soll, [37.9])[0] == pytest.approx(25.7784)
    assert metrics.coverage(soll, [37.9])[0] == pytest.approx(0.59518, abs=1e-5)


def test_gap_coverage_residents_per_fte():
    soll, ist, pop = [1.5, 2.5, 0.5, 0.0], [1.0, 3.0, 0.0, 1.0], [3000, 5000, 1000, 0]
    assert list(metrics.gap_fte(soll, ist)) == [0.5, -0.5, 0.5, -1.0]
    cov = metrics.coverage(soll, ist)
    assert cov[0] == pytest.approx(2 / 3) and cov[1] == pytest.approx(1.2) and cov[2] == 0 and math.isnan(cov[3])
    rpf = metrics.residents_per_fte(pop, ist)
    assert rpf[0] == 3000 and rpf[1] == pytest.approx(5000 / 3) and math.isnan(rpf[2]) and rpf[3] == 0
    assert not np.isinf(rpf).any()


def test_gross_and_net_gap():
    gaps = [0.5, -0.5, 0.5]
    assert metrics.gross_gap(gaps) == 1.0
    assert metrics.net_gap([1.5, 2.5, 0.5], [1.0, 3.0, 0.0]) == 0.5
    assert metrics.net_gap([1.0], [3.0]) == 0.0  # surplus city: no negative net gap


def test_cost_with_wage_growth():
    assert metrics.cost_per_fte(75_000, 2025, 2025) == 75_000
    assert metrics.cost_per_fte(75_000, 2027, 2025, 0.03) == pytest.approx(75_000 * 1.03 ** 2)  # 79,567.50
    assert metrics.cost_per_fte(75_000, 2027, 2025, 0.03) == pytest.approx(79_567.5)


def test_metrics_table_row():
    t = metrics.metrics_table(pd.Series([3000.0], index=["A"]), pd.Series([1.5], index=["A"]),
                              pd.Series([1.0], index=["A"]), 75_000)
    assert t.loc["A"].to_dict() == pytest.approx({"population": 3000, "soll_fte": 1.5, "ist_fte": 1.0,
                                                  "located_fte": 1.0, "gap_fte": 0.5, "coverage": 2 / 3,
                                                  "residents_per_fte": 3000, "posts_per_10k": 10_000 / 3000,
                                                  "cost": 37_500})


def test_ratio_must_be_positive():
    with pytest.raises(ValueError):
        metrics.required_fte([1], 0)


def test_rounding_residue_is_no_post():
    # +0.1 then −0.1 FTE leaves 2.8e-17, which must not read as 10^20 residents per post
    residue = 0.1 + 0.2 - 0.3
    assert residue > 0
    assert math.isnan(metrics.residents_per_fte([1000], [residue])[0])
    assert math.isnan(metrics.residents_per_fte([1000], [1e-300])[0])


def test_posts_per_10000_residents():
    # 1 post for 3,000 residents is 3.33 per 10,000; 3 for 5,000 is 6; none is 0; no residents: undefined
    density = metrics.posts_per_residents([3000, 5000, 1000, 0], [1.0, 3.0, 0.0, 1.0])
    assert density[0] == pytest.approx(3.3333, abs=1e-4) and density[1] == 6.0 and density[2] == 0
    assert math.isnan(density[3])
    # Dresden's counselling 2024: 37.9 posts for 159,196 residents aged 60+ are 2.38 per 10,000 (1 : 4,200)
    assert metrics.posts_per_residents([159_196], [37.9])[0] == pytest.approx(2.3807, abs=1e-4)
