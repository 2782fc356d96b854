"""End to end: the CLI's JSON contracts, readable tables, and one-line errors with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

CLI = [sys.executable, "-m", "relu_anim.cli"]


def run(*args, check=True):
    proc = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_fit_json_follows_the_contract_and_the_numbers_are_true():
    proc = run("fit", "--target", "sin(2*x)", "--domain", "-2", "2", "--units", "8", "--json")
    d = json.loads(proc.stdout)
    assert set(d) >= {"target", "domain", "units", "method", "W1", "b1", "W2", "b2"}
    assert set(d) >= {"max_abs_error", "rms_error", "steps"}
    W1, b1, W2, b2 = (np.array(d[k]) for k in ("W1", "b1", "W2", "b2"))
    assert W1.shape == (8, 1) and b1.shape == (8,) and W2.shape == (1, 8) and b2.shape == (1,)
    xs = np.linspace(-2, 2, 2001)
    y = (W2 @ np.maximum(W1 @ xs[None, :] + b1[:, None], 0) + b2[:, None])[0]
    err = y - np.sin(2 * xs)
    assert np.max(np.abs(err)) == pytest.approx(d["max_abs_error"], rel=1e-9)
    assert np.sqrt(np.mean(err**2)) == pytest.approx(d["rms_error"], rel=1e-9)
    assert [s["units"] for s in d["steps"]] == list(range(1, 9))


def test_fit_table_is_readable():
    out = run("fit", "--units", "4").stdout
    assert "max" in out and "rms" in out and "kink" in out


def test_collapse_json_composes_and_witnesses():
    d = json.loads(run("collapse", "--layers", "3", "--seed", "2", "--json").stdout)
    W, b = np.eye(2), np.zeros(2)
    for layer in d["layers"]:
        W, b = np.array(layer["W"]) @ W, np.array(layer["W"]) @ b + np.array(layer["b"])
    assert np.allclose(W, d["W"], atol=1e-12) and np.allclose(b, d["b"], atol=1e-12)
    w = d["relu_witness"]

    def f(p):
        h = np.array(p, float)
        for i, layer in enumerate(d["layers"]):
            h = np.array(layer["W"]) @ h + np.array(layer["b"])
            if i < len(d["layers"]) - 1:
                h = np.maximum(h, 0)
        return h

    p, q = np.array(w["p"]), np.array(w["q"])
    gap = np.linalg.norm(f((p + q) / 2) - (f(p) + f(q)) / 2)
    assert gap == pytest.approx(w["midpoint_gap"]) and gap > 0


def test_regions_json():
    d = json.loads(run("regions", "--units", "5", "--seed", "1", "--box", "3", "--json").stdout)
    assert d["regions"] == len(d["patterns"]) and 1 <= d["regions"] <= 1 + 5 + 10
    assert np.array(d["W1"]).shape == (5, 2)


@pytest.mark.parametrize(
    "args",
    [
        ("fit", "--target", "__import__('os').system('touch /tmp/relu_pwned')"),
        ("fit", "--target", "1/x", "--domain", "-1", "1"),
        ("fit", "--units", "0"),
        ("fit", "--domain", "2", "1"),
        ("fit", "--method", "magic"),
        ("fit", "--no-such-option"),
        ("collapse", "--layers", "9"),
        ("regions", "--units", "0"),
        ("render", "NoSuchScene"),
        ("gallery", "--out", "/nonexistent/dir/for/relu"),
        ("nonsense",),
    ],
)
def test_user_errors_are_one_line_and_exit_2(args):
    proc = run(*args, check=False)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stderr


def test_version_and_help_on_every_command():
    assert "relu-anim" in run("--version").stdout
    for cmd in ("list", "fit", "collapse", "regions", "render", "gallery"):
        assert "Usage" in run(cmd, "--help").stdout
        assert "version" in run(cmd, "--version").stdout
