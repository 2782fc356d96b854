"""relu-anim slides: beat clips kept by the batch, the deck, manim-slides files, the player.

Two tiny scenes (TinyCircle from tests/cli, TinySquare here: first in lecture order, with
a tone in its second beat) rendered once through the command, at low quality.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from relu_anim.batch.manifest import Manifest
from relu_anim.batch.sections import _notes_by_section, add_audio
from relu_anim.present.slides import deck_html

HERE = Path(__file__).parent
TESTS = HERE.parent
SCENES = ("TinyCircle", "TinySquare")
FPS = 15  # low quality
# the fields of manim-slides 5.x's SlideConfig (config.py), which its converter validates
MANIM_SLIDES_FIELDS = {
    "file",
    "rev_file",
    "loop",
    "auto_next",
    "playback_rate",
    "reversed_playback_rate",
    "notes",
    "dedent_notes",
    "skip_animations",
    "src",
    "type",
    "direction",
}


def slides_cmd(out, *args):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS / "cli"), str(HERE), env.get("PYTHONPATH", "")])
    env["RELU_ANIM_EXTRA_SCENES"] = "tiny_scenes,slide_scenes"
    return subprocess.run(
        [sys.executable, "-m", "relu_anim.cli", "slides", "--out", str(out), "--voice", "none"]
        + list(args),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    proc = slides_cmd(out, *SCENES)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "wrote" in proc.stdout and "4 beats of 2 scenes" in proc.stdout
    return out


def entries(out):
    return [Manifest.load(out).scenes[name] for name in SCENES]


def test_each_beat_has_its_clip_from_the_same_render(out):
    import av

    for e in entries(out):
        assert [c["beat"] for c in e.beat_clips] == e.beats
        assert sum(c["frames"] for c in e.beat_clips) == e.frames  # the clips tile the video
        first = 0
        for number, clip in enumerate(e.beat_clips, start=1):
            path = out / clip["path"]
            assert path.name == f"{number:02d}-{clip['beat']}.mp4"
            assert path.parent == out / "low" / "beats" / e.stem
            with av.open(str(path)) as video:
                assert video.streams.video[0].frames == clip["frames"]
            assert clip["start"] == pytest.approx(first / FPS)
            first += clip["frames"]


def test_notes_are_the_lines_said_in_the_beat(out):
    circle, square = entries(out)
    assert [c["notes"] for c in circle.beat_clips] == [["A circle is drawn."], ["And it fades."]]
    assert [c["notes"] for c in square.beat_clips] == [
        ["A square is drawn."],
        ["It fades with a tone."],
    ]


def test_a_sound_reaches_the_clip_of_its_beat(out):
    """The tone starts with the second beat: its clip is loud, the first one silent."""
    import av

    def audio(path):
        with av.open(str(path)) as c:
            return np.concatenate(
                [f.to_ndarray().reshape(-1) for f in c.decode(audio=0)]
            ), c.streams.audio[0].sample_rate

    silent, loud = (out / c["path"] for c in entries(out)[1].beat_clips)
    quiet, _ = audio(silent)
    tone, rate = audio(loud)
    assert all(c["audio"] for c in entries(out)[1].beat_clips)
    assert np.sqrt(np.mean(quiet**2)) < 1e-3
    # the tone (amplitude 12000/32768 = 0.37, RMS 0.26) fills the first second of its beat
    assert np.sqrt(np.mean(tone[: rate // 2] ** 2)) > 0.1
    assert not entries(out)[0].beat_clips[0]["audio"]  # a silent scene stays silent


def test_deck_has_a_slide_per_beat_in_lecture_order_and_fetches_nothing(out):
    page = (out / "low" / "slides.html").read_text()
    beats = re.findall(r'<section class="slide" data-beat="([^"]+)" data-scene="(\w+)"', page)
    # TinySquare (order -1) first although named second
    assert beats == [
        ("draw", "TinySquare"),
        ("fade", "TinySquare"),
        ("draw", "TinyCircle"),
        ("fade", "TinyCircle"),
    ]
    assert re.findall(r'data-scene-title="(\w+)"', page) == ["TinySquare", "TinyCircle"]
    for src in re.findall(r'<video src="([^"]+)"', page):
        assert not src.startswith(("/", "http")) and (out / "low" / src).is_file()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page


def test_manim_slides_files_point_at_the_clips(out):
    for e in entries(out):
        doc = json.loads((out / "low" / "slides" / f"{e.stem}.json").read_text())
        assert doc["resolution"] == [854, 480]
        assert len(doc["slides"]) == len(e.beats)
        for slide, clip in zip(doc["slides"], e.beat_clips, strict=True):
            assert set(slide) == MANIM_SLIDES_FIELDS
            # manim-slides resolves paths against the JSON file's grandparent
            assert (out / "low" / slide["file"]).resolve() == (out / clip["path"]).resolve()
            assert slide["notes"] == "\n".join(clip["notes"])


def test_warm_run_renders_nothing_and_writes_the_same_deck(out):
    before = (out / "low" / "slides.html").read_text()
    proc = slides_cmd(out, *SCENES)
    assert proc.returncode == 0, proc.stderr
    assert "rendered" not in proc.stdout.replace("0 rendered", "")
    assert (out / "low" / "slides.html").read_text() == before


def test_a_lecture_file_names_the_scenes(out, tmp_path):
    lecture = tmp_path / "lecture.toml"
    lecture.write_text('quality = "low"\nscenes = ["TinyCircle", "TinySquare"]\n')
    proc = slides_cmd(out, "--config", str(lecture))
    assert proc.returncode == 0, proc.stderr
    assert "0 rendered" in proc.stdout and "4 beats of 2 scenes" in proc.stdout


def test_embedded_deck_carries_its_clips(out):
    page = deck_html(entries(out), out / "low", embed=True)
    assert page.count('<video src="data:video/mp4;base64,') == 4
    assert "beats/" not in page


@pytest.mark.parametrize(
    "args, message",
    [
        (("NoSuchScene",), "unknown scene 'NoSuchScene'"),
        (("HingeStacking", "--quality", "huge"), "'huge' is not one of"),
        ((), "name the scenes"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "out"
    assert in_process(out, *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and message in err, err
    assert not out.exists()


def test_unwritable_out_is_one_line_and_writes_nothing(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert in_process(blocker / "out", "HingeStacking") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --out") and err.count("\n") == 1, err
    assert sorted(tmp_path.iterdir()) == [blocker]


def in_process(out, *args) -> int:
    """The command's exit code, run in this process (no second Manim import)."""
    from relu_anim.cli import main

    with pytest.raises(SystemExit) as done:
        main(["slides", "--out", str(out), "--voice", "none", *args])
    return done.value.code


def test_caption_lines_go_to_the_section_they_were_said_in():
    # sections start at frames 0, 22, 40; a line said exactly at a boundary opens that beat
    log = [(0.0, "a"), (1.0, "b"), (22 / 15, "c"), (39.4 / 15, "d"), (40 / 15, "e")]
    assert _notes_by_section(log, [0, 22, 40], 15) == [["a", "b"], ["c", "d"], ["e"]]


def test_add_audio_to_a_silent_video_leaves_it_alone(out):
    clip = out / entries(out)[0].beat_clips[0]["path"]
    before = clip.read_bytes()
    assert add_audio(clip, out / "low" / "TinyCircle.mp4", 0.0, 1.0) is False
    assert clip.read_bytes() == before


# -- in a browser, offline ---------------------------------------------------------------------
PLAYING = """() => {
  const v = document.querySelector('.slide:not([hidden]) video');
  return v !== null && v.currentTime > 0.2 && !v.paused;
}"""
CURRENT = """() => {
  const s = document.querySelector('.slide:not([hidden])');
  const v = s.querySelector('video');
  return {beat: s.dataset.beat || null, scene: s.dataset.scene, title: 'sceneTitle' in s.dataset,
          time: v ? v.currentTime : null, paused: v ? v.paused : null, ended: v ? v.ended : null,
          duration: v ? v.duration : null, loop: v ? v.loop : null,
          shown: document.querySelectorAll('.slide:not([hidden])').length};
}"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        subprocess.run(
            ["bash", str(TESTS.parent / "tools" / "bootstrap.sh"), "browser"], check=True
        )
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(chromium),
            args=[
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        yield b
        b.close()


@pytest.mark.browser
def test_the_deck_plays_beat_by_beat_offline(out, browser):
    context = browser.new_context(viewport={"width": 960, "height": 600})
    fetched = []

    def only_files(route):
        fetched.append(route.request.url)
        route.continue_() if route.request.url.startswith("file:") else route.abort()

    context.route("**/*", only_files)
    page = context.new_page()
    page.goto((out / "low" / "slides.html").as_uri())
    assert page.locator("[data-beat]").count() == 4
    first = page.evaluate(CURRENT)
    assert first["title"] and first["scene"] == "TinySquare" and first["shown"] == 1

    page.keyboard.press("ArrowRight")
    page.wait_for_function(PLAYING, timeout=15000)
    now = page.evaluate(CURRENT)
    assert (now["beat"], now["scene"], now["shown"]) == ("draw", "TinySquare", 1)

    page.wait_for_function("() => document.querySelector('.slide:not([hidden]) video').ended")
    end = page.evaluate(CURRENT)  # played once, stopped on its last frame
    assert end["paused"] and not end["loop"] and end["time"] == pytest.approx(end["duration"])

    page.keyboard.press("r")
    page.wait_for_function(PLAYING, timeout=15000)
    assert page.evaluate(CURRENT)["beat"] == "draw"

    page.keyboard.press(" ")
    page.wait_for_function(PLAYING, timeout=15000)
    assert page.evaluate(CURRENT)["beat"] == "fade"
    assert page.locator(".slide:not([hidden]) .notes").is_hidden()
    page.keyboard.press("s")
    assert page.locator(".slide:not([hidden]) .notes").inner_text() == "It fades with a tone."

    page.keyboard.press("ArrowLeft")
    page.wait_for_function(PLAYING, timeout=15000)
    assert page.evaluate(CURRENT)["beat"] == "draw"
    assert all(url.startswith("file:") for url in fetched), fetched
    context.close()


def test_scenes_rendered_before_clips_were_kept_are_rendered_again(out, tmp_path, monkeypatch):
    """An entry without beat clips (an older render) is re-rendered, forced; the entries are
    found by planning when the manifest does not remember the request."""
    import shutil

    from relu_anim.batch.plan import Request
    from relu_anim.lecture.registry import discover
    from relu_anim.present import slides

    old = tmp_path / "old"
    shutil.copytree(out, old)
    doc = json.loads((old / "manifest.json").read_text())
    doc["scenes"]["TinyCircle"]["beat_clips"] = []
    doc["requests"] = {}
    (old / "manifest.json").write_text(json.dumps(doc))
    shutil.rmtree(old / "low" / "beats" / "TinyCircle")
    monkeypatch.syspath_prepend(str(TESTS / "cli"))  # spawned workers inherit sys.path
    monkeypatch.syspath_prepend(str(HERE))
    monkeypatch.setenv("RELU_ANIM_EXTRA_SCENES", "tiny_scenes,slide_scenes")
    monkeypatch.setattr(slides, "request_fingerprint", lambda request: "not remembered")
    discover.cache_clear()
    try:
        found = slides.rendered_entries(Request(SCENES, out=old, voice="none"))
    finally:
        discover.cache_clear()
    assert [e.scene for e in found] == ["TinySquare", "TinyCircle"]
    circle = found[1]
    assert [c["beat"] for c in circle.beat_clips] == circle.beats
    assert all((old / c["path"]).is_file() for c in circle.beat_clips)
    assert found[0].rendered_at == entries(out)[1].rendered_at  # TinySquare was not rendered
