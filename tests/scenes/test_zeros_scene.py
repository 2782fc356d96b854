"""WhatTheZerosDo: what is drawn (curves, regions, numbers, the code) is what the core computed."""

from __future__ import annotations

import numpy as np
import pytest
from manim import ManimColor

from relu_anim.colour import blend, difference
from relu_anim.core.zeros import BOX, noise_gate, noisy_signal, random_layer, recovery_map
from relu_anim.lecture.params import build_params
from relu_anim.scenes.zeros import CLOSING, LOST_OPACITY, OPEN_OPACITY, WhatTheZerosDo
from relu_anim.theme import THEMES

BEATS = ["pair", "plane", "grow", "noise", "gate", "smart-zip", "closing"]


def snapshot(scene, name: str) -> None:
    """What the plane shows when a beat ends (the plane object is reused by later beats)."""
    result = scene.beat_results.get(name)
    if name in ("plane", "grow"):
        scene.snaps[name] = {
            "fraction": result.fraction.original_text,
            "units": result.units.original_text,
            "flags": [p.recoverable for p in result.regions],
            "polys": list(result.regions),
            "lines": len(result.lines),
        }


@pytest.fixture(scope="module")
def scene(tmp_path_factory, tiny):
    def attach(s):
        s.snaps = {}
        s.beat_end_hooks.append(snapshot)

    return tiny(
        WhatTheZerosDo, tmp_path_factory.mktemp("zeros_media"), frame_rate=2, on_scene=attach
    )


def _hex(c) -> str:
    return ManimColor(c).to_hex().lower()


def test_beats_captions_and_duration(scene):
    assert scene.beats == BEATS
    captions = [t for _, t in scene.caption_log]
    assert captions[0].endswith("relu(z) − relu(−z) = z.")
    assert captions[-1] == CLOSING
    assert scene.guard_checks > 0
    assert 25 <= scene.time <= 60


def test_pair_curves_are_the_identity(scene):
    _axes, h1, h2, back, column = scene.beat_results["pair"]
    z = np.linspace(-2, 2, 401)
    for graph, expect in ((h1, np.maximum(z, 0)), (h2, np.maximum(-z, 0)), (back, z)):
        xs, ys = graph.drawn_coords()
        np.testing.assert_allclose(ys, np.interp(xs, z, expect), atol=1e-6)
    assert scene.data.pair_gap == 0.0
    assert column[3].original_text.endswith(": 0")


@pytest.mark.parametrize("beat, units", [("plane", 2), ("grow", 6)])
def test_plane_regions_and_fraction_come_from_the_core(scene, beat, units):
    snap, theme = scene.snaps[beat], scene.theme
    layer = random_layer(units, 1)
    rec = recovery_map(layer)
    assert snap["fraction"] == f"x recoverable on {rec.fraction:.1%}"
    assert snap["units"].endswith(f": {units}")
    total = 0.0
    for poly in snap["polys"]:
        region = poly.region
        # recoverable per region agrees with recovering its centroid from the outputs alone
        h = np.maximum(layer.W @ region.centroid + layer.b, 0)
        rows = layer.W[h > 0]
        assert poly.recoverable == (len(rows) >= 2 and np.linalg.matrix_rank(rows) == 2)
        colour = theme.open if poly.recoverable else theme.closed
        assert _hex(poly.get_fill_color()) == colour.lower()
        total += region.area * poly.recoverable
    # the drawn area and the grid share agree up to the grid's boundary points (see core test)
    assert total / (2 * BOX) ** 2 == pytest.approx(rec.fraction, abs=0.02)


def test_fraction_grows_and_error_is_tiny(scene):
    fr = scene.numbers["recoverable_fraction"]
    assert fr == sorted(fr) and len(fr) == 5
    assert scene.numbers["max_reconstruction_error"] < 1e-9
    captions = " ".join(t for _, t in scene.caption_log)
    assert f"on {fr[0]:.1%} of the square" in captions and f"on {fr[-1]:.1%} of" in captions
    plane = scene.beat_results["grow"]
    assert plane.error[1][2].original_text.endswith(f"{scene.data.last.max_error:.0e}")


def test_probe_is_recovered_from_the_outputs_alone(scene):
    """The probe's ring sits where least squares on the open units puts x, on the dot."""
    layer, pr = random_layer(6, 1), scene.data.probe
    h = np.maximum(layer.W @ pr.x + layer.b, 0)
    o = h > 0
    x_hat = np.linalg.lstsq(layer.W[o], h[o] - layer.b[o], rcond=None)[0]
    assert pr.opened == o.sum() >= 2
    np.testing.assert_allclose(pr.x_hat, x_hat, atol=1e-12)
    np.testing.assert_allclose(x_hat, pr.x, atol=1e-9)
    plane = scene.beat_results["grow"]
    (dot, ring), shown = plane.error
    np.testing.assert_allclose(ring.get_center(), dot.get_center(), atol=1e-6)
    np.testing.assert_allclose(dot.get_center(), plane.to_scene(pr.x), atol=1e-9)
    assert shown[0].original_text.startswith(f"x = ({pr.x[0]:.2f}".replace("-", "−"))
    assert f"{o.sum()} of 6 units open" in shown[0].original_text


def test_gate_output_zeros_and_snr_from_the_core(scene):
    _, s, x = noisy_signal(1, 0.1)
    plots = scene.beat_results["gate"]
    xs, ys = plots.output.drawn_coords()
    t = np.linspace(0, 1, x.size)
    np.testing.assert_allclose(ys, np.interp(xs, t, np.maximum(x - 0.3, 0)), atol=1e-6)
    zeros = int(np.sum(x <= 0.3))
    assert len(plots.zeros) == zeros
    snr_in = 10 * np.log10(np.sum(s**2) / np.sum((x - s) ** 2))
    c = np.maximum(s - 0.3, 0)
    snr_out = 10 * np.log10(np.sum(c**2) / np.sum((np.maximum(x - 0.3, 0) - c) ** 2))
    shown = " ".join(m.original_text for m in plots.readouts[0])
    assert f"SNR in: {snr_in:.1f} dB" in shown and f"SNR out: {snr_out:.1f} dB" in shown
    assert f"zeros: {zeros} of {x.size} ({zeros / x.size:.0%})" in shown
    assert scene.numbers["sparsity"] == noise_gate(s, x, 0.3).sparsity


def test_the_code_keeps_only_the_nonzeros(scene):
    cells, _label, packed, code = scene.beat_results["smart-zip"]
    g = scene.data.gate
    assert len(cells) == g.output.size and len(packed) == g.kept == np.count_nonzero(g.output)
    assert code.original_text.startswith(f"code: {g.kept} pairs")
    assert packed.width < cells.width * (g.kept + 1) / g.output.size


@pytest.mark.parametrize("theme", THEMES.values(), ids=list(THEMES))
def test_recoverable_and_lost_fills_differ_under_cvd(theme):
    a = blend(theme.open, theme.panel, OPEN_OPACITY)
    b = blend(theme.closed, theme.panel, LOST_OPACITY)
    for vision in ("normal", "protanopia", "deuteranopia", "tritanopia"):
        assert difference(a, b, vision) >= 10, vision


def test_other_params_render(render_scene):
    p = build_params(WhatTheZerosDo.Params, {"hidden": "3", "seed": "4", "threshold": "0.5"})
    s = render_scene(WhatTheZerosDo, p, frame_rate=1)
    assert s.numbers["threshold"] == 0.5 and len(s.numbers["recoverable_fraction"]) == 2
    assert len(s.beat_results["grow"].lines) <= 3


@pytest.mark.parametrize("overrides", [{"hidden": 2}, {"hidden": 11}, {"noise": 0.5}])
def test_bad_params_fail_before_drawing(overrides):
    with pytest.raises(ValueError):
        WhatTheZerosDo(WhatTheZerosDo.Params(**overrides))
