"""GatesAsIfs: the drawn gates, code branch and regions agree with the core, read off the mobjects."""

from __future__ import annotations

import numpy as np
import pytest
from manim import ManimColor

from relu_anim.core.classify import train_classifier
from relu_anim.core.regions import count_regions, first_layer_lines, region_affine
from relu_anim.params import build_params
from scenes.gates import ELSE_LINE, IF_LINE, VALUE_LINE, GatesAsIfs

BEATS = ["network", "if-statement", "walk", "regions", "one-function"]


@pytest.fixture(scope="module")
def scene(tmp_path_factory, tiny):
    """One guarded dry-run render at the defaults, shared by the tests below."""
    return tiny(GatesAsIfs, tmp_path_factory.mktemp("gates_media"), frame_rate=1)


def _hex(color) -> str:
    return ManimColor(color).to_hex().lower()


def test_weights_and_numbers_come_from_the_core(scene):
    ref = train_classifier(task="xor", hidden=4, seed=0, n=200)
    np.testing.assert_array_equal(scene.net.W1, ref.net.W1)
    np.testing.assert_array_equal(scene.net.b2, ref.net.b2)
    assert scene.numbers == {
        "task": "xor",
        "accuracy": ref.accuracy,
        "regions": count_regions(ref.net, scene.box),
        "hidden": 4,
    }
    # the code panel shows the focus unit's own weights and bias to 2 decimals
    j = scene.focus
    shown = scene.code.lines[1].original_text.replace(" ", "")
    w, b = ref.net.W1[j], ref.net.b1[j]
    for v in (*w, b):
        assert f"{abs(v):.2f}" in shown


def test_path_crosses_every_first_layer_line(scene):
    ts = np.linspace(0, 1, 2001)
    z = scene.net.preactivations(np.array([scene.path_fn(t) for t in ts]))[0]
    for unit, _p0, _p1 in first_layer_lines(scene.net, scene.box):
        assert np.any(np.diff(np.sign(z[:, unit])) != 0), f"path never crosses h{unit + 1}"


def test_displayed_gates_follow_the_core_along_the_path(scene):
    theme = scene.theme
    flips = 0
    previous = None
    for t in np.linspace(0, 1, 41):
        shown = scene.displayed_gate_states(t)  # read from the discs' fill colour/opacity
        core = tuple(bool(g) for g in scene.net.gates(scene.path_fn(t)[None])[0])
        assert shown == core, f"t={t:.3f}: drawn {shown} vs core {core}"
        for gate, out, is_open in zip(
            scene.diagram.gates, scene.diagram.edges_out, core, strict=True
        ):
            assert (
                _hex(gate[0].get_fill_color()) == (theme.open if is_open else theme.closed).lower()
            )
            assert all((e.get_stroke_opacity() > 0.5) == is_open for e in out)
        # the code panel's bar sits on the branch taken by the focus unit
        z = scene.net.preactivations(scene.path_fn(t)[None])[0][0, scene.focus]
        assert scene.code.highlighted == (IF_LINE if z > 0 else ELSE_LINE)
        bar_y = scene.code.bar.get_y()
        line = scene.code.lines[IF_LINE if z > 0 else ELSE_LINE]
        assert abs(bar_y - line.get_y()) < scene.code.line_gap / 2
        shown_z = scene.code.lines[VALUE_LINE].original_text.split("z = ")[1].split(",")[0]
        assert float(shown_z) == pytest.approx(z, abs=5e-3)
        flips += previous is not None and shown != previous
        previous = shown
    assert flips >= len(first_layer_lines(scene.net, scene.box))
    # the walk's own updater logged what it displayed, too
    assert scene.gate_states_log
    for t, shown in scene.gate_states_log:
        assert shown == tuple(bool(g) for g in scene.net.gates(scene.path_fn(t)[None])[0])


def test_regions_drawn_exactly_and_coloured_by_pattern(scene):
    theme = scene.theme
    palette = [c for c in theme.region_colors if c.lower() != theme.accent.lower()]
    assert len(scene.region_fill) == count_regions(scene.net, scene.box) == len(scene.regions)
    assert scene.count_text.original_text.startswith(f"{len(scene.regions)} ")
    total = 0.0
    for poly, region in zip(scene.region_fill, scene.regions, strict=True):
        assert poly.pattern == region.pattern
        assert _hex(poly.get_fill_color()) == palette[sum(region.pattern) % len(palette)].lower()
        # the polygon's corners are the core's corners, mapped through the axes
        corners = np.array([scene.axes.p2c(v) for v in poly.get_vertices()])
        np.testing.assert_allclose(corners, region.polygon, atol=1e-6)
        # and the core's pattern holds at the centroid
        assert tuple(scene.net.gates(region.centroid[None])[0].astype(int)) == region.pattern
        total += region.area
    assert total == pytest.approx((2 * scene.box) ** 2)
    for tag in scene.region_labels:
        assert tag.text == "".join(map(str, tag.pattern))


def test_region_affine_is_the_net_inside_its_region():
    net = train_classifier().net
    from relu_anim.core.regions import linear_regions

    rng = np.random.default_rng(1)
    for region in linear_regions(net, 1.5):
        A, c = region_affine(net, region.pattern)
        w = rng.dirichlet(np.ones(len(region.polygon)), size=20)  # points inside the cell
        pts = w @ region.polygon
        np.testing.assert_allclose(pts @ A[0] + c[0], net(pts), atol=1e-9)


def test_beats_and_captions(scene):
    assert scene.beats == BEATS
    captions = [text for _, text in scene.caption_log]
    assert captions[0].startswith("A 2 → 4 → 1 ReLU net trained on xor")
    assert f"{count_regions(scene.net, scene.box)} regions" in " ".join(captions)
    assert captions[-1] == "Each pattern of open gates is one linear function."
    assert scene.guard_checks > 0


def test_other_task_and_width_render(render_scene):
    s = render_scene(
        GatesAsIfs, build_params(GatesAsIfs.Params, {"task": "ring", "hidden": "6"}), frame_rate=1
    )
    assert s.numbers["task"] == "ring" and s.numbers["hidden"] == 6
    assert len(s.diagram.gates) == 6
    assert s.numbers["regions"] == count_regions(s.net, s.box)


@pytest.mark.parametrize(
    "overrides", [{"hidden": 1}, {"hidden": 7}, {"task": "spiral"}, {"seed": -1}]
)
def test_bad_params_fail_in_the_constructor(overrides):
    with pytest.raises(ValueError):
        GatesAsIfs(GatesAsIfs.Params(**overrides))
    with pytest.raises(ValueError):
        build_params(GatesAsIfs.Params, {k: str(v) for k, v in overrides.items()})
