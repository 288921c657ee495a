"""Reference numbers of letters: read them from record histories, pick the next one.

A reference is made from `Letters.reference_pattern` in the configuration, such
as `S/AC.44/{year}/{serial:03d}`. Every `history[].reference` of every request,
offer and provider counts as taken, whatever its form. The next reference is one
past the highest serial that matches the pattern (in the same year when the
pattern has `{year}`). Serials match with or without leading zeros, so a
hand-written S/AC.44/2026/10 counts as serial 10.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from datetime import date

from assist1540.catalog import Catalog
from assist1540.config import DEFAULT_REFERENCE_PATTERN
from assist1540.errors import Assist1540Error

# Record kinds whose models carry a history of steps with references.
_KINDS_WITH_HISTORY = ("requests", "offers", "providers")


class ReferenceNumberError(Assist1540Error):
    """The next reference number cannot be chosen safely."""


def iter_references(catalog: Catalog) -> Iterator[tuple[str, str]]:
    """Yield (record path, reference) for every reference in the records' histories."""
    for kind in _KINDS_WITH_HISTORY:
        for entry in catalog.entries(kind).values():
            for step in entry.record.history:
                if step.reference:
                    yield entry.path, step.reference


def compile_reference_pattern(pattern: str) -> re.Pattern[str]:
    """Turn a reference pattern into a regex with the groups `year` and `serial`."""
    parts: list[str] = []
    for literal, name, _spec, _conversion in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if name == "year":
            parts.append(r"(?P<year>[0-9]{4})")
        elif name == "serial":
            parts.append(r"(?P<serial>[0-9]+)")
    return re.compile("".join(parts))


def format_reference(pattern: str, year: int, serial: int) -> str:
    return pattern.format(year=year, serial=serial)


def next_reference(
    catalog: Catalog, on: date, pattern: str = DEFAULT_REFERENCE_PATTERN
) -> str:
    """Return the reference after the highest one taken in the records' histories.

    Raises ReferenceNumberError when some record files could not be read, because a
    reference in one of them would not be counted and could be given twice.
    """
    unreadable = sorted(
        {problem.path for problem in catalog.problems if problem.severity == "error"}
    )
    if unreadable:
        raise ReferenceNumberError(
            f"cannot choose the next reference number: {len(unreadable)} record "
            f"file(s) could not be read ({', '.join(unreadable[:3])}), and a "
            "reference in them would not be counted; run 'assist1540 validate' and "
            "fix them, or give the reference with --reference"
        )

    matcher = compile_reference_pattern(pattern)
    uses_year = "year" in matcher.groupindex
    highest = 0
    for _, reference in iter_references(catalog):
        found = matcher.fullmatch(reference)
        if found is None:
            continue
        if uses_year and int(found["year"]) != on.year:
            continue
        highest = max(highest, int(found["serial"]))

    return format_reference(pattern, on.year, highest + 1)


def find_reference_owner(catalog: Catalog, reference: str) -> str | None:
    """Return the path of a record whose history already uses `reference`."""
    for path, taken in iter_references(catalog):
        if taken == reference:
            return path
    return None
