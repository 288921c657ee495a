"""Messages written without rich must read exactly as rich prints them."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text

from assist1540 import console

PROJECT_ROOT = Path(__file__).resolve().parents[1]

SAMPLES = [
    "plain",
    "3 files checked: 0 errors",
    "trailing spaces   ",
    "[bold]markup stays literal[/bold]",
    ":smile: is no emoji here",
    "wide 漢字 " * 40,
    "combining e\u0301 and zero\u200bwidth",
    "emoji 👍🏽",
    "two\nlines",
    "",
    "x" * 3000,
]


def rich_output(text: str, style: str | None) -> str:
    stream = io.StringIO()
    printer = Console(
        file=stream, markup=False, highlight=False, soft_wrap=True, width=80
    )
    printer.print(Text(text, style=style or ""), soft_wrap=True)
    return stream.getvalue()


def rich_output_forced(text: str, style: str) -> str:
    stream = io.StringIO()
    printer = Console(file=stream, markup=False, highlight=False, soft_wrap=True)
    printer.print(Text(text, style=style), soft_wrap=True)
    return stream.getvalue()


def message_output(
    text: str, style: str | None, monkeypatch: pytest.MonkeyPatch
) -> str:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    console.reset_consoles()
    console.print_message(text, style)
    return stream.getvalue()


@pytest.mark.parametrize("style", [None, "green", "red"])
@pytest.mark.parametrize("text", SAMPLES)
def test_message_equals_rich_output(
    text: str, style: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)

    assert message_output(text, style, monkeypatch) == rich_output(text, style)


def test_message_expands_tab(monkeypatch: pytest.MonkeyPatch) -> None:
    written = message_output("a\tb", None, monkeypatch)

    assert written == "a       b\n"


def test_message_strips_carriage_return(monkeypatch: pytest.MonkeyPatch) -> None:
    written = message_output("a\rb", None, monkeypatch)

    assert written == rich_output("a\rb", None)
    assert "\r" not in written


def test_message_colour_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")

    written = message_output("ok", "green", monkeypatch)

    assert "\x1b[" in written
    assert "ok" in written


def test_data_with_control_character_is_escaped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stream)
    console.reset_consoles()

    console.print_data("bell\x07here")

    assert stream.getvalue() == "bellhere\n"


def test_table_prints_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stream)
    console.reset_consoles()

    console.print_table("Requests", [("Id", "left")], [["mex-2006"]])

    assert "Requests" in stream.getvalue()
    assert "mex-2006" in stream.getvalue()


def test_message_colour_tty_compatible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TERM", "xterm")

    written = message_output("ok", "green", monkeypatch)

    assert written == rich_output_forced("ok", "green")
    assert "\x1b[" in written


def test_closed_pipe_ends_quietly() -> None:
    # Enough JSON to fill the pipe's buffer, so writing fails once it closes.
    command = [sys.executable, "-m", "assist1540.cli", "match", "--json", "--top", "50"]
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    process.stdout.close()
    _, errors = process.communicate(timeout=60)

    assert first == b"[\n"
    assert process.returncode == 0
    assert errors == b""
