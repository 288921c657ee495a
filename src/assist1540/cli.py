"""The `assist1540` command line: the console script's entry point."""

from __future__ import annotations

import sys

from assist1540.commands._app import app

__all__ = ["app", "main"]


def main() -> None:
    """Run the command line; the console script's entry point."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    app()


if __name__ == "__main__":
    main()
