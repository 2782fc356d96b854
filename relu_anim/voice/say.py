"""``relu-anim say``: synthesize one line as a render would, and report its timing.

For checking a voice before a long render: the WAV, how long it is, when each sentence and
caption chunk is heard, and how fast the engine ran (seconds of audio per CPU second).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from . import VoiceError, resolve
from .captions import timed_chunks
from .engines import load
from .narration import check_line
from .speech import Speech, cpu_seconds, default_cache_dir, synthesize
from .spoken import spoken_form


def say(text: str, voice: str, out: Path | None, fresh: bool = False) -> dict[str, Any]:
    """Speak ``text`` with ``voice`` (auto, piper, espeak) into ``out``; the report as a dict.

    ``fresh`` synthesizes again into a throw-away cache (to time the engine). Raises
    VoiceError (one line) for a bad voice, text or output path.
    """
    engine = resolve(voice)
    if engine == "none":
        raise VoiceError("no voice is installed: pip install 'relu-anim[voice]' or espeak-ng")
    line = check_line(text, "say")
    if out is not None and not Path(out).parent.resolve().is_dir():
        raise VoiceError(f"--out {out}: its folder does not exist")
    started = cpu_seconds()
    load(engine)
    loading = cpu_seconds() - started
    if fresh:
        with tempfile.TemporaryDirectory(prefix="relu-anim-say-") as cache:
            speech = synthesize(line, engine, Path(cache))
            _copy(speech, out)
    else:
        speech = synthesize(line, engine, default_cache_dir())
        _copy(speech, out)
    return {**report(speech, engine, out), "load_cpu_seconds": round(loading, 4)}


def _copy(speech: Speech, out: Path | None) -> None:
    """The WAV to ``out`` through a temp file in its folder: never a half-written file."""
    if out is None:
        return
    out = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    os.close(fd)
    try:
        shutil.copyfile(speech.path, tmp)
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise VoiceError(f"--out {out}: {exc.strerror or exc}") from None


def report(speech: Speech, engine: str, out: Path | None) -> dict[str, Any]:
    rate = speech.duration / speech.cpu_seconds if speech.cpu_seconds else None
    return {
        "text": speech.text,
        "engine": engine,
        "voice": speech.voice,
        "wav": str(out) if out is not None else None,
        "sample_rate": speech.sample_rate,
        "duration": round(speech.duration, 4),
        "cached": speech.cached,
        "cpu_seconds": round(speech.cpu_seconds, 4),
        "audio_seconds_per_cpu_second": round(rate, 2) if rate else None,
        "sentences": [{**_timed(s), "said": spoken_form(s[2])} for s in speech.sentences],
        "chunks": [_timed(c) for c in timed_chunks(speech.sentences)],
    }


def _timed(item: tuple[float, float, str]) -> dict[str, Any]:
    start, end, text = item
    return {"start": round(start, 4), "end": round(end, 4), "text": text}
