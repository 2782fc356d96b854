"""Batch rendering: plan jobs, skip unchanged ones, run the rest in worker processes.

Each job runs in its own spawned process (Manim's ``config`` is process-global) with a
private media directory under ``OUT/.work/``, so no two workers share partial movie files
or LaTeX/text caches. Finished files are moved into ``OUT/<quality>/`` with ``os.replace``:
a file there is always either the previous complete version or the new complete one.
This module is the only place that touches Manim's config.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import queue
import shutil
import signal
import sys
import time
import tomllib
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .jobs import PACKAGE_ROOT, cache_key, source_files
from .manifest import Manifest, file_sha256
from .params import ParamError, build_params, param_fields, params_to_dict

QUALITY_SETTINGS = {
    "low": {"pixel_width": 854, "pixel_height": 480, "frame_rate": 15},
    "medium": {"pixel_width": 1280, "pixel_height": 720, "frame_rate": 30},
    "high": {"pixel_width": 1920, "pixel_height": 1080, "frame_rate": 60},
    "4k": {"pixel_width": 3840, "pixel_height": 2160, "frame_rate": 60},
}
FORMATS = ("mp4", "webm", "gif")
THEMES = ("dark", "light")
CONFIG_KEYS = {"quality", "format", "theme", "jobs", "scenes"}


class RenderError(ValueError):
    """A bad render request (unknown scene, parameter, config file...)."""


@dataclass
class Job:
    scene: str
    module: str  # importable module of the scene class
    source: Path  # the scene's file
    params: dict[str, Any]
    quality: str
    fmt: str
    theme: str
    key: str = ""
    # Frames expected, from an earlier render with the same parameters (the timeline does not
    # depend on quality, format or theme); None shows progress without a total.
    expected_frames: int | None = None

    @property
    def stem(self) -> str:
        return self.scene


@dataclass
class Plan:
    out: Path
    jobs: list[Job]
    workers: int
    force: bool = False
    quiet: bool = field(default_factory=lambda: not sys.stdout.isatty())
    fingerprint: str | None = None  # of the request, for the no-import fast path


# -- the no-op fast path ----------------------------------------------------------------------
def request_fingerprint(*, scenes, all_scenes, quality, fmt, sets, config_file, theme) -> str:
    """Hash of a render request and of every source it could depend on.

    Equal fingerprints mean equal plans, so a repeat of a finished request can be answered
    from the manifest without importing Manim or any scene (importing Manim alone takes
    about a second).
    """
    import importlib.util

    import scenes as scene_package

    files = [
        p for root in (PACKAGE_ROOT, *map(Path, scene_package.__path__)) for p in root.rglob("*.py")
    ]
    for name in filter(None, os.environ.get("RELU_ANIM_EXTRA_SCENES", "").split(",")):
        spec = importlib.util.find_spec(name.strip())
        if spec is not None and spec.origin:
            files.append(Path(spec.origin))
    digests = {str(p): file_sha256(p) for p in sorted(files)}
    config_text = Path(config_file).read_bytes().hex() if config_file else None
    payload = {
        "scenes": list(scenes),
        "all": bool(all_scenes),
        "quality": quality,
        "format": fmt,
        "sets": list(sets),
        "config": config_text,
        "theme": theme,
        "extra": os.environ.get("RELU_ANIM_EXTRA_SCENES", ""),
        "sources": digests,
        "manim": _manim_version(),
        "version": __version__,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def try_noop(out: Path, fingerprint: str) -> bool:
    """If this exact request already finished and its outputs are intact, say so and stop."""
    from .progress import summary_table

    manifest = Manifest.load(out)
    keys = manifest.requests.get(fingerprint)
    if not isinstance(keys, dict) or not all(
        manifest.is_fresh(name, key, out) for name, key in keys.items()
    ):
        return False
    outcomes = [Outcome(n, "skipped", entry=manifest.entry(n)) for n in keys]
    print(summary_table(outcomes, out))
    return True


# -- planning ------------------------------------------------------------------------------
def _load_config(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RenderError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RenderError(f"cannot read config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RenderError(f"config file {path} is not valid TOML: {exc}") from None
    unknown = set(data) - CONFIG_KEYS - {"scene"}
    if unknown:
        raise RenderError(
            f"unknown key(s) in {path}: {', '.join(sorted(unknown))}; "
            f"valid: {', '.join(sorted(CONFIG_KEYS | {'scene'}))}"
        )
    if "scene" in data and not isinstance(data["scene"], dict):
        raise RenderError(f"{path}: [scene.NAME] tables hold per-scene parameters")
    return data


def _choice(name: str, value: Any, choices) -> str:
    if value not in choices:
        raise RenderError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _parse_sets(sets, selected: list[str], registry: dict[str, type]) -> dict[str, dict[str, str]]:
    """``[SCENE.]KEY=VALUE`` -> {scene: {key: value}}; a bare KEY goes to every scene having it."""
    out: dict[str, dict[str, str]] = {}
    for item in sets:
        if "=" not in item:
            raise RenderError(f"--set expects [SCENE.]KEY=VALUE, got {item!r}")
        lhs, value = item.split("=", 1)
        scene, _, key = lhs.rpartition(".")
        key = key.strip()
        if scene:
            if scene not in registry:
                from .registry import get_scene

                get_scene(scene)  # raises with a did-you-mean
            if scene not in selected:
                raise RenderError(f"--set {item!r}: {scene} is not among the scenes to render")
            targets = [scene]
        else:
            targets = [s for s in selected if key in param_fields(registry[s].Params)]
            if not targets:
                valid = sorted({k for s in selected for k in param_fields(registry[s].Params)})
                raise RenderError(
                    f"no selected scene has a parameter {key!r}; valid: {', '.join(valid) or 'none'}"
                )
        for t in targets:
            out.setdefault(t, {})[key] = value
    return out


def plan_from_cli(
    *,
    scenes=(),
    all_scenes=False,
    quality=None,
    jobs=None,
    out=Path("renders"),
    fmt=None,
    sets=(),
    config_file=None,
    theme=None,
    force=False,
) -> Plan:
    """Validate everything (names, parameters, config) before any worker starts."""
    from .registry import discover, get_scene

    cfg = _load_config(config_file)
    registry = discover()
    if all_scenes:
        names = list(registry)
    elif scenes:
        names = list(dict.fromkeys(scenes))
    elif "scenes" in cfg:
        if not isinstance(cfg["scenes"], list) or not all(
            isinstance(n, str) for n in cfg["scenes"]
        ):
            raise RenderError(f"{config_file}: scenes must be a list of scene names")
        names = list(dict.fromkeys(cfg["scenes"]))
    elif registry:
        raise RenderError("name the scenes to render, or use --all (see: relu-anim list)")
    else:
        names = []
    for name in names:
        get_scene(name)
    quality = _choice("quality", quality or cfg.get("quality", "low"), tuple(QUALITY_SETTINGS))
    fmt = _choice("format", fmt or cfg.get("format", "mp4"), FORMATS)
    theme = _choice("theme", theme or cfg.get("theme", "dark"), THEMES)
    workers = jobs or cfg.get("jobs") or os.cpu_count() or 1
    if not isinstance(workers, int) or workers < 1:
        raise RenderError(f"jobs must be a positive integer, got {workers!r}")

    overrides: dict[str, dict[str, Any]] = {}
    for scene, table in (cfg.get("scene") or {}).items():
        if scene not in registry:
            get_scene(scene)
        if not isinstance(table, dict):
            raise RenderError(f"[scene.{scene}] must be a table of parameters")
        overrides[scene] = dict(table)
    for scene, table in _parse_sets(sets, names, registry).items():
        overrides.setdefault(scene, {}).update(table)

    planned = []
    for name in names:
        cls = registry[name]
        try:
            params = build_params(cls.Params, overrides.get(name), scene=name)
        except ParamError as exc:
            raise RenderError(str(exc)) from None
        source = Path(sys.modules[cls.__module__].__file__)
        job = Job(name, cls.__module__, source, params_to_dict(params), quality, fmt, theme)
        job.key = cache_key(job, source_files(source), __version__)
        planned.append(job)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise RenderError(f"--out {out} exists and is not a directory")
    return Plan(out=out, jobs=planned, workers=min(workers, max(len(planned), 1)), force=force)


# -- one job, inside its worker process ------------------------------------------------------
def _frame_counter(scene, report) -> None:
    """Wrap the renderer's add_frame so the parent can show frames done."""
    renderer = scene.renderer
    original = renderer.add_frame
    state = {"frames": 0, "last": 0.0}

    def add_frame(frame, num_frames: int = 1):
        original(frame, num_frames)
        if not renderer.skip_animations:
            state["frames"] += num_frames
            now = time.monotonic()
            if now - state["last"] > 0.25:
                state["last"] = now
                report(state["frames"])

    renderer.add_frame = add_frame


def render_job(job: Job, out: Path, work: Path, progress) -> dict[str, Any]:
    """Render one scene into ``work`` and move its outputs into ``out/<quality>/``."""
    import importlib

    from manim import config, tempconfig

    from .theme import use_theme

    use_theme(job.theme)
    cls = getattr(importlib.import_module(job.module), job.scene)
    params = build_params(cls.Params, job.params, scene=job.scene)
    q = QUALITY_SETTINGS[job.quality]
    total = job.expected_frames
    progress(job.scene, 0, total)
    settings = {
        **q,
        "media_dir": str(work / "media"),
        "format": job.fmt,
        "output_file": job.stem,
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
    }
    settings = {k: v for k, v in settings.items() if k in config}
    started = time.perf_counter()
    with tempconfig(settings):
        scene = cls(params)
        _frame_counter(scene, lambda n: progress(job.scene, n, total))
        scene.render()
        plan = scene.renderer.file_writer.output_plan
        video = Path(plan.primary_artifact)
        srt = Path(plan.subcaption_file) if plan.subcaption_file else None
        last_frame = scene.renderer.get_frame()
    seconds = time.perf_counter() - started

    from PIL import Image

    poster = work / f"{job.stem}.png"
    Image.fromarray(last_frame).convert("RGB").save(poster)
    dest = out / job.quality
    dest.mkdir(parents=True, exist_ok=True)
    final_video = dest / f"{job.stem}.{job.fmt}"
    staged = [(video, final_video), (poster, dest / f"{job.stem}.png")]
    if srt is not None and srt.exists():
        staged.append((srt, dest / f"{job.stem}.srt"))
    from .media import probe_video

    info = probe_video(video)
    sha = file_sha256(video)
    size = video.stat().st_size
    for src, dst in staged:  # same filesystem: each replace is atomic
        os.replace(src, dst)
    rel = lambda p: p.relative_to(out).as_posix()  # noqa: E731
    return {
        "scene": job.scene,
        "title": cls.title,
        "summary": cls.summary,
        "order": cls.order,
        "params": job.params,
        "quality": job.quality,
        "format": job.fmt,
        "theme": job.theme,
        "path": rel(final_video),
        "poster": rel(dest / f"{job.stem}.png"),
        "captions": rel(dest / f"{job.stem}.srt") if len(staged) == 3 else None,
        "bytes": size,
        "sha256": sha,
        "duration": info["duration"],
        "frames": info["frames"],
        "width": info["width"],
        "height": info["height"],
        "render_seconds": round(seconds, 3),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "cache_key": job.key,
        "numbers": _jsonable(scene.numeric_summary()),
        "beats": list(scene.beats),
        "manim_version": _manim_version(),
        "rendered_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _peak_rss_mb() -> float:
    """Peak resident memory of this worker process (Linux reports ru_maxrss in KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _manim_version() -> str:
    from importlib.metadata import version

    return version("manim")


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=lambda o: getattr(o, "tolist", lambda: str(o))()))


def _exit_with_parent() -> None:
    """A worker whose batch process died (even by SIGKILL) stops instead of rendering on."""
    import threading

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(3)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _worker(job: Job, out: str, work: str, log_path: str, results) -> None:
    """Process entry point: all output goes to the job's log; the result goes on the queue."""
    _exit_with_parent()
    log = open(log_path, "w", buffering=1, encoding="utf-8")  # noqa: SIM115
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    sys.stdout = sys.stderr = log
    try:
        entry = render_job(
            job, Path(out), Path(work), lambda s, n, t: results.put(("progress", s, n, t))
        )
        results.put(("done", job.scene, entry, None))
    except BaseException as exc:  # noqa: BLE001 - report every failure, then exit
        traceback.print_exc()
        results.put(("failed", job.scene, None, f"{type(exc).__name__}: {exc}"))
    finally:
        log.flush()


# -- the batch -------------------------------------------------------------------------------
@dataclass
class Outcome:
    scene: str
    status: str  # rendered | skipped | failed
    seconds: float = 0.0
    entry: dict | None = None
    error: str | None = None


def _expected_frames(entry: dict | None, job: Job) -> int | None:
    """Frames of an earlier render with the same params, rescaled to this job's frame rate."""
    if not entry or entry.get("params") != job.params or not entry.get("duration"):
        return None
    return round(entry["duration"] * QUALITY_SETTINGS[job.quality]["frame_rate"])


def run_plan(plan: Plan, progress_display=None) -> bool:
    """Render every job of ``plan``; returns False when any scene failed."""
    from .progress import ProgressDisplay, summary_table

    out = plan.out
    out.mkdir(parents=True, exist_ok=True)
    manifest = Manifest.load(out)
    todo, outcomes = [], []
    for job in plan.jobs:
        if not plan.force and manifest.is_fresh(job.scene, job.key, out):
            outcomes.append(Outcome(job.scene, "skipped", entry=manifest.entry(job.scene)))
        else:
            job.expected_frames = _expected_frames(manifest.entry(job.scene), job)
            todo.append(job)
    display = progress_display or ProgressDisplay(enabled=not plan.quiet)
    if todo:
        outcomes += _run_jobs(todo, plan, manifest, display)
    if plan.fingerprint and all(o.status != "failed" for o in outcomes):
        manifest = Manifest.load(out)
        manifest.remember_request(plan.fingerprint, {j.scene: j.key for j in plan.jobs})
        manifest.save(out)
    from .gallery import write_gallery

    write_gallery(out)
    order = {j.scene: i for i, j in enumerate(plan.jobs)}
    outcomes.sort(key=lambda o: order[o.scene])
    print(summary_table(outcomes, out))
    return all(o.status != "failed" for o in outcomes)


def _terminate(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def _run_jobs(todo: list[Job], plan: Plan, manifest: Manifest, display) -> list[Outcome]:
    out = plan.out
    work_root = out / ".work"
    shutil.rmtree(work_root, ignore_errors=True)  # leftovers of an interrupted run
    (out / "logs").mkdir(parents=True, exist_ok=True)
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    previous_term = signal.signal(signal.SIGTERM, _terminate)  # `kill` cleans up like Ctrl-C
    pending = list(todo)
    running: dict[str, tuple[Any, Path, float]] = {}
    outcomes: list[Outcome] = []
    display.start()
    try:
        while pending or running:
            while pending and len(running) < plan.workers:
                job = pending.pop(0)
                work = work_root / f"{job.scene}-{uuid.uuid4().hex[:8]}"
                work.mkdir(parents=True)
                log_path = out / "logs" / f"{job.scene}.log"
                proc = ctx.Process(
                    target=_worker,
                    args=(job, str(out), str(work), str(log_path), results),
                    name=f"relu-anim:{job.scene}",
                )
                proc.start()
                running[job.scene] = (proc, work, time.perf_counter())
                display.update(job.scene, 0, None)
            try:
                kind, scene, payload, extra = results.get(timeout=0.2)
            except queue.Empty:
                for scene, (proc, work, t0) in list(running.items()):
                    if not proc.is_alive() and results.empty():
                        proc.join()
                        running.pop(scene)
                        shutil.rmtree(work, ignore_errors=True)
                        err = f"worker exited with code {proc.exitcode} (see logs/{scene}.log)"
                        outcomes.append(
                            Outcome(scene, "failed", time.perf_counter() - t0, error=err)
                        )
                        display.finish(scene, "failed")
                continue
            if kind == "progress":
                display.update(scene, payload, extra)
                continue
            proc, work, t0 = running.pop(scene)
            proc.join()
            shutil.rmtree(work, ignore_errors=True)
            if kind == "done":
                manifest.record(payload)
                manifest.save(out)
                outcomes.append(Outcome(scene, "rendered", time.perf_counter() - t0, entry=payload))
                display.finish(scene, "rendered")
            else:
                outcomes.append(Outcome(scene, "failed", time.perf_counter() - t0, error=extra))
                display.finish(scene, "failed")
    except BaseException:
        for proc, _work, _ in running.values():
            proc.terminate()
        for proc, work, _ in running.values():
            proc.join(5)
            if proc.is_alive():
                proc.kill()
            shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        display.stop()
        shutil.rmtree(work_root, ignore_errors=True)
    return outcomes
