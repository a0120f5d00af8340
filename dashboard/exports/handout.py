"""A one- or two-page A4 PDF handout for committees, printed from HTML by headless Chromium.

Page 1: title, export and data date, the city's key figures, the map with its legend and every
assumption. Page 2: the areas sorted by shortfall (the 25 largest when there are more), the notes
that say which figures are estimates or illustrative, and the sources. The HTML loads nothing:
the map is an embedded PNG, styles are inline, and a Content-Security-Policy forbids the rest.
"""

from __future__ import annotations

import base64
import html
import re
import tempfile
from pathlib import Path

from ..formatting import fmt_eur, fmt_number
from ..mapping import COVERAGE_COLOURS, NO_TARGET_COLOUR
from .chromium import PRINT_TIMEOUT_S, print_to_pdf
from .context import ExportContext, area_rows, assumption_lines, summary_items
from .mapimage import map_png, map_title

MAX_ROWS = 25
COMPACT_ROWS = 15
MAX_PAGES = 2
MAP_SIZE = (900, 450)  # layout pixels of the embedded map: 182 mm wide, so its legend prints at about 7 pt
MAP_SCALE = 3  # 2700 × 1350 pixels, about 375 dpi on paper
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")

STYLE = """
@page {
  size: A4;
  margin: 12mm 14mm 15mm 14mm;
  @bottom-left { content: "%(footer_left)s"; font: 7pt %(font)s; color: #6b7785; }
  @bottom-right { content: "%(page)s " counter(page) " %(page_of)s " counter(pages); font: 7pt %(font)s; color: #6b7785; }
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: %(font)s; font-size: 8.6pt; line-height: 1.34; color: #1f2933; }
header.top { display: flex; justify-content: space-between; align-items: flex-end; gap: 6mm;
  border-bottom: 1.6pt solid #1f4e79; padding-bottom: 1.6mm; font-size: 7.6pt; color: #52606d; }
header.top .app { font-weight: 700; color: #1f4e79; letter-spacing: 0.02em; }
header.top .meta { text-align: right; }
h1 { font-size: 19pt; line-height: 1.15; margin: 3.5mm 0 1mm; color: #102a43; }
p.subtitle { font-size: 10pt; color: #334e68; margin: 0; }
p.dataset { font-size: 8.4pt; color: #52606d; margin: 0.6mm 0 0; }
p.description { font-size: 9pt; margin: 1.6mm 0 0; max-width: 165mm; }
h2 { font-size: 10.5pt; color: #102a43; margin: 3.2mm 0 1.3mm; padding-bottom: 0.7mm;
  border-bottom: 0.6pt solid #bcccdc; break-after: avoid; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 1.8mm; }
.kpi { border: 0.6pt solid #d9e2ec; border-left: 2.2pt solid #1f4e79; border-radius: 1.2mm;
  padding: 1mm 2mm 1.1mm; break-inside: avoid; }
.kpi .label { font-size: 7.4pt; color: #52606d; }
.kpi .value { font-size: 13.5pt; font-weight: 700; line-height: 1.2; white-space: nowrap; }
.kpi .help { font-size: 6.6pt; color: #6b7785; line-height: 1.25; }
.kpi.alert { border-left-color: #b2182b; }
.kpi.alert .value { color: #b2182b; }
figure.map { margin: 2mm 0 0; break-inside: avoid; }
figure.map img { display: block; width: 100%%; height: auto; }
figure.map figcaption { font-size: 7.2pt; color: #52606d; margin-top: 0.6mm; }
table { border-collapse: collapse; width: 100%%; }
table.kv th, table.kv td { text-align: left; vertical-align: top; padding: 0.55mm 0; border-bottom: 0.5pt solid #e4e9ef; }
table.kv th { width: 56mm; padding-right: 3mm; font-weight: 700; color: #334e68; }
table.kv tr { break-inside: avoid; }
table.areas { font-size: 8.2pt; }
table.areas thead { display: table-header-group; }
table.areas th { font-size: 7.3pt; font-weight: 700; color: #334e68; text-align: right; vertical-align: bottom;
  padding: 1mm 1.4mm; background: #eef2f6; border-bottom: 0.8pt solid #52606d; }
table.areas td { text-align: right; padding: 0.45mm 1.4mm; border-bottom: 0.5pt solid #e4e9ef;
  font-variant-numeric: tabular-nums; white-space: nowrap; }
table.areas th.name, table.areas td.name { text-align: left; white-space: normal; min-width: 46mm; }
table.areas td.rank, table.areas th.rank { text-align: right; color: #6b7785; width: 7mm; }
table.areas tr { break-inside: avoid; }
table.areas tr.total td { font-weight: 700; background: #f5f7fa; border-top: 1pt solid #1f2933; border-bottom: none; }
.short { color: #b2182b; font-weight: 700; }
.swatch { display: inline-block; width: 2.6mm; height: 2.6mm; margin-right: 1.2mm; vertical-align: -0.35mm;
  border: 0.5pt solid #7b8794; }
p.more { font-size: 8pt; color: #334e68; margin: 1.2mm 0 0; }
p.table-notes { font-size: 7.4pt; color: #52606d; margin: 0.8mm 0 0; }
.page2 { break-before: page; }
ul.notes { margin: 0; padding-left: 4mm; font-size: 7.8pt; color: #334e68; }
ul.notes li { margin-bottom: 0.6mm; break-inside: avoid; }
ul.sources { margin: 0; padding-left: 4mm; font-size: 7.8pt; color: #334e68; }
%(compact)s
"""
# when the normal layout runs over two pages: a smaller map, fewer rows, no forced page break
COMPACT_STYLE = """
figure.map img { max-height: 72mm; width: auto; margin: 0 auto; }
.page2 { break-before: auto; }
"""

FONT = '"Liberation Sans", Arial, Helvetica, "DejaVu Sans", sans-serif'


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _css_string(text: str) -> str:
    """Text inside a CSS string in a <style> element: quotes escaped, and no "<" that could end the element."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " ")


def _swatch(cls: int) -> str:
    colour = (COVERAGE_COLOURS + (NO_TARGET_COLOUR,))[cls]
    return f'<span class="swatch" style="background:{colour}"></span>'


def _kpis(ctx: ExportContext) -> str:
    s = ctx.result.summary
    alert = {ctx.text("summary.gross_gap"): s.gross_gap_fte > 0,
             ctx.text("summary.below"): s.units_below_75 > 0}
    tiles = []
    for label, value, help_text in summary_items(ctx):
        cls = "kpi alert" if alert.get(label) else "kpi"
        help_html = f'<div class="help">{_e(help_text)}</div>' if help_text else ""
        tiles.append(f'<div class="{cls}"><div class="label">{_e(label)}</div>'
                     f'<div class="value">{_e(value)}</div>{help_html}</div>')
    return f'<div class="kpis">{"".join(tiles)}</div>'


def _assumptions(ctx: ExportContext) -> str:
    rows = "".join(f"<tr><th>{_e(label)}</th><td>{_e(value)}</td></tr>" for label, value in assumption_lines(ctx))
    return f'<table class="kv">{rows}</table>'


def _area_table(ctx: ExportContext, max_rows: int) -> str:
    lang = ctx.lang
    areas, total = area_rows(ctx)
    shown = areas[:max_rows]
    rest = areas[max_rows:]
    head = [("rank", ctx.text("handout.rank")), ("name", ctx.text("column.name")),
            ("", ctx.text("column.population")), ("", ctx.text("column.soll")),
            ("", ctx.text("column.ist")), ("", ctx.text("column.gap")),
            ("", ctx.text("column.coverage")), ("", ctx.text("column.residents_per_fte")),
            ("", ctx.text("column.cost"))]
    thead = "".join(f'<th class="{cls}">{_e(text)}</th>' if cls else f"<th>{_e(text)}</th>" for cls, text in head)

    def cells(row: dict, rank: str) -> str:
        gap = row["gap_fte"] or 0.0
        coverage = "–" if row["coverage"] is None else fmt_number(row["coverage"], lang, 1)
        rpf = ctx.text("no_fte") if row["residents_per_fte"] is None else fmt_number(row["residents_per_fte"], lang)
        values = [
            f'<td class="rank">{_e(rank)}</td>', f'<td class="name">{_e(row["name"])}</td>',
            f"<td>{_e(fmt_number(row['population'], lang))}</td>", f"<td>{_e(fmt_number(row['soll_fte'], lang, 2))}</td>",
            f"<td>{_e(fmt_number(row['ist_fte'], lang, 2))}</td>",
            f'<td class="{"short" if gap > 0 else ""}">{_e(fmt_number(gap, lang, 2, signed=True))}</td>',
            f"<td>{_swatch(row['coverage_class']) if rank else ''}{_e(coverage)}</td>", f"<td>{_e(rpf)}</td>",
            f"<td>{_e(fmt_number(row['cost'], lang, 0, signed=True))}</td>",
        ]
        return "".join(values)

    body = "".join(f"<tr>{cells(row, str(i))}</tr>" for i, row in enumerate(shown, start=1))
    total_row = dict(total, name=ctx.text("handout.total"))
    body += f'<tr class="total">{cells(total_row, "")}</tr>'
    if rest:
        heading = ctx.text("handout.table_top", shown=len(shown), total=len(areas))
        shortfalls = sum(1 for r in rest if (r["gap_fte"] or 0) > 0)
        key = "handout.more" if shortfalls else "handout.more_none"
        more = f'<p class="more">{_e(ctx.text(key, count=len(rest), shortfalls=shortfalls))}</p>'
    else:
        heading, more = ctx.text("handout.table"), ""
    notes = [ctx.text("handout.cost_note", fte_cost=fmt_eur(ctx.result.summary.fte_cost_eur, lang))]
    return (f"<h2>{_e(heading)}</h2><table class=\"areas\"><thead><tr>{thead}</tr></thead><tbody>{body}</tbody>"
            f"</table>{more}<p class=\"table-notes\">{_e(' '.join(notes))}</p>")


def handout_html(ctx: ExportContext, map_image: bytes | None = None, *, max_rows: int = MAX_ROWS,
                 compact: bool = False) -> str:
    """The handout as one self-contained HTML page; `map_image` (PNG) is rendered with kaleido if not given."""
    lang = ctx.lang
    if map_image is None:
        map_image = map_png(ctx, *MAP_SIZE, scale=MAP_SCALE, title=False, footer=False)
    heading = ctx.heading
    meta = [ctx.text("handout.exported", date=ctx.export_date)]
    meta.append(ctx.text("handout.data_date", date=ctx.data_date) if ctx.data_date
                else ctx.text("handout.base_year", year=ctx.dataset.settings.base_year))
    subtitle = ctx.text("handout.subtitle", service=ctx.service_label, year=ctx.year, level=ctx.level_label,
                        rule=ctx.rule_label)
    dataset_line = f'<p class="dataset">{_e(ctx.dataset_title)}</p>' if heading != ctx.dataset_title else ""
    description = f'<p class="description">{_e(ctx.description)}</p>' if ctx.description else ""
    map_title_text, _ = map_title(ctx)
    caption = ctx.text("handout.map_caption" if ctx.measure == "coverage" else "handout.map_caption_other")
    if ctx.status != "observed":
        caption = f"{ctx.text('handout.status_note', year=ctx.year, status=ctx.status_label)} {caption}"
    image = base64.b64encode(map_image).decode("ascii")
    alt = ctx.text("map.alt", measure=ctx.measure_label, service=ctx.service_label, year=ctx.year)
    style = STYLE % {
        "font": FONT, "page": _css_string(ctx.text("handout.page")), "page_of": _css_string(ctx.text("handout.page_of")),
        "footer_left": _css_string(f"{ctx.text('handout.made_with')} · {heading} · {meta[0]}"),
        "compact": COMPACT_STYLE if compact else "",
    }
    notes = "".join(f"<li>{_e(n)}</li>" for n in ctx.notes())
    sources = "".join(f"<li>{_e(line)}</li>" for line in ctx.attribution)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>{_e(heading)}</title>
<style>{style}</style>
</head>
<body>
<header class="top">
  <div class="app">{_e(ctx.text("app_line"))}</div>
  <div class="meta">{" · ".join(_e(m) for m in meta)}</div>
</header>
<h1>{_e(heading)}</h1>
<p class="subtitle">{_e(subtitle)}</p>
{dataset_line}
{description}
<h2>{_e(ctx.text("summary.heading", year=ctx.year))}</h2>
{_kpis(ctx)}
<h2>{_e(map_title_text)}</h2>
<figure class="map">
  <img src="data:image/png;base64,{image}" alt="{_e(alt)}">
  <figcaption>{_e(caption)}</figcaption>
</figure>
<h2>{_e(ctx.text("handout.assumptions"))}</h2>
{_assumptions(ctx)}
<section class="page2">
{_area_table(ctx, max_rows)}
<h2>{_e(ctx.text("handout.notes"))}</h2>
<ul class="notes">{notes}</ul>
<h2>{_e(ctx.text("handout.sources"))}</h2>
<ul class="sources">{sources}</ul>
</section>
</body>
</html>
"""


def page_count(pdf: bytes) -> int:
    return len(_PAGE.findall(pdf))


def handout_pdf(ctx: ExportContext, map_image: bytes | None = None, timeout: float = PRINT_TIMEOUT_S) -> bytes:
    """The handout as A4 PDF; if it runs over two pages, printed again more compactly (smaller map, fewer rows)."""
    if map_image is None:
        map_image = map_png(ctx, *MAP_SIZE, scale=MAP_SCALE, title=False, footer=False)
    attempts = [(MAX_ROWS, False), (MAX_ROWS, True), (20, True), (COMPACT_ROWS, True)]
    with tempfile.TemporaryDirectory(prefix="caregap-handout-") as tmp:
        page = Path(tmp) / "handout.html"
        for max_rows, compact in attempts:
            page.write_text(handout_html(ctx, map_image, max_rows=max_rows, compact=compact), encoding="utf-8")
            pdf = print_to_pdf(page, timeout)
            if page_count(pdf) <= MAX_PAGES:
                break
    return pdf
