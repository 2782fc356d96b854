"""``relu-anim new``: the generated scene is listed, renders, passes its own test and the linter.

The files are generated into a temporary folder (never into the checkout) and registered for
the run with ``RELU_ANIM_EXTRA_SCENES``, the way a third-party scene module would be.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def run(args, env=None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("newcomer")
    scenes, tests = root / "scenes", root / "tests"
    scenes.mkdir()
    tests.mkdir()
    shutil.copy(ROOT / "tests" / "conftest.py", tests / "conftest.py")  # the tiny fixture
    r = run([BIN / "relu-anim", "new", "MyIdea", "--scenes-dir", scenes, "--tests-dir", tests])
    assert r.returncode == 0, r.stderr
    env = {
        **os.environ,
        "PYTHONPATH": str(scenes),
        "RELU_ANIM_EXTRA_SCENES": "my_idea",
    }
    return root, env


def test_new_writes_a_scene_and_its_test(generated):
    root, _ = generated
    assert (root / "scenes" / "my_idea.py").is_file()
    assert (root / "tests" / "test_my_idea.py").is_file()


def test_generated_files_pass_the_linter(generated):
    root, _ = generated
    files = [root / "scenes" / "my_idea.py", root / "tests" / "test_my_idea.py"]
    config = ["--config", str(ROOT / "pyproject.toml")]
    for cmd in (["check"], ["format", "--check"]):
        r = run([BIN / "ruff", *cmd, *config, *files])
        assert r.returncode == 0, r.stdout + r.stderr


def test_generated_scene_is_listed_and_its_test_passes(generated):
    root, env = generated
    r = run([BIN / "relu-anim", "list"], env=env)
    assert r.returncode == 0 and "MyIdea" in r.stdout, r.stdout + r.stderr
    r = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", root / "tests"], env)
    assert r.returncode == 0 and "3 passed" in r.stdout, r.stdout[-3000:] + r.stderr[-3000:]


def test_generated_scene_renders_and_has_a_storyboard(generated):
    root, env = generated
    out = root / "out"
    r = run(
        [BIN / "relu-anim", "render", "MyIdea", "--quality", "low", "--out", out, "--jobs", "1"],
        env=env,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    entry = json.loads((out / "manifest.json").read_text())["scenes"]["MyIdea"]
    assert entry["beats"] == ["one-unit", "kink", "closing"]
    assert entry["numbers"] == {"kink": 1.0}
    r = run([BIN / "relu-anim", "storyboard", "MyIdea", "--out", root / "board"], env=env)
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in (root / "board").iterdir())
    assert names == ["01-one-unit.png", "02-kink.png", "03-closing.png", "contact.png"]


@pytest.mark.parametrize(
    "name, message",
    [
        ("my_idea", "CamelCase"),
        ("class", "CamelCase"),
        ("HingeStacking", "exists already"),
        ("Bad-Name", "CamelCase"),
    ],
)
def test_bad_names_are_one_line_errors(tmp_path, name, message):
    r = run([BIN / "relu-anim", "new", name, "--scenes-dir", tmp_path, "--tests-dir", tmp_path])
    assert r.returncode == 2
    assert r.stderr.startswith("error: ") and message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_existing_files_are_never_overwritten(tmp_path):
    (tmp_path / "my_idea.py").write_text("# mine\n")
    r = run([BIN / "relu-anim", "new", "MyIdea", "--scenes-dir", tmp_path, "--tests-dir", tmp_path])
    assert r.returncode == 2 and "exists already" in r.stderr
    assert (tmp_path / "my_idea.py").read_text() == "# mine\n"
    assert not (tmp_path / "test_my_idea.py").exists()
