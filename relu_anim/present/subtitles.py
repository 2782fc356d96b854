"""One caption file for joined videos: each part's SubRip cues moved to where the part starts.

A cue never leaves its part: one that outlasts its part's picture (a caption's minimum reading
time can run past a scene's last frame) is cut at the part's end, so cues of two scenes never
overlap, and one that starts after the end is dropped.
"""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction
from pathlib import Path


def _td(seconds: Fraction) -> timedelta:
    return timedelta(milliseconds=round(seconds * 1000))  # SubRip counts whole ms


def shifted_cues(srt_text: str, start: Fraction, end: Fraction) -> list:
    """The cues of one part (SubRip text) moved by ``start``, kept inside [start, end]."""
    import srt  # Manim's own SubRip library

    cues = []
    for cue in srt.parse(srt_text):
        begin, finish = _td(start) + cue.start, min(_td(start) + cue.end, _td(end))
        if begin < finish:
            cues.append(srt.Subtitle(0, begin, finish, cue.content))
    return cues


def joined_srt(parts: list[tuple[Path | None, Fraction, Fraction]]) -> str:
    """SubRip text of every part's cues, in order: ``(srt file or None, start, end)`` each."""
    import srt

    cues = []
    for path, start, end in parts:
        if path is not None and path.is_file():
            cues += shifted_cues(path.read_text(encoding="utf-8"), start, end)
    return srt.compose(cues, reindex=True, start_index=1)


def cue_starts(srt_text: str) -> list[tuple[float, str]]:
    """(start in seconds, text) of every cue."""
    import srt

    return [(c.start.total_seconds(), c.content) for c in srt.parse(srt_text)]
