"""GatesAsIfs: the drawn gates, code branch and regions agree with the core, read off the mobjects."""

from __future__ import annotations

import numpy as np
import pytest
from manim import ManimColor

from relu_anim.core.classify import train_classifier
from relu_anim.core.regions import count_regions, first_layer_lines, region_affine
from relu_anim.lecture.params import build_params
from relu_anim.scenes.gates import BOX, CLOSING, ELSE_LINE, IF_LINE, VALUE_LINE, GatesAsIfs

BEATS = ["network", "if-statement", "walk", "regions", "one-function", "closing"]


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


def displayed_gate_states(walker, board, path, t: float) -> tuple[bool, ...]:
    """Put the walk at ``t``, run the scene's own sync, and read the gates off the diagram."""
    walker.sync.source = lambda: path(t)
    walker.sync.code = code_panel = walker.sync.code or pytest.fail("code panel detached")
    walker.sync()
    assert code_panel is walker.sync.code
    return board.diagram.displayed_states()


def _hex(color) -> str:
    return ManimColor(color).to_hex().lower()


def test_weights_and_numbers_come_from_the_core(scene):
    ref = train_classifier(task="xor", hidden=4, seed=0, n=200)
    np.testing.assert_array_equal(scene.data.net.W1, ref.net.W1)
    np.testing.assert_array_equal(scene.data.net.b2, ref.net.b2)
    assert scene.numbers == {
        "task": "xor",
        "accuracy": ref.accuracy,
        "regions": count_regions(ref.net, BOX),
        "hidden": 4,
    }
    # the code panel shows the focus unit's own weights and bias to 2 decimals
    j = scene.data.focus
    shown = scene.beat_results["if-statement"].lines[1].original_text.replace(" ", "")
    w, b = ref.net.W1[j], ref.net.b1[j]
    for v in (*w, b):
        assert f"{abs(v):.2f}" in shown


def test_path_crosses_every_first_layer_line(scene):
    ts = np.linspace(0, 1, 2001)
    z = scene.data.net.preactivations(np.array([scene.data.path(t) for t in ts]))[0]
    for unit, _p0, _p1 in first_layer_lines(scene.data.net, BOX):
        assert np.any(np.diff(np.sign(z[:, unit])) != 0), f"path never crosses h{unit + 1}"


def test_displayed_gates_follow_the_core_along_the_path(scene, board, walker):
    theme, net, data = scene.theme, scene.data.net, scene.data
    code = scene.beat_results["if-statement"]
    flips = 0
    previous = None
    walker.sync.code = code  # the regions beat detached it; reattach to read it back
    try:
        for t in np.linspace(0, 1, 41):
            shown = displayed_gate_states(walker, board, data.path, t)  # from the discs
            core = tuple(bool(g) for g in net.gates(data.path(t)[None])[0])
            assert shown == core, f"t={t:.3f}: drawn {shown} vs core {core}"
            for gate, out, is_open in zip(
                board.diagram.gates, board.diagram.edges_out, core, strict=True
            ):
                colour = (theme.open if is_open else theme.closed).lower()
                assert _hex(gate[0].get_fill_color()) == colour
                assert all((e.get_stroke_opacity() > 0.5) == is_open for e in out)
            # the code panel's bar sits on the branch taken by the focus unit
            z = net.preactivations(data.path(t)[None])[0][0, data.focus]
            assert code.highlighted == (IF_LINE if z > 0 else ELSE_LINE)
            line = code.lines[IF_LINE if z > 0 else ELSE_LINE]
            assert abs(code.bar.get_y() - line.get_y()) < code.line_gap / 2
            shown_z = code.lines[VALUE_LINE].original_text.split("z = ")[1].split(",")[0]
            assert float(shown_z) == pytest.approx(z, abs=5e-3)
            flips += previous is not None and shown != previous
            previous = shown
    finally:
        walker.sync.code = None
    assert flips >= len(first_layer_lines(net, BOX))
    # during the render, the walk's own updater logged what it displayed, too
    assert len(walker.sync.log) > 10
    for x, shown in walker.sync.log:
        assert shown == tuple(bool(g) for g in net.gates(x[None])[0])


def test_code_bar_is_gone_once_the_panel_has_faded(scene, walker):
    """The sync lets go of the code panel before it fades, so its bar is never relit."""
    code = scene.beat_results["if-statement"]
    assert code not in scene.mobjects
    assert walker.sync.code is None


def test_regions_drawn_exactly_and_coloured_by_pattern(scene, board):
    from relu_anim.visuals.regions import pattern_color

    theme, net, regions = scene.theme, scene.data.net, scene.data.regions
    shown = scene.beat_results["regions"]
    assert len(shown.fill) == count_regions(net, BOX) == len(regions)
    assert shown.count.original_text.startswith(f"{len(regions)} ")
    total = 0.0
    for poly, region in zip(shown.fill, regions, strict=True):
        assert poly.pattern == region.pattern
        assert _hex(poly.get_fill_color()) == _hex(pattern_color(region.pattern, theme))
        # the polygon's corners are the core's corners, mapped through the axes
        corners = np.array([board.axes.p2c(v) for v in poly.get_vertices()])
        np.testing.assert_allclose(corners, region.polygon, atol=1e-6)
        # and the core's pattern holds at the centroid
        assert tuple(net.gates(region.centroid[None])[0].astype(int)) == region.pattern
        total += region.area
    assert total == pytest.approx((2 * BOX) ** 2)
    for tag in shown.labels:
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
    assert f"{count_regions(scene.data.net, BOX)} regions" in " ".join(captions)
    assert captions[-1] == CLOSING
    assert scene.guard_checks > 0
    assert 25 <= scene.time <= 75


def test_other_task_and_width_render(render_scene):
    s = render_scene(
        GatesAsIfs, build_params(GatesAsIfs.Params, {"task": "ring", "hidden": "6"}), frame_rate=1
    )
    assert s.numbers["task"] == "ring" and s.numbers["hidden"] == 6
    assert len(s.beat_results["network"].diagram.gates) == 6
    assert s.numbers["regions"] == count_regions(s.data.net, BOX)


@pytest.mark.parametrize(
    "overrides", [{"hidden": 1}, {"hidden": 7}, {"task": "spiral"}, {"seed": -1}]
)
def test_bad_params_fail_in_the_constructor(overrides):
    with pytest.raises(ValueError):
        GatesAsIfs(GatesAsIfs.Params(**overrides))
    with pytest.raises(ValueError):
        build_params(GatesAsIfs.Params, {k: str(v) for k, v in overrides.items()})
