"""Narration through the command line: render, say, and the one-line errors before rendering."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import pytest
from voicing import ENGINES

from relu_anim.batch import cache as cache_module
from relu_anim.batch.plan import RenderError, Request, plan_request
from relu_anim.voice import VOICE_ENV, voice_id
from relu_anim.voice.narration import MAX_LINE_CHARS, NarrationError, check_declared

HERE = Path(__file__).parent
FAST = ENGINES[-1]  # espeak when installed: milliseconds a line
SCENES = {"scenes": ["spoken_scenes"], "path": [HERE]}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, cli):
    """Brief rendered by the batch with a voice."""
    out = tmp_path_factory.mktemp("voiced")
    proc = cli("render", "Brief", "--voice", FAST, "--out", out, **SCENES)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out, json.loads((out / "manifest.json").read_text())["scenes"]["Brief"]


def test_the_batch_records_the_voice_and_stages_the_script(rendered):
    out, entry = rendered
    assert entry["voice"] == FAST and entry["voice_id"] == voice_id(FAST)
    assert entry["speech_seconds"] > 0
    assert entry["script"] == "low/Brief.txt"
    script = (out / entry["script"]).read_text(encoding="utf-8")
    assert script.splitlines()[-3:] == ["## show", "A dot appears, then it goes.", "Gone."]
    srt = (out / "low" / "Brief.srt").read_text(encoding="utf-8")
    assert "A dot appears, then it goes." in srt and "A dot.\n" not in srt  # what is heard
    assert len(list((out / ".cache" / "speech").rglob("*.wav"))) == 2  # OUT's speech cache


@pytest.fixture
def extra_scenes(monkeypatch):
    """The scenes of spoken_scenes.py registered for one in-process test."""
    from relu_anim.lecture.registry import discover

    monkeypatch.setenv("RELU_ANIM_EXTRA_SCENES", "spoken_scenes")
    discover.cache_clear()
    yield
    monkeypatch.undo()
    discover.cache_clear()


@pytest.mark.usefixtures("extra_scenes")
@pytest.mark.parametrize(
    "scene, message",
    [
        ("EmptyNarration", "error: EmptyNarration beat draw (narration): the narration is empty"),
        ("LongNarration", "error: LongNarration beat draw (caption): a spoken line has"),
    ],
)
def test_declared_narration_that_cannot_be_spoken_stops_the_request(
    scene, message, tmp_path, capsys
):
    from relu_anim.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["render", scene, "--voice", FAST, "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.startswith(message), err
    assert err.strip().count("\n") == 0
    assert not (tmp_path / "o" / "low").exists()


def test_declared_text_past_the_limit_is_refused():
    from spoken_scenes import EmptyNarration, LongNarration, Spoken

    with pytest.raises(NarrationError, match=f"more than {MAX_LINE_CHARS}"):
        check_declared(LongNarration)
    with pytest.raises(NarrationError, match="empty"):
        check_declared(EmptyNarration)
    check_declared(Spoken)


def test_a_voice_that_is_not_installed_is_a_request_error(monkeypatch, tmp_path):
    import relu_anim.voice as voice

    monkeypatch.setattr(voice, "piper_installed", lambda: False)
    with pytest.raises(RenderError, match=r"relu-anim\[voice\]"):
        plan_request(Request(scenes=("HingeStacking",), voice="piper", out=tmp_path))


def test_the_voice_is_part_of_the_cache_key_and_the_fingerprint(monkeypatch, tmp_path):
    plan = plan_request(Request(scenes=("HingeStacking",), voice=FAST, out=tmp_path))
    key = plan.jobs[0].key
    monkeypatch.setattr(cache_module, "voice_id", lambda engine: engine + "-next-version")
    assert cache_module.cache_key(plan.jobs[0]) != key
    request = Request(scenes=("HingeStacking",), out=tmp_path)
    before = cache_module.request_fingerprint(request)
    monkeypatch.setenv(VOICE_ENV, "auto")
    assert cache_module.request_fingerprint(request) != before


def test_say_reports_timings_and_writes_a_wav(tmp_path, cli):
    out = tmp_path / "line.wav"
    proc = cli("say", "Hello there. How are you?", "--voice", FAST, "--out", out, "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["voice"] == voice_id(FAST)
    assert [s["text"] for s in report["sentences"]] == ["Hello there.", "How are you?"]
    with wave.open(str(out)) as w:
        assert w.getnframes() / w.getframerate() == pytest.approx(report["duration"], abs=1e-3)


@pytest.mark.parametrize(
    "args, message",
    [
        (["   "], "error: say: the narration is empty"),
        (["hi", "--out", "/no/such/folder/x.wav"], "error: --out /no/such/folder/x.wav"),
        (["hi", "--voice", "nobody"], "error: Invalid value for '--voice'"),
    ],
)
def test_say_refuses_bad_input_in_one_line(args, message, cli):
    proc = cli("say", *args)
    assert proc.returncode == 2 and proc.stderr.startswith(message), proc.stderr
    assert proc.stderr.strip().count("\n") == 0
