"""HingeStacking: what is drawn is the core's fit (tiny dry-run renders, frame guard on)."""

from __future__ import annotations

import numpy as np
import pytest

from relu_anim.lecture.params import ParamError, build_params
from relu_anim.scenes.hinges import CLOSING, HingeStacking
from relu_anim.visuals.curves import hinge_points, to_coords

HingeParams = HingeStacking.Params
BEATS = ["one-unit", "target", "stack", "error", "closing"]


@pytest.fixture(scope="module")
def scene(tmp_path_factory, tiny):
    """One dry-run render at the defaults, shared by the tests that only read it."""
    return tiny(HingeStacking, tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="module")
def stack(scene):
    """What the stacking beat left on screen: the sum curve, kinks, readouts, hinge panel."""
    return scene.beat_results["stack"]


def test_beats_captions_and_frame_guard(scene):
    assert scene.beats == BEATS
    texts = [t for _, t in scene.caption_log]
    assert texts[0].startswith("One ReLU unit is a hinge")
    assert texts[-1] == CLOSING
    times = [t for t, _ in scene.caption_log]
    assert times == sorted(times)
    assert scene.guard_checks > 20  # every play was checked against the frame
    assert 25 <= scene.time <= 75  # duration at the defaults


def test_final_sum_curve_is_the_core_net(scene, stack):
    fit = scene.data.fit
    assert fit.method == "greedy" and fit.units == HingeParams().units
    assert stack.sum_curve in scene.mobjects
    xs, ys = stack.sum_curve.drawn_coords()
    assert xs.min() == pytest.approx(fit.domain[0]) and xs.max() == pytest.approx(fit.domain[1])
    np.testing.assert_allclose(ys, fit.net(xs), atol=1e-6)
    # every kink of the net inside the domain is a vertex of the drawn polyline
    for k in fit.net.kinks():
        if fit.domain[0] < k < fit.domain[1]:
            assert np.min(np.abs(xs - k)) < 1e-6


def test_readouts_show_the_last_step(scene, stack):
    last = scene.data.fit.steps[-1]
    r = stack.readouts
    assert r["units"].number.get_value() == last.units == scene.params.units
    assert r["max_abs_error"].number.get_value() == pytest.approx(last.max_abs_error, abs=1e-12)
    assert r["rms_error"].number.get_value() == pytest.approx(last.rms_error, abs=1e-12)
    assert scene.numbers == {
        "units": 10,
        "method": "greedy",
        "max_abs_error": scene.data.fit.max_abs_error,
        "rms_error": scene.data.fit.rms_error,
        "target": HingeParams().target,
    }


def test_one_hinge_term_per_unit_each_drawn_from_the_net(scene, stack):
    net, domain = scene.data.fit.net, scene.data.fit.domain
    assert len(stack.hinges.graphs) == scene.params.units == net.units
    assert len(stack.kinks) == net.units
    panel = stack.hinges.axes
    window = (panel.y_range[0], panel.y_range[1])
    for j, graph in enumerate(stack.hinges.graphs):
        w, b, v = net.W1[j, 0], net.b1[j], net.W2[0, j]
        assert graph.term == pytest.approx((w, b, v))
        xs, ys = to_coords(panel, graph.points)
        inside = (ys > window[0] + 1e-9) & (ys < window[1] - 1e-9)
        np.testing.assert_allclose(ys[inside], net.unit_terms(xs[inside])[:, j], atol=1e-6)
        hx, hy = hinge_points(w, b, v, domain, window)
        np.testing.assert_allclose(graph.xs, hx)


def test_error_chart_plots_the_steps(scene):
    steps = scene.data.fit.steps
    chart = scene.beat_results["error"]
    np.testing.assert_allclose(chart.values["max |error|"], [s.max_abs_error for s in steps])
    np.testing.assert_allclose(chart.values["RMS error"], [s.rms_error for s in steps])
    units = [s.units for s in steps]
    for name, values in chart.values.items():
        xs, ys = chart.lines[name][0].drawn_coords()  # every drawn point, back in chart units
        np.testing.assert_allclose(
            ys + chart.floor, np.interp(xs, units, np.log10(values)), atol=1e-9
        )
        assert xs.min() == pytest.approx(units[0]) and xs.max() == pytest.approx(units[-1])


def test_train_ends_on_the_trained_net(render_scene):
    params = HingeParams(target="exp(-x*x)*cos(3*x)", domain=(-2.0, 2.0), units=4, method="train")
    s = render_scene(HingeStacking, params, frame_rate=1)
    assert s.beats == ["one-unit", "target", "stack", "error", "train", "closing"]
    fit, trained = s.data.fit, s.data.trained
    assert fit.method == "greedy" and len(fit.steps) == 4  # the replay is greedy
    assert trained.method == "train"
    stack = s.beat_results["stack"]
    xs, ys = stack.sum_curve.drawn_coords()
    np.testing.assert_allclose(ys, trained.net(xs), atol=1e-6)
    assert stack.readouts["max_abs_error"].number.get_value() == pytest.approx(
        trained.max_abs_error, abs=1e-12
    )
    assert s.numbers["method"] == "train"
    assert s.numbers["rms_error"] == trained.rms_error


@pytest.mark.parametrize(
    "overrides, match",
    [
        ({"target": "__import__('os')"}, "not allowed|unknown"),
        ({"target": "1/x", "domain": (-1.0, 1.0)}, "not finite"),
        ({"units": 0}, "units"),
        ({"units": 99}, "units"),
        ({"method": "sgd"}, "method"),
        ({"domain": (2.0, -2.0)}, "domain"),
    ],
)
def test_bad_params_fail_before_rendering(overrides, match):
    with pytest.raises(ValueError, match=match) as info:
        HingeStacking(HingeParams(**overrides))
    assert isinstance(info.value, ParamError)
    with pytest.raises(ParamError):
        build_params(
            HingeParams,
            {
                k: ",".join(map(str, v)) if isinstance(v, tuple) else str(v)
                for k, v in overrides.items()
            },
        )
