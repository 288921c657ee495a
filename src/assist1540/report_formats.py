"""Render validation problems as GitHub Actions annotations, a job summary and SARIF."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assist1540.errors import Problem

# GitHub Actions shows at most 10 error and 10 warning annotations per step and
# drops the rest without a word, so the rest are counted in one notice.
MAX_ANNOTATIONS_PER_KIND = 10

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"


@dataclass(frozen=True)
class Rule:
    """A kind of problem, as a SARIF rule: an id, a name and what it checks."""

    id: str
    name: str
    description: str
    pattern: re.Pattern[str] | None


# Problems carry a message but no kind, so the kind is read from the message's
# wording. The first matching rule wins, and `invalid-value` takes the rest.
RULES: tuple[Rule, ...] = (
    Rule(
        "yaml-syntax",
        "YamlSyntax",
        "The file must be UTF-8 YAML (or Markdown with YAML front matter) without "
        "tabs, control characters, anchors, aliases, tags or duplicate keys.",
        re.compile(
            r"invalid YAML|a tab is used|control character|NUL character|line "
            r"separator|not valid UTF-8|front matter|anchor|alias|uses the tag|"
            r"nesting is too deep|second YAML document|duplicate key|file contains|"
            r"top level is|characters long|larger than"
        ),
    ),
    Rule(
        "record-file",
        "RecordFile",
        "Record files are plain .yaml or .md files named by a valid, unique id.",
        re.compile(
            r"record id|unexpected file|duplicate id|symbolic link|reserved file "
            r"name|taxonomy file is missing"
        ),
    ),
    Rule(
        "unknown-field",
        "UnknownField",
        "Every field must be one the record's kind defines.",
        re.compile(r"^unknown field"),
    ),
    Rule(
        "missing-field",
        "MissingField",
        "Every required field must be present.",
        re.compile(r"^missing required field"),
    ),
    Rule(
        "taxonomy-term",
        "TaxonomyTerm",
        "Area, weapon category and assistance type ids must be listed once and "
        "exist in the taxonomy.",
        re.compile(r"^unknown (area|weapon category|assistance type) id|lists the "),
    ),
    Rule(
        "reference",
        "Reference",
        "An offer must name an existing request, its items and an existing "
        "provider and programme.",
        re.compile(
            r"not found; use the id|cannot be checked because|has no item|"
            r"has no programme named"
        ),
    ),
    Rule(
        "publishing",
        "Publishing",
        "A request is published only with the State's consent and once it is "
        "authenticated.",
        re.compile(r"^published is true"),
    ),
    Rule(
        "invalid-value",
        "InvalidValue",
        "Each value must have the type and form its field requires.",
        None,
    ),
)


def find_rule(problem: Problem) -> Rule:
    """Return the rule whose wording the problem's message matches."""
    for rule in RULES:
        if rule.pattern is not None and rule.pattern.search(problem.message):
            return rule
    return RULES[-1]


# --- GitHub Actions ---------------------------------------------------------------


def github_annotations(
    problems: Sequence[Problem], prefix: str = "", notes: Sequence[str] = ()
) -> list[str]:
    """Format problems as workflow commands, at most 10 per severity.

    `notes` are warnings about the run itself, printed first and counted among
    the warnings. `prefix` is the data repository's folder in the workspace,
    since GitHub locates files from the workspace root.
    """
    lines = [f"::warning title=assist1540 validate::{_escape(note)}" for note in notes]
    shown = Counter({"warning": len(notes)})
    hidden: Counter[str] = Counter()
    for problem in problems:
        if shown[problem.severity] < MAX_ANNOTATIONS_PER_KIND:
            lines.append(_annotation(problem, prefix))
            shown[problem.severity] += 1
        else:
            hidden[problem.severity] += 1
    if hidden:
        lines.append(f"::notice title=assist1540 validate::{_hidden_summary(hidden)}")
    return lines


def _hidden_summary(hidden: Counter[str]) -> str:
    counts = [
        f"{hidden[kind]} more {kind}{'s' if hidden[kind] != 1 else ''}"
        for kind in ("error", "warning")
        if hidden[kind]
    ]
    return (
        f"{' and '.join(counts)} not shown as annotations, since GitHub Actions "
        f"shows at most {MAX_ANNOTATIONS_PER_KIND} of each kind per step; the job "
        "summary lists every problem, and so does 'assist1540 validate' run locally"
    )


def _annotation(problem: Problem, prefix: str) -> str:
    properties = [f"file={_escape_property(prefix + problem.path)}"]
    if problem.line:
        properties.append(f"line={problem.line}")
        properties.append(f"col={problem.column or 1}")
    if problem.field:
        properties.append(f"title={_escape_property(problem.field)}")
    return f"::{problem.severity} {','.join(properties)}::{_escape(problem.message)}"


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape(text).replace(":", "%3A").replace(",", "%2C")


def summary_markdown(problems: Sequence[Problem], summary: str) -> str:
    """Render the job summary: a heading, the summary line and every problem."""
    lines = ["## assist1540 validate", "", escape_markdown(summary), ""]
    if not problems:
        return "\n".join(lines)
    lines += [
        "| file | line | column | severity | field | message |",
        "| --- | ---: | ---: | --- | --- | --- |",
    ]
    for problem in problems:
        cells = [
            markdown_code(problem.path),
            str(problem.line or ""),
            str(problem.column or "") if problem.line else "",
            problem.severity,
            markdown_code(problem.field) if problem.field else "",
            escape_markdown(problem.message),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def escape_markdown(text: str) -> str:
    """Escape text so that a Markdown table cell shows it as written."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = " ".join(text.splitlines())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def markdown_code(text: str) -> str:
    """Show text as inline code, which needs no escapes but for `|` and backticks."""
    text = " ".join(text.splitlines()).replace("|", "\\|")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


# --- SARIF --------------------------------------------------------------------------


def sarif_log(
    problems: Sequence[Problem],
    version: str,
    prefix: str = "",
    notes: Sequence[str] = (),
) -> dict[str, Any]:
    """Build a SARIF 2.1.0 log with one run, one rule per kind of problem."""
    rule_index = {rule.id: index for index, rule in enumerate(RULES)}
    results = [_sarif_result(problem, prefix, rule_index) for problem in problems]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "assist1540",
                "semanticVersion": version,
                "version": version,
                "rules": [_sarif_rule(rule) for rule in RULES],
            }
        },
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {
            "%SRCROOT%": {"description": {"text": "The work tree."}}
        },
        "results": results,
    }
    if notes:
        run["invocations"] = [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {"level": "warning", "message": {"text": note}} for note in notes
                ],
            }
        ]
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.description},
        "defaultConfiguration": {"level": "error"},
    }


def _sarif_result(
    problem: Problem, prefix: str, rule_index: dict[str, int]
) -> dict[str, Any]:
    rule = find_rule(problem)
    subject = f"{problem.field}: " if problem.field else ""
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": prefix + problem.path, "uriBaseId": "%SRCROOT%"}
    }
    if problem.line:
        physical["region"] = {
            "startLine": problem.line,
            "startColumn": problem.column or 1,
        }
    return {
        "ruleId": rule.id,
        "ruleIndex": rule_index[rule.id],
        "level": problem.severity,
        "message": {"text": subject + problem.message},
        "locations": [{"physicalLocation": physical}],
    }
