"""`validate --format github` within the Actions limits, and `--format sarif`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assist1540.errors import Problem
from assist1540.report_formats import (
    RULES,
    find_rule,
    github_annotations,
    summary_markdown,
)
from conftest import OFFER, REQUEST, make_repo, run_cli

BAD_DATE = REQUEST.replace('received: "2006"', "received: 2006-02-30")


def _many_problems(tmp_path: Path, count: int) -> Path:
    """A repository with `count` invalid requests, each named by one offer.

    Each request gives an error, and its offer a warning that it cannot be
    checked.
    """
    files: dict[str, str | bytes | None] = {}
    for number in range(1, count + 1):
        files[f"data/requests/bad-{number:02d}.yaml"] = BAD_DATE
        files[f"data/offers/offer-{number:02d}.yaml"] = OFFER.replace(
            "mex-2006", f"bad-{number:02d}"
        ).replace("provider: canada", "provider: canada")
    files["data/providers/canada.yaml"] = (
        "name: Canada\nkind: state\niso3: CAN\nprogrammes:\n"
        "  - name: Counter-Terrorism Capacity Building Program\n"
        "    summary: Training.\n"
    )
    return make_repo(tmp_path, files)


def test_github_caps_each_kind(tmp_path: Path) -> None:
    root = _many_problems(tmp_path, 12)

    result = run_cli(["validate", "--format", "github"], repo=root)
    lines = result.stdout.splitlines()

    assert result.exit_code == 1
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 10
    assert lines[-1] == (
        "::notice title=assist1540 validate::2 more errors and 2 more warnings not "
        "shown as annotations, since GitHub Actions shows at most 10 of each kind "
        "per step; the job summary lists every problem, and so does 'assist1540 "
        "validate' run locally"
    )
    assert len(lines) == 21


def test_github_annotation_line(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": BAD_DATE})

    result = run_cli(["validate", "--format", "github"], repo=root)

    assert result.stdout == (
        "::error file=data/requests/mex-2006.yaml,line=3,col=11,title=received::"
        "invalid date '2006-02-30': day 30 does not exist in 2006-02\n"
    )


def test_github_paths_from_workspace(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": BAD_DATE})

    result = run_cli(
        ["validate", "--format", "github"],
        repo=root,
        env={"GITHUB_WORKSPACE": str(tmp_path)},
    )

    assert result.stdout.startswith("::error file=repo/data/requests/mex-2006.yaml,")


def test_step_summary_lists_all(tmp_path: Path) -> None:
    root = _many_problems(tmp_path, 12)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")

    run_cli(
        ["validate", "--format", "github"],
        repo=root,
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    text = summary.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `data/")]

    assert text.startswith("earlier step\n## assist1540 validate\n\n")
    assert "26 files checked: 12 errors, 12 warnings" in text
    assert len(rows) == 24
    assert rows[0] == (
        "| `data/offers/offer-01.yaml` | 1 | 10 | warning | `request` | request "
        "'bad-01' cannot be checked because data/requests/bad-01.yaml has errors; "
        "fix that file first |"
    )


def test_no_summary_without_variable(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": BAD_DATE})

    result = run_cli(["validate", "--format", "github"], repo=root)

    assert result.exit_code == 1
    assert not list(tmp_path.glob("*.md"))


def test_summary_escapes_markdown() -> None:
    problem = Problem("data/requests/a|b.yaml", 2, 3, "items[0]", "bad <b>*x*</b> | y")

    text = summary_markdown([problem], "1 files checked: 1 error")

    assert text.splitlines()[-1] == (
        "| `data/requests/a\\|b.yaml` | 2 | 3 | error | `items[0]` | bad "
        "&lt;b&gt;\\*x\\*&lt;/b&gt; \\| y |"
    )


def test_annotation_escapes_properties() -> None:
    problem = Problem("data/a,b:c.yaml", 1, 1, "f", "100% sure\nnext line")

    assert github_annotations([problem]) == [
        "::error file=data/a%2Cb%3Ac.yaml,line=1,col=1,title=f::100%25 sure%0Anext line"
    ]


def test_sarif_log_structure(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": BAD_DATE})

    result = run_cli(["validate", "--format", "sarif"], repo=root)
    log = json.loads(result.stdout)
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    rule_ids = [rule["id"] for rule in driver["rules"]]

    assert result.exit_code == 1
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert driver["name"] == "assist1540"
    assert len(set(rule_ids)) == len(rule_ids)
    assert run["results"] == [
        {
            "ruleId": "invalid-value",
            "ruleIndex": rule_ids.index("invalid-value"),
            "level": "error",
            "message": {
                "text": "received: invalid date '2006-02-30': day 30 does not exist "
                "in 2006-02"
            },
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": "data/requests/mex-2006.yaml",
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": {"startLine": 3, "startColumn": 11},
                    }
                }
            ],
        }
    ]


def test_sarif_valid_repository(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})

    result = run_cli(["validate", "--format", "sarif"], repo=root)

    assert result.exit_code == 0
    assert json.loads(result.stdout)["runs"][0]["results"] == []


def test_sarif_without_line_has_no_region() -> None:
    from assist1540.report_formats import sarif_log

    log = sarif_log(
        [
            Problem(
                "data/taxonomy.yaml", message="the taxonomy file is missing; import one"
            )
        ],
        "0.1.0",
    )
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]

    assert location == {
        "artifactLocation": {"uri": "data/taxonomy.yaml", "uriBaseId": "%SRCROOT%"}
    }


@pytest.mark.parametrize(
    ("message", "rule"),
    [
        ("invalid YAML: found character; check the quotes", "yaml-syntax"),
        ("a tab is used for indentation; YAML allows only spaces", "yaml-syntax"),
        ("duplicate key 'state' (first at line 1); keep one", "yaml-syntax"),
        ("unknown field 'stat'; did you mean 'state'?", "unknown-field"),
        ("missing required field 'iso3'; add it", "missing-field"),
        ("unknown area id 'op9'; use one of the ids listed", "taxonomy-term"),
        ("lists the area id 'op2' twice; keep one", "taxonomy-term"),
        ("request 'x' not found; use the id of a file in data/requests", "reference"),
        ("request 'x' has no item 3; its items are numbered 1 to 2", "reference"),
        ("published is true but consent is 'unknown'; set published", "publishing"),
        ("duplicate id 'x': data/requests/x.md has the same id", "record-file"),
        ("must be text, got true; put it in quotes", "invalid-value"),
    ],
)
def test_rule_from_message(message: str, rule: str) -> None:
    assert find_rule(Problem("data/requests/x.yaml", message=message)).id == rule


def test_every_rule_described() -> None:
    for rule in RULES:
        assert rule.description.endswith(".")
        assert rule.name[0].isupper()


def test_unknown_format_rejected(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {})

    result = run_cli(["validate", "--format", "xml"], repo=root)

    assert (result.exit_code, result.stderr) == (
        2,
        "error: invalid --format 'xml'; use text, json, github or sarif\n",
    )
