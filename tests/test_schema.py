"""JSON Schemas of the records, and the header line that names them in each file."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from assist1540.models import Taxonomy
from assist1540.reader import read_document
from assist1540.schema import (
    HEADER_PREFIX,
    SCHEMA_MODELS,
    add_schema_header,
    build_schema,
    find_schema_header,
    schema_header,
)
from conftest import REQUEST, TAXONOMY, VALID_RECORDS, commit_all, make_repo, run_cli

PROJECT_ROOT = Path(__file__).parents[1]
DATA = PROJECT_ROOT / "data"
SCHEMAS = PROJECT_ROOT / "schemas"
KIND_OF_FOLDER = {
    "requests": "request",
    "offers": "offer",
    "providers": "provider",
    "events": "event",
}


def _bundled_files() -> list[tuple[str, Path]]:
    files = [("taxonomy", DATA / "taxonomy.yaml")]
    for folder, kind in KIND_OF_FOLDER.items():
        files += [
            (kind, path)
            for path in sorted((DATA / folder).glob("*.y*ml"))
            if not path.name.startswith(".")
        ]
    return files


def _bundled_taxonomy() -> Taxonomy:
    document = read_document(DATA / "taxonomy.yaml", "data/taxonomy.yaml")
    return Taxonomy.model_validate(document.values)


def _as_editor_reads(path: Path) -> Any:
    """Load YAML as an editor's YAML 1.2 parser does; dates stay text there."""

    def text_dates(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: text_dates(item) for key, item in value.items()}
        if isinstance(value, list):
            return [text_dates(item) for item in value]
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    return text_dates(YAML(typ="safe", pure=True).load(path.read_text("utf-8")))


@pytest.mark.parametrize(
    ("kind", "path"), _bundled_files(), ids=[p.name for _, p in _bundled_files()]
)
def test_bundled_header_names_schema(kind: str, path: Path) -> None:
    named = find_schema_header(path.read_text(encoding="utf-8"))

    assert named == f"{'../' * (len(path.relative_to(PROJECT_ROOT).parts) - 1)}" + (
        f"schemas/{kind}.schema.json"
    )
    assert (path.parent / named).resolve().is_file()


@pytest.mark.parametrize(
    ("kind", "path"), _bundled_files(), ids=[p.name for _, p in _bundled_files()]
)
def test_bundled_record_fits_schema(kind: str, path: Path) -> None:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text("utf-8"))

    jsonschema.validate(_as_editor_reads(path), schema)


def test_committed_schemas_current(tmp_path: Path) -> None:
    result = run_cli(["schema", "--out", str(tmp_path)], repo=PROJECT_ROOT)

    assert result.exit_code == 0, result.stderr
    for kind in SCHEMA_MODELS:
        written = (tmp_path / f"{kind}.schema.json").read_text("utf-8")
        committed = (SCHEMAS / f"{kind}.schema.json").read_text("utf-8")
        assert written == committed, (
            f"schemas/{kind}.schema.json is out of date; run: assist1540 schema "
            "--out schemas"
        )


INVALID_REQUESTS = [
    ("unknown field", {"stat": "Mexico"}, "Additional properties"),
    ("unknown area", {"items": [{"summary": "x", "areas": ["op9"]}]}, "is not one of"),
    (
        "repeated area",
        {"items": [{"summary": "x", "areas": ["op2-legislation"] * 2}]},
        "non-unique",
    ),
    (
        "published without consent",
        {"published": True, "consent": {"status": "unknown"}},
        "'granted' was expected",
    ),
    ("lower-case iso3", {"iso3": "mex"}, "does not match"),
    ("received as number", {"received": 2006}, "is not of type 'string'"),
]


@pytest.mark.parametrize(
    ("change", "message"),
    [case[1:] for case in INVALID_REQUESTS],
    ids=[case[0] for case in INVALID_REQUESTS],
)
def test_schema_rejects_request(change: dict[str, Any], message: str) -> None:
    schema = build_schema("request", _bundled_taxonomy())
    record = {
        "state": "Mexico",
        "iso3": "MEX",
        "received": "2006",
        "items": [{"summary": "Customs training."}],
        **change,
    }

    with pytest.raises(jsonschema.ValidationError, match=message):
        jsonschema.validate(record, schema)


def test_offer_ids_have_pattern() -> None:
    schema = build_schema("offer", None)
    offer = {
        "request": "Mex--2006",
        "provider": "canada",
        "received": "2007",
        "summary": "x",
    }

    with pytest.raises(jsonschema.ValidationError, match="does not match"):
        jsonschema.validate(offer, schema)


def test_state_provider_needs_iso3() -> None:
    schema = build_schema("provider", None)

    with pytest.raises(jsonschema.ValidationError, match="'iso3' is a required"):
        jsonschema.validate({"name": "Chile", "kind": "state"}, schema)


def test_schema_without_taxonomy_lists_none() -> None:
    schema = build_schema("request", None)

    assert "enum" not in schema["$defs"]["RequestItem"]["properties"]["areas"]["items"]


def test_schema_command_prints_kind(data_repo: Path) -> None:
    result = run_cli(["schema", "offer"], repo=data_repo)

    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "assist1540 offer"


def test_schema_unknown_kind(data_repo: Path) -> None:
    result = run_cli(["schema", "requests-x"], repo=data_repo)

    assert (result.exit_code, result.stderr) == (
        2,
        "error: unknown record kind 'requests-x'; use one of request, offer, "
        "provider, event, taxonomy\n",
    )


@pytest.mark.parametrize(
    ("kind", "path", "expected"),
    [
        (
            "requests",
            "data/requests/mex-2006.yaml",
            "../../schemas/request.schema.json",
        ),
        ("offers", "data/offers/a.yml", "../../schemas/offer.schema.json"),
        ("taxonomy", "data/taxonomy.yaml", "../schemas/taxonomy.schema.json"),
        ("events", "records/data/events/x.yaml", "../../../schemas/event.schema.json"),
    ],
)
def test_header_relative_path(kind: str, path: str, expected: str) -> None:
    root = Path("/repo")

    assert schema_header(kind, root / path, root) == HEADER_PREFIX + expected


def test_no_header_for_markdown() -> None:
    root = Path("/repo")

    assert schema_header("requests", root / "data/requests/x.md", root) is None


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (b"state: Mexico\n", b"# H\nstate: Mexico\n"),
        (b"state: Mexico\r\n", b"# H\r\nstate: Mexico\r\n"),
        (b"\xef\xbb\xbfstate: Mexico\n", b"\xef\xbb\xbf# H\nstate: Mexico\n"),
        (b"# note\nstate: Mexico\n", b"# H\n# note\nstate: Mexico\n"),
    ],
)
def test_add_header_keeps_bytes(before: bytes, after: bytes) -> None:
    assert add_schema_header(before, "# H") == after


def test_add_header_once() -> None:
    text = f"{HEADER_PREFIX}../../schemas/x.json\nstate: Mexico\n".encode()

    assert add_schema_header(text, "# other") is None


REFERENCE_REQUEST = """\
state: Mexico
iso3: MEX
date: "2006"
channel: note verbale
items:
  - summary: Train customs officers.
    areas: [op3c-border-law-enforcement]
"""
REFERENCE_PROVIDER = """\
name: Canada
kind: state
iso3: CAN
programs:
  - name: Counter-Terrorism Capacity Building Program
    summary: Training and legal drafting help.
"""


def test_update_adds_only_header(tmp_path: Path) -> None:
    source = tmp_path / "reference"
    (source / "requests").mkdir(parents=True)
    (source / "providers").mkdir()
    (source / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    (source / "requests/mex-2006.yaml").write_text(REFERENCE_REQUEST, "utf-8")
    (source / "providers/canada.yaml").write_text(REFERENCE_PROVIDER, "utf-8")
    root = make_repo(tmp_path, {"data/taxonomy.yaml": None})
    run_cli(["import-reference", str(source)], repo=root)
    files = [root / "data/taxonomy.yaml", *sorted(root.glob("data/*/*.yaml"))]
    without = {path: path.read_bytes().split(b"\n", 1)[1] for path in files}
    for path, body in without.items():
        path.write_bytes(body)

    result = run_cli(["import-reference", str(source), "--update"], repo=root)

    assert result.exit_code == 0, result.stderr
    assert len(without) == 3
    for path, body in without.items():
        kind = "taxonomy" if path.name == "taxonomy.yaml" else path.parent.name
        header = schema_header(kind, path, root)
        assert path.read_bytes() == f"{header}\n".encode() + body


def test_new_record_has_header(data_repo: Path) -> None:
    result = run_cli(
        ["intake", "--state", "PER", "--received", "2026-01-05", "--item", "x"],
        repo=data_repo,
    )
    text = (data_repo / "data/requests/per-2026-01-05.yaml").read_text("utf-8")

    assert result.exit_code == 0, result.stderr
    assert text.startswith(f"{HEADER_PREFIX}../../schemas/request.schema.json\n")


def test_header_ignored_by_reader(tmp_path: Path) -> None:
    header = f"{HEADER_PREFIX}../../schemas/request.schema.json\n"
    root = make_repo(
        tmp_path, {**VALID_RECORDS, "data/requests/mex-2006.yaml": header + REQUEST}
    )
    commit_all(root)

    result = run_cli(["validate"], repo=root)

    assert result.exit_code == 0, result.stdout
