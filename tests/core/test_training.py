"""Training from a random start (core/training): states of units by hand, the loss of every
snapshot recomputed from its weights, dead units frozen, and a smooth target learned."""

from __future__ import annotations

import numpy as np
import pytest

from relu_anim.core.network import ReluNet
from relu_anim.core.training import (
    KINK_SPREAD,
    KINKED,
    OFF,
    OPEN,
    random_net,
    snapshot_steps,
    train_from_random,
    unit_states,
)

SMOOTH = "sin(2*x) + 0.2*x*x"


@pytest.fixture(scope="module")
def run():
    return train_from_random(SMOOTH, (-3.0, 3.0), units=12, seed=3, steps=3000, snapshots=40)


def test_unit_states_by_hand():
    # units: relu(x) kinks at 0; relu(x + 5) open on [-1, 1]; relu(x - 5) and relu(-x - 5) off;
    # relu(0 x + 1) open (constant 1); relu(0 x - 1) off; relu(-2x + 1) kinks at 0.5
    w = np.array([1.0, 1.0, 1.0, -1.0, 0.0, 0.0, -2.0])
    b = np.array([0.0, 5.0, -5.0, -5.0, 1.0, -1.0, 1.0])
    net = ReluNet.one_hidden(w[:, None], b, np.ones((1, 7)), [0.0])
    xs = np.linspace(-1, 1, 5)
    np.testing.assert_array_equal(unit_states(net, xs), [KINKED, OPEN, OFF, OFF, OPEN, OFF, KINKED])


def test_snapshot_steps_cover_the_run():
    for steps, count in [(3000, 40), (10, 11), (10, 50), (1, 2), (500, 7)]:
        k = snapshot_steps(steps, count)
        assert k[0] == 0 and k[-1] == steps
        assert np.all(np.diff(k) > 0) and len(k) == min(count, steps + 1)


def test_random_start_is_seeded_and_spread():
    a, b = random_net(12, (-3.0, 3.0), 4), random_net(12, (-3.0, 3.0), 4)
    for x, y in zip(a.weights + a.biases, b.weights + b.biases, strict=True):
        np.testing.assert_array_equal(x, y)
    k = -a.b1 / a.W1[:, 0]
    pad = KINK_SPREAD * 6.0
    assert np.all((k >= -3 - pad) & (k <= 3 + pad))
    assert not np.allclose(random_net(12, (-3.0, 3.0), 5).W1, a.W1)


def test_every_snapshot_loss_is_its_weights_mse(run):
    for s in run.snapshots:
        r = s.net(run.xs) - run.y
        # same sum in another order: a few ulps of the loss
        assert s.loss == pytest.approx(float(np.mean(r * r)), rel=1e-12)
    assert run.steps[0] == 0 and run.steps[-1] == 3000 and len(run.snapshots) == 40


def test_smooth_target_loss_falls_tenfold(run):
    assert run.last.loss * 10 <= run.first.loss
    assert run.reduction == pytest.approx(run.first.loss / run.last.loss)


def test_units_off_everywhere_never_move(run):
    """An OFF unit's gate is closed on every input: relu' = 0, so its in- and out-weights get
    exactly zero gradient and Adam leaves them exactly where they are (0 / (0 + eps) = 0)."""
    off_at_start = np.flatnonzero(run.states[0] == OFF)
    assert len(off_at_start) > 0  # the default seed has some
    first, last = run.first.net, run.last.net
    for i in off_at_start:
        assert last.W1[i, 0] == first.W1[i, 0] and last.b1[i] == first.b1[i]
        assert last.W2[0, i] == first.W2[0, i]
        assert np.all(run.states[:, i] == OFF)
        assert np.all(last.unit_terms(run.xs)[:, i] == 0.0)
    np.testing.assert_array_equal(run.off_throughout, off_at_start)
    assert run.weight_change(off_at_start) == 0.0 and run.weight_change([]) == 0.0
    kinked = np.flatnonzero(run.states[0] == KINKED)
    assert run.weight_change(kinked) > 0.1  # the live units do move


def test_died_and_born_follow_the_states(run):
    s0, s1 = run.states[0], run.states[-1]
    for i in range(len(s0)):
        assert (i in run.died) == (s0[i] == KINKED and s1[i] != KINKED)
        assert (i in run.born) == (s0[i] != KINKED and s1[i] == KINKED)
    c = run.counts()
    assert sum(c.values()) == 12 and c["kinked"] == int(np.sum(s1 == KINKED))
    n = [sum(run.counts(i).values()) for i in range(len(run.snapshots))]
    assert set(n) == {12}


def test_bad_input_is_a_value_error():
    for kwargs in [{"units": 0}, {"steps": 0}, {"snapshots": 1}, {"domain": (1.0, 1.0)}]:
        with pytest.raises(ValueError):
            train_from_random(SMOOTH, **kwargs)
