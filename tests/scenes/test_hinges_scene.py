"""HingeStacking: what is drawn is the core's fit (tiny dry-run renders, frame guard on)."""

from __future__ import annotations

import numpy as np
import pytest
from manim import MathTex

from relu_anim.colour import blend, contrast_ratio
from relu_anim.core.placement import fit_placement, uniform_knots
from relu_anim.lecture.params import ParamError, build_params
from relu_anim.scenes.hinges import (
    BAND,
    CLOSING,
    EXCHANGED,
    GATE_NOTE,
    GATE_SHADE,
    NEGATIVE_V,
    PAIR,
    PLACED,
    HingeStacking,
)
from relu_anim.theme import THEMES
from relu_anim.visuals.curves import hinge_terms, hinge_text, to_coords
from relu_anim.visuals.expression import expression_text
from relu_anim.visuals.growing_network import drawn_output_weights
from relu_anim.visuals.layout import TextNumber

HingeParams = HingeStacking.Params
BEATS = ["one-unit", "line-plus-line", "target", "stack", "error", "closing"]


@pytest.fixture(scope="module")
def scene(tmp_path_factory, tiny):
    """One dry-run render at the defaults, shared by the tests that only read it."""
    return tiny(HingeStacking, tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="module")
def stack(scene):
    """What the stacking beat left on screen: sum, kinks, band, network, readouts."""
    return scene.beat_results["stack"]


def test_beats_captions_duration_and_frame_guard(scene):
    assert scene.beats == BEATS
    texts = [t for _, t in scene.caption_log]
    assert texts[0].startswith("One ReLU unit")
    assert GATE_NOTE in texts  # the thread's question: the gate cuts, v brings negatives back
    assert texts[-1] == CLOSING and "continuous function on a closed interval" in CLOSING
    assert PLACED["greedy"] in texts and BAND in texts and NEGATIVE_V in texts
    times = [t for t, _ in scene.caption_log]
    assert times == sorted(times)
    assert scene.guard_checks > 20  # every play was checked against the frame
    assert 25 <= scene.time <= 75  # duration at the defaults


def test_no_negative_zero_is_ever_written():
    """A value that rounds to zero reads 0.00, never −0.00 (the kink -b/w at b = 0)."""
    from relu_anim.theme import DARK

    assert TextNumber(-0.0, DARK, places=2).text == "0.00"
    assert TextNumber(-0.004, DARK, places=2).text == "0.00"
    assert TextNumber(-0.006, DARK, places=2).text == "−0.01"


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES.keys())
def test_text_on_the_closed_gate_shade_stays_readable(theme):
    shade = blend(theme.closed, theme.background, GATE_SHADE)
    assert contrast_ratio(theme.text, shade) >= 4.5


def test_one_unit_ends_on_the_last_state_with_the_gate_marked(scene):
    warm_up = scene.beat_results["one-unit"]
    numbers = [m for m in warm_up.get_family() if isinstance(m, TextNumber)]
    # w, b, v and the kink -b/w of the last state (-1, -1, -0.75): kink at x = -1
    assert [n.get_value() for n in numbers] == pytest.approx([-1.0, -1.0, -0.75, -1.0])
    assert not any(n.text.startswith("−0.00") for n in numbers)
    axes, hinge, gate = warm_up[0], warm_up[1], warm_up[-1]
    shade_xs, _ = to_coords(axes, gate[0].get_corner(np.array([-1, -1, 0]))[None])
    assert shade_xs[0] == pytest.approx(-1.0)  # closed where -x - 1 < 0: right of the kink
    xs, ys = hinge.drawn_coords()
    np.testing.assert_allclose(ys, -0.75 * np.maximum(-xs - 1.0, 0.0), atol=1e-9)


def test_line_plus_line_is_a_line_and_hinges_bend(scene):
    pair = scene.beat_results["line-plus-line"]
    net = scene.data.pair
    assert [tuple(t) for t in hinge_terms(net)] == [tuple(p) for p in PAIR]
    *units, total = pair.lines
    xs = np.array([-3.0, 3.0])
    drawn = [to_coords(g.axes, g.points)[1][[0, -1]] for g in pair.lines]
    np.testing.assert_allclose(drawn[-1], drawn[0] + drawn[1], atol=1e-9)  # ends add up
    np.testing.assert_allclose(drawn[0], net.preactivations(xs)[0][:, 0] * net.W2[0, 0])
    assert len(total.xs) == 2  # a line: no vertex between the ends
    hinge_sum = pair.hinges[-1]
    hx, hy = hinge_sum.drawn_coords()
    np.testing.assert_allclose(hy, net(hx), atol=1e-9)
    assert sorted(hinge_sum.xs) == pytest.approx([-3.0, -1.0, 1.0, 3.0])  # bends at both kinks
    kinks = sorted(to_coords(hinge_sum.axes, [d.get_center() for d in pair.kinks])[0])
    assert kinks == pytest.approx([-1.0, 1.0])


def test_target_is_typeset_as_maths(scene):
    tex, plain = expression_text(HingeParams().target)
    assert (tex, plain) == (r"\sin(2x) + 0.2x^{2}", "sin(2x) + 0.2x²")
    legend = scene.beat_results["target"].legend
    formulas = [m for m in legend.get_family() if isinstance(m, MathTex)]
    assert [f.get_tex_string() for f in formulas] == [tex]


def test_final_sum_curve_is_the_core_net(scene, stack):
    fit = scene.data.fit
    assert fit.method == "greedy" and fit.units == HingeParams().units
    assert stack.sum_curve in scene.mobjects
    xs, ys = stack.sum_curve.drawn_coords()
    assert xs.min() == pytest.approx(fit.domain[0]) and xs.max() == pytest.approx(fit.domain[1])
    np.testing.assert_allclose(ys, fit.net(xs), atol=1e-6)
    for k in fit.net.kinks():  # every kink inside the domain is a vertex of the polyline
        if fit.domain[0] < k < fit.domain[1]:
            assert np.min(np.abs(xs - k)) < 1e-6


def test_kink_dots_sit_on_the_sum(scene, stack):
    net, axes = scene.data.fit.net, stack.sum_curve.axes
    assert len(stack.kinks) == net.units
    xs, ys = to_coords(axes, [d.get_center() for d in stack.kinks])
    np.testing.assert_allclose(xs, np.clip(-net.b1 / net.W1[:, 0], *scene.data.domain), atol=1e-9)
    np.testing.assert_allclose(ys, net(xs), atol=1e-9)


def test_error_band_is_the_gap_between_target_and_sum(scene, stack):
    assert stack.band is not None and stack.band in scene.mobjects
    xs, gap = stack.band.drawn_gap()
    np.testing.assert_allclose(
        gap, np.abs(scene.data.target(xs) - scene.data.fit.net(xs)), atol=1e-9
    )


def test_network_shows_one_hidden_layer_with_the_refitted_output_weights(scene, stack):
    net = scene.data.fit.net
    diagram = stack.diagram
    assert diagram.net.input_dim == 1 and diagram.net.hidden_sizes == (net.units,)
    assert diagram.shown == net.units
    np.testing.assert_allclose(drawn_output_weights(diagram), net.W2[0])
    colours = {e.get_stroke_color().to_hex().upper() for g in diagram.edges_out for e in g}
    assert colours == {scene.theme.positive.upper(), scene.theme.negative.upper()}


def test_newest_term_and_readouts_show_the_last_step(scene, stack):
    last = scene.data.fit.steps[-1]
    assert stack.term.text.replace(" ", "") == (
        f"unit {last.units}:  {hinge_text(*hinge_terms(last.net)[-1], joined=True)}"
    ).replace(" ", "")
    r = stack.readouts
    assert r["units"].number.get_value() == last.units == scene.params.units
    assert r["max_abs_error"].number.get_value() == pytest.approx(last.max_abs_error, abs=1e-12)
    assert r["rms_error"].number.get_value() == pytest.approx(last.rms_error, abs=1e-12)
    assert scene.numbers == {
        "units": 10,
        "placement": "greedy",
        "max_abs_error": scene.data.fit.max_abs_error,
        "rms_error": scene.data.fit.rms_error,
        "target": HingeParams().target,
    }


def test_stacking_captions_land_on_the_steps_they_name(scene, stack):
    steps = scene.data.fit.steps
    said = {text: i for i, texts in stack.events.items() for text in texts}
    assert hinge_terms(steps[said[NEGATIVE_V]].net)[-1][2] < 0  # that unit's v is negative
    assert said[EXCHANGED] == len(steps) - 1  # the final exchange moved earlier kinks
    before, after = steps[-2].net, steps[-1].net
    assert np.max(np.abs(before.b1 - after.b1[:-1])) > 1e-9
    assert 1 <= said[PLACED["greedy"]] < said[BAND] <= said[NEGATIVE_V] < said[EXCHANGED]


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
    assert "max error may not" in scene.beat_captions["error"]  # it rises at step 3 here
    assert steps[2].max_abs_error > steps[1].max_abs_error


def test_uniform_placement_spaces_the_kinks_evenly(render_scene):
    params = HingeParams(units=4, placement="uniform")
    s = render_scene(HingeStacking, params, frame_rate=1)
    fit = s.data.fit
    assert fit.method == "uniform" and [st.units for st in fit.steps] == [1, 2, 3, 4]
    np.testing.assert_allclose(sorted(fit.net.kinks()), uniform_knots(fit.domain, 4), atol=1e-12)
    stack = s.beat_results["stack"]
    assert PLACED["uniform"] in [t for _, t in s.caption_log]
    assert EXCHANGED not in [t for _, t in s.caption_log]
    xs, ys = stack.sum_curve.drawn_coords()
    np.testing.assert_allclose(ys, fit.net(xs), atol=1e-6)
    np.testing.assert_allclose(drawn_output_weights(stack.diagram), fit.net.W2[0])
    assert s.numbers["placement"] == "uniform"


def test_train_ends_on_the_trained_net(render_scene):
    params = HingeParams(
        target="exp(-x*x)*cos(3*x)", domain=(-2.0, 2.0), units=4, placement="train"
    )
    s = render_scene(HingeStacking, params, frame_rate=1)
    assert s.beats == [*BEATS[:-1], "train", "closing"]
    fit, trained = s.data.fit, s.data.trained
    assert fit.method == "greedy" and len(fit.steps) == 4  # the replay is greedy
    assert trained.method == "train"
    stack = s.beat_results["stack"]
    xs, ys = stack.sum_curve.drawn_coords()
    np.testing.assert_allclose(ys, trained.net(xs), atol=1e-6)
    bx, gap = stack.band.drawn_gap()
    np.testing.assert_allclose(gap, np.abs(s.data.target(bx) - trained.net(bx)), atol=1e-9)
    assert stack.readouts["max_abs_error"].number.get_value() == pytest.approx(
        trained.max_abs_error, abs=1e-12
    )
    assert s.numbers["placement"] == "train"
    assert s.numbers["rms_error"] == trained.rms_error


@pytest.mark.parametrize(
    "overrides, match",
    [
        ({"target": "__import__('os')"}, "not allowed|unknown"),
        ({"target": "1/x", "domain": (-1.0, 1.0)}, "not finite"),
        ({"units": 0}, "units"),
        ({"units": 99}, "units"),
        ({"placement": "sgd"}, "placement"),
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


def test_minimax_placement_replays_the_minimax_fit(render_scene):
    """placement = minimax: its caption names the worst error, the replay is the core's
    minimax record, and the final curve and readouts are the core's net."""
    s = render_scene(HingeStacking, HingeParams(placement="minimax"))  # 5 fps: true timing
    fit = s.data.fit
    assert fit.method == "minimax" and [st.units for st in fit.steps] == list(range(1, 11))
    texts = [t for _, t in s.caption_log]
    assert PLACED["minimax"] in texts and "worst error" in PLACED["minimax"]
    assert "worst error, which this fit minimises, never rises" in s.beat_captions["error"]
    assert EXCHANGED not in texts
    stack = s.beat_results["stack"]
    xs, ys = stack.sum_curve.drawn_coords()
    np.testing.assert_allclose(ys, fit.net(xs), atol=1e-6)
    bx, gap = stack.band.drawn_gap()
    np.testing.assert_allclose(gap, np.abs(s.data.target(bx) - fit.net(bx)), atol=1e-9)
    np.testing.assert_allclose(drawn_output_weights(stack.diagram), fit.net.W2[0])
    kx, _ = to_coords(stack.sum_curve.axes, [d.get_center() for d in stack.kinks])
    np.testing.assert_allclose(kx, -fit.net.b1 / fit.net.W1[:, 0], atol=1e-9)
    r = stack.readouts
    assert r["max_abs_error"].number.get_value() == pytest.approx(fit.max_abs_error, abs=1e-12)
    assert r["rms_error"].number.get_value() == pytest.approx(fit.rms_error, abs=1e-12)
    assert s.numbers["placement"] == "minimax"
    assert s.numbers["max_abs_error"] == fit.max_abs_error
    greedy = fit_placement(s.data.target, fit.domain, 10, "greedy")
    assert fit.max_abs_error <= greedy.max_abs_error
    assert 25 <= s.time <= 75
