"""TowersVsHinges: the drawn towers, hinges, readouts and log-log chart are the core's numbers."""

from __future__ import annotations

import numpy as np
import pytest

from relu_anim.core.towers import SWEEP_UNITS, compare, sweep
from relu_anim.lecture.params import ParamError, validate_params
from relu_anim.scenes.towers import CAVEAT, CAVEAT_MORE, TowersVsHinges
from relu_anim.visuals.curves import to_coords

BEATS = ["one-tower", "same-budget", "both-fits", "errors-against-n", "steep-steps-only", "closing"]


@pytest.fixture(scope="module")
def scene(tmp_path_factory, tiny):
    """One guarded dry-run render at the defaults, shared by the tests below."""
    return tiny(TowersVsHinges, tmp_path_factory.mktemp("towers_media"), frame_rate=1)


def test_beats_in_order_and_a_lecture_length(scene):
    assert scene.beats == BEATS
    assert 25 <= scene.renderer.time <= 60


def test_the_data_is_the_core_comparison_and_sweep(scene):
    p = scene.params
    ref = compare(p.target, p.domain, p.units, p.steepness)
    np.testing.assert_array_equal(scene.data.side.towers.net.W2, ref.towers.net.W2)
    np.testing.assert_array_equal(scene.data.side.hinges.net.W2, ref.hinges.net.W2)
    s = sweep(p.target, p.domain, SWEEP_UNITS, p.steepness)
    np.testing.assert_array_equal(scene.data.sweep.hinge_rms, s.hinge_rms)
    assert scene.numbers["tower_slope"] == s.tower_slope
    assert scene.numbers["hinge_slope"] == s.hinge_slope
    assert scene.numbers["hinge_slope"] <= scene.numbers["tower_slope"] - 0.6


def test_the_drawn_curves_are_the_two_nets(scene):
    panels = scene.beat_results["both-fits"]
    side = scene.data.side
    # the sigmoid curve is a polyline through samples of the net: read its vertices back
    xs, ys = to_coords(panels.towers, panels.tower_curve.points[::4])
    np.testing.assert_allclose(ys, side.towers.net(xs), atol=1e-9)
    assert xs.min() == pytest.approx(scene.data.domain[0]) and len(xs) > 20 * side.towers.units
    xs, ys = panels.hinge_curve.drawn_coords()
    np.testing.assert_allclose(ys, side.hinges.net(xs), atol=1e-6)
    assert panels.hinge_curve.net is side.hinges.net


def test_the_readouts_and_captions_show_the_core_errors(scene):
    panels = scene.beat_results["both-fits"]
    side = scene.data.side
    r = panels.readouts
    assert r["towers_max"].number.get_value() == side.towers.max_abs_error
    assert r["towers_rms"].number.get_value() == side.towers.rms_error
    assert r["hinges_max"].number.get_value() == side.hinges.max_abs_error
    assert r["hinges_rms"].number.get_value() == side.hinges.rms_error
    said = [text for _, text in scene.caption_log]
    assert any(
        f"{side.towers.max_abs_error:.2g}" in t and f"{side.hinges.max_abs_error:.2g}" in t
        for t in said
    )


def test_the_knot_dots_sit_on_each_curve_at_each_unit_s_knot(scene):
    panels = scene.beat_results["both-fits"]
    side, domain = scene.data.side, scene.data.domain
    tower_dots, hinge_dots = panels.knots
    n = side.towers.units
    assert len(tower_dots) == len(hinge_dots) == n
    xs, ys = to_coords(panels.towers, [d.get_center() for d in tower_dots])
    h = (domain[1] - domain[0]) / (n + 1)
    np.testing.assert_allclose(xs, domain[0] + h * np.arange(1, n + 1), atol=1e-9)
    np.testing.assert_allclose(ys, side.towers.net(xs), atol=1e-9)
    xs, ys = to_coords(panels.hinges, [d.get_center() for d in hinge_dots])
    np.testing.assert_allclose(
        xs, domain[0] + (domain[1] - domain[0]) * np.arange(n) / n, atol=1e-9
    )
    np.testing.assert_allclose(ys, side.hinges.net(xs), atol=1e-9)


def test_the_log_log_chart_plots_the_sweep_with_its_slopes(scene):
    chart, _fits_t, _fits_h, _tags, slopes, ratio = scene.beat_results["errors-against-n"]
    s = scene.data.sweep
    for name, values in (("towers", s.tower_rms), ("hinges", s.hinge_rms)):
        line = chart.lines[name][0]
        np.testing.assert_allclose(line.xs, np.log2(SWEEP_UNITS) - np.log2(SWEEP_UNITS[0]))
        np.testing.assert_allclose(10.0 ** (line.ys + chart.floor), values, rtol=1e-12)
    assert slopes[0].number.get_value() == s.tower_slope
    assert slopes[1].number.get_value() == s.hinge_slope
    said = [text for _, text in scene.caption_log]
    assert any(f"{s.tower_slope:.2f}" in t and f"{s.hinge_slope:.2f}" in t for t in said)
    assert any(f"{scene.data.ratio:.0f} times smaller" in t for t in said)


def test_the_caveat_is_on_screen(scene):
    said = [text for _, text in scene.caption_log]
    assert CAVEAT in said and CAVEAT_MORE in said
    note = scene.beat_results["steep-steps-only"]
    assert " ".join(line.original_text for line in note) == CAVEAT_MORE


def test_a_target_fitted_exactly_is_refused_before_any_frame():
    # abs(x) on [-3, 3]: every even N puts a uniform hinge knot at 0, so the error is 0
    with pytest.raises(ParamError, match="fitted exactly"):
        validate_params(TowersVsHinges.Params(target="abs(x)"), "TowersVsHinges")
