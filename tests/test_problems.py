"""Problems carry a code and parameters; their texts come from the de/en catalogs."""

import ast
import string
from pathlib import Path

import pytest

from dashboard.dataset import load_dataset
from dashboard.errors import DataError, Phrase, Problem
from dashboard.i18n import LANGUAGES, catalog
from dashboard.importer import import_dataset
from dashboard.view.cli import locale_language
from dashboard.tables import read_raw, read_table

from .importer.make_messy import MESSY

ROOT = Path(__file__).resolve().parent.parent


# helpers that build a Problem from a short code: function name -> {module: (code prefix, argument index)}
HELPERS = {"problem": {"dashboard/settings.py": ("settings.", 1), "dashboard/importer/mapping.py": ("mapping.", 1),
                       "dashboard/importer/pipeline.py": ("out.", 0)},
           "refuse": {"dashboard/importer/safety.py": ("archive.", 1)},
           "rows": {"dashboard/validation.py": ("", 2)}, "one": {"dashboard/validation.py": ("", 2)}}


def _codes_in_source() -> set[str]:
    """Every literal code given to Problem(…) (4th argument) or to a helper that builds one."""
    codes = set()
    for path in (ROOT / "dashboard").rglob("*.py"):
        module = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            prefix, index = ("", 3) if name == "Problem" else HELPERS.get(name, {}).get(module, (None, None))
            if index is not None and len(node.args) > index:
                arg = node.args[index]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    codes.add(prefix + arg.value)
    return codes


def test_every_code_has_texts_in_both_languages():
    codes = _codes_in_source()
    assert len(codes) > 120
    for lang in LANGUAGES:
        texts = catalog(lang)
        missing = [c for c in codes if f"problem.{c}.message" not in texts or f"problem.{c}.hint" not in texts]
        assert not missing, (lang, missing)


def test_catalogs_have_the_same_keys_and_placeholders():
    prefixes = ("problem.", "userdata.", "import.")
    de = {k: v for k, v in catalog("de").items() if k.startswith(prefixes)}
    en = {k: v for k, v in catalog("en").items() if k.startswith(prefixes)}
    assert de.keys() == en.keys()
    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}  # noqa: E731
    assert [k for k in de if fields(de[k]) != fields(en[k])] == []


def test_every_text_names_the_same_placeholders_in_both_languages():
    """A placeholder left out in one language drops a fact there (or says "posts" where a dataset counts places)."""
    de, en = catalog("de"), catalog("en")
    assert de.keys() == en.keys()
    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}  # noqa: E731
    own_forms = {"export.date_format"}  # each language writes a date its own way
    # a table header kept short in English; its column's tooltip names the unit
    short = {"table.posts_per_10k"}
    assert [k for k in de if k not in own_forms | short and fields(de[k]) != fields(en[k])] == []


def test_a_problem_renders_in_either_language_and_keeps_its_facts():
    p = Problem("population.csv", 3, "population", "population.count_negative", {}, "-5")
    assert str(p) == p.text("de") == ("Fehler: population.csv, Zeile 3, Spalte 'population': die Einwohnerzahl ist "
                                      "negativ (Wert: '-5'). Es kann nicht weniger als 0 Einwohner geben.")
    assert p.text("en") == ("error: population.csv, row 3, column 'population': the population is negative "
                            "(value: '-5'). Residents cannot be fewer than 0.")
    data = p.to_dict("en")
    assert (data["code"], data["file"], data["row"], data["column"], data["value"]) == (
        "population.count_negative", "population.csv", 3, "population", "-5")
    assert data["detail"] == "row 3, column 'population': the population is negative (value: '-5'). Residents cannot be fewer than 0."
    error = DataError([p])
    assert error.report("en").splitlines()[0] == "1 problem(s) found:"
    assert error.report().splitlines()[0] == "1 Problem(e) gefunden:"


def test_nested_phrases_follow_the_language():
    p = Problem("e.csv", 1, "über 80", "population.header_not_band",
                {"reason": Phrase("problem.band.ambiguous", {"text": "über 80", "low": 80, "high": 81})}, "über 80")
    assert p.message("en") == "'über 80' could mean 80+ or 81+"
    assert p.message("de") == "'über 80' kann 80+ oder 81+ bedeuten"
    assert p.to_dict("de")["params"] == {"reason": "'über 80' kann 80+ oder 81+ bedeuten"}


def test_validation_problem_codes_and_texts(tiny_copy):
    path = tiny_copy / "population.csv"
    path.write_text(path.read_text().replace("A,2025,60-64,500", "A,2025,60-64,viele", 1))
    with pytest.raises(DataError) as err:
        load_dataset(tiny_copy)
    [p] = err.value.problems
    assert (p.code, p.file, p.row, p.column, p.value) == ("population.count_not_number", "population.csv", 3,
                                                          "population", "viele")
    assert p.message("en") == "the population is not a number"
    assert p.message("de") == "die Einwohnerzahl ist keine Zahl"
    assert p.hint("de") == "Schreiben Sie eine Zahl von Einwohnern, ohne Text oder Einheit."


def test_import_problem_codes_and_texts(tmp_path):
    report = import_dataset(MESSY / "stadtteile_25832.geojson", MESSY / "fehler_negativ.csv", MESSY / "standorte.csv",
                            None, MESSY / "dataset.toml", out=tmp_path / "x", crs="EPSG:25832")
    [p] = report.errors
    assert (p.code, p.file, p.row, p.column, p.value) == ("population.count_negative", "fehler_negativ.csv", 4,
                                                          "80 und älter", "-5")
    assert "row 4, column '80 und älter': the population is negative (value: '-5')" in report.to_text("en")
    assert "Zeile 4, Spalte '80 und älter': die Einwohnerzahl ist negativ (Wert: '-5')" in report.to_text("de")
    shown = report.to_dict("de")["files"]
    [error] = [e for f in shown for e in f["errors"]]
    assert error["detail"].startswith("Zeile 4, Spalte '80 und älter': die Einwohnerzahl ist negativ")


def test_table_reading_fault_codes_and_texts(tmp_path):
    path = tmp_path / "kaputt.csv"
    path.write_text("a;b\n1;2\n3;4;5;6\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_table(path)
    [p] = err.value.problems
    assert p.code == "table.unreadable" and "line 3" in p.params["error"]
    assert p.message("en").startswith("the file cannot be read as a table (")
    assert p.message("de").startswith("die Datei lässt sich nicht als Tabelle lesen (")
    assert p.hint("de") == "Prüfen Sie, ob es eine CSV- oder XLSX-Datei mit einer Kopfzeile ist."


def test_utf16_without_bom_and_row_numbers(tmp_path):
    """Excel's 'Unicode text' is UTF-16 with tabs; without a BOM charset-normalizer recognises it."""
    path = tmp_path / "unicode.txt"
    path.write_bytes("Stadtteil\tÄltere\nLöbtau\t1.234\n\nPlauen\t7\n".encode("utf-16-le"))
    raw = read_raw(path)
    assert raw.encoding.replace("_", "-").startswith("utf-16") and raw.separator == "\t"
    assert raw.headers == ["Stadtteil", "Ältere"]
    table = read_table(path)
    assert table.to_dict("list") == {"stadtteil": ["Löbtau", "Plauen"], "ältere": ["1.234", "7"]}
    assert [i + 2 for i in table.index] == [2, 4]  # spreadsheet rows: the blank line is row 3


@pytest.mark.parametrize("environ,lang", [({}, "de"), ({"LANG": "en_GB.UTF-8"}, "en"), ({"LANG": "C.UTF-8"}, "de"),
                                          ({"LANG": "de_DE.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),
                                          ({"LANG": "fr_FR.UTF-8"}, "de")])
def test_language_from_the_locale(environ, lang):
    assert locale_language(environ) == lang


def test_import_notes_follow_the_language(tmp_path):
    report = import_dataset(MESSY / "stadtteile_25832.geojson", MESSY / "einwohner_breit.csv", MESSY / "standorte.csv",
                            None, MESSY / "dataset.toml", out=tmp_path / "x", crs="EPSG:25832")
    assert report.ok
    [padded] = [n for n in report.normalisations if n.code == "key_changed" and n.params["text"] == "1"
                and n.file == "einwohner_breit.csv"]
    assert padded.rows == (2, 7)
    assert padded.text("en") == "district key '1' → '01' (zero-padded to the boundary file's 2-digit keys) (rows 2, 7)"
    assert padded.text("de") == ("Gebietskennung '1' → '01' (mit Nullen auf die 2-stelligen Kennungen der "
                                 "Gebietsdatei aufgefüllt) (Zeilen 2, 7)")
    text = report.to_text("de")
    assert "Zahlen gelesen mit Dezimalkommas ('1.500' ist eine ganze Zahl von Einwohnern)" in text
    assert "fte ← 'VZÄ' (erkannt)" in text and "Gebiete: 4" in text
