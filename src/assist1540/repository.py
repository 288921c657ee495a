"""Find the data repository and name the files of its records."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from assist1540.config import CONFIG_FILE, Config, load_config
from assist1540.errors import RepositoryError, UsageError

ENVIRONMENT_VARIABLE = "ASSIST1540_REPO"
RECORD_KINDS = ("requests", "offers", "providers", "events")
RECORD_SUFFIXES = (".yaml", ".yml", ".md")
TAXONOMY_FILE = "taxonomy.yaml"

_RECORD_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?")
_WINDOWS_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])", re.IGNORECASE)


@dataclass(frozen=True)
class DataRepository:
    """A folder with `assist1540.toml`, its records and its templates."""

    root: Path
    config: Config

    @classmethod
    def find(
        cls, option: Path | None = None, start: Path | None = None
    ) -> DataRepository:
        """Find the repository from `--repo`, then ASSIST1540_REPO, then the parents."""
        if option is not None:
            return cls.open(option, "--repo")

        from_environment = os.environ.get(ENVIRONMENT_VARIABLE)
        if from_environment:
            return cls.open(Path(from_environment), ENVIRONMENT_VARIABLE)

        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / CONFIG_FILE).is_file():
                return cls(folder, load_config(folder))
        raise RepositoryError(
            f"no data repository found: neither {here} nor any parent folder "
            f"contains {CONFIG_FILE}; run the command inside a data repository, or "
            f"name one with --repo PATH or the {ENVIRONMENT_VARIABLE} variable"
        )

    def __post_init__(self) -> None:
        for name, folder in (
            ("data", self.config.data),
            ("templates", self.config.templates),
        ):
            resolved = (self.root / folder).resolve()
            if not resolved.is_relative_to(self.root.resolve()):
                raise RepositoryError(
                    f"{CONFIG_FILE}: {name} = '{folder}' points outside the repository "
                    f"{self.root}; give a folder inside it, such as '{name}'"
                )

    @classmethod
    def open(cls, path: Path, source: str) -> DataRepository:
        root = path.expanduser().resolve()
        if not (root / CONFIG_FILE).is_file():
            raise RepositoryError(
                f"{path} (from {source}) is not a data repository: it has no "
                f"{CONFIG_FILE}; give the folder that contains it"
            )
        return cls(root, load_config(root))

    @property
    def data_dir(self) -> Path:
        return self.root / self.config.data

    @property
    def templates_dir(self) -> Path:
        return self.root / self.config.templates

    @property
    def taxonomy_path(self) -> Path:
        return self.data_dir / TAXONOMY_FILE

    def relative(self, path: Path) -> str:
        """Name a path relative to the root, with forward slashes."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def record_files(self, kind: str) -> list[Path]:
        """List the entries of one kind's folder, skipping hidden files and folders.

        Links (even dangling ones) and other non-files are listed, so the reader
        reports them instead of letting them pass unseen.
        """
        folder = self.data_dir / kind
        if not folder.is_dir():
            return []
        # Sorting names gives the order of sorting the paths, which share the
        # folder, and the entries' own types spare a stat for most of them.
        try:
            with os.scandir(folder) as entries:
                names = sorted(
                    entry.name
                    for entry in entries
                    if not entry.name.startswith(".")
                    and (entry.is_symlink() or not entry.is_dir())
                )
        except OSError as error:
            raise RepositoryError(
                f"cannot list the records in {self.relative(folder)}: "
                f"{error.strerror}; give your user read and execute permission "
                "on the folder, then run the command again"
            ) from None
        return [folder / name for name in names]

    def record_path(self, kind: str, record_id: str, suffix: str = ".yaml") -> Path:
        """Return where a record of that id lives, checking the id first."""
        check_record_id(record_id)
        return self.data_dir / kind / f"{record_id}{suffix}"

    def find_record_file(self, kind: str, record_id: str) -> Path | None:
        check_record_id(record_id)
        for suffix in RECORD_SUFFIXES:
            path = self.data_dir / kind / f"{record_id}{suffix}"
            if path.is_file():
                return path
        return None


def id_problem(record_id: str) -> str | None:
    """Describe what is wrong with a record id, or return None when it is valid."""
    if not _RECORD_ID.fullmatch(record_id) or "--" in record_id:
        return (
            f"invalid record id '{record_id}'; ids use lower-case letters, digits and "
            "single hyphens (up to 80 characters), such as mex-2006 or iaea"
        )
    if _WINDOWS_RESERVED.fullmatch(record_id):
        return f"record id '{record_id}' is a reserved file name on Windows"
    return None


def check_record_id(record_id: str) -> None:
    problem = id_problem(record_id)
    if problem is not None:
        raise UsageError(f"{problem}; check the id you typed")
