"""Read record files into plain values, keeping the line and column of each value.

Scalars stay as written: every plain scalar is its text, except the YAML 1.2 core
booleans (true, false) and null, so `NO`, `1.10`, `012`, `12:30` and `2024-02-30`
reach the models as strings. Anchors, aliases, tags, duplicate keys, several
documents, deep nesting and oversized files are rejected before any value is used.

Two YAML parsers produce the same events: libyaml through PyYAML's CParser, which
is fast, and ruamel.yaml's pure-Python parser, used when libyaml is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assist1540.errors import Problem, RecordError

MAX_FILE_BYTES = 1024 * 1024
MAX_LINE_CHARACTERS = 20_000
MAX_DEPTH = 32

Location = tuple[int, int]
FieldPath = tuple[str | int, ...]

_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_FRONT_MATTER_END = re.compile(r"(?:---|\.\.\.)[ \t]*")


@dataclass
class Document:
    """A record file's values, the position of each, and a Markdown body if any."""

    path: str
    values: dict[str, Any]
    positions: dict[FieldPath, Location] = field(default_factory=dict)
    key_positions: dict[FieldPath, Location] = field(default_factory=dict)
    body: str | None = None

    def locate(self, loc: Iterable[str | int], key: bool = False) -> Location:
        """Find the position of the deepest known part of `loc`."""
        parts = tuple(loc)
        table = self.key_positions if key else self.positions
        for end in range(len(parts), 0, -1):
            if parts[:end] in table:
                return table[parts[:end]]
            if key and parts[:end] in self.positions:
                return self.positions[parts[:end]]
        return self.positions.get((), (1, 1))


def read_document(path: Path, display_path: str) -> Document:
    """Read a `.yaml` or `.md` record file, raising RecordError on any defect."""
    text = decode_record_bytes(_read_bounded(path, display_path), display_path)
    if path.suffix == ".md":
        front_matter, body, first_line = split_front_matter(text, display_path)
        document = parse_yaml(front_matter, display_path, line_offset=first_line - 1)
        document.body = body
        return document
    return parse_yaml(text, display_path)


def _read_bounded(path: Path, display_path: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _error(
                display_path,
                f"file is {size:,} bytes, more than the {MAX_FILE_BYTES:,} a record "
                "may have; move long text out of the record or split it",
            )
        return path.read_bytes()
    except OSError as error:
        raise _error(display_path, f"cannot read the file: {error.strerror}") from None


def decode_record_bytes(raw: bytes, display_path: str) -> str:
    """Decode UTF-8 (a leading BOM is dropped) and check line lengths and NULs."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        byte = raw[error.start]
        raise _error(
            display_path,
            f"byte 0x{byte:02X} is not valid UTF-8; the file may be saved as "
            "Latin-1 or Windows-1252: save it again as UTF-8",
            line,
            column,
        ) from None

    for number, line_text in enumerate(_LINE_BREAK.split(text), start=1):
        if "\x00" in line_text:
            raise _error(
                display_path,
                "contains a NUL character; remove it (the file may be binary "
                "or saved as UTF-16)",
                number,
                line_text.index("\x00") + 1,
            )
        if len(line_text) > MAX_LINE_CHARACTERS:
            raise _error(
                display_path,
                f"line is {len(line_text):,} characters long, more than the "
                f"{MAX_LINE_CHARACTERS:,} allowed; break it into several lines",
                number,
                1,
            )
    return text


def split_front_matter(text: str, display_path: str) -> tuple[str, str, int]:
    """Split Markdown into its YAML front matter, its body and the YAML's first line.

    The front matter opens with a `---` line at the top and closes at the next
    `---` or `...` line; any later `---` belongs to the body.
    """
    lines = _LINE_BREAK.split(text)
    if not lines or lines[0].rstrip() != "---":
        raise _error(
            display_path,
            "has no YAML front matter; start the file with a line '---', then the "
            "record's fields, then a closing line '---'",
            1,
            1,
        )

    for index in range(1, len(lines)):
        if _FRONT_MATTER_END.fullmatch(lines[index]):
            front_matter = "\n".join(lines[1:index])
            if not front_matter.strip() or _only_comments(front_matter):
                raise _error(
                    display_path,
                    "front matter is empty; put the record's fields between the "
                    "two '---' lines",
                    1,
                    1,
                )
            body = "\n".join(lines[index + 1 :])
            return front_matter + "\n", body, 2

    raise _error(
        display_path,
        "front matter is never closed; add a line '---' after the record's last field",
        1,
        1,
    )


def parse_yaml(
    text: str, display_path: str, line_offset: int = 0, fast: bool | None = None
) -> Document:
    """Parse one YAML mapping into a Document, with 1-based positions.

    `fast` picks libyaml (True) or ruamel.yaml (False); None takes libyaml when
    it is installed.
    """
    builder = _Builder(display_path, line_offset)
    try:
        builder.consume(_events(text, fast))
    except _YAML_ERRORS as error:
        raise _syntax_error(error, text, display_path, line_offset) from None
    except RecursionError:
        raise _error(
            display_path, f"nesting is too deep; records nest at most {MAX_DEPTH} levels"
        ) from None

    if builder.duplicates:
        raise RecordError(builder.duplicates)
    if builder.root is None:
        what = "only comments" if text.strip() else "nothing"
        raise _error(
            display_path,
            f"file contains {what}; a record is a mapping of field names to values",
            1 + line_offset,
            1,
        )
    if not isinstance(builder.root, dict):
        found = "a list" if isinstance(builder.root, list) else "a single value"
        line, column = builder.positions[()]
        raise _error(
            display_path,
            f"the top level is {found}, but a record is a mapping of field names "
            "to values (lines of 'field: value')",
            line,
            column,
        )
    return Document(display_path, builder.root, builder.positions, builder.key_positions)


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


# --- Event sources ----------------------------------------------------------------


def _load_parsers() -> tuple[Any, tuple[type[BaseException], ...]]:
    try:
        import yaml

        parser_class = yaml.CSafeLoader
        return parser_class, (yaml.MarkedYAMLError, yaml.YAMLError)
    except (ImportError, AttributeError):
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        return None, (MarkedYAMLError, YAMLError)


_FAST_LOADER, _YAML_ERRORS = _load_parsers()


def _events(text: str, fast: bool | None = None) -> Iterator[Any]:
    """Yield parse events from libyaml when it is there, else from ruamel.yaml."""
    use_fast = _FAST_LOADER is not None if fast is None else fast
    if use_fast:
        loader = _FAST_LOADER(text)
        try:
            while loader.check_event():
                yield loader.get_event()
        finally:
            loader.dispose()
        return

    from ruamel.yaml import YAML

    yield from YAML(typ="rt", pure=True).parse(text)


# --- Building values from events --------------------------------------------------


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: FieldPath
    key: str | None = None
    key_location: Location | None = None


class _Builder:
    """Turn parse events into plain values without recursion."""

    def __init__(self, display_path: str, line_offset: int) -> None:
        self.display_path = display_path
        self.line_offset = line_offset
        self.root: Any = None
        self.positions: dict[FieldPath, Location] = {}
        self.key_positions: dict[FieldPath, Location] = {}
        self.duplicates: list[Problem] = []
        self._stack: list[_Frame] = []
        self._documents = 0

    def consume(self, events: Iterable[Any]) -> None:
        for event in events:
            kind = type(event).__name__
            if kind == "DocumentStartEvent":
                self._start_document(event)
            elif kind == "AliasEvent":
                raise self._event_error(
                    event,
                    f"uses the alias '*{event.anchor}'; aliases are not allowed in "
                    "records, so write the value out in full",
                )
            elif kind == "ScalarEvent":
                self._check_node(event)
                self._add_scalar(event)
            elif kind in ("MappingStartEvent", "SequenceStartEvent"):
                self._check_node(event)
                self._open(event, {} if kind == "MappingStartEvent" else [])
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                frame = self._stack.pop()
                self._attach(frame.container, None, frame.path, container_done=True)

    def _start_document(self, event: Any) -> None:
        self._documents += 1
        if self._documents > 1:
            raise self._event_error(
                event,
                "contains a second YAML document after '---'; a record file holds "
                "exactly one record, so remove the extra '---' line or split the file",
            )

    def _check_node(self, event: Any) -> None:
        if event.anchor is not None:
            raise self._event_error(
                event,
                f"uses the anchor '&{event.anchor}'; anchors and aliases are not "
                "allowed in records, so write each value out in full",
            )
        if event.tag is not None and event.tag != "!":
            raise self._event_error(
                event,
                f"uses the tag '{event.tag}'; tags are not allowed in records, so "
                "remove it (quote the value to keep it as text)",
            )
        if len(self._stack) >= MAX_DEPTH:
            raise self._event_error(
                event, f"nesting is too deep; records nest at most {MAX_DEPTH} levels"
            )

    def _location(self, event: Any) -> Location:
        mark = event.start_mark
        return (mark.line + 1 + self.line_offset, mark.column + 1)

    def _add_scalar(self, event: Any) -> None:
        top = self._stack[-1] if self._stack else None
        if isinstance(top, _Frame) and isinstance(top.container, dict) and top.key is None:
            top.key = event.value
            top.key_location = self._location(event)
            return
        self._attach(_scalar_value(event), self._location(event), None)

    def _open(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        top = self._stack[-1] if self._stack else None
        if isinstance(top, _Frame) and isinstance(top.container, dict) and top.key is None:
            raise self._event_error(
                event,
                "uses a list or mapping as a key; keys are plain field names",
            )
        path = self._child_path()
        self.positions[path] = self._location(event)
        self._stack.append(_Frame(container, path))

    def _child_path(self) -> FieldPath:
        if not self._stack:
            return ()
        top = self._stack[-1]
        if isinstance(top.container, dict):
            assert top.key is not None
            return (*top.path, top.key)
        return (*top.path, len(top.container))

    def _attach(
        self,
        value: Any,
        location: Location | None,
        path: FieldPath | None,
        container_done: bool = False,
    ) -> None:
        if not self._stack:
            self.root = value
            if location is not None:
                self.positions[()] = location
            return

        top = self._stack[-1]
        child_path = path if container_done and path is not None else self._child_path()
        if isinstance(top.container, list):
            if location is not None:
                self.positions[child_path] = location
            top.container.append(value)
            return

        key = top.key
        assert key is not None and top.key_location is not None
        if key in top.container:
            self._report_duplicate(key, top.key_location, child_path)
        else:
            if location is not None:
                self.positions[child_path] = location
            self.key_positions[child_path] = top.key_location
            top.container[key] = value
        top.key = None
        top.key_location = None

    def _report_duplicate(self, key: str, location: Location, path: FieldPath) -> None:
        first_line = self.key_positions[path][0]
        line, column = location
        self.duplicates.append(
            Problem(
                self.display_path,
                line,
                column,
                _format_field(path),
                f"duplicate key '{key}' (first at line {first_line}); keep one of "
                "the two lines",
            )
        )

    def _event_error(self, event: Any, message: str) -> RecordError:
        line, column = self._location(event)
        return _error(self.display_path, message, line, column, self._child_field())

    def _child_field(self) -> str:
        if not self._stack:
            return ""
        top = self._stack[-1]
        if isinstance(top.container, dict) and top.key is None:
            return _format_field(top.path)
        return _format_field(self._child_path())


def _scalar_value(event: Any) -> str | bool | None:
    if event.style not in (None, ""):
        return str(event.value)
    text = str(event.value)
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text in _NULL:
        return None
    return text


def _format_field(path: Iterable[str | int]) -> str:
    """Format a field path the way users read it: `items[1].areas`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


format_field = _format_field


# --- Errors -----------------------------------------------------------------------


def _error(
    display_path: str, message: str, line: int = 0, column: int = 0, field_name: str = ""
) -> RecordError:
    return RecordError([Problem(display_path, line, column, field_name, message)])


def _syntax_error(error: Any, text: str, display_path: str, line_offset: int) -> RecordError:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = (mark.line + 1) if mark is not None else 1
    column = (mark.column + 1) if mark is not None else 1
    lines = _LINE_BREAK.split(text)
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    indentation = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]

    if "\t" in indentation or "'\\t'" in str(error):
        message = (
            "a tab is used for indentation; YAML allows only spaces, so replace "
            "the tab with spaces"
        )
    else:
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        context = getattr(error, "context", None)
        detail = f"{context}, {problem}" if context else str(problem)
        message = (
            f"invalid YAML: {detail}; check the quotes, colons and indentation "
            "on this line and the one before"
        )
    return _error(display_path, message, line + line_offset, column)
