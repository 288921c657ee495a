"""`validate --changed-since`: which records a change selects, and equal results."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from assist1540 import changes
from assist1540.changes import find_changes, record_key, select_records
from assist1540.repository import DataRepository
from assist1540.validation import validate_repository
from conftest import OFFER, PROVIDER, REQUEST, VALID_RECORDS, make_repo, run_cli
from git_helpers import commit, git, write

OTHER_REQUEST = REQUEST.replace("state: Mexico\niso3: MEX", "state: Peru\niso3: PER")
IAEA = PROVIDER.replace(
    "name: Canada\nkind: state\niso3: CAN", "name: IAEA\nkind: other"
)
IAEA_OFFER = (
    OFFER.replace("request: mex-2006", "request: per-2017")
    .replace("provider: canada", "provider: iaea")
    .replace("programme: Counter-Terrorism Capacity Building Program\n", "")
)
# Broken on main already: a partial run leaves it out, a full run reports it.
OLD_PROBLEM = REQUEST.replace('received: "2006"', "received: 2006-02-30")
EVENT = """\
name: Lima assistance conference
date: 2026-05
participants: [PER, canada]
"""
RECORDS = {
    **VALID_RECORDS,
    "data/requests/per-2017.yaml": OTHER_REQUEST,
    "data/providers/iaea.yaml": IAEA,
    "data/offers/iaea-per-2017.yaml": IAEA_OFFER,
    "data/requests/old-problem.yaml": OLD_PROBLEM,
}

Key = tuple[str, str]


@pytest.fixture
def branch_repo(tmp_path: Path) -> Path:
    """A repository with RECORDS committed on main and a branch `pr` checked out."""
    root = make_repo(tmp_path, RECORDS)
    git(root, "init", "--quiet", "--initial-branch=main")
    commit(root, "Add records")
    git(root, "switch", "--quiet", "--create", "pr")
    return root


def _edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _edit_request(root: Path) -> None:
    _edit(root, "data/requests/mex-2006.yaml", "Money to buy", "Funds to buy")


def _shrink_request(root: Path) -> None:
    # The offer names item 1 only, so dropping item 2 keeps it valid, while
    # dropping item 1's tags changes nothing the offer checks.
    _edit(root, "data/requests/mex-2006.yaml", "    types: [training]\n", "")


def _edit_offer(root: Path) -> None:
    _edit(
        root,
        "data/offers/can-mex-2006.yaml",
        "summary: A customs training course in Ottawa.",
        "summary: Two customs training courses in Ottawa.",
    )


def _delete_provider(root: Path) -> None:
    git(root, "rm", "--quiet", "data/providers/canada.yaml")


def _rename_request(root: Path) -> None:
    git(root, "mv", "data/requests/mex-2006.yaml", "data/requests/mex-2006-a.yaml")


def _rename_without_git(root: Path) -> None:
    (root / "data/requests/mex-2006.yaml").rename(
        root / "data/requests/mex-2006-b.yaml"
    )


def _add_untracked_offer(root: Path) -> None:
    text = OFFER.replace("request: mex-2006", "request: per-2017")
    write(root, "data/offers/can-per-2017.yaml", text)


def _stage_provider_edit(root: Path) -> None:
    _edit(root, "data/providers/iaea.yaml", "name: IAEA", "name: IAEA Vienna")
    git(root, "add", "data/providers/iaea.yaml")


def _break_request(root: Path) -> None:
    _edit(root, "data/requests/per-2017.yaml", "iso3: PER", "iso3: [PER")


def _add_event(root: Path) -> None:
    write(root, "data/events/lima-2026.yaml", EVENT)


def _commit_offer_edit(root: Path) -> None:
    _edit_offer(root)
    commit(root, "Edit the offer")


SCENARIOS: list[tuple[str, Callable[[Path], None], set[Key]]] = [
    (
        "edit request",
        _edit_request,
        {("requests", "mex-2006"), ("offers", "can-mex-2006")},
    ),
    (
        "shrink request",
        _shrink_request,
        {("requests", "mex-2006"), ("offers", "can-mex-2006")},
    ),
    (
        "edit offer",
        _edit_offer,
        {("offers", "can-mex-2006"), ("requests", "mex-2006"), ("providers", "canada")},
    ),
    (
        "committed offer edit",
        _commit_offer_edit,
        {("offers", "can-mex-2006"), ("requests", "mex-2006"), ("providers", "canada")},
    ),
    ("delete provider", _delete_provider, {("offers", "can-mex-2006")}),
    (
        "rename request",
        _rename_request,
        {("requests", "mex-2006-a"), ("offers", "can-mex-2006")},
    ),
    (
        "rename without git",
        _rename_without_git,
        {("requests", "mex-2006-b"), ("offers", "can-mex-2006")},
    ),
    (
        "untracked offer",
        _add_untracked_offer,
        {("offers", "can-per-2017"), ("requests", "per-2017"), ("providers", "canada")},
    ),
    (
        "staged provider edit",
        _stage_provider_edit,
        {("providers", "iaea"), ("offers", "iaea-per-2017")},
    ),
    (
        "broken request",
        _break_request,
        {("requests", "per-2017"), ("offers", "iaea-per-2017")},
    ),
    ("new event", _add_event, {("events", "lima-2026")}),
]


@pytest.mark.parametrize(
    ("change", "expected"),
    [(change, expected) for _, change, expected in SCENARIOS],
    ids=[name for name, _, _ in SCENARIOS],
)
def test_changed_records_selected(
    branch_repo: Path, change: Callable[[Path], None], expected: set[Key]
) -> None:
    change(branch_repo)
    repo = DataRepository.open(branch_repo, "test")

    scope = find_changes(repo, "main")

    assert not scope.full_run
    assert select_records(repo, scope).selected == expected


@pytest.mark.parametrize(
    "change", [change for _, change, _ in SCENARIOS], ids=[n for n, _, _ in SCENARIOS]
)
def test_partial_run_equals_full_run(
    branch_repo: Path, change: Callable[[Path], None]
) -> None:
    change(branch_repo)
    repo = DataRepository.open(branch_repo, "test")
    selected = select_records(repo, find_changes(repo, "main")).selected

    full = [
        problem
        for problem in validate_repository(repo).problems
        if record_key(problem.path, "data") in selected
    ]
    partial = run_cli(
        ["validate", "--changed-since", "main", "--format", "json"], repo=branch_repo
    )

    assert [p["message"] for p in json.loads(partial.stdout)["problems"]] == [
        p.message for p in full
    ]
    assert json.loads(partial.stdout)["problems"] == [
        {
            "path": p.path,
            "line": p.line or None,
            "column": p.column or None,
            "field": p.field or None,
            "severity": p.severity,
            "message": p.message,
        }
        for p in full
    ]


def test_partial_run_skips_old_problems(branch_repo: Path) -> None:
    _edit_offer(branch_repo)

    full = run_cli(["validate"], repo=branch_repo)
    partial = run_cli(["validate", "--changed-since", "main"], repo=branch_repo)

    assert full.exit_code == 1
    assert "old-problem.yaml" in full.stdout
    assert (partial.exit_code, partial.stdout) == (0, "")
    assert partial.stderr == (
        "3 files checked (1 record changed since main, with the records that refer "
        "to them): 0 errors\n"
    )


def test_deleted_provider_fails_offer(branch_repo: Path) -> None:
    _delete_provider(branch_repo)

    result = run_cli(["validate", "--changed-since", "main"], repo=branch_repo)

    assert result.exit_code == 1
    assert result.stdout == (
        "data/offers/can-mex-2006.yaml:3:11: error: provider: provider 'canada' not "
        "found; use the id of a file in data/providers\n"
    )


def test_merge_base_used_not_ref(branch_repo: Path) -> None:
    # main moves on after the branch point; its new problem is not the branch's.
    _edit_offer(branch_repo)
    commit(branch_repo, "Edit the offer")
    git(branch_repo, "switch", "--quiet", "main")
    _edit(branch_repo, "data/requests/per-2017.yaml", "iso3: PER", "iso3: XXX")
    commit(branch_repo, "Break a request on main")
    git(branch_repo, "switch", "--quiet", "pr")

    repo = DataRepository.open(branch_repo, "test")
    scope = find_changes(repo, "main")

    assert scope.changed == {("offers", "can-mex-2006")}


def test_merge_of_main_keeps_selection(branch_repo: Path) -> None:
    _edit_offer(branch_repo)
    commit(branch_repo, "Edit the offer")
    git(branch_repo, "switch", "--quiet", "main")
    _add_event(branch_repo)
    commit(branch_repo, "Add an event on main")
    git(branch_repo, "switch", "--quiet", "pr")
    git(branch_repo, "merge", "--quiet", "--no-edit", "main")

    repo = DataRepository.open(branch_repo, "test")

    assert find_changes(repo, "main").changed == {("offers", "can-mex-2006")}


def _edit_taxonomy(root: Path) -> None:
    _edit(root, "data/taxonomy.yaml", "Courses and exercises.", "Courses.")


def _edit_config(root: Path) -> None:
    _edit(root, "assist1540.toml", 'data = "data"', 'data = "data"\n# edited')


def _add_schema(root: Path) -> None:
    write(root, "schemas/request.schema.json", "{}\n")


def _add_workflow(root: Path) -> None:
    write(root, ".github/workflows/assist1540.yml", "name: x\n")


FULL_RUNS = [
    (
        _edit_taxonomy,
        "data/taxonomy.yaml changed, and every record is checked against the taxonomy",
    ),
    (
        _edit_config,
        "assist1540.toml changed, and it sets how assist1540 checks every record",
    ),
    (
        _add_schema,
        "schemas/request.schema.json changed, and it sets how assist1540 "
        "checks every record",
    ),
    (
        _add_workflow,
        ".github/workflows/assist1540.yml changed, and it sets how "
        "assist1540 checks every record",
    ),
]


@pytest.mark.parametrize(("change", "reason"), FULL_RUNS)
def test_full_run_triggers(
    branch_repo: Path, change: Callable[[Path], None], reason: str
) -> None:
    change(branch_repo)

    scope = find_changes(DataRepository.open(branch_repo, "test"), "main")

    assert (scope.full_run, scope.reason, scope.warning) == (True, reason, None)


def test_full_run_reports_everything(branch_repo: Path) -> None:
    _edit_taxonomy(branch_repo)

    result = run_cli(["validate", "--changed-since", "main"], repo=branch_repo)

    assert result.exit_code == 1
    assert "data/requests/old-problem.yaml:3:11" in result.stdout
    assert result.stderr.startswith(
        "data/taxonomy.yaml changed, and every record is checked against the "
        "taxonomy; checking every record\n"
    )


def test_model_change_runs_everything(
    branch_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In assist1540's own repository the package lies beside data/.
    monkeypatch.setattr(changes, "_package_folder", lambda repo: "src/assist1540/")
    write(branch_repo, "src/assist1540/models.py", "# changed\n")

    scope = find_changes(DataRepository.open(branch_repo, "test"), "main")

    assert scope.full_run
    assert scope.reason == (
        "src/assist1540/models.py changed, and it is part of assist1540's models "
        "and rules"
    )


def test_unrelated_file_selects_nothing(branch_repo: Path) -> None:
    write(branch_repo, "README.md", "# Records\n")

    result = run_cli(["validate", "--changed-since", "main"], repo=branch_repo)

    assert result.exit_code == 0
    assert result.stderr.startswith("0 files checked (0 records changed since main")


def test_repository_in_subfolder(tmp_path: Path) -> None:
    root = make_repo(tmp_path, RECORDS)
    outer = tmp_path / "outer"
    shutil.move(root, outer / "records")
    git(outer, "init", "--quiet", "--initial-branch=main")
    commit(outer, "Add records")
    _edit_offer(outer / "records")

    scope = find_changes(DataRepository.open(outer / "records", "test"), "main")

    assert scope.changed == {("offers", "can-mex-2006")}


def test_unknown_ref_is_usage_error(branch_repo: Path) -> None:
    result = run_cli(["validate", "--changed-since", "mian"], repo=branch_repo)

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "error: --changed-since 'mian': git cannot resolve it to a commit; give a "
        "branch, tag or commit that exists here (git branch --all lists the "
        "branches)\n"
    )


def test_shallow_clone_without_ref(branch_repo: Path, tmp_path: Path) -> None:
    _edit_offer(branch_repo)
    commit(branch_repo, "Edit the offer")
    clone = tmp_path / "clone"
    git(
        tmp_path,
        "clone",
        "--quiet",
        "--depth=1",
        "--branch=pr",
        f"file://{branch_repo}",
        str(clone),
    )

    result = run_cli(["validate", "--changed-since", "origin/main"], repo=clone)

    assert result.exit_code == 1
    assert "old-problem.yaml" in result.stdout
    assert result.stderr.startswith(
        "warning: checking every record instead of those changed since "
        "'origin/main': this clone is shallow and does not contain 'origin/main'; "
        "fetch it, or clone with the full history (actions/checkout: "
        "fetch-depth: 0)\n"
    )


def test_shallow_clone_without_merge_base(branch_repo: Path, tmp_path: Path) -> None:
    _edit_offer(branch_repo)
    commit(branch_repo, "Edit the offer")
    git(branch_repo, "switch", "--quiet", "main")
    _add_event(branch_repo)
    commit(branch_repo, "Add an event on main")
    clone = tmp_path / "clone"
    git(
        tmp_path,
        "clone",
        "--quiet",
        "--depth=1",
        "--no-single-branch",
        "--branch=pr",
        f"file://{branch_repo}",
        str(clone),
    )

    result = run_cli(
        ["validate", "--changed-since", "origin/main", "--format", "github"],
        repo=clone,
    )

    assert result.stdout.startswith(
        "::warning title=assist1540 validate::checking every record instead of "
        "those changed since 'origin/main': git finds no merge base of "
        "'origin/main' and HEAD: this clone is shallow, so their common ancestor "
        "is missing; fetch more history (actions/checkout: fetch-depth: 0)\n"
    )
    assert "old-problem.yaml" in result.stdout


def test_outside_git_runs_everything(tmp_path: Path) -> None:
    root = make_repo(tmp_path, RECORDS)

    result = run_cli(["validate", "--changed-since", "main"], repo=root)

    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"warning: checking every record instead of those changed since 'main': "
        f"{root} is not inside a git repository, so no change since 'main' can be "
        "found\n"
    )


def test_paths_with_changed_since_rejected(branch_repo: Path) -> None:
    result = run_cli(
        ["validate", "data/requests", "--changed-since", "main"], repo=branch_repo
    )

    assert (result.exit_code, result.stderr) == (
        2,
        "error: give either PATH arguments or --changed-since, not both: "
        "--changed-since selects the files itself\n",
    )
