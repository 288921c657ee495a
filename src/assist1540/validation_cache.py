"""A cache of the last full `validate` result, keyed by a hash of all its inputs.

The key covers the bytes and names of the taxonomy and every record file,
`assist1540.toml`, the cache format and the source of the installed package,
so any change to the rules invalidates it. It also covers today's date,
because the rule on dates after today depends on it. The cache lives in
`.git/assist1540-cache/`, so `git status` never shows it, or in
`.assist1540-cache/` at the root outside git. A cache that cannot be read or
written is skipped.

A warm run first compares a snapshot of the same inputs' file status (type,
size, modification and change times, inode) with the one stored. When they are
equal, it prints the stored problems without reading any file. Otherwise it
reads and hashes the files, and reuses the result when the hash matches. Like
git's index, a snapshot is stored only when every input's change time is older
than the moment the snapshot was taken, less RACY_MARGIN_NS. A file changed in
the same clock tick as the snapshot can then still keep its size and times, but
its snapshot is never trusted, and the next run hashes the files again.

When nothing is stored yet and the snapshot is trusted, a run skips the hash and
stores its result without a key, to be reused only while the snapshot stays the
same. After any change, the next run hashes the files and stores the key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assist1540.errors import Problem
from assist1540.validation_report import ValidationReport

logger = logging.getLogger(__name__)

CACHE_FOLDER = ".assist1540-cache"
CACHE_FILE = "validate-v1.json"
RECORD_FOLDERS = ("requests", "offers", "providers", "events")
_PACKAGE = Path(__file__).resolve().parent
# Covers file systems that keep times in steps of up to 2 seconds (FAT) and the
# coarse clock (a few milliseconds) that Linux stamps files with.
RACY_MARGIN_NS = 2_000_000_000


@dataclass(frozen=True)
class Snapshot:
    """A hash of the file status of every input, and whether it may be trusted."""

    digest: str
    trusted: bool


def take_snapshot(
    data_dir: Path, config_file: Path, margin_ns: int = RACY_MARGIN_NS
) -> Snapshot:
    """Hash the status of every input that cache_key reads, reading no file.

    The snapshot is trusted when every input's change time is older than the
    moment it was taken less `margin_ns`.
    """
    taken_ns = time.time_ns()
    lines = [CACHE_FILE, date.today().isoformat(), _dependency_versions()]
    inputs = [
        *((source.relative_to(_PACKAGE).as_posix(), source) for source in _sources()),
        ("config", config_file),
        ("taxonomy", data_dir / "taxonomy.yaml"),
    ]
    changes_ns = [_add_status(lines, name, path) for name, path in inputs]
    lines.append(f"data\0{os.path.realpath(data_dir)}")
    for folder in RECORD_FOLDERS:
        path = data_dir / folder
        lines.append(f"{folder}\0{os.path.realpath(path)}")
        if not path.is_dir():
            continue
        try:
            with os.scandir(path) as listing:
                entries = sorted(listing, key=lambda item: item.name)
        except OSError:
            # Loading the records reports the unreadable folder.
            lines.append(f"{folder}\0unreadable")
            continue
        changes_ns.extend(
            _add_status(lines, f"{folder}/{entry.name}", entry.path)
            for entry in entries
            if not entry.name.startswith(".")
        )
    digest = hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape"))
    return Snapshot(digest.hexdigest(), max(changes_ns) < taken_ns - margin_ns)


def _add_status(lines: list[str], name: str, path: Path | str) -> int:
    """Add a line with a file's status, not following links; return its ctime."""
    try:
        status = os.lstat(path)
    except OSError:
        lines.append(f"{name}\0missing")
        return 0
    lines.append(
        f"{name}\0{status.st_mode} {status.st_size} {status.st_mtime_ns} "
        f"{status.st_ctime_ns} {status.st_ino} {status.st_dev}"
    )
    return status.st_ctime_ns


def _sources() -> list[Path]:
    return sorted(_PACKAGE.rglob("*.py"))


def cache_key(data_dir: Path, config_file: Path) -> str:
    """Hash every input of a full validation run."""
    digest = hashlib.sha256()
    digest.update(f"{CACHE_FILE}\0{date.today().isoformat()}\0".encode())
    digest.update(_dependency_versions().encode())
    for source in _sources():
        _add_file(digest, source.relative_to(_PACKAGE).as_posix(), source)
    _add_file(digest, "config", config_file)
    # Where the folders really are: a folder replaced by a link changes what
    # the reader reports for every file in it.
    digest.update(f"data\0{os.path.realpath(data_dir)}\0".encode("utf-8", "replace"))
    _add_file(digest, "taxonomy", data_dir / "taxonomy.yaml")
    for folder in RECORD_FOLDERS:
        path = data_dir / folder
        digest.update(
            f"{folder}\0{os.path.realpath(path)}\0".encode("utf-8", "replace")
        )
        if not path.is_dir():
            continue
        try:
            with os.scandir(path) as listing:
                entries = sorted(listing, key=lambda item: item.name)
        except OSError:
            digest.update(b"unreadable\0")
            continue
        for entry in entries:
            if not entry.name.startswith("."):
                _add_file(digest, f"{folder}/{entry.name}", entry.path)
    return digest.hexdigest()


def tool_digest() -> str:
    """Hash the package source and the versions of the libraries it relies on."""
    digest = hashlib.sha256(_dependency_versions().encode())
    for source in _sources():
        _add_file(digest, source.relative_to(_PACKAGE).as_posix(), source)
    return digest.hexdigest()


def _dependency_versions() -> str:
    """Name the versions of the libraries whose behaviour shapes the messages."""
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for name in ("pydantic", "pydantic-core", "PyYAML", "ruamel.yaml"):
        try:
            versions.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name}=none")
    return ";".join(versions)


def cache_folder(root: Path) -> Path:
    git_dir = root / ".git"
    if git_dir.is_dir():
        return git_dir / CACHE_FOLDER.lstrip(".")
    return root / CACHE_FOLDER


def load_cached(root: Path, key: str) -> ValidationReport | None:
    """Return the stored report when its key matches, else None.

    Anything unexpected in the cache (not a regular file, not JSON, fields of
    the wrong type) counts as no cache, and the next full run rewrites it.
    """
    stored = _read(root)
    if stored is None or stored.get("key") != key:
        return None
    return _report(stored)


def has_stored(root: Path) -> bool:
    """Return whether anything is stored under the cache file's name."""
    try:
        (cache_folder(root) / CACHE_FILE).lstat()
    except OSError:
        return False
    return True


def load_unchanged(root: Path, snapshot: Snapshot) -> ValidationReport | None:
    """Return the stored report when its snapshot matches a trusted one, else None."""
    if not snapshot.trusted:
        return None
    stored = _read(root)
    if stored is None or stored.get("snapshot") != snapshot.digest:
        return None
    return _report(stored)


def _read(root: Path) -> dict[str, object] | None:
    path = cache_folder(root) / CACHE_FILE
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stored if isinstance(stored, dict) else None


def _report(stored: dict[str, object]) -> ValidationReport | None:
    try:
        checked = stored["checked_files"]
        items = stored["problems"]
        if not isinstance(items, list):
            return None
        problems = [_problem(item) for item in items]
        if not isinstance(checked, int) or isinstance(checked, bool):
            return None
        return ValidationReport(problems, checked)
    except (KeyError, TypeError, AttributeError):
        return None


def _problem(item: object) -> Problem:
    """Rebuild a stored problem, raising TypeError on a field of the wrong type."""
    if not isinstance(item, dict):
        raise TypeError("stored problem is not a mapping")
    texts = ("path", "field", "message", "severity")
    numbers = ("line", "column")
    if any(not isinstance(item.get(name), str) for name in texts):
        raise TypeError("stored problem has a field that is not text")
    if any(type(item.get(name)) is not int for name in numbers):
        raise TypeError("stored problem has a position that is not a number")
    if item["severity"] not in ("error", "warning") or len(item) != 6:
        raise TypeError("stored problem has unexpected fields")
    return Problem(**item)


def store(
    root: Path,
    key: str | None,
    report: ValidationReport,
    snapshot: Snapshot | None = None,
) -> None:
    """Keep the report for the next run; a failure to write is only logged.

    The snapshot is kept only when it is trusted. Without a key (None), only an
    unchanged snapshot can reuse the report.
    """
    folder = cache_folder(root)
    content = {
        "key": key,
        "snapshot": snapshot.digest if snapshot and snapshot.trusted else None,
        "checked_files": report.checked_files,
        "problems": [problem.__dict__ for problem in report.problems],
    }
    temporary = folder / f".{CACHE_FILE}.{os.getpid()}.tmp"
    written = False
    try:
        folder.mkdir(exist_ok=True)
        temporary.write_text(json.dumps(content), encoding="utf-8")
        temporary.replace(folder / CACHE_FILE)
        written = True
    except OSError as error:
        logger.debug("validation cache not written: %s", error)
    finally:
        if not written:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def _add_file(digest: hashlib._Hash, name: str, path: Path | str) -> None:
    """Hash a regular file's bytes; hash only what any other entry is.

    Links, FIFOs and devices are never opened, so the key cannot hang or read
    an endless file, and a link and a plain file with the same bytes differ.
    """
    digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            target = Path(path).readlink()
            content = f"\0link:{target}\0".encode("utf-8", "replace")
        elif not stat.S_ISREG(mode):
            content = f"\0mode:{stat.S_IFMT(mode)}\0".encode()
        else:
            # Unbuffered: one read of the whole file, without the buffered
            # reader's overhead (about 10 % of hashing the 100x benchmark).
            with Path(path).open("rb", buffering=0) as stream:
                content = stream.read()
    except OSError:
        content = b"\0missing\0"
    digest.update(len(content).to_bytes(8, "big"))
    digest.update(content)
