"""Slides: one per beat, in lecture order, from the clips the batch keeps of every render.

``relu-anim slides SCENE ... | --all`` renders what is missing through the normal batch
(same cache, same manifest), then writes ``OUT/<quality>/slides.html``: one HTML page with
its own small player (inline CSS and JavaScript, nothing fetched) and the beats' clips
beside it, referenced by relative paths (``beats/<stem>/NN-<beat>.mp4``, written by the
batch). Beside, not inside: the clips are already on disk, the page stays small and opens
at once, and the folder ``OUT/<quality>/`` copies as a whole to a lecture-room laptop.
``--embed`` puts the clips into the page instead (base64, about a third larger) for a deck
that travels as one file.

Every beat slide is a ``<section data-beat=... data-scene=...>``; a scene's title slide
carries ``data-scene-title`` instead, so beats stay countable. It also writes manim-slides'
presentation files (``OUT/<quality>/slides/<stem>.json``, its 5.x format) for its
``convert`` and ``present`` commands.
"""

from __future__ import annotations

import base64
import html
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path

from ..batch.cache import request_fingerprint
from ..batch.manifest import Manifest, ManifestEntry, write_atomic
from ..batch.plan import RenderError, Request, plan_request
from ..batch.run import render_request
from ..theme import get_theme

DECK = Path(__file__).with_name("deck")
KEYS_HELP = (
    "<kbd>→</kbd> <kbd>space</kbd> next beat · <kbd>←</kbd> back · <kbd>r</kbd> replay · "
    "<kbd>f</kbd> full screen · <kbd>s</kbd> speaker notes"
)


class RenderFailed(RuntimeError):
    """A scene of the deck failed to render (its log says why); no deck is written."""


@dataclass(frozen=True)
class Deck:
    path: Path
    beats: int  # beat slides
    scenes: int
    bytes: int  # of the page alone
    clip_bytes: int  # of the clips it plays (inside the page when embedded)


def make_slides(request: Request, embed: bool = False) -> Deck:
    """Render what ``request`` lacks, then write its deck and manim-slides files.

    Raises RenderError for a bad request (nothing written), RenderFailed when a scene
    fails, OSError when the deck cannot be written.
    """
    entries = rendered_entries(request)
    if not entries:
        raise RenderError("no scenes to make slides of (see: relu-anim list)")
    folder = Path(request.out) / entries[0].quality
    page = folder / "slides.html"
    write_atomic(page, deck_html(entries, folder, embed))
    for entry in entries:
        write_atomic(folder / "slides" / f"{entry.key}.json", manim_slides_json(entry, folder))
    clips = [Path(request.out) / c["path"] for e in entries for c in e.beat_clips]
    return Deck(
        page,
        sum(1 for e in entries for c in e.beat_clips if c["beat"]),
        len(entries),
        page.stat().st_size,
        sum(p.stat().st_size for p in clips),
    )


# -- from the batch ----------------------------------------------------------------------------
def rendered_entries(request: Request) -> list[ManifestEntry]:
    """The manifest entries answering ``request``, each with its beat clips, lecture order.

    A scene rendered before clips were kept (or as a gif) is rendered again, forced.
    """
    entries = _answer(request)
    stale = tuple(e.scene for e in entries if not _clips_intact(e, Path(request.out)))
    if stale:
        _answer(replace(request, scenes=stale, all_scenes=False, force=True, fmt="mp4"))
        entries = _answer(request)
    return sorted(entries, key=lambda e: (e.order, e.scene))


def _answer(request: Request) -> list[ManifestEntry]:
    """Run ``request`` through the batch; the entries it is answered with.

    The manifest remembers the jobs of a finished request under its fingerprint (no Manim
    import needed); when that is gone (a source changed meanwhile), the request is planned.
    """
    try:
        fingerprint = request_fingerprint(request)
    except OSError:
        fingerprint = ""  # render_request says which file it cannot read
    if not render_request(request):
        raise RenderFailed(f"a scene failed to render (see {Path(request.out) / 'logs'})")
    manifest = Manifest.load(Path(request.out))
    keys = manifest.requests.get(fingerprint)
    if keys is None:
        keys = {job.stem: job.key for job in plan_request(request).jobs}
    return [manifest.scenes[s] for s, k in keys.items() if _entry_key(manifest, s) == k]


def _entry_key(manifest: Manifest, stem: str) -> str | None:
    entry = manifest.entry(stem)
    return entry.cache_key if entry else None


def _clips_intact(entry: ManifestEntry, out: Path) -> bool:
    return bool(entry.beat_clips) and all((out / c["path"]).is_file() for c in entry.beat_clips)


# -- the page ----------------------------------------------------------------------------------
def deck_html(entries: list[ManifestEntry], folder: Path, embed: bool = False) -> str:
    """The whole deck: a title slide per scene, then a slide per beat clip."""
    theme = get_theme(entries[0].theme)
    colours = (
        f"--bg: {theme.background}; --text: {theme.text}; --muted: {theme.muted}; "
        f"--panel: {theme.panel}; --accent: {theme.accent_text or theme.accent};"
    )
    slides = "\n".join(
        part for e in entries for part in [_title_slide(e), *_beat_slides(e, folder, embed)]
    )
    css, js = (DECK / "deck.css").read_text(), (DECK / "deck.js").read_text()
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(_deck_title(entries))}</title>\n"
        f"<style>:root {{ {colours} }}\n{css}</style>\n</head>\n<body>\n{slides}\n"
        '<footer><span id="where"></span><span class="sound">sound off: press a key</span>'
        f"</footer>\n<script>\n{js}</script>\n</body>\n</html>\n"
    )


def _deck_title(entries: list[ManifestEntry]) -> str:
    return (
        entries[0].title
        if len(entries) == 1
        else "relu-anim: " + ", ".join(e.title for e in entries)
    )


def _title_slide(e: ManifestEntry) -> str:
    beats = sum(1 for c in e.beat_clips if c["beat"])
    return (
        f'<section class="slide title" data-scene-title="{_attr(e.scene)}" '
        f'data-scene="{_attr(e.scene)}" data-title="{_attr(e.title)}" data-label="title" hidden>\n'
        f"<h1>{html.escape(e.title)}</h1>\n<p>{html.escape(e.summary)}</p>\n"
        f'<div class="beats">{beats} beats</div>\n<div class="keys">{KEYS_HELP}</div>\n'
        "</section>"
    )


def _beat_slides(e: ManifestEntry, folder: Path, embed: bool) -> list[str]:
    out = folder.parent
    slides = []
    for number, clip in enumerate(e.beat_clips, start=1):
        src = _data_uri(out / clip["path"]) if embed else _relative(out / clip["path"], folder)
        role = f'data-beat="{_attr(clip["beat"])}"' if clip["beat"] else 'data-part="before"'
        sound = 'data-audio="1"' if clip.get("audio") else "muted"
        notes = "".join(f"<p>{html.escape(line)}</p>" for line in clip.get("notes", []))
        slides.append(
            f'<section class="slide" {role} data-scene="{_attr(e.scene)}" '
            f'data-title="{_attr(e.title)}" data-label="{number}. {_attr(clip["beat"])}" hidden>\n'
            f'<video src="{_attr(src)}" preload="metadata" playsinline {sound}></video>\n'
            f'<aside class="notes">{notes}</aside>\n</section>'
        )
    return slides


def _relative(path: Path, folder: Path) -> str:
    return Path(os.path.relpath(path, folder)).as_posix()


def _data_uri(path: Path) -> str:
    kind = "webm" if path.suffix == ".webm" else "mp4"
    return f"data:video/{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _attr(text: str) -> str:
    return html.escape(str(text), quote=True)


# -- manim-slides --------------------------------------------------------------------------------
def manim_slides_json(entry: ManifestEntry, folder: Path) -> str:
    """manim-slides' PresentationConfig (5.x) for ``entry``: a slide per clip, its notes.

    Paths are relative to ``folder`` (manim-slides reads them from the JSON file's
    grandparent: ``folder/slides/<stem>.json``). Its reversed clips are not made (that is a
    decode and re-encode of every clip): ``rev_file`` is the clip itself, as manim-slides
    does for still slides, so its "reverse" key replays forward.
    """
    theme = get_theme(entry.theme)
    slides = []
    for clip in entry.beat_clips:
        path = _relative(folder.parent / clip["path"], folder)
        slides.append(
            {
                "file": path,
                "rev_file": path,
                "loop": False,
                "auto_next": False,
                "playback_rate": 1.0,
                "reversed_playback_rate": 1.0,
                "notes": "\n".join(clip.get("notes", [])),
                "dedent_notes": True,
                "skip_animations": False,
                "src": None,
                "type": "video",
                "direction": "horizontal",
            }
        )
    doc = {
        "slides": slides,
        "resolution": [entry.width, entry.height],
        "background_color": theme.background,
    }
    return json.dumps(doc, indent=2) + "\n"
