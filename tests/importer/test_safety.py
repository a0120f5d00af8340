"""Upload safety: hostile archives are refused before anything is unpacked; limits hold."""

import json
import stat
import zipfile

import pytest

from dashboard.errors import DataError
from dashboard.importer.safety import (InputFile, Limits, display_name, extract_shapefile, inspect_archive,
                                       stage_upload)

from .conftest import find, left_behind
from .make_messy import MESSY, shapefile_parts


def shape_zip_with(tmp_path, extra: list[tuple[zipfile.ZipInfo | str, bytes]], name="hostile.zip",
                   prefix="shape/") -> str:
    """The good Shapefile plus extra members."""
    parts = shapefile_parts(tmp_path)
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for suffix, data in parts.items():
            archive.writestr(f"{prefix}stadtteile{suffix}", data)
        for info, data in extra:
            archive.writestr(info, data)
    return path


def refused(run, tmp_path, archive, message, value=None, **kw):
    report = run(boundaries=archive, **kw)
    assert not report.ok
    problems = find(report, archive.name, message)
    assert problems, report.to_text()
    if value is not None:
        assert problems[0].value == value
    assert left_behind(tmp_path / "out") == []  # no out, no temporary folder
    return problems[0]


def test_zip_slip_is_refused(run, tmp_path):
    archive = shape_zip_with(tmp_path, [("../evil.txt", b"owned")])
    refused(run, tmp_path, archive, "leaves the archive ('..')", "../evil.txt")
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "out" / "evil.txt").exists()


def test_zip_slip_with_backslashes_is_refused(run, tmp_path):
    archive = shape_zip_with(tmp_path, [("shape\\..\\..\\evil.shp", b"x")])
    refused(run, tmp_path, archive, "leaves the archive")


def test_absolute_member_is_refused(run, tmp_path):
    archive = shape_zip_with(tmp_path, [("/tmp/evil.prj", b"x")])
    refused(run, tmp_path, archive, "absolute path", "/tmp/evil.prj")
    archive = shape_zip_with(tmp_path, [("C:/Windows/evil.prj", b"x")], name="drive.zip")
    refused(run, tmp_path, archive, "absolute path")


def test_symlink_member_is_refused(run, tmp_path):
    link = zipfile.ZipInfo("shape/stadtteile.cpg")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = shape_zip_with(tmp_path, [(link, b"/etc/passwd")], prefix="other/")
    refused(run, tmp_path, archive, "symbolic link", "shape/stadtteile.cpg")


def test_special_file_member_is_refused(run, tmp_path):
    fifo = zipfile.ZipInfo("shape/pipe.txt")
    fifo.create_system = 3
    fifo.external_attr = (stat.S_IFIFO | 0o644) << 16
    archive = shape_zip_with(tmp_path, [(fifo, b"")])
    refused(run, tmp_path, archive, "special file")


def test_zip_bomb_is_refused(run, tmp_path):
    bomb = zipfile.ZipInfo("shape/readme.txt")
    bomb.compress_type = zipfile.ZIP_DEFLATED
    archive = shape_zip_with(tmp_path, [(bomb, bytes(8 * 1024 * 1024))])  # 8 MB of zeros pack to ~8 KB
    problem = refused(run, tmp_path, archive, "times its packed size")
    assert problem.message("en").startswith("an archive member unpacks to 1") and "zip bomb" in problem.hint("en")


def test_unpacked_size_limit(run, tmp_path, shape_zip):
    problem = refused(run, tmp_path, shape_zip, "the archive unpacks to", limits=Limits(max_unpacked_bytes=500))
    assert "more than the limit of 500 bytes" in problem.message("en")


def test_too_many_members(run, tmp_path):
    archive = shape_zip_with(tmp_path, [(f"shape/notiz{i}.txt", b"n") for i in range(20)])
    problem = refused(run, tmp_path, archive, "the archive holds 25 files, more than the limit of 10",
                      limits=Limits(max_members=10))
    assert problem.value == "25"


def test_unexpected_member_type_is_refused(run, tmp_path):
    archive = shape_zip_with(tmp_path, [("shape/setup.exe", b"MZ"), ("shape/run.sh", b"#!/bin/sh")])
    report = run(boundaries=archive)
    assert {p.value for p in find(report, "hostile.zip", "the archive holds a")} == {"shape/setup.exe", "shape/run.sh"}


def test_two_shapefiles_or_missing_parts(run, tmp_path):
    parts = shapefile_parts(tmp_path)
    archive = shape_zip_with(tmp_path, [(f"zwei/b{s}", d) for s, d in parts.items()], name="zwei.zip")
    refused(run, tmp_path, archive, "the archive holds 2 .shp files")
    path = tmp_path / "ohne_dbf.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for suffix in (".shp", ".shx", ".prj"):
            archive.writestr(f"a/stadtteile{suffix}", parts[suffix])
    refused(run, tmp_path, path, "the Shapefile lacks its .dbf part(s)")


def test_not_a_zip(run, tmp_path):
    path = tmp_path / "kaputt.zip"
    path.write_bytes(b"this is no archive")
    refused(run, tmp_path, path, "is not a readable zip archive")


def test_extraction_uses_generated_names_only(tmp_path, shape_zip):
    folder = tmp_path / "unpacked"
    folder.mkdir()
    shp = extract_shapefile(shape_zip, "stadtteile.zip", folder, Limits())
    assert shp == folder / "boundary.shp"
    assert sorted(p.name for p in folder.iterdir()) == ["boundary.cpg", "boundary.dbf", "boundary.prj",
                                                        "boundary.shp", "boundary.shx"]  # no .xml, no __MACOSX


def test_oversized_file_is_refused(run, tmp_path):
    report = run(limits=Limits(max_file_bytes=300))
    [problem] = find(report, "einwohner_breit.csv", "more than the limit")
    assert problem.message("en") == "the file is 482 bytes, more than the limit of 300 bytes"
    assert left_behind(tmp_path / "out") == []


def test_total_size_limit(run, tmp_path):
    report = run(limits=Limits(max_total_bytes=1000))
    assert find(report, "upload", "the files together are")


@pytest.mark.parametrize("role,name", [("population", "einwohner.exe"), ("services", "standorte.pdf"),
                                       ("boundaries", "stadtteile.shp"), ("population", "einwohner.zip")])
def test_wrong_extension_is_refused(run, tmp_path, role, name):
    path = tmp_path / name
    path.write_bytes(b"x")
    report = run(**{role: path})
    [problem] = find(report, name, "format CareGap reads")
    assert problem.value == path.suffix
    assert left_behind(tmp_path / "out") == []


def test_broken_geometry_is_reported(run, tmp_path):
    data = json.loads((MESSY / "stadtteile_25832.geojson").read_text(encoding="utf-8"))
    x0, y0 = 413000, 5654000
    data["features"][2]["geometry"]["coordinates"] = [[[x0, y0], [x0 + 1000, y0 + 1000], [x0 + 1000, y0],
                                                       [x0, y0 + 1000], [x0, y0]]]  # a bow tie
    path = tmp_path / "kaputt.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    report = run(boundaries=path)
    [problem] = report.errors
    assert (problem.file, problem.row, problem.column, problem.value) == ("kaputt.geojson", 3, "geometry", "03")
    assert problem.message("en").startswith("the geometry is invalid (Self-intersection")
    assert "Fix geometries" in problem.hint("en")


def test_unreadable_geodata(run, tmp_path):
    path = tmp_path / "leer.geojson"
    path.write_text("{not json", encoding="utf-8")
    [problem] = run(boundaries=path).errors
    assert problem.message("en").startswith("the file cannot be read as geodata")


def test_workbook_bomb_is_refused_before_reading(run, tmp_path):
    path = tmp_path / "einwohner.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", bytes(8 * 1024 * 1024))
    report = run(population=path)
    assert find(report, "einwohner.xlsx", "times its packed size")


def test_inspect_archive_lists_every_refusal(tmp_path):
    path = shape_zip_with(tmp_path, [("../a.txt", b""), ("/b.txt", b""), ("c.exe", b"")])
    with pytest.raises(DataError) as caught:
        inspect_archive(path, "x.zip", Limits(), Limits().member_suffixes)
    assert [p.value for p in caught.value.problems] == ["../a.txt", "/b.txt", "c.exe"]


def test_stage_upload_uses_generated_names(tmp_path):
    staged = stage_upload(b"a;b\n1;2\n", "../../etc/Einwohner 2025.csv", tmp_path, "population")
    assert staged.name == "Einwohner 2025.csv"
    assert staged.path.parent == tmp_path and staged.path.name.startswith("population-")
    assert staged.path.suffix == ".csv" and staged.path.read_bytes() == b"a;b\n1;2\n"
    with pytest.raises(DataError) as err:
        stage_upload(b"MZ", "tool.exe", tmp_path, "population")
    [problem] = err.value.problems
    assert (problem.code, problem.value) == ("upload.format", ".exe")
    assert problem.message("en") == "'.exe' is not a population format CareGap reads"
    assert problem.message("de") == "'.exe' ist kein Format, in dem CareGap Bevölkerungstabellen liest"
    with pytest.raises(DataError) as err:
        stage_upload(b"x" * 2000, "big.csv", tmp_path, "services", Limits(max_file_bytes=1000))
    assert "more than the limit" in err.value.report("en")
    assert display_name("C:\\Users\\p\\Stadtteile.zip") == "Stadtteile.zip"
    assert display_name("\x00\x1b[31m") == "[31m"
    assert InputFile.of(staged) is staged
