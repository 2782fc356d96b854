"""relu-anim towers: the JSON's sigmoid net, recomputed from its weights, has the errors it reports."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

CLI = [sys.executable, "-m", "relu_anim.cli"]


def run(*args, check=True):
    proc = subprocess.run([*CLI, "towers", *args], capture_output=True, text=True, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def report():
    args = ("--target", "exp(-x*x)", "--domain", "-2", "2", "--units", "12", "--steepness", "30")
    return json.loads(run(*args, "--sweep", "8,16,32,64,128", "--json").stdout)


def test_the_sigmoid_net_from_its_json_weights_has_the_reported_errors(report):
    W1, b1, W2, b2 = (np.array(report[k]) for k in ("W1", "b1", "W2", "b2"))
    assert W1.shape == (12, 1) and b1.shape == (12,) and W2.shape == (1, 12) and b2.shape == (1,)
    xs = np.linspace(-2, 2, 2001)  # the contract's grid: uniform, 2001 points
    hidden = 1.0 / (1.0 + np.exp(-(np.outer(xs, W1[:, 0]) + b1)))  # |z| < 700: no overflow
    r = hidden @ W2[0] + b2[0] - np.exp(-xs * xs)
    # the same sums in another order: agreement to ~1e-15 relative, far inside 1e-12
    assert np.max(np.abs(r)) == pytest.approx(report["max_abs_error"], rel=1e-12, abs=1e-15)
    assert np.sqrt(np.mean(r * r)) == pytest.approx(report["rms_error"], rel=1e-12, abs=1e-15)
    # steepness 30 over the spacing 4 / 13: every unit equally steep
    np.testing.assert_allclose(W1[:, 0], 30 / (4 / 13), rtol=1e-12)


def test_the_hinges_follow_the_fit_contract_and_their_errors_are_true(report):
    h = report["hinges"]
    assert {"target", "domain", "units", "method", "W1", "b1", "W2", "b2"} <= set(h)
    assert h["units"] == 12 and h["domain"] == [-2.0, 2.0] and h["target"] == "exp(-x*x)"
    W1, b1, W2, b2 = (np.array(h[k]) for k in ("W1", "b1", "W2", "b2"))
    xs = np.linspace(-2, 2, 2001)
    r = np.maximum(np.outer(xs, W1[:, 0]) + b1, 0) @ W2[0] + b2[0] - np.exp(-xs * xs)
    assert np.max(np.abs(r)) == pytest.approx(h["max_abs_error"], rel=1e-9, abs=1e-15)
    assert np.sqrt(np.mean(r * r)) == pytest.approx(h["rms_error"], rel=1e-9, abs=1e-15)


def test_the_sweep_reports_both_errors_and_their_log_log_slopes(report):
    s = report["sweep"]
    assert s["units"] == [8, 16, 32, 64, 128]
    logn = np.log(s["units"])
    for name in ("towers", "hinges"):
        assert len(s[name]["rms_error"]) == len(s[name]["max_abs_error"]) == 5
        slope = np.polyfit(logn, np.log(s[name]["rms_error"]), 1)[0]
        assert s[name]["slope"] == pytest.approx(slope, abs=1e-9)
    assert s["hinges"]["slope"] <= s["towers"]["slope"] - 0.6


def test_the_table_names_both_constructions():
    out = run("--units", "6").stdout
    assert "towers:" in out and "hinges:" in out


@pytest.mark.parametrize(
    "args",
    [
        ("--units", "0"),
        ("--units", "200"),
        ("--domain", "2", "1"),
        ("--steepness", "0"),
        ("--target", "1/x", "--domain", "-1", "1"),
        ("--target", "__import__('os')"),
        ("--sweep", "8,x"),
        ("--sweep", "8,8"),
        ("--sweep", "8,500"),
        ("--target", "abs(x)", "--sweep", "8,16"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args):
    proc = run(*args, check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
