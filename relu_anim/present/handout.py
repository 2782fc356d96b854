"""``relu-anim handout``: a printable PDF of scenes, from the same renders as the videos.

Per scene: its title, summary, parameters and teaching notes (:mod:`relu_anim.lecture.teaching`);
per beat: its last frame (the storyboard's, cached beside the storyboard command's), what is
said in it (the render's narration script, else its ``.srt`` split at the beat starts) and
the numbers the core computed for it (the manifest's ``numbers``, split by the notes'
``beat_numbers``). A scene missing from the manifest, or stale, is rendered first by the
normal batch, so the numbers on paper are the ones the video shows.
"""

from __future__ import annotations

import bisect
import hashlib
from pathlib import Path

from ..batch.choices import DEFAULT_FORMAT
from ..batch.manifest import Manifest, ManifestEntry
from ..batch.plan import RenderError, Request, plan_request, prepare_out
from ..files import write_atomic
from ..lecture.teaching import teaching_of
from .handout_pdf import BeatMaterial, SceneMaterial

PDF_NAME = "handout.pdf"
KEY_FILE = ".handout-key"  # in a storyboard folder: which render and look its frames show
MISSING_EXTRA = "the handout needs the handout extra: pip install 'relu-anim[handout]'"
CAPTION_SLACK = 0.01  # s: a caption starting this close before a beat start belongs to it


class HandoutError(ValueError):
    """Bad input (unknown scene, unwritable folder, missing extra): one line, exit 2."""


class HandoutFailed(RuntimeError):
    """A scene the handout needs failed to render (its log says why): exit 1."""


def make_handout(scenes, all_scenes: bool, quality: str, theme: str, out: Path) -> Path:
    """Write ``out/handout.pdf`` for ``scenes`` (or every scene) and return its path."""
    _require_fpdf()
    classes = _classes(scenes, all_scenes)
    try:
        out = prepare_out(Path(out))
    except RenderError as exc:
        raise HandoutError(str(exc)) from None
    entries = ensure_rendered(classes, quality, theme, out)
    from .handout_pdf import render_pdf

    path = out / PDF_NAME
    try:
        materials = [scene_material(c, entries[c.__name__], out, quality, theme) for c in classes]
        write_atomic(path, render_pdf(materials))
    except OSError as exc:  # a full disk, a folder made read-only meanwhile
        raise HandoutError(f"cannot write {exc.filename or path}: {exc.strerror}") from None
    return path


def _require_fpdf() -> None:
    try:
        import fpdf  # noqa: F401
    except ImportError:
        raise HandoutError(MISSING_EXTRA) from None


def _classes(names, all_scenes: bool) -> list[type]:
    from ..lecture.registry import discover, get_scene

    if all_scenes:
        return list(discover().values())
    if not names:
        raise HandoutError("name the scenes for the handout, or use --all (see: relu-anim list)")
    try:
        return [get_scene(n) for n in dict.fromkeys(names)]
    except LookupError as exc:
        raise HandoutError(str(exc)) from None


# -- the numbers: the manifest, rendering what is missing or stale ---------------------------
def ensure_rendered(classes, quality: str, theme: str, out: Path) -> dict[str, ManifestEntry]:
    """Each scene's fresh manifest entry. A recorded scene is checked with the look and
    parameters it was rendered with (so nothing is re-rendered needlessly); a missing one
    is rendered silent at ``quality`` and ``theme``."""
    from ..batch.run import render_request

    manifest = Manifest.load(out)
    groups: dict[tuple, tuple[list[str], list[str]]] = {}
    for cls in classes:
        e = manifest.entry(cls.__name__)
        look = (
            (e.quality, e.format, e.theme, e.voice)
            if e
            else (quality, DEFAULT_FORMAT, theme, "none")
        )
        names, sets = groups.setdefault(look, ([], []))
        names.append(cls.__name__)
        sets.extend(_sets(cls, e.params) if e else ())
    for (q, fmt, th, voice), (names, sets) in groups.items():
        request = Request(
            tuple(names), quality=q, fmt=fmt, theme=th, voice=voice, sets=tuple(sets), out=out
        )
        if _fresh(request, manifest, out):
            continue
        try:
            ok = render_request(request)
        except RenderError as exc:
            raise HandoutError(str(exc)) from None
        if not ok:
            raise HandoutFailed(f"could not render {', '.join(names)} (see {out / 'logs'})")
    manifest = Manifest.load(out)
    return {cls.__name__: manifest.entry(cls.__name__) for cls in classes}


def _sets(cls: type, params: dict) -> list[str]:
    """``--set`` items that give ``cls`` the recorded ``params`` (only those not default)."""
    from ..lecture.params import params_to_dict

    default = params_to_dict(cls.Params())  # a parameter since removed is left out
    changed = {k: v for k, v in params.items() if k in default and default[k] != v}
    return [f"{cls.__name__}.{k}={_as_text(v)}" for k, v in changed.items()]


def _as_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def _fresh(request: Request, manifest: Manifest, out: Path) -> bool:
    try:
        plan = plan_request(request)
    except (RenderError, LookupError, ValueError) as exc:
        raise HandoutError(str(exc)) from None
    return all(manifest.is_fresh(job.stem, job.key, out) for job in plan.jobs)


# -- one scene's material ----------------------------------------------------------------------
def scene_material(cls: type, entry: ManifestEntry, out: Path, quality: str, theme: str):
    """What the PDF shows of one scene: notes, and per beat its frame, words and numbers."""
    from ..lecture.params import build_params

    params = build_params(cls.Params, entry.params, scene=cls.__name__)
    frames = beat_frames(cls, params, entry, out, quality, theme)
    lines = beat_lines(entry, out)
    notes = teaching_of(cls)
    claimed = {k for keys in notes.beat_numbers.values() for k in keys} if notes else set()
    beats = tuple(
        BeatMaterial(
            name,
            lines.get(name, ()),
            path,
            notes.numbers_for(name, entry.numbers) if notes else {},
        )
        for name, path in frames.items()
    )
    other = {k: v for k, v in entry.numbers.items() if k not in claimed}
    return SceneMaterial(
        cls.__name__, cls.title, cls.summary, dict(entry.params), notes, beats, other
    )


def beat_frames(cls, params, entry: ManifestEntry, out: Path, quality: str, theme: str):
    """Beat name -> its last frame, from the storyboard (drawn again only when the render,
    the theme or the quality changed since the frames were drawn)."""
    from ..lecture.storyboard import write_storyboard

    folder = out / "storyboard" / f"{cls.__name__}-{theme}"
    key = hashlib.sha256(f"{entry.cache_key} {theme} {quality}".encode()).hexdigest()
    stamp = folder / KEY_FILE
    if not (stamp.is_file() and stamp.read_text(encoding="utf-8") == key):
        write_storyboard(cls, params, theme, quality, folder)
        stamp.write_text(key, encoding="utf-8")
    files = sorted(folder.glob("[0-9][0-9]-*.png"))
    return {p.stem.split("-", 1)[1]: p for p in files}


def beat_lines(entry: ManifestEntry, out: Path) -> dict[str, tuple[str, ...]]:
    """Beat name -> what is said in it: the render's narration script (``<Scene>.txt``),
    else its captions (``.srt``) split at the beat starts the manifest records."""
    script = _read(out, entry.script)
    if script is not None:
        return script_lines(script)
    captions = _read(out, entry.captions)
    if captions is None or len(entry.beat_starts) != len(entry.beats):
        return {}
    from .subtitles import cue_starts

    grouped: dict[str, list[str]] = {b: [] for b in entry.beats}
    for start, text in cue_starts(captions):
        i = bisect.bisect_right(entry.beat_starts, start + CAPTION_SLACK) - 1
        if i >= 0:
            grouped[entry.beats[i]].append(" ".join(text.split()))
    return {b: tuple(lines) for b, lines in grouped.items()}


def script_lines(text: str) -> dict[str, tuple[str, ...]]:
    """Beat name -> its lines, from a narration script (``## beat`` headings, then lines)."""
    beats: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = beats.setdefault(line[3:].strip(), [])
        elif current is not None and line.strip():
            current.append(line.strip())
    return {b: tuple(lines) for b, lines in beats.items()}


def _read(out: Path, relative: str | None) -> str | None:
    if not relative:
        return None
    try:
        return (out / relative).read_text(encoding="utf-8")
    except OSError:
        return None
