"""Describe what a pull request changes in the records, for reviewers, as data.

`review_changes` compares two snapshots of the data repository's record files
(path relative to the repository root → bytes) and never reads a file, calls
git or prints. Renames are found by content, as git finds them: a removed and
an added record of one kind whose texts are at least half alike.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from assist1540.errors import RecordError
from assist1540.record_diff import (
    FieldChange,
    added_history,
    describe_changes,
    describe_step,
    read_values,
    show_value,
)
from assist1540.repository import RECORD_KINDS

Snapshot = Mapping[str, bytes]
Level = Literal["error", "warning"]

# Statuses from authentication on: only an authenticated request may be posted.
# The site's rendering.public.PUBLIC_REQUEST_STATUSES is the same set (a test
# checks it); review does not import it, so that it loads no template engine.
AUTHENTICATED_STATUSES = frozenset(
    {"authenticated", "acknowledged", "distributed", "matched", "closed"}
)
# Request fields that the website's request page shows (rendering/public.py
# builds the page from these and from the taxonomy).
PUBLIC_REQUEST_FIELDS = (
    "state",
    "iso3",
    "received",
    "status",
    "items",
    "sources",
    "notes",
)
# git counts two files as a rename from 50 % similarity on; so does the review.
RENAME_SIMILARITY = 0.5


@dataclass(frozen=True)
class RecordRef:
    """A record in one snapshot: kind (requests, offers...), id, path, a label."""

    kind: str
    id: str
    path: str
    label: str = ""

    @property
    def noun(self) -> str:
        return self.kind.rstrip("s")


@dataclass(frozen=True)
class Flag:
    """A change a reviewer must look at: consent, publishing, deletion, rename."""

    level: Level
    record: RecordRef
    message: str


@dataclass(frozen=True)
class StepTaken:
    """A history entry a change adds to a record."""

    record: RecordRef
    entry: dict[str, Any]

    @property
    def description(self) -> str:
        return describe_step(self.entry)


@dataclass(frozen=True)
class OfferAdded:
    """A new offer, with what it answers and who makes it."""

    record: RecordRef
    request: str
    items: tuple[str, ...]
    provider: str
    programme: str | None
    summary: str


@dataclass(frozen=True)
class RecordChanges:
    """The fields that changed in a record present on both sides."""

    record: RecordRef
    changes: tuple[FieldChange, ...]


@dataclass
class Review:
    """The changes between two snapshots of the records, in the domain's words."""

    flags: list[Flag] = field(default_factory=list)
    added: list[RecordRef] = field(default_factory=list)
    removed: list[RecordRef] = field(default_factory=list)
    renamed: list[tuple[RecordRef, RecordRef]] = field(default_factory=list)
    changed: list[RecordChanges] = field(default_factory=list)
    steps: list[StepTaken] = field(default_factory=list)
    offers: list[OfferAdded] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(flag.level == "error" for flag in self.flags)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.changed)


@dataclass(frozen=True)
class _Version:
    """One side of a record file, parsed only when the review reads it.

    Most records are the same on both sides, so parsing them all would spend
    most of the review's time on files it never describes.
    """

    kind: str
    record_id: str
    path: str
    raw: bytes

    @functools.cached_property
    def _parsed(self) -> tuple[dict[str, Any] | None, str | None]:
        try:
            return read_values(self.raw, self.path), None
        except RecordError as problem:
            return None, str(problem).splitlines()[0]

    @property
    def values(self) -> dict[str, Any] | None:
        return self._parsed[0]

    @property
    def error(self) -> str | None:
        return self._parsed[1]

    @functools.cached_property
    def ref(self) -> RecordRef:
        label = _label(self.kind, self.values)
        return RecordRef(self.kind, self.record_id, self.path, label)


def review_changes(base: Snapshot, head: Snapshot, data: str = "data") -> Review:
    """Compare the record files of two snapshots of a data repository."""
    old = _versions(base, data)
    new = _versions(head, data)
    review = Review()

    removed_keys = [key for key in old if key not in new]
    added_keys = [key for key in new if key not in old]
    renames = _find_renames(old, new, removed_keys, added_keys)
    for old_key, new_key in renames:
        _review_rename(review, old[old_key], new[new_key])
    renamed_old = {old_key for old_key, _ in renames}
    renamed_new = {new_key for _, new_key in renames}

    for key in removed_keys:
        if key not in renamed_old:
            _review_removal(review, old[key])
    for key in added_keys:
        if key not in renamed_new:
            _review_addition(review, new[key])
    for key in new:
        if key in old and old[key].raw != new[key].raw:
            _review_edit(review, old[key], new[key])

    review.flags.sort(key=lambda flag: (flag.level != "error", flag.record.path))
    review.steps.sort(key=lambda step: (str(step.entry.get("date")), step.record.path))
    return review


# --- Reading the snapshots ----------------------------------------------------------


def _versions(snapshot: Snapshot, data: str) -> dict[tuple[str, str], _Version]:
    versions: dict[tuple[str, str], _Version] = {}
    prefix = data.strip("/") + "/"
    for path in sorted(snapshot):
        parts = path[len(prefix) :].split("/") if path.startswith(prefix) else []
        if len(parts) != 2 or parts[0] not in RECORD_KINDS or parts[1].startswith("."):
            continue
        kind, name = parts
        record_id = name.rsplit(".", 1)[0]
        version = _Version(kind, record_id, path, snapshot[path])
        versions.setdefault((kind, record_id), version)
    return versions


def _label(kind: str, values: dict[str, Any] | None) -> str:
    """Describe a record in a few words: `Mexico, received 2006, 2 items`."""
    if values is None:
        return ""
    if kind == "requests":
        items = values.get("items")
        count = len(items) if isinstance(items, list) else 0
        return (
            f"{values.get('state')}, received {values.get('received')}, "
            f"{count} item{'s' if count != 1 else ''}"
        )
    if kind == "offers":
        return f"{values.get('provider')} for {values.get('request')}"
    return str(values.get("name") or "")


def _find_renames(
    old: dict[tuple[str, str], _Version],
    new: dict[tuple[str, str], _Version],
    removed: list[tuple[str, str]],
    added: list[tuple[str, str]],
) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Pair each removed record with the most alike added record of its kind."""
    pairs = []
    available = list(added)
    for old_key in removed:
        best, best_ratio = None, RENAME_SIMILARITY
        for new_key in available:
            if new_key[0] != old_key[0]:
                continue
            ratio = _similarity(old[old_key].raw, new[new_key].raw)
            if ratio >= best_ratio:
                best, best_ratio = new_key, ratio
        if best is not None:
            pairs.append((old_key, best))
            available.remove(best)
    return pairs


def _similarity(first: bytes, second: bytes) -> float:
    if first == second:
        return 1.0
    matcher = difflib.SequenceMatcher(
        None,
        first.decode("utf-8", "replace").splitlines(),
        second.decode("utf-8", "replace").splitlines(),
        autojunk=False,
    )
    return matcher.ratio()


# --- Judging each change -------------------------------------------------------------


def _review_rename(review: Review, old: _Version, new: _Version) -> None:
    review.renamed.append((old.ref, new.ref))
    published = " It was published on the website." if _is_public(old) else ""
    review.flags.append(
        Flag(
            "error",
            new.ref,
            f"{old.ref.noun} '{old.ref.id}' is renamed to '{new.ref.id}' "
            f"({old.ref.path} → {new.ref.path}). Record ids never change once "
            "published, because letters, offers and the website refer to them; "
            f"keep the file name {old.ref.path}.{published}",
        )
    )
    _review_edit(review, old, new, record=new.ref)


def _review_removal(review: Review, old: _Version) -> None:
    review.removed.append(old.ref)
    message = (
        f"{old.ref.noun} '{old.ref.id}' is deleted ({old.ref.path}); offers, "
        "letters and the website may still refer to it"
    )
    if _is_public(old):
        message += ", and it was public on the website"
    review.flags.append(Flag("warning", old.ref, message))


def _review_addition(review: Review, new: _Version) -> None:
    review.added.append(new.ref)
    _flag_unreadable(review, new)
    values = new.values or {}
    review.steps.extend(
        StepTaken(new.ref, entry) for entry in added_history(None, values)
    )
    if new.ref.kind == "offers" and new.values is not None:
        review.offers.append(_offer(new.ref, values))
    if new.ref.kind == "requests" and _is_public(new):
        review.flags.append(
            Flag(
                "warning",
                new.ref,
                f"request '{new.ref.id}' is new and public on "
                "the website (authenticated, consent granted, published)",
            )
        )
    elif new.ref.kind == "requests" and values.get("published") is True:
        review.flags.append(
            Flag(
                "warning",
                new.ref,
                f"request '{new.ref.id}' is new with published: true",
            )
        )


def _review_edit(
    review: Review, old: _Version, new: _Version, record: RecordRef | None = None
) -> None:
    record = record or new.ref
    _flag_unreadable(review, new)
    if old.values is None or new.values is None:
        if old.raw != new.raw:
            review.changed.append(
                RecordChanges(record, (FieldChange("", "file", "changed"),))
            )
        return

    changes = describe_changes(old.values, new.values, hide_internal=True)
    steps = added_history(old.values, new.values)
    review.steps.extend(StepTaken(record, entry) for entry in steps)
    if changes:
        review.changed.append(RecordChanges(record, tuple(changes)))
    if record.kind == "requests":
        _flag_request(review, record, old.values, new.values, bool(steps))


def _flag_request(
    review: Review,
    record: RecordRef,
    old: dict[str, Any],
    new: dict[str, Any],
    has_steps: bool,
) -> None:
    old_consent, new_consent = _consent(old), _consent(new)
    if old_consent != new_consent:
        review.flags.append(
            Flag(
                "warning",
                record,
                f"consent of request '{record.id}' changes: "
                f"{old_consent} → {new_consent}",
            )
        )
    if old.get("published") != new.get("published"):
        review.flags.append(
            Flag(
                "warning",
                record,
                f"published changes for request '{record.id}': "
                f"{show_value(old.get('published'))} → "
                f"{show_value(new.get('published'))}",
            )
        )
    _flag_public(review, record, old, new)
    if old.get("status") != new.get("status") and not has_steps:
        review.flags.append(
            Flag(
                "warning",
                record,
                f"status of request '{record.id}' changes from "
                f"{old.get('status')} to {new.get('status')} with no history entry; "
                "record steps with the assist1540 step commands so that the "
                "history shows them",
            )
        )


def _flag_public(
    review: Review, record: RecordRef, old: dict[str, Any], new: dict[str, Any]
) -> None:
    was_public, is_public = _values_public(old), _values_public(new)
    if is_public and not was_public:
        message = (
            f"request '{record.id}' becomes public on the website (authenticated, "
            "consent granted, published)"
        )
    elif was_public and not is_public:
        message = (
            f"request '{record.id}' is no longer public on the website: "
            f"{_why_not_public(new)}"
        )
    elif is_public:
        fields = [key for key in PUBLIC_REQUEST_FIELDS if old.get(key) != new.get(key)]
        if not fields:
            return
        message = (
            f"the website's page of published request '{record.id}' changes: "
            + ", ".join(fields)
        )
    else:
        return
    review.flags.append(Flag("warning", record, message))


def _flag_unreadable(review: Review, version: _Version) -> None:
    if version.error is not None:
        review.flags.append(
            Flag(
                "error",
                version.ref,
                f"cannot be read: {version.error}; run assist1540 validate",
            )
        )


def _offer(record: RecordRef, values: dict[str, Any]) -> OfferAdded:
    items = values.get("items")
    programme = values.get("programme")
    return OfferAdded(
        record,
        str(values.get("request")),
        tuple(str(item) for item in items) if isinstance(items, list) else (),
        str(values.get("provider")),
        str(programme) if programme is not None else None,
        str(values.get("summary") or ""),
    )


def _consent(values: dict[str, Any]) -> str:
    consent = values.get("consent")
    status = consent.get("status") if isinstance(consent, dict) else None
    return str(status or "unknown")


def _values_public(values: dict[str, Any]) -> bool:
    return (
        values.get("status") in AUTHENTICATED_STATUSES
        and _consent(values) == "granted"
        and values.get("published") is True
    )


def _is_public(version: _Version) -> bool:
    return (
        version.ref.kind == "requests"
        and version.values is not None
        and _values_public(version.values)
    )


def _why_not_public(values: dict[str, Any]) -> str:
    reasons = []
    if values.get("published") is not True:
        reasons.append("published is not true")
    if _consent(values) != "granted":
        reasons.append(f"consent is {_consent(values)}")
    if values.get("status") not in AUTHENTICATED_STATUSES:
        reasons.append(f"status is {values.get('status')}")
    return ", ".join(reasons)
