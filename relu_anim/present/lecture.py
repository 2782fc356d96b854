"""``relu-anim lecture``: the scenes of a request joined into one video with chapters.

The scenes are rendered (or found unchanged) by the batch, through the same plan and cache as
``relu-anim render``; then, in lecture order, they are joined without re-encoding the picture
(:mod:`.remux`) into ``OUT/<quality>/lecture.<format>``, beside one caption file for the whole
(``lecture.srt`` and ``lecture.vtt``) and ``lecture.json``: the chapters (title, start, end,
the beats inside), the scenes with their cache keys, the file's size and sha256. A second run
over unchanged scenes finds that record matching and writes nothing.

Every file appears whole: each is written to a temp file in its folder and renamed, the record
last, so an interrupted run leaves the previous lecture (or none), never half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from ..batch.cache import digest, file_digest, sources_digests
from ..batch.choices import DEFAULT_FORMAT
from ..batch.manifest import Manifest, ManifestEntry, write_atomic
from ..batch.plan import RenderError, Request, load_config
from .remux import JoinError

FORMATS = ("mp4", "webm")  # what a lecture can be: a gif has no sound and no chapters
CHAPTER_LEVELS = ("scene", "beat")  # what the container's chapters mark (mp4 chapters are flat)
DEFAULT_CHAPTERS = "scene"
TITLE = "Why ReLU networks work: a lecture"


class LectureError(RenderError):
    """A lecture that cannot be made (one line for the user, exit 2)."""


@dataclass(frozen=True)
class Placed:
    """A scene of the lecture and where its picture lies in the joined video (seconds)."""

    entry: ManifestEntry
    start: Fraction
    end: Fraction
    audio: bool  # the scene's video has sound


def lecture_request(request: Request) -> Request:
    """The render request behind a lecture: every scene when none is named (here or in the
    config file); a video format, since a lecture has sound and chapters."""
    cfg = load_config(request.config_file)
    fmt = request.fmt or cfg.get("format", DEFAULT_FORMAT)
    if fmt not in FORMATS:
        raise LectureError(f"a lecture is a video: format must be mp4 or webm, got {fmt!r}")
    if not request.scenes and not request.all_scenes and "scenes" not in cfg:
        request = replace(request, all_scenes=True)
    return request


def make_lecture(request: Request, chapters: str = DEFAULT_CHAPTERS, display=None) -> Path | None:
    """Render what is missing, then join; the lecture's path, or None when a scene failed.

    Raises LectureError (or the batch's RenderError) for a bad request, before any work.
    """
    from ..batch.cache import request_fingerprint
    from ..batch.run import render_request

    if chapters not in CHAPTER_LEVELS:
        raise LectureError(f"chapters must be one of {', '.join(CHAPTER_LEVELS)}")
    request = lecture_request(request)
    try:  # the key under which the batch remembers the request's scenes (as render_request)
        fingerprint = request_fingerprint(request)
    except OSError as exc:
        raise LectureError(f"cannot read {exc.filename}: {exc.strerror}") from None
    if not render_request(request, display):
        return None
    out = Path(request.out)
    entries = _request_entries(out, fingerprint)
    dest = out / entries[0].quality / f"lecture{_tag(entries[0])}.{entries[0].format}"
    key = lecture_key(entries, chapters)
    record = load_record(dest)
    if record.get("key") == key and _intact(out, record):
        print(f"lecture unchanged: {dest}")
        return dest
    try:
        record = write_lecture(out, entries, dest, chapters, key)
    except JoinError as exc:
        raise LectureError(str(exc)) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise LectureError(f"lecture not written to {dest.parent}: {reason}") from None
    _rewrite_gallery(out)
    print(describe(record, dest))
    return dest


def _request_entries(out: Path, fingerprint: str) -> list[ManifestEntry]:
    """The manifest entries the batch recorded for a request, in lecture order."""
    manifest = Manifest.load(out)
    stems = manifest.requests.get(fingerprint)
    if stems is None:  # the sources changed while the scenes rendered
        raise LectureError("the sources changed during the render: run the lecture again")
    entries = [manifest.entry(stem) for stem in stems]
    if not entries or None in entries:
        raise LectureError(f"no rendered scenes to join in {out}")
    return sorted(entries, key=lambda e: (e.order, e.scene))


def _tag(entry: ManifestEntry) -> str:
    """What the scenes' file names add to their scene (aspect, burned captions): ``-9x16``."""
    return entry.key[len(entry.scene) :]


def lecture_key(entries: list[ManifestEntry], chapters: str) -> str:
    """What the lecture is made of: its scenes' renders, the chapter level and this code."""
    here = Path(__file__).parent
    return digest(
        {
            "scenes": [[e.key, e.cache_key, e.sha256] for e in entries],
            "chapters": chapters,
            "code": sources_digests(
                [here / "lecture.py", here / "remux.py", here / "subtitles.py"]
            ),
        }
    )


def load_record(dest: Path) -> dict:
    """The lecture's record (``lecture.json`` beside the video), or {} if there is none."""
    try:
        record = json.loads(dest.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _intact(out: Path, record: dict) -> bool:
    video = out / record.get("path", "")
    try:
        same = (
            video.stat().st_size == record.get("bytes") and file_digest(video) == record["sha256"]
        )
    except (OSError, KeyError):
        return False
    return same and all((out / record.get(k, "")).is_file() for k in ("captions", "webvtt"))


# -- writing -----------------------------------------------------------------------------------
def write_lecture(
    out: Path, entries: list[ManifestEntry], dest: Path, chapters: str, key: str
) -> dict:
    """Join the scenes into ``dest``; write its captions and record; return the record."""
    from ..batch.gallery import srt_to_vtt
    from .remux import join, probe_part, starts
    from .subtitles import joined_srt

    started = time.perf_counter()
    parts = [probe_part(out / e.path) for e in entries]
    bounds = starts(parts)
    placed = [
        Placed(e, a, b, part.has_audio)
        for e, part, a, b in zip(entries, parts, bounds, bounds[1:], strict=False)
    ]
    scenes = [_chapter(out, p) for p in placed]
    srt_text = joined_srt([(_captions(out, p.entry), p.start, p.end) for p in placed])
    with _staged(dest) as tmp:
        audio = join(parts, tmp, dest.suffix[1:], container_chapters(scenes, chapters), TITLE)
        os.replace(tmp, dest)
    write_atomic(dest.with_suffix(".srt"), srt_text)
    write_atomic(dest.with_suffix(".vtt"), srt_to_vtt(srt_text))
    record = _record(out, dest, entries[0], key, chapters, scenes, audio)
    record["join_seconds"] = round(time.perf_counter() - started, 3)
    write_atomic(dest.with_suffix(".json"), json.dumps(record, indent=2) + "\n")
    return record


class _staged:
    """A temp file beside ``dest`` (same file system: the rename is atomic), removed on failure."""

    def __init__(self, dest: Path) -> None:
        self.dest = dest

    def __enter__(self) -> Path:
        self.dest.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f".{self.dest.stem}.", suffix=self.dest.suffix, dir=self.dest.parent
        )
        os.close(fd)
        self.path = Path(name)
        return self.path

    def __exit__(self, *exc) -> None:
        self.path.unlink(missing_ok=True)  # renamed away on success


def _captions(out: Path, entry: ManifestEntry) -> Path | None:
    return out / entry.captions if entry.captions else None


def _chapter(out: Path, placed: Placed) -> dict:
    """A scene's chapter: where it lies, what it is made of, and its beats."""
    from .subtitles import cue_starts

    e = placed.entry
    srt = _captions(out, e)
    cues = cue_starts(srt.read_text(encoding="utf-8")) if srt and srt.is_file() else []
    beats = []
    if e.beats and len(e.beat_starts) == len(e.beats):  # else: rendered before beat times
        ends = [*e.beat_starts[1:], float(placed.end - placed.start)]
        for name, a, b in zip(e.beats, e.beat_starts, ends, strict=True):
            caption = next((text for t, text in cues if a - 1e-3 <= t < b), "")
            beats.append(
                {
                    "name": name,
                    "caption": caption,
                    "start": _s(placed.start + Fraction(a)),
                    "end": _s(placed.start + Fraction(b)),
                }
            )
    return {
        "title": e.title or e.scene,
        "scene": e.scene,
        "stem": e.key,
        "start": _s(placed.start),
        "end": _s(placed.end),
        "path": e.path,
        "cache_key": e.cache_key,
        "audio": placed.audio,
        "beats": beats,
    }


def container_chapters(scenes: list[dict], level: str) -> list:
    """The chapters written into the video: one per scene, or one per beat (titled with its
    scene) where the scene's beat times are known."""
    from .remux import Chapter

    marks = []
    for scene in scenes:
        if level == "beat" and scene["beats"]:
            marks += [
                Chapter(f"{scene['title']}: {_human(b['name'])}", b["start"], b["end"])
                for b in scene["beats"]
            ]
        else:
            marks.append(Chapter(scene["title"], scene["start"], scene["end"]))
    return marks


def _record(out, dest, first, key, chapters, scenes, audio) -> dict:
    rel = lambda p: p.relative_to(out).as_posix()  # noqa: E731
    return {
        "version": 1,
        "key": key,
        "title": TITLE,
        "quality": first.quality,
        "format": first.format,
        "theme": first.theme,
        "voice": first.voice,
        "aspect": first.aspect,
        "path": rel(dest),
        "captions": rel(dest.with_suffix(".srt")),
        "webvtt": rel(dest.with_suffix(".vtt")),
        "poster": first.poster,
        "bytes": dest.stat().st_size,
        "sha256": file_digest(dest),
        "duration": scenes[-1]["end"],
        "audio": audio,
        "container_chapters": chapters,
        "chapters": scenes,
        "made_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _rewrite_gallery(out: Path) -> None:
    from ..batch.gallery import write_gallery

    try:
        write_gallery(out)
    except OSError as exc:
        print(f"index.html not written: {exc.strerror or exc}")


def describe(record: dict, dest: Path) -> str:
    """One line about a written lecture."""
    from ..batch.summary import human_size

    minutes, seconds = divmod(round(record["duration"]), 60)
    beats = sum(len(c["beats"]) for c in record["chapters"])
    return (
        f"lecture: {len(record['chapters'])} scenes, {beats} beats, {minutes}:{seconds:02d}, "
        f"{human_size(record['bytes'])}, {'with' if record['audio'] else 'no'} sound, "
        f"joined in {record['join_seconds']:.1f} s -> {dest}"
    )


def _human(name: str) -> str:
    return name.replace("-", " ").capitalize()


def _s(value: Fraction) -> float:
    return round(float(value), 4)
