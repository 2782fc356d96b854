"""Running the planned jobs on a Dask distributed cluster (``--executor dask``).

The unit of work is the local executor's: one ``plan.Job`` rendered by ``worker.worker_main``
in a fresh process with a private work directory. A Dask task only hosts that process on
some machine of the cluster and ships its result back.

- **A fresh process per job, not the Dask worker process itself.** ``render_scene`` restores
  Manim's config (``tempconfig``), yet a reused process would still record in the manifest
  the peak memory of earlier jobs and of the Dask worker (``ru_maxrss`` is per process),
  keep a scene module at the version it first imported on a long-lived cluster while the
  cache key says its source changed, and take the Dask worker down with a scene that crashes
  hard. The child costs what a local job costs (importing Manim). It is started with
  ``subprocess``: Dask workers are daemonic, and ``multiprocessing`` refuses them children.
  So ``dask worker --nthreads N`` renders N jobs at once on that machine, safely.
- **Files come back as bytes** (a few MB a scene): workers need no folder in common with
  this machine. They are written under ``OUT/.work`` and published with ``os.replace`` by
  the same callback as local renders, so the manifest, the cache and skipping behave alike.
- **Failures**: a scene that raises or whose process dies fails that scene only, as locally
  (a deterministic render fails again on retry). A lost Dask worker (its process or machine
  gone) makes the scheduler run the job elsewhere, up to its
  ``distributed.scheduler.allowed-failures`` times, after which the job is reported failed.
  Only a complete result is published: nothing partial reaches ``OUT``.
- **Same code everywhere**: before rendering, a worker compares :func:`code_digest` with
  the client's, so the cache key always describes the code that drew the video.
- **Stopping**: Dask cannot stop a running task, so the task asks whether it was cancelled
  (client gone, Ctrl-C) every second and kills its render.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .executor import ProgressDisplay, longest_first
from .manifest import ManifestEntry
from .plan import Job, RenderError
from .summary import Outcome
from .worker import JobResult, worker_main

EXTRA_HINT = "pip install 'relu-anim[dask]'"
CODE_DIFFERS = (
    "this worker's copy of the scene's sources, relu-anim or Manim differs from the client's"
    " (install the same version on every worker; or they were edited during the batch)"
)
# A LocalCluster's own upkeep, idle, 2 workers: 6.8 CPU s a minute with Dask's defaults, 4.9
# without profiling the task thread (it only waits for the render's process) and with slower
# system and memory monitors (measured on this 2-core machine, load ~6).
QUIET_CLUSTER = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}
CHILD = (
    "import sys; from relu_anim.batch.dask_executor import job_process; job_process(sys.argv[1:])"
)


@dataclass
class Shipped:
    """A job's result on its way back from a worker: plain data and bytes, no paths."""

    stem: str
    entry: ManifestEntry | None  # None when the job failed
    files: dict[str, bytes]  # path relative to OUT -> content
    log: bytes
    error: str | None
    seconds: float


# -- on the worker ---------------------------------------------------------------------------
def code_digest(job: Job) -> str:
    """The job's scene sources by content, and the Manim and relu-anim versions.

    Client and worker must agree, or the manifest would file a video drawn by other code
    under this machine's cache key. Contents, not paths: a worker may install elsewhere.
    """
    import importlib.util

    from .. import __version__
    from .cache import digest, manim_version, source_files, sources_digests

    spec = importlib.util.find_spec(job.module)
    if spec is None or not spec.origin:
        return f"{job.module} not importable"
    contents = sorted(sources_digests(source_files(Path(spec.origin))).values())
    return digest({"sources": contents, "manim": manim_version(), "relu_anim": __version__})


def render_on_worker(job: Job, topic: str, code: str) -> Shipped:
    """The Dask task: render ``job`` in a child process on this worker, return its files.

    ``code`` is the client's :func:`code_digest` of the job. Progress goes to the client as
    events on ``topic`` (``[stem, frames, expected]``).
    """
    from distributed import get_worker

    worker = get_worker()
    started = time.perf_counter()
    if code_digest(job) != code:
        return Shipped(job.stem, None, {}, b"", f"{worker.address}: {CODE_DIFFERS}", 0.0)
    root = job_dir(job.stem)
    try:
        out, log = root / "out", root / "job.log"
        share_caches(out)
        report = lambda n, total: worker.log_event(topic, [job.stem, n, total])  # noqa: E731
        kind, payload = run_child(job, out, root / "work", log, report, cancelled(worker))
        files = {}
        if kind == "done":
            files = {
                final.relative_to(out).as_posix(): s.read_bytes() for s, final in payload.moves
            }
        return Shipped(
            job.stem,
            payload.entry if kind == "done" else None,
            files,
            log.read_bytes() if log.exists() else b"",
            None if kind == "done" else payload,
            time.perf_counter() - started,
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def job_dir(stem: str) -> Path:
    """A new private folder for one job in this machine's temp folder.

    Named after the Dask worker's pid: folders of workers that are gone (lost, killed with
    an interrupted run) are removed first, so they do not pile up on a long-lived cluster.
    """
    base = Path(tempfile.gettempdir()) / "relu-anim-dask"
    base.mkdir(exist_ok=True)
    for old in base.iterdir():
        pid = old.name.split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-{stem}-", dir=base))


def share_caches(out: Path) -> None:
    """Link the job's ``OUT/.cache`` to one folder per machine, as all jobs of an ``OUT``
    share it locally: narration synthesized here is reused by later jobs (its files are
    named by digest and written atomically)."""
    shared = Path(tempfile.gettempdir()) / "relu-anim-dask" / "cache"
    shared.mkdir(parents=True, exist_ok=True)
    out.mkdir()
    (out / ".cache").symlink_to(shared, target_is_directory=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def cancelled(worker) -> Callable[[], bool]:
    """Whether the running task was cancelled (its client gone, Ctrl-C): Dask cannot stop
    a running task, so the task asks, and stops its render itself."""
    from distributed.worker import thread_state

    key = getattr(thread_state, "key", None)

    def check() -> bool:
        task = worker.state.tasks.get(key)  # None: forgotten
        return key is not None and (task is None or task.state == "cancelled")

    return check


def run_child(
    job: Job, out: Path, work: Path, log: Path, report, cancelled=lambda: False
) -> tuple[str, Any]:
    """``worker_main`` for ``job`` in a new Python process: ("done", JobResult) or
    ("failed", cause); ``report(frames, expected)`` on each progress message. The child is
    killed as soon as ``cancelled()`` says so (checked every second)."""
    work.mkdir(parents=True)
    read_fd, write_fd = os.pipe()
    argv = [sys.executable, "-c", CHILD, str(write_fd), str(out), str(work), str(log)]
    child = subprocess.Popen(argv, stdin=subprocess.PIPE, pass_fds=(write_fd,))
    os.close(write_fd)  # the child holds the only writing end: EOF when it exits
    conn = Connection(read_fd, writable=False)
    try:
        child.stdin.write(pickle.dumps(job))
        child.stdin.close()
        while True:
            if not conn.poll(1.0):
                if cancelled():
                    return "failed", "cancelled"
                continue
            try:
                kind, *payload = conn.recv()
            except EOFError:  # exited without a result: a hard crash (os._exit, a signal)
                return "failed", f"worker exited with code {child.wait()}"
            if kind == "progress":
                report(*payload)
            else:
                child.wait()
                return kind, payload[0]
    finally:
        conn.close()
        if child.poll() is None:
            child.kill()
            child.wait()


def job_process(argv: list[str]) -> None:
    """Entry of the child process: the job arrives pickled on stdin (see :data:`CHILD`)."""
    fd, out, work, log = argv
    job = pickle.loads(sys.stdin.buffer.read())
    worker_main(job, out, work, log, Connection(int(fd), readable=False))


# -- on the client ---------------------------------------------------------------------------
def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def require_distributed():
    """The ``distributed`` package, or a RenderError naming the extra to install."""
    try:
        import distributed
    except ImportError as exc:
        raise RenderError(f"--executor dask needs Dask ({exc}); {EXTRA_HINT}") from None
    return distributed


class DaskExecutor:
    """Sends jobs to the scheduler at ``scheduler``, or to a LocalCluster on the loopback
    interface with ``workers`` single-threaded worker processes; same contract as
    ``executor.LocalExecutor``."""

    def __init__(self, out: Path, workers: int, display: ProgressDisplay, scheduler=None):
        self.distributed = require_distributed()
        self.out, self.workers, self.display = Path(out), workers, display
        self.scheduler = scheduler
        self.work_root = self.out / ".work"
        self.topic = f"relu-anim-progress-{uuid.uuid4().hex}"
        self.latest: dict[str, tuple] = {}  # stem -> (frames, expected), from the event thread
        self.lock = threading.Lock()
        self.outcomes: list[Outcome] = []

    def run(self, jobs: list[Job], on_rendered: Callable[[JobResult], None]) -> list[Outcome]:
        """Render ``jobs`` on the cluster; ``on_rendered(result)`` records and publishes each
        success (an OSError from it fails that scene). Returns one Outcome per job."""
        jobs = longest_first(jobs)
        client, cluster = self._connect()  # before anything changes: a RenderError is clean
        shutil.rmtree(self.work_root, ignore_errors=True)  # leftovers of an interrupted run
        previous_term = signal.signal(signal.SIGTERM, _interrupt)  # `kill` cleans up like Ctrl-C
        try:
            client.subscribe_topic(self.topic, self._on_progress)
            futures = {self._submit(client, job, len(jobs) - i): job for i, job in enumerate(jobs)}
            self.display.start()
            self._collect(futures, on_rendered)
        finally:
            signal.signal(signal.SIGTERM, previous_term)
            self.display.stop()
            client.close()
            if cluster is not None:
                cluster.close()
            shutil.rmtree(self.work_root, ignore_errors=True)
        return self.outcomes

    def _submit(self, client, job: Job, priority: int):
        """One job as a task; a higher ``priority`` starts first (longest first, as locally)."""
        code = code_digest(job)
        return client.submit(
            render_on_worker, job, self.topic, code, pure=False, retries=1, priority=priority
        )

    def _connect(self):
        """(client, cluster or None); an unreachable scheduler is a RenderError."""
        distributed = self.distributed
        if self.scheduler:
            try:
                return distributed.Client(self.scheduler), None  # distributed.comm.timeouts
            except (OSError, ValueError) as exc:
                raise RenderError(
                    f"cannot reach the Dask scheduler {self.scheduler}: {exc}"
                ) from None
        import logging

        import dask

        # The scheduler runs in this process: its INFO lines would bury the progress.
        logging.getLogger("distributed").setLevel(logging.ERROR)
        with dask.config.set(QUIET_CLUSTER):
            cluster = distributed.LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",  # its HTTP routes start anyway: loopback
                silence_logs=logging.ERROR,
            )
        return distributed.Client(cluster), cluster

    def _on_progress(self, event) -> None:
        """Runs on the client's event thread: keep the latest count, the loop shows it."""
        stem, frames, expected = event[1]
        with self.lock:
            self.latest[stem] = (frames, expected)

    def _collect(self, futures: dict, on_rendered) -> None:
        pending = set(futures)
        while pending:
            try:
                done, pending = self.distributed.wait(
                    pending, timeout=0.5, return_when="FIRST_COMPLETED"
                )
            except TimeoutError:
                done = set()
            with self.lock:
                latest, self.latest = self.latest, {}
            for stem, (frames, expected) in latest.items():
                self.display.update(stem, frames, expected)
            for future in done:
                self._finish(futures.pop(future), future, on_rendered)
                future.release()  # the worker holds the shipped files until then

    def _finish(self, job: Job, future, on_rendered) -> None:
        try:
            shipped = future.result()
        except Exception as exc:  # noqa: BLE001 - lost workers, or the task's own error
            self._lost(job, exc)
            return
        try:
            self._write_log(job, shipped.log)
            if shipped.error is not None:
                self._done(job, shipped.seconds, "failed", error=shipped.error)
                return
            on_rendered(self._stage(shipped))
        except OSError as exc:
            error = f"rendered, but could not be saved: {exc}"
            self._done(job, shipped.seconds, "failed", error=error)
            return
        self._done(job, shipped.seconds, "rendered", entry=shipped.entry)

    def _lost(self, job: Job, exc: Exception) -> None:
        """The task brought no result: every worker running it died, or it raised twice."""
        if isinstance(exc, self.distributed.KilledWorker):
            error = "every Dask worker that ran it was lost (KilledWorker)"
        else:
            error = f"{type(exc).__name__}: {exc}"
        with contextlib.suppress(OSError):
            self._write_log(job, f"{error}\n{exc}\n".encode())
        self._done(job, 0.0, "failed", error=error)

    def _write_log(self, job: Job, log: bytes) -> None:
        path = self.out / "logs" / f"{job.stem}.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(log)

    def _stage(self, shipped: Shipped) -> JobResult:
        """Write the shipped files under ``OUT/.work``: a JobResult ready to publish."""
        staging = self.work_root / f"{shipped.stem}-{uuid.uuid4().hex[:8]}"
        staging.mkdir(parents=True)
        moves = []
        for rel, data in shipped.files.items():
            final = self.out / rel
            if not final.resolve().is_relative_to(self.out.resolve()):
                raise OSError(f"a worker sent a file outside the output folder: {rel}")
            staged = staging / rel
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_bytes(data)
            moves.append((staged, final))
        return JobResult(shipped.entry, moves)

    def _done(self, job: Job, seconds: float, status: str, entry=None, error=None) -> None:
        outcome = Outcome(job.stem, status, seconds, entry, error)
        self.outcomes.append(outcome)
        self.display.finish(outcome)
