"""The measure registry: every surface reads one declaration per measure."""

from __future__ import annotations

import argparse
import json
import math
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from dashboard import metrics
from dashboard.exports import ExportContext, handout_html, table_csv
from dashboard.exports.cli import add_export_parser
from dashboard.i18n import catalog, t
from dashboard.loaded import loaded
from dashboard.mapping import class_labels, colour_codes, colour_spec, hover_template
from dashboard.measures import (BY_KEY, COLUMNS, COVERAGE_BREAKS, COVERAGE_CLASSES, MAP_MEASURES, NO_VALUE_COLOUR,
                                REGISTRY, SHORTFALL_RED, Classes, total_values)
from dashboard.report import report_rows, to_json
from dashboard.scenario import LOW_COVERAGE, Assumptions
from layouts.table import column_defs

from .conftest import FIXTURES


def test_every_formula_has_one_declaration():
    computed = ["population", "soll_fte", "ist_fte", *metrics.FORMULAS]
    assert list(COLUMNS) == computed  # the registry lists exactly what the calculator computes, in its order
    assert len(BY_KEY) == len(REGISTRY)
    assert MAP_MEASURES[:4] == ("coverage", "gap", "residents_per_fte", "population")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_measure_is_named_on_every_surface(lang):
    words = catalog(lang)
    for m in REGISTRY:
        surfaces = ["hover", "table", "export.column"] + (["measure", "legend", "export.measure"] if m.scale else [])
        for surface in surfaces:
            assert f"{surface}.{m.key}" in words, (surface, m.key)


def test_one_threshold_and_one_red():
    assert COVERAGE_BREAKS[1] == LOW_COVERAGE == 0.75
    # the grid paints red what the server marked in a row's `alerts` (coverage bold: a policy threshold)
    styles = {c["field"]: c["cellStyle"]["styleConditions"][0] for c in column_defs("de") if "cellStyle" in c}
    assert set(styles) == {"coverage", "gap_fte"}
    assert styles["coverage"]["condition"] == "params.data && params.data.alerts.includes('coverage')"
    assert styles["coverage"]["style"] == {"color": SHORTFALL_RED, "fontWeight": "600"}
    assert styles["gap_fte"]["style"] == {"color": SHORTFALL_RED}
    coverage = BY_KEY["coverage"]
    assert coverage.alarming(0.7499) and not coverage.alarming(0.75)
    assert coverage.alarming(74.9, shown=True) and not coverage.alarming(75.0, shown=True)


def test_total_row_uses_the_rounding_residue_rule():
    # +0.1 then −0.1 FTE leaves 2.8e-17 FTE: no post, so "none" residents per post, as in every district row
    residue = 0.1 + 0.2 - 0.3
    total = total_values(population=1000, soll=0.5, ist=residue, fte_cost=75_000)
    assert math.isnan(float(total["residents_per_fte"]))
    assert float(total["coverage"]) == pytest.approx(residue / 0.5)


def test_rows_rounded_as_declared():
    data = loaded(FIXTURES / "tiny")
    rows = report_rows(data.calculator.compute(Assumptions.defaults(data.dataset)))
    # A: 3000 residents, Soll 1.5, Ist 1.0 (see test_scenario.py); coverage in percent to 0.1
    assert rows[0]["coverage"] == 66.7 and rows[0]["gap_fte"] == 0.5 and rows[0]["cost"] == 37_500
    assert rows[-1]["residents_per_fte"] == 2250  # 9000 / 4.0


def test_excel_formats():
    assert BY_KEY["coverage"].excel_format() == "0.0%"
    assert BY_KEY["gap"].excel_format() == "+#,##0.00;-#,##0.00;0.00"
    assert BY_KEY["cost"].excel_format() == "+#,##0;-#,##0;0"
    assert BY_KEY["population"].excel_format() == "#,##0"
    assert BY_KEY["coverage"].excel_value(66.7) == 0.667 and BY_KEY["population"].excel_value(3000.0) == 3000


def test_table_columns_follow_the_registry():
    assert [c["field"] for c in column_defs("de")] == ["name", *COLUMNS]


def test_undefined_value_is_grey_on_a_continuous_map():
    table = pd.DataFrame({"population": [0.0, 10.0, np.nan], "name": ["A", "B", "C"]})
    codes, palette = colour_codes(colour_spec(table, "population", "de"))
    assert codes == [0, 63, 64] and palette[64] == NO_VALUE_COLOUR and len(palette) == 65


def test_hover_lists_the_hover_measures():
    lines = hover_template("de", "observed").split("<br>")
    assert len(lines) == 1 + sum(m.hover for m in REGISTRY)


def test_posts_per_10000_everywhere():
    """The density measure, added by its registry entry alone, on every surface (tiny: A 1 post for 3,000
    residents = 3.33, B 3 for 5,000 = 6.00, C none for 1,000 = 0.00, all 4 for 9,000 = 4.44 per 10,000)."""
    data = loaded(FIXTURES / "tiny")
    result = data.calculator.compute(Assumptions.defaults(data.dataset))
    assert "posts_per_10k" in MAP_MEASURES
    spec = colour_spec(result.table, "posts_per_10k", "de")
    assert spec.z == [3.33, 6.0, 0.0] and (spec.zmin, spec.zmax) == (0.0, 6.0)
    assert spec.legend_title == "Stellen je 10.000 Einwohner der Zielgruppe"
    assert "Stellen je 10.000 Einwohner: 3,33" in hover_template("de", "observed").replace(
        "%{customdata[6]}", "3,33")
    payload = json.loads(to_json(result))
    assert [r["posts_per_10k"] for r in payload["rows"]] == [3.33, 6.0, 0.0] and payload["total"]["posts_per_10k"] == 4.44
    ctx = ExportContext(data.dataset, data.calculator, Assumptions.defaults(data.dataset), measure="posts_per_10k",
                        exported_at=datetime(2025, 1, 1))
    assert ctx.measure_label == "Stellen je 10.000 Einwohner der Zielgruppe"
    assert "Altdorf;3000;gezählt;1,50;1,00;1,00;0,50;66,7;3000;3,33;37500" in table_csv(ctx).decode("utf-8-sig")
    page = handout_html(ctx, map_image=b"png")
    assert "<th>Stellen je 10.000 Einwohner</th>" in page and "<td>3,33</td>" in page and "<td>4,44</td>" in page
    parser = argparse.ArgumentParser()
    add_export_parser(parser.add_subparsers(dest="command"))
    assert parser.parse_args(["export", "tiny", "--measure", "posts_per_10k", "--out", "x.csv"]).measure == "posts_per_10k"
    assert t("measure.posts_per_10k", "en") == "Density: posts per 10,000 residents"  # the map's measure choice


def test_legend_and_summary_name_the_class_limits():
    assert class_labels(COVERAGE_CLASSES, "de")[:5] == ["unter 50 %", "50 bis 75 %", "75 bis 90 %",
                                                         "90 bis 110 % (Ziel erreicht)", "über 110 %"]
    other = Classes((0.5, 0.825), ("#000", "#111", "#222"), 1, "legend.no_target")
    assert class_labels(other, "en") == ["under 50 %", "50 to 82.5 % (target met)", "over 82.5 %", "no target group"]
    assert t("summary.below", "en", threshold="75") == "Areas below 75 %"


def test_handout_marks_shortfalls_in_area_rows_only():
    data = loaded(FIXTURES / "tiny")
    ctx = ExportContext(data.dataset, data.calculator, Assumptions.defaults(data.dataset), exported_at=datetime(2025, 1, 1))
    page = handout_html(ctx, map_image=b"png")
    total = page[page.index('<tr class="total">'):]
    total = total[:total.index("</tr>")]
    # the total's gap (+0.50) is red; its coverage (88.9 %, below no class colour) is not, and has no swatch
    assert '<td class="short">+0,50</td>' in total and "<td>88,9</td>" in total and "swatch" not in total
    assert page.count('class="swatch"') == 3  # one per area


def test_continuous_legends_carry_their_colours():
    """Named scales are resolved to colours here: Plotly's browser library reads "Blues" dark to light and
    does not know "OrRd", so a name would give a legend unlike the painted areas."""
    table = pd.DataFrame({m.column: [0.0, 1.0, 2.0] for m in REGISTRY})
    for key in MAP_MEASURES:
        spec = colour_spec(table, key, "de")
        assert isinstance(spec.colourscale, list) and spec.colourscale[0][0] == 0 and spec.colourscale[-1][0] == 1
    assert colour_spec(table, "population", "de").colourscale[0][1] == "rgb(247,251,255)"  # ColorBrewer: light first


# -- counted places are whole numbers ---------------------------------------------------------
def test_counted_places_are_whole_numbers():
    from dashboard.measures import REGISTRY, counted_text, registry

    assert counted_text(874_562.0, "de", "places") == "874.562"
    assert counted_text(1234.4, "en", "places") == "1,234"
    assert counted_text(37.9, "de", "posts") == "37,90"  # posts come in fractions: as fmt_fte writes them
    places = {m.key: m for m in registry("places")}
    assert places["ist"].decimals == 0 and places["located"].decimals == 0
    assert places["ist"].glance(2059.0, "de", "kein Platz") == "2.059"
    assert places["soll"].decimals == 2 and places["gap"].decimals == 2  # a need and a balance are not counted
    assert registry("posts") == REGISTRY


def test_places_table_block_and_csv_of_germany():
    import csv
    import io

    from dashboard.tableblock import block
    from layouts.table import undefined_words

    item = loaded("deutschland")
    a = Assumptions.defaults(item.dataset)
    result = item.calculator.compute(a)
    rows = block(result.table, "de", undefined_words("de"), 0, 5, [("ist_fte", "desc")], unit="places").rows
    top = result.table["ist_fte"].max()
    assert rows[0]["ist_fte"] == f"{round(top):,}".replace(",", ".")  # e.g. 6.231, not 6.231,00
    assert all("," not in r["ist_fte"] and "," not in r["located_fte"] for r in rows)
    assert any("," in r["soll_fte"] for r in rows)
    text = table_csv(ExportContext(item.dataset, item.calculator, a, lang="de")).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    table = table[:table.index([])]
    ist = table[0].index("Ist (Plätze)")
    assert all(r[ist].lstrip("-").isdigit() for r in table[1:]), [r[ist] for r in table[1:4]]
    assert table[-1][ist] == str(round(result.summary.ist_fte))
