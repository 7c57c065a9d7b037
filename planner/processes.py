"""Worker processes for ``planner batch --jobs``: chunks of work → results, in this process or in
a pool whose workers exit with their parent, and SIGTERM handled like Ctrl-C.

Issue 16, item 10: when the batch's main process was killed, its workers planned on for
minutes (about 110 MB each). A worker now asks Linux to kill it when its parent dies
(``prctl(PR_SET_PDEATHSIG)``) and, where that is not available, watches ``getppid()``.
``terminate_as_interrupt`` turns SIGTERM in the main process into ``Terminated`` (a
``KeyboardInterrupt``), so the batch stops the same way as on Ctrl-C: running chunks finish,
``summary.csv`` says which rows are left, and no temporary file stays behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from types import FrameType
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PARENT_POLL_SECONDS = 1.0


class Terminated(KeyboardInterrupt):
    """SIGTERM in the main process: stop as on Ctrl-C (the CLI exits 143, not 130)."""


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM raises ``Terminated`` in the main thread; the old handler comes back after."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; a library caller keeps its own
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Terminated

    old = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _die_with_parent(parent: int) -> None:
    """Pool initializer: the worker ends when ``parent`` does, however the parent ended."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a fork keeps the parent's handler
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    if not _pdeathsig():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(1)


def _pdeathsig() -> bool:
    """Linux only: SIGKILL this process when its parent thread exits; False where unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    """The fallback: once the parent is gone, the worker is re-parented; leave at once."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def run_chunks(
    work: Callable[[list[T]], list[R]], chunks: Sequence[list[T]], jobs: int, done: Callable[[list[R]], None]
) -> None:
    """``done(work(chunk))`` for every chunk: here when ``jobs`` is 1 (or there is one chunk),
    else in up to ``jobs`` worker processes, in the order they finish. ``work`` must be
    picklable (a module-level function or a ``functools.partial`` of one). On an interrupt the
    chunks not started are cancelled and the running ones finish before it propagates."""
    if jobs <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            done(work(chunk))
        return
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(chunks)), initializer=_die_with_parent, initargs=(os.getpid(),)
    ) as pool:
        pending: set[Future[list[R]]] = {pool.submit(work, c) for c in chunks}
        try:
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    done(future.result())
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def chunked(items: Sequence[T], jobs: int) -> list[list[T]]:
    """About sixteen chunks per worker, 10 to 100 items each: enough that the workers finish
    together and a progress bar moves, few enough that sending a chunk costs little next to
    planning it (~1 ms a row)."""
    size = max(10, min(100, -(-len(items) // (jobs * 16))))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def cpu_jobs(jobs: int) -> int:
    """``--jobs 0`` means one worker per available core."""
    if jobs > 0:
        return jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
