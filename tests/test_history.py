"""`assist1540 history`: a record's audit trail from git, through renames."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import PROVIDER, REQUEST, VALID_RECORDS, make_repo, run_cli
from git_helpers import commit, git, write

REQUEST_PATH = "data/requests/mex-2006.yaml"


@pytest.fixture
def history_repo(tmp_path: Path) -> Path:
    """A request created, stepped, renamed and edited, one commit each."""
    root = make_repo(tmp_path, {**VALID_RECORDS, REQUEST_PATH: REQUEST})
    git(root, "init", "--quiet", "--initial-branch=main")
    commit(root, "Add records")

    result = run_cli(["authenticate", "mex-2006", "--date", "2026-03-02"], repo=root)
    assert result.exit_code == 0, result.stderr

    git(root, "mv", REQUEST_PATH, "data/requests/mex-2006-01.yaml")
    commit(root, "Rename request mex-2006")

    path = root / "data/requests/mex-2006-01.yaml"
    path.write_text(
        path.read_text("utf-8").replace("Money to buy", "Funds to buy"), "utf-8"
    )
    git(
        root,
        "-c",
        "user.name=Second Expert",
        "commit",
        "--quiet",
        "--all",
        "--author",
        "Second Expert <second@example.org>",
        "--message",
        "Edit item 2",
    )
    return root


def test_history_newest_first(history_repo: Path) -> None:
    result = run_cli(["history", "mex-2006-01"], repo=history_repo)
    lines = result.stdout.splitlines()
    headers = [line for line in lines if not line.startswith("    ")]

    assert result.exit_code == 0, result.stderr
    assert [line.split("  ", 3)[2:] for line in headers] == [
        ["Second Expert", "Edit item 2"],
        ["Test Author", "Rename request mex-2006"],
        ["Test Author", "Authenticate request mex-2006"],
        ["Test Author", "Add records"],
    ]
    assert result.stderr == "request mex-2006-01: 4 commits\n"


def test_history_fields_in_domain_words(history_repo: Path) -> None:
    result = run_cli(["history", "mex-2006-01"], repo=history_repo)
    details = [
        line.strip() for line in result.stdout.splitlines() if line[:4] == "    "
    ]

    assert details == [
        'item 2 summary: "Money to buy detection equipment." → "Funds to buy '
        'detection equipment."',
        "renamed from data/requests/mex-2006.yaml to data/requests/mex-2006-01.yaml",
        'status: set to "authenticated"',
        'authentication: set to {date: "2026-03-02"}',
        "step: authenticate on 2026-03-02 by Test Author",
        "created data/requests/mex-2006.yaml",
    ]


def test_history_json(history_repo: Path) -> None:
    result = run_cli(["history", "mex-2006-01", "--json"], repo=history_repo)
    data = json.loads(result.stdout)
    commits = data["commits"]

    assert (data["kind"], data["id"], data["path"]) == (
        "request",
        "mex-2006-01",
        "data/requests/mex-2006-01.yaml",
    )
    assert [c["event"] for c in commits] == ["changed", "renamed", "changed", "created"]
    assert commits[0]["author"] == "Second Expert"
    assert commits[0]["short"] == commits[0]["commit"][:7]
    assert commits[1]["renamed_from"] == "data/requests/mex-2006.yaml"
    assert commits[2]["steps"] == [
        {"date": "2026-03-02", "action": "authenticate", "actor": "Test Author"}
    ]
    assert commits[2]["changes"][0] == {
        "field": "status",
        "label": "status",
        "description": 'set to "authenticated"',
    }


def test_history_of_deleted_record(history_repo: Path) -> None:
    git(history_repo, "rm", "--quiet", "data/providers/canada.yaml")
    commit(history_repo, "Remove provider canada")

    result = run_cli(["history", "canada"], repo=history_repo)

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] == "    deleted data/providers/canada.yaml"
    assert result.stderr == "provider canada: 2 commits\n"


def test_history_notes_uncommitted(history_repo: Path) -> None:
    path = history_repo / "data/providers/canada.yaml"
    path.write_text(path.read_text("utf-8") + "notes: Draft.\n", "utf-8")

    result = run_cli(["history", "canada"], repo=history_repo)

    assert result.stderr.startswith(
        "data/providers/canada.yaml has uncommitted changes, which are not shown; "
        "see them with: git diff -- data/providers/canada.yaml\n"
    )


def test_history_ambiguous_id(history_repo: Path) -> None:
    write(history_repo, "data/requests/canada.yaml", REQUEST)
    commit(history_repo, "Add a request named like a provider")

    ambiguous = run_cli(["history", "canada"], repo=history_repo)
    chosen = run_cli(["history", "canada", "--kind", "providers"], repo=history_repo)

    assert (ambiguous.exit_code, ambiguous.stderr) == (
        2,
        "error: 'canada' is the id of records in requests and providers; give "
        "--kind to choose one\n",
    )
    assert chosen.exit_code == 0


def test_history_unknown_id(history_repo: Path) -> None:
    result = run_cli(["history", "nowhere"], repo=history_repo)

    assert (result.exit_code, result.stderr) == (
        2,
        "error: no record 'nowhere' in data/ or in its git history; check the id "
        "(file names in data/requests, data/offers, ... are the ids)\n",
    )


def test_history_programme_change(history_repo: Path) -> None:
    path = history_repo / "data/providers/canada.yaml"
    path.write_text(
        PROVIDER.replace("Training and legal", "Courses and legal"), "utf-8"
    )
    commit(history_repo, "Edit a programme")

    result = run_cli(["history", "canada"], repo=history_repo)

    assert result.stdout.splitlines()[1] == (
        "    programme 'Counter-Terrorism Capacity Building Program' summary: "
        '"Training and legal drafting help for counter-terrorism laws." → "Courses '
        'and legal drafting help for counter-terrorism laws."'
    )


def test_history_under_non_ascii_folder(tmp_path: Path) -> None:
    # The data repository sits inside a larger git repository whose path to it
    # has accents, so git names the record files with those characters.
    outer = tmp_path / "outer"
    outer.mkdir()
    git(outer, "init", "--quiet", "--initial-branch=main")
    root = make_repo(outer / "comité", VALID_RECORDS)
    commit(outer, "Add records")

    result = run_cli(["history", "mex-2006"], repo=root)

    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Add records" in result.stdout
    assert "cannot be read" not in result.stdout + result.stderr
    assert "\\303" not in result.stdout + result.stderr
