"""A cache of the last full `validate` result, keyed by a hash of all its inputs.

The key covers the bytes and names of the taxonomy and every record file,
`assist1540.toml`, the cache format and the source of the installed package,
so any change to the rules invalidates it. It also covers today's date,
because the rule on dates after today depends on it. A warm run with nothing
changed reads and hashes the files, then prints the stored problems without
loading any record. The cache lives in `.git/assist1540-cache/`, so `git
status` never shows it, or in `.assist1540-cache/` at the root outside git. A
cache that cannot be read or written is skipped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from datetime import date
from pathlib import Path

from assist1540.errors import Problem
from assist1540.validation_report import ValidationReport

logger = logging.getLogger(__name__)

CACHE_FOLDER = ".assist1540-cache"
CACHE_FILE = "validate-v1.json"
RECORD_FOLDERS = ("requests", "offers", "providers", "events")
_PACKAGE = Path(__file__).resolve().parent


def cache_key(data_dir: Path, config_file: Path) -> str:
    """Hash every input of a full validation run."""
    digest = hashlib.sha256()
    digest.update(f"{CACHE_FILE}\0{date.today().isoformat()}\0".encode())
    for source in sorted(_PACKAGE.rglob("*.py")):
        _add_file(digest, source.relative_to(_PACKAGE).as_posix(), source)
    _add_file(digest, "config", config_file)
    _add_file(digest, "taxonomy", data_dir / "taxonomy.yaml")
    for folder in RECORD_FOLDERS:
        path = data_dir / folder
        if not path.is_dir():
            continue
        for entry in sorted(os.scandir(path), key=lambda item: item.name):
            if entry.name.startswith("."):
                continue
            name = f"{folder}/{entry.name}"
            if entry.is_file(follow_symlinks=False):
                _add_file(digest, name, Path(entry.path))
            else:
                # Links and other non-files are rejected by the reader; hash
                # what they are, never what they point to.
                target = (
                    str(Path(entry.path).readlink()) if entry.is_symlink() else "other"
                )
                digest.update(f"{name}\0link:{target}\0".encode("utf-8", "replace"))
    return digest.hexdigest()


def cache_folder(root: Path) -> Path:
    git_dir = root / ".git"
    if git_dir.is_dir():
        return git_dir / CACHE_FOLDER.lstrip(".")
    return root / CACHE_FOLDER


def load_cached(root: Path, key: str) -> ValidationReport | None:
    """Return the stored report when its key matches, else None."""
    path = cache_folder(root) / CACHE_FILE
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored.get("key") != key:
            return None
        problems = [Problem(**problem) for problem in stored["problems"]]
        return ValidationReport(problems, int(stored["checked_files"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(root: Path, key: str, report: ValidationReport) -> None:
    """Keep the report for the next run; a failure to write is only logged."""
    folder = cache_folder(root)
    content = {
        "key": key,
        "checked_files": report.checked_files,
        "problems": [problem.__dict__ for problem in report.problems],
    }
    try:
        folder.mkdir(exist_ok=True)
        temporary = folder / f".{CACHE_FILE}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(content), encoding="utf-8")
        temporary.replace(folder / CACHE_FILE)
    except OSError as error:
        logger.debug("validation cache not written: %s", error)


def _add_file(digest: hashlib._Hash, name: str, path: Path) -> None:
    digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
    try:
        with path.open("rb") as stream:
            content = stream.read()
    except OSError:
        content = b"\0missing\0"
    digest.update(len(content).to_bytes(8, "big"))
    digest.update(content)
