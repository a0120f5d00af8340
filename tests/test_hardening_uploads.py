"""Hostile uploads: workbooks that unpack to gigabytes or pad a million rows are refused within the
bounds (every workbook read, the import page's preview included, under 30 s and 1 GB), request bodies
beyond the limit are refused before they are read, re-uploads replace earlier copies, and no message
shows a server path."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import zipfile

import pytest
from openpyxl import Workbook

from app import MAX_REQUEST_BYTES, create_app
from dashboard import userdata
from dashboard.errors import DataError, Problem
from dashboard.importer.safety import InputFile

from .conftest import FIXTURES, REPO

SECONDS, MEMORY_KB = 30, 1024 * 1024  # the bounds for reading any file under the size limit


def _workbook_with_sheet(sheet_xml: bytes) -> bytes:
    """A valid .xlsx whose first sheet's XML is `sheet_xml` (deflated: a small file)."""
    wb = Workbook()
    wb.active.append(["district_id", "population"])
    plain = io.BytesIO()
    wb.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else src.read(item.filename)
            dst.writestr(item.filename, data)
    return out.getvalue()


def _sheet(rows: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheetData>' + rows + "</sheetData></worksheet>").encode()


def wide_rows(n: int) -> bytes:
    """One cell per row in the last column (XFD): a reader pads each row to 16,384 cells."""
    return _workbook_with_sheet(_sheet("".join(f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>'
                                               for r in range(1, n + 1))))


def far_down() -> bytes:
    """Two cells, the second in the last row: a million empty rows in between."""
    return _workbook_with_sheet(_sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
                                       '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'))


def many_cells() -> bytes:
    """1.8 million real cells (45 MB of XML, just under the unpacked limit; deflates to a few MB)."""
    cells = "".join(f'<c r="{c}{{r}}"><v>1</v></c>' for c in "ABCDEFGHIJ")
    return _workbook_with_sheet(_sheet("".join(f'<row r="{r}">' + cells.replace("{r}", str(r)) + "</row>"
                                               for r in range(1, 180_001))))


@pytest.mark.parametrize("build", [lambda: wide_rows(20_000), far_down, many_cells])
def test_hostile_workbook_preview_within_time_and_memory(tmp_path, build):
    path = tmp_path / "population.xlsx"
    path.write_bytes(build())
    assert path.stat().st_size < 50 * 1024 * 1024  # under the upload limit
    script = textwrap.dedent(f"""
        import resource, sys, time
        from pathlib import Path
        from dashboard.errors import DataError
        from dashboard.importer.safety import InputFile
        from dashboard.userdata import preview
        start = time.monotonic()
        try:
            preview(InputFile(Path({str(path)!r}), "population.xlsx"), "population")
            outcome = "read"
        except DataError as exc:
            outcome = exc.problems[0].code
        print(outcome, time.monotonic() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True,
                          timeout=SECONDS + 30)
    assert done.returncode == 0, done.stderr[-2000:]
    outcome, seconds, rss_kb = done.stdout.split()
    assert float(seconds) < SECONDS and int(rss_kb) < MEMORY_KB, done.stdout
    assert outcome in ("read", "table.workbook_too_many_cells", "table.workbook_too_slow",
                       "table.workbook_too_large"), outcome


def test_workbook_unpacking_beyond_the_limit_is_refused(tmp_path):
    from dashboard.tables import read_raw
    path = tmp_path / "big.xlsx"
    path.write_bytes(_workbook_with_sheet(_sheet("<row/>" * 9_000_000)))  # 54 MB of XML in a small file
    with pytest.raises(DataError) as err:
        read_raw(path, "big.xlsx")
    assert err.value.problems[0].code == "table.workbook_too_large"


def test_wide_padding_is_refused_quickly(tmp_path):
    from dashboard.tables import read_raw
    path = tmp_path / "wide.xlsx"
    path.write_bytes(wide_rows(500))
    with pytest.raises(DataError) as err:
        read_raw(path, "wide.xlsx")
    assert err.value.problems[0].code == "table.workbook_too_many_cells"
    assert "2,000,000" in err.value.problems[0].text("en")


def test_workbook_reader_keeps_cell_texts(tmp_path):
    from dashboard.tables import read_raw
    wb = Workbook()
    wb.active.append(["district_id", "population", "share"])
    wb.active.append(["01", 1200, 0.5])
    wb.active.append(["02", 3.0, None])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    raw = read_raw(path, "t.xlsx")
    assert raw.frame.values.tolist() == [["district_id", "population", "share"], ["01", "1200", "0.5"],
                                         ["02", "3", ""]] or raw.headers == ["district_id", "population", "share"]


def test_request_body_over_the_limit_is_refused_before_reading():
    app = create_app(str(FIXTURES / "tiny"))
    client = app.server.test_client()
    assert app.server.config["MAX_CONTENT_LENGTH"] == MAX_REQUEST_BYTES < 300 * 1024 * 1024
    # a body that claims 300 MB: refused from the header, nothing is read (the stream here is empty)
    response = client.post("/_dash-update-component", input_stream=io.BytesIO(b"{}"),
                           content_type="application/json",
                           environ_overrides={"CONTENT_LENGTH": str(300 * 1024 * 1024)})
    assert response.status_code == 413


def test_reupload_replaces_the_earlier_copy():
    session = userdata.new_session()
    first = userdata.stage(session, "population", b"a;b\n1;2\n", "alt.csv")
    second = userdata.stage(session, "population", b"a;b\n1;3\n", "neu.csv")
    services = userdata.stage(session, "services", b"a;b\n1;2\n", "s.csv")
    folder = userdata.data_dir() / "uploads" / session
    assert sorted(p.name for p in folder.iterdir()) == sorted([second["stored"], services["stored"]])
    with pytest.raises(userdata.UserDataError):
        userdata.staged_file(session, first)


def test_messages_never_show_server_paths(tmp_path):
    folder = userdata.data_dir() / "uploads"
    problem = Problem("x.csv", None, None, "table.unreadable",
                      {"error": f"[Errno 2] No such file or directory: '{folder}/abc/population-1.csv'"})
    for lang in ("de", "en"):
        assert str(folder) not in problem.text(lang) and "population-1.csv" in problem.text(lang)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DataError) as err:
        userdata.preview(InputFile(broken, "Einwohner.xlsx"), "population")
    assert str(tmp_path) not in json.dumps([p.to_dict("de") for p in err.value.problems])
