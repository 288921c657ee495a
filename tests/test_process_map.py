"""Mapping in forked workers gives the serial map's results and exceptions."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable

import pytest

from assist1540.process_map import map_items

PARALLEL = sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1
needs_workers = pytest.mark.skipif(
    not PARALLEL, reason="workers are forked only on Linux with 2 or more processors"
)


def _square(number: int) -> int:
    return number * number


@pytest.mark.parametrize("count", [2, 3, 7, 1000])
def test_results_in_item_order(count: int) -> None:
    items = list(range(count))

    assert map_items(_square, items, min_items=2) == [n * n for n in items]


def test_short_list_mapped_serially() -> None:
    parent = os.getpid()

    pids = map_items(lambda _: os.getpid(), list(range(10)), min_items=11)

    assert set(pids) == {parent}


def test_running_thread_keeps_map_serial() -> None:
    parent = os.getpid()
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        pids = map_items(lambda _: os.getpid(), list(range(100)), min_items=2)
    finally:
        release.set()
        waiting.join()

    assert set(pids) == {parent}


def test_empty_list() -> None:
    assert map_items(_square, [], min_items=0) == []


@needs_workers
def test_workers_share_the_items() -> None:
    parent = os.getpid()

    pids = map_items(lambda _: os.getpid(), list(range(100)), min_items=2)

    assert pids[0] == parent
    assert len(set(pids)) > 1
    assert pids == sorted(pids, key=lambda pid: pid != parent)


def _fails_at(bad: int) -> Callable[[int], int]:
    def function(number: int) -> int:
        if number == bad:
            raise ValueError(f"item {number} is bad")
        return number

    return function


@pytest.mark.parametrize("bad", [3, 97], ids=["caller-share", "worker-share"])
def test_exception_raised_as_in_serial_map(bad: int) -> None:
    with pytest.raises(ValueError, match=f"item {bad} is bad"):
        map_items(_fails_at(bad), list(range(100)), min_items=2)


def test_crashed_worker_share_mapped_again() -> None:
    parent = os.getpid()

    def crash_in_worker(number: int) -> int:
        if os.getpid() != parent:
            os._exit(3)
        return number + 1

    assert map_items(crash_in_worker, list(range(100)), min_items=2) == list(
        range(1, 101)
    )


def test_unpicklable_results_mapped_again() -> None:
    results = map_items(lambda number: lambda: number, list(range(50)), min_items=2)

    assert [result() for result in results] == list(range(50))


def test_worker_output_not_repeated(capfd: pytest.CaptureFixture[str]) -> None:
    print("pending line", end="")

    map_items(_square, list(range(100)), min_items=2)
    print()

    assert capfd.readouterr().out == "pending line\n"
