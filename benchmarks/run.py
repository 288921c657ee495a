"""Measure assist1540's commands on the bundled data and on 1x, 10x and 100x copies.

Example: python benchmarks/run.py --json /tmp/benchmarks.json

Each command runs as a whole process: one warm-up run, then `--runs` measured
runs, from which the report gives the median, minimum and maximum wall time and
the highest peak resident memory. yamllint and check-jsonschema, when
installed, are measured on the same YAML files, and assist1540's cold validate
is given as a ratio to each. Commands that other developers have not added yet
are listed in BENCHMARKS and reported as not available until `assist1540
COMMAND --help` succeeds. The exit code is 0 whatever the figures: this is a
measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from generate import DEFAULT_SEED, assist1540_command
from measure import Figures, Sample, run_sequence
from report import Result, Target, describe_machine, format_report, is_ok
from repositories import (
    RepositoryInfo,
    changed_record,
    ensure_bundled_copy,
    ensure_repository,
    write_schemas,
)

BENCHMARKS_DIR = Path(__file__).resolve().parent
DEFAULT_CACHE = BENCHMARKS_DIR / ".cache"
DEFAULT_SCALES = ("bundled", "1", "10", "100")
# Folders assist1540 may keep a cache in, relative to the data repository; a
# cold run removes them first. XDG_CACHE_HOME is also pointed at a folder per
# repository, which cold runs remove.
CACHE_FOLDERS = (".assist1540-cache", ".git/assist1540-cache")


@dataclass(frozen=True)
class Benchmark:
    """One assist1540 command line to measure, and how to find and prepare it.

    `arguments` follow `assist1540 --repo REPOSITORY`. `{request_ids}` stands
    for the id of every request in the repository and `{output}` for an empty
    scratch folder. `command` names the words whose `--help` must exit 0, and
    `option` an option that the help text must list.
    """

    name: str
    arguments: tuple[str, ...]
    command: tuple[str, ...]
    option: str | None = None
    # "clear-cache" removes the caches before each run. "change-record" edits
    # one request before the runs and restores it after them. "clear-output"
    # empties the scratch folder before each run.
    prepare: str | None = None
    per_repository: bool = True


BENCHMARKS = (
    Benchmark("--help", ("--help",), (), per_repository=False),
    Benchmark("validate cold", ("validate",), ("validate",), prepare="clear-cache"),
    Benchmark("validate warm", ("validate",), ("validate",)),
    Benchmark("match every item", ("match", "--json", "{request_ids}"), ("match",)),
    Benchmark(
        "validate --changed-since",
        ("validate", "--changed-since", "HEAD"),
        ("validate",),
        option="--changed-since",
        prepare="change-record",
    ),
    Benchmark(
        "render site",
        ("render", "site", "--out", "{output}"),
        ("render", "site"),
        prepare="clear-output",
    ),
    # One edited record against the single commit, as in a pull request.
    Benchmark(
        "review", ("review", "--json", "HEAD"), ("review",), prepare="change-record"
    ),
    # A fixed day, so that the steps due do not change with the day of the run.
    Benchmark("due", ("due", "--json", "--on", "2026-12-01"), ("due",)),
)


TARGETS = (
    Target("--help", "any", "seconds", 0.15),
    Target("*", "bundled", "seconds", 0.3),
    Target("validate cold", "100", "seconds", 1.5),
    Target("validate warm", "100", "seconds", 0.3),
    Target("match every item", "100", "seconds", 3.0),
    Target("render site", "100", "seconds", 5.0),
    Target("*", "100", "peak_mib", 300.0),
)


@dataclass
class _Session:
    """Options, program and cache folder shared by every measurement."""

    executable: str
    cache: Path
    runs: int
    timeout: float
    slow: float


def main(arguments: list[str] | None = None) -> int:
    options = _parse_options(arguments)
    options.cache.mkdir(parents=True, exist_ok=True)
    session = _Session(
        assist1540_command(), options.cache, options.runs, options.timeout, options.slow
    )
    available = {b.name: _is_available(session.executable, b) for b in BENCHMARKS}
    tools = {name: _find_tool(name) for name in ("yamllint", "check-jsonschema")}
    schemas = write_schemas(options.cache / "schemas")

    results = [
        _measure(session, benchmark, None, available[benchmark.name])
        for benchmark in BENCHMARKS
        if not benchmark.per_repository
    ]
    repositories = []
    for scale in options.scales:
        _progress(f"preparing the {scale} repository")
        if scale == "bundled":
            repository = ensure_bundled_copy(options.cache)
        else:
            repository = ensure_repository(options.cache, int(scale), options.seed)
        repositories.append(repository)
        for benchmark in BENCHMARKS:
            if benchmark.per_repository:
                results.append(
                    _measure(session, benchmark, repository, available[benchmark.name])
                )
        results.extend(_measure_tools(session, tools, schemas, repository))

    report = format_report(repositories, results, TARGETS)
    print(report)
    if options.json is not None:
        _write_json(options.json, repositories, results, report)
    return 0


def _parse_options(arguments: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales",
        default=",".join(DEFAULT_SCALES),
        help="Comma-separated repositories to measure: bundled (a copy of data/) "
        "and multiples of it (default: %(default)s).",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="Measured runs after the warm-up (default: 5).",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help="Seed of the generated repositories (default: %(default)s).",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        help="Folder of the generated repositories, kept between "
        "runs (default: benchmarks/.cache).",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="Seconds after which a run is killed and reported as timed out "
        "(default: 600).",
    )
    parser.add_argument(
        "--slow",
        type=float,
        default=30.0,
        help="A command whose warm-up takes longer than this many "
        "seconds is not run again: the warm-up is its only "
        "measured run (default: 30).",
    )
    parser.add_argument(
        "--json",
        type=Path,
        help="Also write the figures, targets and machine to this file.",
    )
    options = parser.parse_args(arguments)

    options.scales = [scale.strip() for scale in options.scales.split(",") if scale]
    for scale in options.scales:
        if scale != "bundled" and not (scale.isdigit() and int(scale) >= 1):
            parser.error(f"invalid scale '{scale}'; use bundled or a whole number >= 1")
    if options.runs < 1:
        parser.error(f"--runs must be 1 or more, got {options.runs}")
    return options


def _is_available(executable: str, benchmark: Benchmark) -> bool:
    """Check that `assist1540 COMMAND --help` exits 0 and lists the option."""
    completed = subprocess.run(
        [executable, *benchmark.command, "--help"],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if completed.returncode != 0:
        return False
    return benchmark.option is None or benchmark.option in completed.stdout


def _find_tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else shutil.which(name)


def _measure(
    session: _Session,
    benchmark: Benchmark,
    repository: RepositoryInfo | None,
    available: bool,
) -> Result:
    scale = repository.scale if repository is not None else "any"
    shown = " ".join(_shown(argument) for argument in benchmark.arguments)
    if not available:
        return Result(
            scale,
            benchmark.name,
            f"assist1540 {shown}",
            "assist1540",
            None,
            "not available",
        )

    with tempfile.TemporaryDirectory(prefix="assist1540-bench-") as scratch:
        scratch_path = Path(scratch)
        cwd = repository.path if repository is not None else scratch_path
        xdg = session.cache / f"xdg-{scale}"
        environment = _environment(xdg)
        command = [session.executable]
        if repository is not None:
            command += ["--repo", str(repository.path)]
        command += _expand(benchmark.arguments, repository, scratch_path / "output")

        def prepare() -> None:
            if benchmark.prepare == "clear-cache" and repository is not None:
                for folder in CACHE_FOLDERS:
                    shutil.rmtree(repository.path / folder, ignore_errors=True)
                shutil.rmtree(xdg, ignore_errors=True)
            if benchmark.prepare == "clear-output":
                shutil.rmtree(scratch_path / "output", ignore_errors=True)

        _progress(f"{scale}: {benchmark.name}")
        if benchmark.prepare == "change-record" and repository is not None:
            with changed_record(repository.path):
                figures = _repeat(
                    session, [command], cwd, environment, prepare, scratch_path
                )
        else:
            figures = _repeat(
                session, [command], cwd, environment, prepare, scratch_path
            )
    return Result(
        scale, benchmark.name, f"assist1540 {shown}", "assist1540", figures, "measured"
    )


def _repeat(
    session: _Session,
    commands: list[list[str]],
    cwd: Path,
    environment: dict[str, str],
    prepare: Callable[[], None] | None,
    scratch: Path,
) -> Figures:
    """Run a warm-up, then the measured runs; a slow warm-up is the only run."""

    def run_once() -> Sample:
        if prepare is not None:
            prepare()
        return run_sequence(
            commands, cwd, environment, session.timeout, scratch / "stderr.txt"
        )

    warm_up = run_once()
    if warm_up.timed_out or warm_up.seconds > session.slow:
        return Figures.of([warm_up])
    return Figures.of([run_once() for _ in range(session.runs)])


def _measure_tools(
    session: _Session,
    tools: dict[str, str | None],
    schemas: dict[str, Path],
    repository: RepositoryInfo,
) -> list[Result]:
    """Measure yamllint and check-jsonschema on the repository's YAML records."""
    data = repository.path / "data"
    commands = {
        "yamllint": [
            [
                str(tools["yamllint"]),
                "--config-file",
                str(BENCHMARKS_DIR / "yamllint.yaml"),
                "--format",
                "parsable",
                "data",
            ]
        ],
        "check-jsonschema": [
            [
                str(tools["check-jsonschema"]),
                "--schemafile",
                str(schemas[kind]),
                *(str(path) for path in sorted((data / kind).glob("*.yaml"))),
            ]
            for kind in ("requests", "offers", "providers")
            if any((data / kind).glob("*.yaml"))
        ],
    }
    shown = {
        "yamllint": "yamllint --config-file benchmarks/yamllint.yaml data",
        "check-jsonschema": "check-jsonschema --schemafile KIND.json "
        "data/KIND/*.yaml, for requests, offers and providers",
    }
    results = []
    for name, executable in tools.items():
        if executable is None:
            results.append(
                Result(repository.scale, name, shown[name], name, None, "not installed")
            )
            continue
        _progress(f"{repository.scale}: {name}")
        with tempfile.TemporaryDirectory(prefix="assist1540-bench-") as scratch:
            figures = _repeat(
                session,
                commands[name],
                repository.path,
                _environment(None),
                None,
                Path(scratch),
            )
        results.append(
            Result(repository.scale, name, shown[name], name, figures, "measured")
        )
    return results


def _expand(
    arguments: tuple[str, ...], repository: RepositoryInfo | None, output: Path
) -> list[str]:
    expanded: list[str] = []
    for argument in arguments:
        if argument == "{request_ids}":
            assert repository is not None
            expanded.extend(repository.request_ids)
        else:
            expanded.append(argument.replace("{output}", str(output)))
    return expanded


def _shown(argument: str) -> str:
    return {"{request_ids}": "REQUEST-ID...", "{output}": "DIR"}.get(argument, argument)


def _environment(xdg_cache: Path | None) -> dict[str, str]:
    environment = dict(os.environ)
    # The repository comes from --repo; a variable left in the shell must not
    # point the command somewhere else.
    environment.pop("ASSIST1540_REPO", None)
    # An installed tool runs from bytecode written at installation or on its
    # first run. With this variable set in the shell, every run would compile
    # the package's source again and time the compiler instead.
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    if xdg_cache is not None:
        environment["XDG_CACHE_HOME"] = str(xdg_cache)
    return environment


def _write_json(
    path: Path, repositories: list[RepositoryInfo], results: list[Result], report: str
) -> None:
    listed = []
    for repository in repositories:
        fields = asdict(repository)
        # The ids are in the repository itself, and would swamp the file.
        del fields["request_ids"]
        listed.append(fields | {"path": str(repository.path)})
    document = {
        "machine": describe_machine(),
        "repositories": listed,
        "results": [asdict(result) for result in results],
        "all_ok": all(is_ok(result) for result in results),
        "report": report,
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
