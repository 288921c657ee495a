"""The cached repositories that the benchmarks run on, and the records' JSON Schemas."""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bundled_profile import load_profile
from generate import BUNDLED_DATA, PROJECT_ROOT, commit_all, generate_repository

BENCHMARKS_DIR = Path(__file__).resolve().parent
# The files a generated repository depends on; a change to any of them makes
# the cached copy stale.
_GENERATOR_SOURCES = (
    "generate.py",
    "bundled_profile.py",
    "synthetic_offers.py",
    "synthetic_providers.py",
    "synthetic_requests.py",
    "yaml_text.py",
)


@dataclass(frozen=True)
class RepositoryInfo:
    """A data repository to measure, and how many records of each kind it has."""

    scale: str
    path: Path
    requests: int
    items: int
    offers: int
    providers: int
    programmes: int
    events: int
    request_ids: list[str] = field(default_factory=list)


def ensure_repository(cache: Path, scale: int, seed: int) -> RepositoryInfo:
    """Return the repository at `scale`, generating it when missing or stale."""
    name = f"repo-{scale}x-seed-{seed}"
    key = _fingerprint(
        [BENCHMARKS_DIR / source for source in _GENERATOR_SOURCES],
        [BUNDLED_DATA, PROJECT_ROOT / "templates"],
        f"scale={scale} seed={seed}",
    )

    def build(path: Path) -> dict[str, int]:
        summary = generate_repository(path, scale, seed)
        return {
            "requests": summary.requests,
            "items": summary.items,
            "offers": summary.offers,
            "providers": summary.providers,
            "programmes": summary.programmes,
            "events": summary.events,
        }

    return _cached(cache, name, key, str(scale), build)


def ensure_bundled_copy(cache: Path) -> RepositoryInfo:
    """Return a committed copy of this project's data repository.

    The copy keeps the project's own files safe from benchmarks that edit a
    record, and gives git-based commands a clean single-commit history.
    """
    key = _fingerprint(
        [PROJECT_ROOT / "assist1540.toml"],
        [BUNDLED_DATA, PROJECT_ROOT / "templates"],
        "bundled",
    )

    def build(path: Path) -> dict[str, int]:
        path.mkdir(parents=True)
        shutil.copy2(PROJECT_ROOT / "assist1540.toml", path / "assist1540.toml")
        shutil.copytree(BUNDLED_DATA, path / "data")
        if (PROJECT_ROOT / "templates").is_dir():
            shutil.copytree(PROJECT_ROOT / "templates", path / "templates")
        commit_all(path, "Copy of the bundled data")
        profile = load_profile(BUNDLED_DATA)
        return {
            "requests": len(profile.requests),
            "items": sum(len(request["items"]) for request in profile.requests),
            "offers": _count_files(BUNDLED_DATA / "offers"),
            "providers": len(profile.providers),
            "programmes": sum(
                len(provider.get("programmes", []))
                for provider in profile.providers.values()
            ),
            "events": _count_files(BUNDLED_DATA / "events"),
        }

    return _cached(cache, "repo-bundled", key, "bundled", build)


def _cached(
    cache: Path, name: str, key: str, scale: str, build: object
) -> RepositoryInfo:
    """Reuse `cache/name` when its key matches and git reports no change."""
    path = cache / name
    stamp = cache / f"{name}.json"
    counts = None
    if stamp.is_file() and path.is_dir() and _is_clean(path):
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
        if recorded.get("key") == key:
            counts = recorded["counts"]
    if counts is None:
        shutil.rmtree(path, ignore_errors=True)
        counts = build(path)  # type: ignore[operator]
        stamp.write_text(json.dumps({"key": key, "counts": counts}, indent=2) + "\n")

    request_ids = sorted(
        file.stem for file in (path / "data" / "requests").iterdir() if file.is_file()
    )
    return RepositoryInfo(scale, path, request_ids=request_ids, **counts)


def _fingerprint(files: list[Path], folders: list[Path], text: str) -> str:
    digest = hashlib.sha256(text.encode())
    for folder in folders:
        files = files + sorted(p for p in folder.rglob("*") if p.is_file())
    for path in files:
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _is_clean(path: Path) -> bool:
    completed = subprocess.run(
        ["git", "status", "--porcelain"],
        cwd=path,
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.returncode == 0 and completed.stdout == ""


def _count_files(folder: Path) -> int:
    return (
        sum(1 for path in folder.iterdir() if path.is_file()) if folder.is_dir() else 0
    )


@contextlib.contextmanager
def changed_record(root: Path) -> Iterator[Path]:
    """Append a comment to the first YAML request for the block's duration."""
    path = sorted((root / "data" / "requests").glob("*.yaml"))[0]
    original = path.read_bytes()
    path.write_bytes(
        original + b"# Edited by benchmarks/run.py; restored after the runs.\n"
    )
    try:
        yield path
    finally:
        path.write_bytes(original)


def write_schemas(folder: Path) -> dict[str, Path]:
    """Write the JSON Schema of each record kind, as the pydantic models define it."""
    from assist1540.models import Offer, Provider, Request

    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for kind, model in (
        ("requests", Request),
        ("offers", Offer),
        ("providers", Provider),
    ):
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            **model.model_json_schema(),
        }
        paths[kind] = folder / f"{kind}.json"
        paths[kind].write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
    return paths
