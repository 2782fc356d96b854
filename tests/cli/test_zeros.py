"""relu-anim zeros: the JSON recomputed from its own weights, and one-line errors (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

CLI = [sys.executable, "-m", "relu_anim.cli"]


def run(*args):
    return subprocess.run([*CLI, "zeros", *args], capture_output=True, text=True, timeout=120)


def test_json_numbers_recompute_from_the_weights():
    proc = run("--hidden", "5", "--seed", "3", "--json")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    keys = {"W", "b", "box", "recoverable_fraction", "max_reconstruction_error"}
    assert set(d) >= keys | {"threshold", "sparsity", "snr_in_db", "snr_out_db"}
    W, b, box = np.array(d["W"]), np.array(d["b"]), d["box"]
    assert W.shape == (5, 2) and b.shape == (5,)
    # recompute by hand: a uniform grid over the box, open rows, rank, least squares
    xs = np.linspace(-box, box, d["grid"])
    pts = np.array([(x, y) for y in xs for x in xs])
    h = np.maximum(pts @ W.T + b, 0)
    ok, worst = [], 0.0
    for x, hx in zip(pts, h, strict=True):
        o = hx > 0
        s = np.linalg.svd(W[o], compute_uv=False) if o.sum() >= 2 else np.zeros(1)
        good = o.sum() >= 2 and s[-1] > 1e-6 * s[0]
        ok.append(good)
        if good:
            x_hat = np.linalg.lstsq(W[o], hx[o] - b[o], rcond=None)[0]
            worst = max(worst, float(np.linalg.norm(x_hat - x)))
    assert d["recoverable_fraction"] == pytest.approx(np.mean(ok), abs=1e-12)
    assert d["max_reconstruction_error"] == pytest.approx(worst, abs=1e-12)
    assert d["max_reconstruction_error"] < 1e-9
    assert 0 < d["sparsity"] < 1 and d["snr_out_db"] > d["snr_in_db"] and d["threshold"] > 0


def test_table_is_readable():
    proc = run("--hidden", "3")
    assert proc.returncode == 0
    assert "recoverable" in proc.stdout and "SNR" in proc.stdout and "zeros" in proc.stdout


@pytest.mark.parametrize(
    "args", [["--hidden", "0"], ["--hidden", "17"], ["--seed", "-1"], ["--hidden", "x"]]
)
def test_bad_input_is_one_line_and_exit_2(args):
    proc = run(*args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 or "Usage" in proc.stderr  # click's own usage errors for non-ints
    if "--hidden" in args and args[1] != "x":
        assert lines == ["error: --hidden must be from 1 to 16"]
