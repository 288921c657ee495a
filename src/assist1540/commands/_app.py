"""The Typer app, its global options, and the error handling every command shares."""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from assist1540 import console
from assist1540.commands._lazy import LazyGroup
from assist1540.errors import Assist1540Error

logger = logging.getLogger(__name__)

app = typer.Typer(
    name="assist1540",
    cls=LazyGroup,
    help="Match requests for assistance under resolution 1540 with the providers "
    "that offer it, and keep the records in a git repository.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

RepoOption = Annotated[
    Path | None,
    typer.Option(
        "--repo",
        help="Data repository folder (default: $ASSIST1540_REPO, else the nearest "
        "parent folder with assist1540.toml).",
        show_default=False,
    ),
]

CommandT = TypeVar("CommandT", bound=Callable[..., Any])


class _State:
    repo: Path | None = None
    debug: bool = False


_state = _State()


def user_errors(command: CommandT) -> CommandT:
    """Print user errors without a traceback; anything else is a bug (exit 2)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except Assist1540Error as error:
            for line in str(error).splitlines():
                console.print_message(line if error.problems else f"error: {line}")
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            console.print_message("interrupted; no file was left half-written")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            # The reader of the output stopped early (`| head`): not an error.
            # Python would report the next flush of stdout at exit, so point
            # stdout at /dev/null first.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as error:
            if _state.debug:
                raise
            console.print_message(
                f"internal error: {type(error).__name__}: {error}. This is a bug in "
                "assist1540; rerun with --debug for the traceback and report it."
            )
            raise typer.Exit(EXIT_USAGE) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def main_options(
    repo: RepoOption = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show every file read and step.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Show only warnings and errors.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of internal errors.")
    ] = False,
) -> None:
    """Match requests for assistance under resolution 1540 with providers."""
    console.reset_consoles()
    console.setup_logging(verbose, quiet)
    _state.repo = repo
    _state.debug = debug


def find_repository(repo: Path | None) -> Any:
    from assist1540.repository import DataRepository

    return DataRepository.find(repo if repo is not None else _state.repo)


def raise_usage(message: str) -> None:
    from assist1540.errors import UsageError

    raise UsageError(message)
