"""One word, one number: each figure of all areas together (gross shortfall, surplus, balance) has one
name, and the card, the trend chart, the table's total row, the CSV, the Excel summary and the
handout's text show the same value under that name for the same view."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from dashboard.exports import ExportContext
from dashboard.exports.tables import BOM, table_csv, table_xlsx
from dashboard.i18n import t
from dashboard.loaded import loaded
from dashboard.measures import BALANCE, CITY_FIGURES, SHORTFALL, SURPLUS
from dashboard.scenario import Assumptions
from layouts.summary import summary_cards
from layouts.trend import trend_figure

YEAR = 2025
# a target ratio laxer than the plan's, so the areas together hold more posts than the target: the
# balance is negative while the gross shortfall is not 0 (the case where the old names disagreed)
LAX = (("beratung", 6000.0),)


def number(text: str) -> float:
    """A German number as shown ("−24,64", "+1.234,50") as a float."""
    return float(str(text).replace("−", "-").replace(".", "").replace(",", ".").replace("+", ""))


def card_pairs(component) -> dict[str, str]:
    pairs = {}

    def walk(node):
        children = getattr(node, "children", None)
        if getattr(node, "className", "") == "caregap-card":
            label, value = children[0].children, children[1].children
            pairs[label] = value
        for child in children if isinstance(children, list) else [children]:
            if hasattr(child, "children"):
                walk(child)
    walk(component)
    return pairs


@pytest.fixture(scope="module")
def view():
    item = loaded("dresden")
    a = Assumptions.defaults(item.dataset, year=YEAR, ratios=LAX)
    return item, a, ExportContext(item.dataset, item.calculator, a, lang="de")


def test_summary_holds_the_three_figures_hand_checked(view):
    item, a, _ = view
    table = item.calculator.compute(a).table
    gaps = table["soll_fte"] - table["ist_fte"]
    s = item.calculator.compute(a).summary
    assert s.gross_gap_fte == pytest.approx(gaps[gaps > 0].sum())
    assert s.surplus_fte == pytest.approx(-gaps[gaps < 0].sum())
    assert s.balance_fte == pytest.approx(s.gross_gap_fte - s.surplus_fte)
    assert s.balance_fte < 0 < s.gross_gap_fte and s.net_gap_fte == 0


def test_each_figure_has_one_name_and_one_value_everywhere(view, tmp_path):
    item, a, ctx = view
    s = item.calculator.compute(a).summary
    names = {f.key: t(f"figure.{f.key}", "de") for f in CITY_FIGURES}
    assert len(set(names.values())) == 3
    expected = {names[f.key]: round(getattr(s, f.field), 2) for f in CITY_FIGURES}

    cards = card_pairs(summary_cards(s, "de", item.service_labels("de")))
    assert {k: number(v) for k, v in cards.items() if k in expected} == expected
    assert cards[names["balance"]].startswith("−") or cards[names["balance"]].startswith("-")

    figure = trend_figure(item.calculator.trend(a), "de", "Alle Gebiete", YEAR)
    chart = {trace["name"]: trace["y"][trace["x"].index(YEAR)] for trace in figure["data"]}
    assert chart[names["balance"]] == expected[names["balance"]]
    assert chart[names["shortfall"]] == expected[names["shortfall"]]

    rows = list(csv.reader(io.StringIO(table_csv(ctx).decode("utf-8").removeprefix(BOM)), delimiter=";"))
    rows = rows[:rows.index([])]  # the table, up to the empty line before the assumptions
    total = dict(zip(rows[0], rows[-1]))
    assert total["Gebiet"] == t("export.total", "de") and total["Kennung"] == ""
    assert number(total[names["balance"]]) == expected[names["balance"]]

    wb = load_workbook(io.BytesIO(table_xlsx(ctx)))
    summary = {row[0]: row[1] for ws in wb.worksheets for row in ws.iter_rows(values_only=True) if row and row[0]}
    for name, value in expected.items():
        assert summary[name] == pytest.approx(value), name

    from tests.test_exports import pdf_text, require_chromium
    from dashboard.exports.handout import handout_pdf

    require_chromium()
    text = pdf_text(handout_pdf(ctx), tmp_path)
    # the handout lays the cards out in a row: the three names side by side, then their values
    order = (SHORTFALL, SURPLUS, BALANCE)
    row = re.search(r"\s+".join(re.escape(names[f.key]) for f in order) + r"\s+(?:\S+ ){0,3}?"
                    + r"\s+".join([r"([+−-]?[\d.]+,\d\d)"] * 3), text)
    assert row, text[:3000]
    assert [number(v) for v in row.groups()] == [expected[names[f.key]] for f in order]
    # the old words for these figures are gone from the handout
    assert "verrechnet" not in text.split(names["balance"])[0]
