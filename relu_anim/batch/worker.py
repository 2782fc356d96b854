"""One job inside its worker process: the only module that touches Manim's ``config``.

Manim's ``config`` is one global per process, so each job runs in its own spawned process
(see ``executor``) with a private media directory: no two renders share partial movie
files or LaTeX/text caches. Finished files are staged there and moved into
``OUT/<quality>/`` with ``os.replace`` (same file system) once the batch has recorded them:
a file there is always either the previous complete version or the new complete one.

:func:`render_scene` is the reusable part: any command that renders a scene (the batch,
the storyboard) calls it instead of setting Manim's config itself.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..voice import voice_id
from .cache import file_digest, manim_version
from .choices import DEFAULT_ASPECT, QUALITIES
from .manifest import ManifestEntry
from .plan import Job
from .sections import beat_clips, sections_config


@dataclass
class RenderedScene:
    """What :func:`render_scene` leaves: the scene object and its files."""

    scene: Any  # the LectureScene, after render(): beats, numeric_summary(), renderer
    video: Path | None  # None when the config wrote no movie (e.g. dry_run)
    captions: Path | None  # the .srt, if the scene said anything
    last_frame: Any  # numpy array (height, width, 4), the frame on screen at the end
    seconds: float  # wall time of scene construction and render


def frame_settings(quality: str, aspect: str = DEFAULT_ASPECT) -> dict[str, Any]:
    """Pixels, frame rate and frame size in Manim units for a quality and an aspect.

    Portrait (9:16) transposes landscape: 8 units wide, 14.2 tall, the same pixels per unit,
    so a font size reads the same on a phone as on a screen.
    """
    settings: dict[str, Any] = dict(QUALITIES[quality].manim_settings())
    if aspect == "9:16":
        w, h = settings["pixel_width"], settings["pixel_height"]
        settings.update(pixel_width=h, pixel_height=w, frame_width=8.0, frame_height=8.0 * w / h)
    elif aspect != DEFAULT_ASPECT:
        raise ValueError(f"aspect must be 16:9 or 9:16, got {aspect!r}")
    return settings


def manim_settings(
    quality: str,
    fmt: str,
    media_dir: Path,
    output_file: str | None,
    extra: Mapping | None,
    aspect: str = DEFAULT_ASPECT,
) -> dict[str, Any]:
    """The Manim config keys for one render; unknown keys raise (tempconfig ignores them)."""
    from manim import config

    settings = {
        **frame_settings(quality, aspect),
        "media_dir": str(media_dir),
        "format": fmt,
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
        **({"output_file": output_file} if output_file else {}),
        **(extra or {}),
    }
    unknown = sorted(k for k in settings if k not in config)
    if unknown:
        raise ValueError(f"not Manim config keys: {', '.join(unknown)}")
    return settings


# Frames Manim queues for a segment's encoder thread: its default 8 hold 66 MB at 1080p;
# 2 keep the encoder fed (DepthFolding at 1080p60: the same CPU, 20 MB less at the peak).
ENCODER_QUEUE = 2


def render_scene(
    cls: type,
    params: Any,
    *,
    theme: str,
    quality: str,
    fmt: str = "mp4",
    media_dir: Path,
    output_file: str | None = None,
    on_scene: Callable[[Any], None] | None = None,
    extra_config: Mapping[str, Any] | None = None,
    voice: str = "none",
    aspect: str = DEFAULT_ASPECT,
    burn_captions: bool = False,
    encoder: Mapping[str, str] | None = None,
    speech_cache: Path | None = None,
) -> RenderedScene:
    """Configure Manim for one render, build ``cls(params, theme=theme)`` and render it.

    ``quality`` is a name from ``choices.QUALITIES`` (low, medium, high, 4k); ``fmt`` one of
    ``choices.FORMATS``. Everything Manim writes goes under ``media_dir`` (give each render
    its own: partial movie files and text caches collide otherwise); ``output_file`` names
    the video (default: the scene class name). ``on_scene(scene)`` is called after the
    scene object is built and before ``scene.render()``, to attach hooks (wrap ``beat``,
    count frames...). ``extra_config`` adds Manim config keys (e.g. ``{"dry_run": True}``);
    unknown keys raise ValueError. ``voice`` (a resolved engine name or ``none``),
    ``aspect`` (16:9 or 9:16) and ``burn_captions`` go to the scene, and ``speech_cache``
    (the folder of synthesized lines; None: the user's cache). Manim's config is restored
    on return.

    ``encoder``: x264 options (``encoder.encoder_options``; None: Manim's). Every
    segment is written by ``segments.FastSegmentsWriter`` (a held frame is converted
    to YUV once; the same bytes).

    Example (grab the last frame of a tiny dry run)::

        from relu_anim.batch.worker import render_scene
        done = render_scene(HingeStacking, HingeStacking.Params(), theme="dark",
                            quality="low", media_dir=Path("/tmp/m"),
                            extra_config={"dry_run": True})
        done.last_frame.shape  # (480, 854, 4)
    """
    from manim import tempconfig

    from .segments import use_fast_segments

    extra: dict[str, Any] = {"encoder_queue_size": ENCODER_QUEUE}
    if encoder:
        extra["video_encoder_options"] = dict(encoder)
    extra.update(extra_config or {})
    settings = manim_settings(quality, fmt, media_dir, output_file, extra, aspect)
    started = time.perf_counter()
    with tempconfig(settings):
        scene = cls(
            params,
            theme=theme,
            voice=voice,
            aspect=aspect,
            burn_captions=burn_captions,
            speech_cache=speech_cache,
        )
        use_fast_segments(scene)
        if on_scene is not None:
            on_scene(scene)
        scene.render()
        plan = scene.renderer.file_writer.output_plan
        video = plan.primary_artifact
        srt = plan.subcaption_file
        return RenderedScene(
            scene=scene,
            video=Path(video) if video and Path(video).exists() else None,
            captions=Path(srt) if srt and Path(srt).exists() else None,
            last_frame=scene.renderer.get_frame(),
            seconds=time.perf_counter() - started,
        )


# -- a batch job -----------------------------------------------------------------------------
def count_frames(scene, report: Callable[[int], None], every: float = 0.25) -> None:
    """Wrap the scene's renderer so ``report(frames written)`` runs at most every ``every`` s."""
    renderer = scene.renderer
    original = renderer.add_frame
    state = {"frames": 0, "last": 0.0}

    def add_frame(frame, num_frames: int = 1):
        original(frame, num_frames)
        if not renderer.skip_animations:
            state["frames"] += num_frames
            now = time.monotonic()
            if now - state["last"] > every:
                state["last"] = now
                report(state["frames"])

    renderer.add_frame = add_frame


def record_beat_starts(scene) -> None:
    """Keep in ``scene.beat_starts`` the second of the video where each beat starts (parallel
    to ``scene.beats``): the lecture's chapters. ``scene.time`` counts written frames."""
    scene.beat_starts = []
    original = scene.start_beat

    def start_beat(*args, **kwargs):
        original(*args, **kwargs)
        scene.beat_starts.append(round(float(scene.time), 4))

    scene.start_beat = start_beat


def _watch(scene, job: Job, progress) -> None:
    count_frames(scene, lambda n: progress(job.stem, n, job.expected_frames))
    record_beat_starts(scene)


@dataclass
class JobResult:
    """A rendered job, its files still staged in its work directory.

    The batch records ``entry`` in the manifest first and then calls :meth:`publish`: if the
    manifest cannot be written (a full disk), the previous outputs stay as they were.
    """

    entry: ManifestEntry
    moves: list[tuple[Path, Path]]  # (staged file, final place under OUT/<quality>/)

    def publish(self) -> None:
        """Move the staged files into place; same file system, so each move is atomic."""
        for staged, final in self.moves:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, final)


def render_job(job: Job, out: Path, work: Path, progress) -> JobResult:
    """Render one scene into ``work`` and describe it; its files stay staged in ``work``.

    ``progress(scene, frames done, frames expected or None)`` reports to the parent.
    """
    from ..lecture.params import build_params

    cls = getattr(importlib.import_module(job.module), job.scene)
    params = build_params(cls.Params, job.params, scene=job.scene)
    progress(job.stem, 0, job.expected_frames)
    done = render_scene(
        cls,
        params,
        theme=job.theme,
        quality=job.quality,
        fmt=job.fmt,
        media_dir=work / "media",
        output_file=job.stem,
        on_scene=lambda s: _watch(s, job, progress),
        encoder=job.encoder,
        extra_config=sections_config(job.fmt),  # a clip per beat, for slides
        voice=job.voice,
        aspect=job.aspect,
        burn_captions=job.burn_captions,
        speech_cache=out / ".cache" / "speech",  # shared by the jobs of OUT; writes atomic
    )
    if done.video is None:
        raise RuntimeError(f"Manim wrote no video for {job.scene}")
    from PIL import Image

    poster = work / f"{job.stem}.png"
    Image.fromarray(done.last_frame).convert("RGB").save(poster)
    script = work / f"{job.stem}.txt"  # the narration, for a teacher who speaks it live
    script.write_text(done.scene.narration_script(), encoding="utf-8")
    dest = out / job.quality
    files = {
        "video": (done.video, dest / f"{job.stem}.{job.fmt}"),
        "poster": (poster, dest / f"{job.stem}.png"),
        "captions": (done.captions, dest / f"{job.stem}.srt") if done.captions else None,
        "script": (script, dest / f"{job.stem}.txt"),
    }
    moves = [m for m in files.values() if m is not None]
    clips, clip_moves = beat_clips(done.scene, done.video, dest / "beats" / job.stem, out)
    entry = _entry(job, cls, done, files, out)
    entry.beat_clips = clips
    return JobResult(entry, moves + clip_moves)


def _entry(job: Job, cls: type, done: RenderedScene, files: dict, out: Path) -> ManifestEntry:
    """The manifest entry of a rendered job; ``files``: kind -> (staged, final) or None."""
    from .probe import probe_video

    video = files["video"][0]
    info = probe_video(video)
    rel = lambda kind: files[kind][1].relative_to(out).as_posix() if files[kind] else None  # noqa: E731
    return ManifestEntry(
        scene=job.scene,
        stem=job.stem,
        title=cls.title,
        summary=cls.summary,
        order=cls.order,
        params=job.params,
        quality=job.quality,
        format=job.fmt,
        theme=job.theme,
        voice=job.voice,
        voice_id=voice_id(job.voice),
        speech_seconds=round(done.scene.speech_cpu_seconds, 3),
        script=rel("script"),
        aspect=job.aspect,
        burn_captions=job.burn_captions,
        path=rel("video"),
        poster=rel("poster"),
        captions=rel("captions"),
        bytes=video.stat().st_size,
        sha256=file_digest(video),
        duration=info["duration"],
        frames=info["frames"],
        width=info["width"],
        height=info["height"],
        render_seconds=round(done.seconds, 3),
        peak_rss_mb=round(_peak_rss_mb(), 1),
        cache_key=job.key,
        numbers=_jsonable(done.scene.numeric_summary()),
        beats=list(done.scene.beats),
        beat_starts=list(getattr(done.scene, "beat_starts", [])),
        manim_version=manim_version(),
        rendered_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    )


def _peak_rss_mb() -> float:
    """Peak resident memory of this worker process (Linux reports ru_maxrss in KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _jsonable(value: Any) -> Any:
    import json

    return json.loads(json.dumps(value, default=lambda o: getattr(o, "tolist", lambda: str(o))()))


# -- the worker process ----------------------------------------------------------------------
def exit_with_parent(poll: float = 0.5) -> None:
    """A worker whose batch process died (even by SIGKILL) stops instead of rendering on."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll)
        os._exit(3)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _log_to(log_path: str):
    """Send this process's stdout and stderr (Python's and the C level's) to ``log_path``."""
    log = open(log_path, "w", buffering=1, encoding="utf-8")  # noqa: SIM115
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    sys.stdout = sys.stderr = log
    return log


def worker_main(job: Job, out: str, work: str, log_path: str, conn) -> None:
    """Process entry point: all output goes to the job's log; messages go up ``conn``.

    Messages: ``("progress", frames, expected)``, then ``("done", JobResult)`` or
    ``("failed", cause)``. The result is sent before the traceback is logged: on a full disk
    the log may not be writable, and the cause must still reach the summary.
    """
    exit_with_parent()
    try:
        _log_to(log_path)
        entry = render_job(
            job, Path(out), Path(work), lambda s, n, t: conn.send(("progress", n, t))
        )
        conn.send(("done", entry))
    except BaseException as exc:  # noqa: BLE001 - report every failure, then exit
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        try:
            traceback.print_exc()
            sys.stderr.flush()
        except OSError:
            pass
    finally:
        conn.close()
