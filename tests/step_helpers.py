"""Helpers for tests of step commands: file snapshots, commits and catalogs in memory.

Test modules import them with `from step_helpers import snapshot, head`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import git

from assist1540.catalog import Catalog, Entry
from assist1540.models import Event, Offer, Provider, Request
from assist1540.reader import Document

SCHEMA_LINE = "# yaml-language-server:"


def snapshot(root: Path) -> dict[str, bytes]:
    """Read every file of the repository outside .git, keyed by relative path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def head(root: Path) -> git.Commit:
    return git.Repo(root).head.commit


def commit_files(commit: git.Commit) -> list[str]:
    return sorted(str(name) for name in commit.stats.files)


def without_schema_line(text: str) -> str:
    """Drop the editor's schema comment that new records start with, if any."""
    lines = text.splitlines(keepends=True)
    if lines and lines[0].startswith(SCHEMA_LINE):
        return "".join(lines[1:])
    return text


def make_catalog(
    requests: Mapping[str, Mapping[str, Any]] | None = None,
    offers: Mapping[str, Mapping[str, Any]] | None = None,
    providers: Mapping[str, Mapping[str, Any]] | None = None,
    events: Mapping[str, Mapping[str, Any]] | None = None,
) -> Catalog:
    """Build a Catalog in memory from plain record values, keyed by id."""
    catalog = Catalog()
    kinds: list[tuple[str, Any, Mapping[str, Mapping[str, Any]] | None]] = [
        ("requests", Request, requests),
        ("offers", Offer, offers),
        ("providers", Provider, providers),
        ("events", Event, events),
    ]
    for kind, model, records in kinds:
        entries = catalog.entries(kind)
        for record_id, values in (records or {}).items():
            path = f"data/{kind}/{record_id}.yaml"
            record = model.model_validate(dict(values))
            entries[record_id] = Entry(
                record_id, path, record, Document(path, dict(values))
            )
    return catalog
