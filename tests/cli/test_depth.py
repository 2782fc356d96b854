"""relu-anim depth: the JSON recomputed from its own weights, and one-line errors (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

CLI = [sys.executable, "-m", "relu_anim.cli"]


def run(*args):
    return subprocess.run([*CLI, "depth", *args], capture_output=True, text=True, timeout=120)


def forward(layers, xs):
    """The deep net by hand: ReLU after every layer but the last."""
    a = xs[None, :]
    for i, layer in enumerate(layers):
        a = np.array(layer["W"]) @ a + np.array(layer["b"])[:, None]
        if i < len(layers) - 1:
            a = np.maximum(a, 0)
    return a[0]


@pytest.fixture(scope="module")
def report():
    proc = run("--k", "4", "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_deep_net_is_four_tents_with_sixteen_pieces(report):
    d = report["deep"]
    assert report["k"] == 4 and set(d) >= {"layers", "units", "pieces", "breakpoints"}
    layers = d["layers"]
    assert len(layers) == 5  # 4 hidden layers and the output layer
    assert d["units"] == sum(len(layer["b"]) for layer in layers[:-1]) == 8
    bp = np.array(d["breakpoints"])
    assert d["pieces"] == len(bp) + 1 == 16
    # every breakpoint is a kink: the slopes just left and right of it differ
    h = 1e-6
    left = (forward(layers, bp) - forward(layers, bp - h)) / h
    right = (forward(layers, bp + h) - forward(layers, bp)) / h
    assert np.all(np.abs(right - left) > 1.0)
    # and between them the net is straight: its midpoints lie on the chords
    edges = np.concatenate([[0.0], bp, [1.0]])
    mids = (edges[:-1] + edges[1:]) / 2
    chords = (forward(layers, edges[:-1]) + forward(layers, edges[1:])) / 2
    np.testing.assert_allclose(forward(layers, mids), chords, atol=1e-12)


def test_shallow_fit_follows_the_fit_contract_against_the_deep_net(report):
    s, layers = report["shallow"], report["deep"]["layers"]
    assert set(s) >= {"target", "domain", "units", "method", "W1", "b1", "W2", "b2"}
    assert set(s) >= {"max_abs_error", "rms_error", "steps", "exact_units"}
    W1, b1, W2, b2 = (np.array(s[k]) for k in ("W1", "b1", "W2", "b2"))
    assert W1.shape == (8, 1) and W2.shape == (1, 8) and s["units"] == 8
    xs = np.linspace(*s["domain"], 2001)
    y = (W2 @ np.maximum(W1 @ xs[None, :] + b1[:, None], 0) + b2[:, None])[0]
    err = y - forward(layers, xs)
    assert np.max(np.abs(err)) == pytest.approx(s["max_abs_error"], abs=1e-12)
    assert np.sqrt(np.mean(err**2)) == pytest.approx(s["rms_error"], abs=1e-12)
    assert s["max_abs_error"] >= 0.5  # 9 pieces at most cannot follow 16 teeth within 1/2
    assert s["exact_units"] == 16  # 15 breakpoints and the first slope


def test_table_names_the_numbers():
    proc = run("--k", "3")
    assert proc.returncode == 0, proc.stderr
    assert "2, 4, 8" in proc.stdout and "8 units" in proc.stdout


@pytest.mark.parametrize("k", ["0", "13", "two"])
def test_bad_k_is_one_line_and_exit_2(k):
    proc = run("--k", k)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
