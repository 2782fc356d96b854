"""GatesAsIfs: the drawn gates, tag, output, code branch, regions, formulas and decision agree
with the core, read off the mobjects."""

from __future__ import annotations

import numpy as np
import pytest
from manim import ManimColor

from relu_anim.core.classify import dataset
from relu_anim.core.decision import (
    accuracy,
    arrangement_clarity,
    decision_pieces,
    decision_segments,
    fit_readout,
)
from relu_anim.core.regions import count_regions, first_layer_lines, region_affine
from relu_anim.lecture.params import ParamError, build_params
from relu_anim.scenes.gates import (
    BOX,
    CLOSING,
    ELSE_LINE,
    IF_LINE,
    PRESETS,
    VALUE_LINE,
    GatesAsIfs,
)

BEATS = ["network", "if-statement", "walk", "regions", "one-function", "decision", "closing"]


@pytest.fixture(scope="module")
def scene(tmp_path_factory, tiny):
    """One guarded dry-run render at the defaults, shared by the tests below."""
    return tiny(GatesAsIfs, tmp_path_factory.mktemp("gates_media"), frame_rate=1)


@pytest.fixture(scope="module")
def board(scene):
    return scene.beat_results["network"]


@pytest.fixture(scope="module")
def walker(scene):
    return scene.beat_results["walk"]


def _hex(color) -> str:
    return ManimColor(color).to_hex().lower()


def _points(board, mob) -> np.ndarray:
    """A mobject's corners back in input coordinates (x1, x2)."""
    return np.array([board.axes.p2c(v) for v in mob.get_vertices()])


def test_numbers_come_from_the_core(scene):
    W = np.array(PRESETS["ring"]).reshape(-1, 3)
    X, y = dataset("ring", 200, 0)
    ref = fit_readout(W[:, :2], W[:, 2], X, y)
    ours, theirs = scene.data.net, ref
    for a, b in zip(ours.weights + ours.biases, theirs.weights + theirs.biases, strict=True):
        np.testing.assert_array_equal(a, b)
    assert scene.numbers["task"] == "ring"
    assert scene.numbers["accuracy"] == accuracy(ref, X, y) == 1.0
    assert scene.numbers["regions"] == count_regions(ref, BOX) == 9
    assert scene.numbers["W2"] == ref.W2.tolist()
    # the code panel shows the focus unit's own weights and bias, which are the preset's
    j = scene.data.focus
    shown = scene.beat_results["if-statement"].lines[1].original_text.replace(" ", "")
    assert (j, *ref.W1[j], ref.b1[j]) == (0, 1.25, 1.5, -0.75)
    assert shown == "z=1.25*x1+1.50*x2-0.75"


@pytest.mark.parametrize("task", ["ring", "xor"])
def test_presets_give_regions_large_enough_to_see(task):
    """The point of the presets: no specks, no nearly coinciding lines, and a clean fit."""
    data = GatesAsIfs.compute(build_params(GatesAsIfs.Params, {"task": task}))
    clarity = arrangement_clarity(data.net, BOX)
    assert clarity.thinnest >= 0.25  # input units; the plane is 3 wide
    assert clarity.min_angle >= 50
    assert clarity.smallest_area >= 0.02
    assert data.accuracy == 1.0
    assert len(data.lines) == data.net.units  # every gate's line is on the plane


def test_every_region_is_labelled_with_its_pattern(scene):
    net, regions = scene.data.net, scene.data.regions
    shown = scene.beat_results["regions"]
    assert len(shown.labels) == len(regions) == count_regions(net, BOX)
    assert shown.count.original_text == f"{len(regions)} regions"
    for tag, region in zip(shown.labels, regions, strict=True):
        assert tag.pattern == region.pattern
        assert tag.text == "".join(map(str, region.pattern))
        # the core's pattern holds where the label is written
        where = np.array(scene.beat_results["network"].axes.p2c(tag.get_center()))
        assert tuple(net.gates(where[None])[0].astype(int)) == region.pattern


def test_path_crosses_every_first_layer_line_and_starts_clear_of_them(scene):
    ts = np.linspace(0, 1, 2001)
    z = scene.data.net.preactivations(np.array([scene.data.path(t) for t in ts]))[0]
    for unit, _p0, _p1 in first_layer_lines(scene.data.net, BOX):
        assert np.any(np.diff(np.sign(z[:, unit])) != 0), f"path never crosses h{unit + 1}"
    start = scene.data.path(0.0)
    assert np.min(np.abs(start)) > 0.2  # not on an axis (its name and ticks)
    norms = np.linalg.norm(scene.data.net.W1, axis=1)
    assert np.min(np.abs(z[0]) / norms) > 0.1  # not on a switching line


def test_displayed_gates_tag_and_output_follow_the_core_along_the_path(scene, board, walker):
    theme, net, data = scene.theme, scene.data.net, scene.data
    code = scene.beat_results["if-statement"]
    sync = walker.sync
    sync.code, sync.tag, sync.output, sync.dot = code, walker.tag, walker.output, walker.dot
    flips, previous = 0, None
    try:
        for t in np.linspace(0, 1, 41):
            x = data.path(t)
            sync.source = lambda x=x: x
            sync()
            shown = board.diagram.displayed_states()  # from the discs' colours
            core = tuple(bool(g) for g in net.gates(x[None])[0])
            assert shown == core, f"t={t:.3f}: drawn {shown} vs core {core}"
            for gate, out, is_open in zip(
                board.diagram.gates, board.diagram.edges_out, core, strict=True
            ):
                colour = (theme.open if is_open else theme.closed).lower()
                assert _hex(gate[0].get_fill_color()) == colour
                assert all((e.get_stroke_opacity() > 0.5) == is_open for e in out)
            # the tag beside the point spells the pattern, h1 first
            assert walker.tag.text.text == "".join("1" if g else "0" for g in core)
            assert np.allclose(board.axes.p2c(walker.dot.get_center()), x, atol=1e-6)
            # the output readout shows the core's y, in its class's colour
            y = float(net(x[None])[0])
            assert walker.output.value.get_value() == pytest.approx(y, abs=5e-3)
            sign_colour = theme.positive if y > 0 else theme.negative
            assert walker.output.value.color_name == sign_colour
            # the code panel's bar sits on the branch taken by the focus unit
            z = net.preactivations(x[None])[0][0, data.focus]
            assert code.highlighted == (IF_LINE if z > 0 else ELSE_LINE)
            line = code.lines[IF_LINE if z > 0 else ELSE_LINE]
            assert abs(code.bar.get_y() - line.get_y()) < code.line_gap / 2
            shown_z = code.lines[VALUE_LINE].original_text.split("z = ")[1].split(",")[0]
            assert float(shown_z) == pytest.approx(z, abs=5e-3)
            flips += previous is not None and shown != previous
            previous = shown
    finally:
        sync.code = sync.tag = sync.output = sync.dot = None
    assert flips >= len(first_layer_lines(net, BOX))
    # during the render, the walk's own updater logged what it displayed, too
    assert len(sync.log) > 10
    for x, shown in sync.log:
        assert shown == tuple(bool(g) for g in net.gates(x[None])[0])


def test_walk_leaves_nothing_on_the_labels(scene, walker):
    """The code panel, the point, its tag and the readout are gone before the labels come,
    and the sync has let go of them, so nothing is relit."""
    code = scene.beat_results["if-statement"]
    for mob in (code, walker.dot, walker.tag, walker.output, walker.path_line):
        assert mob not in scene.mobjects
    assert walker.sync.code is walker.sync.dot is walker.sync.tag is None


def test_tour_formulas_are_the_core_affine_maps(scene, board):
    data = scene.data
    assert [sum(data.regions[i].pattern) for i in data.tour] == [0, 1, 2]
    tour_captions = [t for _, t in scene.caption_log if t.startswith("Gates ")]
    assert len(tour_captions) == len(data.tour) - 1  # the first stop has the beat's caption
    last = scene.beat_results["one-function"]
    outline, block = last
    region = data.regions[data.tour[-1]]
    assert outline.pattern == region.pattern
    np.testing.assert_allclose(_points(board, outline), region.polygon, atol=1e-6)
    A, c = region_affine(data.net, region.pattern)
    assert block[0].original_text == f"gates {''.join(map(str, region.pattern))}:"
    assert tour_captions[-1].startswith(f"Gates {''.join(map(str, region.pattern))}")
    # the first stop: every gate closed, y is the output bias alone
    first = data.regions[data.tour[0]]
    A0, c0 = region_affine(data.net, first.pattern)
    assert not np.any(A0) and c0[0] == pytest.approx(data.net.b2[0])
    assert np.abs(A).sum() > 0


def test_decision_is_the_core_boundary_with_the_data_by_class(scene, board):
    theme, data, net = scene.theme, scene.data, scene.data.net
    shown = scene.beat_results["decision"]
    pieces = decision_pieces(net, data.regions)
    assert len(shown.fills) == len(pieces)
    total = 0.0
    for poly, piece in zip(shown.fills, pieces, strict=True):
        corners = _points(board, poly)
        np.testing.assert_allclose(corners, piece.polygon, atol=1e-6)
        colour = theme.positive if piece.label else theme.negative
        assert _hex(poly.get_fill_color()) == colour.lower()
        assert (float(net(corners.mean(axis=0)[None])[0]) > 0) == bool(piece.label)
        x, y = corners[:, 0], corners[:, 1]
        total += 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))
    assert total == pytest.approx((2 * BOX) ** 2)
    segments = decision_segments(net, data.regions)
    assert len(shown.boundary) == len(segments) > 0
    for line, seg in zip(shown.boundary, segments, strict=True):
        ends = np.array([board.axes.p2c(line.get_start()), board.axes.p2c(line.get_end())])
        np.testing.assert_allclose(ends, [seg.p0, seg.p1], atol=1e-6)
        np.testing.assert_allclose(net(ends), 0.0, atol=1e-6)  # y = 0 along it
    # every training point is back, at its place, in its class's colour and shape
    assert len(shown.points) == len(data.data_y) and shown.points in scene.mobjects
    for mark, x, c in zip(shown.points, data.data_x, data.data_y, strict=True):
        assert np.allclose(board.axes.p2c(mark.get_center()), x, atol=1e-6)
        assert _hex(mark.get_fill_color()) == (theme.positive if c else theme.negative).lower()
        assert mark.label == int(c)
    score = shown.key[1].original_text
    assert score == f"{data.correct} of {len(data.data_y)} points on their side"


def test_beats_captions_and_length(scene):
    assert scene.beats == BEATS
    captions = [text for _, text in scene.caption_log]
    assert captions[0].startswith("A 2 → 4 → 1 ReLU net")
    assert "class 1 where y > 0" in captions[1]
    assert f"{scene.data.accuracy:.0%} right" in captions[2]
    assert captions[3].startswith("Each hidden unit is an if-statement")
    assert f"into {count_regions(scene.data.net, BOX)} regions" in " ".join(captions)
    assert "affine" in " ".join(captions) and "linear regions" not in " ".join(captions)
    assert captions[-1] == CLOSING
    assert scene.guard_checks > 0
    assert 25 <= scene.time <= 75


def test_light_theme_keeps_the_meanings(render_scene):
    s = render_scene(GatesAsIfs, theme="light", frame_rate=1)
    th = s.theme
    assert th.name == "light"
    fills = s.beat_results["decision"].fills
    assert {_hex(p.get_fill_color()) for p in fills} == {th.positive.lower(), th.negative.lower()}
    for poly in fills:
        assert _hex(poly.get_fill_color()) == (th.positive if poly.label else th.negative).lower()


def test_other_task_and_hidden_weights_render(render_scene):
    six = "1,0,-0.5, 0,1,-0.5, -1,0,-0.5, 0,-1,-0.5, 1,1,0.2, 1,-1,0.1"
    s = render_scene(
        GatesAsIfs,
        build_params(GatesAsIfs.Params, {"task": "xor", "hidden_weights": six, "seed": "3"}),
        frame_rate=1,
    )
    assert s.numbers["task"] == "xor" and s.numbers["hidden"] == 6
    np.testing.assert_array_equal(s.data.net.W1[4], [1.0, 1.0])
    assert s.data.net.b1[5] == 0.1
    assert len(s.beat_results["network"].diagram.gates) == 6
    assert s.numbers["regions"] == count_regions(s.data.net, BOX)
    X, y = dataset("xor", 200, 3)
    assert s.numbers["accuracy"] == accuracy(fit_readout(s.data.net.W1, s.data.net.b1, X, y), X, y)
    assert 25 <= s.time <= 75


@pytest.mark.parametrize(
    "overrides",
    [
        {"hidden_weights": (1.0, 0.0, 0.0, 0.0, 1.0)},  # not 3 numbers a unit
        {"hidden_weights": (1.0, 0.0, 0.0)},  # 1 unit
        {"hidden_weights": (1.0, 0.0, 0.0) * 7},  # 7 units
        {"hidden_weights": (1.0, 0.0, float("nan"), 0.0, 1.0, 0.0)},
        {"hidden_weights": (1.0, 0.0, float("inf"), 0.0, 1.0, 0.0)},
        {"hidden_weights": (11.0, 0.0, 0.0, 0.0, 1.0, 0.0)},  # too large
        {"hidden_weights": (1.0, 0.0, 5.0, 0.0, 1.0, 0.0)},  # h1's line x1 = -5 misses
        {"hidden_weights": (0.0, 0.0, 1.0, 0.0, 1.0, 0.0)},  # h1 has no line at all
        {"task": "spiral"},
        {"seed": -1},
    ],
)
def test_bad_params_fail_in_the_constructor(overrides):
    with pytest.raises(ValueError):
        GatesAsIfs(GatesAsIfs.Params(**overrides))
    text = {
        k: ",".join(map(str, v)) if isinstance(v, tuple) else str(v) for k, v in overrides.items()
    }
    with pytest.raises(ParamError):
        build_params(GatesAsIfs.Params, text)


def test_a_missing_line_is_named_in_the_error():
    with pytest.raises(ParamError, match="h2"):
        build_params(GatesAsIfs.Params, {"hidden_weights": "1,0,0, 0,1,-4"})
