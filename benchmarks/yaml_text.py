"""Write record YAML by hand, so key order, quoting, folding and comments are fixed."""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field

WIDTH = 88

# Plain scalars that every YAML 1.1 or 1.2 reader and yamllint take as text: they
# start with a letter and hold nothing that starts a comment, a mapping value, a
# flow collection, an escape or a control character.
_PLAIN = re.compile(r"[A-Za-z\u00c0-\u024f][^\x00-\x1f\x7f#\[\]{}\"\\]*")
_KEYWORDS = frozenset("true false null yes no on off y n ~".split())


@dataclass(frozen=True)
class Quoted:
    """Text written in double quotes, as the bundled records write dates."""

    text: str


@dataclass(frozen=True)
class Flow:
    """A list of ids on one line, `[a, b]`, as the bundled records write tags."""

    values: tuple[str, ...]


@dataclass(frozen=True)
class Commented:
    """A scalar with a comment after it on the same line."""

    value: str | bool
    comment: str


@dataclass(frozen=True)
class Comment:
    """A comment line of its own, written before the next field."""

    text: str


@dataclass
class Map:
    """A mapping in key order, with comment lines between its fields."""

    fields: list[tuple[str, object] | Comment] = field(default_factory=list)

    def add(self, key: str, value: object) -> None:
        """Append a field, leaving out None so optional fields stay absent."""
        if value is not None:
            self.fields.append((key, value))

    def comment(self, text: str) -> None:
        self.fields.append(Comment(text))


def dump_record(record: Map, header: list[str] | None = None) -> str:
    """Format a record as YAML text, with optional comment lines at the top."""
    lines = [f"# {line}" for line in header or []]
    lines.extend(_mapping_lines(record, 0))
    return "\n".join(lines) + "\n"


def _mapping_lines(mapping: Map, indent: int) -> list[str]:
    pad = " " * indent
    lines = []
    for entry in mapping.fields:
        if isinstance(entry, Comment):
            lines.append(f"{pad}# {entry.text}")
        else:
            key, value = entry
            lines.extend(_field_lines(key, value, indent))
    return lines


def _field_lines(key: str, value: object, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, Map):
        return [f"{pad}{key}:", *_mapping_lines(value, indent + 2)]
    if isinstance(value, list):
        if not value:
            return [f"{pad}{key}: []"]
        lines = [f"{pad}{key}:"]
        for element in value:
            lines.extend(_element_lines(element, indent + 2))
        return lines
    return _scalar_lines(f"{pad}{key}: ", value, indent)


def _element_lines(element: object, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(element, Map):
        lines = _mapping_lines(element, indent + 2)
        first = next(
            i for i, line in enumerate(lines) if not line.lstrip().startswith("#")
        )
        lines[first] = f"{pad}- {lines[first][indent + 2 :]}"
        return lines
    return _scalar_lines(f"{pad}- ", element, indent)


def _scalar_lines(prefix: str, value: object, indent: int) -> list[str]:
    """Write a scalar after `prefix`, folding long text over several lines."""
    if isinstance(value, Commented):
        lines = _scalar_lines(prefix, value.value, indent)
        lines[-1] += f"  # {value.comment}"
        return lines
    if isinstance(value, bool):
        return [prefix + ("true" if value else "false")]
    if isinstance(value, int):
        return [prefix + str(value)]
    if isinstance(value, Quoted):
        return [prefix + _double_quoted(value.text)]
    if isinstance(value, Flow):
        return [prefix + "[" + ", ".join(value.values) + "]"]
    if not isinstance(value, str):
        raise TypeError(f"cannot write {type(value).__name__} as a YAML scalar")

    if len(prefix) + len(value) <= WIDTH and is_plain(value):
        return [prefix + value]
    if _is_foldable(value):
        body_pad = " " * (indent + 2)
        wrapped = textwrap.wrap(
            value,
            width=WIDTH - len(body_pad),
            break_long_words=False,
            break_on_hyphens=False,
        )
        return [prefix + ">-", *(body_pad + line for line in wrapped)]
    return [prefix + _double_quoted(value)]


def is_plain(text: str) -> bool:
    """Tell whether `text` reads back unchanged when written without quotes."""
    return (
        _PLAIN.fullmatch(text) is not None
        and ": " not in text
        and not text.endswith(":")
        and text == text.strip()
        and text.lower() not in _KEYWORDS
    )


def _is_foldable(text: str) -> bool:
    # A folded scalar turns each line break into one space, so the text must have
    # single spaces only, and no line breaks or control characters of its own.
    return (
        text == text.strip()
        and "  " not in text
        and not re.search(r"[\x00-\x1f\x7f]", text)
    )


def _double_quoted(text: str) -> str:
    # JSON string escapes are a subset of YAML's double-quoted escapes.
    return json.dumps(text, ensure_ascii=False)
