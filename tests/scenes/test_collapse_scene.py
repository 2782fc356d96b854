"""LinearCollapse: the single product matrix lands the grid exactly where the layers do, the
panels print the core's numbers, every ReLU is shaded then clamps with its own caption, the
share of p-q that collapses to a point is the core's, and the layers can be given as numbers."""

from __future__ import annotations

import re

import numpy as np
import pytest

from relu_anim.cli import main
from relu_anim.core.clamping import segment_collapse
from relu_anim.core.collapse import apply_layers, compose, random_layers, relu_witness
from relu_anim.lecture.params import ParamError, build_params
from relu_anim.scenes.collapse import WINDOW, LinearCollapse
from relu_anim.visuals.matrix import MatrixPanel, fmt, parse

CollapseParams = LinearCollapse.Params
BEATS = ["three-layers", "one-matrix", "relu-clamps", "witness", "closing"]
# four layers given as numbers (W11 W12 W21 W22 b1 b2 each; random_layers(4, 5, WINDOW)): every
# stage fits the window, ReLU 1 and ReLU 3 each send part of p-q to a point
FOUR_LAYERS = (
    "0.8,-0.8,-0.7,-0.2,-0.5,1, 1.5,1.4,0.5,-0.3,-0.6,0.9, "
    "-0.7,0.2,0.5,-0.8,-0.4,0.5, 1.3,-0.4,-0.5,0.9,-1,-0.6"
)


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


def captions(scene) -> list[str]:
    return [text for _, text in scene.caption_log]


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
    layers = random_layers(p.layers, p.seed, WINDOW)
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
    core = relu_witness(random_layers(p.layers, p.seed, WINDOW), window=WINDOW)
    assert scene.data.witness.gap > 0
    assert scene.data.witness.gap == core.gap == scene.numbers["witness_gap"]
    # the dots that rode through the ReLU stages end on the core's f(p), f(q), f(m)
    clamped = scene.beat_results["relu-clamps"]
    np.testing.assert_allclose(
        clamped.dots.read_plane_points(), [core.f_p, core.f_q, core.f_mid], atol=1e-9
    )
    note = scene.beat_results["witness"][0]
    shown = [line.original_text for line in note.lines]
    gap_line = next(t for t in shown if t.startswith("gap = "))
    assert parse(gap_line.removeprefix("gap = ")) == round(core.gap, 3)


def test_the_collapsed_share_of_pq_is_the_cores_on_screen_and_in_a_caption(scene):
    w = scene.data.witness
    core = segment_collapse(scene.data.layers, w.p, w.q)
    assert scene.numbers["pq_collapsed_share"] == core.fraction
    assert 0.15 < core.fraction < 0.6  # the default shows a real collapse
    clamped = scene.beat_results["relu-clamps"]
    assert clamped.number.text == f"{100 * core.fraction:.0f}"  # the readout, as drawn
    assert clamped.readout[-1].original_text == "%"
    # the readout's "%" sits right of the digits, never on them
    assert clamped.readout[-1].get_left()[0] > clamped.number.get_right()[0]
    # each ReLU that collapses part of p-q names that part in its caption
    named = [int(m) for c in captions(scene) for m in re.findall(r"(\d+) % (?:more )?of p", c)]
    shown = [int(f"{100 * s:.0f}") for s in [0.0, *core.per_relu]]  # the readout's values
    assert named == [b - a for a, b in zip(shown, shown[1:], strict=False) if b > a]
    assert sum(named) == shown[-1]  # the caption's steps add up to the readout
    # a ring marks each point where part of p-q collapsed, at the core's final point
    for ring in clamped.rings:
        np.testing.assert_allclose(ring.read_plane_points()[0], core.points[0], atol=1e-9)


def test_every_relu_is_shaded_then_clamps_with_its_own_caption(scene):
    said = captions(scene)
    shaded = [i for i, c in enumerate(said) if c.startswith("Shaded")]
    clamps = [i for i, c in enumerate(said) if c.startswith("ReLU clamps")]
    relus = len(scene.data.layers) - 1
    assert len(shaded) == len(clamps) == relus
    assert all(c == s + 1 for s, c in zip(shaded, clamps, strict=True))
    layer_lines = [c for c in said if re.match(r"Layer \d ", c)]
    assert len(layer_lines) == 2 * len(scene.data.layers)  # without ReLU, then with it
    assert not any("fold" in c.lower() for c in said)  # ReLU clamps; it does not fold


def test_the_default_layers_make_every_relu_clip(scene):
    """Each ReLU moves a good part of the grid (the second is not a no-op)."""
    moved = scene.numbers["grid_share_moved_by_each_relu"]
    assert len(moved) == 2 and min(moved) > 0.15


def test_beats_captions_and_duration(scene):
    assert scene.beats == BEATS
    said = captions(scene)
    assert len(said) >= len(BEATS)
    assert "one affine map" in " ".join(said)
    times = [t for t, _ in scene.caption_log]
    assert times == sorted(times)
    assert 25 <= scene.time <= 75


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


@pytest.mark.parametrize("layers", [0, 1, 5, 9])
def test_layers_out_of_range_fail_before_rendering(layers):
    with pytest.raises(ValueError, match="layers"):
        LinearCollapse(CollapseParams(layers=layers))
    with pytest.raises(ParamError, match="layers"):
        build_params(CollapseParams, {"layers": str(layers)}, scene="LinearCollapse")


def test_negative_seed_is_rejected():
    with pytest.raises(ParamError, match="seed"):
        LinearCollapse(CollapseParams(seed=-1))


def test_layer_values_override_the_seed():
    text = "0.7,0,0,0.7,-0.5,0.5, 0.8,-0.6,0.6,0.8,0,0"
    p = build_params(CollapseParams, {"layer_values": text, "seed": "5"}, "LinearCollapse")
    layers = LinearCollapse.layers_of(p)
    assert len(layers) == 2
    np.testing.assert_array_equal(layers[0].b, [-0.5, 0.5])
    np.testing.assert_array_equal(layers[1].W, [[0.8, -0.6], [0.6, 0.8]])
    data = LinearCollapse.compute(p)
    assert data.layers[1].W.tolist() == [[0.8, -0.6], [0.6, 0.8]]
    assert LinearCollapse.summarize(data)["layer_values"] == [float(v) for v in text.split(",")]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1,0,0,1,0", "6 numbers per layer"),
        ("1,0,0,1,0,0", "6 numbers per layer"),  # one layer: nothing between
        (",".join(["1,0,0,1,0,0"] * 5), "6 numbers per layer"),
        ("1,0,0,1,0,x,1,0,0,1,0,0", "bad value"),
        ("1,0,0,1,0,nan,1,0,0,1,0,0", "finite"),
        ("1,0,0,1,0,2.5,1,0,0,1,0,0", "within"),
        ("1,0,0,1,0,0.25,1,0,0,1,0,0", "multiples of 0.1"),
        ("1,0,0,1,0,0,0.5,0.5,0.5,0.6,0,0", "det"),
        ("2,0,0,2,0,0,2,0,0,2,0,0", r"\|y\| <= 4"),  # the square grows to 12 after W2
        ("0.5,0,0,0.5,2,2,1,0,0,1,0,0", "affine"),  # shifted positive: ReLU never acts
    ],
)
def test_bad_layer_values_are_one_line_errors(value, message):
    with pytest.raises(ParamError, match=message) as info:
        build_params(CollapseParams, {"layer_values": value}, scene="LinearCollapse")
    assert "layer_values" in str(info.value) and "\n" not in str(info.value)


def test_the_cli_takes_layer_values_and_rejects_bad_ones(capsys, tmp_path):
    main(["numbers", "LinearCollapse", "--set", "layer_values=1,0,0,1,-0.5,0.5,1,0,0,1,0,0"])
    out = capsys.readouterr().out
    assert '"layers": 2' in out
    with pytest.raises(SystemExit) as info:
        main(["render", "LinearCollapse", "--out", str(tmp_path), "--set", "layer_values=1,2"])
    err = capsys.readouterr().err
    assert info.value.code == 2 and err.startswith("error: ") and len(err.splitlines()) == 1
    assert "layer_values" in err and not any(tmp_path.iterdir())


def test_four_given_layers_render_inside_the_frame(render_scene, caches):
    p = build_params(CollapseParams, {"layer_values": FOUR_LAYERS}, "LinearCollapse")
    s = render_scene(LinearCollapse, p, on_scene=snapshots, **caches)
    assert s.beats == BEATS
    assert 25 <= s.time <= 95  # a fourth layer adds a layer and a ReLU to the default's 25-75 s
    shots = s.snapshots
    for a, b in zip(shots["three-layers"]["grid"], shots["one-matrix"]["grid"], strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)
    given = np.array([float(v) for v in FOUR_LAYERS.split(",")]).reshape(4, 6)
    for panel, row in zip(shots["three-layers"]["panels"], given, strict=True):
        W_shown, b_shown = panel.shown_values()
        np.testing.assert_array_equal(W_shown, row[:4].reshape(2, 2))
        np.testing.assert_array_equal(b_shown, row[4:])
    (product_panel,) = shots["one-matrix"]["panels"]
    assert len(product_panel.shown()[0][0][0].split(".")[1]) == 4
