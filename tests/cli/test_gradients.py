"""relu-anim gradients: the JSON record, recomputed from the seeded weights by an independent
per-sample chain rule; bad input is one line and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

CLI = [sys.executable, "-m", "relu_anim.cli"]
KEYS = {"activation", "depth", "width", "draws", "init", "layer_grad_norm", "layer_grad_norm_std"}


def run(*args):
    return subprocess.run([*CLI, "gradients", *args], capture_output=True, text=True, timeout=60)


def recomputed(activation: str, depth: int, width: int, draws: int, seed: int) -> np.ndarray:
    """||dL/dz_i|| per draw, by hand: the weights from the documented draw (one Generator,
    normals at sqrt(2/fan_in) for He, sqrt(2/(fan_in+fan_out)) for Xavier, zero biases), the
    loss mean((y - t)^2)/2 on 64 points of [-1, 1], Jacobians multiplied one sample at a time."""
    f = {"relu": lambda z: np.maximum(z, 0), "sigmoid": lambda z: 1 / (1 + np.exp(-z))}
    f["tanh"] = np.tanh
    df = {
        "relu": lambda z: (z > 0) * 1.0,
        "sigmoid": lambda z: f["sigmoid"](z) * (1 - f["sigmoid"](z)),
        "tanh": lambda z: 1 - np.tanh(z) ** 2,
    }
    rng = np.random.default_rng(seed)
    sizes = [1, *[width] * depth, 1]
    xs = np.linspace(-1, 1, 64)
    out = np.zeros((draws, depth))
    for k in range(draws):
        Ws = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
            var = 2 / n_in if activation == "relu" else 2 / (n_in + n_out)
            Ws.append(rng.normal(0, np.sqrt(var), size=(n_out, n_in)))
        sq = np.zeros(depth)
        for x in xs:
            a, zs = np.array([x]), []
            for W in Ws[:-1]:
                zs.append(W @ a)
                a = f[activation](zs[-1])
            y = (Ws[-1] @ a)[0]
            g = np.array([(y - (np.sin(np.pi * x) + 0.5 * np.cos(3 * np.pi * x))) / len(xs)])
            for i in range(depth - 1, -1, -1):
                g = (Ws[i + 1].T @ g) * df[activation](zs[i])  # dL/dz_{i+1} of this sample
                sq[i] += g @ g
        out[k] = np.sqrt(sq)
    return out


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_json_keys_and_values_are_the_gradient_norms(activation):
    proc = run("--activation", activation, "--depth", "6", "--width", "5", "--draws", "3",
               "--seed", "9", "--json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert set(d) >= KEYS
    assert (d["activation"], d["depth"], d["width"], d["draws"]) == (activation, 6, 5, 3)
    assert d["init"] == ("He" if activation == "relu" else "Xavier")
    norms = recomputed(activation, 6, 5, 3, 9)
    # Same sums in another order: rounding differences of a few ulps per operation.
    np.testing.assert_allclose(d["layer_grad_norm"], norms.mean(axis=0), rtol=1e-9)
    np.testing.assert_allclose(d["layer_grad_norm_std"], norms.std(axis=0), rtol=1e-6, atol=1e-15)


def test_table_names_the_init_and_every_layer():
    proc = run("--activation", "sigmoid", "--depth", "4", "--width", "8", "--draws", "2")
    assert proc.returncode == 0, proc.stderr
    assert "Xavier" in proc.stdout and "layer   4" in proc.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("--depth", "0"),
        ("--depth", "101"),
        ("--width", "0"),
        ("--draws", "0"),
        ("--seed", "-1"),
        ("--activation", "softplus"),
        ("--depth", "three"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args):
    proc = run(*args)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
