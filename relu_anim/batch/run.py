"""A batch from request to summary: no-op fast path, plan, skip unchanged jobs, run the rest,
record them in the manifest, write the gallery, print the summary.

Faults of the output folder while the batch runs (a full disk) fail the scenes they hit, or
are listed as problems under the summary; the batch then ends with ``False`` (exit 1),
never with a traceback.
"""

from __future__ import annotations

from pathlib import Path

from .cache import request_fingerprint
from .choices import QUALITIES
from .manifest import Manifest, ManifestEntry
from .plan import Job, Plan, RenderError, Request, plan_request
from .summary import Outcome, summary_table


def render_request(request: Request, display=None) -> bool:
    """Answer ``request``: True when every scene is rendered or unchanged.

    Raises RenderError (one line for the user) for a bad request, before any work.
    """
    try:
        fingerprint = request_fingerprint(request)
    except OSError as exc:
        raise RenderError(f"cannot read {exc.filename}: {exc.strerror}") from None
    if not request.force and try_noop(Path(request.out), fingerprint):
        return True
    try:
        plan = plan_request(request)
    except (LookupError, ValueError) as exc:  # unknown scene, bad parameter value
        raise RenderError(str(exc)) from None
    if not plan.jobs:
        print("nothing to render: no scenes registered yet")
        return True
    plan.fingerprint = fingerprint
    return run_plan(plan, display)


def try_noop(out: Path, fingerprint: str) -> bool:
    """If this exact request already finished and its outputs are intact, say so and stop."""
    manifest = Manifest.load(out)
    keys = manifest.requests.get(fingerprint)
    if not isinstance(keys, dict) or not all(
        manifest.is_fresh(name, key, out) for name, key in keys.items()
    ):
        return False
    print(summary_table([Outcome(n, "skipped", entry=manifest.entry(n)) for n in keys], out))
    return True


def _expected_frames(entry: ManifestEntry | None, job: Job) -> int | None:
    """Frames of an earlier render with the same params, rescaled to this job's frame rate."""
    if entry is None or entry.params != job.params or not entry.duration:
        return None
    return round(entry.duration * QUALITIES[job.quality].frame_rate)


def run_plan(plan: Plan, display=None) -> bool:
    """Render every job of ``plan`` that is not fresh; False when anything failed."""
    from .executor import ProgressDisplay

    out = plan.out
    manifest = Manifest.load(out)
    todo, outcomes = [], []
    for job in plan.jobs:
        if not plan.force and manifest.is_fresh(job.stem, job.key, out):
            outcomes.append(Outcome(job.stem, "skipped", entry=manifest.entry(job.stem)))
        else:
            job.expected_frames = _expected_frames(manifest.entry(job.stem), job)
            todo.append(job)
    if todo:
        executor = _executor(plan, display or ProgressDisplay())
        outcomes += executor.run(todo, lambda result: _record(manifest, out, result))
    problems = _finish(plan, manifest, ok=not any(o.failed for o in outcomes))
    order = {j.stem: i for i, j in enumerate(plan.jobs)}
    outcomes.sort(key=lambda o: order[o.scene])
    print(summary_table(outcomes, out, problems))
    return not problems and not any(o.failed for o in outcomes)


def _executor(plan: Plan, display):
    """Where the jobs run: worker processes on this machine, or a Dask cluster."""
    if plan.executor == "dask":
        from .dask_executor import DaskExecutor

        return DaskExecutor(plan.out, plan.workers, display, plan.scheduler)
    from .executor import LocalExecutor

    return LocalExecutor(plan.out, plan.workers, display)


def _record(manifest: Manifest, out: Path, result) -> None:
    """Record a rendered job in the manifest, then move its files into place.

    In this order, a manifest that cannot be written leaves the previous outputs as they were.
    """
    manifest.record(result.entry, out)
    result.publish()


def _finish(plan: Plan, manifest: Manifest, ok: bool) -> list[str]:
    """Remember a fully answered request and write the gallery; the faults, one line each."""
    from .gallery import write_gallery

    problems = []
    if ok and plan.fingerprint:
        manifest.remember_request(plan.fingerprint, {j.stem: j.key for j in plan.jobs})
        try:
            manifest.save(plan.out)
        except OSError as exc:
            problems.append(f"manifest.json not updated: {exc}")
    try:
        write_gallery(plan.out, manifest)
    except OSError as exc:
        problems.append(f"index.html not written: {exc}")
    return problems
