"""Read versions of a record from bytes and describe what changed between two."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from assist1540.errors import Problem, RecordError
from assist1540.reader import (
    MAX_FILE_BYTES,
    decode_record_bytes,
    format_field,
    parse_yaml,
    split_front_matter,
)

FieldPath = tuple[str | int, ...]

# Fields for the Committee only: a review names the change but never copies the
# values into a pull-request comment.
INTERNAL_FIELDS = frozenset({"contacts", "internal_notes", "authentication"})

_LABELS = {
    "iso3": "ISO3 code",
    "received": "date received",
    "date_as_published": "date as published",
    "channel_detail": "channel in the source's words",
    "formal": "formal",
    "consent": "consent",
    "published": "published on the website",
    "internal_notes": "internal notes",
    "short_name": "short name",
    "weapons": "weapon categories",
    "types": "assistance types",
    "last_confirmed": "last confirmed",
    "matrix_ref": "matrix reference",
}
_SHORT_TEXT = 60


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two versions of a record."""

    field: str
    label: str
    description: str
    internal: bool = False


def read_values(raw: bytes, path: str) -> dict[str, Any]:
    """Parse a record's bytes (`.yaml`, `.yml` or `.md`) into plain values.

    Raises:
        RecordError: the bytes are not a readable record.
    """
    if len(raw) > MAX_FILE_BYTES:
        raise RecordError(
            [
                Problem(
                    path,
                    message=f"file is larger than the {MAX_FILE_BYTES:,} bytes a "
                    "record may have",
                )
            ]
        )
    text = decode_record_bytes(raw, path)
    if PurePosixPath(path).suffix == ".md":
        front_matter, _, first_line = split_front_matter(text, path)
        return parse_yaml(front_matter, path, line_offset=first_line - 1).values
    return parse_yaml(text, path).values


def describe_changes(
    old: dict[str, Any], new: dict[str, Any], hide_internal: bool = False
) -> list[FieldChange]:
    """Describe each changed field, leaving `history` to `added_history`."""
    changes = []
    for key in _keys(old, new):
        if key == "history":
            continue
        before, after = old.get(key), new.get(key)
        if key in INTERNAL_FIELDS and hide_internal:
            if before != after:
                changes.append(
                    FieldChange(
                        key,
                        label_for((key,)),
                        "changed (internal field; the values are not shown here)",
                        internal=True,
                    )
                )
            continue
        changes.extend(_compare((key,), key in old, before, key in new, after))
    return changes


def added_history(
    old: dict[str, Any] | None, new: dict[str, Any]
) -> list[dict[str, Any]]:
    """Return the history entries of `new` that `old` does not have, in order."""
    remaining = list(_history(old))
    added = []
    for entry in _history(new):
        if entry in remaining:
            remaining.remove(entry)
        else:
            added.append(entry)
    return added


def _history(values: dict[str, Any] | None) -> list[dict[str, Any]]:
    history = (values or {}).get("history")
    if not isinstance(history, list):
        return []
    return [entry for entry in history if isinstance(entry, dict)]


def describe_step(entry: dict[str, Any]) -> str:
    """Describe a history entry: `authenticate on 2026-03-02 by A. Expert`."""
    text = f"{entry.get('action', '(no action)')} on {entry.get('date', '(no date)')}"
    if entry.get("actor"):
        text += f" by {entry['actor']}"
    if entry.get("reference"):
        text += f", reference {entry['reference']}"
    return text


def label_for(path: FieldPath) -> str:
    """Name a field path in the Committee's words: `item 2 areas`."""
    words: list[str] = []
    parent: str | int | None = None
    for part in path:
        if isinstance(part, int) and words:
            words[-1] = f"{_singular(parent)} {part + 1}"
        elif isinstance(part, int):
            words.append(f"entry {part + 1}")
        elif isinstance(parent, str) and parent == "programmes" and words:
            words[-1] = f"programme '{part}'"
        else:
            words.append(_LABELS.get(part, part.replace("_", " ")))
        parent = part
    return " ".join(words)


def _singular(name: str | int | None) -> str:
    if not isinstance(name, str):
        return "entry"
    singular = {"items": "item", "contacts": "contact", "sources": "source"}
    return singular.get(name, name.rstrip("s"))


def _compare(
    path: FieldPath, had: bool, before: Any, has: bool, after: Any
) -> Iterator[FieldChange]:
    if had and has and before == after and type(before) is type(after):
        return
    if not had:
        yield _change(path, f"set to {show_value(after)}")
    elif not has:
        yield _change(path, f"removed (was {show_value(before)})")
    elif isinstance(before, dict) and isinstance(after, dict):
        for key in _keys(before, after):
            yield from _compare(
                (*path, key),
                key in before,
                before.get(key),
                key in after,
                after.get(key),
            )
    elif _is_mapping_list(before) and _is_mapping_list(after):
        yield from _compare_entries(path, before, after)
    elif _is_scalar_list(before) and _is_scalar_list(after):
        yield _change(path, _list_change(before, after))
    else:
        yield _change(path, f"{show_value(before)} → {show_value(after)}")


def _compare_entries(
    path: FieldPath, before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> Iterator[FieldChange]:
    """Compare programmes by name and other lists of mappings by position."""
    if path[-1] == "programmes":
        old = {str(entry.get("name")): entry for entry in before}
        new = {str(entry.get("name")): entry for entry in after}
        for name in _keys(old, new):
            yield from _compare(
                (*path, name), name in old, old.get(name), name in new, new.get(name)
            )
        return
    for index in range(max(len(before), len(after))):
        had, has = index < len(before), index < len(after)
        old_entry = before[index] if had else None
        new_entry = after[index] if has else None
        if had and has:
            yield from _compare((*path, index), True, old_entry, True, new_entry)
        elif has:
            yield _change((*path, index), f"added: {_entry_text(new_entry)}")
        else:
            yield _change((*path, index), f"removed: {_entry_text(old_entry)}")


def _entry_text(entry: Any) -> str:
    if isinstance(entry, dict):
        for key in ("summary", "name", "action"):
            if entry.get(key):
                return show_value(entry[key])
    return show_value(entry)


def _list_change(before: list[Any], after: list[Any]) -> str:
    added = [value for value in after if value not in before]
    removed = [value for value in before if value not in after]
    parts = []
    if added:
        parts.append("added " + ", ".join(show_value(value) for value in added))
    if removed:
        parts.append("removed " + ", ".join(show_value(value) for value in removed))
    return "; ".join(parts) or "reordered"


def _change(path: FieldPath, description: str) -> FieldChange:
    return FieldChange(_field_name(path), label_for(path), description)


def _field_name(path: FieldPath) -> str:
    """Format the path as validate does, with a programme named in brackets."""
    parts: list[str | int] = []
    for index, part in enumerate(path):
        if index and path[index - 1] == "programmes" and isinstance(part, str):
            parts[-1] = f"programmes[{part!r}]"
        else:
            parts.append(part)
    return format_field(parts)


def show_value(value: Any) -> str:
    """Show a value briefly: text in quotes, cut at about 60 characters."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(show_value(item) for item in value) + "]"
    text = " ".join(str(value).split())
    if len(text) > _SHORT_TEXT:
        text = text[: _SHORT_TEXT - 1].rstrip() + "…"
    return f'"{text}"'


def _keys(old: dict[Any, Any], new: dict[Any, Any]) -> list[Any]:
    return [*new, *(key for key in old if key not in new)]


def _is_mapping_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _is_scalar_list(value: Any) -> bool:
    return isinstance(value, list) and not any(
        isinstance(item, dict | list) for item in value
    )
