"""Writes the messy input corpus in tests/fixtures/messy/ (text files only; a few KB each).

Run `python -m tests.importer.make_messy` after changing it; `test_corpus_is_current` fails while
the committed files differ from what this script writes. Binary inputs (zipped Shapefiles, .xlsx,
.gpkg, hostile archives) are built by the tests themselves in a temporary folder (see `build_*`).

The city "Testhausen" has four Stadtteile, 1 km squares side by side in EPSG:25832:
01 Altstadt, 02 Bahnhofsviertel (Stadtbezirk Nord), 03 Cottaer Höhe, 10 Zschertnitz (Süd).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

MESSY = Path(__file__).resolve().parent.parent / "fixtures" / "messy"
X0, Y0, SIDE = 411000, 5654000, 1000
DISTRICTS = [("01", "Altstadt", "Nord"), ("02", "Bahnhofsviertel", "Nord"), ("03", "Cottaer Höhe", "Süd"),
             ("10", "Zschertnitz", "Süd")]

# Residents per district and year: unter 60, 60 bis 64, 65 bis unter 80, 80 und älter
POPULATION = {
    2025: {"01": (1500, 500, 1000, 500), "02": (2000, 800, 1600, 600), "03": (900, 200, 500, 300),
           "10": (100, 50, 80, 40)},
    2026: {"01": (1450, 550, 1100, 500), "02": (1950, 850, 1650, 650), "03": (880, 220, 520, 300),
           "10": (95, 55, 85, 45)},
}
# how the messy wide table writes each key (Excel dropped some leading zeros)
WRITTEN_KEY = {(2025, "01"): "1", (2025, "02"): "02", (2025, "03"): "3", (2025, "10"): "10",
               (2026, "01"): "1", (2026, "02"): "2", (2026, "03"): "03", (2026, "10"): "10"}
WIDE_HEADER = ["Stadtteil", "Name", "Jahr", "unter 60", "60 bis 64", "65 bis unter 80", "80 und älter", "Insgesamt"]
NAMES = {key: name for key, name, _ in DISTRICTS}


def square(i: int) -> list[list[float]]:
    x = X0 + i * SIDE
    return [[x, Y0], [x + SIDE, Y0], [x + SIDE, Y0 + SIDE], [x, Y0 + SIDE], [x, Y0]]


def centre_utm(key: str, dx: float = 0.0, dy: float = 0.0) -> tuple[float, float]:
    i = [k for k, _, _ in DISTRICTS].index(key)
    return X0 + i * SIDE + SIDE / 2 + dx, Y0 + SIDE / 2 + dy


def centre_degrees(key: str) -> tuple[float, float]:
    from pyproj import Transformer

    x, y = centre_utm(key)
    return Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True).transform(x, y)


def de(value: float, decimals: int = 5) -> str:
    """German number: decimal comma."""
    return f"{value:.{decimals}f}".replace(".", ",")


def de_count(value: int) -> str:
    """German count with a thousands dot: 1.500."""
    return f"{value:,}".replace(",", ".")


def boundaries_geojson() -> str:
    features = [{"type": "Feature",
                 "properties": {"STT_ID": key, "STT_NAME": name, "SBZ": sbz, "FLAECHE_HA": 100},
                 "geometry": {"type": "Polygon", "coordinates": [square(i)]}}
                for i, (key, name, sbz) in enumerate(DISTRICTS)]
    data = {"type": "FeatureCollection", "name": "stadtteile",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}}, "features": features}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def wide_rows(skip=(), override=None, extra=()) -> list[list[str]]:
    """Rows of the wide table; `override` maps (year, key) to replacement cells."""
    rows = []
    for year, by_key in POPULATION.items():
        for key, counts in by_key.items():
            if (year, key) in skip:
                continue
            cells = [WRITTEN_KEY[(year, key)], NAMES[key], str(year), *map(de_count, counts), de_count(sum(counts))]
            if override and (year, key) in override:
                cells = override[(year, key)](cells)
            rows.append(cells)
    totals = [sum(POPULATION[2025][k][j] for k in POPULATION[2025]) for j in range(4)]
    rows.insert(4, ["", "Stadt insgesamt", "2025", *map(de_count, totals), de_count(sum(totals))])
    return rows + [list(r) for r in extra]


def csv_text(header: list[str], rows: list[list[str]], sep: str = ";") -> str:
    return "\r\n".join(sep.join(r) for r in [header, *rows]) + "\r\n"


def site_rows() -> list[list[str]]:
    lon2, lat2 = centre_degrees("02")
    lon1, lat1 = centre_degrees("01")
    return [
        ["B1", "Seniorenberatung Altstadt", "Beratung", "1,5", "2025", "", "1", "", "", "Verein A", "real"],
        ["B2", "Beratung am Bahnhof", "Beratung", "2,0", "2025", "2025", "", de(lon2), de(lat2), "Verein B", "illustrativ"],
        ["B3", "Beratung Bahnhof Neu", "Beratung", "2,5", "2026", "", "02", "", "", "Verein B", "illustrativ"],
        ["T1", "Treff Cotta", "Begegnung", "0,75", "2025", "offen", "3", "", "", "Verein C", "real"],
        ["T2", "Begegnung Altstadt", "Begegnung", "0,5", "2025", "", "", de(lon1), de(lat1), "Verein A", "real"],
    ]


SITE_HEADER = ["Standort-Nr", "Standort", "Angebot", "VZÄ", "von", "bis", "Stadtteil", "Längengrad", "Breitengrad",
               "Träger", "Status"]

DATASET_TOML = """\
[dataset]
title = "Testhausen – Stadtteile"
base_year = 2025
reference_population = "60+"
attribution = ["Erfundene Testdaten"]
notes = ["Alle Zahlen sind erfunden."]

[levels]
stadtbezirk = "SBZ"

[costs]
fte_per_year_eur = 75000
wage_growth = 0.0

[services.beratung]
label = "Seniorenberatung"
ratios = { 2025 = 1000, 2026 = 800 }

[services.begegnung]
label = "Seniorenbegegnung"
ratios = { 2025 = 2000 }
"""

MAPPING_TOML = """\
# Columns of einwohner_eigen.csv and standorte_utm.csv that detection cannot know
[population]
district_id = "Bezirk-Code"
year = "Zeitraum"
age_band = "Gruppe"
population = "Personen"

[services]
crs = "EPSG:25832"

[service_keys]
"Seniorenberatung" = "beratung"
"Seniorentreff" = "begegnung"

[boundaries]
id = "STT_ID"
name = "STT_NAME"
"""


def corpus() -> dict[str, bytes]:
    """File name -> exact bytes of every committed fixture."""
    files: dict[str, bytes] = {}
    files["stadtteile_25832.geojson"] = boundaries_geojson().encode("utf-8")
    files["dataset.toml"] = DATASET_TOML.encode("utf-8")
    files["mapping.toml"] = MAPPING_TOML.encode("utf-8")

    # Excel CSV: cp1252, semicolons, thousands dots, German wide headers, keys with and without zeros
    files["einwohner_breit.csv"] = csv_text(WIDE_HEADER, wide_rows()).encode("cp1252")

    # long table, UTF-8 with BOM, German column names and band spellings, a status word
    bands = ["unter 60", "60 bis 64", "65 bis unter 80", "80 und älter"]
    long_rows = [[key, str(year), band, str(count), "Prognose" if year == 2026 else "Ist"]
                 for year, by_key in POPULATION.items() for key, counts in by_key.items()
                 for band, count in zip(bands, counts)]
    files["einwohner_lang_bom.csv"] = ("\ufeff" + csv_text(["Gebiet", "Jahr", "Altersgruppe", "Anzahl", "Status"],
                                                          long_rows)).encode("utf-8")

    # English-style export: commas, decimal points, quoted thousands with commas
    point_rows = [[key, str(year), band, f"\"{count:,}\""] for year, by_key in POPULATION.items()
                  for key, counts in by_key.items() for band, count in zip(["0-59", "60-64", "65-79", "80+"], counts)]
    files["population_point.csv"] = csv_text(["district", "year", "age group", "residents"], point_rows,
                                             ",").encode("utf-8")

    # columns only mapping.toml can name
    own_rows = [[f"{key}", f"{year}", band, str(count)] for year, by_key in POPULATION.items()
                for key, counts in by_key.items() for band, count in zip(["0-59", "60-64", "65-79", "80+"], counts)]
    files["einwohner_eigen.csv"] = csv_text(["Bezirk-Code", "Zeitraum", "Gruppe", "Personen"], own_rows).encode("utf-8")

    files["standorte.csv"] = ("\ufeff" + csv_text(SITE_HEADER, site_rows())).encode("utf-8")

    # sites with UTM metres (Rechtswert/Hochwert, decimal comma) and German service labels
    utm_rows = []
    for site, key, service, fte in (("B1", "01", "Seniorenberatung", "1,5"), ("B2", "02", "Seniorenberatung", "2,0"),
                                     ("T1", "03", "Seniorentreff", "0,75")):
        x, y = centre_utm(key, 12.5, -7.25)
        utm_rows.append([site, service, fte, "2025", de(x, 2), de(y, 2)])
    files["standorte_utm.csv"] = csv_text(["Nr", "Angebot", "Stellen", "ab", "Rechtswert", "Hochwert"],
                                          utm_rows).encode("cp1252")

    # -- one fault per file ------------------------------------------------------------------
    files["fehler_jahr_fehlt.csv"] = csv_text(WIDE_HEADER, wide_rows(skip={(2026, "03")})).encode("cp1252")

    def negative(cells):
        cells[6] = "-5"
        return cells
    files["fehler_negativ.csv"] = csv_text(WIDE_HEADER, wide_rows(override={(2025, "03"): negative})).encode("cp1252")

    def empty_count(cells):
        cells[4] = "k.A."
        return cells
    files["fehler_keine_zahl.csv"] = csv_text(WIDE_HEADER, wide_rows(override={(2026, "10"): empty_count})).encode("cp1252")

    doubled = ["2", "Bahnhofsviertel", "2025", *map(de_count, POPULATION[2025]["02"]), ""]
    files["fehler_doppelt.csv"] = csv_text(WIDE_HEADER, wide_rows(extra=[doubled])).encode("cp1252")

    def unknown_key(cells):
        cells[0] = "99"
        return cells
    files["fehler_schluessel.csv"] = csv_text(WIDE_HEADER, wide_rows(override={(2026, "10"): unknown_key})).encode("cp1252")

    straddle_header = ["Stadtteil", "Jahr", "unter 55", "55 bis 64", "65 und älter"]
    straddle_rows = [[key, str(year), "1000", "400", "800"] for year in POPULATION for key, _, _ in DISTRICTS]
    files["fehler_band_55.csv"] = csv_text(straddle_header, straddle_rows).encode("cp1252")

    files["fehler_ueber80.csv"] = csv_text(["Stadtteil", "Jahr", "unter 80", "über 80"],
                                           [[key, "2025", "1000", "100"] for key, _, _ in DISTRICTS]).encode("cp1252")

    files["fehler_mehrdeutig.csv"] = csv_text(["Stadtteil", "Jahr", "Altersgruppe", "Einwohner", "Bevölkerung"],
                                              [["01", "2025", "60+", "10", "10"]]).encode("cp1252")

    outside = site_rows()
    outside[2] = ["B3", "Beratung Berlin", "Beratung", "2,5", "2026", "", "", "13,40495", "52,52001", "Verein B", "real"]
    files["fehler_ausserhalb.csv"] = ("\ufeff" + csv_text(SITE_HEADER, outside)).encode("utf-8")

    unknown = site_rows()
    unknown[3] = ["T1", "Pflegestützpunkt", "Pflege", "0,75", "2025", "", "3", "", "", "Verein C", "real"]
    files["fehler_angebot.csv"] = ("\ufeff" + csv_text(SITE_HEADER, unknown)).encode("utf-8")
    return files


def write_corpus(folder: Path = MESSY) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in corpus().items():
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written


# -- binary inputs, built in a test's temporary folder -----------------------------------------------
def shapefile_parts(folder: Path, with_prj: bool = True, source: Path | None = None) -> dict[str, bytes]:
    """The Shapefile of the corpus boundaries as {suffix: bytes}."""
    import geopandas as gpd

    frame = gpd.read_file(source or MESSY / "stadtteile_25832.geojson")
    target = folder / "shape-build"
    target.mkdir(exist_ok=True)
    frame.to_file(target / "stadtteile.shp", engine="pyogrio")
    parts = {p.suffix: p.read_bytes() for p in target.iterdir()}
    if not with_prj:
        parts.pop(".prj", None)
    return parts


def build_shapefile_zip(folder: Path, with_prj: bool = True, prefix: str = "Export/Stadtteile 2024/",
                        name: str = "stadtteile.zip") -> Path:
    """A zipped Shapefile inside sub-folders, as planners send it (with macOS junk for good measure)."""
    parts = shapefile_parts(folder, with_prj)
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for suffix, data in parts.items():
            archive.writestr(f"{prefix}stadtteile{suffix}", data)
        archive.writestr(f"{prefix}stadtteile.shp.xml", "<metadata/>")
        archive.writestr(f"__MACOSX/{prefix}._stadtteile.shp", b"\x00\x05\x16\x07")
    return path


if __name__ == "__main__":
    for written in write_corpus():
        print(written.relative_to(MESSY.parent.parent.parent), written.stat().st_size, "bytes")
