"""The `assist1540` command line: the console script's entry point."""

from __future__ import annotations

import signal
import sys
from types import FrameType

from assist1540.commands._app import app

__all__ = ["app", "main"]


def main() -> None:
    """Run the command line; the console script's entry point."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    # A termination request (kill, a CI timeout) then unwinds like Ctrl-C, so
    # a failed step is rolled back and temporary files are removed.
    signal.signal(signal.SIGTERM, _interrupt)
    app()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    main()
