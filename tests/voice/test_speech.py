"""Synthesis with each installed voice: sentence timings, the WAV, the cache."""

from __future__ import annotations

import json

import pytest
from voicing import ENGINES, SILENCE_RMS, loudest_rms

from relu_anim.voice import voice_id
from relu_anim.voice.speech import SENTENCE_PAUSE, read_wav, speech_digest, synthesize

TEXT = "A hinge bends once. Two hinges bend twice."


def test_the_voice_extra_is_installed():
    """make test installs relu-anim[voice]: the neural voice must be there to be tested."""
    assert "piper" in ENGINES


@pytest.fixture(scope="module", params=ENGINES)
def spoken(request, tmp_path_factory):
    cache = tmp_path_factory.mktemp(f"speech-{request.param}")
    return request.param, cache, synthesize(TEXT, request.param, cache)


def test_sentences_are_timed_where_they_are_heard(spoken):
    engine, _, speech = spoken
    assert speech.voice == voice_id(engine) and not speech.cached
    (a0, a1, first), (b0, b1, second) = speech.sentences
    assert (first, second) == ("A hinge bends once.", "Two hinges bend twice.")
    assert a0 == 0 and b1 == pytest.approx(speech.duration)
    assert b0 - a1 == pytest.approx(SENTENCE_PAUSE, abs=1 / speech.sample_rate)
    samples, rate = read_wav(speech.path)
    assert rate == speech.sample_rate and len(samples) / rate == pytest.approx(speech.duration)
    assert loudest_rms(samples, rate, a0, a1) > SILENCE_RMS
    assert loudest_rms(samples, rate, b0, b1) > SILENCE_RMS
    assert loudest_rms(samples, rate, a1, b0) == 0.0  # the pause is ours: digital silence


def test_a_second_synthesis_is_a_cache_hit(spoken):
    engine, cache, first = spoken
    mtime = first.path.stat().st_mtime_ns
    again = synthesize(TEXT, engine, cache)
    assert again.cached and again.cpu_seconds == 0
    assert again.path == first.path and again.path.stat().st_mtime_ns == mtime
    assert again.sentences == first.sentences


def test_a_damaged_cache_entry_is_synthesized_again(spoken):
    engine, cache, first = spoken
    first.path.with_suffix(".json").write_text("{not json")
    again = synthesize(TEXT, engine, cache)
    assert not again.cached and again.duration > 0
    assert json.loads(first.path.with_suffix(".json").read_text())["text"] == TEXT


def test_the_digest_changes_with_the_voice_and_the_text():
    base = speech_digest(TEXT, "piper-1.8.0/en_US-joe-medium@1.0.0")
    assert base != speech_digest(TEXT, "piper-1.9.0/en_US-joe-medium@1.0.0")
    assert base != speech_digest(TEXT + " ", "piper-1.8.0/en_US-joe-medium@1.0.0")


@pytest.mark.parametrize("engine", ENGINES)
def test_nothing_to_say_is_an_error(engine, tmp_path):
    with pytest.raises(ValueError, match="empty"):
        synthesize("   ", engine, tmp_path)


def test_an_engine_failure_is_a_synthesis_error(monkeypatch, tmp_path):
    """Raised inside the scene's worker: that scene fails and is logged, the batch goes on."""
    import subprocess

    from relu_anim.voice import engines

    def broken(*args, **kwargs):
        raise subprocess.CalledProcessError(1, args[0], b"", b"espeak-ng: no voice")

    monkeypatch.setattr(engines.subprocess, "run", broken)
    with pytest.raises(engines.SynthesisError, match="espeak-ng failed"):
        synthesize("A line.", "espeak", tmp_path)
    assert not list(tmp_path.rglob("*.wav"))  # nothing half-written in the cache


@pytest.mark.parametrize("line", ["", "...", "x" * 501])
def test_a_line_said_in_the_scene_is_checked_before_synthesis(line, tiny, tmp_path):
    from manim import Circle, Create

    from relu_anim.lecture import LectureScene
    from relu_anim.voice.narration import NarrationError

    class SaysNothing(LectureScene):
        def construct(self):
            self.play(Create(Circle()), run_time=0.2)
            self.say(line)

    with pytest.raises(NarrationError, match="SaysNothing beat -"):
        tiny(SaysNothing, tmp_path, scene_args={"voice": ENGINES[-1], "speech_cache": tmp_path})
    assert not list(tmp_path.rglob("*.wav"))
