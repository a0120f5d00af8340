"""Every output names the areas without figures once, in its caveat line (CLI text, JSON, CSV, handout)."""

import csv
import io
import json
import shutil

import pytest

from dashboard.cli import main
from dashboard.dataset import load_dataset
from dashboard.exports import ExportContext, handout_html
from dashboard.scenario import Assumptions, Calculator

from .conftest import FIXTURES
from .test_no_figures import without_figures

CAVEAT = {"en": "1 area(s) without resident figures ('no figures', grey) are in no total",
          "de": "1 Gebiet(e) ohne Einwohnerzahlen („keine Angabe“, grau) sind in keiner Summe enthalten"}
STEM = {"en": "without resident figures", "de": "ohne Einwohnerzahlen"}


@pytest.fixture
def folder(tmp_path):
    return without_figures(tmp_path, "C")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_report_json_names_them_once_in_its_caveats(folder, capsys, lang):
    assert main(["report", str(folder), "--format", "json", "--lang", lang]) == 0
    out, err = capsys.readouterr()
    payload = json.loads(out)
    assert payload["caveats"][0] == CAVEAT[lang] and out.count(STEM[lang]) == 1 and err == ""
    assert [r["district_id"] for r in payload["rows"] if r.get("no_figures")] == ["C"]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_report_csv_names_them_once_beside_the_table(folder, capsys, lang):
    assert main(["report", str(folder), "--lang", lang]) == 0
    out, err = capsys.readouterr()
    heading = {"de": "Bitte beachten", "en": "Please note"}[lang]
    assert err.startswith(f"{heading}: {CAVEAT[lang]} · ") and err.count(STEM[lang]) == 1
    rows = list(csv.DictReader(io.StringIO(out)))  # the table stays a table: the caveat is not in it
    assert [r["district_id"] for r in rows] == ["A", "B", "C", "TOTAL"] and STEM[lang] not in out
    assert rows[2]["population"] == "no figures" and rows[3]["population"] == "8000"


def test_validate_names_them_once(folder, capsys):
    assert main(["validate", str(folder), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.count(STEM["en"]) == 1
    assert "1 area(s) without resident figures, shown as 'no figures': C" in out


@pytest.mark.parametrize("lang", ["de", "en"])
def test_handout_names_them_once_in_its_caveat_line(folder, lang):
    dataset = load_dataset(folder)
    html = handout_html(ExportContext(dataset, Calculator(dataset), Assumptions.defaults(dataset), lang=lang),
                        map_image=b"\x89PNG")
    assert html.count(STEM[lang]) == 1
    caption = html[html.index("<figcaption>"):html.index("</figcaption>")]
    assert STEM[lang] in caption  # next to the map, where the eye is


def test_a_dataset_with_every_figure_has_no_such_caveat(tmp_path, capsys):
    shutil.copytree(FIXTURES / "tiny", tmp_path / "tiny")
    assert main(["report", str(tmp_path / "tiny"), "--format", "json", "--lang", "en"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["caveats"] and not [c for c in payload["caveats"] if STEM["en"] in c]
