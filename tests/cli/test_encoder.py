"""Encoder settings: parsed and checked, part of the cache key, and present in the video.

x264 writes the options it encoded with into the stream (an SEI text "options: ... crf=23.0
..."); reading them back is how these tests see what reached the encoder.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from relu_anim.batch import cache
from relu_anim.batch.choices import ENCODER_PROFILES, QUALITIES
from relu_anim.batch.encoder import EncoderError, encoder_options
from relu_anim.batch.plan import Job

from .test_render import env, render


def x264_options(video: Path) -> dict[str, str]:
    """The options x264 recorded in ``video`` (its SEI user data), as a dict."""
    data = video.read_bytes()
    start = data.index(b"options: ") + len(b"options: ")
    text = data[start : data.index(b"\x00", start)].decode("ascii")
    return dict(item.split("=", 1) for item in text.split())


# -- parsing ---------------------------------------------------------------------------------
def test_a_profile_pairs_on_top_and_the_quality_default():
    assert encoder_options(None, "high", "mp4") == ENCODER_PROFILES[QUALITIES["high"].encoder]
    assert encoder_options("manim", "low", "gif") == {"crf": "23", "preset": "medium"}
    assert encoder_options("manim, crf=20", "low", "mp4") == {"crf": "20", "preset": "medium"}
    fast = encoder_options("crf=18.50,threads=2", "low", "mp4")
    assert fast == {**ENCODER_PROFILES[QUALITIES["low"].encoder], "crf": "18.5", "threads": "2"}
    assert list(fast) == sorted(fast)  # one spelling per setting: one cache key
    assert encoder_options(None, "low", "webm") == {}  # Manim's VP9 settings


@pytest.mark.parametrize(
    "spec, says",
    [
        ("slow", "unknown encoder profile 'slow'"),
        ("preset=slowest", "preset must be one of"),
        ("tune=cartoon", "tune must be one of"),
        ("crf=52", "crf must be a number from 0 to 51"),
        ("crf=nan", "crf must be a number"),
        ("threads=-1", "threads must be 0 (auto) to 64"),
        ("bframes=3", "KEY=VALUE pairs with keys preset, tune, crf, threads"),
        ("fast,manim", "got 'manim'"),
    ],
)
def test_bad_values_say_what_is_valid(spec, says):
    with pytest.raises(EncoderError, match=re.escape(says)):
        encoder_options(spec, "low", "mp4")


def test_webm_refuses_x264_settings():
    with pytest.raises(EncoderError, match="webm keeps Manim's VP9"):
        encoder_options("crf=20", "low", "webm")


def test_bad_encoder_on_the_command_line_is_one_line_exit_2(tmp_path):
    proc = render(tmp_path / "out", "TinyCircle", "--encoder", "preset=fastest")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("error: --encoder preset must be one of")
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out" / "low").exists()


# -- the cache key ---------------------------------------------------------------------------
def test_encoder_settings_are_in_the_cache_key():
    root = Path(__file__).resolve().parents[2]
    job = lambda encoder: Job(  # noqa: E731
        "GatesAsIfs",
        "relu_anim.scenes.gates",
        root / "scenes/gates.py",
        {},
        "low",
        "mp4",
        "dark",
        encoder=encoder,
    )
    fast, manim = ENCODER_PROFILES["fast"], ENCODER_PROFILES["manim"]
    assert cache.cache_key(job(dict(fast))) == cache.cache_key(job(dict(fast)))
    assert cache.cache_key(job(fast)) != cache.cache_key(job(manim))
    assert cache.cache_key(job(fast)) != cache.cache_key(job({**fast, "crf": "24"}))


# -- what reaches the video ------------------------------------------------------------------
def test_the_plan_gives_each_job_the_quality_profile_or_the_override(tmp_path):
    from relu_anim.batch.plan import Request, plan_request

    plan = plan_request(Request(scenes=("DepthFolding",), quality="high", out=tmp_path))
    assert plan.jobs[0].encoder == ENCODER_PROFILES[QUALITIES["high"].encoder]
    plan = plan_request(Request(scenes=("DepthFolding",), encoder="tune=film", out=tmp_path))
    assert plan.jobs[0].encoder == {**ENCODER_PROFILES[QUALITIES["low"].encoder], "tune": "film"}


def test_an_override_reaches_the_video(tmp_path):
    """``--encoder manim,crf=30`` gives preset medium's subme=7 and deblock 1:0:0 at crf 30,
    where the default profile (veryfast, tune animation) has subme=2 and deblock 1:1:1."""
    out = tmp_path / "out"
    render(out, "TinyCircle", "--encoder", "manim,crf=30", check=0)
    options = x264_options(out / "low" / "TinyCircle.mp4")
    assert (options["subme"], options["crf"], options["deblock"]) == ("7", "30.0", "1:0:0")


def test_a_held_frame_encodes_to_manims_bytes(tmp_path):
    """Converting a held frame once (segments.HeldFrameEncoder) changes no byte of the video:
    the same frames and repeats through Manim's encoder and ours give identical files."""
    from manim._config.video_encoder import VideoEncoderSpec
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    from relu_anim.batch.segments import HeldFrameEncoder

    options = tuple(sorted(ENCODER_PROFILES["fast"].items()))
    spec = VideoEncoderSpec("mp4", "libx264", "yuv420p", 160, 90, Fraction(15), options)
    rng = np.random.default_rng(0)
    frames = [rng.integers(0, 256, (90, 160, 4), dtype=np.uint8) for _ in range(4)]
    for f in frames:
        f[..., 3] = 255
        f[:45] //= 16  # a flat band beside the noise, so x264 has blocks to skip
    digests = []
    for cls in (VideoSegmentEncoder, HeldFrameEncoder):
        target = tmp_path / f"{cls.__name__}.mp4"
        encoder = cls(target=target, spec=spec)
        for frame, repeat in zip(frames, (1, 9, 1, 4), strict=True):
            encoder.write_frame(frame, repeat=repeat)
        encoder.finish()
        digests.append(hashlib.sha256(target.read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_bench_encoder_runs_its_help():
    """The benchmark stays importable (it is never run by the tests: minutes of CPU)."""
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, str(root / "bench" / "encoder.py"), "--help"],
        capture_output=True,
        text=True,
        env=env(),
        timeout=60,
    )
    assert proc.returncode == 0 and "PSNR" in proc.stdout


def test_render_scene_writes_segments_with_the_held_frame_encoder(tmp_path):
    """The worker's one render path installs FastSegmentsWriter and passes the options on."""
    from relu_anim.batch.segments import FastSegmentsWriter
    from relu_anim.batch.worker import render_scene

    from .tiny_scenes import TinyCircle

    seen = {}
    done = render_scene(
        TinyCircle,
        TinyCircle.Params(),
        theme="dark",
        quality="low",
        media_dir=tmp_path,
        on_scene=lambda s: seen.update(writer=type(s.renderer.file_writer)),
        extra_config={"pixel_width": 160, "pixel_height": 90, "frame_rate": 5},
        encoder={"preset": "ultrafast", "crf": "40"},
    )
    assert seen["writer"] is FastSegmentsWriter
    options = x264_options(done.video)
    assert (options["crf"], options["subme"]) == ("40.0", "0")  # ultrafast: no subpel search
