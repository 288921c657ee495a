"""Read-only git queries through the git program, checked against GitPython."""

from __future__ import annotations

from pathlib import Path

import git as gitpython
import pytest

from assist1540 import gitops
from assist1540.errors import RepositoryError
from git_helpers import commit, git, write


@pytest.fixture
def work_tree(tmp_path: Path) -> Path:
    root = tmp_path / "work"
    root.mkdir()
    git(root, "init", "--quiet", "--initial-branch=main")
    return root


def gitpython_files(root: Path, rev: str, folder: str, max_bytes: int) -> dict:
    """Read a folder at a commit the way GitPython's tree traversal does."""
    tree = gitpython.Repo(root).commit(rev).tree / folder
    return {
        str(item.path): item.data_stream.read(max_bytes + 1)
        for item in tree.traverse()
        if isinstance(item, gitpython.Blob)
    }


def test_reader_outside_repository(tmp_path: Path) -> None:
    with pytest.raises(RepositoryError) as raised:
        gitops.open_reader(tmp_path)

    assert "is not inside a git repository" in str(raised.value)
    assert str(tmp_path) in str(raised.value)


def test_reader_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(RepositoryError) as raised:
        gitops.open_reader(tmp_path / "missing")

    assert "is not inside a git repository" in str(raised.value)


def test_reader_from_subfolder(work_tree: Path) -> None:
    subfolder = work_tree / "data" / "requests"
    subfolder.mkdir(parents=True)

    reader = gitops.open_reader(subfolder)

    assert gitops.worktree_root(reader) == work_tree.resolve()
    assert reader.git_dir == (work_tree / ".git").resolve()


def test_reader_bare_repository(tmp_path: Path) -> None:
    bare = tmp_path / "bare.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare))

    reader = gitops.open_reader(bare)

    assert reader.working_tree_dir is None
    with pytest.raises(RepositoryError) as raised:
        gitops.worktree_root(reader)
    assert "is a bare git repository" in str(raised.value)


def test_read_files_matches_gitpython(work_tree: Path) -> None:
    write(work_tree, "data/requests/mex-2006.yaml", "state: Mexico\n")
    write(work_tree, "data/requests/empty.yaml", "")
    write(work_tree, "data/offers/é-accent.yaml", "summary: café\n")
    write(work_tree, "data/offers/long.yaml", "x" * 1000)
    (work_tree / "data/providers").mkdir(parents=True)
    (work_tree / "data/providers/link.yaml").symlink_to("../requests/mex-2006.yaml")
    write(work_tree, "other/outside.yaml", "not: read\n")
    sha = commit(work_tree, "Add records")
    reader = gitops.open_reader(work_tree)

    files = gitops.read_files_at(reader, sha, "data", max_bytes=100)

    assert files == gitpython_files(work_tree, sha, "data", max_bytes=100)
    assert files["data/offers/long.yaml"] == b"x" * 101
    assert files["data/providers/link.yaml"] == b"../requests/mex-2006.yaml"
    assert files["data/requests/empty.yaml"] == b""
    assert "other/outside.yaml" not in files


def test_read_files_missing_folder(work_tree: Path) -> None:
    write(work_tree, "other/file.yaml", "a: 1\n")
    sha = commit(work_tree, "Add a file")
    reader = gitops.open_reader(work_tree)

    assert gitops.read_files_at(reader, sha, "data", max_bytes=100) == {}


def test_read_files_folder_is_no_prefix(work_tree: Path) -> None:
    write(work_tree, "data/a.yaml", "a: 1\n")
    write(work_tree, "data2/b.yaml", "b: 1\n")
    sha = commit(work_tree, "Add two folders")
    reader = gitops.open_reader(work_tree)

    files = gitops.read_files_at(reader, sha, "data", max_bytes=100)

    assert list(files) == ["data/a.yaml"]


def test_read_file_at_commit(work_tree: Path) -> None:
    write(work_tree, "data/a.yaml", "a: 1\n")
    first = commit(work_tree, "Add a")
    write(work_tree, "data/a.yaml", "a: 2\n")
    commit(work_tree, "Change a")
    reader = gitops.open_reader(work_tree)

    assert gitops.read_file_at(reader, first, "data/a.yaml") == b"a: 1\n"
    assert gitops.read_file_at(reader, "HEAD", "data/a.yaml") == b"a: 2\n"
    assert gitops.read_file_at(reader, "HEAD", "data/missing.yaml") is None


def test_log_file_follows_rename(work_tree: Path) -> None:
    write(work_tree, "data/old.yaml", "state: Mexico\nreceived: 2006\n")
    first = commit(work_tree, "Add old")
    git(work_tree, "mv", "data/old.yaml", "data/new.yaml")
    second = commit(work_tree, "Rename old to new")
    reader = gitops.open_reader(work_tree)

    commits = gitops.log_file(reader, "data/new.yaml")

    assert [entry.sha for entry in commits] == [second, first]
    assert commits[0].status == "R"
    assert commits[0].old_path == "data/old.yaml"
    assert commits[0].subject == "Rename old to new"
    assert commits[1].path == "data/old.yaml"
    assert gitops.log_file(reader, "data/never.yaml") == []


def test_find_commit_rejects_option(work_tree: Path) -> None:
    sha = commit(work_tree, "First")
    reader = gitops.open_reader(work_tree)

    assert gitops.find_commit(reader, "main") == sha
    assert gitops.find_commit(reader, "--all") is None
    assert gitops.find_commit(reader, "no-such-branch") is None


def test_merge_base_of_unrelated_histories(work_tree: Path) -> None:
    commit(work_tree, "First")
    git(work_tree, "checkout", "--quiet", "--orphan", "other")
    commit(work_tree, "Unrelated")
    reader = gitops.open_reader(work_tree)

    assert gitops.find_merge_base(reader, "main", "other") is None
    assert gitops.is_shallow(reader) is False
    assert gitops.find_main_branch(reader) == "main"


def test_list_changes_with_rename_and_untracked(work_tree: Path) -> None:
    write(work_tree, "data/a.yaml", "state: Mexico\nreceived: 2006\nitems: []\n")
    write(work_tree, "data/b.yaml", "b: 1\n")
    base = commit(work_tree, "Add a and b")
    git(work_tree, "mv", "data/a.yaml", "data/renamed.yaml")
    write(work_tree, "data/b.yaml", "b: 2\n")
    write(work_tree, "data/new.yaml", "new: 1\n")
    reader = gitops.open_reader(work_tree)

    changes = gitops.list_changes(reader, base, "data")

    assert gitops.ChangedPath("R", "data/renamed.yaml", "data/a.yaml") in changes
    assert gitops.ChangedPath("M", "data/b.yaml") in changes
    assert gitops.ChangedPath("?", "data/new.yaml") in changes
    assert len(changes) == 3


def test_failed_command_keeps_message(work_tree: Path) -> None:
    reader = gitops.open_reader(work_tree)

    with pytest.raises(gitops.GitCommandFailedError) as raised:
        reader.run("rev-parse", "--verify", "no-such-ref")

    assert raised.value.status != 0
    assert "no-such-ref" in str(raised.value)
