"""Upload safety: size limits, archive checks before extraction, extraction under generated names.

Rules:
- every input is a regular file with an expected suffix (tables: .csv .txt .tsv .xlsx; boundaries:
  .geojson .json .gpkg .zip) and within the size limits;
- a zip archive is inspected before anything is unpacked: no absolute paths, no `..`, no symlinks or
  special files, no encrypted members, only Shapefile parts and their side files, a bounded number of
  members, a bounded unpacked size and compression ratio (zip bombs);
- only the Shapefile parts are unpacked, into a fresh temporary folder under generated names; names
  inside an archive are never used as paths, and nothing from an input is ever executed;
- an .xlsx file is itself a zip archive and gets the same bomb checks (it is never unpacked).
"""

from __future__ import annotations

import re
import stat
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..formats import BOUNDARY_SUFFIXES
from ..errors import DataError, Phrase, Problem
from ..tables import TABLE_SUFFIXES

MB = 1024 * 1024
CONFIG_SUFFIXES = (".toml",)
ROLE_SUFFIXES = {"boundaries": BOUNDARY_SUFFIXES, "population": TABLE_SUFFIXES, "services": TABLE_SUFFIXES,
                 "mapping": CONFIG_SUFFIXES, "settings": CONFIG_SUFFIXES}  # what each input of an import may be
ARCHIVE_MEMBER_SUFFIXES = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".xml", ".txt")
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")  # what is unpacked; indexes and metadata are not
REQUIRED_PARTS = (".shp", ".shx", ".dbf")
COPY_CHUNK = 1024 * 1024
_MAC_JUNK = re.compile(r"(^|/)__MACOSX/|(^|/)\._[^/]*$")
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Limits:
    """Upload limits; the defaults suit one city's files on a laptop or a shared server."""

    max_file_bytes: int = 50 * MB
    max_total_bytes: int = 200 * MB
    max_members: int = 2000
    max_unpacked_bytes: int = 500 * MB
    max_ratio: float = 200.0  # unpacked / packed size of one archive member
    ratio_min_bytes: int = 1 * MB  # smaller members may compress better without being a threat
    member_suffixes: tuple[str, ...] = ARCHIVE_MEMBER_SUFFIXES


@dataclass(frozen=True)
class InputFile:
    """A file to import: where it is, and the name reports use (an upload's original file name)."""

    path: Path
    name: str

    @classmethod
    def of(cls, value: str | Path | InputFile) -> InputFile:
        if isinstance(value, InputFile):
            return value
        path = Path(value)
        return cls(path, path.name)

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()


def display_name(filename: str) -> str:
    """A client's file name made safe to show: no folders, no control characters, bounded length."""
    name = PureWindowsPath(PurePosixPath(str(filename)).name).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:120] or "upload"


def check_input(file: InputFile, role: str, limits: Limits) -> list[Problem]:
    """Problems that forbid reading `file` at all (missing, wrong type, too large)."""
    label = file.name
    allowed = ROLE_SUFFIXES[role]
    if not file.path.is_file():
        return [Problem(label, None, None, "upload.not_file")]
    if file.suffix not in allowed:
        return [_format_problem(label, file.suffix, role, allowed)]
    size = file.path.stat().st_size
    if size > limits.max_file_bytes:
        return [Problem(label, None, None, "upload.too_large", {"size": _mb(size), "limit": _mb(limits.max_file_bytes)},
                        str(size))]
    return []


def check_total(files: list[InputFile], limits: Limits) -> list[Problem]:
    total = sum(f.path.stat().st_size for f in files if f.path.is_file())
    if total > limits.max_total_bytes:
        return [Problem("upload", None, None, "upload.total_too_large",
                        {"size": _mb(total), "limit": _mb(limits.max_total_bytes)}, str(total))]
    return []


def stage_upload(data: bytes, filename: str, folder: Path, role: str, limits: Limits = Limits()) -> InputFile:
    """Write uploaded bytes under a generated name in `folder`; for the web upload page.

    The suffix (checked against the role's formats) is the only part of the client's name that is
    used in the path; the name itself is kept for the report. Raises DataError if refused.
    """
    allowed = ROLE_SUFFIXES.get(role, CONFIG_SUFFIXES)
    shown = display_name(filename)
    suffix = PurePosixPath(shown).suffix.lower()
    if suffix not in allowed:
        raise DataError([_format_problem(shown, suffix, role, allowed)])
    if len(data) > limits.max_file_bytes:
        raise DataError([Problem(shown, None, None, "upload.upload_too_large",
                                 {"size": _mb(len(data)), "limit": _mb(limits.max_file_bytes)}, str(len(data)))])
    path = Path(folder) / f"{role}-{uuid.uuid4().hex}{suffix}"
    with open(path, "xb") as handle:
        handle.write(data)
    return InputFile(path, shown)


# -- archives ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Member:
    info: zipfile.ZipInfo
    name: str  # with '/' separators
    junk: bool  # macOS resource-fork entries: checked, never unpacked

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()

    @property
    def stem(self) -> str:
        return self.name[: len(self.name) - len(self.suffix)].lower()


def inspect_archive(path: Path, label: str, limits: Limits, member_suffixes: tuple[str, ...] | None) -> list[Member]:
    """Check every member of a zip before anything is unpacked; DataError lists every refusal.

    `member_suffixes` None skips the suffix rule (for .xlsx, whose members are XML parts).
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError([Problem(label, None, None, "archive.unreadable", {"error": str(exc)})]) from exc
    with archive:
        infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise DataError([Problem(label, None, None, "archive.too_many", {"count": len(infos), "limit": limits.max_members},
                                 str(len(infos)))])
    problems: list[Problem] = []

    def refuse(name: str, code: str, **params) -> None:
        problems.append(Problem(label, None, None, f"archive.{code}", params, name))

    members: list[Member] = []
    seen: set[str] = set()
    declared = 0
    for info in infos:
        raw = info.filename
        name = raw.replace("\\", "/")
        parts = [p for p in name.split("/") if p not in ("", ".")]
        mode = info.external_attr >> 16
        kind = stat.S_IFMT(mode)
        if any(ord(ch) < 32 for ch in raw):
            refuse(raw, "control_characters")
            continue
        if name.startswith("/") or _DRIVE.match(name):
            refuse(raw, "absolute_path")
            continue
        if ".." in parts:
            refuse(raw, "leaves_archive")
            continue
        if kind == stat.S_IFLNK:
            refuse(raw, "symlink")
            continue
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            refuse(raw, "special_file")
            continue
        if info.flag_bits & 0x1:
            refuse(raw, "encrypted")
            continue
        if info.is_dir() or kind == stat.S_IFDIR:
            continue
        junk = bool(_MAC_JUNK.search(name))
        member = Member(info, "/".join(parts), junk)
        if not junk and member_suffixes is not None and member.suffix not in member_suffixes:
            refuse(raw, "foreign_member", suffix=member.suffix or "–", allowed=" ".join(member_suffixes))
            continue
        if member.name.lower() in seen:
            refuse(raw, "same_name")
            continue
        seen.add(member.name.lower())
        declared += info.file_size
        if info.file_size >= limits.ratio_min_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            refuse(raw, "ratio", ratio=f"{ratio:.0f}", limit=f"{limits.max_ratio:.0f}")
            continue
        members.append(member)
    if declared > limits.max_unpacked_bytes:
        problems.append(Problem(label, None, None, "archive.unpacked_too_large",
                                {"size": _mb(declared), "limit": _mb(limits.max_unpacked_bytes)}, str(declared)))
    if problems:
        raise DataError(problems)
    return members


def extract_shapefile(path: Path, label: str, folder: Path, limits: Limits) -> Path:
    """Unpack the one Shapefile of a checked zip into `folder` as `boundary.*`; returns the .shp path.

    Sub-folders inside the archive are fine; only the Shapefile's own parts are written.
    """
    members = inspect_archive(path, label, limits, limits.member_suffixes)
    shapes = [m for m in members if m.suffix == ".shp" and not m.junk]
    if len(shapes) != 1:
        raise DataError([shapes_problem(label, [m.name for m in shapes])])
    stem = shapes[0].stem
    parts = {m.suffix: m for m in members if not m.junk and m.stem == stem and m.suffix in SHAPEFILE_PARTS}
    missing = [s for s in REQUIRED_PARTS if s not in parts]
    if missing:
        raise DataError([Problem(label, None, None, "archive.parts_missing", {"parts": ", ".join(missing)},
                                 shapes[0].name)])
    budget = limits.max_unpacked_bytes
    with zipfile.ZipFile(path) as archive:
        for suffix, member in parts.items():
            target = folder / f"boundary{suffix}"
            written = 0
            with archive.open(member.info) as source, open(target, "xb") as sink:
                while chunk := source.read(COPY_CHUNK):
                    written += len(chunk)
                    budget -= len(chunk)
                    if budget < 0 or written > member.info.file_size:
                        raise DataError([Problem(label, None, None, "archive.more_than_declared", {}, member.name)])
                    sink.write(chunk)
    return folder / "boundary.shp"


def check_workbook(path: Path, label: str, limits: Limits) -> None:
    """Bomb checks for an .xlsx (a zip of XML parts) before a spreadsheet reader opens it."""
    if not zipfile.is_zipfile(path):
        raise DataError([Problem(label, None, None, "table.not_workbook")])
    inspect_archive(path, label, limits, None)


def _format_problem(label: str, suffix: str, role: str, allowed: tuple[str, ...]) -> Problem:
    code = "upload.boundary_format" if role == "boundaries" else "upload.format"
    return Problem(label, None, None, code, {"suffix": suffix or "–", "role": Phrase(f"problem.role.{role}"),
                                             "allowed": " ".join(allowed)}, suffix)


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB / 10 else f"{size} bytes"


def shapes_problem(label: str, shapes: list[str]) -> Problem:
    """A zip that holds no Shapefile, or more than one."""
    if not shapes:
        return Problem(label, None, None, "archive.no_shape")
    return Problem(label, None, None, "archive.many_shapes", {"count": len(shapes), "names": ", ".join(shapes)})
