"""VanishingGradients: the drawn slopes, gradient norms and loss curves are the core's numbers,
read back from the mobjects of one tiny guarded render at the defaults."""

from __future__ import annotations

import numpy as np
import pytest

from relu_anim.core.gradients import (
    ACTIVATIONS,
    INIT,
    derivative,
    layer_gradient_norms,
    train_deep,
)
from relu_anim.scenes.gradients import SHOWN, VanishingGradients, sci

BEATS = ["slopes", "chain", "layer-norms", "training", "closing"]


@pytest.fixture(scope="module")
def scene(tmp_path_factory, tiny):
    return tiny(VanishingGradients, tmp_path_factory.mktemp("gradients_media"), frame_rate=1)


@pytest.fixture(scope="module")
def core(scene):
    """The core's numbers at the scene's params, recomputed here."""
    p = scene.params
    layers = {n: layer_gradient_norms(n, p.depth, p.width, p.draws, p.seed) for n in ACTIVATIONS}
    trained = {n: train_deep(n, p.train_depth, p.train_width, p.steps, p.seed) for n in ACTIVATIONS}
    return layers, trained


def texts(mob) -> list[str]:
    return [m.original_text for m in mob.get_family() if hasattr(m, "original_text")]


def test_beats_in_order_captions_and_duration(scene):
    assert scene.beats == BEATS
    assert all(scene.beat_captions[b] for b in BEATS)
    assert 25 <= scene.time <= 60


def test_drawn_slopes_are_the_derivatives(scene):
    panels = scene.beat_results["slopes"]
    for name in ("sigmoid", "tanh"):
        (curve,) = panels.curves[name]
        xs, ys = curve.drawn_coords()
        z = scene.data.z  # the drawn polyline is the core's f' joined by straight segments
        np.testing.assert_allclose(ys, np.interp(xs, z, derivative(name)(z)), atol=1e-6)
        np.testing.assert_allclose(z, np.linspace(-5, 5, z.size))
    closed, open_ = (piece.drawn_coords() for piece in panels.curves["relu"])  # jump at 0
    assert closed[0].max() <= 1e-9 and open_[0].min() > 0
    np.testing.assert_allclose(closed[1], 0.0, atol=1e-9)
    np.testing.assert_allclose(open_[1], derivative("relu")(open_[0]), atol=1e-9)
    shown = texts(panels.group)
    assert "max 0.25" in shown and shown.count("max 1.00") == 2
    said = " ".join(t for _, t in scene.caption_log)
    assert "never exceeds 0.25" in said and "exactly 1 wherever its gate is open" in said


def test_slope_table_names_each_init_and_its_mean_slope(scene, core):
    layers, _ = core
    shown = texts(scene.beat_results["chain"])
    for name in ACTIVATIONS:
        assert INIT[name] in shown
        assert f"{layers[name].slope.mean():.2f}" in shown


def test_drawn_gradient_norms_are_the_core_means(scene, core):
    layers, _ = core
    drawn = scene.beat_results["layer-norms"]
    for name in ACTIVATIONS:
        xs, values = drawn.chart.drawn_values(name)
        np.testing.assert_allclose(xs, np.arange(1, layers[name].depth + 1), atol=1e-9)
        np.testing.assert_allclose(values, layers[name].mean, rtol=1e-6)
    legend = " ".join(texts(drawn.legend))
    assert sci(layers["sigmoid"].ratio) in legend and "Xavier init" in legend
    assert f"{layers['relu'].ratio:.2f}" in legend and "He init" in legend
    # the point of the beat, at the defaults: sigmoid vanishes, ReLU holds
    assert layers["sigmoid"].ratio < 1e-3 and 0.1 < layers["relu"].ratio < 10


def test_loss_curves_drawn_to_the_end_are_the_recorded_losses(scene, core):
    _, trained = core
    drawn = scene.beat_results["training"]
    for name in ACTIVATIONS:
        xs, values = drawn.chart.drawn_values(name)
        np.testing.assert_allclose(xs, trained[name].steps, atol=1e-9)
        np.testing.assert_allclose(values, trained[name].loss, rtol=1e-6)
    legend = texts(drawn.legend)
    assert all(sci(trained[n].final_loss) in legend for n in SHOWN)
    assert drawn.legend[0].number.get_value() == trained["relu"].steps[-1]  # the step counter


def test_outcome_is_reported_honestly_on_screen_and_in_the_manifest(scene, core):
    _, trained = core
    ranked = sorted(ACTIVATIONS, key=lambda n: trained[n].final_loss)
    numbers = scene.numbers
    assert numbers["lowest_final_loss"] == ranked[0]
    assert numbers["final_loss"] == {n: trained[n].final_loss for n in ACTIVATIONS}
    assert numbers["init"] == INIT
    said = [t for _, t in scene.caption_log]
    report = next(t for t in said if t.startswith("After "))
    positions = [report.index(sci(trained[n].final_loss)) for n in ranked]
    assert positions == sorted(positions)  # listed from the lowest loss up
    times = trained[ranked[-1]].final_loss / trained[ranked[0]].final_loss
    assert any(f"{times:,.0f} times" in t for t in said)
