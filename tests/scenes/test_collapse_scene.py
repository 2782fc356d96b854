"""LinearCollapse: the single product matrix lands the grid exactly where the layers do, the
panels print the core's numbers, and the ReLU witness on screen is the core's."""

from __future__ import annotations

import numpy as np
import pytest

from relu_anim.core.collapse import apply_layers, compose, random_layers, relu_witness, stages
from relu_anim.lecture.params import ParamError, build_params
from relu_anim.scenes.collapse import LinearCollapse
from relu_anim.visuals.matrix import MatrixPanel, fmt, parse
from relu_anim.visuals.plane import densify, insert_crossings

CollapseParams = LinearCollapse.Params
BEATS = ["three-layers", "one-matrix", "relu-clamps", "witness", "closing"]


def snapshots(scene) -> dict:
    """At each beat's end: the grid's plane points and the panels in the right column."""
    shots: dict = {}

    def snap(s, name: str) -> None:
        plane = s.beat_results.get("three-layers")
        if plane is not None:
            panels = [m for m in plane.column if isinstance(m, MatrixPanel)]
            shots[name] = {"grid": plane.grid.read_plane_points(), "panels": panels}

    scene.beat_end_hooks.append(snap)
    scene.snapshots = shots
    return shots


@pytest.fixture(scope="module")
def caches(tmp_path_factory):
    """LaTeX and text caches shared by this module's renders (the formulas repeat)."""
    root = tmp_path_factory.mktemp("collapse-caches")
    return {"tex_dir": str(root / "tex"), "text_dir": str(root / "texts"), "frame_rate": 5}


@pytest.fixture(scope="module")
def scene(tmp_path_factory, caches, tiny):
    """One dry-run render at the defaults, shared by the tests below (tiny and guarded)."""
    return tiny(LinearCollapse, tmp_path_factory.mktemp("media"), on_scene=snapshots, **caches)


def test_product_grid_equals_grid_after_the_layers(scene):
    after_layers = scene.snapshots["three-layers"]["grid"]
    after_product = scene.snapshots["one-matrix"]["grid"]
    assert len(after_layers) == len(after_product) == 14  # 7 + 7 grid lines
    for a, b in zip(after_layers, after_product, strict=True):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)
    # ... and both are the core's maps of the drawn input lines
    data = scene.data
    for line, a, b in zip(data.input_lines, after_layers, after_product, strict=False):
        np.testing.assert_allclose(a, apply_layers(data.layers, line, False), atol=1e-9)
        np.testing.assert_allclose(b, data.product.apply(line), atol=1e-9)
    assert scene.guard_checks > 0  # every play was checked against the frame


def test_scene_uses_the_core_numbers(scene):
    p = scene.params
    layers = random_layers(p.layers, p.seed)
    for mine, core in zip(scene.data.layers, layers, strict=True):
        np.testing.assert_array_equal(mine.W, core.W)
        np.testing.assert_array_equal(mine.b, core.b)
    product = compose(layers)
    np.testing.assert_allclose(scene.data.product.W, product.W, atol=1e-12)
    np.testing.assert_allclose(scene.data.product.b, product.b, atol=1e-12)
    assert scene.numbers["layers"] == p.layers
    np.testing.assert_allclose(scene.numbers["product_W"], product.W, atol=1e-12)
    np.testing.assert_allclose(scene.numbers["product_b"], product.b, atol=1e-12)


def test_panels_show_the_core_numbers_as_rounded(scene):
    layers, product = scene.data.layers, scene.data.product
    layer_panels = scene.snapshots["three-layers"]["panels"]
    assert len(layer_panels) == len(layers)
    for panel, layer in zip(layer_panels, layers, strict=True):
        W_text, b_text = panel.shown()
        assert W_text == [[fmt(v, 1) for v in row] for row in layer.W]
        W_shown, b_shown = panel.shown_values()
        np.testing.assert_allclose(W_shown, np.round(layer.W, 1), atol=1e-12)
        np.testing.assert_allclose(b_shown, np.round(layer.b, 1), atol=1e-12)
    k = len(layers)
    (product_panel,) = scene.snapshots["one-matrix"]["panels"]
    W_shown, b_shown = product_panel.shown_values()
    np.testing.assert_allclose(W_shown, np.round(product.W, k), atol=1e-12)
    np.testing.assert_allclose(b_shown, np.round(product.b, k), atol=1e-12)
    # with 1-decimal layers, k decimals print the product exactly
    np.testing.assert_allclose(W_shown, product.W, atol=1e-9)


def test_witness_is_the_core_witness(scene):
    p = scene.params
    core = relu_witness(random_layers(p.layers, p.seed))
    assert scene.data.witness.gap > 0
    assert scene.data.witness.gap == core.gap == scene.numbers["witness_gap"]
    # the dots that rode through the ReLU stages end on the core's f(p), f(q), f(m)
    segment, dots, note = scene.beat_results["witness"][:3]
    np.testing.assert_allclose(
        dots.read_plane_points(), [core.f_p, core.f_q, core.f_mid], atol=1e-9
    )
    shown = [line.original_text for line in note.lines]
    gap_line = next(t for t in shown if t.startswith("gap = "))
    assert parse(gap_line.removeprefix("gap = ")) == round(core.gap, 3)


def test_beats_and_captions(scene):
    assert scene.beats == BEATS
    captions = [text for _, text in scene.caption_log]
    assert len(captions) >= len(BEATS)
    assert "one affine map" in " ".join(captions)
    times = [t for t, _ in scene.caption_log]
    assert times == sorted(times)
    assert 25 <= scene.time <= 75


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
    s = render_scene(
        LinearCollapse, CollapseParams(layers=layers, seed=3), on_scene=snapshots, **caches
    )
    assert s.beats == BEATS
    assert 25 <= s.time <= 90  # a fourth layer adds two stages to the default's 25-75 s
    shots = s.snapshots
    for a, b in zip(shots["three-layers"]["grid"], shots["one-matrix"]["grid"], strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)
    (product_panel,) = shots["one-matrix"]["panels"]
    assert len(product_panel.shown()[0][0][0].split(".")[1]) == layers


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


def test_clamped_images_are_framed_large_enough_to_read(scene):
    """After every ReLU stage the view is reframed: the image fills a good part of the view.

    The image of the grid is at least 2 plane units across by construction of ``zoom_bounds``
    (``min_span``), and the view fits its bounds to the region, so the drawn picture must
    span at least half the region in one direction (a sliver near the origin would not).
    """
    plane = scene.beat_results["three-layers"]
    left, right, bottom, top = plane.view.region
    points = np.vstack([line.points for line in plane.grid])
    width = np.ptp(points[:, 0]) / (right - left)
    height = np.ptp(points[:, 1]) / (top - bottom)
    assert max(width, height) >= 0.5, (width, height)
    # and the drawn lines are still the core's last ReLU stage, through the reframed view
    last = scene.data.relu_stages[-1][1]
    for drawn, core in zip(plane.grid.read_plane_points(), last, strict=False):
        np.testing.assert_allclose(drawn, core, atol=1e-9)
