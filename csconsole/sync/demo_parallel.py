"""Rows for a large demo built by worker processes while the caller inserts them.

Generating and folding the demo costs more than inserting it, so slices
(``sources.demo.slice_jobs``) go to a small process pool that returns ready rows;
the process holding the store only runs ``executemany``. Results come back in
slice order and only a few slices run ahead of the writer, so memory stays flat.
The rows are the same as those built in one process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from csconsole.sources.demo import SliceJob, run_slice
from csconsole.sync.demo_writer import BatchRows, RowContext, batch_rows

_log = logging.getLogger(__name__)


def default_workers() -> int:
    """Up to two workers: the writer needs a core of its own too."""
    return min(2, os.cpu_count() or 1)


def slice_rows(job: SliceJob, context: RowContext) -> list[BatchRows]:
    """One slice's rows (runs in a worker process)."""
    return [batch_rows(batch, context) for batch in run_slice(job)]


def demo_rows(
    jobs: list[SliceJob], context: RowContext, *, workers: int | None = None
) -> Iterator[BatchRows]:
    """Every batch's rows in key order; in this process when there is one slice."""
    count = default_workers() if workers is None else workers
    done = 0
    if count > 0 and len(jobs) > 1:
        try:
            for rows in _in_workers(jobs, context, count):
                yield from rows
                done += 1
        except BrokenProcessPool:
            # Workers cannot start when the main program cannot be re-imported (a script
            # fed on stdin, say); the remaining slices are built here instead.
            _log.warning("demo worker processes failed; building the rest in this process")
    for job in jobs[done:]:
        for batch in run_slice(job):
            yield batch_rows(batch, context)


def _in_workers(jobs: list[SliceJob], context: RowContext, count: int) -> Iterator[list[BatchRows]]:
    # spawn: workers start clean, with no inherited SQLite handle or thread.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=count, mp_context=spawn) as pool:
        queued = iter(jobs)
        pending: deque[Future[list[BatchRows]]] = deque()
        for job in queued:
            pending.append(pool.submit(slice_rows, job, context))
            if len(pending) > count:
                break
        while pending:
            rows = pending.popleft().result()
            following = next(queued, None)
            if following is not None:
                pending.append(pool.submit(slice_rows, following, context))
            yield rows
