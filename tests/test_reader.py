"""Reading record files: YAML typing traps, encodings, structure and hostile input.

Each failure case gives the exact line that `assist1540 validate` prints for it.
Cases that depend only on YAML run through both parsers (libyaml and ruamel.yaml).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assist1540.catalog import validate_document
from assist1540.dates import PartialDate
from assist1540.errors import MAX_PROBLEMS_PER_FILE, RecordError, UsageError
from assist1540.models import Offer, Request, Taxonomy
from assist1540.reader import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_LINE_CHARACTERS,
    Document,
    parse_yaml,
    read_document,
)
from assist1540.repository import DataRepository, id_problem
from conftest import VALID_RECORDS, make_repo, problem_lines, run_cli

PARSERS = [pytest.param(True, id="libyaml"), pytest.param(False, id="ruamel")]

# A valid request whose lines are known: state 1, iso3 2, received 3, items 4-5.
# Extra lines from _request_text start at line 6.
REQUEST_LINES = [
    "state: Mexico",
    "iso3: MEX",
    'received: "2006"',
    "items:",
    "  - summary: Customs training.",
]
OFFER_LINES = [
    "request: mex-2006",
    "provider: canada",
    'received: "2007"',
    "summary: A customs training course.",
]
REQUEST_PATH = "data/requests/mex-2006.yaml"
OFFER_PATH = "data/offers/can-mex-2006.yaml"


def _replace_or_append(lines: list[str], line: str) -> str:
    """Put `line` in place of the line with the same top-level key, else at the end."""
    key = line.split(":", 1)[0]
    result = list(lines)
    for index, existing in enumerate(lines):
        if not line.startswith(" ") and existing.split(":", 1)[0] == key:
            result[index] = line
            break
    else:
        result.append(line)
    return "\n".join(result) + "\n"


def _request_text(line: str) -> str:
    return _replace_or_append(REQUEST_LINES, line)


def _parse_problems(text: str, fast: bool | None = None) -> list[str]:
    with pytest.raises(RecordError) as caught:
        parse_yaml(text, REQUEST_PATH, fast=fast)
    return [problem.format() for problem in caught.value.problems]


def _model_problems(
    text: str, model: type[Request] | type[Offer], path: str
) -> list[str]:
    document = parse_yaml(text, path)
    with pytest.raises(RecordError) as caught:
        validate_document(document, model, None)
    return [problem.format() for problem in caught.value.problems]


def _read_problems(path: Path, display_path: str) -> list[str]:
    with pytest.raises(RecordError) as caught:
        read_document(path, display_path)
    return [problem.format() for problem in caught.value.problems]


def _snapshot(document: Document) -> tuple[object, ...]:
    return (document.values, document.positions, document.key_positions)


# --- YAML typing traps ------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("NO", "NO"),
        ("yes", "yes"),
        ("off", "off"),
        ("012", "012"),
        ("1.10", "1.10"),
        ("12:30", "12:30"),
        ("2024-02-30", "2024-02-30"),
        ("2005", "2005"),
        ("0x1F", "0x1F"),
        ("1e3", "1e3"),
        (".inf", ".inf"),
        ("'true'", "true"),
        ('"null"', "null"),
        ("true", True),
        ("False", False),
        ("null", None),
        ("~", None),
        ("", None),
    ],
)
@pytest.mark.parametrize("fast", PARSERS)
def test_plain_scalar_value(written: str, value: object, fast: bool) -> None:
    document = parse_yaml(f"state: {written}\n", REQUEST_PATH, fast=fast)

    assert document.values == {"state": value}


@pytest.mark.parametrize(
    ("text", "path", "position"),
    [
        ("state:\n", ("state",), (1, 1)),
        ("state: \n", ("state",), (1, 1)),
        ("state:", ("state",), (1, 1)),
        ("state: # unknown\n", ("state",), (1, 1)),
        ("state:\n\niso3: MEX\n", ("state",), (1, 1)),
        ("consent: {status: }\n", ("consent", "status"), (1, 11)),
        ("consent:\n  status:\n", ("consent", "status"), (2, 3)),
        ("sources:\n  -\n", ("sources", 0), (2, 4)),
    ],
)
@pytest.mark.parametrize("fast", PARSERS)
def test_null_value_at_key(
    text: str, path: tuple[str | int, ...], position: tuple[int, int], fast: bool
) -> None:
    document = parse_yaml(text, REQUEST_PATH, fast=fast)

    assert document.positions[path] == position


@pytest.mark.parametrize(
    ("line", "received"),
    [
        ("received: 2005", PartialDate(2005)),
        ("received: 2005-03", PartialDate(2005, 3)),
        ("received: 2005-03-07", PartialDate(2005, 3, 7)),
        ('received: "2005-03-07"', PartialDate(2005, 3, 7)),
        ("received: 2024-02-29", PartialDate(2024, 2, 29)),
    ],
)
def test_received_date_loads(line: str, received: PartialDate) -> None:
    document = parse_yaml(_request_text(line), REQUEST_PATH)

    request = validate_document(document, Request, None)

    assert request.received == received


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "received: 2024-02-30",
            "3:11: error: received: invalid date '2024-02-30': day 30 does not exist "
            "in 2024-02",
        ),
        (
            "received: 2005-13",
            "3:11: error: received: invalid date '2005-13': there is no month 13",
        ),
        (
            "received: 0000",
            "3:11: error: received: invalid date '0000': there is no year 0000",
        ),
        (
            "received: 12:30",
            "3:11: error: received: invalid date '12:30'; write YYYY-MM-DD, or YYYY-MM "
            "or YYYY when the source gives only the month or the year",
        ),
        (
            "received: 1.10",
            "3:11: error: received: invalid date '1.10'; write YYYY-MM-DD, or YYYY-MM "
            "or YYYY when the source gives only the month or the year",
        ),
        (
            "received: ٢٠٠٥",
            "3:11: error: received: invalid date '٢٠٠٥'; write YYYY-MM-DD, or YYYY-MM "
            "or YYYY when the source gives only the month or the year",
        ),
        (
            "received:",
            "3:1: error: received: must be a date written as YYYY-MM-DD, YYYY-MM or "
            "YYYY, got nothing (null)",
        ),
        (
            "published: yes",
            "6:12: error: published: must be true or false, got 'yes'",
        ),
        (
            "published: off",
            "6:12: error: published: must be true or false, got 'off'",
        ),
        (
            'published: "true"',
            "6:12: error: published: must be true or false, got 'true'; remove the "
            "quotes",
        ),
        (
            "formal: NO",
            "6:9: error: formal: must be true or false, got 'NO'",
        ),
        (
            "formal: 1",
            "6:9: error: formal: must be true or false, got '1'",
        ),
        (
            "iso3: NO",
            "2:7: error: iso3: 'NO' is not an ISO 3166-1 alpha-3 country code; use the "
            "three capital letters, e.g. MEX for Mexico",
        ),
        (
            "state: true",
            "1:8: error: state: must be text, got true; put it in quotes",
        ),
        (
            "state:",
            "1:1: error: state: must be text, got nothing (null); write the text after "
            "the colon",
        ),
        (
            "language: EN",
            "6:11: error: language: invalid value 'EN'; use one of 'en', 'fr' or 'es'",
        ),
        (
            "history: [{date: 2005, action: acknowledge}]",
            "6:18: error: history[0].date: date '2005' needs a day: write YYYY-MM-DD",
        ),
        (
            "consent: granted",
            "6:10: error: consent: must be a mapping of fields, got 'granted'",
        ),
        (
            "sources: https://example.org/report",
            "6:10: error: sources: must be a list, such as [a, b], got "
            "'https://example.org/report'",
        ),
    ],
)
def test_request_value_rejected(line: str, expected: str) -> None:
    problems = _model_problems(_request_text(line), Request, REQUEST_PATH)

    assert problems == [f"{REQUEST_PATH}:{expected}"]


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (
            "[012]",
            "5:9: error: items[0]: must be an item number (1 for the first "
            "item), got '012'",
        ),
        (
            "[0]",
            "5:9: error: items[0]: must be an item number (1 for the first item), "
            "got '0'",
        ),
        (
            "[1, 1.5]",
            "5:12: error: items[1]: must be an item number (1 for the first "
            "item), got '1.5'",
        ),
        (
            "[true]",
            "5:9: error: items[0]: must be an item number (1 for the first "
            "item), got true",
        ),
        ("1", "5:8: error: items: must be a list, such as [a, b], got '1'"),
    ],
)
def test_offer_item_number_rejected(items: str, expected: str) -> None:
    text = _replace_or_append(OFFER_LINES, f"items: {items}")

    assert _model_problems(text, Offer, OFFER_PATH) == [f"{OFFER_PATH}:{expected}"]


def test_taxonomy_version_union_one_problem() -> None:
    text = "version: {major: 1}\nareas: []\nweapons: []\ntypes: []\n"
    document = parse_yaml(text, "data/taxonomy.yaml")

    with pytest.raises(RecordError) as caught:
        validate_document(document, Taxonomy, None)

    assert [problem.format() for problem in caught.value.problems] == [
        "data/taxonomy.yaml:1:10: error: version: must be a whole number or text, "
        "got a mapping"
    ]


# --- Duplicate, unknown and missing fields -----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "state: A\niso3: MEX\nstate: B\n",
            [
                "3:1: error: state: duplicate key 'state' (first at line 1); keep one "
                "of "
                "the two lines"
            ],
        ),
        (
            "state: A\n'state': B\n",
            [
                "2:1: error: state: duplicate key 'state' (first at line 1); keep one "
                "of "
                "the two lines"
            ],
        ),
        (
            "items:\n  - summary: a\n    areas: []\n    summary: b\n",
            [
                "4:5: error: items[0].summary: duplicate key 'summary' (first at line "
                "2); "
                "keep one of the two lines"
            ],
        ),
        (
            "consent: {status: granted, status: refused}\n",
            [
                "1:28: error: consent.status: duplicate key 'status' (first at line "
                "1); "
                "keep one of the two lines"
            ],
        ),
        (
            "notes: a\nnotes: b\nnotes: c\n",
            [
                "2:1: error: notes: duplicate key 'notes' (first at line 1); keep one "
                "of the two lines",
                "3:1: error: notes: duplicate key 'notes' (first at line 1); keep one "
                "of the two lines",
            ],
        ),
    ],
)
@pytest.mark.parametrize("fast", PARSERS)
def test_duplicate_key_names_both_lines(
    text: str, expected: list[str], fast: bool
) -> None:
    problems = _parse_problems(text, fast)

    assert problems == [f"{REQUEST_PATH}:{line}" for line in expected]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "recieved: 2005",
            "6:1: error: recieved: unknown field 'recieved'; did you mean 'received'?",
        ),
        (
            "iso: MEX",
            "6:1: error: iso: unknown field 'iso'; did you mean 'iso3'?",
        ),
        (
            "    area: [op2-legislation]",
            "6:5: error: items[0].area: unknown field 'area'; did you mean 'areas'?",
        ),
        (
            "consent: {staus: granted}",
            "6:11: error: consent.staus: unknown field 'staus'; did you mean 'status'?",
        ),
        (
            "consent: {colour: red}",
            "6:11: error: consent.colour: unknown field 'colour'; the fields here are: "
            "date, source, status",
        ),
        (
            "'[bold]': x",
            "6:1: error: [bold]: unknown field '[bold]'; the fields here are: "
            + ", ".join(sorted(Request.model_fields)),
        ),
    ],
)
def test_unknown_field_rejected(line: str, expected: str) -> None:
    problems = _model_problems(_request_text(line), Request, REQUEST_PATH)

    assert problems == [f"{REQUEST_PATH}:{expected}"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "state: Mexico\nreceived: '2006'\nitems:\n  - summary: x\n",
            ["1:1: error: iso3: missing required field 'iso3'; add it"],
        ),
        (
            "state: Mexico\niso3: MEX\nreceived: '2006'\nitems:\n  - areas: []\n",
            ["5:5: error: items[0].summary: missing required field 'summary'; add it"],
        ),
        (
            "{}\n",
            [
                "1:1: error: iso3: missing required field 'iso3'; add it",
                "1:1: error: items: missing required field 'items'; add it",
                "1:1: error: received: missing required field 'received'; add it",
                "1:1: error: state: missing required field 'state'; add it",
            ],
        ),
    ],
)
def test_missing_field_rejected(text: str, expected: list[str]) -> None:
    problems = _model_problems(text, Request, REQUEST_PATH)

    assert problems == [f"{REQUEST_PATH}:{line}" for line in expected]


def test_problems_capped_per_file() -> None:
    text = _request_text("notes: x") + "".join(f"extra{i}: x\n" for i in range(60))

    problems = _model_problems(text, Request, REQUEST_PATH)

    assert problems[-1] == (
        f"{REQUEST_PATH}:57:1: error: 10 more problems in this file are not shown; "
        "fix the ones above and run validate again"
    )
    assert len(problems) == MAX_PROBLEMS_PER_FILE + 1


# --- Encodings and line endings ----------------------------------------------------


YAML_TWIN = b"state: Mexico\niso3: MEX\nitems:\n  - summary: Customs training.\n"
MARKDOWN_TWIN = b"---\nstate: Mexico\niso3: MEX\n---\n# Request\n\nBody text.\n"


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda raw: b"\xef\xbb\xbf" + raw, id="bom"),
        pytest.param(lambda raw: raw.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda raw: raw.replace(b"\n", b"\r"), id="cr"),
        pytest.param(lambda raw: raw.rstrip(b"\n"), id="no-final-newline"),
        pytest.param(
            lambda raw: b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n"), id="bom-crlf"
        ),
    ],
)
@pytest.mark.parametrize(
    ("name", "raw"),
    [("twin.yaml", YAML_TWIN), ("twin.md", MARKDOWN_TWIN)],
)
def test_variant_loads_like_twin(
    tmp_path: Path, variant: object, name: str, raw: bytes
) -> None:
    plain = tmp_path / "plain" / name
    changed = tmp_path / "changed" / name
    plain.parent.mkdir()
    changed.parent.mkdir()
    plain.write_bytes(raw)
    changed.write_bytes(variant(raw))  # type: ignore[operator]

    expected = _snapshot(read_document(plain, name))

    assert _snapshot(read_document(changed, name)) == expected


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"\xef\xbb\xbf" + MARKDOWN_TWIN, id="bom"),
        pytest.param(MARKDOWN_TWIN.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(MARKDOWN_TWIN.replace(b"\n", b"\r"), id="cr"),
    ],
)
def test_markdown_body_line_breaks(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "record.md"
    path.write_bytes(raw)

    assert read_document(path, "record.md").body == "# Request\n\nBody text.\n"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "state: Côte d'Ivoire\n".encode("latin-1"),
            "1:9: error: byte 0xF4 is not valid UTF-8; the file may be saved as "
            "Latin-1 "
            "or Windows-1252: save it again as UTF-8",
        ),
        (
            "iso3: CIV\nstate: Côte\n".encode("cp1252"),
            "2:9: error: byte 0xF4 is not valid UTF-8; the file may be saved as "
            "Latin-1 "
            "or Windows-1252: save it again as UTF-8",
        ),
        (
            "state: Mexico\n".encode("utf-16"),
            "1:1: error: byte 0xFF is not valid UTF-8; the file may be saved as "
            "Latin-1 "
            "or Windows-1252: save it again as UTF-8",
        ),
        (
            b"state: Mexico\nnotes: a\x00b\n",
            "2:9: error: contains a NUL character; remove it (the file may be binary "
            "or "
            "saved as UTF-16)",
        ),
        (
            b"items:\n\t- summary: x\n",
            "2:1: error: a tab is used for indentation; YAML allows only spaces, so "
            "replace the tab with spaces",
        ),
        (
            b"items:\n  -\tsummary: x\n  - \tsummary: y\n",
            "2:4: error: a tab is used for indentation; YAML allows only spaces, so "
            "replace the tab with spaces",
        ),
        (
            b"state: Mexico\r\niso3: MEX\r\nstate: Peru\r\n",
            "3:1: error: state: duplicate key 'state' (first at line 1); keep one of "
            "the "
            "two lines",
        ),
    ],
)
def test_file_bytes_rejected(tmp_path: Path, raw: bytes, expected: str) -> None:
    path = tmp_path / "record.yaml"
    path.write_bytes(raw)

    assert _read_problems(path, REQUEST_PATH) == [f"{REQUEST_PATH}:{expected}"]


# --- Structure of the file ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "",
            "1:1: error: file contains nothing; a record is a mapping of field names "
            "to values",
        ),
        (
            "\n  \n",
            "1:1: error: file contains nothing; a record is a mapping of field names "
            "to values",
        ),
        (
            "# A request.\n# Fields to follow.\n",
            "1:1: error: file contains only comments; a record is a mapping of field "
            "names to values",
        ),
        (
            "---\n",
            "1:1: error: file contains no fields; a record is a mapping of field names "
            "to values",
        ),
        (
            "null\n",
            "1:1: error: file contains no fields; a record is a mapping of field names "
            "to values",
        ),
        (
            "state: Mexico\n---\nstate: Peru\n",
            "2:1: error: contains a second YAML document after '---'; a record file "
            "holds exactly one record, so remove the extra '---' line or split the "
            "file",
        ),
        (
            "---\nstate: Mexico\n...\n---\nstate: Peru\n",
            "4:1: error: contains a second YAML document after '---'; a record file "
            "holds exactly one record, so remove the extra '---' line or split the "
            "file",
        ),
        (
            "- state: Mexico\n- state: Peru\n",
            "1:1: error: the top level is a list, but a record is a mapping of field "
            "names to values (lines of 'field: value')",
        ),
        (
            "Mexico\n",
            "1:1: error: the top level is a single value, but a record is a mapping of "
            "field names to values (lines of 'field: value')",
        ),
        (
            "? [state, iso3]\n: Mexico\n",
            "1:3: error: uses a list or mapping as a key; keys are plain field names",
        ),
        (
            "state: 'Mexico\n",
            "2:1: error: invalid YAML: while scanning a quoted scalar, found "
            "unexpected "
            "end of stream; check the quotes, colons and indentation on this line and "
            "the one before",
        ),
        (
            "state: Mexico: City\n",
            "1:14: error: invalid YAML: mapping values are not allowed in this "
            "context; "
            "check the quotes, colons and indentation on this line and the one before",
        ),
    ],
)
def test_file_structure_rejected(text: str, expected: str) -> None:
    assert _parse_problems(text, fast=True) == [f"{REQUEST_PATH}:{expected}"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# only a comment\n",
        "---\n",
        "state: Mexico\n---\nstate: Peru\n",
        "- state: Mexico\n",
        "Mexico\n",
        "state: 'Mexico\n",
        "state: Mexico: City\n",
        "items:\n\t- summary: x\n",
        ": orphan value\n",
    ],
)
def test_ruamel_rejects_at_same_line(text: str) -> None:
    libyaml = _parse_problems(text, fast=True)[0].split(": error: ")[0]
    ruamel = _parse_problems(text, fast=False)[0].split(": error: ")[0]

    assert ruamel == libyaml


# --- Markdown front matter ---------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            b"---\nstate: Mexico\n\n# Request\n",
            "1:1: error: front matter is never closed; add a line '---' after the "
            "record's last field",
        ),
        (
            b"# Request\n\nstate: Mexico\n",
            "1:1: error: has no YAML front matter; start the file with a line '---', "
            "then the record's fields, then a closing line '---'",
        ),
        (
            b"",
            "1:1: error: has no YAML front matter; start the file with a line '---', "
            "then the record's fields, then a closing line '---'",
        ),
        (
            b"---\n---\n# Request\n",
            "1:1: error: front matter is empty; put the record's fields between the "
            "two '---' lines",
        ),
        (
            b"---\n# fields later\n---\n# Request\n",
            "1:1: error: front matter is empty; put the record's fields between the "
            "two '---' lines",
        ),
        (
            b"---\nstate: Mexico\niso3: MEX\nstate: Peru\n---\n",
            "4:1: error: state: duplicate key 'state' (first at line 2); keep one of "
            "the two lines",
        ),
        (
            b"---\n- state\n---\n",
            "2:1: error: the top level is a list, but a record is a mapping of field "
            "names to values (lines of 'field: value')",
        ),
    ],
)
def test_front_matter_rejected(tmp_path: Path, raw: bytes, expected: str) -> None:
    path = tmp_path / "record.md"
    path.write_bytes(raw)

    assert _read_problems(path, "data/requests/r.md") == [
        f"data/requests/r.md:{expected}"
    ]


@pytest.mark.parametrize(
    ("raw", "body"),
    [
        (
            b"---\nstate: Mexico\n---\n# Request\n---\nMore.\n",
            "# Request\n---\nMore.\n",
        ),
        (b"---\nstate: Mexico\n...\nBody.\n", "Body.\n"),
        (b"---\nstate: Mexico\n---\n", ""),
        (
            b"---\nstate: Mexico\n---\n---\nstate: Peru\n---\n",
            "---\nstate: Peru\n---\n",
        ),
    ],
)
def test_front_matter_body_kept(tmp_path: Path, raw: bytes, body: str) -> None:
    path = tmp_path / "record.md"
    path.write_bytes(raw)

    document = read_document(path, "data/requests/r.md")

    assert document.body == body


def test_front_matter_positions_count_file_lines(tmp_path: Path) -> None:
    path = tmp_path / "record.md"
    path.write_bytes(b"---\nstate: Mexico\niso3: MEX\n---\nBody.\n")

    document = read_document(path, "data/requests/r.md")

    assert document.positions[("iso3",)] == (3, 7)


# --- Hostile input -----------------------------------------------------------------

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            BILLION_LAUGHS,
            "1:4: error: a: uses the anchor '&a'; anchors and aliases are not allowed "
            "in records, so write each value out in full",
        ),
        (
            "state: *name\n",
            "1:8: error: state: uses the alias '*name'; aliases are not allowed in "
            "records, so write the value out in full",
        ),
        (
            "items:\n  - &item {summary: x}\n",
            "2:5: error: items[0]: uses the anchor '&item'; anchors and aliases are "
            "not "
            "allowed in records, so write each value out in full",
        ),
        (
            "state: !!python/object/apply:os.system ['true']\n",
            "1:8: error: state: uses the tag 'tag:yaml.org,2002:python/object/apply:"
            "os.system'; tags are not allowed in records, so remove it (quote the "
            "value "
            "to keep it as text)",
        ),
        (
            "received: !!str 2005\n",
            "1:11: error: received: uses the tag 'tag:yaml.org,2002:str'; tags are not "
            "allowed in records, so remove it (quote the value to keep it as text)",
        ),
        (
            "notes: !local text\n",
            "1:8: error: notes: uses the tag '!local'; tags are not allowed in "
            "records, "
            "so remove it (quote the value to keep it as text)",
        ),
        (
            "state: Mexico\x07\n",
            "1:14: error: contains the control character U+0007; remove it",
        ),
        (
            "state: \x1b[31mMexico\n",
            "1:8: error: contains the control character U+001B; remove it",
        ),
        (
            "state: Mexico\u2028City\n",
            "1:14: error: contains the line separator U+2028, often pasted from a word "
            "processor; replace it with a line break or a space",
        ),
        (
            "state: Mexico\x85\n",
            "1:14: error: contains the line separator U+0085, often pasted from a word "
            "processor; replace it with a line break or a space",
        ),
        (
            "state: Mexico\t\n",
            "1:14: error: a tab is used as a space; records allow tabs only inside "
            "quotes or block text, so replace the tab with spaces",
        ),
        (
            "consent: {status:\tgranted}\n",
            "1:18: error: a tab is used as a space; records allow tabs only inside "
            "quotes or block text, so replace the tab with spaces",
        ),
        (
            "\t# A request.\nstate: Mexico\n",
            "1:1: error: a tab is used for indentation; YAML allows only spaces, so "
            "replace the tab with spaces",
        ),
        (
            "state: Mexico\ufeff\n",
            "1:14: error: contains an invisible byte order mark (U+FEFF) after the "
            "start of the file, often pasted with other text; remove it",
        ),
        (
            'state: "\\e[31mMexico"\n',
            "1:8: error: state: the value contains the control character U+001B, "
            "written as an escape in quotes; remove the escape",
        ),
        (
            'state: "Mexico\\0"\n',
            "1:8: error: state: the value contains the control character U+0000, "
            "written as an escape in quotes; remove the escape",
        ),
        (
            'state: "Mexico\\LCity"\n',
            "1:8: error: state: the value contains the control character U+2028, "
            "written as an escape in quotes; remove the escape",
        ),
        (
            '"sta\\nte": Mexico\n',
            "1:1: error: the field name contains the control character U+000A, "
            "written as an escape in quotes; remove the escape",
        ),
    ],
)
@pytest.mark.parametrize("fast", PARSERS)
def test_hostile_yaml_rejected(text: str, expected: str, fast: bool) -> None:
    assert _parse_problems(text, fast) == [f"{REQUEST_PATH}:{expected}"]


@pytest.mark.parametrize(
    ("text", "notes"),
    [
        ('notes: "one\\ttwo\\nthree"\n', "one\ttwo\nthree"),
        ('notes: "one\ttwo"\n', "one\ttwo"),
        ("notes: 'one\ttwo'\n", "one\ttwo"),
        ("notes: |\n  one\ttwo\n", "one\ttwo\n"),
        ("notes: >-\n  one\ttwo\n  three\n", "one\ttwo three"),
        ("notes: one # a\tcomment\n", "one"),
    ],
)
@pytest.mark.parametrize("fast", PARSERS)
def test_tab_in_text_kept(text: str, notes: str, fast: bool) -> None:
    document = parse_yaml(text, REQUEST_PATH, fast=fast)

    assert document.values == {"notes": notes}


@pytest.mark.parametrize("fast", PARSERS)
def test_deep_flow_nesting_rejected(fast: bool) -> None:
    text = "notes: " + "[" * 500 + "]" * 500 + "\n"
    field = "notes" + "[0]" * (MAX_DEPTH - 1)

    assert _parse_problems(text, fast) == [
        f"{REQUEST_PATH}:1:39: error: {field}: nesting is too deep; records nest at "
        f"most {MAX_DEPTH} levels"
    ]


@pytest.mark.parametrize("fast", PARSERS)
def test_deep_block_nesting_rejected(fast: bool) -> None:
    text = "".join("  " * depth + f"k{depth}:\n" for depth in range(300))
    field = ".".join(f"k{depth}" for depth in range(MAX_DEPTH - 1))

    assert _parse_problems(text, fast) == [
        f"{REQUEST_PATH}:{MAX_DEPTH}:{2 * MAX_DEPTH - 1}: error: {field}: nesting is "
        f"too deep; records nest at most {MAX_DEPTH} levels"
    ]


def test_multi_megabyte_file_rejected(tmp_path: Path) -> None:
    path = tmp_path / "record.yaml"
    path.write_bytes(b"notes: |\n" + b"  A line of the notes.\n" * 150_000)

    assert _read_problems(path, REQUEST_PATH) == [
        f"{REQUEST_PATH}:1:1: error: file is larger than the {MAX_FILE_BYTES:,} bytes "
        "a record may have; move long text out of the record or split it"
    ]


def test_million_character_line_rejected(tmp_path: Path) -> None:
    path = tmp_path / "record.yaml"
    path.write_bytes(b"state: Mexico\nnotes: " + b"x" * 1_000_000 + b"\n")

    assert _read_problems(path, REQUEST_PATH) == [
        f"{REQUEST_PATH}:2:1: error: line is 1,000,007 characters long, more than the "
        f"{MAX_LINE_CHARACTERS:,} allowed; break it into several lines"
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
@pytest.mark.parametrize("linked", ["file", "folder"])
def test_link_outside_repository_rejected(tmp_path: Path, linked: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.yaml").write_text("secret-token: abc123\n", encoding="utf-8")
    root = make_repo(tmp_path, {})
    if linked == "file":
        (root / "data/requests/leak.yaml").symlink_to(outside / "leak.yaml")
    else:
        (root / "data/requests").rmdir()
        (root / "data/requests").symlink_to(outside, target_is_directory=True)

    assert problem_lines(root) == [
        "data/requests/leak.yaml:1:1: error: is a symbolic link or lies in a linked "
        "folder; records must be plain files inside the repository, so replace the "
        "link with the file"
    ]


# --- Text in many scripts ----------------------------------------------------------

STATE_NAMES = [
    pytest.param("Côte d’Ivoire", id="composed-curly"),
    pytest.param("Co\u0302te d'Ivoire", id="decomposed"),
    pytest.param("Türkiye", id="composed"),
    pytest.param("Tu\u0308rkiye", id="decomposed-umlaut"),
    pytest.param("الإمارات العربية المتحدة", id="arabic"),
    pytest.param("中华人民共和国", id="chinese"),
    pytest.param("Российская Федерация", id="russian"),
    pytest.param("São Tomé and Príncipe", id="portuguese"),
]


@pytest.mark.parametrize("name", STATE_NAMES)
@pytest.mark.parametrize("fast", PARSERS)
def test_state_name_kept_exactly(name: str, fast: bool) -> None:
    document = parse_yaml(f"state: {name}\n", REQUEST_PATH, fast=fast)

    assert document.values == {"state": name}


@pytest.mark.parametrize("name", STATE_NAMES)
@pytest.mark.parametrize("fast", PARSERS)
def test_column_after_name_counts_characters(name: str, fast: bool) -> None:
    prefix = f"{{state: {name}, iso3: "
    document = parse_yaml(prefix + "CIV}\n", REQUEST_PATH, fast=fast)

    assert document.positions[("iso3",)] == (1, len(prefix) + 1)


@pytest.mark.parametrize("name", STATE_NAMES)
def test_request_with_state_name_valid(tmp_path: Path, name: str) -> None:
    request = _request_text(f"state: {name}")
    root = make_repo(tmp_path, {**VALID_RECORDS, REQUEST_PATH: request})
    errors = [line for line in problem_lines(root) if ": error: " in line]

    # A name that does not fit the code (MEX) is only a warning.
    assert errors == []


# --- Record ids and file names -----------------------------------------------------

INVALID_ID = (
    "invalid record id '{}'; ids use lower-case letters, digits and single hyphens "
    "(up to 80 characters), such as mex-2006 or iaea"
)


@pytest.mark.parametrize(
    ("record_id", "expected"),
    [
        ("../requests/mex-2006", INVALID_ID.format("../requests/mex-2006")),
        ("..", INVALID_ID.format("..")),
        ("mex\x002006", INVALID_ID.format("mex\x002006")),
        ("Mex-2006", INVALID_ID.format("Mex-2006")),
        ("mex 2006", INVALID_ID.format("mex 2006")),
        ("", INVALID_ID.format("")),
        ("-mex", INVALID_ID.format("-mex")),
        ("mex-", INVALID_ID.format("mex-")),
        ("mex--2006", INVALID_ID.format("mex--2006")),
        ("a" * 81, INVALID_ID.format("a" * 81)),
        ("con", "record id 'con' is a reserved file name on Windows"),
        ("lpt1", "record id 'lpt1' is a reserved file name on Windows"),
    ],
)
def test_record_id_rejected(record_id: str, expected: str) -> None:
    assert id_problem(record_id) == expected


@pytest.mark.parametrize("record_id", ["mex-2006", "iaea", "a", "a" * 80, "con-2006"])
def test_record_id_accepted(record_id: str) -> None:
    assert id_problem(record_id) is None


@pytest.mark.parametrize("record_id", ["../offers/x", "con", "x\x00y"])
def test_record_path_rejects_id(tmp_path: Path, record_id: str) -> None:
    repository = DataRepository.open(make_repo(tmp_path, {}), "test")

    with pytest.raises(UsageError):
        repository.record_path("requests", record_id)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "con.yaml",
            "record id 'con' is a reserved file name on Windows; rename the "
            "file to a valid id",
        ),
        (
            "Mex-2006.yaml",
            INVALID_ID.format("Mex-2006") + "; rename the file to a valid id",
        ),
        (
            "mex 2006.yaml",
            INVALID_ID.format("mex 2006") + "; rename the file to a valid id",
        ),
        (
            "mex-2006.txt",
            "unexpected file 'mex-2006.txt' among the records; records "
            "end in .yaml or .md, so rename it or move it out of the data folder",
        ),
        (
            "mex-2006.YAML",
            "unexpected file 'mex-2006.YAML' among the records; records "
            "end in .yaml or .md, so rename it or move it out of the data folder",
        ),
    ],
)
def test_record_file_name_rejected(tmp_path: Path, name: str, expected: str) -> None:
    root = make_repo(tmp_path, {f"data/requests/{name}": _request_text("notes: x")})

    assert problem_lines(root) == [f"data/requests/{name}:1:1: error: {expected}"]


# --- Output through the command line ----------------------------------------------


def test_markup_in_record_prints_literally(tmp_path: Path) -> None:
    request = _request_text("iso3: '[bold]MEX[/bold]'")
    root = make_repo(tmp_path, {REQUEST_PATH: request})

    result = run_cli(["validate"], repo=root)

    assert result.stdout == (
        f"{REQUEST_PATH}:2:7: error: iso3: '[bold]MEX[/bold]' is not an ISO 3166-1 "
        "alpha-3 country code; use the three capital letters, e.g. MEX for Mexico\n"
    )


@pytest.mark.parametrize("extra", [0, 1], ids=["at-limit", "one-byte-over"])
def test_file_size_limit_exact(tmp_path: Path, extra: int) -> None:
    path = tmp_path / "record.yaml"
    head = b"notes: |\n"
    line = b"  " + b"x" * 1021 + b"\n"
    body = line * ((MAX_FILE_BYTES - len(head)) // len(line))
    filler = MAX_FILE_BYTES - len(head) - len(body)
    path.write_bytes(head + body + b"#" * (filler - 1) + b"\n" + b"#" * extra)

    assert path.stat().st_size == MAX_FILE_BYTES + extra
    if extra:
        assert _read_problems(path, REQUEST_PATH)[0].startswith(
            f"{REQUEST_PATH}:1:1: error: file is larger than"
        )
    else:
        assert read_document(path, REQUEST_PATH).values["notes"].startswith("x" * 1021)
