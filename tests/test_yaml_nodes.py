"""The node-tree reader returns the event path's values or hands the file over."""

from __future__ import annotations

from pathlib import Path

import pytest

from assist1540.errors import RecordError
from assist1540.reader import (
    MAX_DEPTH,
    check_lines,
    parse_yaml,
    parse_yaml_events,
    read_document,
)
from assist1540.yaml_nodes import compose_values

ROOT = Path(__file__).parents[1]


def _events_outcome(text: str) -> object:
    """Return the event path's values, or its problems as printed."""
    try:
        return parse_yaml_events(text, "record.yaml").values
    except RecordError as error:
        return [problem.format() for problem in error.problems]


def _nested(depth: int) -> str:
    """A mapping whose innermost scalar sits inside `depth` containers."""
    lines = [f"{'  ' * level}k{level}:" for level in range(depth - 1)]
    lines.append(f"{'  ' * (depth - 1)}leaf: x")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("a: x\n", {"a": "x"}),
        (
            "t: true\nf: False\nn: ~\ne:\nq: 'true'\nd: \"null\"\n",
            {"t": True, "f": False, "n": None, "e": None, "q": "true", "d": "null"},
        ),
        (
            "a: NO\nb: 1.10\nc: 012\nd: 2024-02-30\n",
            {"a": "NO", "b": "1.10", "c": "012", "d": "2024-02-30"},
        ),
        ("true: 1\nnull: 2\n", {"true": "1", "null": "2"}),
        ('"": empty key in quotes\n', {"": "empty key in quotes"}),
        ("a: ! true\n", {"a": True}),
        (
            "a: R&D\nb: A & B\nc: https://x.org/?a=1&b=2\n",
            {"a": "R&D", "b": "A & B", "c": "https://x.org/?a=1&b=2"},
        ),
        ("a: [1, {b: c}, []]\nd: {}\n", {"a": ["1", {"b": "c"}, []], "d": {}}),
        (
            "a: |\n  one\n  two\nb: >\n  three\n  four\n",
            {"a": "one\ntwo\n", "b": "three four\n"},
        ),
        ("<<: merge keys are plain keys\n", {"<<": "merge keys are plain keys"}),
        ("---\na: 1\n...\n", {"a": "1"}),
    ],
    ids=[
        "plain",
        "booleans-null",
        "typing-traps",
        "keys-stay-text",
        "quoted-empty-key",
        "non-specific-tag",
        "ampersands",
        "flow",
        "block-scalars",
        "merge-key",
        "document-markers",
    ],
)
def test_clean_text_read(text: str, values: dict[str, object]) -> None:
    assert compose_values(text) == values
    assert _events_outcome(text) == values


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\n",
        "&x a: 1\n",
        "a: [&x 1]\n",
        "a: &x 1\nb: *x\n",
        "a: *x\n",
        "a: !!str 1\n",
        "a: !local 1\n",
        "!!map {a: 1}\n",
        "a: 'tab\there'\n",
        'a: "\\x01"\n',
        'a: "C:\\\\path"\n',
        "a: 1\na: 2\n",
        ": 1\n",
        "[a]: 1\n",
        "? [a]\n: 1\n",
        "? |\n  two\n\n  lines\n: 1\n",
        '"a\\u00a0b": 1\n',
        "a: 1\n---\nb: 2\n",
        "a: [1\n",
        "",
        "# only a comment\n",
        "- a\n- b\n",
        "just text\n",
        _nested(MAX_DEPTH),
    ],
    ids=[
        "anchor",
        "anchor-on-key",
        "anchor-in-flow",
        "alias",
        "undefined-alias",
        "core-tag",
        "local-tag",
        "tag-on-root",
        "tab",
        "escape",
        "backslash",
        "duplicate-key",
        "empty-key",
        "flow-key",
        "complex-key",
        "multi-line-key",
        "no-break-space-key",
        "second-document",
        "syntax-error",
        "empty",
        "comments",
        "list",
        "scalar",
        "too-deep",
    ],
)
def test_irregular_text_handed_over(text: str) -> None:
    assert compose_values(text) is None


def test_nesting_limit_matches_events() -> None:
    deepest = _nested(MAX_DEPTH - 1)
    too_deep = _nested(MAX_DEPTH)

    assert compose_values(deepest) == parse_yaml_events(deepest, "r.yaml").values
    assert compose_values(too_deep) is None
    assert "nesting is too deep" in str(_events_outcome(too_deep))


def _bundled_texts() -> list[tuple[str, str]]:
    texts = []
    for path in sorted((ROOT / "data").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        check_lines(text, path.name)
        texts.append((path.name, text))
    return texts


def test_bundled_data_read_from_nodes() -> None:
    texts = _bundled_texts()
    accepted = [
        (name, values)
        for name, text in texts
        if (values := compose_values(text)) is not None
    ]

    assert len(texts) > 50
    assert len(accepted) == len(texts)
    for (name, values), (_, text) in zip(accepted, texts, strict=True):
        assert values == parse_yaml_events(text, name).values, name


def test_document_positions_built_on_use() -> None:
    text = "state: Mexico\nitems:\n  - summary: Draft a law\n    areas: []\n"

    document = parse_yaml(text, "r.yaml", fast=True)
    reference = parse_yaml_events(text, "r.yaml")

    assert document == reference
    assert document.values == reference.values
    assert document.positions == reference.positions
    assert document.key_positions == reference.key_positions
    assert document.locate(("items", 0, "summary")) == (3, 14)
    assert document.locate(("items", 0, "areas"), key=True) == (4, 5)


def test_front_matter_positions_built_on_use(tmp_path: Path) -> None:
    path = tmp_path / "mex-2006.md"
    path.write_text("---\nstate: Mexico\niso3: MEX\n---\nBody text\n", "utf-8")

    document = read_document(path, "data/requests/mex-2006.md")

    assert document.values == {"state": "Mexico", "iso3": "MEX"}
    assert document.body == "Body text\n"
    assert document.positions[("iso3",)] == (3, 7)
    assert document.key_positions[("iso3",)] == (3, 1)


def test_assigned_positions_kept() -> None:
    document = parse_yaml("a: 1\n", "r.yaml", fast=True)

    document.positions = {("a",): (9, 9)}

    assert document.locate(("a",)) == (9, 9)
    assert document.key_positions == {("a",): (1, 1)}
