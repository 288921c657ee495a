"""Provider commands through the CLI, on real git repositories and real files."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest

from conftest import commit_all, make_repo, run_cli
from step_helpers import commit_files, head, snapshot, without_schema_line

COMMENTED_PROVIDER = """\
# Canada's entry on the Committee's list; keep this comment.
name: Canada
kind: state
iso3: CAN   # ISO 3166-1
areas: [op2-legislation, op3c-border-law-enforcement]
weapons: [nuclear, chemical, biological]
types: [training, legal-drafting]
programmes:
  - name: Counter-Terrorism Capacity Building Program
    summary: Training and legal drafting help for counter-terrorism laws.
    areas: [op2-legislation]
    types: [legal-drafting, training]   # as published
"""

STEP_HISTORY = """\
history:
  - date: "2026-03-02"
    action: {action}
    actor: Test Author
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path, {"data/providers/canada.yaml": COMMENTED_PROVIDER})
    commit_all(root)
    return root


def _provider(root: Path, provider_id: str = "canada") -> Path:
    return root / "data" / "providers" / f"{provider_id}.yaml"


def _others_unchanged(before: dict[str, bytes], root: Path, changed: str) -> bool:
    after = snapshot(root)
    after.pop(changed, None)
    before = dict(before)
    before.pop(changed, None)
    return after == before


# --- provider add -----------------------------------------------------------------


def test_provider_add_writes_record(repo: Path) -> None:
    before = snapshot(repo)

    result = run_cli(
        [
            "provider",
            "add",
            "chile",
            "--name",
            "Chile",
            "--kind",
            "state",
            "--iso3",
            "chl",
            "--area",
            "op2-legislation",
            "--weapon",
            "chemical",
            "--type",
            "training",
            "--region",
            "Latin America",
            "--last-confirmed",
            "2025-11",
            "--date",
            "2026-03-02",
        ],
        repo,
    )
    commit = head(repo)

    assert result.exit_code == 0, result.stderr
    assert result.stdout == "chile\n"
    text = _provider(repo, "chile").read_text(encoding="utf-8")
    assert without_schema_line(text) == (
        "name: Chile\n"
        "kind: state\n"
        "iso3: CHL\n"
        "regions:\n"
        "  - Latin America\n"
        "areas: [op2-legislation]\n"
        "weapons: [chemical]\n"
        "types: [training]\n"
        'last_confirmed: "2025-11"\n'
        "programmes: []\n"
        "history:\n"
        '  - date: "2026-03-02"\n'
        "    action: add\n"
        "    actor: Test Author\n"
    )
    assert _others_unchanged(before, repo, "data/providers/chile.yaml")
    assert commit.message == "Add provider chile\n"
    assert commit_files(commit) == ["data/providers/chile.yaml"]
    assert run_cli(["validate"], repo).exit_code == 0


def test_provider_add_organisation_needs_no_code(repo: Path) -> None:
    result = run_cli(
        [
            "provider",
            "add",
            "vertic",
            "--name",
            "Verification Research, Training and Information Centre",
            "--short-name",
            "VERTIC",
            "--kind",
            "other",
        ],
        repo,
    )
    text = _provider(repo, "vertic").read_text(encoding="utf-8")

    assert result.exit_code == 0, result.stderr
    assert "short_name: VERTIC\nkind: other\nareas: []\n" in text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["chile", "--name", "Chile", "--kind", "country", "--iso3", "CHL"],
            "invalid --kind 'country'; use one of state, international-organization, "
            "regional-organization, other",
        ),
        (
            ["chile", "--name", "Chile", "--kind", "state"],
            "missing --iso3: a provider of kind state needs its ISO3 code, e.g. CAN",
        ),
        (
            ["chile", "--name", "Chile", "--kind", "state", "--iso3", "XYZ"],
            "invalid --iso3 'XYZ'; use an ISO 3166-1 alpha-3 code, e.g. CAN",
        ),
        (
            [
                "chile",
                "--name",
                "Chile",
                "--kind",
                "state",
                "--iso3",
                "CHL",
                "--area",
                "op2-legislaton",
            ],
            "unknown --area 'op2-legislaton'; did you mean 'op2-legislation'?",
        ),
        (
            [
                "chile",
                "--name",
                "Chile",
                "--kind",
                "state",
                "--iso3",
                "CHL",
                "--weapon",
                "missile",
            ],
            "unknown --weapon 'missile'; use one of the weapon categories in "
            "taxonomy.yaml: nuclear, chemical, biological",
        ),
        (
            [
                "chile",
                "--name",
                "Chile",
                "--kind",
                "state",
                "--iso3",
                "CHL",
                "--last-confirmed",
                "last year",
            ],
            "invalid --last-confirmed: invalid date 'last year'; write YYYY-MM-DD, or "
            "YYYY-MM or YYYY when the source gives only the month or the year",
        ),
        (
            ["chile", "--name", " ", "--kind", "other"],
            "--name is empty; give the text",
        ),
        (
            ["canada", "--name", "Canada", "--kind", "state", "--iso3", "CAN"],
            "data/providers/canada.yaml exists already; choose another id",
        ),
    ],
)
def test_provider_add_rejects(repo: Path, arguments: list[str], message: str) -> None:
    before = snapshot(repo)
    commit = head(repo).hexsha

    result = run_cli(["provider", "add", *arguments], repo)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"
    assert snapshot(repo) == before
    assert head(repo).hexsha == commit


# --- provider update --------------------------------------------------------------


def test_provider_update_changes_only_its_lines(repo: Path) -> None:
    before = snapshot(repo)
    text_before = _provider(repo).read_text(encoding="utf-8")

    result = run_cli(
        [
            "provider",
            "update",
            "canada",
            "--short-name",
            "CA",
            "--add-area",
            "op3d-export-control",
            "--remove-weapon",
            "biological",
            "--date",
            "2026-03-02",
        ],
        repo,
    )
    commit = head(repo)

    assert result.exit_code == 0, result.stderr
    expected = text_before.replace("name: Canada\n", "name: Canada\nshort_name: CA\n")
    expected = expected.replace(
        "areas: [op2-legislation, op3c-border-law-enforcement]\n",
        "areas: [op2-legislation, op3c-border-law-enforcement, op3d-export-control]\n",
    )
    expected = expected.replace(
        "weapons: [nuclear, chemical, biological]", "weapons: [nuclear, chemical]"
    )
    expected += STEP_HISTORY.format(action="update")
    assert _provider(repo).read_text(encoding="utf-8") == expected
    assert _others_unchanged(before, repo, "data/providers/canada.yaml")
    assert commit.message == (
        "Update provider canada\n\n"
        "- short_name: CA\n"
        "- areas: op2-legislation, op3c-border-law-enforcement, op3d-export-control\n"
        "- weapons: nuclear, chemical\n"
        "- history: update on 2026-03-02\n"
    )
    assert commit_files(commit) == ["data/providers/canada.yaml"]


def test_provider_update_sets_last_confirmed(repo: Path) -> None:
    result = run_cli(
        ["provider", "update", "canada", "--last-confirmed", "2025-06-01"], repo
    )
    text = _provider(repo).read_text(encoding="utf-8")

    assert result.exit_code == 0, result.stderr
    assert 'types: [training, legal-drafting]\nlast_confirmed: "2025-06-01"\n' in text


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (
            [],
            2,
            "nothing to update; give at least one option, such as --name or --add-area",
        ),
        (
            ["--remove-area", "op3d-export-control"],
            2,
            "invalid --remove-area 'op3d-export-control': provider canada does not "
            "list it; its areas: op2-legislation, op3c-border-law-enforcement",
        ),
        (
            ["--add-type", "training"],
            2,
            "invalid --add-type 'training': provider canada lists it already",
        ),
        (
            ["--add-area", "op9"],
            2,
            "unknown --area 'op9'; use one of the areas in taxonomy.yaml: "
            "op2-legislation, op3c-border-law-enforcement, op3d-export-control",
        ),
        (
            ["--iso3", "ZZZ"],
            2,
            "invalid --iso3 'ZZZ'; use an ISO 3166-1 alpha-3 code, e.g. CAN",
        ),
        (
            ["--kind", "donor"],
            2,
            "invalid --kind 'donor'; use one of state, international-organization, "
            "regional-organization, other",
        ),
    ],
)
def test_provider_update_rejects(
    repo: Path, arguments: list[str], code: int, message: str
) -> None:
    before = snapshot(repo)

    result = run_cli(["provider", "update", "canada", *arguments], repo)

    assert result.exit_code == code
    assert result.stderr == f"error: {message}\n"
    assert snapshot(repo) == before


def test_provider_update_unknown_provider(repo: Path) -> None:
    before = snapshot(repo)

    result = run_cli(["provider", "update", "canda", "--name", "Canada"], repo)

    assert result.exit_code == 2
    assert result.stderr == (
        "error: provider 'canda' not found in data/providers; did you mean canada?\n"
    )
    assert snapshot(repo) == before


def test_provider_update_dry_run(repo: Path) -> None:
    before = snapshot(repo)

    result = run_cli(
        ["provider", "update", "canada", "--name", "Government of Canada", "--dry-run"],
        repo,
    )

    assert result.exit_code == 0, result.stderr
    assert "-name: Canada\n+name: Government of Canada\n" in result.stdout
    assert result.stderr == "dry run: nothing was written\n"
    assert snapshot(repo) == before


# --- provider add-programme -------------------------------------------------------


def test_provider_add_programme_appends(repo: Path) -> None:
    text_before = _provider(repo).read_text(encoding="utf-8")

    result = run_cli(
        [
            "provider",
            "add-programme",
            "canada",
            "--name",
            "Export control outreach",
            "--summary",
            "Training for licensing officers.",
            "--area",
            "op3d-export-control",
            "--type",
            "training",
            "--date",
            "2026-03-02",
        ],
        repo,
    )
    commit = head(repo)

    assert result.exit_code == 0, result.stderr
    assert _provider(repo).read_text(encoding="utf-8") == text_before + (
        "  - name: Export control outreach\n"
        "    summary: Training for licensing officers.\n"
        "    areas: [op3d-export-control]\n"
        "    weapons: []\n"
        "    types: [training]\n"
        "history:\n"
        '  - date: "2026-03-02"\n'
        "    action: add-programme\n"
        "    actor: Test Author\n"
        "    note: programme 'Export control outreach'\n"
    )
    assert commit.summary == (
        "Add programme 'Export control outreach' to provider canada"
    )
    assert run_cli(["validate"], repo).exit_code == 0


def test_provider_add_first_programme(tmp_path: Path) -> None:
    text = COMMENTED_PROVIDER.split("programmes:")[0]
    root = make_repo(tmp_path, {"data/providers/canada.yaml": text})
    commit_all(root)

    result = run_cli(
        [
            "provider",
            "add-programme",
            "canada",
            "--name",
            "A",
            "--summary",
            "B",
            "--date",
            "2026-03-02",
        ],
        root,
    )

    assert result.exit_code == 0, result.stderr
    assert _provider(root).read_text(encoding="utf-8") == text + (
        "programmes:\n"
        "  - name: A\n"
        "    summary: B\n"
        "    areas: []\n"
        "    weapons: []\n"
        "    types: []\n"
        "history:\n"
        '  - date: "2026-03-02"\n'
        "    action: add-programme\n"
        "    actor: Test Author\n"
        "    note: programme 'A'\n"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--name", "Counter-Terrorism Capacity Building Program", "--summary", "x"],
            "provider canada already has a programme named 'Counter-Terrorism "
            "Capacity Building Program'; give the new one a distinct --name",
        ),
        (
            ["--name", "New", "--summary", "x", "--type", "funding"],
            "unknown --type 'funding'; use one of the assistance types in "
            "taxonomy.yaml: training, equipment, legal-drafting",
        ),
        (["--name", "New", "--summary", ""], "--summary is empty; give the text"),
    ],
)
def test_provider_add_programme_rejects(
    repo: Path, arguments: list[str], message: str
) -> None:
    before = snapshot(repo)

    result = run_cli(["provider", "add-programme", "canada", *arguments], repo)

    assert result.exit_code == 2
    assert result.stderr == f"error: {message}\n"
    assert snapshot(repo) == before


# --- provider confirm -------------------------------------------------------------


def test_provider_confirm_sets_day(repo: Path) -> None:
    text_before = _provider(repo).read_text(encoding="utf-8")

    result = run_cli(["provider", "confirm", "canada", "--date", "2026-03-02"], repo)
    commit = head(repo)

    assert result.exit_code == 0, result.stderr
    expected = text_before.replace(
        "programmes:\n", 'last_confirmed: "2026-03-02"\nprogrammes:\n'
    )
    assert _provider(repo).read_text(encoding="utf-8") == expected + (
        STEP_HISTORY.format(action="confirm")
    )
    assert commit.message == (
        "Confirm provider canada\n\n"
        "- last_confirmed: 2026-03-02\n"
        "- history: confirm on 2026-03-02\n"
    )


def test_provider_confirm_programme(repo: Path) -> None:
    text_before = _provider(repo).read_text(encoding="utf-8")

    result = run_cli(
        [
            "provider",
            "confirm",
            "canada",
            "--programme",
            "Counter-Terrorism Capacity Building Program",
            "--date",
            "2026-03-02",
        ],
        repo,
    )
    commit = head(repo)

    assert result.exit_code == 0, result.stderr
    assert _provider(repo).read_text(encoding="utf-8") == text_before + (
        '    last_confirmed: "2026-03-02"\n'
        "history:\n"
        '  - date: "2026-03-02"\n'
        "    action: confirm\n"
        "    actor: Test Author\n"
        "    note: programme 'Counter-Terrorism Capacity Building Program'\n"
    )
    assert commit.summary == (
        "Confirm programme 'Counter-Terrorism Capacity Building Program' of "
        "provider canada"
    )
    assert "- programmes[0].last_confirmed: 2026-03-02\n" in str(commit.message)


def test_provider_confirm_clears_due_line(repo: Path) -> None:
    def provider_steps() -> list[str]:
        result = run_cli(["due", "--on", "2026-03-03", "--json"], repo)
        return [step["record"] for step in json.loads(result.stdout)]

    assert "canada" in provider_steps()

    run_cli(["provider", "confirm", "canada", "--date", "2026-03-02"], repo)

    assert "canada" not in provider_steps()


def test_provider_confirm_unknown_programme(repo: Path) -> None:
    before = snapshot(repo)

    result = run_cli(["provider", "confirm", "canada", "--programme", "CTCBP"], repo)

    assert result.exit_code == 2
    assert result.stderr == (
        "error: provider 'canada' has no programme named 'CTCBP'; its programmes: "
        "'Counter-Terrorism Capacity Building Program'\n"
    )
    assert snapshot(repo) == before


def test_provider_confirm_no_commit(repo: Path) -> None:
    commit = head(repo).hexsha

    result = run_cli(["provider", "confirm", "canada", "--no-commit"], repo)

    assert result.exit_code == 0, result.stderr
    assert head(repo).hexsha == commit
    assert git.Repo(repo).git.diff("--cached", "--name-only") == (
        "data/providers/canada.yaml"
    )
