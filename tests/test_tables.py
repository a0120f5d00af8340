import pandas as pd
import pytest

from dashboard.errors import DataError
from dashboard.tables import parse_column, parse_number, read_table

ROWS = "district_id;year;age_band;population;fte\n01;2025;60-64;1.234;1,5\n02;2025;85+;17;0,25\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_german_excel_csv(tmp_path, encoding):
    path = tmp_path / "t.csv"
    path.write_bytes(("Stadtteil_Name;Größe\nLöbtau;1,5\n").encode(encoding))
    t = read_table(path)
    assert list(t.columns) == ["stadtteil_name", "größe"]
    assert t.iloc[0].tolist() == ["Löbtau", "1,5"]


def test_ids_stay_text_and_numbers_parse(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(ROWS, encoding="utf-8")
    t = read_table(path)
    assert t["district_id"].tolist() == ["01", "02"]  # leading zeros kept
    assert parse_column(t["fte"]).tolist() == [1.5, 0.25]
    # a column with decimal commas reads '1.234' as thousands
    assert parse_column(pd.Series(["1.234", "3,5"])).tolist() == [1234, 3.5]


def test_comma_and_tab_separators(tmp_path):
    (tmp_path / "a.csv").write_text("a,b\n1,2\n")
    (tmp_path / "b.tsv").write_text("a\tb\n1\t2\n")
    assert read_table(tmp_path / "a.csv").to_dict("list") == {"a": ["1"], "b": ["2"]}
    assert read_table(tmp_path / "b.tsv").to_dict("list") == {"a": ["1"], "b": ["2"]}


def test_xlsx(tmp_path):
    path = tmp_path / "p.xlsx"
    pd.DataFrame({"District_ID": ["01"], "FTE": [1.5]}).to_excel(path, index=False)
    t = read_table(path)
    assert t.to_dict("list") == {"district_id": ["01"], "fte": ["1.5"]}


@pytest.mark.parametrize("text,comma,expected", [("37.9", False, 37.9), ("37,9", False, 37.9),
                                                 ("1.234,5", True, 1234.5), ("", False, None),
                                                 ("abc", False, None), ("1e3", False, 1000.0),
                                                 ("inf", False, None), ("1,2,3", False, None)])
def test_parse_number(text, comma, expected):
    assert parse_number(text, comma) == expected


def test_unknown_format(tmp_path):
    path = tmp_path / "t.ods"
    path.write_text("x")
    with pytest.raises(DataError) as err:
        read_table(path)
    problem = err.value.problems[0]
    assert (problem.code, problem.params, problem.value) == ("table.format", {"suffix": ".ods"}, ".ods")
    assert problem.hint("en") == "Save the table as CSV or Excel (.xlsx)."
    assert problem.text("de") == ("Fehler: t.ods: '.ods' ist kein Tabellenformat, das CareGap liest (Wert: '.ods'). "
                                  "Speichern Sie die Tabelle als CSV oder Excel (.xlsx).")


def test_mixed_decimal_forms_are_refused_not_misread():
    # "1.5" among decimal commas could be 1.5 or 15: refused, never silently 15
    values = parse_column(pd.Series(["1,5", "1.5", "1.234,5", "2"]))
    assert values.iloc[0] == 1.5 and values.iloc[2] == 1234.5 and values.iloc[3] == 2
    assert pd.isna(values.iloc[1])


def test_blank_lines_keep_row_numbers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a;b\n1;2\n\n3;4\n", encoding="utf-8")
    t = read_table(path)
    assert t["a"].tolist() == ["1", "3"]
    assert list(t.index) == [0, 2]  # the second row is line 4 of the file (index + 2)


def test_loader_and_importer_read_a_cell_alike():
    """The loader's column rule and the importer's style share one reading of a cell."""
    from dashboard.tables import NumberStyle, read_number

    values = pd.Series(["1.234.567", "2,5", "1e3", "1.5"])
    assert parse_column(values).tolist()[:2] == [1234567.0, 2.5]
    assert pd.isna(parse_column(values).iloc[3])  # '1.5' among decimal commas: 1.5 or 15? refused
    comma = NumberStyle(True, "example", "2,5")
    assert [read_number(v, comma).value for v in values[:2]] == [1234567.0, 2.5]
    assert read_number("1.5", comma).against_style  # the importer reads it as written and notes it
