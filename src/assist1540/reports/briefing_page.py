"""Shape a briefing as a page: new requests, progress, offers, then what is overdue."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assist1540.due import DueStep
from assist1540.reports.briefing import Briefing, EventGroup
from assist1540.reports.page import Page, Section, table_section

EVENT_HEADERS = ("date", "record", "State", "detail")


def briefing_page(briefing: Briefing, charts: Mapping[str, str] | None = None) -> Page:
    """Lay the briefing out: new requests, progress on requests, offers, overdue.

    With `charts`, the HTML page ends with the requests by year and the median
    days to each step.
    """
    charts = charts or {}
    sections = [
        _new_requests_section(briefing),
        *_event_sections(
            "Progress on requests",
            briefing.request_steps,
            "No step was recorded on a request.",
        ),
        *_event_sections(
            "Offers", briefing.offer_events, "No offer was added or moved on."
        ),
        _overdue_section(briefing),
    ]
    shown = tuple(
        name for name in ("requests-by-year-area", "step-times") if name in charts
    )
    if shown:
        sections.append(Section("Requests over time", charts=shown))
    period = f"{briefing.since.isoformat()} to {briefing.until.isoformat()}"
    return Page(
        f"Briefing of the Committee, {period}",
        (
            f"What the records show for {period}, both days included.",
            _summary(briefing),
        ),
        tuple(sections),
        charts,
    )


def _summary(briefing: Briefing) -> str:
    counts = [
        f"{title.lower()}: {count}" for title, count in briefing.counts() if count
    ]
    if not counts:
        return "Nothing was recorded in the period, and no step is overdue."
    return "In brief: " + "; ".join(counts) + "."


def _new_requests_section(briefing: Briefing) -> Section:
    rows = [
        (
            request.request,
            request.state,
            request.received,
            request.channel,
            request.items,
            ", ".join(request.areas),
        )
        for request in briefing.new_requests
    ]
    return table_section(
        "New requests",
        ("request", "State", "received", "channel", "items", "areas"),
        rows,
        "llllrl",
        empty="No request was received.",
    )


def _event_sections(
    title: str, groups: Sequence[EventGroup], empty: str
) -> list[Section]:
    shown = [group for group in groups if group.events]
    if not shown:
        return [Section(title, paragraphs=(empty,))]
    sections = [Section(title)]
    for group in shown:
        rows = [
            (event.day.isoformat(), event.record, event.state, event.detail)
            for event in group.events
        ]
        sections.append(
            table_section(
                f"{group.title} ({len(group.events)})",
                EVENT_HEADERS,
                rows,
                level=3,
            )
        )
    return sections


def _overdue_section(briefing: Briefing) -> Section:
    rows = [
        (
            step.due.isoformat() if step.due else "",
            step.days_overdue if step.days_overdue is not None else "",
            _record_label(step),
            step.description,
        )
        for step in briefing.overdue
    ]
    paragraphs = [f"Steps overdue at the end of {briefing.until.isoformat()}."]
    if briefing.unconfirmed:
        paragraphs.append(
            f"Besides these, {briefing.unconfirmed} providers or programmes never "
            "confirmed their information; 'assist1540 report coverage' lists them."
        )
    return table_section(
        "Overdue",
        ("due", "days overdue", "record", "step"),
        rows,
        "lrll",
        paragraphs=paragraphs,
        empty="No step is overdue.",
    )


def _record_label(step: DueStep) -> str:
    if step.programme is not None:
        return f"provider {step.record}, programme '{step.programme}'"
    return f"{step.kind} {step.record}"
