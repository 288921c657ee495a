"""`assist1540 validate` over a repository made of every file in tests/corpus/bad.

Each corpus file is named for the one defect it has and sits in the folder of
its record kind. Offers there refer to the valid records from conftest.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import VALID_RECORDS, make_repo, run_cli

CORPUS = Path(__file__).parent / "corpus" / "bad"
CORPUS_FILES = sorted(
    path.relative_to(CORPUS).as_posix() for path in CORPUS.rglob("*") if path.is_file()
)
# `path:line:col: error: field: message`, where file-level problems have no field.
PROBLEM_LINE = re.compile(
    r"(?P<path>data/[^:]+):(?P<line>[1-9][0-9]*):(?P<column>[1-9][0-9]*): error: "
    r"(?:(?P<field>[^ :]+): )?(?P<message>\S.*)"
)


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> Result:
    root = make_repo(tmp_path_factory.mktemp("corpus"), VALID_RECORDS)
    shutil.copytree(CORPUS, root / "data", dirs_exist_ok=True)
    return run_cli(["validate"], repo=root)


def _lines(result: Result) -> list[str]:
    return result.stdout.splitlines()


def test_corpus_exit_code(corpus_run: Result) -> None:
    assert corpus_run.exit_code == 1


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_file_has_one_line(corpus_run: Result, name: str) -> None:
    own = [line for line in _lines(corpus_run) if line.startswith(f"data/{name}:")]

    assert len(own) == 1


def test_corpus_valid_records_clean(corpus_run: Result) -> None:
    clean = [line for line in _lines(corpus_run) if line.split(":")[0] in VALID_RECORDS]

    assert clean == []


def test_corpus_lines_have_form(corpus_run: Result) -> None:
    malformed = [
        line for line in _lines(corpus_run) if not PROBLEM_LINE.fullmatch(line)
    ]

    assert malformed == []


def test_corpus_lines_sorted(corpus_run: Result) -> None:
    def position(line: str) -> tuple[str, int, int]:
        found = PROBLEM_LINE.fullmatch(line)
        assert found is not None
        return (found["path"], int(found["line"]), int(found["column"]))

    lines = _lines(corpus_run)

    assert lines == sorted(lines, key=position)


def test_corpus_summary_line(corpus_run: Result) -> None:
    checked = len(CORPUS_FILES) + len(VALID_RECORDS) + 1

    assert corpus_run.stderr == (
        f"{checked} files checked: {len(CORPUS_FILES)} errors\n"
    )


def test_corpus_no_traceback(corpus_run: Result) -> None:
    assert "Traceback" not in corpus_run.stdout + corpus_run.stderr
