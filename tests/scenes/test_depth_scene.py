"""DepthFolding: the drawn graph, paper, counts and table are the core's (a tiny guarded render)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from relu_anim.core.depth import count_pieces, linear_pieces, sawtooth_net
from relu_anim.scenes.depth import DepthFolding
from relu_anim.visuals.curves import to_coords

BEATS = ["tent", "fold-again", "one-layer", "exact-layer", "growth", "closing"]


def snapshot_graph(scene) -> None:
    """At the end of the folds, each drawn piece's ends and colour (later beats recolour it)."""

    def snap(s, name: str) -> None:
        if name == "fold-again":
            graph = s.beat_results[name].graph
            s.folded = [
                (np.array([m.get_start(), m.get_end()]), m.get_stroke_color().to_hex())
                for m in graph
            ]

        if name == "one-layer":
            shallow = s.beat_results[name]
            s.one_layer = {
                "coords": shallow.layer.drawn_coords(),
                "numbers": {n: ro.number.get_value() for n, ro in shallow.readouts.items()},
            }

    scene.beat_end_hooks.append(snap)


@pytest.fixture(scope="module")
def scene(tmp_path_factory, tiny):
    media = tmp_path_factory.mktemp("media")
    return tiny(DepthFolding, media, frame_rate=2, on_scene=snapshot_graph)


def test_beats_in_order_and_duration(scene):
    assert scene.beats == BEATS
    assert all(scene.beat_captions[b] for b in scene.beats)
    assert 25 <= scene.time <= 60


def test_the_folded_graph_is_the_deep_net_piece_by_piece(scene):
    folds = scene.beat_results["fold-again"]
    k = scene.params.k
    deep = scene.data.report.deep
    pieces = linear_pieces(deep)
    assert len(scene.folded) == pieces.count == 2**k
    edges = np.concatenate([[0.0], pieces.breakpoints, [1.0]])
    for i, ((ends, colour), slope) in enumerate(zip(scene.folded, pieces.slopes, strict=True)):
        xs, ys = to_coords(folds.axes, ends)
        np.testing.assert_allclose(xs, edges[i : i + 2], atol=1e-6)  # piece i, in order
        np.testing.assert_allclose(ys, deep(xs), atol=1e-6)  # drawn through the net's values
        sign = scene.theme.positive if slope > 0 else scene.theme.negative
        assert colour.lower() == sign.lower()


def test_each_layer_of_paper_is_one_piece_with_its_slope_sign(scene):
    paper = scene.beat_results["fold-again"].paper
    pieces = linear_pieces(scene.data.report.deep)
    stack = paper.after
    assert stack.pieces == len(paper.pieces) == pieces.count
    np.testing.assert_array_equal(stack.rising, pieces.slopes > 0)
    assert sorted(stack.levels) == list(range(pieces.count))  # one piece a level


def test_counts_on_screen_and_in_captions_are_the_cores(scene):
    ro = scene.beat_results["fold-again"].readouts
    k = scene.params.k
    net = sawtooth_net(k)
    assert ro["layers"].number.get_value() == k
    assert ro["units"].number.get_value() == net.units
    assert ro["pieces"].number.get_value() == count_pieces(net)
    said = [text for _, text in scene.caption_log]
    for d in range(3, k + 1):  # layer 2 folds under the beat's own caption
        assert f"Layer {d}: {2 * d} units, {count_pieces(sawtooth_net(d))} pieces." in said
    assert f"{2 * k} units in {k} layers: {count_pieces(net)} pieces" in " ".join(said)


def test_one_layer_fit_and_its_error(scene):
    r = scene.data.report
    shallow = scene.beat_results["one-layer"]
    xs, ys = scene.one_layer["coords"]
    np.testing.assert_allclose(ys, r.shallow.net(xs), atol=1e-6)
    shown = scene.one_layer["numbers"]
    assert shown["units"] == 2 * scene.params.k
    assert shown["pieces"] == count_pieces(r.shallow.net)
    assert shown["error"] == pytest.approx(r.worst[1], abs=0.005)  # shown with 2 decimals
    # the error bar joins the two graphs at the worst x
    bar = shallow.marks[0]
    bx, by = to_coords(shallow.axes, np.array([bar.get_start(), bar.get_end()]))
    np.testing.assert_allclose(bx, r.worst[0], atol=1e-6)
    assert abs(by[1] - by[0]) == pytest.approx(r.worst[1], abs=1e-6)
    assert r.worst[1] >= 0.5  # fewer pieces than 2^k: some peak or valley is missed by 1/2


def test_exact_layer_equals_the_deep_net(scene):
    r = scene.data.report
    exact = scene.beat_results["exact-layer"]
    xs, ys = exact.layer.drawn_coords()
    np.testing.assert_allclose(ys, r.deep(xs), atol=1e-6)
    assert exact.readouts["units"].number.get_value() == 2**scene.params.k == r.exact_units
    assert exact.readouts["error"].number.get_value() == pytest.approx(0.0, abs=1e-9)
    assert len(exact.marks) == r.exact_units  # one dot a unit: each breakpoint and x = 0


def test_growth_table_rows(scene):
    table = scene.beat_results["growth"]
    rows = [[cell.text for cell in row] for row in table[1:]]
    assert rows == [[str(k), str(2 * k), str(2**k), str(2**k)] for k in (2, 4, 6, 8, 10)]


def test_the_written_hinges_are_the_slope_changes(scene):
    """y = 2^k relu(x) - 2^(k+1) relu(x - 1/2^k) + 2^(k+1) relu(x - 2/2^k) ...: the first
    slope, then the jumps of +-2^(k+1) at the kinks j / 2^k."""
    k = scene.params.k
    lines = scene.beat_results["exact-layer"].column[3].lines_text
    term = re.compile(r"(−?)\s*([\d.]+)·relu\(x(?: − ([\d.]+))?\)")
    for j, line in enumerate(lines[:3]):
        sign, v, kink = term.search(line.replace("+", "")).groups()
        weight = float(v) * (-1 if sign else 1)
        assert weight == (2.0**k if j == 0 else 2.0 ** (k + 1) * (-1) ** j)
        assert float(kink or 0) == j / 2**k
    assert lines[-1].endswith(f"{2**k - 3} more hinges")
