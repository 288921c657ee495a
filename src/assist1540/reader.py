"""Read record files into plain values, keeping the line and column of each value.

Scalars stay as written: every plain scalar is its text, except the YAML 1.2 core
booleans (true, false) and null, so `NO`, `1.10`, `012`, `12:30` and `2024-02-30`
reach the models as strings. Anchors, aliases, tags, duplicate keys, several
documents, deep nesting and oversized files are rejected before any value is used.

Two YAML parsers produce the same events: libyaml through PyYAML's CParser, which
is fast, and ruamel.yaml's pure-Python parser, used when libyaml is missing. They
disagree on NEL, U+2028 and U+2029, which are line breaks in libyaml's YAML 1.1
and text in ruamel's YAML 1.2. They also disagree on a byte order mark after the
start of the file and on tabs between tokens. So those characters are rejected,
and all other control characters with them.

With libyaml, most files skip the events: yaml_nodes reads them from the node
tree that libyaml composes in C, and hands every file that might have a problem
back to the event path here.

NOTE: some malformed input is still accepted by one parser and rejected by the
other, such as `a: >#x` (no space between a block scalar header and a comment)
and `{a:}` (a colon right before a closing brace). Syntax errors may also be
reported at different positions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assist1540.errors import Problem, RecordError
from assist1540.yaml_nodes import MAX_DEPTH, compose_values

MAX_FILE_BYTES = 1024 * 1024
MAX_LINE_CHARACTERS = 20_000

Location = tuple[int, int]
FieldPath = tuple[str | int, ...]
# The extent of a scalar's text: from (line, column) up to, but not including,
# (line, column), both counted from 0.
Span = tuple[tuple[int, int], tuple[int, int]]

_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_LONG_LINE = re.compile(f"[^\\r\\n]{{{MAX_LINE_CHARACTERS + 1}}}")
_FRONT_MATTER_END = re.compile(r"(?:---|\.\.\.)[ \t]*")
# Characters YAML does not allow in a stream, plus the line separators and the
# byte order mark after the start, which the two parsers count differently. Tab,
# line feed and carriage return are allowed.
_FORBIDDEN_CHARACTER = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]"
)
# Characters that escapes in double quotes must not produce. A value may keep a
# tab or a line feed, and a field name neither, so that it prints on one line.
_FORBIDDEN_IN_VALUE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]"
)
_FORBIDDEN_IN_KEY = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


class Document:
    """A record file's values, the position of each, and a Markdown body if any.

    A document read by yaml_nodes keeps its YAML text instead of positions, and
    builds them from the text on first use, which in validation is only when a
    problem is located in the file. Valid files then cost no positions at all.
    """

    __slots__ = (
        "_key_positions",
        "_line_offset",
        "_positions",
        "_text",
        "body",
        "path",
        "values",
    )

    def __init__(
        self,
        path: str,
        values: dict[str, Any],
        positions: dict[FieldPath, Location] | None = None,
        key_positions: dict[FieldPath, Location] | None = None,
        body: str | None = None,
        *,
        text: str | None = None,
        line_offset: int = 0,
    ) -> None:
        self.path = path
        self.values = values
        self.body = body
        if positions is None and text is None:
            positions = {}
        # None until the positions are built from `text`.
        self._positions: dict[FieldPath, Location] | None = positions
        self._key_positions = key_positions if key_positions is not None else {}
        self._text = text
        self._line_offset = line_offset

    @property
    def positions(self) -> dict[FieldPath, Location]:
        """The 1-based (line, column) of each value, by field path."""
        if self._positions is None:
            self._build_positions()
        assert self._positions is not None
        return self._positions

    @positions.setter
    def positions(self, table: dict[FieldPath, Location]) -> None:
        if self._positions is None:
            self._build_positions()
        self._positions = table

    @property
    def key_positions(self) -> dict[FieldPath, Location]:
        """The 1-based (line, column) of each field name, by field path."""
        if self._positions is None:
            self._build_positions()
        return self._key_positions

    @key_positions.setter
    def key_positions(self, table: dict[FieldPath, Location]) -> None:
        if self._positions is None:
            self._build_positions()
        self._key_positions = table

    def _build_positions(self) -> None:
        """Read the kept text again, event by event, to find the positions."""
        text = self._text or ""
        try:
            builder = _build(text, self.path, self._line_offset, fast=True)
        except RecordError:
            # NOTE: unreachable while yaml_nodes only accepts what the event
            # path accepts; the document then locates every problem at 1:1.
            builder = _Builder(self.path, self._line_offset)
        self._positions = builder.positions
        self._key_positions = builder.key_positions
        self._text = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return (
            self.path == other.path
            and self.values == other.values
            and self.body == other.body
            and self.positions == other.positions
            and self.key_positions == other.key_positions
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Document(path={self.path!r}, values={self.values!r}, body={self.body!r})"
        )

    def locate(self, loc: Iterable[str | int], key: bool = False) -> Location:
        """Find the position of the deepest known part of `loc`."""
        parts = tuple(loc)
        positions = self.positions
        table = self.key_positions if key else positions
        for end in range(len(parts), 0, -1):
            if parts[:end] in table:
                return table[parts[:end]]
            if key and parts[:end] in positions:
                return positions[parts[:end]]
        return positions.get((), (1, 1))


def read_document(path: Path, display_path: str, raw: bytes | None = None) -> Document:
    """Read a `.yaml` or `.md` record file, raising RecordError on any defect.

    `raw` is the file's bytes when the caller has read them already, so that
    what is parsed is exactly what the caller hashed.
    """
    if raw is None:
        raw = _read_bounded(path, display_path)
    # decode_record_bytes checks the characters and lines of the whole file, so
    # the YAML part is parsed without checking them again.
    text = decode_record_bytes(raw, display_path)
    if path.suffix == ".md":
        front_matter, body, first_line = split_front_matter(text, display_path)
        document = _parse_checked(front_matter, display_path, first_line - 1)
        document.body = body
        return document
    return _parse_checked(text, display_path)


def _read_bounded(path: Path, display_path: str) -> bytes:
    # Read one byte past the limit instead of trusting the size from stat, which
    # is 0 for files under /proc and stale for a file that is growing.
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise _error(
            display_path, f"cannot read the file: {error.strerror}", 1, 1
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise _error(
            display_path,
            f"file is larger than the {MAX_FILE_BYTES:,} bytes a record may have; "
            "move long text out of the record or split it",
            1,
            1,
        )
    return raw


def decode_record_bytes(raw: bytes, display_path: str) -> str:
    """Decode UTF-8 (a leading BOM is dropped) and check characters and line lengths."""
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

    check_lines(text, display_path)
    return text


def check_lines(text: str, display_path: str, line_offset: int = 0) -> None:
    """Raise RecordError at the first forbidden character or overlong line."""
    # One search over the whole text clears almost every file; only a file with
    # a defect is split into lines to find the first one.
    if _FORBIDDEN_CHARACTER.search(text) is None and (
        len(text) <= MAX_LINE_CHARACTERS or _LONG_LINE.search(text) is None
    ):
        return
    for number, line_text in enumerate(_LINE_BREAK.split(text), start=1 + line_offset):
        forbidden = _FORBIDDEN_CHARACTER.search(line_text)
        if forbidden is not None:
            raise _error(
                display_path,
                _forbidden_character_message(forbidden[0]),
                number,
                forbidden.start() + 1,
            )
        if len(line_text) > MAX_LINE_CHARACTERS:
            raise _error(
                display_path,
                f"line is {len(line_text):,} characters long, more than the "
                f"{MAX_LINE_CHARACTERS:,} allowed; break it into several lines",
                number,
                1,
            )


def _forbidden_character_message(character: str) -> str:
    code = f"U+{ord(character):04X}"
    if character == "\x00":
        return (
            "contains a NUL character; remove it (the file may be binary or saved "
            "as UTF-16)"
        )
    if character == "\ufeff":
        return (
            "contains an invisible byte order mark (U+FEFF) after the start of the "
            "file, often pasted with other text; remove it"
        )
    if character in "\x85\u2028\u2029":
        return (
            f"contains the line separator {code}, often pasted from a word "
            "processor; replace it with a line break or a space"
        )
    return f"contains the control character {code}; remove it"


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
    it is installed. With libyaml, a file that yaml_nodes can read is read from
    libyaml's node tree, and its positions are built only when first used.
    """
    check_lines(text, display_path, line_offset)
    return _parse_checked(text, display_path, line_offset, fast)


def _parse_checked(
    text: str, display_path: str, line_offset: int = 0, fast: bool | None = None
) -> Document:
    """Parse as parse_yaml does, once the characters and lines are checked."""
    use_fast = _FAST_LOADER is not None if fast is None else fast
    if use_fast:
        values = compose_values(text)
        if values is not None:
            return Document(display_path, values, text=text, line_offset=line_offset)
    return parse_yaml_events(text, display_path, line_offset, use_fast)


def parse_yaml_events(
    text: str, display_path: str, line_offset: int = 0, fast: bool = True
) -> Document:
    """Parse event by event, with positions, as parse_yaml does for any defect.

    The characters and line lengths must already have been checked.
    """
    builder = _build(text, display_path, line_offset, fast)
    return Document(
        display_path, builder.root, builder.positions, builder.key_positions
    )


def _build(text: str, display_path: str, line_offset: int, fast: bool) -> _Builder:
    """Build the values and positions event by event, raising on any defect."""
    builder = _Builder(display_path, line_offset, track_text=("\t" in text))
    try:
        builder.consume(_events(text, fast))
    except _yaml_errors(fast) as error:
        raise _syntax_error(error, text, display_path, line_offset) from None
    except RecursionError:
        raise _error(
            display_path,
            f"nesting is too deep; records nest at most {MAX_DEPTH} levels",
        ) from None
    if builder.text_spans is not None:
        _check_tabs(text, builder.text_spans, display_path, line_offset)

    if builder.duplicates:
        raise RecordError(builder.duplicates)
    if builder.root is None:
        if not text.strip():
            contents = "nothing"
        elif _only_comments(text):
            contents = "only comments"
        else:
            contents = "no fields"
        raise _error(
            display_path,
            f"file contains {contents}; a record is a mapping of field names to values",
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
    return builder


def _check_tabs(
    text: str, text_spans: list[Span], display_path: str, line_offset: int
) -> None:
    """Reject tabs outside quoted scalars, block scalar text and comments.

    libyaml takes such a tab as a space, but ruamel.yaml 0.19 rejects it in
    block context, so both parsers reject it here to read every file alike.
    """
    for line_index, line_text in enumerate(_LINE_BREAK.split(text)):
        if "\t" not in line_text:
            continue
        comment_start = _comment_start(line_text, line_index, text_spans)
        for column, character in enumerate(line_text[:comment_start]):
            if character == "\t" and not _inside(text_spans, line_index, column):
                raise _error(
                    display_path,
                    _tab_message(line_text, column),
                    line_index + 1 + line_offset,
                    column + 1,
                )


def _comment_start(line_text: str, line_index: int, text_spans: list[Span]) -> int:
    for column, character in enumerate(line_text):
        starts_word = column == 0 or line_text[column - 1] in " \t"
        if character == "#" and starts_word:
            if not _inside(text_spans, line_index, column):
                return column
    return len(line_text)


def _inside(text_spans: list[Span], line_index: int, column: int) -> bool:
    return any(start <= (line_index, column) < end for start, end in text_spans)


def _tab_message(line_text: str, column: int) -> str:
    if not line_text[:column].strip(" \t-"):
        return (
            "a tab is used for indentation; YAML allows only spaces, so replace "
            "the tab with spaces"
        )
    return (
        "a tab is used as a space; records allow tabs only inside quotes or block "
        "text, so replace the tab with spaces"
    )


def _only_comments(text: str) -> bool:
    return all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    )


# --- Event sources ----------------------------------------------------------------


def _load_libyaml() -> tuple[Any, tuple[type[BaseException], ...]]:
    """Return libyaml's loader class, or None, and the errors PyYAML raises."""
    try:
        import yaml

        return yaml.CSafeLoader, (yaml.YAMLError,)
    except (ImportError, AttributeError):
        return None, ()


_FAST_LOADER, _LIBYAML_ERRORS = _load_libyaml()


def _yaml_errors(fast: bool) -> tuple[type[BaseException], ...]:
    """Return the errors the chosen parser raises on a syntax error.

    ruamel.yaml is imported only when it parses, which saves about 20 ms of
    start-up for every command while libyaml is installed.
    """
    if fast:
        return _LIBYAML_ERRORS
    from ruamel.yaml.error import YAMLError as RuamelYAMLError

    return (*_LIBYAML_ERRORS, RuamelYAMLError)


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

    # Not typ="rt": its scanner marks the folds of `>` scalars with U+0007 in the
    # value, for its own writer.
    yield from YAML(typ="safe", pure=True).parse(text)


# --- Building values from events --------------------------------------------------


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: FieldPath
    key: str | None = None
    key_location: Location | None = None


class _Builder:
    """Turn parse events into plain values without recursion."""

    def __init__(
        self, display_path: str, line_offset: int, track_text: bool = False
    ) -> None:
        self.display_path = display_path
        self.line_offset = line_offset
        # Spans of quoted scalars and of block scalar text, where tabs are allowed.
        self.text_spans: list[Span] | None = [] if track_text else None
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
                self._check_characters(event)
                self._track_text(event)
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

    def _check_characters(self, event: Any) -> None:
        """Reject control characters that escapes in double quotes produced."""
        is_key = self._expects_key()
        pattern = _FORBIDDEN_IN_KEY if is_key else _FORBIDDEN_IN_VALUE
        found = pattern.search(str(event.value))
        if found is None:
            return
        subject = "field name" if is_key else "value"
        raise self._event_error(
            event,
            f"the {subject} contains the control character U+{ord(found[0]):04X}, "
            "written as an escape in quotes; remove the escape",
        )

    def _track_text(self, event: Any) -> None:
        if self.text_spans is None or event.style not in ("'", '"', "|", ">"):
            return
        start, end = event.start_mark, event.end_mark
        if event.style in ("|", ">"):
            # The text starts on the line after the `|` or `>` header.
            self.text_spans.append(((start.line + 1, 0), (end.line, end.column)))
        else:
            self.text_spans.append(((start.line, start.column), (end.line, end.column)))

    def _expects_key(self) -> bool:
        top = self._stack[-1] if self._stack else None
        return top is not None and isinstance(top.container, dict) and top.key is None

    def _location(self, event: Any) -> Location:
        mark = event.start_mark
        return (mark.line + 1 + self.line_offset, mark.column + 1)

    def _add_scalar(self, event: Any) -> None:
        top = self._stack[-1] if self._stack else None
        is_empty = event.value == "" and event.style in (None, "")
        if (
            isinstance(top, _Frame)
            and isinstance(top.container, dict)
            and top.key is None
        ):
            if is_empty:
                raise self._event_error(
                    event,
                    "a field name is missing before ':'; write the name of the field",
                )
            top.key = event.value
            top.key_location = self._location(event)
            return

        location = self._location(event)
        if is_empty and top is not None and top.key_location is not None:
            # libyaml puts a missing value after the colon and ruamel.yaml at the
            # next token, often on the next line; the key is where both agree.
            location = top.key_location
        self._attach(_scalar_value(event), location, None)

    def _open(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        top = self._stack[-1] if self._stack else None
        if (
            isinstance(top, _Frame)
            and isinstance(top.container, dict)
            and top.key is None
        ):
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
    display_path: str,
    message: str,
    line: int = 0,
    column: int = 0,
    field_name: str = "",
) -> RecordError:
    return RecordError([Problem(display_path, line, column, field_name, message)])


def _syntax_error(
    error: Any, text: str, display_path: str, line_offset: int
) -> RecordError:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = (mark.line + 1) if mark is not None else 1
    column = (mark.column + 1) if mark is not None else 1
    lines = _LINE_BREAK.split(text)
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    indentation = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]

    if source_line[column - 1 : column] == "\t":
        message = _tab_message(source_line, column - 1)
    elif "\t" in indentation or "'\\t'" in str(error):
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
