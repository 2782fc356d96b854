"""What a scene says: the limits on one spoken line, their checks, and the narration script.

A spoken line is a beat's caption (or the longer ``narration`` the beat declares) or a
``say()`` line. It must contain words, and be at most :data:`MAX_LINE_CHARS` characters:
about 30 s of speech at the voices' 16 characters a second, past which the picture stands
still too long behind one sentence; split it over beats or ``say()`` lines.

Checked twice: at plan time, on what each beat declares as text (a formatted caption is at
least as long as its text without the ``{fields}``), so a bad scene stops the request with
one line before anything renders; and in the scene, on every line as formatted, before it
is synthesized (a failure there fails that scene only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import VoiceError

MAX_LINE_CHARS = 500
_FIELD = re.compile(r"\{[^{}]*\}")


class NarrationError(VoiceError):
    """An empty or too long spoken line; the message is one line for the user."""


def check_line(text: str, where: str) -> str:
    """``text`` with its white space folded, or NarrationError naming ``where``."""
    line = " ".join(str(text).split())
    if not any(ch.isalnum() for ch in line):
        raise NarrationError(f"{where}: the narration is empty ({text!r})")
    if len(line) > MAX_LINE_CHARS:
        raise NarrationError(
            f"{where}: a spoken line has {len(line)} characters, more than {MAX_LINE_CHARS} "
            "(about 30 s); split it over beats or say() lines"
        )
    return line


def declared_lines(cls: type) -> list[tuple[str, str, str]]:
    """(beat, kind, text) for every caption and narration a scene class declares as text."""
    out = []
    for name in dir(cls):
        method = getattr(cls, name, None)
        beat = getattr(method, "beat_name", None)
        if beat is None:
            continue
        for kind in ("caption", "narration"):
            text = getattr(method, f"beat_{kind}", None)
            if isinstance(text, str):
                out.append((beat, kind, text))
    return out


def check_declared(cls: type) -> None:
    """Plan-time check of what ``cls`` declares; raises NarrationError."""
    for beat, kind, text in declared_lines(cls):
        where = f"{cls.__name__} beat {beat}"
        literal = _FIELD.sub("", text)
        if kind == "narration" and not _FIELD.search(text):
            check_line(text, f"{where} ({kind})")
        elif len(" ".join(literal.split())) > MAX_LINE_CHARS:
            check_line(literal, f"{where} ({kind})")


def script_text(scene: str, title: str, beats: Iterable[tuple[str, list[str]]]) -> str:
    """The narration in reading order: a heading per beat, then what is said in it."""
    head = f"{scene}: {title}" if title else scene
    parts = [head, "=" * len(head), ""]
    for beat, lines in beats:
        parts += [f"## {beat}", *lines, ""]
    return "\n".join(parts)
