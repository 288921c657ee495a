"""Map a function over many items with forked worker processes on Linux.

The calling process maps the first share of the items itself while each forked
worker maps one of the other shares and sends its results back, pickled, through
a pipe. Results come back in the order of the items. A worker may fail in any
way: it cannot be forked, raises, crashes or returns results that cannot be
pickled. That costs only time, because the caller then maps the share itself,
so exceptions and results are those of a plain serial map. Other platforms, a
single processor, a process with other threads running and short lists take
the serial map.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")

# Below this many items a serial map is used. Pickling and unpickling a
# worker's results took about a third as long as loading them, at 100 times the
# bundled data, so small maps gain little. On a busy 2-core machine, the 750
# files of the 10x benchmark repository loaded no faster with a worker. The
# limit is an estimate of where the gain starts.
MIN_PARALLEL_ITEMS = 1000
# How much more the calling process maps than each worker (an estimate). A
# worker also pickles its results, which took about a fifth as long as loading
# them, and the caller unpickles them once its own share is done.
CALLER_WEIGHT = 1.15


def map_items(
    function: Callable[[ItemT], ResultT],
    items: Sequence[ItemT],
    min_items: int = MIN_PARALLEL_ITEMS,
) -> list[ResultT]:
    """Return `[function(item) for item in items]`, in worker processes if it pays.

    `function` must not depend on state that it changes, because each worker
    changes only its own copy of the process.
    """
    workers = _worker_count(len(items), min_items)
    if workers == 0:
        return [function(item) for item in items]

    shares = _shares(len(items), workers + 1)
    children = [_start(function, items[start:end]) for start, end in shares[1:]]
    results: list[ResultT] = []
    try:
        start, end = shares[0]
        results.extend(function(item) for item in items[start:end])
        for child, (start, end) in zip(children, shares[1:], strict=True):
            share: list[ResultT] | None = None
            if child is not None:
                share = _collect(child)
            if share is None or len(share) != end - start:
                share = [function(item) for item in items[start:end]]
            results.extend(share)
    except BaseException:
        for child in children:
            if child is not None:
                _stop(child)
        raise
    return results


def _worker_count(item_count: int, min_items: int) -> int:
    # Forking while other threads run could copy a lock that one of them holds.
    if sys.platform != "linux" or threading.active_count() > 1:
        return 0
    if item_count < max(min_items, 2):
        return 0
    try:
        processors = len(os.sched_getaffinity(0))
    except OSError:
        return 0
    return min(processors, item_count) - 1


def _shares(item_count: int, share_count: int) -> list[tuple[int, int]]:
    """Split `range(item_count)` into runs, the first CALLER_WEIGHT times longer."""
    total = CALLER_WEIGHT + share_count - 1
    bounds = [0] + [
        round(item_count * (CALLER_WEIGHT + index) / total)
        for index in range(share_count)
    ]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


class _Child:
    """A forked worker: its process id and the read end of its pipe."""

    def __init__(self, pid: int, read_fd: int) -> None:
        self.pid = pid
        self.read_fd: int | None = read_fd
        self.status: int | None = None


def _start(
    function: Callable[[ItemT], ResultT], share: Sequence[ItemT]
) -> _Child | None:
    """Fork a worker for the share, or return None when that fails."""
    try:
        read_fd, write_fd = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        return None
    if pid == 0:  # pragma: no cover - runs in the child, which never returns
        os.close(read_fd)
        _run_child(function, share, write_fd)
    os.close(write_fd)
    return _Child(pid, read_fd)


def _run_child(
    function: Callable[[ItemT], ResultT], share: Sequence[ItemT], write_fd: int
) -> None:  # pragma: no cover - runs in the child
    """Map the share, write the pickled results and exit without cleanup.

    os._exit skips atexit handlers and the flushing of buffers copied from the
    parent, which would otherwise print the parent's pending output twice.
    """
    status = 1
    try:
        data = pickle.dumps(
            [function(item) for item in share], protocol=pickle.HIGHEST_PROTOCOL
        )
        with os.fdopen(write_fd, "wb") as stream:
            stream.write(data)
        status = 0
    except BaseException:  # noqa: BLE001 - the parent maps the share again
        status = 1
    finally:
        os._exit(status)


def _collect(child: _Child) -> list[ResultT] | None:
    """Read a worker's results, or None when it failed."""
    assert child.read_fd is not None
    with os.fdopen(child.read_fd, "rb") as stream:
        child.read_fd = None
        data = stream.read()
    _reap(child)
    if child.status != 0:
        return None
    try:
        results = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a broken result is mapped again
        return None
    return results if isinstance(results, list) else None


def _stop(child: _Child) -> None:
    """End a worker whose results are no longer wanted."""
    if child.status is None:
        os.kill(child.pid, signal.SIGKILL)
    _reap(child)


def _reap(child: _Child) -> None:
    """Close the pipe and wait for the worker, once."""
    if child.read_fd is not None:
        os.close(child.read_fd)
        child.read_fd = None
    if child.status is None:
        _, wait_status = os.waitpid(child.pid, 0)
        child.status = os.waitstatus_to_exitcode(wait_status)
