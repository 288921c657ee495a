"""Generate a seeded synthetic data repository at a multiple of the bundled data.

Example: python benchmarks/generate.py --scale 10 --out /tmp/repo-10x --seed 1540

At scale N the repository has N times the bundled requests and providers, with
their channels, languages, statuses, item counts, date precisions and tags in
the bundled proportions, plus offers on distributed requests, assistance
conferences, YAML comments and some Markdown records. The taxonomy is copied
as it is. The output is a git repository with one commit, whose files and
commit id depend only on the seed, the scale and the bundled data.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bundled_profile import load_profile
from synthetic_offers import make_events, make_offers
from synthetic_providers import make_providers
from synthetic_requests import make_requests

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BUNDLED_DATA = PROJECT_ROOT / "data"
DEFAULT_SEED = 1540
# Fixed so that the output does not change with the day it is generated.
LAST_DAY = date(2026, 11, 30)
COMMIT_DATE = "2026-12-01T12:00:00+00:00"
_CONFIG_HEADER = """\
# Synthetic data repository for the assist1540 benchmarks, written by
# benchmarks/generate.py. Every record is invented from the bundled data.
[assist1540]
data = "data"
templates = "templates"
"""
_GITIGNORE = ".assist1540-cache/\n/site/\n"


@dataclass(frozen=True)
class RepositorySummary:
    """Record counts and commit id of a generated repository."""

    path: Path
    requests: int
    items: int
    offers: int
    providers: int
    programmes: int
    events: int
    commit: str

    def describe(self) -> str:
        return (
            f"{self.path}: {self.requests} requests with {self.items} items, "
            f"{self.offers} offers, {self.providers} providers with "
            f"{self.programmes} programmes, {self.events} conferences; "
            f"commit {self.commit[:12]}"
        )


def build_files(scale: int, seed: int) -> tuple[dict[str, str], RepositorySummary]:
    """Build the text of every file of a repository, by path, and count its records."""
    rng = random.Random(seed)
    profile = load_profile(BUNDLED_DATA)
    providers = make_providers(profile, scale, rng, LAST_DAY)
    requests = make_requests(profile, scale, rng, LAST_DAY)
    offers = make_offers(requests, providers, rng, LAST_DAY)
    events = make_events(requests, providers, rng, LAST_DAY)

    files = {
        "assist1540.toml": _config_text(requests),
        ".gitignore": _GITIGNORE,
        "data/taxonomy.yaml": profile.taxonomy_text,
    }
    files.update({f"data/providers/{p.id}.yaml": p.text for p in providers})
    files.update({request.path: request.text for request in requests})
    files.update(offers)
    files.update(events)
    for template in sorted((PROJECT_ROOT / "templates").glob("**/*")):
        if template.is_file():
            name = template.relative_to(PROJECT_ROOT).as_posix()
            files[name] = template.read_text(encoding="utf-8")

    summary = RepositorySummary(
        path=Path(),
        requests=len(requests),
        items=sum(len(request.item_areas) for request in requests),
        offers=len(offers),
        providers=len(providers),
        programmes=sum(len(provider.programmes) for provider in providers),
        events=len(events),
        commit="",
    )
    return files, summary


def _config_text(requests: list) -> str:  # type: ignore[type-arg]
    """Write the configuration, with the letter language of each State that
    wrote in French or Spanish."""
    languages: dict[str, str] = {}
    for request in requests:
        if request.language != "en":
            languages.setdefault(request.iso3, request.language)
    lines = [_CONFIG_HEADER, "[assist1540.languages]"]
    lines.extend(f'{code} = "{languages[code]}"' for code in sorted(languages))
    return "\n".join(lines) + "\n"


def generate_repository(out: Path, scale: int, seed: int) -> RepositorySummary:
    """Write a repository into `out`, which must be missing or empty, and commit it."""
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"error: {out} is not empty; give a new or empty folder")
    files, summary = build_files(scale, seed)
    for name, text in sorted(files.items()):
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    commit = commit_all(
        out, f"Synthetic data at {scale}x the bundled data, seed {seed}"
    )
    return RepositorySummary(
        out,
        summary.requests,
        summary.items,
        summary.offers,
        summary.providers,
        summary.programmes,
        summary.events,
        commit,
    )


def commit_all(root: Path, message: str) -> str:
    """Make one commit of every file; a fixed author and date fix its id."""
    environment = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "assist1540 benchmarks",
        "GIT_AUTHOR_EMAIL": "benchmarks@assist1540.example",
        "GIT_AUTHOR_DATE": COMMIT_DATE,
        "GIT_COMMITTER_NAME": "assist1540 benchmarks",
        "GIT_COMMITTER_EMAIL": "benchmarks@assist1540.example",
        "GIT_COMMITTER_DATE": COMMIT_DATE,
    }

    def git(*arguments: str) -> str:
        completed = subprocess.run(
            ["git", *arguments],
            cwd=root,
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        )
        return completed.stdout.strip()

    git("init", "--quiet", "--initial-branch=main")
    git("add", "--all")
    git("commit", "--quiet", "--no-gpg-sign", "--message", message)
    return git("rev-parse", "HEAD")


def validate_repository(root: Path) -> subprocess.CompletedProcess[str]:
    """Run `assist1540 validate` on a repository with the interpreter's own install."""
    return subprocess.run(
        [assist1540_command(), "--repo", str(root), "validate"],
        capture_output=True,
        text=True,
        check=False,
    )


def assist1540_command() -> str:
    """Find the assist1540 script beside the running interpreter, else on PATH."""
    beside = Path(sys.executable).parent / "assist1540"
    if beside.is_file():
        return str(beside)
    found = shutil.which("assist1540")
    if found is None:
        raise SystemExit("error: assist1540 is not installed; run pip install -e .")
    return found


def self_test(seed: int) -> int:
    """Generate 1x twice with one seed: both must validate and match byte for byte."""
    with tempfile.TemporaryDirectory(prefix="assist1540-generate-") as folder:
        first = generate_repository(Path(folder) / "first", 1, seed)
        second = generate_repository(Path(folder) / "second", 1, seed)
        failures = []
        for summary in (first, second):
            completed = validate_repository(summary.path)
            if completed.returncode != 0:
                failures.append(
                    f"validate failed on {summary.path}:\n"
                    f"{completed.stdout}{completed.stderr}"
                )
        if first.commit != second.commit:
            failures.append(f"commits differ: {first.commit} and {second.commit}")
    for failure in failures:
        print(failure, file=sys.stderr)
    print("self-test " + ("failed" if failures else "passed"), file=sys.stderr)
    return 1 if failures else 0


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale",
        type=int,
        default=1,
        help="Multiple of the bundled data's size (default: 1).",
    )
    parser.add_argument("--out", type=Path, help="New or empty folder to write.")
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"Seed of the random choices (default: {DEFAULT_SEED}).",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="Run assist1540 validate on the output; exit 1 if it fails.",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="Generate 1x twice into a temporary folder and check that "
        "both validate and are identical; write nothing else.",
    )
    options = parser.parse_args(arguments)

    if options.self_test:
        return self_test(options.seed)
    if options.out is None:
        parser.error("--out is required unless --self-test is given")
    if options.scale < 1:
        parser.error(f"--scale must be 1 or more, got {options.scale}")

    summary = generate_repository(options.out, options.scale, options.seed)
    print(summary.describe(), file=sys.stderr)
    if options.check:
        completed = validate_repository(options.out)
        sys.stderr.write(completed.stdout + completed.stderr)
        return 0 if completed.returncode == 0 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
