"""Time whole processes and read each one's peak memory from the kernel."""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# How much of a failing command's stderr to keep for the report.
_STDERR_TAIL = 600


@dataclass(frozen=True)
class Sample:
    """One run of one or more processes in sequence."""

    seconds: float
    peak_kib: int
    exit_code: int
    timed_out: bool = False
    stderr_tail: str = ""


@dataclass(frozen=True)
class Figures:
    """Median, minimum and maximum over the measured runs of one benchmark."""

    runs: int
    median_seconds: float
    min_seconds: float
    max_seconds: float
    peak_mib: float
    exit_code: int
    timed_out: bool
    stderr_tail: str

    @classmethod
    def of(cls, samples: Sequence[Sample]) -> Figures:
        times = [sample.seconds for sample in samples]
        worst = next((s for s in samples if s.timed_out or s.exit_code), samples[-1])
        return cls(
            runs=len(samples),
            median_seconds=statistics.median(times),
            min_seconds=min(times),
            max_seconds=max(times),
            # The median run's peak would hide a run that spiked, so take the highest.
            peak_mib=max(sample.peak_kib for sample in samples) / 1024,
            exit_code=worst.exit_code,
            timed_out=worst.timed_out,
            stderr_tail=worst.stderr_tail,
        )


def run_process(
    arguments: Sequence[str],
    cwd: Path,
    environment: dict[str, str],
    timeout: float,
    stderr_path: Path,
) -> Sample:
    """Run one process with stdout discarded; measure its wall time and peak RSS.

    `os.wait4` returns the resource usage of that child alone, where
    RUSAGE_CHILDREN would give the highest peak of every child so far. A run
    still going after `timeout` seconds is killed and marked as timed out.
    """
    with stderr_path.open("wb") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(arguments),
            cwd=cwd,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
    # Tell Popen the child is reaped, so that it never waits for it again.
    process.returncode = os.waitstatus_to_exitcode(status)

    timed_out = process.returncode < 0 and seconds >= timeout
    tail = ""
    if process.returncode != 0:
        tail = stderr_path.read_text(encoding="utf-8", errors="replace")[-_STDERR_TAIL:]
    return Sample(seconds, usage.ru_maxrss, process.returncode, timed_out, tail)


def run_sequence(
    commands: Sequence[Sequence[str]],
    cwd: Path,
    environment: dict[str, str],
    timeout: float,
    stderr_path: Path,
) -> Sample:
    """Run processes one after another as one sample: times add, peaks take the max.

    The sequence stops at the first process that fails or times out.
    """
    total = 0.0
    peak = 0
    for arguments in commands:
        remaining = max(timeout - total, 0.001)
        sample = run_process(arguments, cwd, environment, remaining, stderr_path)
        total += sample.seconds
        peak = max(peak, sample.peak_kib)
        if sample.exit_code != 0 or sample.timed_out:
            return Sample(
                total, peak, sample.exit_code, sample.timed_out, sample.stderr_tail
            )
    return Sample(total, peak, 0)
