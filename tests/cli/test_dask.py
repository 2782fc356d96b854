"""``--executor dask``: a LocalCluster on the loopback interface (two worker processes)
answers a request with the same files and manifest entries as the local executor; a job
whose Dask worker is lost runs again elsewhere (or, out of chances, fails cleanly); a
crashing scene fails alone, leaving no partial file; a missing extra or an unreachable
scheduler is a one-line error."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .test_render import env

SCENES = ("TinyCircle", "TinySquare")
VOICE = ("--voice", "espeak")  # narrated: the soundtrack and the speech cache travel too
TIMINGS = {"render_seconds", "peak_rss_mb", "rendered_at", "speech_seconds"}  # vary by run


def run(out, *args, extra_env=None):
    e = env()
    e["RELU_ANIM_EXTRA_SCENES"] = "tiny_scenes,dask_scenes"
    e.update(extra_env or {})
    cmd = [sys.executable, "-m", "relu_anim.cli", "render", "--out", str(out), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=e, timeout=300)


def entries(out):
    return json.loads((out / "manifest.json").read_text())["scenes"]


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def outputs(out, scene):
    """{path under OUT: sha256} of the files a scene's render left in OUT/low/."""
    files = (p for p in (out / "low").rglob("*") if p.is_file())
    mine = (p for p in files if p.stem == scene or p.parent.name == scene)
    return {p.relative_to(out).as_posix(): sha(p) for p in mine}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The same two scenes rendered locally and on Dask; the Dask run also has LostWorker
    (kills its worker on the first try) and CrashingScene (its process dies: exit code 1)."""
    root = tmp_path_factory.mktemp("dask")
    local = run(root / "local", *SCENES, *VOICE, "--jobs", "2")
    assert local.returncode == 0, local.stdout + local.stderr
    marker = root / "lost-once"
    extra = ("LostWorker", "CrashingScene", "--set", f"LostWorker.marker={marker}")
    tmp = root / "worker-tmp"  # the workers' temp folder, to see what they leave there
    tmp.mkdir()
    args = (*SCENES, *VOICE, *extra, "--jobs", "2", "--executor", "dask")
    dask = run(root / "dask", *args, extra_env={"TMPDIR": str(tmp)})
    assert dask.returncode == 1, dask.stdout + dask.stderr
    return root, dask, marker


def test_same_files_and_manifest_entries_as_a_local_run(runs):
    root, _, _ = runs
    local, dask = entries(root / "local"), entries(root / "dask")
    for scene in SCENES:
        drop = lambda e: {k: v for k, v in e.items() if k not in TIMINGS}  # noqa: E731
        assert drop(dask[scene]) == drop(local[scene]), scene
        # Renders here are byte-identical from run to run (same PyAV, same machine): every
        # output of the scene (video, poster, captions, script, beat clips) is the same file.
        assert outputs(root / "dask", scene) == outputs(root / "local", scene)
        assert len(outputs(root / "local", scene)) >= 4
        assert (root / "dask" / "logs" / f"{scene}.log").is_file()
    assert not (root / "dask" / ".work").exists()


def test_a_job_whose_worker_is_lost_runs_again(runs):
    root, proc, marker = runs
    assert marker.is_file()  # the first try ran, and killed its worker
    assert re.search(r"^LostWorker +rendered", proc.stdout, re.M), proc.stdout
    entry = entries(root / "dask")["LostWorker"]
    assert entry["sha256"] == sha(root / "dask" / entry["path"])


def test_a_crashing_scene_fails_alone_without_partial_files(runs):
    root, proc, _ = runs
    assert "FAILED CrashingScene: worker exited with code 7" in proc.stdout
    assert "3 rendered, 0 unchanged, 1 failed" in proc.stdout
    assert "CrashingScene" not in entries(root / "dask")
    assert not list((root / "dask").rglob("CrashingScene*.mp4"))
    # Each job's folder on its worker is gone (the lost worker's swept by a later job); the
    # machine's speech cache stays for later jobs.
    left = root / "worker-tmp" / "relu-anim-dask"
    assert [p.name for p in left.iterdir()] == ["cache"]
    assert list((left / "cache" / "speech").rglob("*.wav"))
    assert "Traceback" not in proc.stdout + proc.stderr


def test_fresh_jobs_are_skipped_without_a_cluster(runs):
    root, _, _ = runs
    before = (root / "dask" / "low" / "TinyCircle.mp4").stat().st_mtime_ns
    # An unreachable scheduler would fail the run: nothing to render, so none is asked.
    args = (*SCENES, *VOICE, "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1")
    proc = run(root / "dask", *args)
    assert proc.returncode == 0 and "0 rendered, 2 unchanged" in proc.stdout, (
        proc.stdout + proc.stderr
    )
    assert (root / "dask" / "low" / "TinyCircle.mp4").stat().st_mtime_ns == before


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path):
    quick = {"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    args = ("TinyCircle", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1")
    proc = run(tmp_path / "out", *args, extra_env=quick)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("error: cannot reach the Dask scheduler tcp://127.0.0.1:1")
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not list((tmp_path / "out").iterdir())


def test_without_the_extra_the_error_says_what_to_install(tmp_path):
    hidden = tmp_path / "hide" / "distributed"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ImportError('distributed hidden by the test')\n")
    path = f"{hidden.parent}:{env()['PYTHONPATH']}"
    proc = run(tmp_path / "out", "TinyCircle", "--executor", "dask", extra_env={"PYTHONPATH": path})
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().endswith("pip install 'relu-anim[dask]'")
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not list((tmp_path / "out").iterdir())


def test_a_worker_with_other_code_is_told_apart_by_content_not_place(tmp_path, monkeypatch):
    """The digest a worker checks before rendering: equal for the same scene source
    installed elsewhere, different once one byte of it differs."""
    from relu_anim.batch.dask_executor import code_digest
    from relu_anim.batch.plan import Job

    for place in ("here", "there"):
        (tmp_path / place).mkdir()
        (tmp_path / place / "probe_scene_for_dask.py").write_text("import relu_anim.core\n")
    job = Job("Probe", "probe_scene_for_dask", Path("unused"), {}, "low", "mp4", "dark")

    def digest_from(place):
        monkeypatch.syspath_prepend(str(tmp_path / place))  # first on sys.path: found first
        return code_digest(job)

    here = digest_from("here")
    assert digest_from("there") == here
    (tmp_path / "there" / "probe_scene_for_dask.py").write_text("import relu_anim.core  # v2\n")
    assert digest_from("there") != here
    job.module = "no_such_module_for_dask"
    assert code_digest(job) != here


def test_a_job_that_loses_every_worker_is_reported_failed(tmp_path):
    """With no second chance (``allowed-failures`` 0), a lost worker fails its job cleanly."""
    (tmp_path / "tmp").mkdir()  # the killed worker's folder stays there: no later job sweeps it
    once = {"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0", "TMPDIR": str(tmp_path / "tmp")}
    marker = f"LostWorker.marker={tmp_path / 'lost-once'}"
    args = ("LostWorker", "--set", marker, "--executor", "dask", "--jobs", "1")
    proc = run(tmp_path / "out", *args, extra_env=once)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "FAILED LostWorker: every Dask worker that ran it was lost" in proc.stdout
    out = tmp_path / "out"
    assert "KilledWorker" in (out / "logs" / "LostWorker.log").read_text()
    assert not list(out.glob("low/**/LostWorker*")) and not (out / ".work").exists()
    assert "Traceback" not in proc.stdout + proc.stderr
