"""A one- or two-page A4 PDF handout for committees, printed from HTML by headless Chromium.

Page 1: title, export and data date, the city's key figures, the map with its legend and every
assumption. Page 2: the areas sorted by shortfall (the 25 largest when there are more), the notes
that say which figures are estimates or illustrative, and the sources. With a measures plan, a last
page "Maßnahmenplan und Haushalt": what the plan is, its outcome, the amounts per budget period and year. The HTML loads nothing:
the map is an embedded PNG, styles are inline, and a Content-Security-Policy forbids the rest.
"""

from __future__ import annotations

import base64
import re
import tempfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..caveats import caveat_text
from ..formatting import fmt_eur
from ..i18n import t
from ..measures import CLASSED, NO_FIGURES, REGISTRY, SHORTFALL, SHORTFALL_RED, class_colour, fixed_colours, registry
from .chromium import PRINT_TIMEOUT_S, print_to_pdf
from .context import ExportContext, area_rows, assumption_lines, below_label, figure_label, summary_items
from .mapimage import map_png, map_title

MAX_ROWS = 25
COMPACT_ROWS = 15
MAX_PAGES = 2
MAP_SIZE = (900, 450)  # layout pixels of the embedded map: 182 mm wide, so its legend prints at about 7 pt
MAP_SCALE = 3  # 2700 × 1350 pixels, about 375 dpi on paper
CSP = Markup("default-src 'none'; img-src data:; style-src 'unsafe-inline'")  # ours, as written
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
FONT = Markup('"Liberation Sans", Arial, Helvetica, "DejaVu Sans", sans-serif')  # ours, not text to escape


# characters that end a CSS string or line (CR, LF, FF and the other controls): shown as a space
_CSS_BREAKS = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def css_string(text: str) -> Markup:
    """Text inside a CSS string in a <style> element: quotes escaped, no line break that would end the
    string, and no "<" that could end the element.
    (HTML escaping does not apply there: the browser would print "&amp;" as it stands.)"""
    text = _CSS_BREAKS.sub(" ", str(text))
    return Markup(text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c "))


# autoescape on for every template: each text comes from the data or the user and is escaped
TEMPLATES = Environment(loader=PackageLoader("dashboard.exports", "templates"), autoescape=True,
                        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
TEMPLATES.filters["css_string"] = css_string


def _kpis(ctx: ExportContext) -> list[dict]:
    s = ctx.result.summary
    alert = {figure_label(ctx, SHORTFALL): s.gross_gap_fte > 0,
             below_label(ctx): s.units_below_75 > 0}
    return [{"label": label, "value": value, "help": help_text, "alert": alert.get(label, False)}
            for label, value, help_text in summary_items(ctx)]


def _cells(ctx: ExportContext, row: dict, total: bool) -> list[dict]:
    """One cell per measure: its value as the table rounds it, red where it alarms, the class colour where it has classes."""
    cells = []
    for m in registry(ctx.dataset.settings.unit):
        value = row[m.column]
        undefined = ctx.text("no_fte") if m.undefined == "no_post" else "–"
        undefined = t("no_figures.word", ctx.lang) if row.get(NO_FIGURES) else undefined
        classed = m in CLASSED  # its class colour says it (a swatch in each area's row), not red
        cells.append({"text": m.cell(value, ctx.lang, undefined), "short": m.alarming(value, shown=True) and not classed,
                      "swatch": class_colour(m, row["classes"][m.column]) if classed and not total else None})
    return cells


def _area_table(ctx: ExportContext, max_rows: int) -> dict:
    areas, total = area_rows(ctx)
    shown, rest = areas[:max_rows], areas[max_rows:]
    rows = [{"rank": str(i), "name": row["name"], "total": False, "cells": _cells(ctx, row, False)}
            for i, row in enumerate(shown, start=1)]
    rows.append({"rank": "", "name": ctx.text("handout.total"), "total": True, "cells": _cells(ctx, total, True)})
    if rest:
        heading = ctx.text("handout.table_top", shown=len(shown), total=len(areas))
        shortfalls = sum(1 for r in rest if (r["gap_fte"] or 0) > 0)
        more = ctx.text("handout.more" if shortfalls else "handout.more_none", count=len(rest), shortfalls=shortfalls)
    else:
        heading, more = ctx.text("handout.table"), ""
    return {"heading": heading, "rank": ctx.text("handout.rank"), "name": ctx.text("column.name"),
            "headers": [ctx.text(f"column.{m.key}") for m in REGISTRY], "rows": rows, "more": more,
            "notes": ctx.text("handout.cost_note", fte_cost=fmt_eur(ctx.result.summary.fte_cost_eur, ctx.lang))}


def _plan_page(ctx: ExportContext, plan) -> dict | None:
    """The plan page's texts and tables; `plan` is (PlanRequest, Plan) or None for no plan page."""
    if plan is None:
        return None
    from ..planning.texts import plan_lines, plan_tables  # only a handout with a plan needs them

    request, made = plan
    lines = plan_lines(ctx.calculator, ctx.assumptions, request, made, ctx.lang)
    tables = plan_tables(made, ctx.lang)
    return {"heading": t("planning.handout_heading", ctx.lang), "proposal": lines["proposal"],
            "outcome": lines["outcome"], "about": [lines["rule"], lines["limits"], lines["assumptions"]],
            "inputs": lines["inputs"], "periods_heading": t("planning.periods_heading", ctx.lang),
            "periods": tables["periods"], "years_heading": t("planning.years_heading", ctx.lang), "years": tables["years"]}


def handout_html(ctx: ExportContext, map_image: bytes | None = None, *, max_rows: int = MAX_ROWS,
                 compact: bool = False, plan=None) -> str:
    """The handout as one self-contained HTML page; `map_image` (PNG) is rendered with kaleido if not given;
    `plan` (PlanRequest, Plan) adds the page "Maßnahmenplan und Haushalt"."""
    if map_image is None:
        map_image = map_png(ctx, *MAP_SIZE, scale=MAP_SCALE, title=False, footer=False)
    heading = ctx.heading
    meta = [ctx.text("handout.exported", date=ctx.export_date)]
    meta.append(ctx.text("handout.data_date", date=ctx.data_date) if ctx.data_date
                else ctx.text("handout.base_year", year=ctx.dataset.settings.base_year))
    caption = ctx.text("handout.map_caption" if fixed_colours(ctx.measure) else "handout.map_caption_other")
    if ctx.status != "observed":
        caption = f"{ctx.text('handout.status_note', year=ctx.year, status=ctx.status_label)} {caption}"
    return TEMPLATES.get_template("handout.html").render(
        lang=ctx.lang, csp=CSP, heading=heading, font=FONT, shortfall=SHORTFALL_RED, compact=compact,
        page=ctx.text("handout.page"), page_of=ctx.text("handout.page_of"),
        footer_left=f"{ctx.text('handout.made_with')} · {heading} · {meta[0]}",
        app_line=ctx.text("app_line"), meta=meta,
        subtitle=ctx.text("handout.subtitle", service=ctx.service_label, year=ctx.year, level=ctx.level_label,
                          rule=ctx.rule_label),
        dataset_line=ctx.dataset_title if heading != ctx.dataset_title else "", description=ctx.description or "",
        summary_heading=ctx.text("summary.heading", year=ctx.year), kpis=_kpis(ctx),
        map_heading=map_title(ctx)[0], image=base64.b64encode(map_image).decode("ascii"),
        alt=ctx.text("map.alt", measure=ctx.measure_label, service=ctx.service_label, year=ctx.year),
        caption=caption, caveat=caveat_text(ctx.dataset, ctx.lang), caveat_heading=t("caveat.heading", ctx.lang),
        assumptions_heading=ctx.text("handout.assumptions"), assumptions=assumption_lines(ctx),
        table=_area_table(ctx, max_rows), notes_heading=ctx.text("handout.notes"), notes=ctx.notes(),
        sources_heading=ctx.text("handout.sources"), sources=ctx.attribution, plan=_plan_page(ctx, plan),
    )


def page_count(pdf: bytes) -> int:
    return len(_PAGE.findall(pdf))


def handout_pdf(ctx: ExportContext, map_image: bytes | None = None, timeout: float = PRINT_TIMEOUT_S,
                plan=None) -> bytes:
    """The handout as A4 PDF; if it runs over two pages (three with a plan), printed again more compactly
    (smaller map, fewer rows)."""
    if map_image is None:
        map_image = map_png(ctx, *MAP_SIZE, scale=MAP_SCALE, title=False, footer=False)
    attempts = [(MAX_ROWS, False), (MAX_ROWS, True), (20, True), (COMPACT_ROWS, True)]
    with tempfile.TemporaryDirectory(prefix="caregap-handout-") as tmp:
        page = Path(tmp) / "handout.html"
        for max_rows, compact in attempts:
            page.write_text(handout_html(ctx, map_image, max_rows=max_rows, compact=compact, plan=plan),
                            encoding="utf-8")
            pdf = print_to_pdf(page, timeout)
            if page_count(pdf) <= MAX_PAGES + (plan is not None):
                break
    return pdf
