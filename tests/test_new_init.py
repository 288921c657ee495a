"""`assist1540 new` and `assist1540 init` on real folders and git repositories."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from assist1540.cli import app
from assist1540.commands import new as new_command
from assist1540.config import Config, load_config
from assist1540.schema import HEADER_PREFIX, find_schema_header
from conftest import run_cli
from git_helpers import git


@pytest.fixture
def committed_repo(data_repo: Path) -> Path:
    """The conftest repository, whose request mex-2006 is distributed."""
    request = data_repo / "data/requests/mex-2006.yaml"
    request.write_text(
        request.read_text("utf-8") + "status: distributed\n", encoding="utf-8"
    )
    git(data_repo, "commit", "--quiet", "--all", "--message", "Distribute")
    return data_repo


def _run_with_input(arguments: list[str], root: Path, text: str) -> Result:
    """Run the command line with `text` on stdin, as a user typing answers."""
    return CliRunner().invoke(
        app, ["--repo", str(root), *arguments], input=text, catch_exceptions=False
    )


def _validate(root: Path) -> None:
    result = run_cli(["validate"], repo=root)
    assert (result.exit_code, result.stdout) == (0, ""), result.stdout


def _subjects(root: Path) -> list[str]:
    return git(root, "log", "--format=%s").splitlines()


NEW_RECORDS = [
    (
        ["request", "--state", "PER", "--received", "2026-01-05", "--item", "Customs"],
        "per-2026-01-05",
        "data/requests/per-2026-01-05.yaml",
        "Record request per-2026-01-05",
    ),
    (
        [
            "offer",
            "--request",
            "mex-2006",
            "--provider",
            "canada",
            "--item",
            "2",
            "--summary",
            "Detection equipment",
            "--date",
            "2026-02-01",
        ],
        "canada-mex-2006",
        "data/offers/canada-mex-2006.yaml",
        "Record offer canada-mex-2006",
    ),
    (
        [
            "provider",
            "--name",
            "Chile",
            "--kind",
            "state",
            "--iso3",
            "CHL",
            "--area",
            "op2-legislation",
        ],
        "chile",
        "data/providers/chile.yaml",
        "Add provider chile",
    ),
    (
        [
            "provider",
            "--name",
            "Organización de los Estados Americanos",
            "--kind",
            "regional-organization",
        ],
        "organizacion-de-los-estados-americanos",
        "data/providers/organizacion-de-los-estados-americanos.yaml",
        "Add provider organizacion-de-los-estados-americanos",
    ),
    (
        [
            "event",
            "--name",
            "Lima assistance conference",
            "--date",
            "2026-05-12",
            "--participant",
            "PER",
            "--participant",
            "canada",
        ],
        "lima-assistance-conference-2026",
        "data/events/lima-assistance-conference-2026.yaml",
        "Add event lima-assistance-conference-2026",
    ),
]


@pytest.mark.parametrize(
    ("arguments", "record_id", "path", "subject"),
    NEW_RECORDS,
    ids=[case[0][0] + "-" + case[1] for case in NEW_RECORDS],
)
def test_new_record_validates(
    committed_repo: Path, arguments: list[str], record_id: str, path: str, subject: str
) -> None:
    result = run_cli(["new", *arguments], repo=committed_repo)

    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{record_id}\n"
    assert (committed_repo / path).read_text("utf-8").startswith(HEADER_PREFIX)
    assert _subjects(committed_repo)[0] == subject
    _validate(committed_repo)


def test_new_offer_matches_request(committed_repo: Path) -> None:
    run_cli(
        [
            "new",
            "offer",
            "--request",
            "mex-2006",
            "--provider",
            "canada",
            "--summary",
            "Training",
        ],
        repo=committed_repo,
    )
    request = (committed_repo / "data/requests/mex-2006.yaml").read_text("utf-8")

    assert "status: matched" in request
    assert git(committed_repo, "status", "--porcelain") == ""


def test_new_provider_fresh_id(committed_repo: Path) -> None:
    arguments = ["new", "provider", "--name", "Chile", "--kind", "other"]
    first = run_cli(arguments, repo=committed_repo)
    second = run_cli(arguments, repo=committed_repo)

    assert (first.stdout, second.stdout) == ("chile\n", "chile-2\n")


def test_new_taken_id_rejected(committed_repo: Path) -> None:
    result = run_cli(
        ["new", "provider", "--id", "canada", "--name", "Canada", "--kind", "other"],
        repo=committed_repo,
    )

    assert (result.exit_code, result.stderr) == (
        2,
        "error: --id 'canada': data/providers/canada exists already; choose another "
        "id, or leave --id out for a fresh one\n",
    )


@pytest.mark.parametrize(
    ("arguments", "missing"),
    [
        (["request"], "--state, --item"),
        (["request", "--state", "MEX"], "--item"),
        (["offer", "--request", "mex-2006"], "--provider, --summary"),
        (["provider", "--kind", "state"], "--name, --iso3"),
        (["event", "--name", "Lima"], "--date, --participant"),
    ],
)
def test_missing_options_listed(
    committed_repo: Path, arguments: list[str], missing: str
) -> None:
    result = run_cli(["new", *arguments], repo=committed_repo)

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: missing {missing}; give them as options (assist1540 new "
        f"{arguments[0]} --help lists them), or run the command in a terminal to "
        "be asked for them\n"
    )
    assert _subjects(committed_repo)[0] == "Distribute"


def test_new_asks_in_terminal(
    committed_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(new_command, "_stdin_is_terminal", lambda: True)

    result = _run_with_input(
        ["new", "request", "--received", "2026-03-01"],
        committed_repo,
        "ARM\nCustoms training\nBorder equipment\n\n",
    )
    text = (committed_repo / "data/requests/arm-2026-03-01.yaml").read_text("utf-8")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("arm-2026-03-01\n")
    assert "summary: Customs training\n" in text
    assert "summary: Border equipment\n" in text
    _validate(committed_repo)


def test_new_provider_asks_iso3(
    committed_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(new_command, "_stdin_is_terminal", lambda: True)

    result = _run_with_input(["new", "provider"], committed_repo, "Chile\nstate\nCHL\n")

    assert result.exit_code == 0, result.stderr
    assert "iso3: CHL" in (committed_repo / "data/providers/chile.yaml").read_text()


def test_new_invalid_value_names_option(committed_repo: Path) -> None:
    result = run_cli(
        ["new", "provider", "--name", "X", "--kind", "other", "--area", "op9"],
        repo=committed_repo,
    )

    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown --area 'op9'; ")


def test_new_dry_run_writes_nothing(committed_repo: Path) -> None:
    result = run_cli(
        [
            "new",
            "event",
            "--name",
            "Lima",
            "--date",
            "2026-05",
            "--participant",
            "PER",
            "--dry-run",
        ],
        repo=committed_repo,
    )

    assert result.exit_code == 0, result.stderr
    assert "+name: Lima" in result.stdout
    assert not (committed_repo / "data/events").exists() or not list(
        (committed_repo / "data/events").iterdir()
    )


# --- init ---------------------------------------------------------------------------


EXPECTED_FILES = [
    ".github/workflows/assist1540.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "assist1540.toml",
    "data/events/.gitkeep",
    "data/offers/.gitkeep",
    "data/providers/.gitkeep",
    "data/requests/.gitkeep",
    "data/taxonomy.yaml",
    "schemas/event.schema.json",
    "schemas/offer.schema.json",
    "schemas/provider.schema.json",
    "schemas/request.schema.json",
    "schemas/taxonomy.schema.json",
]


def test_init_writes_files(tmp_path: Path) -> None:
    target = tmp_path / "records"

    result = run_cli(["init", str(target)])
    listed = result.stdout.splitlines()

    assert result.exit_code == 0, result.stderr
    assert [path for path in listed if not path.startswith("templates/")] == (
        EXPECTED_FILES
    )
    assert (target / ".git").is_dir()
    assert git(target, "symbolic-ref", "--short", "HEAD") == "main"
    _validate(target)


def test_init_copies_templates(tmp_path: Path) -> None:
    project_templates = Path(__file__).parents[1] / "templates"
    expected = sorted(
        path.relative_to(project_templates.parent).as_posix()
        for path in project_templates.rglob("*")
        if path.is_file()
    ) or ["templates/.gitkeep"]

    result = run_cli(["init", str(tmp_path / "records")])

    assert [p for p in result.stdout.splitlines() if p.startswith("templates/")] == (
        expected
    )


def test_init_config_has_defaults(tmp_path: Path) -> None:
    run_cli(["init", str(tmp_path / "records")])
    text = (tmp_path / "records/assist1540.toml").read_text("utf-8")

    assert load_config(tmp_path / "records") == Config()
    assert "# Working days after acknowledgement" in text
    assert tomllib.loads(text)["assist1540"]["timers"]["distribution_days"] == 7


def test_init_taxonomy_has_header(tmp_path: Path) -> None:
    run_cli(["init", str(tmp_path / "records")])
    taxonomy = tmp_path / "records/data/taxonomy.yaml"

    named = find_schema_header(taxonomy.read_text("utf-8"))

    assert named == "../schemas/taxonomy.schema.json"
    assert (taxonomy.parent / named).is_file()


def test_init_workflow_runs_checks(tmp_path: Path) -> None:
    run_cli(["init", str(tmp_path / "records")])
    text = (tmp_path / "records/.github/workflows/assist1540.yml").read_text("utf-8")

    workflow = yaml.safe_load(text)
    steps = workflow["jobs"]["records"]["steps"]
    commands = "\n".join(step.get("run", "") for step in steps)

    assert set(workflow[True]) == {"pull_request", "push"}
    assert steps[0]["with"]["fetch-depth"] == 0
    assert "assist1540 validate --format github --changed-since" in commands
    assert 'assist1540 review "origin/$BASE_REF..HEAD"' in commands


def test_init_pre_commit_config_valid(tmp_path: Path) -> None:
    run_cli(["init", str(tmp_path / "records")])

    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "validate-config",
            ".pre-commit-config.yaml",
        ],
        cwd=tmp_path / "records",
        capture_output=True,
        text=True,
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_init_then_new_request(tmp_path: Path) -> None:
    target = tmp_path / "records"
    run_cli(["init", str(target)])
    git(target, "add", "--all")
    git(target, "commit", "--quiet", "--message", "Start")

    result = run_cli(
        ["new", "request", "--state", "MEX", "--received", "2026-01-02", "--item", "x"],
        repo=target,
    )

    assert result.exit_code == 0, result.stderr
    _validate(target)


def test_init_rejects_non_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me\n", encoding="utf-8")

    result = run_cli(["init", str(tmp_path)])

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: {tmp_path} is not empty (it contains notes.txt); give a new or "
        "empty folder, so that no file of yours is overwritten\n"
    )
    assert (tmp_path / "notes.txt").read_text("utf-8") == "keep me\n"


def test_init_rejects_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("", encoding="utf-8")

    result = run_cli(["init", str(target)])

    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {target} is a file; give a new or empty folder\n",
    )
