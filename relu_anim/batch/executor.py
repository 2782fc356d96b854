"""Running jobs in local worker processes: at most N at once, signals, live progress.

Guarantees: one spawned process per job (Manim's config is process-global); Ctrl-C and
SIGTERM stop every worker and remove ``OUT/.work``; a worker whose batch process dies
(even by SIGKILL) exits (``worker.exit_with_parent``); a failing scene, even one whose
process dies hard (``os._exit``, a segfault), is reported as failed for that scene only,
and the other jobs go on.

Why not ``concurrent.futures.ProcessPoolExecutor`` (spawn context,
``max_tasks_per_child=1``)? It keeps the first three guarantees, but not the last: when one
worker process dies hard, the pool marks itself broken, terminates the other workers and
fails every running and pending future with the same ``BrokenProcessPool``, without saying
which job crashed (checked on Python 3.11: one ``os._exit`` among four tasks failed all
four). So this module starts one ``multiprocessing`` process per job itself, with its own
pipe for progress and the result; a pipe that ends without a result is a crashed worker.
"""

from __future__ import annotations

import multiprocessing as mp
import shutil
import signal
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from .plan import Job
from .summary import Outcome
from .worker import JobResult, worker_main


class ProgressDisplay:
    """Live bars (``rich.progress``) on a terminal; one plain line per finished job otherwise.

    Everything goes to stderr, so stdout carries the summary alone.
    """

    def __init__(self, live: bool | None = None):
        from rich.console import Console

        self.console = Console(stderr=True)
        self.live = self.console.is_terminal if live is None else live
        self.tasks: dict[str, Any] = {}
        self.progress = None

    def start(self) -> None:
        if not self.live:
            return
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[frames]}"),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.progress.start()

    def update(self, scene: str, done: int, total: int | None) -> None:
        if self.progress is None:
            return
        frames = f"{done}/{total} frames" if total else f"{done} frames"
        if scene not in self.tasks:
            self.tasks[scene] = self.progress.add_task(scene, total=total, frames=frames)
        self.progress.update(self.tasks[scene], completed=done, total=total, frames=frames)

    def finish(self, outcome: Outcome) -> None:
        task = self.tasks.pop(outcome.scene, None)
        if self.progress is not None and task is not None:
            self.progress.remove_task(task)
        if not self.live:
            cause = f": {outcome.error}" if outcome.error else ""
            print(
                f"{outcome.scene} {outcome.status} in {outcome.seconds:.1f} s{cause}",
                file=sys.stderr,
                flush=True,
            )

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


@dataclass
class _Running:
    job: Job
    process: Any  # multiprocessing.Process
    conn: Any  # the reading end of the worker's pipe
    work: Path
    started: float


def longest_first(jobs: list[Job]) -> list[Job]:
    """Jobs by expected frames, most first (unknown last, in plan order).

    With N workers the batch ends when its last job does: starting the long ones first
    keeps every worker busy to the end instead of one rendering a long scene alone.
    """
    return sorted(jobs, key=lambda job: -(job.expected_frames or 0))


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


class LocalExecutor:
    """Runs jobs in spawned processes on this machine, ``workers`` at a time.

    Each worker has its own pipe (nothing shared, so a worker that dies mid-message cannot
    block the others); the pipe reaching end-of-file means the worker is gone.
    """

    def __init__(self, out: Path, workers: int, display: ProgressDisplay):
        self.out, self.workers, self.display = Path(out), workers, display
        self.work_root = self.out / ".work"
        self.ctx = mp.get_context("spawn")
        self.running: dict[Any, _Running] = {}  # by pipe
        self.outcomes: list[Outcome] = []

    def run(self, jobs: list[Job], on_rendered: Callable[[JobResult], None]) -> list[Outcome]:
        """Render ``jobs``; ``on_rendered(result)`` records and publishes each success (an
        OSError from it fails that scene with the cause). Returns one Outcome per job."""
        shutil.rmtree(self.work_root, ignore_errors=True)  # leftovers of an interrupted run
        previous_term = signal.signal(signal.SIGTERM, _interrupt)  # `kill` cleans up like Ctrl-C
        pending = longest_first(jobs)
        self.display.start()
        try:
            while pending or self.running:
                while pending and len(self.running) < self.workers:
                    self._start(pending.pop(0))
                for conn in wait(list(self.running), timeout=1.0) if self.running else ():
                    self._receive(self.running[conn], on_rendered)
        except BaseException:
            self._stop_all()
            raise
        finally:
            signal.signal(signal.SIGTERM, previous_term)
            self.display.stop()
            shutil.rmtree(self.work_root, ignore_errors=True)
        return self.outcomes

    def _start(self, job: Job) -> None:

        work = self.work_root / f"{job.stem}-{uuid.uuid4().hex[:8]}"
        log_path = self.out / "logs" / f"{job.stem}.log"
        started = time.perf_counter()
        try:
            work.mkdir(parents=True)
            log_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # e.g. no space left for a directory
            self._done(_Running(job, None, None, work, started), "failed", error=str(exc))
            return
        reader, writer = self.ctx.Pipe(duplex=False)
        process = self.ctx.Process(
            target=worker_main,
            args=(job, str(self.out), str(work), str(log_path), writer),
            name=f"relu-anim:{job.stem}",
        )
        process.start()
        writer.close()  # the worker holds the only writing end: EOF when it exits
        self.running[reader] = _Running(job, process, reader, work, started)
        self.display.update(job.stem, 0, job.expected_frames)

    def _receive(self, run: _Running, on_rendered) -> None:
        """Handle one message of ``run``'s worker, or its end."""
        try:
            kind, *payload = run.conn.recv()
        except (EOFError, OSError):  # exited without a result: a hard crash (os._exit, signal)
            run.process.join()
            error = f"worker exited with code {run.process.exitcode}"
            self._done(run, "failed", error=error)
            return
        if kind == "progress":
            self.display.update(run.job.stem, *payload)
            return
        run.process.join()
        if kind == "failed":
            self._done(run, "failed", error=payload[0])
            return
        result = payload[0]
        try:
            on_rendered(result)
        except OSError as exc:
            self._done(run, "failed", error=f"rendered, but could not be saved: {exc}")
            return
        self._done(run, "rendered", entry=result.entry)

    def _done(self, run: _Running, status: str, entry=None, error: str | None = None) -> None:
        if run.conn is not None:
            self.running.pop(run.conn, None)
            run.conn.close()
        shutil.rmtree(run.work, ignore_errors=True)
        outcome = Outcome(run.job.stem, status, time.perf_counter() - run.started, entry, error)
        self.outcomes.append(outcome)
        self.display.finish(outcome)

    def _stop_all(self) -> None:
        """Terminate every running worker (kill those that do not stop within 5 s)."""
        for run in self.running.values():
            run.process.terminate()
        for run in self.running.values():
            run.process.join(5)
            if run.process.is_alive():
                run.process.kill()
                run.process.join()
            shutil.rmtree(run.work, ignore_errors=True)
        self.running.clear()
