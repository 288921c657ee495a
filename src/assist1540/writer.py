"""Edit and write record files with ruamel.yaml round-trip, atomically.

Only the values a command changes are touched: comments, key order, quoting,
indentation, line endings, a leading BOM and a Markdown body stay as they were.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    PlainScalarString,
)

from assist1540.reader import decode_record_bytes, parse_yaml, split_front_matter

_BOM = b"\xef\xbb\xbf"
_TERM_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _first in "tTfF":
    _IMPLICIT.setdefault(_first, []).append(("tag:yaml.org,2002:bool", _BOOL))
for _first in ("~", "n", "N", ""):
    _IMPLICIT.setdefault(_first, []).append(("tag:yaml.org,2002:null", _NULL))

# Plain scalars that YAML 1.1 or 1.2 loaders would read as something other than
# text: booleans, numbers in any base, sexagesimals, dates and null.
_AMBIGUOUS = re.compile(
    r"""^(?:
        [-+]?[0-9][0-9_.:eE+-]*
      | [-+]?\.(?:inf|Inf|INF|nan|NaN|NAN|[0-9].*)
      | 0[xXoObB][0-9a-fA-F_]+
      | (?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)
      | (?:true|True|TRUE|false|False|FALSE|null|Null|NULL|~)
      | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*
    )$""",
    re.VERBOSE,
)


class TextResolver(VersionedResolver):
    """Resolve plain scalars as text, except the YAML 1.2 core booleans and null."""

    @property
    def versioned_resolver(self) -> dict[str, list[tuple[str, re.Pattern[str]]]]:
        return {first: list(rules) for first, rules in _IMPLICIT.items()}


def make_yaml(mapping: int = 2, sequence: int = 4, offset: int = 2) -> YAML:
    """Build a round-trip YAML instance that keeps quotes and long lines."""
    yaml = YAML(typ="rt", pure=True)
    yaml.Resolver = TextResolver
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def text_scalar(value: str) -> str:
    """Quote text that a YAML loader could read as a number, date or boolean."""
    if _AMBIGUOUS.match(value) or value != value.strip() or value[:1] in "'\"&*!|>%@`#":
        quoted: str = DoubleQuotedScalarString(value)
        return quoted
    return value


@dataclass
class EditableRecord:
    """A record file opened for a round-trip edit."""

    path: Path
    values: CommentedMap
    yaml: YAML
    newline: str
    bom: bool
    front_matter_prefix: str | None = None
    body_suffix: str | None = None

    def render(self) -> str:
        """Return the file's new text, in the file's own line endings."""
        stream = io.StringIO()
        self.yaml.dump(self.values, stream)
        text = stream.getvalue()
        if self.front_matter_prefix is not None:
            text = f"---\n{text}---\n{self.body_suffix or ''}"
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return text

    def encode(self, text: str) -> bytes:
        """Encode rendered text as the file was: UTF-8, with its BOM if it had one."""
        data = text.encode("utf-8")
        return _BOM + data if self.bom else data

    def save(self) -> None:
        atomic_write(self.path, self.encode(self.render()))


def open_for_edit(path: Path, display_path: str) -> EditableRecord:
    """Load a record for editing; the reader's checks run first."""
    raw = path.read_bytes()
    text = decode_record_bytes(raw, display_path)
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")

    prefix = None
    body = None
    yaml_text = text
    if path.suffix == ".md":
        yaml_text, body, _ = split_front_matter(text, display_path)
        prefix = "---\n"
    parse_yaml(yaml_text, display_path)

    yaml = make_yaml(*guess_indentation(yaml_text))
    values = yaml.load(yaml_text)
    return EditableRecord(
        path, values, yaml, newline, raw.startswith(_BOM), prefix, body
    )


def guess_indentation(text: str) -> tuple[int, int, int]:
    """Guess (mapping, sequence, offset) indentation from the first nested blocks.

    ruamel.yaml writes one indentation for the whole file, so an edit keeps the
    file's style only when the style is read back first. The house style
    (2, 4, 2) is the default for parts the file does not show.
    """
    mapping, sequence, offset = None, None, None
    lines = [
        line
        for line in text.split("\n")
        if line.strip() and not line.lstrip().startswith("#")
    ]
    for line, following in zip(lines, lines[1:], strict=False):
        if not line.rstrip().endswith(":"):
            continue
        parent = len(line) - len(line.lstrip(" "))
        child = len(following) - len(following.lstrip(" "))
        stripped = following.lstrip(" ")
        if stripped.startswith("- ") or stripped == "-":
            if offset is None:
                offset = child - parent
                dash_gap = len(stripped) - len(stripped[1:].lstrip(" "))
                sequence = offset + dash_gap
        elif child > parent and mapping is None:
            mapping = child - parent
        if mapping is not None and offset is not None:
            break
    return mapping or 2, sequence or 4, offset if offset is not None else 2


def new_record_text(values: dict[str, Any], header: str | None = None) -> str:
    """Render a new record in the house style: block mappings, flow tag lists."""
    stream = io.StringIO()
    if header:
        stream.write(header.rstrip("\n") + "\n")
    make_yaml().dump(to_commented(values), stream)
    return stream.getvalue()


def to_commented(value: Any) -> Any:
    """Convert plain values to ruamel's types, quoting ambiguous text."""
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[key] = to_commented(item)
        return mapping
    if isinstance(value, list):
        sequence = CommentedSeq(to_commented(item) for item in value)
        if all(_is_flow_item(item) for item in value):
            sequence.fa.set_flow_style()
        return sequence
    if isinstance(value, str):
        return long_text_scalar(value) if len(value) > 100 else text_scalar(value)
    if isinstance(value, int) and not isinstance(value, bool):
        # TextResolver reads digits as text, so ruamel would tag an int `!!int`,
        # which the reader rejects; plain digits read back as the number's text.
        return PlainScalarString(str(value))
    return value


def _is_flow_item(item: Any) -> bool:
    """Tell whether a list item is short enough for a flow list: an id or a number."""
    if isinstance(item, str):
        return _TERM_ID.fullmatch(item) is not None
    return isinstance(item, int) and not isinstance(item, bool)


def long_text_scalar(value: str, width: int = 80) -> str:
    """Write long prose as a folded block (`>-`) wrapped near `width` columns."""
    if "\n" in value or "  " in value or value != value.strip():
        return text_scalar(value)
    folded = FoldedScalarString(value)
    folds = []
    line_start = 0
    last_space = -1
    for index, character in enumerate(value):
        if character == " ":
            if index - line_start > width and last_space > line_start:
                folds.append(last_space)
                line_start = last_space + 1
            last_space = index
    if len(value) - line_start > width and last_space > line_start:
        folds.append(last_space)
    folded.fold_pos = folds
    text: str = folded
    return text


def merge_value(old: Any, new: Any) -> tuple[Any, bool]:
    """Merge `new` into `old`, keeping `old`'s comments and styles where equal."""
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        changed = False
        for key in [key for key in old if key not in new]:
            del old[key]
            changed = True
        for key, value in new.items():
            if key in old:
                merged, key_changed = merge_value(old[key], value)
                if key_changed:
                    old[key] = merged
                    changed = True
            else:
                old[key] = to_commented(value)
                changed = True
        return old, changed

    if isinstance(old, CommentedSeq) and isinstance(new, list):
        changed = len(old) != len(new)
        for index, value in enumerate(new):
            if index < len(old):
                merged, item_changed = merge_value(old[index], value)
                if item_changed:
                    old[index] = merged
                    changed = True
            else:
                old.append(to_commented(value))
        del old[len(new) :]
        return old, changed

    if isinstance(old, bool) == isinstance(new, bool) and old == new:
        return old, False
    return (text_scalar(new) if isinstance(new, str) else to_commented(new)), True


def atomic_write(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, then rename over `path`.

    A reader, or a process killed half-way, finds the old file or the new one,
    never a mix.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
