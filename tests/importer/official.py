"""Files in the shapes cities publish: a resident-register table with coded band headers and aggregates,
a reference-date column and keys only matchable by their values; Hamburg's and Kiel's header forms; a
table split by sex; a table naming districts only by name. Four planning areas, figures invented.
"""

from __future__ import annotations

import json
from pathlib import Path

# plr_id, plr_name, lower-left corner (lon, lat) of a 0.01° square
AREAS = [("01011101", "Stülerstraße", 13.30, 52.50), ("01011102", "Großer Tiergarten", 13.31, 52.50),
         ("01011103", "Lützowstraße", 13.30, 52.51), ("01011104", "Körnerstraße", 13.31, 52.51)]
# fine bands of every table and their figures per area: 0-59, 60-62, 63-64, 65-66, 67-69, 70-79, 80+
FINE = [[800, 30, 20, 25, 25, 60, 40], [900, 40, 20, 20, 30, 50, 40], [700, 10, 10, 10, 10, 30, 30],
        [1000, 50, 30, 30, 40, 80, 70]]
SIXTY_PLUS = [sum(row[1:]) for row in FINE]  # 200, 200, 100, 300

DATASET_TOML = """[dataset]
title = "Mitte – Planungsräume"
base_year = 2025
reference_population = "60+"
attribution = ["Erfundene Testdaten"]

[costs]
fte_per_year_eur = 75000

[services.beratung]
label = "Seniorenberatung"
ratios = { 2025 = 100 }
"""
SERVICES_CSV = "Standort-Nr;Angebot;VZÄ;von;lon;lat\n" + "".join(
    f"S{i};Seniorenberatung;1,5;2025;{x + 0.005:.3f};{y + 0.005:.3f}\n".replace(".", ",")
    for i, (_, _, x, y) in enumerate(AREAS, start=1))


def boundaries(folder: Path) -> Path:
    """GeoJSON whose id attribute `plr_id` no synonym list knows."""
    features = [{"type": "Feature", "properties": {"plr_id": key, "plr_name": name, "flaeche": 1000 + i},
                 "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01],
                                                                  [x, y + 0.01], [x, y]]]}}
                for i, (key, name, x, y) in enumerate(AREAS)]
    path = folder / "lor_planungsraeume.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def write(folder: Path, name: str, header: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    path = folder / name
    lines = [";".join(header)] + [";".join(str(c) for c in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def register(folder: Path, mismatch: bool = False) -> Path:
    """Berlin's register form: ZEIT 202512, RAUMID, coded fine bands, aggregates E_E60U65/E_E65U80, total E_E."""
    header = ["ZEIT", "BEZ", "RAUMID", "E_E", "E_E00_60", "E_E60_63", "E_E63_65", "E_E60U65", "E_E65_67",
              "E_E67_70", "E_E70_80", "E_E65U80", "E_E80U110"]
    rows = []
    for (key, *_), fine in zip(AREAS, FINE):
        agg_65 = sum(fine[3:6]) + (1 if mismatch and key.endswith("2") else 0)
        rows.append(["202512", "01", key, sum(fine), fine[0], fine[1], fine[2], fine[1] + fine[2], fine[3], fine[4],
                     fine[5], agg_65, fine[6]])
    return write(folder, "EWR202512E_Matrix.csv", header, rows)


def hamburg(folder: Path) -> Path:
    """Hamburg's forms: "unter 60", "60 bis unter 63", …, "80 und älter"; the key as 'Stadtteil' number."""
    header = ["Stichtag", "Stadtteil", "unter 60", "60 bis unter 63", "63 bis unter 65", "65 bis unter 67",
              "67 bis unter 70", "70 bis unter 80", "80 und älter", "Insgesamt"]
    rows = [["31.12.2025", key, *fine, sum(fine)] for (key, *_), fine in zip(AREAS, FINE)]
    return write(folder, "hamburg.csv", header, rows)


def kiel(folder: Path) -> Path:
    """Kiel's forms: "0 bis 59 Jahre", "60 – 62 Jahre", …, "80 und aelter", dates as 2025-12-31."""
    header = ["Datum", "Ortsteil", "0 bis 59 Jahre", "60 – 62 Jahre", "63 – 64 Jahre", "65 – 66 Jahre",
              "67 – 69 Jahre", "70 – 79 Jahre", "80 und aelter"]
    rows = [["2025-12-31", key, *fine] for (key, *_), fine in zip(AREAS, FINE)]
    return write(folder, "kiel.csv", header, rows)


def by_sex(folder: Path) -> Path:
    """Every band split into 'männlich …' and 'weiblich …' (the male half is the smaller third)."""
    labels = ["0-59", "60-62", "63-64", "65-66", "67-69", "70-79", "80+"]
    header = ["Jahr", "Stadtteil"] + [f"{sex} {label}" for label in labels for sex in ("männlich", "weiblich")]
    rows = []
    for (key, *_), fine in zip(AREAS, FINE):
        cells = []
        for value in fine:
            cells += [value // 3, value - value // 3]
        rows.append([2025, key, *cells])
    return write(folder, "geschlecht.csv", header, rows)


def names_only(folder: Path) -> Path:
    """The districts named only by name (no key column at all)."""
    header = ["Jahr", "Bezeichnung", "unter 60", "60 bis 62", "63 bis 64", "65 bis 66", "67 bis 69", "70 bis 79",
              "80 und älter"]
    rows = [[2025, name, *fine] for (_, name, *_), fine in zip(AREAS, FINE)]
    return write(folder, "namen.csv", header, rows)


def unreadable(folder: Path) -> Path:
    """41 band columns in a code no form describes (AG01 … AG41), as the issue's stuck planner met them."""
    header = ["ZEIT", "RAUMID"] + [f"AG{i:02d}" for i in range(1, 42)]
    rows = [["202512", key, *([10] * 41)] for key, *_ in AREAS]
    return write(folder, "unlesbar.csv", header, rows)


def register_one_year_bands(folder: Path) -> Path:
    """The stuck planner's table: one coded column per year of age (E_E00_01 … E_E94_95, E_E95U110)
    beside aggregates (E_E00U60, E_E60U65, E_E65U80, E_E80U110) and the total E_E: each area has 10
    residents per year of age up to 94 and 20 of 95 and over."""
    fine = [f"E_E{a:02d}_{a + 1:02d}" for a in range(95)] + ["E_E95U110"]
    aggregates = {"E_E00U60": 600, "E_E60U65": 50, "E_E65U80": 150, "E_E80U110": 170}
    header = ["ZEIT", "RAUMID", "E_E", *aggregates, *fine]
    rows = [["202512", key, 970, *aggregates.values(), *([10] * 95), 20] for key, *_ in AREAS]
    return write(folder, "EWR202512E_Matrix_Einzeljahre.csv", header, rows)


def register_by_sex(folder: Path, wrong_total: bool = False) -> Path:
    """The register split by sex in coded form: `E_M60_63` / `E_W60_63` per fine band (the male half the
    smaller third), totals `E_E`, `E_M`, `E_W` of every age; with `wrong_total` the second area's E_E is 5 high."""
    codes = ["00_60", "60_63", "63_65", "65_67", "67_70", "70_80", "80U110"]
    header = ["ZEIT", "RAUMID", "E_E", "E_M", "E_W"] + [f"E_{sex}{code}" for code in codes for sex in "MW"]
    rows = []
    for (key, *_), fine in zip(AREAS, FINE):
        male = [v // 3 for v in fine]
        cells = [c for m, v in zip(male, fine) for c in (m, v - m)]
        total = sum(fine) + (5 if wrong_total and key.endswith("2") else 0)
        rows.append(["202512", key, total, sum(male), sum(fine) - sum(male), *cells])
    return write(folder, "EWR202512E_Matrix_Geschlecht.csv", header, rows)


def with_markers(folder: Path, partly: bool = True) -> Path:
    """Hamburg's table with missing-value markers: two bands of the second area (if `partly`), and every
    band of the third and fourth area (no figures at all: uninhabited or suppressed)."""
    path = hamburg(folder)
    lines = path.read_text(encoding="utf-8").splitlines()
    if partly:
        cells = lines[2].split(";")
        cells[3:5] = ["-", "x"]
        lines[2] = ";".join(cells)
    for i in (3, 4):
        cells = lines[i].split(";")
        cells[2:9] = ["NA", "–", ".", "…", "", "x", "-"]
        lines[i] = ";".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


LONG_BANDS = ["unter 60", "60 bis unter 63", "63 bis unter 65", "65 bis unter 67", "67 bis unter 70",
              "70 bis unter 80", "80 und älter"]
MARKERS = ["NA", "–", ".", "…", "", "x", "-"]  # one of each official "no figure" marker per band


def long_form(folder: Path, partly: bool = True, years: tuple[str, ...] = ("31.12.2025",),
              empty_in: tuple[str, ...] | None = None) -> Path:
    """Hamburg's bands in long form: one row per area, reference date and band, the count in
    'Einwohner'. With `partly` two bands of the second area have no figure; the third and fourth
    area have none in any row of the years `empty_in` (every year if None)."""
    header = ["Stichtag", "Stadtteil", "Altersgruppe", "Einwohner"]
    rows = []
    for year in years:
        for n, ((key, *_), fine) in enumerate(zip(AREAS, FINE)):
            cells = list(fine)
            if partly and n == 1:
                cells[1:3] = ["-", "x"]
            if n >= 2 and (empty_in is None or year in empty_in):
                cells = MARKERS
            rows += [[year, key, band, cell] for band, cell in zip(LONG_BANDS, cells)]
    return write(folder, "hamburg_lang.csv", header, rows)
