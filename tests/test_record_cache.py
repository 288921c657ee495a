"""The record cache returns what parsing the files would, and nothing stale."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from assist1540.catalog import Catalog, load_catalog, load_entry
from assist1540.record_cache import CACHE_FILE, open_cache
from assist1540.repository import DataRepository
from conftest import REQUEST, TAXONOMY, commit_all, make_repo, run_cli

CACHE = Path(".git/assist1540-cache") / CACHE_FILE


def _summary(loaded: Catalog) -> object:
    kinds = ("requests", "offers", "providers", "events")
    return (
        loaded.problems,
        loaded.checked_files,
        loaded.invalid,
        {
            kind: [
                (entry.id, entry.path, entry.record, entry.body)
                for entry in loaded.entries(kind).values()
            ]
            for kind in kinds
        },
    )


def _stored_paths(root: Path) -> set[str]:
    with (root / CACHE).open("rb") as stream:
        return set(pickle.load(stream)["entries"])


def _load(root: Path) -> Catalog:
    return load_catalog(DataRepository.open(root, "test"))


def test_second_load_equals_first(data_repo: Path) -> None:
    (data_repo / "data/requests/arm-2009.md").write_text(
        f"---\n{REQUEST}---\nA body in Markdown.\n", encoding="utf-8"
    )
    first = _load(data_repo)
    assert (data_repo / CACHE).is_file()

    second = _load(data_repo)

    assert _summary(second) == _summary(first)
    assert second.requests["arm-2009"].body == "A body in Markdown.\n"


def test_edited_file_is_read_again(data_repo: Path) -> None:
    _load(data_repo)
    path = data_repo / "data/requests/mex-2006.yaml"
    path.write_text(path.read_text().replace("Money to", "Funds to"))

    loaded = _load(data_repo)

    summary = loaded.requests["mex-2006"].record.items[1].summary
    assert summary == "Funds to buy detection equipment."


def test_file_with_problems_never_stored(data_repo: Path) -> None:
    path = data_repo / "data/requests/mex-2006.yaml"
    path.write_text(path.read_text().replace("iso3: MEX", "iso3: 12"))

    first = _load(data_repo)
    second = _load(data_repo)

    assert "data/requests/mex-2006.yaml" not in _stored_paths(data_repo)
    assert first.problems
    assert second.problems == first.problems


def test_taxonomy_change_invalidates_entries(data_repo: Path) -> None:
    _load(data_repo)
    taxonomy = data_repo / "data/taxonomy.yaml"
    taxonomy.write_text(TAXONOMY.replace("  - id: training\n", "  - id: courses\n"))

    loaded = _load(data_repo)

    messages = [problem.message for problem in loaded.problems]
    assert any("training" in message for message in messages)
    assert "mex-2006" not in loaded.requests


def test_link_replacing_cached_file_rejected(data_repo: Path, tmp_path: Path) -> None:
    _load(data_repo)
    path = data_repo / "data/requests/mex-2006.yaml"
    outside = tmp_path / "outside.yaml"
    outside.write_text(path.read_text())
    path.unlink()
    path.symlink_to(outside)

    loaded = _load(data_repo)

    assert "mex-2006" not in loaded.requests
    assert any("symbolic link" in problem.message for problem in loaded.problems)


def test_damaged_cache_is_replaced(data_repo: Path) -> None:
    first = _load(data_repo)
    (data_repo / CACHE).write_bytes(b"not a pickle")

    second = _load(data_repo)

    assert _summary(second) == _summary(first)
    assert _stored_paths(data_repo) == {
        "data/requests/mex-2006.yaml",
        "data/providers/canada.yaml",
        "data/offers/can-mex-2006.yaml",
    }


def test_removed_file_leaves_cache(data_repo: Path) -> None:
    _load(data_repo)
    (data_repo / "data/offers/can-mex-2006.yaml").unlink()

    _load(data_repo)

    assert "data/offers/can-mex-2006.yaml" not in _stored_paths(data_repo)


def test_no_cache_without_git_folder(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})

    loaded = _load(root)

    assert "mex-2006" in loaded.requests
    assert not (root / ".assist1540-cache").exists()
    assert not (root / ".git").exists()


def test_validate_does_not_write_cache(data_repo: Path) -> None:
    result = run_cli(["validate"], data_repo)

    assert result.exit_code == 0
    assert not (data_repo / CACHE).exists()


def test_cached_file_problem_keeps_position(data_repo: Path) -> None:
    # The offer is cached while its request exists; the reference problem found
    # after the request goes must still point at the offer's line.
    _load(data_repo)
    (data_repo / "data/requests/mex-2006.yaml").unlink()
    commit_all(data_repo, "Remove the request")

    result = run_cli(["validate"], data_repo)

    assert result.exit_code == 1
    assert "data/offers/can-mex-2006.yaml:1:10: error: request:" in result.stdout


def test_entry_parsed_from_hashed_bytes(data_repo: Path) -> None:
    # A file edited between the cache's read and the parse must be stored with
    # the record of the bytes that were hashed, never of the newer ones.
    repository = DataRepository.open(data_repo, "test")
    first = load_catalog(repository)
    assert first.taxonomy is not None
    path = data_repo / "data/requests/mex-2006.yaml"
    original = path.read_text()
    path.write_text(original.replace("Money to", "Funds to"))
    cache = open_cache(data_repo, repository.taxonomy_path)
    assert cache is not None

    entry, raw = cache.lookup("data/requests/mex-2006.yaml", path)
    path.write_text(original.replace("Money to", "Grants to"))
    loaded = load_entry(repository, "requests", path, first.taxonomy, raw=raw)
    cache.add(loaded)
    cache.save()

    with (data_repo / CACHE).open("rb") as stream:
        digest, stored = pickle.load(stream)["entries"]["data/requests/mex-2006.yaml"]
    hashed = original.replace("Money to", "Funds to").encode()
    assert entry is None
    assert raw == hashed
    assert loaded.record.items[1].summary == "Funds to buy detection equipment."
    assert digest == hashlib.blake2b(hashed, digest_size=16).digest()
    assert stored.record == loaded.record


def test_changed_since_does_not_write_cache(data_repo: Path) -> None:
    _load(data_repo)
    stored = _stored_paths(data_repo)
    path = data_repo / "data/requests/mex-2006.yaml"
    path.write_text(path.read_text().replace("Money to", "Funds to"))

    result = run_cli(["validate", "--changed-since", "HEAD"], data_repo)

    assert result.exit_code == 0
    assert _stored_paths(data_repo) == stored


def test_cache_path_taken_by_file(data_repo: Path) -> None:
    (data_repo / ".git/assist1540-cache").write_text("not a folder\n")

    result = run_cli(["list"], data_repo)

    assert result.exit_code == 0
    assert "mex-2006" in result.stdout
    assert list((data_repo / ".git").glob("**/.records-v1.pickle.*.tmp")) == []
