"""Render a review as Markdown for a pull-request comment, and as JSON."""

from __future__ import annotations

from typing import Any

from assist1540.record_diff import show_value
from assist1540.report_formats import escape_markdown, markdown_code
from assist1540.review import OfferAdded, RecordChanges, RecordRef, Review, StepTaken


def review_json(review: Review, base: str, head: str) -> dict[str, Any]:
    """Return the review as JSON-ready data."""

    def ref(record: RecordRef) -> dict[str, str]:
        return {"kind": record.noun, "id": record.id, "path": record.path}

    return {
        "base": base,
        "head": head,
        "flags": [
            {"level": flag.level, **ref(flag.record), "message": flag.message}
            for flag in review.flags
        ],
        "added": [ref(record) for record in review.added],
        "removed": [ref(record) for record in review.removed],
        "renamed": [
            {"kind": old.noun, "from": old.id, "to": new.id, "path": new.path}
            for old, new in review.renamed
        ],
        "steps": [
            {**ref(step.record), **{k: step.entry.get(k) for k in _STEP_KEYS}}
            for step in review.steps
        ],
        "offers": [
            {
                **ref(offer.record),
                "request": offer.request,
                "items": list(offer.items),
                "provider": offer.provider,
                "programme": offer.programme,
                "summary": offer.summary,
            }
            for offer in review.offers
        ],
        "changed": [
            {
                **ref(changes.record),
                "changes": [
                    {"field": c.field, "label": c.label, "description": c.description}
                    for c in changes.changes
                ],
            }
            for changes in review.changed
        ],
    }


_STEP_KEYS = ("date", "action", "actor", "reference", "note")


def review_markdown(review: Review, base: str, head: str) -> str:
    """Render the review as Markdown for a pull-request comment."""
    lines = [
        f"## assist1540 review: {escape_markdown(base)} → {escape_markdown(head)}",
        "",
    ]
    if review.flags:
        lines += ["### Needs attention", ""]
        lines += [
            f"- **{flag.level}**: {escape_markdown(flag.message)}"
            for flag in review.flags
        ]
        lines.append("")
    if review.is_empty:
        lines += ["No record changes.", ""]
        return "\n".join(lines)

    lines += _md_records("New records", review.added)
    lines += _md_records("Removed records", review.removed)
    if review.renamed:
        lines += [f"### Renamed records ({len(review.renamed)})", ""]
        lines += [
            f"- {old.noun} {markdown_code(old.id)} → {markdown_code(new.id)}"
            for old, new in review.renamed
        ]
        lines.append("")
    lines += _md_steps(review.steps)
    lines += _md_offers(review.offers)
    lines += _md_changes(review.changed)
    return "\n".join(lines)


def _md_ref(record: RecordRef) -> str:
    return f"{record.noun} {markdown_code(record.id)}"


def _md_records(title: str, records: list[RecordRef]) -> list[str]:
    if not records:
        return []
    lines = [f"### {title} ({len(records)})", ""]
    for record in records:
        label = f" ({escape_markdown(record.label)})" if record.label else ""
        lines.append(f"- {_md_ref(record)}{label}")
    return [*lines, ""]


def _md_steps(steps: list[StepTaken]) -> list[str]:
    if not steps:
        return []
    lines = [
        f"### Steps taken ({len(steps)})",
        "",
        "| record | date | step | by | reference |",
        "| --- | --- | --- | --- | --- |",
    ]
    for step in steps:
        cells = [_md_ref(step.record)] + [
            escape_markdown(str(step.entry.get(key) or ""))
            for key in ("date", "action", "actor", "reference")
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def _md_offers(offers: list[OfferAdded]) -> list[str]:
    if not offers:
        return []
    lines = [
        f"### Offers added ({len(offers)})",
        "",
        "| offer | request | items | provider | programme | summary |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for offer in offers:
        cells = [
            markdown_code(offer.record.id),
            markdown_code(offer.request),
            escape_markdown(", ".join(offer.items) or "all"),
            markdown_code(offer.provider),
            escape_markdown(offer.programme or ""),
            escape_markdown(show_value(offer.summary).strip('"')),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def _md_changes(changed: list[RecordChanges]) -> list[str]:
    if not changed:
        return []
    lines = [f"### Changed records ({len(changed)})", ""]
    for record_changes in changed:
        lines.append(f"- {_md_ref(record_changes.record)}")
        lines += [
            f"  - {escape_markdown(change.label)}: "
            + escape_markdown(change.description)
            for change in record_changes.changes
        ]
    return [*lines, ""]
