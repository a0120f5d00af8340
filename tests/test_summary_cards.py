"""The summary cards: a cost only where the data (or the user) gives a cost per post or place."""

from dashboard.loaded import loaded
from dashboard.scenario import Assumptions
from layouts.summary import summary_cards

from .test_figures import card_pairs


def _cards(ref, **assumptions):
    item = loaded(ref)
    s = item.calculator.compute(Assumptions.defaults(item.dataset, **assumptions)).summary
    return card_pairs(summary_cards(s, "de", item.service_labels("de")))


def test_germany_without_a_cost_per_place_shows_a_note_not_zero_euro():
    cards = _cards("deutschland")
    assert cards["Kosten je Jahr"] == "nicht geschätzt"
    assert not any(v.strip() in ("0 €", "0,00 €") for v in cards.values())


def test_a_typed_cost_per_place_brings_the_cost_back():
    assert _cards("deutschland", fte_cost_eur=50_000.0)["Kosten je Jahr"].endswith("€")
    # Dresden 2025, posts counted in their Stadtraum: gross shortfall 6.27 posts × 75,000 € = 469,982 €
    assert _cards("dresden")["Kosten je Jahr"].replace("\xa0", " ") == "469.982 €"
