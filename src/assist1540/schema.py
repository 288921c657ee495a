"""JSON Schemas of the record files, built from the models, for editors and CI.

An editor with the YAML language server reads the schema named on a record's
first line (`# yaml-language-server: $schema=...`), completes field names and
flags wrong values while the record is typed. The schemas describe records as
assist1540 writes them: the reader takes a plain `2006` as text, but an editor
takes it as a number, so the schema requires the quotes that assist1540 writes.
`assist1540 validate` stays the reference; the schemas add no rule of their own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from assist1540.errors import UsageError
from assist1540.models import Event, Offer, Provider, Request, Taxonomy

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FOLDER = "schemas"
HEADER_PREFIX = "# yaml-language-server: $schema="

# Schema kinds, named in the singular, and their models.
SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "request": Request,
    "offer": Offer,
    "provider": Provider,
    "event": Event,
    "taxonomy": Taxonomy,
}
# Record folders under data/ and the schema kind of their files.
FOLDER_KINDS = {
    "requests": "request",
    "offers": "offer",
    "providers": "provider",
    "events": "event",
}
# Record ids as `repository.id_problem` accepts them, for fields that name one.
RECORD_ID_PATTERN = r"^(?!.*--)[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$"
ISO3_PATTERN = r"^[A-Z]{3}$"
_TERM_KINDS = ("areas", "weapons", "types")


def schema_kind(kind: str) -> str:
    """Return the schema kind for a kind or folder name (`requests` → `request`)."""
    name = FOLDER_KINDS.get(kind, kind)
    if name not in SCHEMA_MODELS:
        raise UsageError(
            f"unknown record kind '{kind}'; use one of {', '.join(SCHEMA_MODELS)}"
        )
    return name


def schema_file_name(kind: str) -> str:
    return f"{schema_kind(kind)}.schema.json"


def build_schema(kind: str, taxonomy: Taxonomy | None) -> dict[str, Any]:
    """Build the JSON Schema of one kind; taxonomy ids become enums when given."""
    name = schema_kind(kind)
    model = SCHEMA_MODELS[name]
    generated = model.model_json_schema(mode="validation")
    schema: dict[str, Any] = {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": f"assist1540 {name}",
        **{key: value for key, value in generated.items() if key != "title"},
    }
    _add_patterns(schema, name)
    if taxonomy is not None and name != "taxonomy":
        _add_term_enums(schema, taxonomy)
    _add_rules(schema, name)
    return schema


def _add_patterns(schema: dict[str, Any], kind: str) -> None:
    properties = schema["properties"]
    if "iso3" in properties:
        _set_string_rule(properties["iso3"], {"pattern": ISO3_PATTERN})
    if kind == "offer":
        for name in ("request", "provider"):
            properties[name]["pattern"] = RECORD_ID_PATTERN
    if kind == "event":
        properties["participants"]["items"] = {
            "anyOf": [
                {"type": "string", "pattern": ISO3_PATTERN},
                {"type": "string", "pattern": RECORD_ID_PATTERN},
            ]
        }


def _set_string_rule(node: dict[str, Any], rule: dict[str, Any]) -> None:
    """Add `rule` to a string node, or to the string member of `anyOf`."""
    if node.get("type") == "string":
        node.update(rule)
    for member in node.get("anyOf", []):
        if member.get("type") == "string":
            member.update(rule)


def _add_term_enums(schema: dict[str, Any], taxonomy: Taxonomy) -> None:
    """Limit every areas, weapons and types list to the taxonomy's ids."""
    nodes = [schema, *schema.get("$defs", {}).values()]
    for node in nodes:
        properties = node.get("properties", {})
        for kind in _TERM_KINDS:
            field = properties.get(kind)
            if field is None or field.get("items", {}).get("type") != "string":
                continue
            field["items"] = {"type": "string", "enum": taxonomy.ids(kind)}
            field["uniqueItems"] = True


def _add_rules(schema: dict[str, Any], kind: str) -> None:
    """Add the model's cross-field rules that JSON Schema can state."""
    if kind == "request":
        schema["allOf"] = [
            {
                "description": "A request may be published only with consent granted.",
                "if": {
                    "properties": {"published": {"const": True}},
                    "required": ["published"],
                },
                "then": {
                    "required": ["consent"],
                    "properties": {
                        "consent": {
                            "required": ["status"],
                            "properties": {"status": {"const": "granted"}},
                        }
                    },
                },
            }
        ]
    if kind == "provider":
        schema["allOf"] = [
            {
                "description": "A provider of kind state needs its iso3 code.",
                "if": {
                    "properties": {"kind": {"const": "state"}},
                    "required": ["kind"],
                },
                "then": {
                    "required": ["iso3"],
                    "properties": {"iso3": {"type": "string"}},
                },
            }
        ]


def build_schemas(taxonomy: Taxonomy | None) -> dict[str, dict[str, Any]]:
    """Build the schema of every kind, keyed by kind."""
    return {kind: build_schema(kind, taxonomy) for kind in SCHEMA_MODELS}


# --- The header line of record files -------------------------------------------------


def schema_header(kind: str, record_path: Path, root: Path) -> str | None:
    """Return the `# yaml-language-server: $schema=...` line for a record file.

    The schema path is relative to the record's folder, so the line stays true
    wherever the repository is cloned. Markdown records get no header, since
    editors do not check front matter against a schema.
    """
    if record_path.suffix not in (".yaml", ".yml"):
        return None
    schema_path = root / SCHEMA_FOLDER / schema_file_name(kind)
    relative = os.path.relpath(schema_path, record_path.parent)
    return HEADER_PREFIX + Path(relative).as_posix()


def add_schema_header(data: bytes, header: str) -> bytes | None:
    """Put `header` on the first line of a record's bytes, or None if it has one.

    A file whose first line already names a schema keeps it. The header takes
    the file's own line ending and goes after a byte order mark.
    """
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    body = data[len(bom) :]
    if body.startswith(HEADER_PREFIX.encode("utf-8")):
        return None
    newline = b"\r\n" if body.split(b"\n", 1)[0].endswith(b"\r") else b"\n"
    return bom + header.encode("utf-8") + newline + body


def find_schema_header(text: str) -> str | None:
    """Return the schema path a record's first line names, or None."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    if not first_line.startswith(HEADER_PREFIX):
        return None
    return first_line[len(HEADER_PREFIX) :].strip()
