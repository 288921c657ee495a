"""The cache of full `validate` runs: reused when nothing changed, never stale."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assist1540 import validation
from assist1540.errors import Problem
from assist1540.validation_cache import (
    CACHE_FILE,
    RACY_MARGIN_NS,
    Snapshot,
    cache_folder,
    load_cached,
    load_unchanged,
    store,
    take_snapshot,
)
from assist1540.validation_report import ValidationReport
from conftest import REQUEST, TAXONOMY, commit_all, make_repo, run_cli


def _cache(root: Path) -> Path:
    return cache_folder(root) / CACHE_FILE


def test_second_run_reuses_result(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})

    first = run_cli(["validate", "--format", "json"], root)
    stored = _cache(root).read_text(encoding="utf-8")
    second = run_cli(["validate", "--format", "json"], root)

    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout
    assert first.stderr == second.stderr
    assert _cache(root).read_text(encoding="utf-8") == stored


def test_edited_record_invalidates_cache(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})
    assert run_cli(["validate"], root).exit_code == 0

    record = root / "data/requests/mex-2006.yaml"
    record.write_text(REQUEST.replace("iso3: MEX", "iso3: XXX"), encoding="utf-8")
    result = run_cli(["validate"], root)

    assert result.exit_code == 1
    assert "iso3: 'XXX' is not an ISO 3166-1 alpha-3 country code" in result.stdout


def test_edited_taxonomy_invalidates_cache(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})
    assert run_cli(["validate"], root).exit_code == 0

    taxonomy = root / "data/taxonomy.yaml"
    taxonomy.write_text(
        TAXONOMY.replace("id: op3c-border-law-enforcement", "id: op3c-border"),
        encoding="utf-8",
    )
    result = run_cli(["validate"], root)

    assert result.exit_code == 1
    assert "unknown area id 'op3c-border-law-enforcement'" in result.stdout


def test_new_record_invalidates_cache(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})
    assert run_cli(["validate"], root).exit_code == 0

    (root / "data/requests/per-2006.yaml").write_text("state: Peru\n", "utf-8")
    result = run_cli(["validate"], root)

    assert result.exit_code == 1
    assert "data/requests/per-2006.yaml" in result.stdout


def test_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})
    assert run_cli(["validate"], root).exit_code == 0
    _cache(root).write_text("{not json", encoding="utf-8")

    result = run_cli(["validate"], root)

    assert result.exit_code == 0
    assert result.stderr == "2 files checked: 0 errors\n"


def test_cached_problems_print_the_same(tmp_path: Path) -> None:
    bad = REQUEST.replace("iso3: MEX", "iso3: XXX")
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": bad})

    first = run_cli(["validate", "--format", "github"], root)
    second = run_cli(["validate", "--format", "github"], root)

    assert first.exit_code == second.exit_code == 1
    assert first.stdout == second.stdout
    assert _cache(root).is_file()


def test_cache_stays_out_of_git_status(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})
    commit_all(root)

    result = run_cli(["validate"], root)
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True
    )

    assert result.exit_code == 0
    assert _cache(root).is_file()
    assert status.stdout == ""


def _cold(root: Path, *arguments: str) -> tuple[int, str, str]:
    folder = cache_folder(root)
    if folder.exists():
        shutil.rmtree(folder)
    result = run_cli(["validate", *arguments], root)
    return result.exit_code, result.stdout, result.stderr


def _warm(root: Path, *arguments: str) -> tuple[int, str, str]:
    result = run_cli(["validate", *arguments], root)
    return result.exit_code, result.stdout, result.stderr


def test_taxonomy_link_invalidates_cache(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})
    assert run_cli(["validate"], root).exit_code == 0
    taxonomy = root / "data/taxonomy.yaml"
    copy = root / "data/taxonomy-copy.yaml"
    copy.write_bytes(taxonomy.read_bytes())
    taxonomy.unlink()
    taxonomy.symlink_to("taxonomy-copy.yaml")

    warm = _warm(root)

    assert warm[0] == 1
    assert warm == _cold(root)


def test_record_folder_link_invalidates_cache(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})
    assert run_cli(["validate"], root).exit_code == 0
    outside = tmp_path / "outside-requests"
    shutil.move(root / "data/requests", outside)
    (root / "data/requests").symlink_to(outside)

    warm = _warm(root)

    assert warm[0] == 1
    assert warm == _cold(root)


@pytest.mark.parametrize("kind", ["dangling-link", "device-link", "fifo"])
def test_odd_record_entries_reported(tmp_path: Path, kind: str) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})
    entry = root / "data/requests/odd.yaml"
    if kind == "dangling-link":
        entry.symlink_to(tmp_path / "missing.yaml")
    elif kind == "device-link":
        entry.symlink_to("/dev/zero")
    else:
        os.mkfifo(entry)

    warm = _warm(root)

    assert warm[0] == 1
    assert "data/requests/odd.yaml:1:1: error: " in warm[1]
    assert warm == _warm(root)
    assert warm == _cold(root)


@pytest.mark.parametrize(
    "content",
    ["[]", "x", "null", "42", '{"key": 1}', '{"key": "k", "problems": [1]}'],
)
def test_damaged_cache_ignored(tmp_path: Path, content: str) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})
    assert run_cli(["validate"], root).exit_code == 0
    _cache(root).write_text(content, encoding="utf-8")

    result = run_cli(["validate"], root)

    assert result.exit_code == 0
    assert result.stderr == "2 files checked: 0 errors\n"


# --- The file-status snapshot -------------------------------------------------


def _snapshot(root: Path, margin_ns: int = 0) -> Snapshot:
    return take_snapshot(root / "data", root / "assist1540.toml", margin_ns)


def _same_size_edit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("MEX", "XXX"), encoding="utf-8")


def _add_record(path: Path) -> None:
    (path.parent / "per-2006.yaml").write_text("state: Peru\n", encoding="utf-8")


def _replace_with_link(path: Path) -> None:
    copy = path.with_name("copy.txt")
    copy.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(copy.name)


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("data/requests/mex-2006.yaml", _same_size_edit),
        ("data/requests/mex-2006.yaml", lambda path: os.utime(path, (0, 0))),
        ("data/requests/mex-2006.yaml", Path.unlink),
        ("data/requests/mex-2006.yaml", _add_record),
        ("data/requests/mex-2006.yaml", _replace_with_link),
        ("data/taxonomy.yaml", _same_size_edit),
        ("assist1540.toml", lambda path: path.write_text("[assist1540]\n", "utf-8")),
    ],
    ids=[
        "record-edited",
        "record-touched",
        "record-deleted",
        "record-added",
        "record-linked",
        "taxonomy-edited",
        "config-edited",
    ],
)
def test_snapshot_changes_with_inputs(
    tmp_path: Path, name: str, change: Callable[[Path], object]
) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})
    before = _snapshot(root)

    change(root / name)
    after = _snapshot(root)

    assert after.digest != before.digest


def test_snapshot_stable_without_changes(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})

    assert _snapshot(root) == _snapshot(root)


def test_fresh_files_not_trusted(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})

    fresh = _snapshot(root, RACY_MARGIN_NS)
    run_cli(["validate"], root)

    stored = json.loads(_cache(root).read_text(encoding="utf-8"))
    assert not fresh.trusted
    assert stored["snapshot"] is None
    assert isinstance(stored["key"], str)
    assert load_unchanged(root, fresh) is None


def test_trusted_snapshot_reused(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})
    snapshot = _snapshot(root)
    report = ValidationReport([Problem("data/x.yaml", 1, 2, "f", "stored")], 7)

    store(root, "key", report, snapshot)
    _same_size_edit(root / "data/requests/mex-2006.yaml")

    assert snapshot.trusted
    assert load_unchanged(root, snapshot) == report
    assert load_unchanged(root, _snapshot(root)) is None
    assert load_cached(root, "key") == report


def test_settled_files_skip_hashing(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})
    first = run_cli(["validate"], root)
    time.sleep(RACY_MARGIN_NS / 1e9 + 0.1)
    settled = run_cli(["validate"], root)

    # A stored result that hashing would reject shows which path returned it.
    stored = json.loads(_cache(root).read_text(encoding="utf-8"))
    stored["key"] = "stale"
    stored["problems"] = [Problem("data/marker.yaml", 1, 1, "", "marker").__dict__]
    _cache(root).write_text(json.dumps(stored), encoding="utf-8")
    unchanged = run_cli(["validate"], root)
    _same_size_edit(root / "data/requests/mex-2006.yaml")
    edited = run_cli(["validate"], root)

    assert first.exit_code == settled.exit_code == 0
    assert stored["snapshot"] is not None
    assert unchanged.stdout == "data/marker.yaml:1:1: error: marker\n"
    assert edited.exit_code == 1
    assert "'XXX' is not an ISO 3166-1 alpha-3 country code" in edited.stdout
    assert "marker" not in edited.stdout


def test_settled_first_run_stores_no_key(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})
    record = root / "data/requests/mex-2006.yaml"
    time.sleep(RACY_MARGIN_NS / 1e9 + 0.1)

    first = run_cli(["validate"], root)
    first_stored = json.loads(_cache(root).read_text(encoding="utf-8"))
    again = run_cli(["validate"], root)
    os.utime(record, (0, 0))
    touched = run_cli(["validate"], root)
    touched_stored = json.loads(_cache(root).read_text(encoding="utf-8"))
    _same_size_edit(record)
    edited = run_cli(["validate"], root)

    assert first.exit_code == again.exit_code == touched.exit_code == 0
    assert first_stored["key"] is None
    assert first_stored["snapshot"] is not None
    assert again.stderr == first.stderr
    assert isinstance(touched_stored["key"], str)
    assert touched.stderr == first.stderr
    assert edited.exit_code == 1
    assert "'XXX' is not an ISO 3166-1 alpha-3 country code" in edited.stdout


def test_edit_during_run_stores_nothing(
    data_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulates a writer that edits a record after validation has read it.
    path = data_repo / "data/requests/mex-2006.yaml"
    real_validate = validation.validate_repository

    def validate_then_edit(*args: Any, **kwargs: Any) -> ValidationReport:
        report = real_validate(*args, **kwargs)
        path.write_text(path.read_text().replace("iso3: MEX", "iso3: 12"))
        return report

    monkeypatch.setattr(validation, "validate_repository", validate_then_edit)
    edited = run_cli(["validate"], data_repo)
    stored = _cache(data_repo).exists()
    monkeypatch.undo()
    after = run_cli(["validate"], data_repo)

    assert edited.exit_code == 0
    assert not stored
    assert after.exit_code == 1
    assert "mex-2006.yaml" in after.stdout


def test_cache_path_taken_by_folder(data_repo: Path) -> None:
    _cache(data_repo).mkdir(parents=True)

    result = run_cli(["validate"], data_repo)

    assert result.exit_code == 0
    assert list(_cache(data_repo).parent.glob(".*.tmp")) == []
