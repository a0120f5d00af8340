"""Which source column plays which role of the data contract: from mapping.toml, or detected.

Detection accepts the contract's own names and obvious German/English equivalents (`Stadtteil`,
`Schlüssel`, `Jahr`, `Einwohner`, `VZÄ`, `Träger`, `Längengrad`, `x` …). Candidates come in tiers
(a key column such as `Stadtteil-Nr` beats a generic `Stadtteil`); two candidates in the same tier
are refused with a message naming both, never guessed. Every choice is reported.

mapping.toml (every table and key optional):

    [population]
    district_id = "Stadtteil-Nr"      # role = source column
    age_columns = ["60 bis 64", "65 und älter"]   # wide tables: the age columns (else detected)
    ignore = ["Insgesamt"]            # columns to leave out without a warning
    sheet = "Tabelle1"                # .xlsx: the sheet to read (default: the first)
    [population.fixed]
    year = 2025                       # a value for every row when the file has no such column
    [population.bands]                # the band of a column whose header is in no known form
    "AG_SENIOR_1" = "60-64"           # (`60 bis unter 65`, `80 und aelter`, `E_E60_63` are read)

    [services]
    fte = "Stellenanteil"
    crs = "EPSG:25832"                # CRS of the x/y columns when they are not degrees
    [services.fixed]
    status = "illustrative"

    [service_keys]                    # values of the service column -> service keys of dataset.toml
    "Seniorenberatung" = "beratung"

    [boundaries]
    id = "STT_ID"
    name = "STT_NAME"
    layer = "stadtteile"              # GeoPackage layer
    crs = "EPSG:25832"                # overrides a wrong .prj
    [boundaries.levels]
    stadtbezirk = "SBZ_NAME"          # level name = column
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, Problem
from .report import ColumnChoice

POPULATION_ROLES = ("district_id", "year", "age_band", "population", "status", "name")
SERVICE_ROLES = ("site_id", "service", "fte", "year_from", "year_to", "district_id", "lon", "lat",
                 "provider", "status", "name")
BOUNDARY_ROLES = ("id", "name")
ROLES = {"population": POPULATION_ROLES, "services": SERVICE_ROLES, "boundaries": BOUNDARY_ROLES}

_DISTRICT = (
    ("districtid", "districtkey", "schluessel", "gebietsschluessel", "stadtteilschluessel", "stadtteilnr",
     "stadtteilnummer", "sttnr", "sttid", "ags", "ars", "gemeindeschluessel", "kreisschluessel", "kennziffer",
     "gebietsnr", "gebietsnummer", "gebietsid", "bezirksnr", "key", "code"),
    ("stadtteil", "gebiet", "district", "ortsteil", "planungsraum", "sozialraum", "area", "bezirk", "gemeinde",
     "kreis", "id", "nr", "nummer"),
)
# Tiers of normalised header names per role; the first tier with a match wins.
SYNONYMS: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {
    "population": {
        "district_id": _DISTRICT,
        "year": (("year", "jahr", "berichtsjahr", "prognosejahr", "bezugsjahr"), ("stichtag", "zeit", "periode", "datum", "date")),
        "age_band": (("ageband", "altersgruppe", "altersklasse", "agegroup", "altersband"), ("alter", "age")),
        "population": (("population", "einwohner", "einwohnerzahl", "bevoelkerung", "residents", "ew"),
                       ("anzahl", "personen", "count", "value", "wert", "insgesamt", "total")),
        "status": (("status", "datenstatus", "datenart"),),
        "name": (("name", "districtname", "stadtteilname", "gebietsname", "bezeichnung"),
                 ("stadtteil", "gebiet", "ortsteil", "bezirk")),
    },
    "services": {
        "site_id": (("siteid", "standortid", "standortnr", "standortnummer", "einrichtungsnr", "einrichtungsid",
                     "einrichtungsnummer", "kennung"), ("id", "nr", "nummer", "lfdnr")),
        "service": (("service", "angebot", "angebotsart", "angebotstyp", "leistung", "leistungsart", "dienst"),
                    ("art", "typ", "type", "bereich", "kategorie")),
        "fte": (("fte", "vzae", "vza", "vollzeitaequivalent", "vollzeitaequivalente", "vollzeitstellen",
                 "stellen", "stellenanteil", "stellenanteile", "personalstellen"),),
        "year_from": (("yearfrom", "jahrvon", "vonjahr", "startjahr", "startyear"),
                      ("von", "ab", "seit", "beginn", "start", "from", "since")),
        "year_to": (("yearto", "jahrbis", "bisjahr", "endjahr", "endyear"), ("bis", "ende", "end", "to", "until")),
        "district_id": _DISTRICT,
        "lon": (("lon", "lng", "long", "longitude", "laengengrad", "laenge"),
                ("x", "rechtswert", "easting", "ostwert", "xkoordinate", "koordinatex")),
        "lat": (("lat", "latitude", "breitengrad", "breite"),
                ("y", "hochwert", "northing", "nordwert", "ykoordinate", "koordinatey")),
        "provider": (("provider", "traeger", "betreiber", "anbieter", "organisation"),),
        "status": (("status", "datenstatus"),),
        "name": (("name", "sitename", "standort", "standortname", "einrichtung", "bezeichnung"), ("site",)),
    },
    "boundaries": {
        "id": (("districtid", "id", "ags", "ars", "schluessel", "stadtteilnr", "stadtteilnummer", "sttnr", "sttid",
                "gebietsnr", "gebietsnummer", "gebietsid", "kennziffer", "key", "code", "nr", "nummer"),
               ("stadtteil", "gebiet")),
        "name": (("name", "gen", "bezeichnung", "stadtteilname", "gebietsname", "sttname", "districtname"),
                 ("stadtteil", "gebiet", "ortsteil")),
    },
}
CONTRACT_NAMES = {"boundaries": {"id": "district_id", "name": "name"}}
TABLE_KEYS = {"fixed", "age_columns", "ignore", "sheet", "crs", "bands"}
BOUNDARY_KEYS = {"layer", "crs", "levels"}
FIXABLE = {"population": {"year", "status"}, "services": {"year_from", "year_to", "status", "provider", "service"}}
RESERVED_LEVELS = {"district_id", "name", "geometry"}


def header_key(text: str) -> str:
    """`Stadtteil-Nr.` → `stadtteilnr`, `VZÄ` → `vzae`, `Längengrad` → `laengengrad`."""
    value = str(text).strip().lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        value = value.replace(a, b)
    return re.sub(r"[^a-z0-9]", "", value)


@dataclass(frozen=True)
class TableMapping:
    columns: dict[str, str] = field(default_factory=dict)  # role -> source column
    fixed: dict[str, str] = field(default_factory=dict)  # role -> value for every row
    age_columns: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    sheet: str | None = None
    crs: str | None = None
    bands: dict[str, str] = field(default_factory=dict)  # column -> age band, e.g. E_E60_63 -> 60-62


@dataclass(frozen=True)
class BoundaryMapping:
    columns: dict[str, str] = field(default_factory=dict)  # id / name -> source column
    levels: dict[str, str] = field(default_factory=dict)  # level name -> source column
    layer: str | None = None
    crs: str | None = None


@dataclass(frozen=True)
class ColumnMapping:
    population: TableMapping = field(default_factory=TableMapping)
    services: TableMapping = field(default_factory=TableMapping)
    boundaries: BoundaryMapping = field(default_factory=BoundaryMapping)
    service_keys: dict[str, str] = field(default_factory=dict)  # source value (case-insensitive) -> service key
    file: str = "mapping.toml"


def read_mapping(path: str | Path, label: str | None = None) -> ColumnMapping:
    path = Path(path)
    label = label or path.name
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError([Problem(label, None, None, "mapping.not_toml", {"error": str(exc)})]) from exc
    return parse_mapping(data, label)


def parse_mapping(data: dict, file: str = "mapping.toml") -> ColumnMapping:
    """Typed mapping; unknown tables, roles or keys are errors (a typo must not be ignored)."""
    problems: list[Problem] = []

    def problem(key: str, code: str, value=None, **params):
        problems.append(Problem(file, None, key, f"mapping.{code}", params, None if value is None else str(value)))

    for key in data:
        if key not in ("population", "services", "boundaries", "service_keys"):
            problem(key, "unknown_table")

    def table(kind: str) -> TableMapping:
        raw = data.get(kind, {})
        if not isinstance(raw, dict):
            problem(kind, "not_table", kind=kind)
            return TableMapping()
        columns: dict[str, str] = {}
        for key, value in raw.items():
            if key in TABLE_KEYS:
                continue
            if key not in ROLES[kind]:
                problem(f"{kind}.{key}", "not_role", kind=kind, roles=", ".join(ROLES[kind]))
            elif not isinstance(value, str) or not value.strip():
                problem(f"{kind}.{key}", "not_column", value, role=key)
            else:
                columns[key] = value.strip()
        fixed_raw = raw.get("fixed", {})
        fixed: dict[str, str] = {}
        if not isinstance(fixed_raw, dict):
            problem(f"{kind}.fixed", "fixed_not_table", kind=kind)
            fixed_raw = {}
        for key, value in fixed_raw.items():
            if key not in FIXABLE[kind]:
                problem(f"{kind}.fixed.{key}", "not_fixable", roles=", ".join(sorted(FIXABLE[kind])))
            elif key in columns:
                problem(f"{kind}.fixed.{key}", "fixed_and_column")
            else:
                fixed[key] = str(value).strip()
        lists = {}
        for key in ("age_columns", "ignore"):
            value = raw.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problem(f"{kind}.{key}", "not_list", value, role=key)
                value = []
            lists[key] = tuple(v.strip() for v in value)
        if lists["age_columns"] and kind != "population":
            problem(f"{kind}.age_columns", "age_columns_elsewhere")
        bands = _bands(raw.get("bands", {}), kind, problem)
        sheet = raw.get("sheet")
        crs = raw.get("crs")
        if crs is not None and kind != "services":
            problem(f"{kind}.crs", "crs_elsewhere")
        return TableMapping(columns, fixed, lists["age_columns"], lists["ignore"],
                            None if sheet is None else str(sheet), None if crs is None else str(crs), bands)

    population, services = table("population"), table("services")
    raw_b = data.get("boundaries", {})
    columns_b: dict[str, str] = {}
    levels: dict[str, str] = {}
    if isinstance(raw_b, dict):
        for key, value in raw_b.items():
            if key in BOUNDARY_KEYS:
                continue
            if key not in BOUNDARY_ROLES:
                problem(f"boundaries.{key}", "not_boundary_role")
            elif not isinstance(value, str) or not value.strip():
                problem(f"boundaries.{key}", "not_column", value, role=key)
            else:
                columns_b[key] = value.strip()
        raw_levels = raw_b.get("levels", {})
        if not isinstance(raw_levels, dict):
            problem("boundaries.levels", "levels_not_table")
            raw_levels = {}
        levels = _levels(raw_levels, "boundaries.levels", problem)
    service_keys = {}
    raw_keys = data.get("service_keys", {})
    if isinstance(raw_keys, dict):
        for key, value in raw_keys.items():
            if not isinstance(value, str) or not value.strip():
                problem(f"service_keys.{key}", "not_service_key", value)
            else:
                service_keys[str(key).strip().casefold()] = value.strip().lower()
    if problems:
        raise DataError(problems)
    return ColumnMapping(population, services,
                         BoundaryMapping(columns_b, levels, _opt(raw_b.get("layer")), _opt(raw_b.get("crs"))),
                         service_keys, file)


def _bands(raw, kind: str, problem) -> dict[str, str]:
    """[population.bands]: column = band ("E_E60_63" = "60-62"); each band in contract form."""
    from ..agebands import parse_band

    if not isinstance(raw, dict):
        problem(f"{kind}.bands", "bands_not_table")
        return {}
    if raw and kind != "population":
        problem(f"{kind}.bands", "bands_elsewhere")
        return {}
    bands = {}
    for column, band in raw.items():
        try:
            bands[str(column).strip()] = parse_band(str(band).strip()).label
        except ValueError:
            problem(f"{kind}.bands.{column}", "band_value", band)
    return bands


def _levels(raw: dict, where: str, problem) -> dict[str, str]:
    levels = {}
    for level, column in raw.items():
        if not re.fullmatch(r"[a-z][a-z0-9_]*", str(level)) or level in RESERVED_LEVELS:
            problem(f"{where}.{level}", "level_name")
        elif not isinstance(column, str) or not column.strip():
            problem(f"{where}.{level}", "not_column", column, role=level)
        else:
            levels[str(level)] = column.strip()
    return levels


def levels_from_settings(raw: dict, file: str) -> tuple[dict[str, str], list[Problem]]:
    problems: list[Problem] = []

    def problem(key, code, value=None, **params):
        problems.append(Problem(file, None, key, f"mapping.{code}", params, None if value is None else str(value)))

    return _levels(raw, "levels", problem), problems


def _opt(value) -> str | None:
    return None if value is None else str(value)


@dataclass
class Resolved:
    columns: dict[str, str]  # role -> source column (as the file spells it)
    choices: list[ColumnChoice]
    problems: list[Problem]


def find_column(headers: list[str], wanted: str) -> str | None:
    """The header that matches `wanted` (case and surrounding blanks ignored)."""
    target = wanted.strip().casefold()
    for header in headers:
        if str(header).strip().casefold() == target:
            return header
    return None


def resolve_columns(kind: str, headers: list[str], file: str, explicit: dict[str, str] | None = None,
                    fixed: dict[str, str] | None = None, explicit_source: str | dict[str, str] = "mapping.toml",
                    optional: frozenset[str] = frozenset()) -> Resolved:
    """Assign source columns to the roles of `kind` (population, services, boundaries).

    Explicit names come first (`explicit_source` names their file, mapping.toml or dataset.toml, per
    role if a dict); then the contract's own names; then the synonym tiers. Two candidates in one
    tier are an ambiguity error; a role may stay unassigned (the caller decides what is required). For `optional` roles (not written anywhere) an ambiguity
    is only a warning and the role stays unassigned.
    """
    explicit = explicit or {}
    fixed = fixed or {}
    columns: dict[str, str] = {}
    choices: list[ColumnChoice] = []
    problems: list[Problem] = []
    taken: set[str] = set()
    available = ", ".join(f"'{h}'" for h in headers)
    header_row = None if kind == "boundaries" else 1  # geodata rows are feature numbers; attributes have no row
    for role in ROLES[kind]:
        if role in explicit:
            source = explicit_source.get(role, "mapping.toml") if isinstance(explicit_source, dict) else explicit_source
            header = find_column(headers, explicit[role])
            if header is None:
                problems.append(Problem(file, header_row, explicit[role], "mapping.column_absent",
                                        {"role": role, "source": source, "available": available}, explicit[role]))
            else:
                columns[role] = header
                taken.add(header)
                choices.append(ColumnChoice(file, role, header, source))
        elif role in fixed:
            choices.append(ColumnChoice(file, role, fixed[role], "fixed value"))
    for role in ROLES[kind]:
        if role in columns or role in fixed or role in explicit:
            continue
        contract = CONTRACT_NAMES.get(kind, {}).get(role, role)
        exact = [h for h in headers if h not in taken and header_key(h) == header_key(contract)]
        if len(exact) == 1:
            columns[role] = exact[0]
            taken.add(exact[0])
            choices.append(ColumnChoice(file, role, exact[0], "contract name"))
            continue
        for tier in SYNONYMS[kind][role]:
            found = [h for h in headers if h not in taken and header_key(h) in tier]
            if len(found) == 1:
                columns[role] = found[0]
                taken.add(found[0])
                choices.append(ColumnChoice(file, role, found[0], "detected"))
                break
            if len(found) > 1:
                named = ", ".join(f"'{h}'" for h in found)
                section = "boundaries" if kind == "boundaries" else kind
                severity = "warning" if role in optional else "error"
                problems.append(Problem(file, header_row, None, "mapping.ambiguous",
                                        {"named": named, "role": role, "section": section, "first": found[0]},
                                        ", ".join(found), severity))
                break
    return Resolved(columns, choices, problems)
