"""Worker processes for a batch: results in input order, a worker that dies costs only its own task,
and no worker outlives the run.

A worker is killed by the kernel when it runs out of memory, or dies of a bug in a native library; the
pool is then broken and every task in flight fails with it.  :func:`in_order` starts a new pool, runs
the task that was awaited alone in a pool of its own (so the culprit is known), hands a task that kills
its worker twice to ``lost`` (which turns it into that task's error), and goes on with the others.
Each worker caps its own address space (``worker_memory_mb``), so a runaway computation is a
``MemoryError`` in that worker, not a machine in swap, and asks the kernel to kill it when the process
that started it dies (SIGKILL included), so a killed run leaves no orphans holding its caller's pipe.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterator

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _start_worker(memory_mb: int | None, parent: int) -> None:
    """In each worker: die with the parent, take no Ctrl-C of the terminal's, cap memory."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent's handlers stop the pool
        pass
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides what an interrupt stops
    if memory_mb:
        try:
            import resource

            limit = int(memory_mb) << 20
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard == resource.RLIM_INFINITY or hard > limit:
                resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        except (ImportError, ValueError, OSError):
            pass


def _pool(jobs: int, memory_mb: int | None) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker,
                               initargs=(memory_mb, os.getpid()))


def stop(pool: ProcessPoolExecutor) -> None:
    """End a pool now: pending tasks cancelled, running workers killed (an interrupted run must not
    wait for them)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public way to reach them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        try:
            process.kill()
        except (OSError, AttributeError):
            pass
    for process in processes:
        try:
            process.join(5)
        except (OSError, AssertionError):
            pass


def in_order(tasks: list, work: Callable, jobs: int, lost: Callable | None = None,
             memory_mb: int | None = None) -> Iterator:
    """``work(*task)`` for every task, yielded in task order; in ``jobs`` worker processes when > 1.

    A task that is None is passed through (a project restored from the manifest).  Each task is dropped
    from ``tasks`` once it is handed out, so a batch of thousands does not keep what it has done.  A
    task whose worker dies, twice, gives ``lost(*task)`` (or raises, without ``lost``)."""
    pending = sum(1 for t in tasks if t is not None)
    if jobs <= 1 or pending <= 1:
        for n, task in enumerate(tasks):
            tasks[n] = None
            yield None if task is None else work(*task)
        return
    jobs = min(jobs, pending)
    ahead = 4 * jobs  # tasks submitted beyond the one awaited: workers stay busy, results do not pile up
    pool = _pool(jobs, memory_mb)
    inflight: dict[int, tuple] = {}  # n -> (future, task): kept until its result is in, to redo it
    submitted = 0
    try:
        for n in range(len(tasks)):
            while submitted < len(tasks) and submitted <= n + ahead:
                if tasks[submitted] is not None:
                    inflight[submitted] = (pool.submit(work, *tasks[submitted]), tasks[submitted])
                    tasks[submitted] = None
                submitted += 1
            if n not in inflight:
                yield None
                continue
            future, task = inflight.pop(n)
            try:
                result = future.result()
            except BrokenProcessPool:
                stop(pool)
                log.warning("a worker process died; task %d is redone alone", n)
                result = _alone(task, work, lost, memory_mb)
                pool = _pool(jobs, memory_mb)
                inflight = {k: (pool.submit(work, *t), t) for k, (_, t) in sorted(inflight.items())}
            yield result
    except BaseException:  # an interrupt, an error, or the caller stopped early: no worker is left
        stop(pool)
        raise
    pool.shutdown(wait=True)


def _alone(task: tuple, work: Callable, lost: Callable | None, memory_mb: int | None):
    """A task in a pool of its own: its result, or ``lost(*task)`` when it kills that worker too."""
    pool = _pool(1, memory_mb)
    try:
        return pool.submit(work, *task).result()
    except BrokenProcessPool:
        if lost is None:
            raise
        return lost(*task)
    finally:
        stop(pool)
