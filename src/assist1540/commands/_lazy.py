"""Lazy loading of the command modules, so each run imports only what it uses.

The command line lists every command in its help, but a command's module, and
Typer's conversion of its parameters, is only loaded when the command runs or
prints its own help. `COMMANDS` contains what `assist1540 --help` shows without
loading anything, and a test checks it against the modules' real commands.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from gettext import gettext
from typing import TYPE_CHECKING, Any

import typer.main
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo, TyperInfo

if TYPE_CHECKING:
    from typer._click import Command, Context, HelpFormatter


@dataclass(frozen=True)
class LazyCommand:
    """A command as `--help` lists it, and the modules that register it."""

    name: str
    modules: tuple[str, ...]
    help: str


def _command(name: str, *modules: str, help: str) -> LazyCommand:
    return LazyCommand(name, modules, help)


# The order is the order of `assist1540 --help`: single commands first, then
# the groups. `help` is the first paragraph of the command's own help text.
# Each module is a name under assist1540.commands, imported in the given order:
# `report` needs `offers` too, because offers registers `report progress` and
# `report completion`.
COMMANDS: tuple[LazyCommand, ...] = (
    _command(
        "export",
        "export",
        help="Write the records as a flat table, with IATI activity status codes.",
    ),
    _command(
        "history",
        "history",
        help="Show who changed a record, when, in which commit, and which fields, "
        "newest first.",
    ),
    _command(
        "import-reference",
        "import_reference",
        help="Import taxonomy, requests and providers; file names become record ids.",
    ),
    _command(
        "init",
        "init",
        help="Create a data repository: git, folders, taxonomy, templates, schemas "
        "and CI.",
    ),
    _command(
        "match",
        "match",
        help="Rank providers, programmes and offers on file for each request item.",
    ),
    _command(
        "feedback",
        "offers",
        help="Record feedback on completed assistance from the State or the provider.",
    ),
    _command(
        "status",
        "overview",
        help="Show a request's or an offer's fields, items, history and offers.",
    ),
    _command(
        "list",
        "overview",
        help="List requests with their status and offers, filtered by the options.",
    ),
    _command(
        "due",
        "overview",
        help="List the steps due or overdue by the timers, with the letter for each.",
    ),
    _command(
        "intake",
        "requests",
        help="Record a newly received request; prints its new id on stdout.",
    ),
    _command(
        "authenticate",
        "requests",
        help="Record that the request was checked to come from the State.",
    ),
    _command(
        "acknowledge",
        "requests",
        help="Record the acknowledgement of receipt and write its letter.",
    ),
    _command(
        "distribute",
        "requests",
        help="Record distribution to potential providers, and posting if consented.",
    ),
    _command(
        "consent",
        "requests",
        help="Record the State's consent to posting its request, or its refusal.",
    ),
    _command(
        "close",
        "requests",
        help="Close a request as met, withdrawn or lapsed.",
    ),
    _command(
        "formalise",
        "requests",
        help="Record that an informal request now came in proper form from the State.",
    ),
    _command(
        "review",
        "review",
        help="Describe new, removed and renamed records, steps, offers and consent "
        "changes.",
    ),
    _command(
        "schema",
        "schema",
        help="Print or write JSON Schemas; taxonomy ids come from the repository's "
        "taxonomy.",
    ),
    _command(
        "validate",
        "validate",
        help="Check every record: syntax, fields, taxonomy ids, dates, references, "
        "consent.",
    ),
    _command(
        "briefing",
        "briefings",
        help="Record the experts' briefings of the Committee.",
    ),
    _command(
        "event",
        "events",
        help="Record assistance conferences and their participants.",
    ),
    _command(
        "new",
        "new",
        help="Create a record with a fresh id, from options, or by asking for the "
        "missing ones when run in a terminal.",
    ),
    _command(
        "offer",
        "offers",
        help="Record offers of assistance and the steps each one goes through.",
    ),
    _command(
        "report",
        "report",
        "offers",
        help="Reports for the Committee: coverage, briefings and charts.",
    ),
    _command(
        "provider",
        "providers",
        help="Keep the Committee's list of assistance providers and their programmes.",
    ),
    _command(
        "render",
        "render",
        help="Write letters and the public website from the templates.",
    ),
)

COMMANDS_PACKAGE = "assist1540.commands"


def registered_name(info: CommandInfo | TyperInfo) -> str | None:
    """Return the name under which Typer lists a registered command or group."""
    if isinstance(info, CommandInfo):
        if info.name:
            return info.name
        if info.callback is None:
            return None
        return typer.main.get_command_name(info.callback.__name__)
    solved = typer.main.solve_typer_info_defaults(info)
    return solved.name or None


class LazyCommands(Mapping[str, "Command"]):
    """The root group's commands, converted to Click commands on first access.

    Iteration follows `COMMANDS` and loads nothing. Looking a command up imports
    all its modules, even those imported before, and converts only that
    command's registration on `app`.
    """

    def __init__(self, app: typer.Typer) -> None:
        self._app = app
        self._entries = {entry.name: entry for entry in COMMANDS}
        self._converted: dict[str, Command] = {}

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __getitem__(self, name: str) -> Command:
        command = self._converted.get(name)
        if command is not None:
            return command
        entry = self._entries[name]
        for module in entry.modules:
            importlib.import_module(f"{COMMANDS_PACKAGE}.{module}")
        command = self._convert(name)
        self._converted[name] = command
        return command

    def _convert(self, name: str) -> Command:
        # NOTE: get_command_from_info and get_group_from_info are functions of
        # typer.main without a documented stability promise. The tests compare
        # the result with Typer's own eager build of the whole app.
        settings: dict[str, Any] = {
            "pretty_exceptions_short": self._app.pretty_exceptions_short,
            "rich_markup_mode": self._app.rich_markup_mode,
        }
        for command_info in self._app.registered_commands:
            if registered_name(command_info) == name:
                return typer.main.get_command_from_info(command_info, **settings)
        for group_info in self._app.registered_groups:
            if registered_name(group_info) == name:
                return typer.main.get_group_from_info(
                    group_info,
                    suggest_commands=self._app.suggest_commands,
                    **settings,
                )
        modules = ", ".join(self._entries[name].modules)
        raise LookupError(
            f"command {name!r} is listed in COMMANDS but none of the modules "
            f"{modules} registers it"
        )


class LazyGroup(TyperGroup):
    """The root command group: loads a command only when it is looked up."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        from assist1540.commands._app import app

        # Typer converted whatever was registered when it built this group. A
        # group converted before all its modules were imported (`report`
        # without the shortcuts from `offers`) would be incomplete, so those
        # conversions are dropped and each command is converted on lookup.
        self.commands = LazyCommands(app)  # type: ignore[assignment]

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        """Write the commands section from `COMMANDS`, loading no module.

        Each row is shortened by Click's own rule, from a command that carries
        only the help text, so the section matches the eager listing.
        """
        if not COMMANDS:
            return
        limit = formatter.width - 6 - max(len(entry.name) for entry in COMMANDS)
        rows = []
        for entry in COMMANDS:
            placeholder = TyperCommand(name=entry.name, help=entry.help)
            rows.append((entry.name, placeholder.get_short_help_str(limit)))
        with formatter.section(gettext("Commands")):
            formatter.write_dl(rows)
