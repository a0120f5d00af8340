import csv
import io
import json
import os
import subprocess
import sys

from dashboard.cli import main

from .conftest import FIXTURES, REPO

TINY = str(FIXTURES / "tiny")


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_report_csv(capsys):
    assert main(["report", TINY, "--service", "beratung", "--year", "2025"]) == 0
    rows = _rows(capsys.readouterr().out)
    assert list(rows[0]) == ["district_id", "name", "population", "soll_fte", "ist_fte", "located_fte",
                             "gap_fte", "coverage", "residents_per_fte", "posts_per_10k", "cost"]
    assert rows[0] == {"district_id": "A", "name": "Altdorf", "population": "3000", "soll_fte": "1.5",
                       "ist_fte": "1.0", "located_fte": "1.0", "gap_fte": "0.5", "coverage": "66.7", "residents_per_fte": "3000",
                       "posts_per_10k": "3.33", "cost": "37500"}
    assert rows[2]["residents_per_fte"] == "none"  # C has no FTE
    assert rows[-1] == {"district_id": "TOTAL", "name": "total", "population": "9000", "soll_fte": "4.5",
                        "ist_fte": "4.0", "located_fte": "4.0", "gap_fte": "0.5", "coverage": "88.9", "residents_per_fte": "2250",
                        "posts_per_10k": "4.44", "cost": "37500"}  # 4 posts for 9,000 residents


def test_report_options_and_json(capsys):
    assert main(["report", TINY, "--ratio", "1000", "--population", "80+", "--level", "bezirk",
                 "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [r["district_id"] for r in payload["rows"]] == ["Nord", "Süd"]
    assert payload["rows"][0]["soll_fte"] == 2.0  # (1000 + 1000) / 1000
    assert payload["summary"]["gross_gap_fte"] == 0.2  # Süd: 0.2 − 0; Nord has 4.0 for 2.0
    assert payload["assumptions"]["ratios"] == {"beratung": 1000.0}


def test_bad_options_exit_2(capsys):
    assert main(["report", TINY, "--year", "2031", "--lang", "en"]) == 2
    assert capsys.readouterr().err == "error: no population for 2031; the dataset covers 2025–2026\n"
    assert main(["report", TINY, "--year", "2031"]) == 2  # the locale's language, here the default
    assert capsys.readouterr().err == "Fehler: Keine Bevölkerungszahlen für 2031; der Datensatz reicht von 2025 bis 2026.\n"
    assert main(["report", TINY, "--level", "kiez", "--lang", "en"]) == 2
    assert "unknown level 'kiez'; this dataset has ortsteil, bezirk" in capsys.readouterr().err
    assert main(["report", TINY, "--year", "soon", "--lang", "en"]) == 2
    assert "'soon' is not a valid value for year" in capsys.readouterr().err
    assert main(["report", TINY, "--service", "all", "--ratio", "1000", "--lang", "en"]) == 2
    assert "--ratio needs one --service" in capsys.readouterr().err
    assert main(["report", "no-such-dataset", "--lang", "en"]) == 2
    assert "no such dataset" in capsys.readouterr().err


def test_validate_ok(capsys):
    assert main(["validate", TINY, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "tiny: valid — 3 districts, years 2025–2026" in out and "warning" in out
    assert main(["validate", TINY, "--lang", "de"]) == 0
    out = capsys.readouterr().out
    assert "tiny: gültig — 3 Gebiete, Jahre 2025–2026" in out and "Warnung: services.csv" in out


def test_validate_broken_dataset_exits_2(tiny_copy):
    (tiny_copy / "population.csv").write_text(
        (tiny_copy / "population.csv").read_text().replace("A,2025,60-64,500", "Q,2025,60-64,-1"))
    # a real process, as a user runs it
    done = subprocess.run([sys.executable, "-m", "dashboard", "validate", str(tiny_copy), "--lang", "en"],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0] == "2 problem(s) found:"
    assert "population.csv, row 3, column 'district_id': this district id is not in the boundary file" in lines[1]
    assert "population.csv, row 3, column 'population': the population is negative" in lines[2]
    assert "Traceback" not in done.stderr
    # without --lang the locale decides; German is the default
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    done = subprocess.run([sys.executable, "-m", "dashboard", "validate", str(tiny_copy)],
                          capture_output=True, text=True, cwd=REPO, env=env)
    lines = done.stderr.splitlines()
    assert done.returncode == 2 and lines[0] == "2 Problem(e) gefunden:"
    assert lines[2] == ("Fehler: population.csv, Zeile 3, Spalte 'population': die Einwohnerzahl ist negativ "
                        "(Wert: '-1'). Es kann nicht weniger als 0 Einwohner geben.")


def test_scenario_list_show_and_report(capsys):
    from dashboard.scenario import Assumptions
    from dashboard.scenarios import assumptions_to_dict, open_store
    store = open_store()
    a = Assumptions(service="beratung", year=2026, population_rule="60+", ratios=(("beratung", 1000.0),))
    s = store.create("CLI-Variante", "tiny", "v", assumptions_to_dict(a), "für die Sitzung")
    assert main(["scenario", "list", "--dataset", "tiny"]) == 0
    assert f"{s.id}\ttiny\tCLI-Variante\tberatung 2026" in capsys.readouterr().out
    assert main(["scenario", "show", s.id]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["assumptions"]["version"] == 2
    assert shown["assumptions"]["assumptions"]["ratios"] == {"beratung": 1000.0}
    assert shown["description"] == "für die Sitzung"
    # the report starts from the scenario: 2026, 1 : 1000 → A needs 3.3 posts (3300 / 1000)
    assert main(["report", TINY, "--scenario", s.id]) == 0
    assert _rows(capsys.readouterr().out)[0]["soll_fte"] == "3.3"
    assert main(["report", TINY, "--scenario", s.id, "--year", "2025"]) == 0  # options change it
    assert _rows(capsys.readouterr().out)[0]["soll_fte"] == "3.0"
    assert main(["scenario", "show", "nope", "--lang", "en"]) == 2
    assert "no saved scenario with id 'nope'" in capsys.readouterr().err
    assert main(["scenario", "show", "nope"]) == 2
    assert "Es gibt kein gespeichertes Szenario mit der Kennung „nope“" in capsys.readouterr().err


def test_language_follows_the_locale():
    """A user whose locale is English reads English messages without --lang; --lang wins over the locale."""
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    english = subprocess.run([sys.executable, "-m", "dashboard", "report", TINY, "--year", "2031"],
                             capture_output=True, text=True, cwd=REPO, env={**env, "LANG": "en_GB.UTF-8"})
    assert (english.returncode, english.stderr) == (2, "error: no population for 2031; the dataset covers 2025–2026\n")
    german = subprocess.run([sys.executable, "-m", "dashboard", "report", TINY, "--year", "2031", "--lang", "de"],
                            capture_output=True, text=True, cwd=REPO, env={**env, "LANG": "en_GB.UTF-8"})
    assert german.stderr.startswith("Fehler: Keine Bevölkerungszahlen für 2031")
