"""LinearCollapse: the single product matrix lands the grid exactly where the layers do, the
panels print the core's numbers, and the ReLU witness on screen is the core's."""

from __future__ import annotations

import numpy as np
import pytest

from relu_anim.core.collapse import apply_layers, compose, random_layers, relu_witness, stages
from relu_anim.params import ParamError, build_params
from relu_anim.visuals.matrix import fmt, parse
from relu_anim.visuals.plane import densify, insert_crossings
from scenes.collapse import CollapseParams, LinearCollapse

BEATS = ["three-layers", "one-matrix", "relu-folds", "witness", "takeaway"]


@pytest.fixture(scope="module")
def caches(tmp_path_factory):
    """LaTeX and text caches shared by this module's renders (the formulas repeat)."""
    root = tmp_path_factory.mktemp("collapse-caches")
    return {"tex_dir": str(root / "tex"), "text_dir": str(root / "texts"), "frame_rate": 5}


@pytest.fixture(scope="module")
def scene(tmp_path_factory, caches, tiny):
    """One dry-run render at the defaults, shared by the tests below (tiny and guarded)."""
    return tiny(LinearCollapse, tmp_path_factory.mktemp("media"), **caches)


def test_product_grid_equals_grid_after_the_layers(scene):
    after_layers = scene.grid_after_layers_points
    after_product = scene.grid_after_product_points
    assert len(after_layers) == len(after_product) == 14  # 7 + 7 grid lines
    for a, b in zip(after_layers, after_product, strict=True):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)
    # ... and both are the core's maps of the drawn input lines
    for line, a, b in zip(scene.input_lines, after_layers, after_product, strict=False):
        np.testing.assert_allclose(a, apply_layers(scene.layers, line, False), atol=1e-9)
        np.testing.assert_allclose(b, scene.product.apply(line), atol=1e-9)
    assert scene.guard_checks > 0  # every play was checked against the frame


def test_scene_uses_the_core_numbers(scene):
    p = scene.params
    layers = random_layers(p.layers, p.seed)
    for mine, core in zip(scene.layers, layers, strict=True):
        np.testing.assert_array_equal(mine.W, core.W)
        np.testing.assert_array_equal(mine.b, core.b)
    product = compose(layers)
    np.testing.assert_allclose(scene.product.W, product.W, atol=1e-12)
    np.testing.assert_allclose(scene.product.b, product.b, atol=1e-12)
    assert scene.numbers["layers"] == p.layers
    np.testing.assert_allclose(scene.numbers["product_W"], product.W, atol=1e-12)
    np.testing.assert_allclose(scene.numbers["product_b"], product.b, atol=1e-12)


def test_panels_show_the_core_numbers_as_rounded(scene):
    assert len(scene.layer_panels) == len(scene.layers)
    for panel, layer in zip(scene.layer_panels, scene.layers, strict=True):
        W_text, b_text = panel.shown()
        assert W_text == [[fmt(v, 1) for v in row] for row in layer.W]
        W_shown, b_shown = panel.shown_values()
        np.testing.assert_allclose(W_shown, np.round(layer.W, 1), atol=1e-12)
        np.testing.assert_allclose(b_shown, np.round(layer.b, 1), atol=1e-12)
    k = len(scene.layers)
    W_shown, b_shown = scene.product_panel.shown_values()
    np.testing.assert_allclose(W_shown, np.round(scene.product.W, k), atol=1e-12)
    np.testing.assert_allclose(b_shown, np.round(scene.product.b, k), atol=1e-12)
    # with 1-decimal layers, k decimals print the product exactly
    np.testing.assert_allclose(W_shown, scene.product.W, atol=1e-9)


def test_witness_is_the_core_witness(scene):
    p = scene.params
    core = relu_witness(random_layers(p.layers, p.seed))
    assert scene.witness.gap > 0
    assert scene.witness.gap == core.gap == scene.numbers["witness_gap"]
    # the dots that rode through the ReLU stages end on the core's f(p), f(q), f(m)
    np.testing.assert_allclose(
        scene.dots.read_plane_points(), [core.f_p, core.f_q, core.f_mid], atol=1e-9
    )
    shown = [line.original_text for line in scene.note.lines]
    gap_line = next(t for t in shown if t.startswith("gap = "))
    assert parse(gap_line.removeprefix("gap = ")) == round(core.gap, 3)


def test_beats_and_captions(scene):
    assert scene.beats == BEATS
    captions = [text for _, text in scene.caption_log]
    assert len(captions) >= len(BEATS)
    assert "one matrix" in captions[-1] or "one matrix" in " ".join(captions)
    times = [t for t, _ in scene.caption_log]
    assert times == sorted(times)
    assert 25 <= scene.time <= 60


@pytest.mark.parametrize("layers", [0, 1, 5, 9])
def test_layers_out_of_range_fail_before_rendering(layers):
    with pytest.raises(ValueError, match="layers"):
        LinearCollapse(CollapseParams(layers=layers))
    with pytest.raises(ParamError, match="layers"):
        build_params(CollapseParams, {"layers": str(layers)}, scene="LinearCollapse")


def test_negative_seed_is_rejected():
    with pytest.raises(ParamError, match="seed"):
        LinearCollapse(CollapseParams(seed=-1))


@pytest.mark.parametrize("layers", [4])  # the tallest stack and widest product panel
def test_other_depths_render_inside_the_frame(render_scene, caches, layers):
    s = render_scene(LinearCollapse, CollapseParams(layers=layers, seed=3), **caches)
    assert s.beats == BEATS
    assert 25 <= s.time <= 60
    for a, b in zip(s.grid_after_layers_points, s.grid_after_product_points, strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)
    assert len(s.product_panel.shown()[0][0][0].split(".")[1]) == layers


def test_fold_points_are_vertices_so_the_drawn_polylines_are_exact():
    layers = random_layers(3, 11)
    a, b = np.array([-3.0, -1.0]), np.array([3.0, 2.0])
    line = densify(np.array([a, b]), 4)
    refined = line
    for i, (name, _) in enumerate(stages(layers, line, True)):
        if name == "relu":
            refined = insert_crossings(refined, stages(layers, refined, True)[i - 1][1])
    assert len(refined) > len(line)  # this segment is folded

    s = np.linspace(0.0, 1.0, 2001)
    truth = apply_layers(layers, a + s[:, None] * (b - a), True)

    def drawn(vertices):  # the polyline through the mapped vertices, at parameters s
        u = (vertices - a) @ (b - a) / ((b - a) @ (b - a))
        img = apply_layers(layers, vertices, True)
        return np.column_stack([np.interp(s, u, img[:, 0]), np.interp(s, u, img[:, 1])])

    np.testing.assert_allclose(drawn(refined), truth, atol=1e-9)
    assert np.abs(drawn(line) - truth).max() > 1e-3  # without the fold points it would cut corners
