"""libyaml and ruamel.yaml must read every bundled record and corpus file alike.

The CLI parses with libyaml when it is installed and with ruamel.yaml when it is
not, so both must give the same values and positions, and reject the same files
at the same place. Only the wording of syntax errors ("invalid YAML: ...") comes
from the parser and may differ.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assist1540.errors import RecordError
from assist1540.reader import decode_record_bytes, split_front_matter
from conftest import comparable, parse_outcome

ROOT = Path(__file__).parents[1]
SUFFIXES = (".yaml", ".yml", ".md")


def _yaml_of(path: Path) -> tuple[str, int] | None:
    """Return the YAML text of a record file and its line offset, or None.

    None means the file fails before any YAML is parsed (bad bytes, no front
    matter), where the parser plays no part.
    """
    try:
        text = decode_record_bytes(path.read_bytes(), path.name)
        if path.suffix == ".md":
            front_matter, _, first_line = split_front_matter(text, path.name)
            return front_matter, first_line - 1
    except RecordError:
        return None
    return text, 0


def _parsed_files(folder: Path) -> list[Path]:
    return [
        path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix in SUFFIXES and _yaml_of(path) is not None
    ]


def _outcome(path: Path, fast: bool) -> object:
    found = _yaml_of(path)
    assert found is not None
    text, line_offset = found
    return parse_outcome(text, fast, line_offset)


def _assert_agree(path: Path) -> None:
    libyaml = _outcome(path, fast=True)
    ruamel = _outcome(path, fast=False)

    assert comparable(ruamel, libyaml) == comparable(libyaml, ruamel)


BUNDLED = _parsed_files(ROOT / "data")
CORPUS = _parsed_files(ROOT / "tests" / "corpus")


def test_bundled_data_found() -> None:
    assert len(BUNDLED) > 50


@pytest.mark.parametrize(
    "path", BUNDLED, ids=[path.relative_to(ROOT).as_posix() for path in BUNDLED]
)
def test_parsers_agree_on_bundled(path: Path) -> None:
    _assert_agree(path)


@pytest.mark.parametrize(
    "path", CORPUS, ids=[path.relative_to(ROOT).as_posix() for path in CORPUS]
)
def test_parsers_agree_on_corpus(path: Path) -> None:
    _assert_agree(path)
