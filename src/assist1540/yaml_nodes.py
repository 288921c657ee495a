"""Build a record's values from libyaml's node tree, the fast way to read a file.

libyaml composes the whole tree in C, so Python visits each node once instead of
handling every parse event. This path only reads files that the event path in
reader.py accepts, and returns the same values. It returns None for any file
that might contain something that path reports. Such files have an anchor, a
tag, a tab, an escape, a duplicate or empty key, a key that is not a plain
name, deep nesting, a syntax error, a second document or a top level that is
not a mapping. reader.py then reads the file event by event and reports the
problem exactly.
Positions are not built here, because reader.Document builds them on first use.
"""

from __future__ import annotations

import re
from typing import Any

# Deepest nesting of mappings and lists in a record; reader.py uses it too.
MAX_DEPTH = 32

# The plain scalars that are not text: YAML 1.2 core booleans and null.
_PLAIN_VALUES: dict[str, bool | None] = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
}
# An `&` that could start an anchor: at the start of the text, or after a space, a
# line break or a YAML indicator, and before a name. So `R&D`, `A & B` and
# `?a=1&b=2` do not match. Aliases need no check of their own: an alias without
# an anchor is a syntax error.
_POSSIBLE_ANCHOR = re.compile(r"&(?<![^\s\[\]{},:?\-!\"'|>]&)\S")


class _Irregular(Exception):
    """Raised while walking a tree that the event path must read instead."""


def _load_composer() -> tuple[type[Any] | None, tuple[type[BaseException], ...]]:
    try:
        import yaml

        base = yaml.CBaseLoader
    except (ImportError, AttributeError):
        return None, ()

    class Composer(base):  # type: ignore[misc,valid-type]
        """libyaml's composer, marking every node without an explicit tag.

        libyaml calls the resolver for the tag of each node written without one
        (or with the non-specific tag `!`). Returning None, which no explicit
        tag can be, both skips PyYAML's regular expressions and lets the walk
        tell explicit tags apart.
        """

        def resolve(self, kind: Any, value: Any, implicit: Any) -> None:
            return None

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None

    return Composer, (yaml.YAMLError, RecursionError)


_COMPOSER, _COMPOSE_ERRORS = _load_composer()


def compose_values(text: str) -> dict[str, Any] | None:
    """Return the mapping in `text`, or None when the event path must read it.

    Characters and line lengths must already have been checked.
    """
    if _COMPOSER is None:
        return None
    if "\t" in text or "\\" in text or _POSSIBLE_ANCHOR.search(text):
        return None
    composer = _COMPOSER(text)
    try:
        root = composer.get_single_node()
    except _COMPOSE_ERRORS:
        return None
    finally:
        composer.dispose()

    if root is None or root.id != "mapping":
        return None
    try:
        values: dict[str, Any] = _item(root, 0)
    except _Irregular:
        return None
    return values


def _item(node: Any, depth: int) -> Any:
    """Convert one node, as reader._Builder does with its events."""
    if node.tag is not None:
        raise _Irregular
    if node.id == "scalar":
        text: str = node.value
        return text if node.style else _PLAIN_VALUES.get(text, text)
    return _container(node, depth)


def _container(node: Any, depth: int) -> Any:
    """Convert a mapping or sequence node whose tag has been checked."""
    items = node.value
    inner = depth + 1
    if inner >= MAX_DEPTH and items:
        raise _Irregular
    if node.id == "sequence":
        return [_item(item, inner) for item in items]

    mapping: dict[str, Any] = {}
    for key_node, value_node in items:
        if key_node.id != "scalar" or key_node.tag is not None:
            raise _Irregular
        key: str = key_node.value
        # An empty plain key is a missing field name. Other keys must print on
        # one line; isprintable() also rejects some allowed characters (such as
        # a no-break space), and those files take the event path.
        if key in mapping or not (key or key_node.style) or not key.isprintable():
            raise _Irregular
        # Scalars, most of the values, are converted here to save a call each.
        if value_node.tag is not None:
            raise _Irregular
        if value_node.id == "scalar":
            text: str = value_node.value
            mapping[key] = text if value_node.style else _PLAIN_VALUES.get(text, text)
        else:
            mapping[key] = _container(value_node, inner)
    return mapping
