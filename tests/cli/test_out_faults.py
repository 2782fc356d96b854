"""Faults of the output folder end in one line, never a traceback.

An --out that cannot be created or written: one line ``error: ...`` and exit 2 before any
work. A disk that fills during a batch: the scenes it hits fail with the cause in their log
and the summary, earlier outputs stay intact, exit 1.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from relu_anim.batch import gallery, manifest, plan
from relu_anim.cli import main
from relu_anim.lecture.registry import discover

from .test_render import HERE, render

NO_SPACE = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def one_error_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), text
    assert "Traceback" not in text
    return lines[0]


@pytest.mark.parametrize("where", ["/proc/nope", "a-file/sub"])
def test_an_out_folder_that_cannot_be_created(tmp_path, where):
    (tmp_path / "a-file").write_text("not a folder")
    out = Path(where) if where.startswith("/") else tmp_path / where
    proc = render(out, "TinyCircle", check=2)
    assert "--out" in one_error_line(proc.stderr) and proc.stdout == ""


@pytest.fixture
def in_process(monkeypatch):
    """Run ``relu-anim ARGS`` in this process, with the tiny scenes registered."""
    monkeypatch.syspath_prepend(str(HERE))  # spawned workers inherit sys.path
    monkeypatch.setenv("RELU_ANIM_EXTRA_SCENES", "tiny_scenes")
    discover.cache_clear()

    def run(*args) -> int:
        with pytest.raises(SystemExit) as exit_:
            main([*args])
            raise SystemExit(0)
        return exit_.value.code

    yield run
    discover.cache_clear()


def test_a_read_only_out_folder(tmp_path, in_process, monkeypatch, capsys):
    """As root a chmod does not stop writes, so the write probe meets a read-only fs here."""

    def read_only(folder):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(folder))

    monkeypatch.setattr(plan, "_write_probe", read_only)
    assert in_process("render", "TinyCircle", "--out", str(tmp_path / "out")) == 2
    captured = capsys.readouterr()
    line = one_error_line(captured.err)
    assert "cannot create or write there (Read-only file system)" in line
    assert captured.out == "" and not (tmp_path / "out" / "low").exists()


def test_a_disk_that_fills_during_a_batch(tmp_path, in_process, monkeypatch, capsys):
    """TinyCircle was rendered before; now the disk is full: the new TinyCircle render cannot
    be recorded, DiskFullScene's movie cannot be written, and neither can the gallery."""
    render(tmp_path, "TinyCircle", check=0)
    before = {p.name: p.read_bytes() for p in [*tmp_path.glob("low/*.*"), *tmp_path.glob("*.*")]}

    def full_disk(path, text):
        raise OSError(NO_SPACE.errno, NO_SPACE.strerror, str(path))

    monkeypatch.setattr(manifest, "write_atomic", full_disk)
    monkeypatch.setattr(gallery, "write_atomic", full_disk)
    args = ("TinyCircle", "DiskFullScene", "--set", "TinyCircle.radius=2", "--jobs", "2")
    assert in_process("render", *args, "--out", str(tmp_path)) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "FAILED TinyCircle: rendered, but could not be saved: [Errno 28]" in captured.out
    assert "FAILED DiskFullScene: OSError: [Errno 28] No space left" in captured.out
    assert "PROBLEM index.html not written: [Errno 28] No space left" in captured.out
    assert "No space left" in (tmp_path / "logs" / "DiskFullScene.log").read_text()
    after = {p.name: p.read_bytes() for p in [*tmp_path.glob("low/*.*"), *tmp_path.glob("*.*")]}
    assert after == before  # video, poster, captions, manifest and gallery as they were
    assert not (tmp_path / ".work").exists()


def test_the_gallery_of_a_batch_where_nothing_rendered_names_no_false_cause(
    tmp_path, in_process, capsys
):
    """No manifest yet and every scene failed: the page is written (empty), the cause shown."""
    assert in_process("render", "DiskFullScene", "--out", str(tmp_path)) == 1
    out = capsys.readouterr().out
    assert "No space left on device" in out and "render some scenes first" not in out
    assert "Nothing rendered yet" in (tmp_path / "index.html").read_text()
