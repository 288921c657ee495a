"""The two terminal consoles and logging; the only module that imports rich.

`out` carries data (tables, ids, JSON) on stdout, `err` everything else on
stderr. Markup is off, so text from records such as `[bold]` prints literally.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterable, Sequence
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

out = Console(markup=False, highlight=False, soft_wrap=True)
err = Console(stderr=True, markup=False, highlight=False, soft_wrap=True)


# Width of output that goes to a file or a pipe when COLUMNS is unset, wide
# enough that tables and messages are never wrapped mid-word.
PIPE_WIDTH = 1000


def reset_consoles() -> None:
    """Point the consoles at the current sys.stdout and sys.stderr.

    Test runners swap the streams after import, so each command call rebinds.
    """
    global out, err
    out = _console(sys.stdout)
    err = _console(sys.stderr)


def _console(stream: TextIO) -> Console:
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


def print_data(text: str) -> None:
    """Print data on stdout, exactly as given.

    Text without control characters (JSON always, since it escapes them) is
    written straight to the stream, which is much faster for large output.
    """
    if _CONTROL.search(text) is None:
        out.file.write(text + "\n")
        out.file.flush()
        return
    out.print(Text(text), soft_wrap=True)


def print_message(text: str, style: str | None = None) -> None:
    """Print one line for the user on stderr."""
    err.print(Text(text, style=style or ""), soft_wrap=True)


def print_table(
    title: str,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[Sequence[str]],
    caption: str | None = None,
) -> None:
    """Print a table on stdout; columns are (header, justify) pairs."""
    table = Table(title=Text(title), caption=Text(caption) if caption else None)
    for header, justify in columns:
        table.add_column(Text(header), justify=justify, overflow="fold")  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    out.print(table, soft_wrap=not out.is_terminal)
