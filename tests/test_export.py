"""Exports: exact rows read back from CSV, JSON and XLSX, HXL, IATI, privacy."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from assist1540.catalog import load_catalog
from assist1540.models import Offer, Request
from assist1540.reports.export import OFFER_IATI_STATUS, request_iati_status
from assist1540.repository import DataRepository
from conftest import commit_all, make_repo, run_cli

SECRETS = (
    "Secret Person",
    "secret@example.org",
    "SECRET internal remark",
    "SECRET-AUTH-REF",
    "Offer Secret",
    "OFFER-SECRET",
    "Provider Secret",
    "PROVIDER-SECRET",
)

FILES = {
    "data/requests/mex-2006.yaml": """\
        state: Mexico
        iso3: MEX
        received: "2006"
        channel: note-verbale
        status: matched
        consent: {status: granted}
        published: true
        items:
          - summary: Train customs officers.
            areas: [op3c-border-law-enforcement]
            weapons: [nuclear, chemical]
            types: [training]
          - summary: '=HYPERLINK("http://example.org")'
            areas: [op2-legislation, op3c-border-law-enforcement]
            types: [legal-drafting]
        sources: [https://example.org/mex]
        notes: Public remark.
        authentication:
          date: 2006-02-01
          method: with the Mission
          reference: SECRET-AUTH-REF
        contacts:
          - {name: Secret Person, role: focal point, email: secret@example.org}
        internal_notes: SECRET internal remark
        history:
          - {date: 2006-02-01, action: authenticate}
          - {date: 2006-02-03, action: acknowledge}
          - {date: 2006-03-01, action: distribute}
          - {date: 2006-04-01, action: match}
        """,
    "data/requests/per-2017-03-07.yaml": """\
        state: Peru
        iso3: PER
        received: 2017-03-07
        status: closed
        items:
          - summary: Strengthen the institutions.
        history:
          - {date: 2018-01-10, action: close, note: "closed: withdrawn"}
        """,
    "data/offers/canada-mex-2006.yaml": """\
        request: mex-2006
        items: [1]
        provider: canada
        programme: Counter-Terrorism Capacity Building Program
        received: 2006-04-01
        summary: A course.
        status: completed
        reports:
          - {date: 2006-06-01, kind: progress, by: provider}
          - {date: 2006-09-01, kind: completion, by: state}
        contacts: [{name: Offer Secret}]
        internal_notes: OFFER-SECRET
        """,
    "data/offers/customs-org-per-2017-03-07.yaml": """\
        request: per-2017-03-07
        provider: customs-org
        received: 2017-05-02
        summary: Equipment.
        status: declined
        """,
    "data/providers/canada.yaml": """\
        name: Canada
        kind: state
        iso3: CAN
        regions: [Americas]
        areas: [op2-legislation]
        last_confirmed: 2025-05-01
        sources: [https://example.org/canada]
        contacts: [{name: Provider Secret, phone: "+1 555 0100"}]
        internal_notes: PROVIDER-SECRET
        programmes:
          - name: Counter-Terrorism Capacity Building Program
            summary: Training and legal drafting help.
            areas: [op2-legislation]
            types: [legal-drafting, training]
          - name: Export control workshop
            summary: Workshops on export licensing.
            areas: [op3d-export-control]
            weapons: [nuclear]
            regions: [Caribbean]
            last_confirmed: 2025-09-01
        """,
    "data/providers/customs-org.yaml": """\
        name: World Customs Group
        short_name: WCG
        kind: international-organization
        notes: Customs cooperation.
        areas: [op3c-border-law-enforcement]
        weapons: [nuclear]
        types: [training]
        """,
}

REQUEST_HEADER = [
    "request", "state", "iso3", "region", "received", "year", "channel",
    "language", "formal", "status", "iati_status", "close_reason", "consent",
    "published", "items", "areas", "weapons", "types", "offers", "acknowledged",
    "distributed", "closed", "notes", "sources",
]  # fmt: skip
REQUEST_HXL = [
    "#activity+id+request", "#country+name", "#country+code", "#region+name",
    "#date+received", "#date+year", "#meta+channel", "#meta+lang", "#meta+formal",
    "#status", "#status+code+iati", "#status+reason", "#status+consent",
    "#meta+published", "#meta+items+num", "#sector", "#subsector+weapon",
    "#activity+type", "#meta+offers+num", "#date+acknowledged",
    "#date+distributed", "#date+closed", "#description+notes", "#meta+source",
]  # fmt: skip
REQUEST_ROWS = [
    [
        "mex-2006", "Mexico", "MEX", "Central America", "2006", "2006",
        "note-verbale", "en", "true", "matched", "3", "", "granted", "true", "2",
        "op3c-border-law-enforcement; op2-legislation", "nuclear; chemical",
        "training; legal-drafting", "1", "2006-02-03", "2006-03-01", "",
        "Public remark.", "https://example.org/mex",
    ],
    [
        "per-2017-03-07", "Peru", "PER", "South America", "2017-03-07", "2017",
        "not-stated", "en", "true", "closed", "5", "withdrawn", "unknown", "false",
        "1", "", "", "", "1", "", "", "2018-01-10", "", "",
    ],
]  # fmt: skip


@pytest.fixture
def export_repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path, FILES)
    commit_all(root)
    return root


def _export(root: Path, *args: str) -> str:
    result = run_cli(["export", *args], root)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_export_requests_csv(export_repo: Path) -> None:
    rows = _csv_rows(_export(export_repo, "requests", "--unpublished"))

    assert rows == [REQUEST_HEADER, *REQUEST_ROWS]


def test_export_requests_hxl_row(export_repo: Path) -> None:
    rows = _csv_rows(_export(export_repo, "requests", "--hxl", "--unpublished"))

    assert rows[0] == REQUEST_HEADER
    assert rows[1] == REQUEST_HXL
    assert rows[2:] == REQUEST_ROWS


def test_export_items_csv(export_repo: Path) -> None:
    rows = _csv_rows(_export(export_repo, "items", "--format", "csv", "--unpublished"))

    assert rows == [
        [
            "request", "item", "state", "iso3", "region", "received", "year",
            "status", "iati_status", "summary", "areas", "weapons", "types",
            "confidence", "offers",
        ],
        [
            "mex-2006", "1", "Mexico", "MEX", "Central America", "2006", "2006",
            "matched", "3", "Train customs officers.",
            "op3c-border-law-enforcement", "nuclear; chemical", "training",
            "stated", "1",
        ],
        [
            "mex-2006", "2", "Mexico", "MEX", "Central America", "2006", "2006",
            "matched", "1", '\'=HYPERLINK("http://example.org")',
            "op2-legislation; op3c-border-law-enforcement", "", "legal-drafting",
            "stated", "0",
        ],
        [
            "per-2017-03-07", "1", "Peru", "PER", "South America", "2017-03-07",
            "2017", "closed", "5", "Strengthen the institutions.", "", "", "",
            "stated", "1",
        ],
    ]  # fmt: skip


def test_export_offers_json(export_repo: Path) -> None:
    offers = json.loads(
        _export(export_repo, "offers", "--format", "json", "--unpublished")
    )

    assert offers == [
        {
            "offer": "canada-mex-2006",
            "request": "mex-2006",
            "items": [1],
            "state": "Mexico",
            "iso3": "MEX",
            "region": "Central America",
            "provider": "canada",
            "provider_name": "Canada",
            "programme": "Counter-Terrorism Capacity Building Program",
            "received": "2006-04-01",
            "year": 2006,
            "status": "completed",
            "iati_status": 3,
            "reports": 2,
            "last_report": "2006-09-01",
            "completed": "2006-09-01",
            "feedback": 0,
            "summary": "A course.",
            "notes": None,
        },
        {
            "offer": "customs-org-per-2017-03-07",
            "request": "per-2017-03-07",
            "items": [],
            "state": "Peru",
            "iso3": "PER",
            "region": "South America",
            "provider": "customs-org",
            "provider_name": "World Customs Group",
            "programme": None,
            "received": "2017-05-02",
            "year": 2017,
            "status": "declined",
            "iati_status": 5,
            "reports": 0,
            "last_report": None,
            "completed": None,
            "feedback": 0,
            "summary": "Equipment.",
            "notes": None,
        },
    ]


def test_export_providers_xlsx(export_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "providers.xlsx"

    result = run_cli(["export", "providers", "--hxl", "--out", str(out)], export_repo)

    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == f"Wrote 3 rows of providers to {out}"
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert sheet.title == "providers"
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == [
        [
            "provider", "provider_name", "short_name", "kind", "iso3", "programme",
            "summary", "regions", "areas", "weapons", "types",
            "programme_last_confirmed", "provider_last_confirmed", "sources",
        ],
        [
            "#org+provider+code", "#org+provider+name", "#org+provider+acronym",
            "#org+provider+type", "#country+code", "#activity+name+programme",
            "#description", "#region+name", "#sector", "#subsector+weapon",
            "#activity+type", "#date+confirmed+programme",
            "#date+confirmed+provider", "#meta+source",
        ],
        [
            "canada", "Canada", None, "state", "CAN",
            "Counter-Terrorism Capacity Building Program",
            "Training and legal drafting help.", "Americas", "op2-legislation",
            None, "legal-drafting; training", None, "2025-05-01",
            "https://example.org/canada",
        ],
        [
            "canada", "Canada", None, "state", "CAN", "Export control workshop",
            "Workshops on export licensing.", "Caribbean", "op3d-export-control",
            "nuclear", None, "2025-09-01", "2025-05-01",
            "https://example.org/canada",
        ],
        [
            "customs-org", "World Customs Group", "WCG", "international-organization",
            None, None, "Customs cooperation.", None,
            "op3c-border-law-enforcement", "nuclear", "training", None, None, None,
        ],
    ]  # fmt: skip


def test_export_xlsx_keeps_formula_text(export_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "items.xlsx"

    result = run_cli(["export", "items", "--out", str(out)], export_repo)

    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    cell = sheet["J3"]
    assert cell.value == '=HYPERLINK("http://example.org")'
    assert cell.data_type == "s"
    assert sheet["B2"].value == 1


def _all_bytes(root: Path, table: str, table_format: str, tmp_path: Path) -> bytes:
    out = tmp_path / f"{table}.{table_format}"
    result = run_cli(["export", table, "--out", str(out)], root)
    assert result.exit_code == 0, result.stderr
    if table_format != "xlsx":
        return out.read_bytes()
    with zipfile.ZipFile(out) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


@pytest.mark.parametrize("table", ["requests", "items", "offers", "providers"])
@pytest.mark.parametrize("table_format", ["csv", "json", "xlsx"])
def test_export_leaves_internal_fields_out(
    export_repo: Path, tmp_path: Path, table: str, table_format: str
) -> None:
    content = _all_bytes(export_repo, table, table_format, tmp_path)

    for secret in SECRETS:
        assert secret.encode() not in content


def test_export_internal_requests(export_repo: Path) -> None:
    result = run_cli(["export", "requests", "--internal"], export_repo)

    assert result.exit_code == 0, result.stderr
    rows = _csv_rows(result.stdout)
    assert rows[0][-5:] == [
        "authenticated",
        "authentication_method",
        "authentication_reference",
        "contacts",
        "internal_notes",
    ]
    assert rows[1][-5:] == [
        "2006-02-01",
        "with the Mission",
        "SECRET-AUTH-REF",
        "Secret Person (focal point) <secret@example.org>",
        "SECRET internal remark",
    ]
    assert "the export includes internal fields; do not publish it" in result.stderr


def test_export_internal_providers_and_offers(export_repo: Path) -> None:
    providers = json.loads(
        _export(export_repo, "providers", "--internal", "--format", "json")
    )
    offers = json.loads(
        _export(export_repo, "offers", "--internal", "--format", "json")
    )

    assert providers[0]["contacts"] == ["Provider Secret +1 555 0100"]
    assert providers[0]["internal_notes"] == "PROVIDER-SECRET"
    assert providers[2]["contacts"] == []
    assert offers[0]["contacts"] == ["Offer Secret"]
    assert offers[0]["internal_notes"] == "OFFER-SECRET"


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("received", 1),
        ("circulated", 1),
        ("informed", 1),
        ("no-answer", 6),
        ("taken-up", 2),
        ("in-progress", 2),
        ("completed", 3),
        ("feedback-received", 4),
        ("declined", 5),
    ],
)
def test_offer_iati_status(status: str, code: int) -> None:
    assert OFFER_IATI_STATUS[status] == code


def _request(status: str, close_note: str | None = None) -> Request:
    history = [{"date": "2020-01-01", "action": "close", "note": close_note}]
    return Request.model_validate(
        {
            "state": "Mexico",
            "iso3": "MEX",
            "received": "2019",
            "status": status,
            "items": [{"summary": "Training."}],
            "history": history if close_note else [],
        }
    )


def _offer(status: str) -> Offer:
    return Offer.model_validate(
        {
            "request": "mex-2019",
            "provider": "canada",
            "received": "2019",
            "summary": "Help.",
            "status": status,
        }
    )


@pytest.mark.parametrize(
    ("status", "note", "offers", "code"),
    [
        ("received", None, [], 1),
        ("distributed", None, ["informed", "declined"], 1),
        ("matched", None, ["taken-up", "completed"], 2),
        ("matched", None, ["completed", "declined"], 3),
        ("matched", None, ["feedback-received"], 3),
        ("closed", "closed: met", ["feedback-received"], 4),
        ("closed", "closed: withdrawn", [], 5),
        ("closed", "closed: lapsed; no answer", [], 5),
        ("closed", None, [], 4),
    ],
)
def test_request_iati_status(
    status: str, note: str | None, offers: list[str], code: int
) -> None:
    request = _request(status, note)

    assert request_iati_status(request, [_offer(s) for s in offers]) == code


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["requests", "--format", "json", "--hxl"],
            "error: --hxl adds a row to csv and xlsx files; leave it out for json",
        ),
        (
            ["requests", "--format", "xlsx"],
            "error: an xlsx file is binary and cannot go to stdout; write it with "
            "--out FILE.xlsx",
        ),
        (
            ["programmes"],
            "error: invalid table 'programmes'; use requests, items, offers, providers",
        ),
        (
            ["offers", "--format", "tsv"],
            "error: invalid --format 'tsv'; use csv, xlsx or json",
        ),
        (
            ["offers", "--out", "offers.docx"],
            "error: --out offers.docx names a docx file, which this command does not "
            "write; give a file ending in .csv, .xlsx or .json, or a --format",
        ),
    ],
)
def test_export_usage_errors(export_repo: Path, args: list[str], message: str) -> None:
    result = run_cli(["export", *args], export_repo)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip() == message


def test_export_out_is_folder(export_repo: Path, tmp_path: Path) -> None:
    result = run_cli(["export", "offers", "--out", str(tmp_path)], export_repo)

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: --out {tmp_path} is a folder; give the path of a file, inside it "
        "or elsewhere"
    )


def test_cli_import_leaves_heavy_modules_out() -> None:
    code = (
        "import sys, assist1540.cli; "
        "print(sorted(m for m in ('openpyxl', 'docx') if m in sys.modules))"
    )

    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert loaded.stdout.strip() == "[]"


@pytest.mark.parametrize("table", ["requests", "items", "offers"])
def test_default_export_only_published(export_repo: Path, table: str) -> None:
    everything = json.loads(
        _export(export_repo, table, "--format", "json", "--unpublished")
    )
    published = json.loads(_export(export_repo, table, "--format", "json"))
    catalog = load_catalog(DataRepository.open(export_repo, "test"))
    public_ids = {
        request_id
        for request_id, entry in catalog.requests.items()
        if entry.record.published and entry.record.consent.status == "granted"
    }

    assert len(published) < len(everything)
    assert {row["request"] for row in published} <= public_ids


@pytest.mark.parametrize(
    "summary", ['=HYPERLINK("http://example.org","x")', "+cmd|' /C calc'!A0", "@SUM(1)"]
)
def test_csv_export_neutralises_formulas(tmp_path: Path, summary: str) -> None:
    request = FILES["data/requests/mex-2006.yaml"].replace(
        "summary: Train customs officers.",
        "summary: " + "'" + summary.replace("'", "''") + "'",
    )
    root = make_repo(tmp_path, {**FILES, "data/requests/mex-2006.yaml": request})
    commit_all(root)

    rows = _csv_rows(_export(root, "items", "--unpublished"))
    cells = [cell for row in rows for cell in row]

    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert any(cell.startswith("'") and cell[1:2] in "=+@" for cell in cells)
