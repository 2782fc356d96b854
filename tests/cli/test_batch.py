"""Batch engine parts without rendering: choices, the manifest record, cache keys."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from relu_anim.batch import cache, choices
from relu_anim.batch.manifest import Manifest, ManifestEntry

ROOT = Path(__file__).resolve().parents[2]


def test_qualities_are_manims_own_table():
    from manim.constants import QUALITIES

    for q in choices.QUALITIES.values():
        manim_q = QUALITIES[q.manim_name]
        assert q.manim_settings() == {k: manim_q[k] for k in q.manim_settings()}, q.name
    assert choices.QUALITY_NAMES == ("low", "medium", "high", "4k")


def test_choices_and_the_cli_do_not_import_manim():
    probe = "import sys, relu_anim.cli, relu_anim.batch.run; print('manim' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_themes_come_from_the_theme_module():
    from relu_anim.theme import THEMES

    assert tuple(THEMES) == choices.THEMES and choices.DEFAULT_THEME in THEMES


ENTRY = {
    "scene": "S",
    "stem": "S",
    "title": "T",
    "summary": "one line",
    "order": 3,
    "params": {"units": 4},
    "quality": "low",
    "format": "mp4",
    "theme": "dark",
    "voice": "none",
    "voice_id": "none",
    "speech_seconds": 0.0,
    "script": "low/S.txt",
    "aspect": "16:9",
    "burn_captions": False,
    "path": "low/S.mp4",
    "poster": "low/S.png",
    "captions": None,
    "bytes": 11,
    "sha256": "0" * 64,
    "duration": 1.5,
    "frames": 22,
    "width": 854,
    "height": 480,
    "render_seconds": 2.5,
    "peak_rss_mb": 300.0,
    "cache_key": "k",
    "numbers": {"error": 0.1},
    "beats": ["a", "b"],
    "beat_starts": [0.0, 0.8],
    "beat_clips": [],
    "manim_version": "0.22.0",
    "rendered_at": "2025-01-01T00:00:00+0000",
}


def test_a_manifest_entry_keeps_the_json_contract(tmp_path):
    assert len(ENTRY) == 33
    entry = ManifestEntry.from_json(ENTRY)
    assert entry.to_json() == ENTRY and entry.frames == 22
    Manifest({"S": entry}).save(tmp_path)
    doc = json.loads((tmp_path / "manifest.json").read_text())
    assert doc["version"] == 1 and doc["scenes"]["S"] == ENTRY
    assert Manifest.load(tmp_path).entry("S") == entry


def test_a_malformed_entry_is_dropped_not_fatal(tmp_path):
    doc = {"scenes": {"S": ENTRY, "Bad": {"scene": "Bad"}, "Worse": 3}, "requests": {}}
    (tmp_path / "manifest.json").write_text(json.dumps(doc))
    assert list(Manifest.load(tmp_path).scenes) == ["S"]


def test_a_failed_save_leaves_the_manifest_unchanged(tmp_path, monkeypatch):
    from relu_anim.batch import manifest

    m = Manifest()

    def full(path, text):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(manifest, "write_atomic", full)
    with pytest.raises(OSError):
        m.record(ManifestEntry.from_json(ENTRY), tmp_path)
    assert m.scenes == {}


def test_cache_keys_follow_lazy_imports():
    """``from relu_anim.lecture import LectureScene`` loads lecture/scene.py through the
    package's __getattr__: a change there must change every scene's cache key."""
    files = {p.relative_to(ROOT).as_posix() for p in cache.source_files(ROOT / "scenes/gates.py")}
    assert "relu_anim/lecture/scene.py" in files and "relu_anim/theme.py" in files
    assert not any(f.startswith("relu_anim/batch/") for f in files)
    assert "scenes/__init__.py" in files  # the scene is imported as relu_anim.scenes.gates


def test_scene_modules_resolve_under_their_installed_name():
    """scenes/ installs as relu_anim.scenes: a shared scenes/helpers.py imported either way
    (relative or absolute) would be followed."""
    assert cache._module_file("relu_anim.scenes.gates") == ROOT / "scenes" / "gates.py"
    assert cache._module_name(ROOT / "scenes" / "gates.py") == "relu_anim.scenes.gates"
    assert cache._module_name(ROOT / "relu_anim" / "core" / "__init__.py") == "relu_anim.core"


def test_one_hashing_scheme(tmp_path):
    f = tmp_path / "x.txt"
    f.write_bytes(b"abc")
    sha_abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert cache.file_digest(f) == sha_abc
    assert cache.sources_digests([f]) == {str(f.resolve()): sha_abc}
    assert cache.digest({"b": 1, "a": 2}) == cache.digest({"a": 2, "b": 1})


def test_long_jobs_start_first_and_unknown_ones_keep_their_order():
    """With two workers, a long scene started last would render alone at the end."""
    from relu_anim.batch.executor import longest_first
    from relu_anim.batch.plan import Job

    frames = {"A": None, "B": 100, "C": 300, "D": None, "E": 200}
    jobs = [Job(n, "m", Path("s.py"), {}, "low", "mp4", "dark") for n in frames]
    for job in jobs:
        job.expected_frames = frames[job.scene]
    assert [j.scene for j in longest_first(jobs)] == ["C", "E", "B", "A", "D"]
