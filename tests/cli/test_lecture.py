"""``relu-anim lecture`` end to end on two tiny scenes: TinyCircle (silent, order 100) then
ToneSecond (order 101; a 440 Hz tone starts with its second beat), at low quality (15 fps)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
import srt

from relu_anim.present.remux import JoinError, Part, check_joinable, join, probe_part

from .lecture_scenes import TONE_SECONDS
from .test_gallery import chromium, page_report  # noqa: F401 - the fixture

HERE = Path(__file__).parent
FRAME = 1 / 15  # low quality's frame rate
NAMED = ("ToneSecond", "TinyCircle")  # out of order on purpose: the lecture follows `order`


def lecture(out, *args, check=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")])
    env["RELU_ANIM_EXTRA_SCENES"] = "tiny_scenes,lecture_scenes"
    proc = subprocess.run(
        [sys.executable, "-m", "relu_anim.cli", "lecture", "--out", str(out), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    if check is not None:
        assert proc.returncode == check, proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("lecture")
    proc = lecture(out, *NAMED, "--voice", "none", check=0)
    assert "2 rendered" in proc.stdout and "lecture: 2 scenes" in proc.stdout
    return out


def record(out) -> dict:
    return json.loads((out / "low" / "lecture.json").read_text())


def scene(out, name) -> dict:
    return json.loads((out / "manifest.json").read_text())["scenes"][name]


def test_the_lecture_is_its_scenes_one_after_another(out):
    rec = record(out)
    assert [c["scene"] for c in rec["chapters"]] == ["TinyCircle", "ToneSecond"]
    first, second = (scene(out, n) for n in ("TinyCircle", "ToneSecond"))
    joined = probe_part(out / rec["path"])
    parts = [probe_part(out / e["path"]) for e in (first, second)]
    assert joined.duration == parts[0].duration + parts[1].duration  # exact: whole frames
    # and the manifest's durations (rounded to ms) agree within a frame per scene
    assert abs(rec["duration"] - first["duration"] - second["duration"]) <= 2 * FRAME
    with av.open(str(out / rec["path"])) as c:
        frames = sum(1 for _ in c.decode(c.streams.video[0]))
    assert frames == first["frames"] + second["frames"]


def _packets(path) -> list[bytes]:
    with av.open(str(path)) as c:
        return [bytes(p) for p in c.demux(c.streams.video[0]) if p.dts is not None]


def test_the_picture_is_copied_not_encoded_again(out):
    rec = record(out)
    scenes = [c["path"] for c in rec["chapters"]]
    assert _packets(out / rec["path"]) == _packets(out / scenes[0]) + _packets(out / scenes[1])


def test_chapters_mark_each_scene_and_the_record_each_beat(out):
    rec = record(out)
    first = scene(out, "TinyCircle")
    split = float(probe_part(out / first["path"]).duration)
    with av.open(str(out / rec["path"])) as c:
        marks = [(ch["metadata"]["title"], ch["start"] * ch["time_base"]) for ch in c.chapters()]
    assert [t for t, _ in marks] == ["Tiny circle", "Tone second"]
    assert [float(s) for _, s in marks] == pytest.approx([0, split], abs=1e-3)
    for chapter in rec["chapters"]:
        m = scene(out, chapter["scene"])
        starts = [b["start"] for b in chapter["beats"]]
        assert [b["name"] for b in chapter["beats"]] == m["beats"]
        assert starts == pytest.approx([chapter["start"] + t for t in m["beat_starts"]], abs=1e-3)
        assert starts[0] == chapter["start"] and starts == sorted(starts)
        assert chapter["beats"][-1]["end"] == chapter["end"]
    assert rec["chapters"][1]["beats"][1]["caption"] == "A tone sounds as it fades."


def _sound(path) -> tuple[np.ndarray, int]:
    with av.open(str(path)) as c:
        stream = c.streams.audio[0]
        chunks = [f.to_ndarray() for f in c.decode(stream)]
        return np.concatenate(chunks, axis=1)[0], stream.sample_rate


def test_sound_is_silence_for_the_silent_scene_and_the_tone_in_place(out):
    rec = record(out)
    samples, rate = _sound(out / rec["path"])
    assert rec["audio"] and [c["audio"] for c in rec["chapters"]] == [False, True]
    assert abs(len(samples) / rate - rec["duration"]) <= FRAME
    second = rec["chapters"][1]
    tone_at = second["beats"][1]["start"]
    # TinyCircle is digital silence (AAC codes zeros as zeros), up to the codec's pre-echo
    # of one 1024-sample block (21 ms) before the tone
    assert np.abs(samples[: int((tone_at - 0.05) * rate)]).max() < 1e-4
    onset = np.argmax(np.abs(samples) > 0.05) / rate
    assert onset == pytest.approx(tone_at, abs=FRAME)
    # the tone as loud as in ToneSecond's own video (Manim spreads the mono tone over two
    # channels at -3 dB); a second AAC generation moves a pure tone's RMS by well under 5 %
    own, own_rate = _sound(out / second["path"])
    assert own_rate == rate
    held = lambda x, t: x[int((t + 0.1) * rate) : int((t + TONE_SECONDS - 0.1) * rate)]  # noqa: E731
    rms = lambda x: float(np.sqrt(np.mean(x**2)))  # noqa: E731
    local = tone_at - second["start"]
    assert rms(held(samples, tone_at)) == pytest.approx(rms(held(own, local)), rel=0.05)
    assert rms(held(own, local)) > 0.2


def test_captions_are_the_scenes_cues_moved_to_their_scene(out):
    rec = record(out)
    got = list(srt.parse((out / rec["captions"]).read_text()))
    want = []
    for chapter in rec["chapters"]:
        cues = srt.parse((out / scene(out, chapter["scene"])["captions"]).read_text())
        for cue in cues:
            start = cue.start.total_seconds() + chapter["start"]
            want.append((start, min(cue.end.total_seconds() + chapter["start"], chapter["end"])))
            want[-1] += (cue.content,)
    assert len(got) == len(want) == 4
    for cue, (start, end, text) in zip(got, want, strict=True):
        assert cue.content == text
        assert cue.start.total_seconds() == pytest.approx(start, abs=1e-3)  # whole ms
        assert cue.end.total_seconds() == pytest.approx(end, abs=1e-3)
    vtt = (out / rec["webvtt"]).read_text()
    assert vtt.startswith("WEBVTT") and vtt.count(" --> ") == 4


def test_a_second_run_changes_nothing(out):
    files = [out / "low" / f"lecture.{ext}" for ext in ("mp4", "srt", "vtt", "json")]
    before = [f.stat().st_mtime_ns for f in files]
    proc = lecture(out, *NAMED, "--voice", "none", check=0)
    assert "lecture unchanged" in proc.stdout and "0 rendered" in proc.stdout
    assert [f.stat().st_mtime_ns for f in files] == before


def test_beat_chapters_join_again_without_rendering(out, tmp_path):
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    proc = lecture(copy, *NAMED, "--voice", "none", "--chapters", "beat", check=0)
    assert "0 rendered" in proc.stdout and "lecture: 2 scenes, 4 beats" in proc.stdout
    rec = record(copy)
    with av.open(str(copy / rec["path"])) as c:
        marks = [
            (ch["metadata"]["title"], float(ch["start"] * ch["time_base"])) for ch in c.chapters()
        ]
    beats = [b for ch in rec["chapters"] for b in ch["beats"]]
    assert [t for t, _ in marks] == [
        "Tiny circle: Draw",
        "Tiny circle: Fade",
        "Tone second: Draw",
        "Tone second: Sound",
    ]
    assert [s for _, s in marks] == pytest.approx([b["start"] for b in beats], abs=1e-3)
    assert _packets(copy / rec["path"]) == _packets(out / "low" / "lecture.mp4")


def test_the_gallery_shows_the_lecture_first_with_its_chapters(out):
    page = (out / "index.html").read_text()
    lecture_at, first_card = page.index('class="lecture"'), page.index('class="card"')
    assert lecture_at < first_card
    section = page[lecture_at:first_card]
    assert 'src="low/lecture.mp4"' in section and "data:text/vtt;base64," in section
    starts = [float(s) for s in re.findall(r'data-start="([0-9.]+)"', section)]
    rec = record(out)
    want = [t for c in rec["chapters"] for t in [c["start"], *(b["start"] for b in c["beats"])]]
    assert starts == pytest.approx(want, abs=1e-4)


CLICK = """
<script>
window.addEventListener('load', async () => {
  const video = document.querySelector('.lecture video');
  if (video.readyState < 1) { await new Promise(r => video.addEventListener('loadedmetadata', r)); }
  const second = document.querySelectorAll('.lecture .chapters > li > a')[1];
  second.click();  // the page sets currentTime at once; decoding there is the browser's part
  document.body.setAttribute('data-report', JSON.stringify(
    {time: video.currentTime, start: parseFloat(second.dataset.start), error: video.error}));
});
</script>
"""


@pytest.mark.browser
def test_clicking_a_chapter_seeks_the_lecture(out, chromium, tmp_path):  # noqa: F811
    report = page_report(chromium, out / "index.html", CLICK, tmp_path / "profile")
    assert report["error"] is None and report["start"] > 1
    assert report["time"] == pytest.approx(report["start"], abs=FRAME)


@pytest.mark.parametrize(
    "args, says",
    [
        (["NoSuchScene"], "unknown scene"),
        (["TinyCircle", "--quality", "ultra"], "--quality"),
        (["TinyCircle", "--voice", "robot"], "--voice"),
        (["TinyCircle", "--format", "gif"], "--format"),
        (["TinyCircle", "--config", "{gif}"], "mp4 or webm"),
        (["TinyCircle", "--chapters", "pages"], "--chapters"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, args, says):
    out = tmp_path / "new"
    gif = tmp_path / "gif.toml"
    gif.write_text('format = "gif"\n')
    proc = lecture(out, *(a.format(gif=gif) for a in args), check=2)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and says in lines[0], proc.stderr
    assert not out.exists()


def test_an_output_folder_that_is_a_file_is_refused(tmp_path):
    out = tmp_path / "taken"
    out.write_text("not a folder")
    proc = lecture(out, "TinyCircle", "--voice", "none", check=2)
    assert proc.stderr.startswith("error:") and "Traceback" not in proc.stderr
    assert out.read_text() == "not a folder"


# -- the join itself, in process -------------------------------------------------------------
def test_silent_scenes_join_into_a_video_without_sound(out, tmp_path):
    part = probe_part(out / scene(out, "TinyCircle")["path"])
    assert not part.has_audio
    dest = tmp_path / "two.mp4"
    assert join([part, part], dest, "mp4", [], "two") is False
    with av.open(str(dest)) as c:
        assert (
            not c.streams.audio
            and c.streams.video[0].frames == 2 * scene(out, "TinyCircle")["frames"]
        )


def test_parts_encoded_differently_are_refused_by_name():
    facts = (("codec", "h264"), ("size", "854x480"), ("frame rate", "15"))
    a = Part(Path("a.mp4"), Fraction(1), facts, None)
    b = Part(Path("b.mp4"), Fraction(1), (*facts[:2], ("frame rate", "30")), None)
    check_joinable([a, a])
    with pytest.raises(JoinError, match="b.mp4 to a.mp4 .*frame rate 30 differs from 15"):
        check_joinable([a, b])


def test_a_webm_lecture_carries_opus_sound_and_chapters(tmp_path):
    out = tmp_path / "webm"
    lecture(out, "ToneSecond", "--voice", "none", "--format", "webm", check=0)
    rec = record(out)
    assert rec["path"] == "low/lecture.webm" and rec["audio"]
    with av.open(str(out / rec["path"])) as c:
        assert c.streams.audio[0].codec_context.name == "opus"
        assert [ch["metadata"]["title"] for ch in c.chapters()] == ["Tone second"]
    samples, rate = _sound(out / rec["path"])
    tone_at = rec["chapters"][0]["beats"][1]["start"]
    assert np.argmax(np.abs(samples) > 0.05) / rate == pytest.approx(tone_at, abs=FRAME)


def test_a_lecture_record_the_gallery_cannot_read_is_left_out(tmp_path):
    from relu_anim.batch.gallery import write_gallery
    from relu_anim.batch.manifest import Manifest

    (tmp_path / "low").mkdir()
    (tmp_path / "low" / "lecture.mp4").write_bytes(b"")
    (tmp_path / "low" / "lecture.json").write_text('{"path": "low/lecture.mp4", "chapters": 3}')
    page = write_gallery(tmp_path, Manifest()).read_text()
    assert 'class="lecture"' not in page and "Nothing rendered yet" in page


def _small_video(path: Path) -> None:
    """A 64x64 h264 clip of 5 frames: joinable with nothing the batch renders."""
    with av.open(str(path), "w") as c:
        s = c.add_stream("libx264", rate=15)
        s.width = s.height = 64
        s.pix_fmt = "yuv420p"
        for i in range(5):
            frame = av.VideoFrame.from_ndarray(np.full((64, 64, 3), 40 * i, np.uint8), "rgb24")
            c.mux(s.encode(frame))
        c.mux(s.encode(None))


def test_a_join_that_fails_leaves_nothing_behind(out, tmp_path):
    from relu_anim.batch.manifest import ManifestEntry
    from relu_anim.present.lecture import write_lecture

    copy = tmp_path / "out"
    (copy / "low").mkdir(parents=True)
    first = ManifestEntry.from_json(scene(out, "TinyCircle"))
    shutil.copy(out / first.path, copy / first.path)
    _small_video(copy / "low" / "Odd.mp4")
    odd = ManifestEntry(scene="Odd", stem="Odd", path="low/Odd.mp4", sha256="x", cache_key="y")
    with pytest.raises(JoinError, match="size 64x64 differs from 854x480"):
        write_lecture(copy, [first, odd], copy / "low" / "lecture.mp4", "scene", "key")
    assert sorted(p.name for p in (copy / "low").iterdir()) == ["Odd.mp4", "TinyCircle.mp4"]


def test_the_gallery_says_when_a_scene_was_rendered_again_since(out):
    from relu_anim.batch.gallery import render_gallery
    from relu_anim.batch.manifest import Manifest

    manifest = Manifest.load(out)
    assert "Joined from earlier renders" not in render_gallery(out, manifest)
    manifest.scenes["ToneSecond"].cache_key = "rendered-again"
    assert "Joined from earlier renders of ToneSecond" in render_gallery(out, manifest)
