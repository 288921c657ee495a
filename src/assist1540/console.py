"""The two terminal consoles and logging; the only module that imports rich.

`out` carries data (tables, ids, JSON) on stdout, `err` everything else on
stderr. Markup is off, so text from records such as `[bold]` prints literally.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.logging import RichHandler
from rich.table import Table
from rich.text import Text

out = Console(markup=False, highlight=False, soft_wrap=True)
err = Console(stderr=True, markup=False, highlight=False, soft_wrap=True)


def reset_consoles() -> None:
    """Point the consoles at the current sys.stdout and sys.stderr.

    Test runners swap the streams after import, so each command call rebinds.
    """
    global out, err
    out = Console(file=sys.stdout, markup=False, highlight=False, soft_wrap=True)
    err = Console(file=sys.stderr, markup=False, highlight=False, soft_wrap=True)


def setup_logging(verbose: bool, quiet: bool) -> None:
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    handler = RichHandler(
        console=err,
        show_time=False,
        show_path=False,
        markup=False,
        rich_tracebacks=False,
    )
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger("assist1540")
    root.handlers = [handler]
    root.setLevel(level)
    root.propagate = False


def print_data(text: str) -> None:
    """Print one line of data on stdout, exactly as given."""
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
