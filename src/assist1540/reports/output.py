"""Choose a report's output format from --format or the --out suffix, and write it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from assist1540.errors import Assist1540Error, UsageError
from assist1540.writer import atomic_write

# Suffixes of --out that name a format, when --format is not given.
SUFFIX_FORMATS = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".json": "json",
}


class OutputError(Assist1540Error):
    """A report file that cannot be written where --out points."""


def choose_format(
    given: str | None, out: Path | None, allowed: Sequence[str], default: str | None
) -> str | None:
    """Return --format if given, else the format of the --out suffix, else `default`.

    Raises:
        UsageError: when --format is not in `allowed`, or when --format is not
            given and the --out suffix names a format that is not allowed.
    """
    if given is not None:
        if given not in allowed:
            raise UsageError(f"invalid --format '{given}'; use {_either(allowed)}")
        return given
    if out is None:
        return default
    found = SUFFIX_FORMATS.get(out.suffix.lower())
    if found is None:
        return default
    if found not in allowed:
        raise UsageError(
            f"--out {out} names a {found} file, which this command does not write; "
            f"give a file ending in {_either(['.' + name for name in allowed])}, "
            "or a --format"
        )
    return found


def parse_day(option: str, text: str | None) -> date | None:
    """Parse a YYYY-MM-DD option value; None stays None."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"invalid {option} '{text}'; write the day as YYYY-MM-DD, e.g. 2026-03-02"
        ) from None


def write_output(path: Path, content: bytes) -> None:
    """Write `content` to `path` atomically, creating its folder.

    Raises:
        OutputError: when `path` is a folder or cannot be written.
    """
    if path.is_dir():
        raise OutputError(
            f"--out {path} is a folder; give the path of a file, inside it or elsewhere"
        )
    try:
        atomic_write(path, content)
    except OSError as error:
        raise OutputError(
            f"cannot write {path}: {error.strerror or error}; choose another --out"
        ) from None


def _either(names: Sequence[str]) -> str:
    quoted = list(names)
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
