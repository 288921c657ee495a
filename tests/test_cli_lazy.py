"""The lazy command table against the commands the modules really register."""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
import textwrap

import pytest

import assist1540.commands as commands_package
from assist1540.commands._app import app
from assist1540.commands._lazy import (
    COMMANDS,
    COMMANDS_PACKAGE,
    LazyCommand,
    LazyCommands,
    registered_name,
)
from conftest import run_cli

# The command line as it was built before lazy loading: every command module
# imported up front, in alphabetical order, and Typer's own group class.
EAGER_HELP = textwrap.dedent(
    """\
    import importlib, pkgutil, sys
    import typer.main
    from typer.core import TyperGroup
    import assist1540.commands as package
    from assist1540.commands._app import app
    for module in sorted(pkgutil.iter_modules(package.__path__)):
        if not module.name.startswith("_"):
            importlib.import_module(f"assist1540.commands.{module.name}")
    app.info.cls = TyperGroup
    typer.main.get_command(app)(sys.argv[1:], prog_name="assist1540")
    """
)

LAZY_HELP = textwrap.dedent(
    """\
    import sys
    from assist1540.cli import app
    app(sys.argv[1:], prog_name="assist1540")
    """
)


def command_modules() -> list[str]:
    """Return the names of the modules in assist1540.commands that register commands."""
    return sorted(
        module.name
        for module in pkgutil.iter_modules(commands_package.__path__)
        if not module.name.startswith("_")
    )


def registered_names() -> set[str]:
    """Import every command module and return the names registered on the app."""
    for module in command_modules():
        importlib.import_module(f"{COMMANDS_PACKAGE}.{module}")
    infos = [*app.registered_commands, *app.registered_groups]
    return {name for name in map(registered_name, infos) if name is not None}


def run_help(code: list[str], columns: int) -> str:
    environment = {**os.environ, "COLUMNS": str(columns)}
    completed = subprocess.run(
        [sys.executable, *code, "--help"],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    return completed.stdout


def test_table_names_every_registered_command() -> None:
    names = [entry.name for entry in COMMANDS]

    assert len(names) == len(set(names))
    assert set(names) == registered_names()


def test_table_modules_exist() -> None:
    modules = set(command_modules())

    for entry in COMMANDS:
        assert entry.modules, entry.name
        assert set(entry.modules) <= modules, entry.name


@pytest.mark.parametrize("entry", COMMANDS, ids=lambda entry: entry.name)
def test_table_help_matches_command(entry: LazyCommand) -> None:
    command = LazyCommands(app)[entry.name]
    help_text = command.help or ""

    assert command.name == entry.name
    assert help_text.split("\n\n")[0] == entry.help
    assert command.short_help is None
    assert not command.hidden
    assert not command.deprecated


def test_lookup_imports_only_listed_modules() -> None:
    # A child process starts with no command module imported.
    code = textwrap.dedent(
        """\
        import sys
        from assist1540.commands._app import app
        from assist1540.commands._lazy import LazyCommands
        LazyCommands(app)["validate"]
        prefix = "assist1540.commands."
        print(sorted(name for name in sys.modules if name.startswith(prefix)))
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    loaded = completed.stdout.strip()
    assert "'assist1540.commands.validate'" in loaded
    assert "'assist1540.commands.offers'" not in loaded
    assert "'assist1540.commands.render'" not in loaded


def test_unknown_name_raises_key_error() -> None:
    with pytest.raises(KeyError):
        LazyCommands(app)["no-such-command"]


@pytest.mark.parametrize("columns", [60, 80, 200])
def test_help_equals_eager_help(columns: int) -> None:
    lazy = run_help(["-c", LAZY_HELP], columns)
    eager = run_help(["-c", EAGER_HELP], columns)

    assert "validate" in lazy
    assert lazy == eager


@pytest.mark.parametrize("group", ["report", "offer", "new"])
def test_group_help_equals_eager_help(group: str) -> None:
    lazy = run_help(["-c", LAZY_HELP, group], 100)
    eager = run_help(["-c", EAGER_HELP, group], 100)

    assert lazy == eager


def test_report_group_has_offer_shortcuts() -> None:
    result = run_cli(["report", "--help"])

    assert result.exit_code == 0
    assert "progress" in result.stdout
    assert "completion" in result.stdout


def test_misspelt_command_gets_suggestion() -> None:
    result = run_cli(["valdate"])

    assert result.exit_code == 2
    assert "No such command 'valdate'. Did you mean 'validate'?" in result.stderr


def test_registered_name_of_group_without_name() -> None:
    importlib.import_module(f"{COMMANDS_PACKAGE}.render")
    names = [registered_name(info) for info in app.registered_groups]

    assert "render" in names


def test_report_complete_after_early_import() -> None:
    # Importing `report` alone registers the group without the shortcuts that
    # `offers` adds; a lookup must still import `offers` before converting.
    code = textwrap.dedent(
        """\
        import assist1540.commands.report
        from assist1540.cli import app
        app(["report", "--help"], prog_name="assist1540")
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )

    assert completed.returncode == 0, completed.stderr
    assert "progress" in completed.stdout
    assert "completion" in completed.stdout
