"""Random and mutated record files never crash reading or validation.

Reading may only return a Document or raise RecordError, and every problem must
name a line and a column and print on one line. Example counts are bounded so
that the file runs in well under 20 seconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assist1540.catalog import load_entry
from assist1540.errors import Problem, RecordError
from assist1540.models import Offer, Provider, Request
from assist1540.reader import check_lines, parse_yaml, parse_yaml_events, read_document
from assist1540.repository import DataRepository
from assist1540.validation import validate_repository
from assist1540.yaml_nodes import compose_values
from conftest import VALID_RECORDS, make_repo, run_cli

ROOT = Path(__file__).parents[1]
SEEDS = [
    *(path.read_bytes() for path in sorted((ROOT / "data").rglob("*.yaml"))[:12]),
    *(
        path.read_bytes()
        for path in sorted((ROOT / "tests/corpus/bad").rglob("*"))
        if path.is_file()
    ),
    *(text.encode() for text in VALID_RECORDS.values()),
]
# Pieces of text that YAML, the reader or the models treat specially.
FRAGMENTS = [
    ":",
    ": ",
    "- ",
    "  ",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "#",
    " #",
    "&a ",
    "*a",
    "!!str ",
    "!x ",
    "'",
    '"',
    "\\",
    "\\e",
    "[",
    "]",
    "{",
    "}",
    ",",
    "? ",
    "|",
    ">-\n  ",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "~",
    "null",
    "yes",
    "NO",
    "012",
    "1.10",
    "12:30",
    "2005",
    "2024-02-30",
    "\ufeff",
    "\u2028",
    "\x85",
    "\x00",
    "\x1b",
    "é",
    "e\u0301",
    "’",
    "中国",
    "Россия",
    "[bold]",
    "state",
    "items",
    "iso3",
]
FIELD_NAMES = sorted(
    {*Request.model_fields, *Offer.model_fields, *Provider.model_fields, "x", ""}
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.text(max_size=12),
    st.sampled_from(["2005", "2005-02-30", "MEX", "NO", "op2-legislation", "granted"]),
)
FAST_SETTINGS = settings(max_examples=300, deadline=None)
SLOW_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

yaml_texts = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=40
).map("".join)


@st.composite
def mutated_files(draw: st.DrawFn) -> bytes:
    """A bundled or corpus file with up to four bytes-level or line-level edits."""
    data = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["insert", "delete", "swap", "copy", "cut"]))
        if edit == "insert":
            piece = draw(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)))
            data = data[:at] + piece.encode("utf-8", "surrogatepass") + data[at:]
        elif edit == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 8)) :]
        elif edit == "cut":
            data = data[:at]
        else:
            lines = data.splitlines(keepends=True) or [b""]
            first = draw(st.integers(0, len(lines) - 1))
            second = draw(st.integers(0, len(lines) - 1))
            if edit == "swap":
                lines[first], lines[second] = lines[second], lines[first]
            else:
                lines.insert(second, lines[first])
            data = b"".join(lines)
    return data


records = st.dictionaries(
    st.sampled_from(FIELD_NAMES),
    st.recursive(
        SCALARS,
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.dictionaries(st.sampled_from(FIELD_NAMES), children, max_size=3),
        ),
        max_leaves=8,
    ),
    max_size=8,
)


def _located(problems: list[Problem]) -> list[Problem]:
    """Return the problems that lack a position or do not print on one line."""
    return [
        problem
        for problem in problems
        if problem.line < 1 or problem.column < 1 or "\n" in problem.format()
    ]


@pytest.fixture(scope="module")
def fuzz_repo(tmp_path_factory: pytest.TempPathFactory) -> DataRepository:
    root = make_repo(tmp_path_factory.mktemp("fuzz"), VALID_RECORDS)
    return DataRepository.open(root, "test")


@pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "ruamel"])
@FAST_SETTINGS
@given(text=yaml_texts)
def test_parse_random_text(text: str, fast: bool) -> None:
    try:
        parse_yaml(text, "record.yaml", fast=fast)
    except RecordError as error:
        assert _located(error.problems) == []


@pytest.mark.parametrize("suffix", [".yaml", ".md"])
@FAST_SETTINGS
@given(raw=mutated_files())
def test_read_mutated_file(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes, suffix: str
) -> None:
    path = tmp_path_factory.getbasetemp() / f"mutated{suffix}"
    path.write_bytes(b"---\n" + raw if suffix == ".md" else raw)

    try:
        read_document(path, path.name)
    except RecordError as error:
        assert _located(error.problems) == []


@pytest.mark.parametrize("kind", ["requests", "offers", "providers"])
@FAST_SETTINGS
@given(raw=mutated_files())
def test_load_mutated_record(fuzz_repo: DataRepository, raw: bytes, kind: str) -> None:
    path = fuzz_repo.data_dir / kind / "fuzzed.yaml"
    path.write_bytes(raw)

    try:
        load_entry(fuzz_repo, kind, path, None)
    except RecordError as error:
        assert _located(error.problems) == []
    finally:
        path.unlink()


@pytest.mark.parametrize("kind", ["requests", "offers", "providers"])
@SLOW_SETTINGS
@given(record=records)
def test_validate_random_record(
    fuzz_repo: DataRepository, record: dict[str, object], kind: str
) -> None:
    path = fuzz_repo.data_dir / kind / "fuzzed.yaml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")

    try:
        report = validate_repository(fuzz_repo)
    finally:
        path.unlink()

    assert _located(report.problems) == []


@SLOW_SETTINGS
@given(raw=mutated_files())
def test_cli_mutated_record(fuzz_repo: DataRepository, raw: bytes) -> None:
    path = fuzz_repo.data_dir / "requests" / "fuzzed.yaml"
    path.write_bytes(raw)

    try:
        result = run_cli(["validate"], repo=fuzz_repo.root)
    finally:
        path.unlink()

    assert result.exit_code in (0, 1)


def _node_path_agrees(text: str) -> None:
    """Check that the node tree gives the event path's values, or hands over."""
    try:
        check_lines(text, "record.yaml")
    except RecordError:
        return
    values = compose_values(text)
    if values is not None:
        assert parse_yaml_events(text, "record.yaml").values == values


# Ampersands next to the characters that decide whether they start an anchor.
ANCHOR_FRAGMENTS = ["&", "&x ", "R&D", "=&", "a&", " & ", "[&a ", ",&", ":&", '"&']


@FAST_SETTINGS
@given(
    text=st.lists(
        st.one_of(
            st.sampled_from(FRAGMENTS),
            st.sampled_from(ANCHOR_FRAGMENTS),
            st.text(max_size=4),
        ),
        max_size=40,
    ).map("".join)
)
def test_node_path_random_text(text: str) -> None:
    _node_path_agrees(text)


@FAST_SETTINGS
@given(raw=mutated_files())
def test_node_path_mutated_file(raw: bytes) -> None:
    _node_path_agrees(raw.decode("utf-8", "replace"))
