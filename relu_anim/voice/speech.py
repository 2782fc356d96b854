"""Text -> a cached WAV and the time each sentence is spoken.

:func:`synthesize` splits a line into sentences, has the engine speak each one (symbols read
as words: :func:`.spoken.spoken_form`), joins them with a short pause and writes one
16-bit mono WAV. The result is cached under a digest of the text, the words as said and the
voice id: the voice id carries the engine's version and model, so a new piper or a new
voice model never reuses old audio. Files are written to a temp name and renamed, so
two workers synthesizing the same line at once both end with a whole file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..files import write_atomic
from . import voice_id
from .engines import load, sentence_audio
from .spoken import spoken_form

SENTENCE_PAUSE = 0.25  # seconds of silence between two sentences of one line
CACHE_ENV = "RELU_ANIM_SPEECH_CACHE"
FORMAT = 1  # bump when the cached files change shape

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=\S)")


@dataclass(frozen=True)
class Speech:
    """One spoken line: its WAV, and when each of its sentences is heard (seconds from 0)."""

    text: str
    voice: str  # the voice id, e.g. piper-1.8.0/en_US-joe-medium@1.0.0
    path: Path
    sample_rate: int
    duration: float
    sentences: tuple[tuple[float, float, str], ...]
    cached: bool = False  # read from the cache (no synthesis ran)
    cpu_seconds: float = 0.0  # of synthesis in this process (0 when cached)


def cpu_seconds() -> float:
    """CPU time of this process (all threads: onnxruntime's) and its children (espeak-ng)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def split_sentences(text: str) -> list[str]:
    """Sentences at ``. ! ?`` followed by a space; ``0.57`` and ``y = 0.`` stay whole."""
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def default_cache_dir() -> Path:
    """``$RELU_ANIM_SPEECH_CACHE``, else ``~/.cache/relu-anim/speech`` (renders pass OUT's)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "relu-anim" / "speech"


def speech_digest(text: str, voice: str) -> str:
    """The text, the words as said (a new reading rule makes a new file) and the voice."""
    said = [spoken_form(s) for s in split_sentences(text)]
    payload = {"text": text, "said": said, "voice": voice, "format": FORMAT}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def synthesize(text: str, engine: str, cache_dir: Path | None = None) -> Speech:
    """``text`` spoken by ``engine`` (piper or espeak), from the cache when it is there."""
    vid = voice_id(engine)
    key = speech_digest(text, vid)
    folder = Path(cache_dir or default_cache_dir()) / key[:2]
    wav, meta = folder / f"{key}.wav", folder / f"{key}.json"
    if wav.is_file() and meta.is_file():
        try:
            return _from_meta(json.loads(meta.read_text(encoding="utf-8")), wav)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged entry is synthesized again
    load(engine)  # once per process; not part of the synthesis time
    started = cpu_seconds()
    samples, rate, sentences = _speak(text, engine)
    cpu = cpu_seconds() - started
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(wav, _wav_bytes(samples, rate))
    record = {"text": text, "voice": vid, "sample_rate": rate, "sentences": sentences}
    record["duration"] = len(samples) / rate
    write_atomic(meta, json.dumps(record).encode())
    return Speech(text, vid, wav, rate, record["duration"], _tuples(sentences), False, cpu)


def _speak(text: str, engine: str) -> tuple[np.ndarray, int, list]:
    """Samples of every sentence joined with pauses, and each sentence's (start, end, text)."""
    parts: list[np.ndarray] = []
    sentences, at, rate = [], 0, 0
    for sentence in split_sentences(text):
        audio, rate = sentence_audio(engine, spoken_form(sentence))
        if parts:
            parts.append(np.zeros(round(SENTENCE_PAUSE * rate), dtype=np.float32))
            at += len(parts[-1])
        parts.append(audio)
        sentences.append([at / rate, (at + len(audio)) / rate, sentence])
        at += len(audio)
    if not parts:
        raise ValueError("nothing to say: the narration is empty")
    return np.concatenate(parts), rate, sentences


def _from_meta(record: dict, wav: Path) -> Speech:
    return Speech(
        record["text"],
        record["voice"],
        wav,
        int(record["sample_rate"]),
        float(record["duration"]),
        _tuples(record["sentences"]),
        cached=True,
    )


def _tuples(sentences) -> tuple[tuple[float, float, str], ...]:
    return tuple((float(a), float(b), str(s)) for a, b, s in sentences)


def _wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    import io

    pcm = np.clip(np.round(samples * 32767.0), -32767, 32767).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return buf.getvalue()


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Float samples and rate of a 16-bit mono WAV written by :func:`synthesize`."""
    with wave.open(str(path), "rb") as w:
        rate, frames = w.getframerate(), w.readframes(w.getnframes())
    return np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0, rate
