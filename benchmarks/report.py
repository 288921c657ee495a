"""Markdown tables of the figures, the ratios to other tools and the targets."""

from __future__ import annotations

import importlib.util
import os
import platform
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from measure import Figures
from repositories import RepositoryInfo

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# The tools that assist1540's cold validate is compared with.
COMPARED_TOOLS = ("yamllint", "check-jsonschema")


@dataclass(frozen=True)
class Result:
    """The figures of one benchmark on one repository, or why there are none."""

    scale: str
    name: str
    command: str
    program: str
    figures: Figures | None
    status: str


@dataclass(frozen=True)
class Target:
    """A limit on a benchmark's median time (seconds) or peak memory (MiB).

    `benchmark` "*" applies the limit to every assist1540 command at `scale`;
    scale "any" is for commands measured once, outside any repository.
    """

    benchmark: str
    scale: str
    metric: str
    limit: float


def is_ok(result: Result) -> bool:
    """Tell whether a measured command exited 0 within the time limit."""
    figures = result.figures
    return figures is None or (figures.exit_code == 0 and not figures.timed_out)


def format_report(
    repositories: Sequence[RepositoryInfo],
    results: Sequence[Result],
    targets: Sequence[Target],
) -> str:
    """Format the repositories, figures, ratios and targets as Markdown."""
    machine = describe_machine()
    sections = [
        "# assist1540 benchmarks",
        f"{machine['date']}; {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['memory']}; Python {machine['python']}; assist1540 "
        f"{machine['assist1540']} at {machine['commit']}.",
        "## Repositories",
        _table(
            [
                "scale",
                "requests",
                "items",
                "offers",
                "providers",
                "programmes",
                "conferences",
            ],
            [
                [
                    r.scale,
                    r.requests,
                    r.items,
                    r.offers,
                    r.providers,
                    r.programmes,
                    r.events,
                ]
                for r in repositories
            ],
        ),
        "## Figures",
        "Wall time in seconds and peak resident memory in MiB of the whole process.",
        _table(
            [
                "scale",
                "benchmark",
                "runs",
                "median s",
                "min s",
                "max s",
                "peak MiB",
                "exit",
            ],
            [_figure_row(result) for result in results],
        ),
        "## assist1540 validate (cold) against other tools",
        "Ratio = assist1540's median / the tool's median; above 1 assist1540 is "
        "slower. The tools read only the .yaml records; assist1540 also reads the "
        ".md ones and checks references.",
        _table(["scale", "validate cold s", *_ratio_headers()], _ratio_rows(results)),
        "## Targets",
        _table(
            ["benchmark", "scale", "limit", "measured", "result"],
            [row for target in targets for row in _target_rows(target, results)],
        ),
        "## Command lines",
        _table(["benchmark", "command"], _command_rows(results)),
    ]
    return "\n\n".join(sections) + "\n"


def _figure_row(result: Result) -> list[Any]:
    figures = result.figures
    if figures is None:
        return [result.scale, result.name, "", "", "", "", "", result.status]
    return [
        result.scale,
        result.name,
        figures.runs,
        f"{figures.median_seconds:.3f}",
        f"{figures.min_seconds:.3f}",
        f"{figures.max_seconds:.3f}",
        f"{figures.peak_mib:.0f}",
        _exit_text(figures),
    ]


def _exit_text(figures: Figures) -> str:
    if figures.timed_out:
        return "timed out"
    return str(figures.exit_code)


def _ratio_headers() -> list[str]:
    headers = []
    for tool in COMPARED_TOOLS:
        headers += [f"{tool} s", f"ratio to {tool}"]
    return headers


def _ratio_rows(results: Sequence[Result]) -> list[list[Any]]:
    medians = {
        (result.scale, result.name): result.figures.median_seconds
        for result in results
        if result.figures is not None and is_ok(result)
    }
    rows = []
    for scale in dict.fromkeys(
        result.scale for result in results if result.scale != "any"
    ):
        validate = medians.get((scale, "validate cold"))
        row: list[Any] = [scale, _seconds(validate)]
        for tool in COMPARED_TOOLS:
            theirs = medians.get((scale, tool))
            row.append(_seconds(theirs) if theirs is not None else "not installed")
            row.append(f"{validate / theirs:.2f}" if validate and theirs else "")
        rows.append(row)
    return rows


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _target_rows(target: Target, results: Sequence[Result]) -> list[list[Any]]:
    unit = " s" if target.metric == "seconds" else " MiB"
    limit = f"< {target.limit:g}{unit}"
    matching = [
        result
        for result in results
        if result.program == "assist1540"
        and result.scale == target.scale
        and target.benchmark in ("*", result.name)
    ]
    measured = [result for result in matching if result.figures is not None]
    if not measured:
        status = matching[0].status if matching else "scale not measured"
        return [[target.benchmark, target.scale, limit, "", status]]

    def value(result: Result) -> float:
        assert result.figures is not None
        if target.metric == "seconds":
            return result.figures.median_seconds
        return result.figures.peak_mib

    worst = max(measured, key=value)
    passed = value(worst) < target.limit and all(is_ok(result) for result in measured)
    shown = f"{value(worst):.3f}{unit}" if unit == " s" else f"{value(worst):.0f}{unit}"
    if target.benchmark == "*":
        over = [r.name for r in measured if value(r) >= target.limit and r is not worst]
        shown += f" ({worst.name})"
        if over:
            shown += f"; also over: {', '.join(over)}"
    failed = [
        f"{result.name} ({_exit_text(result.figures)})"
        for result in measured
        if result.figures is not None and not is_ok(result)
    ]
    if failed:
        shown += f"; did not finish: {', '.join(failed)}"
    return [
        [target.benchmark, target.scale, limit, shown, "PASS" if passed else "FAIL"]
    ]


def _command_rows(results: Sequence[Result]) -> list[list[Any]]:
    commands = dict.fromkeys((result.name, result.command) for result in results)
    return [[name, f"`{command}`"] for name, command in commands]


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = [
        "| " + " | ".join(headers) + " |",
        "| " + " | ".join("---" for _ in headers) + " |",
    ]
    lines.extend("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows)
    return "\n".join(lines)


def describe_machine() -> dict[str, str]:
    """Describe the processor, memory, Python and assist1540 the figures come from."""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _proc_value("/proc/cpuinfo", "model name") or platform.processor(),
        "cores": str(os.cpu_count()),
        "memory": _memory(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "assist1540": metadata.version("assist1540"),
        "commit": _project_commit(),
    }


def _proc_value(path: str, key: str) -> str | None:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for line in lines:
        name, _, value = line.partition(":")
        if name.strip() == key:
            return value.strip()
    return None


def _memory() -> str:
    total = _proc_value("/proc/meminfo", "MemTotal")
    if total is None:
        return "memory unknown"
    kib = int(total.split()[0])
    return f"{kib / 1024 / 1024:.1f} GiB memory"


def _project_commit() -> str:
    """Name the commit of the assist1540 that the commands import.

    PYTHONPATH may point the commands at another copy of the package, such as
    an export of one commit; the report then names that folder instead.
    """
    spec = importlib.util.find_spec("assist1540.cli")
    origin = Path(spec.origin) if spec is not None and spec.origin else None
    if origin is None or PROJECT_ROOT not in origin.parents:
        return f"the package in {origin.parent if origin else 'an unknown folder'}"

    def git(*arguments: str) -> str:
        completed = subprocess.run(
            ["git", *arguments],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        return completed.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown commit"
    changed = git("status", "--porcelain", "--", "src")
    return commit + (" with uncommitted changes in src/" if changed else "")
