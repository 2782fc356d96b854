"""Shared fixtures: every test gets its own Manim media dir; scenes render tiny and guarded."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

os.environ.setdefault("RELU_ANIM_FRAME_GUARD", "1")  # scenes built by the CLI in tests are guarded
# Renders in tests are silent unless a test asks for a voice (tests/voice): the default voice
# `auto` would narrate with piper, seconds of synthesis per scene.
os.environ.setdefault("RELU_ANIM_VOICE", "none")

TINY = {"pixel_width": 160, "pixel_height": 90, "frame_rate": 5}


def tiny_render(
    scene_cls,
    media_dir,
    params=None,
    dry_run=True,
    theme="dark",
    on_scene=None,
    scene_args=None,
    **overrides,
):
    """Render ``scene_cls`` in-process at 160x90, 5 fps, guarded, into ``media_dir``.

    ``dry_run=True`` skips encoding (fast; subcaptions and mobjects are still there);
    ``dry_run=False`` writes a real tiny video. ``on_scene(scene)`` runs before rendering
    (to attach beat-end hooks). ``scene_args`` go to the scene's constructor (``voice``,
    ``speech_cache``...). Returns the rendered scene.
    """
    from manim import config, tempconfig

    settings = {
        **TINY,
        "media_dir": str(media_dir),
        "dry_run": dry_run,
        "disable_caching": True,
        "verbosity": "WARNING",
        "progress_bar": "none",
        **overrides,
    }
    unknown = [k for k in settings if k not in config]
    assert not unknown, f"tempconfig would silently ignore {unknown}"
    with tempconfig(settings):
        scene = scene_cls(params, theme=theme, frame_guard=True, **(scene_args or {}))
        if on_scene is not None:
            on_scene(scene)
        scene.render()
    return scene


@pytest.fixture(scope="session")
def tiny():
    """tiny_render, for module-scoped fixtures that render once and share the scene."""
    return tiny_render


def run_cli(*args, scenes=(), path=(), timeout=300):
    """``python -m relu_anim.cli ARGS`` in a child process, with the scene modules ``scenes``
    (importable from the folders ``path``) registered; returns the CompletedProcess."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([*map(str, path), env.get("PYTHONPATH", "")])
    env["RELU_ANIM_EXTRA_SCENES"] = ",".join(scenes)
    return subprocess.run(
        [sys.executable, "-m", "relu_anim.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def cli():
    """run_cli, for tests that drive the command line with their own tiny scenes."""
    return run_cli


@pytest.fixture
def render_scene(tmp_path):
    """render_scene(SceneClass, params=None, dry_run=True, **config) -> the rendered scene."""

    def render(scene_cls, params=None, dry_run=True, **overrides):
        return tiny_render(scene_cls, tmp_path / "media", params, dry_run, **overrides)

    return render


def pytest_sessionfinish(session, exitstatus):
    """A skipped test is a test that did not run: fail the run (RELU_ANIM_ALLOW_SKIPS=1 to allow)."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and os.environ.get("RELU_ANIM_ALLOW_SKIPS") != "1" and exitstatus == 0:
        reporter.write_line(f"error: {skipped} test(s) skipped unexpectedly", red=True)
        session.exitstatus = 1
