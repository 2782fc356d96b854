"""The render engine end to end, on two tiny scenes (tests/cli/tiny_scenes.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def env():
    e = dict(os.environ)
    e["PYTHONPATH"] = os.pathsep.join([str(HERE), e.get("PYTHONPATH", "")])
    e["RELU_ANIM_EXTRA_SCENES"] = "tiny_scenes"
    return e


def render(out, *args, check=None):
    proc = subprocess.run(
        [sys.executable, "-m", "relu_anim.cli", "render", "--out", str(out), *args],
        capture_output=True,
        text=True,
        env=env(),
        timeout=300,
    )
    if check is not None:
        assert proc.returncode == check, proc.stdout + proc.stderr
    return proc


def manifest(out):
    return json.loads((out / "manifest.json").read_text())["scenes"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """One real batch: TinyCircle renders; BrokenScene raises, CrashingScene's process dies
    hard, DiskFullScene's movie writer meets a full disk; exit code 1."""
    out = tmp_path_factory.mktemp("renders")
    scenes = ("TinyCircle", "BrokenScene", "CrashingScene", "DiskFullScene")
    proc = render(out, *scenes, "--jobs", "2", check=1)
    return out, proc


def test_outputs_are_complete_and_recorded(rendered):
    import av

    out, _ = rendered
    video = out / "low" / "TinyCircle.mp4"
    assert video.is_file() and (out / "low" / "TinyCircle.png").is_file()
    srt = (out / "low" / "TinyCircle.srt").read_text()
    assert "A circle is drawn." in srt and "And it fades." in srt
    e = manifest(out)["TinyCircle"]
    with av.open(str(video)) as c:
        s = c.streams.video[0]
        assert (s.codec_context.width, s.codec_context.height) == (854, 480)
        frames = sum(1 for _ in c.decode(s))
    assert e["frames"] == frames == 45  # 3 s at 15 fps: two beats of 1.5 s (captions' reading time)
    assert e["duration"] == pytest.approx(3.0, abs=0.07)
    assert e["bytes"] == video.stat().st_size and len(e["sha256"]) == 64
    assert e["numbers"]["area"] == pytest.approx(3.14159, rel=1e-5)
    assert e["params"] == {"radius": 1.0, "label": "tiny"} and e["beats"] == ["draw", "fade"]
    assert not (out / ".work").exists()


def test_failure_is_isolated_and_logged(rendered):
    out, proc = rendered
    assert "BrokenScene" not in manifest(out)
    log = (out / "logs" / "BrokenScene.log").read_text()
    assert "this scene fails on purpose" in log and "Traceback" in log
    assert "FAILED BrokenScene" in proc.stdout
    assert not list((out / "low").glob("BrokenScene*"))
    assert "Traceback" not in proc.stdout + proc.stderr


def test_a_hard_crash_fails_that_scene_only(rendered):
    out, proc = rendered
    assert "FAILED CrashingScene: worker exited with code 7" in proc.stdout
    assert "CrashingScene" not in manifest(out) and "TinyCircle" in manifest(out)
    assert "1 rendered, 0 unchanged, 3 failed" in proc.stdout


def test_a_full_disk_fails_the_scene_it_hits_with_the_cause(rendered):
    out, proc = rendered
    cause = "No space left on device"
    assert f"FAILED DiskFullScene: OSError: [Errno 28] {cause}" in proc.stdout
    assert cause in (out / "logs" / "DiskFullScene.log").read_text()
    assert not list((out / "low").glob("DiskFullScene*"))


def test_unchanged_jobs_are_skipped_and_force_rerenders(rendered):
    out, _ = rendered
    before = (out / "low" / "TinyCircle.mp4").stat().st_mtime_ns
    proc = render(out, "TinyCircle", check=0)
    assert "skipped" in proc.stdout
    assert (out / "low" / "TinyCircle.mp4").stat().st_mtime_ns == before
    proc = render(out, "TinyCircle", "--force", check=0)
    assert "rendered" in proc.stdout
    assert (out / "low" / "TinyCircle.mp4").stat().st_mtime_ns != before


def test_a_changed_parameter_or_a_tampered_file_rerenders(tmp_path):
    render(tmp_path, "TinyCircle", check=0)
    key = manifest(tmp_path)["TinyCircle"]["cache_key"]
    proc = render(tmp_path, "TinyCircle", "--set", "TinyCircle.radius=1.5", check=0)
    assert "rendered" in proc.stdout and manifest(tmp_path)["TinyCircle"]["cache_key"] != key
    (tmp_path / "low" / "TinyCircle.mp4").write_bytes(b"not a video")
    proc = render(tmp_path, "TinyCircle", "--set", "TinyCircle.radius=1.5", check=0)
    assert "rendered" in proc.stdout


def test_config_file_and_flags(tmp_path):
    cfg = tmp_path / "lecture.toml"
    cfg.write_text('quality = "medium"\nformat = "webm"\n[scene.TinyCircle]\nradius = 0.5\n')
    render(tmp_path / "out", "TinyCircle", "--config", str(cfg), check=0)
    e = manifest(tmp_path / "out")["TinyCircle"]
    assert (e["quality"], e["format"], e["params"]["radius"]) == ("medium", "webm", 0.5)
    assert (tmp_path / "out" / "medium" / "TinyCircle.webm").is_file()
    # command-line flags win over the file
    render(tmp_path / "out", "TinyCircle", "--config", str(cfg), "--format", "mp4", check=0)
    assert manifest(tmp_path / "out")["TinyCircle"]["format"] == "mp4"


@pytest.mark.parametrize(
    "args, message",
    [
        (("TinyCirle",), "did you mean TinyCircle"),
        (("TinyCircle", "--set", "radus=2"), "valid: label, radius"),
        (("TinyCircle", "--set", "TinyCircle.radius=9"), "radius must be"),
        (("TinyCircle", "--set", "TinyCircle.radius=big"), "bad value"),
        (("TinyCircle", "--set", "noequals"), "KEY=VALUE"),
        (("TinyCircle", "--set", "BrokenScene.radius=1"), "not among the scenes"),
        ((), "--all"),
    ],
)
def test_bad_requests_render_nothing(tmp_path, args, message):
    proc = render(tmp_path, *args, check=2)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert not (tmp_path / "low").exists()


def test_bad_config_file(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("quality = [unclosed\n")
    proc = render(tmp_path, "TinyCircle", "--config", str(cfg), check=2)
    assert "not valid TOML" in proc.stderr
    cfg.write_text('colour = "red"\n')
    assert "unknown key" in render(tmp_path, "TinyCircle", "--config", str(cfg), check=2).stderr


@pytest.mark.parametrize("how", ["ctrl-c", "kill"])
def test_interrupt_leaves_previous_outputs_intact(tmp_path, how):
    render(tmp_path, "TinyCircle", check=0)
    video = tmp_path / "low" / "TinyCircle.mp4"
    sha = manifest(tmp_path)["TinyCircle"]["sha256"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "relu_anim.cli", "render", "--out", str(tmp_path)]
        + ["TinyCircle", "--force", "--quality", "high"],
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while not list((tmp_path / ".work").glob("*/media")) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # inside the render
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
    else:
        os.kill(proc.pid, signal.SIGTERM)  # only the batch process: it must stop its workers
    proc.wait(60)
    time.sleep(1.5)  # let any orphan notice (it must not write anything)
    assert proc.returncode != 0
    assert not (tmp_path / "high").exists() or not list((tmp_path / "high").iterdir())
    assert manifest(tmp_path)["TinyCircle"]["sha256"] == sha and video.is_file()
    assert not (tmp_path / ".work").exists()


def session_members(sid: int) -> list[int]:
    """Live processes of session ``sid`` (Linux /proc; field 6 of stat is the session id)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            pids.append(int(stat.parent.name))
    return pids


def test_workers_die_with_their_batch_process_even_on_sigkill(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "relu_anim.cli", "render", "--out", str(tmp_path)]
        + ["TinyCircle", "--quality", "high"],
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while not list((tmp_path / ".work").glob("*/media")) and time.time() < deadline:
        time.sleep(0.05)
    assert len(session_members(proc.pid)) >= 2  # the batch and its worker
    os.kill(proc.pid, signal.SIGKILL)  # no chance to clean up: the worker must notice
    proc.wait(10)
    deadline = time.time() + 10
    while session_members(proc.pid) and time.time() < deadline:
        time.sleep(0.1)
    assert session_members(proc.pid) == []
    assert not (tmp_path / "high").exists() or not list((tmp_path / "high").iterdir())


def test_noop_rerender_takes_the_fast_path_and_notices_source_changes(tmp_path, monkeypatch):
    scene_dir = tmp_path / "mods"
    scene_dir.mkdir()
    source = (HERE / "tiny_scenes.py").read_text()
    (scene_dir / "tiny_copy.py").write_text(source)
    e = env()
    e["PYTHONPATH"] = os.pathsep.join([str(scene_dir), e["PYTHONPATH"]])
    e["RELU_ANIM_EXTRA_SCENES"] = "tiny_copy"
    cmd = [sys.executable, "-m", "relu_anim.cli", "render", "TinyCircle", "--out", str(tmp_path)]
    first = subprocess.run(cmd, env=e, capture_output=True, text=True, timeout=300)
    assert "1 rendered" in first.stdout, first.stderr
    probe = "import sys, runpy; sys.argv = ['relu-anim', *sys.argv[1:]]; "
    probe += "from relu_anim.cli import main\ntry: main()\nfinally: print('manim' in sys.modules)"
    again = subprocess.run(
        [sys.executable, "-c", probe, "render", "TinyCircle", "--out", str(tmp_path)],
        env=e,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "1 unchanged" in again.stdout and again.stdout.strip().endswith("False"), again
    (scene_dir / "tiny_copy.py").write_text(source.replace("run_time=0.6", "run_time=0.8"))
    changed = subprocess.run(cmd, env=e, capture_output=True, text=True, timeout=300)
    assert "1 rendered" in changed.stdout, changed.stderr


def test_config_scene_list_must_be_names(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("scenes = 3\n")
    assert "list of scene names" in render(tmp_path, "--config", str(cfg), check=2).stderr
