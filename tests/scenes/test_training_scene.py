"""TrainingInMotion: the drawn curve, kinks, loss line, lamps and counts are the core's
training run, read back from one tiny guarded render at the defaults."""

from __future__ import annotations

import numpy as np
import pytest
from manim import ManimColor

from relu_anim.core.training import KINKED, OFF, OPEN, train_from_random
from relu_anim.scenes.training import DOMAIN, TrainingInMotion, sci
from relu_anim.visuals.curves import to_coords

BEATS = ["random-start", "training", "census", "always-off", "closing"]


@pytest.fixture(scope="module")
def scene(tmp_path_factory, tiny):
    # 4 fps: each replayed step lasts 12 s / 39 = 0.31 s; at 1 fps every one would take 1 s
    return tiny(TrainingInMotion, tmp_path_factory.mktemp("training_media"), frame_rate=4)


@pytest.fixture(scope="module")
def run(scene):
    p = scene.params
    return train_from_random(p.target, DOMAIN, p.units, p.seed, p.steps, p.snapshots)


def texts(mob) -> list[str]:
    return [m.original_text for m in mob.get_family() if hasattr(m, "original_text")]


def said(scene) -> str:
    return " ".join(t for _, t in scene.caption_log)


def test_beats_in_order_and_duration(scene):
    assert scene.beats == BEATS
    assert all(scene.beat_captions[b] for b in BEATS)
    assert 25 <= scene.time <= 60


def test_every_snapshot_loss_is_its_weights_loss_and_falls_tenfold(scene, run):
    data = scene.data.run
    xs = np.linspace(*DOMAIN, len(data.xs))
    y = np.sin(2 * xs) + 0.2 * xs * xs  # the default target, evaluated here
    for s, t in zip(data.snapshots, run.snapshots, strict=True):
        assert s.step == t.step and s.loss == t.loss
        assert s.loss == pytest.approx(np.mean((s.net(xs) - y) ** 2), rel=1e-9)
    assert data.last.loss * 10 <= data.first.loss


def test_the_drawn_net_and_its_kinks_are_the_last_snapshot(scene, run):
    stage = scene.beat_results["training"]
    last = run.last.net
    gx, gy = stage.graph.drawn_coords()
    np.testing.assert_allclose(gy, last(gx), atol=1e-6)
    w, b = last.W1[:, 0], last.b1
    inside = run.states[-1] == KINKED
    shown = [d for d in stage.dots if d.get_fill_opacity() > 0.5]
    assert len(shown) == int(inside.sum())
    kx, _ = to_coords(stage.axes, np.array([d.get_center() for d in shown]))
    np.testing.assert_allclose(np.sort(kx), np.sort(-b[inside] / w[inside]), atol=1e-6)


def test_the_loss_line_is_the_recorded_losses(scene, run):
    chart = scene.beat_results["training"].chart
    xs, values = chart.drawn_values("loss")
    np.testing.assert_allclose(xs, run.steps, atol=1e-6)
    np.testing.assert_allclose(values, run.losses, rtol=1e-6)
    step, loss = scene.beat_results["training"].readouts
    assert step.number.get_value() == run.last.step
    assert loss.number.get_value() == pytest.approx(run.last.loss)
    assert f"{sci(run.first.loss)} → {sci(run.last.loss)}" in said(scene)
    assert f"{run.reduction:,.0f} times lower" in said(scene)


def test_lamps_and_counts_are_the_core_states(scene, run):
    th = scene.theme
    stage = scene.beat_results["training"]
    colour = {KINKED: th.hinge, OPEN: th.open, OFF: th.closed}
    for lamp, s in zip(stage.lamps, run.states[-1], strict=True):
        assert lamp.get_color() == ManimColor(colour[int(s)])
    c = run.counts()
    assert scene.beat_captions["census"] == (
        f"The end: {c['kinked']} kinks inside, {c['open']} always open, {c['off']} always off."
    )
    died, born = scene.beat_results["census"]
    assert len(died) == len(run.died) and len(born) == len(run.born)
    end = run.states[-1][run.died]
    assert f"{len(run.died)} units died (red rings): {int(np.sum(end == OFF))} shut" in said(scene)
    assert f"{len(run.born)} unit was born useful" in said(scene)  # 1 at the defaults


def test_always_off_units_never_moved(scene, run):
    rings, note = scene.beat_results["always-off"]
    dead = run.off_throughout
    assert len(rings) == len(dead) > 0
    assert run.weight_change(dead) == 0.0 == scene.data.dead_change
    assert f"weights moved by 0 in {run.last.step} steps" in texts(note)
    assert scene.numbers["off_weight_change"] == 0.0
    assert scene.numbers["reduction"] == pytest.approx(run.reduction)
