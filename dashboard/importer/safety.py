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

from ..errors import DataError, Problem

MB = 1024 * 1024
TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")
BOUNDARY_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip")
CONFIG_SUFFIXES = (".toml",)
READABLE_SUFFIXES = TABLE_SUFFIXES + BOUNDARY_SUFFIXES
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


def check_input(file: InputFile, role: str, allowed: tuple[str, ...], limits: Limits) -> list[Problem]:
    """Problems that forbid reading `file` at all (missing, wrong type, too large)."""
    label = file.name
    if not file.path.is_file():
        return [Problem(label, None, None, "the file does not exist or is not a regular file",
                        "Check the path and pass the file itself, not a folder.")]
    if file.suffix not in allowed:
        return [Problem(label, None, None, f"'{file.suffix or 'no suffix'}' is not a {role} format CareGap reads",
                        f"Use one of {' '.join(allowed)}"
                        + (" (zip the Shapefile with its .shx, .dbf and .prj)." if role == "boundaries" else "."),
                        file.suffix)]
    size = file.path.stat().st_size
    if size > limits.max_file_bytes:
        return [Problem(label, None, None, f"the file is {_mb(size)}, more than the limit of {_mb(limits.max_file_bytes)}",
                        "Remove what the import does not need (other years, columns or regions) or ask the "
                        "administrator to raise the limit.", str(size))]
    return []


def check_total(files: list[InputFile], limits: Limits) -> list[Problem]:
    total = sum(f.path.stat().st_size for f in files if f.path.is_file())
    if total > limits.max_total_bytes:
        return [Problem("upload", None, None, f"the files together are {_mb(total)}, more than the limit of "
                        f"{_mb(limits.max_total_bytes)}", "Import fewer or smaller files.", str(total))]
    return []


def stage_upload(data: bytes, filename: str, folder: Path, role: str, limits: Limits = Limits()) -> InputFile:
    """Write uploaded bytes under a generated name in `folder`; for the web upload page.

    The suffix (checked against the role's formats) is the only part of the client's name that is
    used in the path; the name itself is kept for the report. Raises DataError if refused.
    """
    allowed = TABLE_SUFFIXES if role in ("population", "services") else (
        BOUNDARY_SUFFIXES if role == "boundaries" else CONFIG_SUFFIXES)
    shown = display_name(filename)
    suffix = PurePosixPath(shown).suffix.lower()
    if suffix not in allowed:
        raise DataError([Problem(shown, None, None, f"'{suffix or 'no suffix'}' is not a {role} format CareGap reads",
                                 f"Use one of {' '.join(allowed)}.", suffix)])
    if len(data) > limits.max_file_bytes:
        raise DataError([Problem(shown, None, None, f"the file is {_mb(len(data))}, more than the limit of "
                                 f"{_mb(limits.max_file_bytes)}", "Upload a smaller file.", str(len(data)))])
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
        raise DataError([Problem(label, None, None, f"the file is not a readable zip archive ({exc})",
                                 "Create the archive again (e.g. 'Send to → Compressed folder').")]) from exc
    with archive:
        infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise DataError([Problem(label, None, None, f"the archive holds {len(infos)} files, more than the limit of "
                                 f"{limits.max_members}", "Zip only the Shapefile's parts.", str(len(infos)))])
    problems: list[Problem] = []

    def refuse(name: str, message: str, hint: str) -> None:
        problems.append(Problem(label, None, None, message, hint, name))

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
            refuse(raw, "an archive member's name contains control characters", "Rename the file and zip it again.")
            continue
        if name.startswith("/") or _DRIVE.match(name):
            refuse(raw, "an archive member has an absolute path", "Zip the files with relative paths only.")
            continue
        if ".." in parts:
            refuse(raw, "an archive member's path leaves the archive ('..')", "Zip the files with relative paths only.")
            continue
        if kind == stat.S_IFLNK:
            refuse(raw, "an archive member is a symbolic link", "Zip the files themselves, not links to them.")
            continue
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            refuse(raw, "an archive member is a special file (device, pipe or socket)", "Zip regular files only.")
            continue
        if info.flag_bits & 0x1:
            refuse(raw, "an archive member is encrypted", "Zip the files without a password.")
            continue
        if info.is_dir() or kind == stat.S_IFDIR:
            continue
        junk = bool(_MAC_JUNK.search(name))
        member = Member(info, "/".join(parts), junk)
        if not junk and member_suffixes is not None and member.suffix not in member_suffixes:
            refuse(raw, f"the archive holds a '{member.suffix or 'no suffix'}' file",
                   f"An archive may only hold a Shapefile's parts ({' '.join(member_suffixes)}); remove the others.")
            continue
        if member.name.lower() in seen:
            refuse(raw, "the archive holds two files of the same name", "Zip each file once.")
            continue
        seen.add(member.name.lower())
        declared += info.file_size
        if info.file_size >= limits.ratio_min_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            refuse(raw, f"an archive member unpacks to {ratio:.0f} times its packed size (limit {limits.max_ratio:.0f})",
                   "This looks like a zip bomb; zip the real files again.")
            continue
        members.append(member)
    if declared > limits.max_unpacked_bytes:
        problems.append(Problem(label, None, None, f"the archive unpacks to {_mb(declared)}, more than the limit of "
                                f"{_mb(limits.max_unpacked_bytes)}", "Zip only the Shapefile's parts.", str(declared)))
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
        found = "no .shp file" if not shapes else f"{len(shapes)} .shp files ({', '.join(m.name for m in shapes)})"
        raise DataError([Problem(label, None, None, f"the archive holds {found}",
                                 "Zip exactly one Shapefile (.shp with its .shx, .dbf and .prj).")])
    stem = shapes[0].stem
    parts = {m.suffix: m for m in members if not m.junk and m.stem == stem and m.suffix in SHAPEFILE_PARTS}
    missing = [s for s in REQUIRED_PARTS if s not in parts]
    if missing:
        raise DataError([Problem(label, None, None, f"the Shapefile lacks its {', '.join(missing)} part(s)",
                                 "Zip all files of the Shapefile with the same name (.shp, .shx, .dbf and .prj).",
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
                        raise DataError([Problem(label, None, None, "an archive member unpacks to more than it declares",
                                                 "This looks like a zip bomb; zip the real files again.", member.name)])
                    sink.write(chunk)
    return folder / "boundary.shp"


def check_workbook(path: Path, label: str, limits: Limits) -> None:
    """Bomb checks for an .xlsx (a zip of XML parts) before a spreadsheet reader opens it."""
    if not zipfile.is_zipfile(path):
        raise DataError([Problem(label, None, None, "the file is not an Excel workbook (.xlsx)",
                                 "Save it again as .xlsx (not .xls), or as CSV.")])
    inspect_archive(path, label, limits, None)


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB / 10 else f"{size} bytes"
