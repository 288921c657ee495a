"""Create a new, empty data repository with its configuration, schemas and CI."""

from __future__ import annotations

import json
import logging
import shutil
import textwrap
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from assist1540 import gitops
from assist1540.catalog import validate_document
from assist1540.config import CONFIG_FILE, Config
from assist1540.errors import UsageError
from assist1540.models import Taxonomy
from assist1540.reader import read_document
from assist1540.repository import RECORD_KINDS, TAXONOMY_FILE
from assist1540.schema import (
    SCHEMA_FOLDER,
    add_schema_header,
    build_schemas,
    schema_file_name,
    schema_header,
)

logger = logging.getLogger(__name__)

# A wheel carries the taxonomy and templates in the package (see pyproject.toml).
# A source checkout has them at the project root, two folders above this file.
_PACKAGE_FILES = Path(__file__).resolve().parent / "_bundled"
_PROJECT_ROOT = Path(__file__).resolve().parents[2]

GITIGNORE = """\
# Written by assist1540 commands, not records.
.assist1540-cache/
/site/
# Python and editors.
__pycache__/
.venv/
.DS_Store
"""

PRE_COMMIT_CONFIG = """\
# pre-commit runs `assist1540 validate` on the record files of every commit.
# Set it up once per clone with: pre-commit install
# The hook runs the assist1540 installed on the machine (language: system). To
# pin a version instead, list assist1540's own git repository here with a rev,
# and its hook id assist1540-validate.
repos:
  - repo: local
    hooks:
      - id: assist1540-validate
        name: assist1540 validate
        entry: assist1540 validate
        language: system
        files: ^{data}/
        pass_filenames: true
        require_serial: true
"""

WORKFLOW = """\
# Checks the records on every pull request and every push to main, and writes
# what a pull request changes to the job summary (assist1540 review).
name: assist1540

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

jobs:
  records:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          # validate --changed-since and review compare with the base branch,
          # so they need the history, not only the last commit.
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install assist1540
        env:
          # A pip requirement: a version on your package index, or a git URL
          # such as git+https://HOST/OWNER/assist1540@TAG.
          ASSIST1540: "{requirement}"
        run: python -m pip install "$ASSIST1540"
      - name: Validate the records
        env:
          BASE_REF: ${{{{ github.base_ref }}}}
        run: |
          if [ "$GITHUB_EVENT_NAME" = pull_request ]; then
            assist1540 validate --format github --changed-since "origin/$BASE_REF"
          else
            assist1540 validate --format github
          fi
      - name: Review the pull request
        if: ${{{{ always() && github.event_name == 'pull_request' }}}}
        env:
          BASE_REF: ${{{{ github.base_ref }}}}
        run: assist1540 review "origin/$BASE_REF..HEAD" >> "$GITHUB_STEP_SUMMARY"
"""

WORKFLOW_PATH = ".github/workflows/assist1540.yml"


def create_repository(target: Path) -> list[str]:
    """Create the data repository at `target` and return the files written."""
    _check_target(target)
    target.mkdir(parents=True, exist_ok=True)
    root = target.resolve()
    config = Config()
    written: list[str] = []

    def write(relative: str, content: str | bytes) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
        written.append(relative)

    for kind in RECORD_KINDS:
        write(f"{config.data}/{kind}/.gitkeep", "")
    write(CONFIG_FILE, config_text())
    taxonomy_path = root / config.data / TAXONOMY_FILE
    write(f"{config.data}/{TAXONOMY_FILE}", _taxonomy_bytes(taxonomy_path, root))
    written += _copy_templates(root / config.templates, root)
    taxonomy = validate_document(
        read_document(taxonomy_path, f"{config.data}/{TAXONOMY_FILE}"), Taxonomy, None
    )
    for kind, schema in build_schemas(taxonomy).items():
        text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
        write(f"{SCHEMA_FOLDER}/{schema_file_name(kind)}", text)
    write(".gitignore", GITIGNORE)
    write(".pre-commit-config.yaml", PRE_COMMIT_CONFIG.format(data=config.data))
    write(WORKFLOW_PATH, WORKFLOW.format(requirement=_requirement()))
    gitops.init_repository(root)
    return sorted(written)


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file; give a new or empty folder")
    if target.is_dir():
        entries = sorted(entry.name for entry in target.iterdir())
        if entries:
            shown = ", ".join(entries[:5]) + (", ..." if len(entries) > 5 else "")
            raise UsageError(
                f"{target} is not empty (it contains {shown}); give a new or empty "
                "folder, so that no file of yours is overwritten"
            )


def find_bundled(relative: str) -> Path | None:
    """Return a bundled file or folder, from the wheel or the source checkout."""
    name = Path(relative).name
    for candidate in (_PACKAGE_FILES / name, _PROJECT_ROOT / relative):
        if candidate.exists():
            return candidate
    return None


def _taxonomy_bytes(target: Path, root: Path) -> bytes:
    source = find_bundled(f"data/{TAXONOMY_FILE}")
    if source is None:
        raise UsageError(
            "the bundled taxonomy is missing from this installation of assist1540; "
            "reinstall it, or copy a taxonomy.yaml from another data repository"
        )
    data = source.read_bytes()
    header = schema_header("taxonomy", target, root)
    with_header = add_schema_header(data, header) if header else None
    return with_header or data


def _copy_templates(destination: Path, root: Path) -> list[str]:
    source = find_bundled("templates")
    if source is None or not any(source.iterdir()):
        destination.mkdir(parents=True, exist_ok=True)
        (destination / ".gitkeep").write_bytes(b"")
        return [f"{destination.relative_to(root).as_posix()}/.gitkeep"]
    shutil.copytree(source, destination, dirs_exist_ok=True)
    return [
        path.relative_to(root).as_posix()
        for path in sorted(destination.rglob("*"))
        if path.is_file()
    ]


def config_text() -> str:
    """Write assist1540.toml with every default and the description of each key."""
    lines = [
        "# Configuration of this data repository. Every key is optional; the values",
        "# below are the defaults.",
        "[assist1540]",
    ]
    tables: list[tuple[str, BaseModel]] = []
    for name, info in Config.model_fields.items():
        default = info.get_default(call_default_factory=True)
        if isinstance(default, BaseModel):
            tables.append((name, default))
        elif not isinstance(default, dict):
            lines += [*_comment(info.description), f"{name} = {_toml(default)}"]
    for name, table in tables:
        lines += ["", f"[assist1540.{name}]"]
        for key, info in type(table).model_fields.items():
            value = getattr(table, key)
            lines += [*_comment(info.description), f"{key} = {_toml(value)}"]
    lines += [
        "",
        "# Letter language per requesting State (ISO 3166-1 alpha-3 = en, fr or es):",
        "# [assist1540.languages]",
        '# BFA = "fr"',
    ]
    return "\n".join(lines) + "\n"


def _comment(text: str | None) -> list[str]:
    if not text:
        return []
    return ["# " + line for line in textwrap.wrap(text, width=78)]


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _requirement() -> str:
    try:
        return f"assist1540=={version('assist1540')}"
    except PackageNotFoundError:
        return "assist1540"
