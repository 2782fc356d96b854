"""relu-anim fit --method train --init random: every snapshot's loss recomputed from its JSON
weights, the loss falls tenfold on a smooth target, the default (greedy) contract unchanged,
and one-line errors (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

CLI = [sys.executable, "-m", "relu_anim.cli"]
SMOOTH = "sin(2*x) + 0.2*x*x"


def run(*args):
    return subprocess.run([*CLI, "fit", *args], capture_output=True, text=True, timeout=120)


def forward(d: dict, xs: np.ndarray) -> np.ndarray:
    W1, b1, W2, b2 = (np.array(d[k]) for k in ("W1", "b1", "W2", "b2"))
    return np.maximum(xs[:, None] @ W1.T + b1, 0.0) @ W2.T[:, 0] + b2[0]


@pytest.fixture(scope="module")
def fit_json():
    proc = run(
        "--method", "train", "--init", "random", "--target", SMOOTH, "--units", "12",
        "--seed", "3", "--iterations", "3000", "--json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_every_snapshot_loss_recomputes_from_its_weights(fit_json):
    d = fit_json
    assert d["method"] == "train" and d["init"] == "random" and d["units"] == 12
    a, b = d["domain"]
    xs = np.linspace(a, b, d["train_points"])
    y = np.sin(2 * xs) + 0.2 * xs * xs
    steps = d["steps"]
    assert steps[0]["step"] == 0 and steps[-1]["step"] == 3000 and len(steps) >= 30
    for s in steps:
        assert np.array(s["W1"]).shape == (12, 1)
        # the same MSE from the JSON's decimal weights: round-tripped floats, other sum order
        assert s["loss"] == pytest.approx(np.mean((forward(s, xs) - y) ** 2), rel=1e-9)
    assert d["initial_loss"] == steps[0]["loss"] and d["final_loss"] == steps[-1]["loss"]


def test_loss_falls_tenfold_and_the_final_net_is_the_last_snapshot(fit_json):
    d = fit_json
    assert d["final_loss"] * 10 <= d["initial_loss"]
    for k in ("W1", "b1", "W2", "b2"):
        assert d[k] == d["steps"][-1][k]
    fine = np.linspace(*d["domain"], 2001)
    r = forward(d, fine) - (np.sin(2 * fine) + 0.2 * fine * fine)
    assert d["rms_error"] == pytest.approx(np.sqrt(np.mean(r * r)), rel=1e-9)
    assert d["max_abs_error"] == pytest.approx(np.max(np.abs(r)), rel=1e-9)


def test_unit_states_recompute_from_the_weights(fit_json):
    d = fit_json
    xs = np.linspace(*d["domain"], d["train_points"])

    def states(s):
        z = xs[:, None] * np.array(s["W1"])[:, 0] + np.array(s["b1"])
        g = z > 0
        return np.where(g.all(0), "open", np.where(g.any(0), "kinked", "off"))

    first, last = states(d["steps"][0]), states(d["steps"][-1])
    for key, st in (("start_states", first), ("end_states", last)):
        assert d[key] == {k: int(np.sum(st == k)) for k in ("off", "open", "kinked")}
    assert d["died"] == [i for i in range(12) if first[i] == "kinked" != last[i]]
    assert d["born"] == [i for i in range(12) if first[i] != "kinked" == last[i]]


def test_default_is_the_greedy_contract():
    proc = run("--units", "4", "--json")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert d["method"] == "greedy" and "init" not in d and "W1" not in d["steps"][0]


@pytest.mark.parametrize(
    "args",
    [
        ("--init", "random"),
        ("--method", "train", "--init", "random", "--units", "0"),
        ("--method", "train", "--init", "random", "--iterations", "0"),
        ("--method", "train", "--init", "random", "--target", "log(x)"),
    ],
)
def test_bad_input_is_one_line_exit_2(args):
    proc = run(*args)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and proc.stderr.startswith("error:")
