"""A tiny scene narrated by each installed voice, rendered for real (160x90, 5 fps).

The soundtrack is checked as a listener would meet it: decoded from the video file.
"""

from __future__ import annotations

import numpy as np
import pytest
from spoken_scenes import Spoken
from voicing import ENGINES, SILENCE_RMS, loudest_rms

from relu_anim.lecture.scene import LINE_PAUSE
from relu_anim.voice.captions import MAX_CHUNK_CHARS

FPS = 5


class Recording(Spoken):
    """Spoken, keeping what on_caption_chunks is handed (what burned captions would draw)."""

    def on_caption_chunks(self, chunks):
        self.handed = [*getattr(self, "handed", []), *chunks]


def _decode(video):
    import av

    with av.open(str(video)) as f:
        v, a = f.streams.video[0], f.streams.audio[0]
        codec, rate = a.codec_context.name, a.codec_context.sample_rate
        frames = [fr.to_ndarray().mean(axis=0) for fr in f.decode(a)]  # planar -> mono
        f.seek(0)
        video_seconds = sum(1 for _ in f.decode(v)) / FPS
    samples = np.concatenate(frames).astype(np.float32)
    return codec, samples, rate, video_seconds


def _render(tiny, folder, engine, fmt):
    return tiny(
        Recording,
        folder / "media",
        dry_run=False,
        format=fmt,
        scene_args={"voice": engine, "speech_cache": folder / "speech"},
    )


@pytest.fixture(scope="module", params=ENGINES)
def narrated(request, tiny, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"narrated-{request.param}")
    scene = _render(tiny, folder, request.param, "mp4")
    plan = scene.renderer.file_writer.output_plan
    return scene, _decode(plan.primary_artifact), plan.subcaption_file


def test_the_video_carries_the_voice_as_long_as_the_picture(narrated):
    scene, (codec, samples, rate, video_seconds), _ = narrated
    assert codec == "aac"
    assert video_seconds == pytest.approx(float(scene.time), abs=1 / FPS)
    assert len(samples) / rate == pytest.approx(video_seconds, abs=2 / FPS)


def test_every_caption_interval_contains_speech(narrated):
    import srt

    scene, (_, samples, rate, _), srt_file = narrated
    subs = list(srt.parse(srt_file.read_text(encoding="utf-8")))
    assert [s.content for s in subs] == [text for _, _, text in scene.caption_chunks]
    assert scene.handed == scene.caption_chunks
    assert len(subs) > len(scene.speech_log)  # the narration was cut into chunks
    for sub in subs:
        assert len(sub.content) <= MAX_CHUNK_CHARS
        start, end = sub.start.total_seconds(), sub.end.total_seconds()
        assert loudest_rms(samples, rate, start, end) > SILENCE_RMS, sub.content


def test_no_two_lines_overlap_and_each_waits_for_its_speech(narrated):
    scene, (_, samples, rate, _), _ = narrated
    log = scene.speech_log
    assert [beat for beat, _, _ in log] == ["draw", "fade", "fade", "closing"]
    for (_, _, end), (_, start, _) in zip(log, log[1:], strict=False):
        assert start >= end + LINE_PAUSE - 1e-6
        # the soundtrack is silent between the two lines (well inside the gap)
        assert loudest_rms(samples, rate, end + 0.1, start - 0.1) < SILENCE_RMS
    assert float(scene.time) >= log[-1][2]  # the last words are not cut off


def test_a_narrated_beat_lasts_its_speech(narrated, tiny, tmp_path):
    scene, _, _ = narrated
    silent = tiny(Spoken, tmp_path / "media")  # dry run, voice none: the reading rate
    assert scene.speech_log[0][2] > 4.0  # the narration is much longer than the caption
    assert float(scene.time) > float(silent.time) + 2.0


@pytest.mark.parametrize("engine", ENGINES[-1:])  # the fastest engine: one webm is enough
def test_webm_carries_opus(engine, tiny, tmp_path):
    scene = _render(tiny, tmp_path, engine, "webm")
    codec, samples, rate, video_seconds = _decode(
        scene.renderer.file_writer.output_plan.primary_artifact
    )
    assert codec == "opus"
    assert len(samples) / rate == pytest.approx(video_seconds, abs=2 / FPS)
