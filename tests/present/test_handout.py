"""relu-anim handout: one PDF section per beat, its text extractable, its numbers the manifest's.

TinyTaught (tests/present/handout_scenes.py: two beats, notes, numbers of every shape) goes
through the command once, rendered by the batch at low quality; the PDF is read back with
pypdf. The bad-input tests need no render.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from relu_anim.present.numbers import block, short

pypdf = pytest.importorskip("pypdf")

HERE = Path(__file__).parent
SCENE = "TinyTaught"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


def handout(out, *args, pythonpath=()):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [*map(str, pythonpath), str(HERE), str(HERE.parent / "cli"), env.get("PYTHONPATH", "")]
    )
    env["RELU_ANIM_EXTRA_SCENES"] = "handout_scenes"
    return subprocess.run(
        [sys.executable, "-m", "relu_anim.cli", "handout", "--out", str(out), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("handout")
    proc = handout(out, SCENE)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    entry = json.loads((out / "manifest.json").read_text())["scenes"][SCENE]
    return out, proc, entry, pypdf.PdfReader(out / "handout.pdf")


def outline(reader) -> list[tuple[int, str, int]]:
    """(level, title, page index) of every bookmark, in order."""
    found = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def beat_texts(reader, beats: list[str]) -> dict[str, str]:
    """Each beat's text: from its heading to the next beat's (or the hints page)."""
    text = "\n".join(page.extract_text() for page in reader.pages)
    heads = [text.index(f"Beat {i}: {name}\n") for i, name in enumerate(beats, 1)]
    ends = [*heads[1:], text.index("Hints to the exercises\n")]
    return {name: text[a:b] for name, a, b in zip(beats, heads, ends, strict=True)}


def flat(value) -> list[float]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in flat(v)]
    if isinstance(value, list):
        return [x for v in value for x in flat(v)]
    return [float(value)]


def printed_tolerance(token: str) -> float:
    """Half a unit in the last printed digit: how far a correctly rounded value can be off."""
    mantissa, _, exponent = token.partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 0.5 * 10.0 ** (int(exponent or 0) - decimals)


def test_one_section_per_beat_in_order(made):
    _, _, entry, reader = made
    marks = outline(reader)
    assert marks[0][:2] == (0, f"Tiny taught ({SCENE})")
    beats = [title for level, title, _ in marks if level == 1]
    assert beats == [f"{i}. {name}" for i, name in enumerate(entry["beats"], 1)]
    assert entry["beats"] == ["draw", "fade"]
    assert marks[-1][:2] == (0, "Hints to the exercises")


def test_text_holds_notes_and_captions(made):
    _, _, entry, reader = made
    text = "\n".join(page.extract_text() for page in reader.pages)
    for words in (
        "A circle of radius r has area pi r squared.",
        "Source: Archimedes, Measurement of a Circle.",
        "1.  Check area against radius.",
        "2.  Its radii grow.",  # a hint, on the hints page
    ):
        assert words in text
    sections = beat_texts(reader, entry["beats"])
    # captions and narration lines, split by the beat starts the manifest records
    assert (
        "A circle is drawn." in sections["draw"] and "Its area is pi r squared." in sections["draw"]
    )
    assert "And it fades." in sections["fade"] and "A circle" not in sections["fade"]


def test_numbers_on_the_page_are_the_manifests(made, monkeypatch):
    """Every number a beat claims is printed in its section, in order, each within half a
    unit of its last printed digit of the manifest's value; unclaimed ones on the scene page."""
    monkeypatch.syspath_prepend(str(HERE.parent / "cli"))  # handout_scenes imports tiny_scenes
    from .handout_scenes import TinyTaught

    _, _, entry, reader = made
    numbers = entry["numbers"]
    sections = beat_texts(reader, entry["beats"])
    checked = 0
    for beat, keys in TinyTaught.teaching.beat_numbers.items():
        for key in keys:
            section = sections[beat]
            after = section[section.index(f"\n{key}") + len(key) + 1 :]
            tokens = NUMBER.findall(after)
            values = flat(numbers[key])
            assert len(tokens) >= len(values), (key, after)
            for token, value in zip(tokens, values, strict=False):
                assert abs(float(token) - value) <= printed_tolerance(token) * (1 + 1e-9), (
                    key,
                    token,
                    value,
                )
                checked += 1
    assert checked == sum(
        len(flat(numbers[k])) for keys in TinyTaught.teaching.beat_numbers.values() for k in keys
    )
    first_page = reader.pages[0].extract_text()
    assert "Numbers of the whole scene\ncount 7" in first_page


def test_frames_are_cached_and_a_repeat_renders_nothing(made):
    out, _, _, _ = made
    frames = sorted((out / "storyboard" / f"{SCENE}-light").glob("[0-9][0-9]-*.png"))
    assert [p.name for p in frames] == ["01-draw.png", "02-fade.png"]
    before = {p: p.stat().st_mtime_ns for p in frames}
    proc = handout(out, SCENE)
    assert proc.returncode == 0, proc.stderr
    assert "rendered" not in proc.stdout  # the batch was not asked: the manifest entry is fresh
    assert {p: p.stat().st_mtime_ns for p in frames} == before  # frames not drawn again


def in_process(out, *args) -> int:
    """The command's exit code, run in this process (no second Manim import)."""
    from relu_anim.cli import main

    with pytest.raises(SystemExit) as done:
        main(["handout", "--out", str(out), *args])
    return done.value.code


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("NoSuchScene",), "error: unknown scene 'NoSuchScene'"),
        ((), "error: name the scenes for the handout, or use --all"),
    ],
)
def test_bad_scene_is_one_line_and_writes_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "out"
    assert in_process(out, *args) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1, err
    assert not out.exists()


def test_unwritable_out_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert in_process(blocker / "out", "DepthFolding") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --out ") and err.count("\n") == 1, err
    assert sorted(tmp_path.iterdir()) == [blocker] and blocker.read_text() == "not a folder"


def test_missing_extra_is_one_line_and_writes_nothing(tmp_path):
    fake = tmp_path / "fake" / "fpdf"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('fpdf2 is not installed')\n")
    out = tmp_path / "out"
    proc = handout(out, SCENE, pythonpath=[fake.parent])
    assert proc.returncode == 2
    assert proc.stderr == (
        "error: the handout needs the handout extra: pip install 'relu-anim[handout]'\n"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.1039657315844631, "0.104"),
        (1329.0515451568483, "1329"),
        (1.27516344429106e-12, "1.275e-12"),
        (12345.6, "1.235e4"),
        (9999.6, "1e4"),
        (-0.9349999999999999, "-0.935"),
        (0.0, "0"),
        (7, "7"),
        (True, "True"),
        ("relu", "relu"),
    ],
)
def test_short_numbers(value, text):
    assert short(value) == text


def test_blocks_lay_out_lists_and_dicts():
    assert block("k", [[1.0, 2.0], [3.0, 4.5]]).rows == (("1", "2"), ("3", "4.5"))
    ring = block("ring", list(range(10)))
    assert [len(r) for r in ring.rows] == [8, 2]
    split = block("split", {"relu": 0.5, "tanh": 0.25})
    assert split.header and split.rows == (("relu", "tanh"), ("0.5", "0.25"))
    assert block("none", []).value == "none"


def test_without_a_script_the_captions_are_split_at_beat_starts(tmp_path):
    from relu_anim.batch.manifest import ManifestEntry
    from relu_anim.present.handout import beat_lines

    cues = [(0.0, "one"), (1.5, "two\nlines"), (2.995, "three"), (4.0, "four")]
    srt = "\n".join(
        f"{i}\n00:00:{t:06.3f} --> 00:00:{t + 0.5:06.3f}\n{text}\n".replace(".", ",")
        for i, (t, text) in enumerate(cues, 1)
    )
    (tmp_path / "s.srt").write_text(srt)
    entry = ManifestEntry(beats=["a", "b"], beat_starts=[0.0, 3.0], captions="s.srt")
    # a cue 5 ms before a beat's recorded start (rounding) opens that beat
    assert beat_lines(entry, tmp_path) == {"a": ("one", "two lines"), "b": ("three", "four")}
    (tmp_path / "s.txt").write_text("S: t\n====\n\n## a\nsaid in a\n\n## b\nb1\nb2\n")
    scripted = ManifestEntry(beats=["a", "b"], captions="s.srt", script="s.txt")
    assert beat_lines(scripted, tmp_path) == {"a": ("said in a",), "b": ("b1", "b2")}
