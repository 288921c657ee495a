"""The two terminal consoles and logging; the only module that imports rich.

Data (tables, ids, JSON) goes to stdout, everything else to stderr. Markup is
off, so text from records such as `[bold]` prints literally. Rich is imported
only when a line needs it: plain text to a pipe or a file is written directly,
which saves the import in most runs.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

# Width of output that goes to a file or a pipe when COLUMNS is unset, wide
# enough that tables and messages are never wrapped mid-word.
PIPE_WIDTH = 1000


class _Channel:
    """One output stream and its rich console, which is created on first use."""

    def __init__(self, stderr: bool) -> None:
        self.stderr = stderr
        self.stream: TextIO | None = None
        self._console: Console | None = None

    @property
    def file(self) -> TextIO:
        """The stream written to: the bound one, else the current sys stream."""
        if self.stream is not None:
            return self.stream
        return sys.stderr if self.stderr else sys.stdout

    def bind(self, stream: TextIO) -> None:
        self.stream = stream
        self._console = None

    def console(self) -> Console:
        if self._console is None:
            self._console = _console(self.stream, self.stderr)
        return self._console


_out = _Channel(stderr=False)
_err = _Channel(stderr=True)


def reset_consoles() -> None:
    """Point the consoles at the current sys.stdout and sys.stderr.

    Test runners swap the streams after import, so each command call rebinds.
    """
    _out.bind(sys.stdout)
    _err.bind(sys.stderr)


def _console(stream: TextIO | None, stderr: bool) -> Console:
    from rich.console import Console

    if stream is None:
        return Console(stderr=stderr, markup=False, highlight=False, soft_wrap=True)
    width = None
    if not stream.isatty() and not os.environ.get("COLUMNS"):
        width = PIPE_WIDTH
    return Console(
        file=stream, markup=False, highlight=False, soft_wrap=True, width=width
    )


class _LevelFormatter(logging.Formatter):
    """Format records as `warning: message`, like compilers; INFO has no prefix."""

    def format(self, record: logging.LogRecord) -> str:
        message = super().format(record)
        if record.levelno == logging.INFO:
            return message
        return f"{record.levelname.lower()}: {message}"


def setup_logging(verbose: bool, quiet: bool) -> None:
    level = logging.INFO
    if verbose:
        level = logging.DEBUG
    elif quiet:
        level = logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LevelFormatter("%(message)s"))
    root = logging.getLogger("assist1540")
    root.handlers = [handler]
    root.setLevel(level)
    root.propagate = False


# Characters that could move the cursor or recolour the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _prints_as_is(text: str, stream: TextIO, style: str | None) -> bool:
    """Return whether rich would print `text` unchanged, so rich can be skipped.

    Rich strips or escapes control characters and expands tabs. A style only
    shows on a terminal, which rich also assumes when FORCE_COLOR is set or,
    from rich 14, when TTY_COMPATIBLE is 1.
    """
    if _CONTROL.search(text) is not None or "\t" in text:
        return False
    if style is None:
        return True
    if "FORCE_COLOR" in os.environ or os.environ.get("TTY_COMPATIBLE") == "1":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return isatty is None or not isatty()
    except ValueError:
        return True


def print_data(text: str) -> None:
    """Print data on stdout, exactly as given.

    Text without control characters (JSON always, since it escapes them) is
    written straight to the stream, which is much faster for large output.
    """
    if _CONTROL.search(text) is None:
        stream = _out.file
        stream.write(text + "\n")
        stream.flush()
        return
    from rich.text import Text

    _out.console().print(Text(text), soft_wrap=True)


def print_message(text: str, style: str | None = None) -> None:
    """Print one line for the user on stderr."""
    stream = _err.file
    if _prints_as_is(text, stream, style):
        stream.write(text + "\n")
        stream.flush()
        return
    from rich.text import Text

    _err.console().print(Text(text, style=style or ""), soft_wrap=True)


def print_table(
    title: str,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[Sequence[str]],
    caption: str | None = None,
) -> None:
    """Print a table on stdout; columns are (header, justify) pairs."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title), caption=Text(caption) if caption else None)
    for header, justify in columns:
        table.add_column(Text(header), justify=justify, overflow="fold")  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    out = _out.console()
    out.print(table, soft_wrap=not out.is_terminal)
