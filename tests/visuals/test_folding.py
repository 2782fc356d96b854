"""The folded strip: its stack is the sawtooth's pieces, and a fold moves without jumps."""

from __future__ import annotations

import numpy as np
import pytest

from relu_anim.core.depth import linear_pieces, sawtooth_net
from relu_anim.theme import DARK
from relu_anim.visuals.folding import FoldingPaper, Stack


@pytest.mark.parametrize("k", range(1, 7))
def test_k_folds_stack_one_piece_a_level_with_the_sawtooths_slope_signs(k):
    stack = Stack.flat()
    for _ in range(k):
        stack = stack.fold()
    slopes = linear_pieces(sawtooth_net(k)).slopes
    assert stack.pieces == len(slopes) == 2**k
    np.testing.assert_array_equal(stack.rising, slopes > 0)
    assert sorted(stack.levels) == list(range(2**k))
    # consecutive pieces meet at the end they walk to: u = 1 after a rising piece
    for i, (a, b, u) in enumerate(stack.creases()):
        assert (a, b) == (stack.levels[i], stack.levels[i + 1])
        assert u == (1.0 if stack.rising[i] else 0.0)


def ends(paper: FoldingPaper) -> np.ndarray:
    return np.array([[m.get_start(), m.get_end()] for m in [*paper.pieces, *paper.creases]])


@pytest.mark.parametrize("folds", [0, 2])
def test_a_fold_moves_every_line_continuously(folds):
    stack = Stack.flat()
    for _ in range(folds):
        stack = stack.fold()
    paper = FoldingPaper(stack, (0.0, 0.0), 4.0, 0.25, DARK)
    times = np.linspace(0.0, 2.0, 401)
    frames = [ends(paper.set_time(t)) for t in times]
    # no line jumps between frames 0.005 apart in t: the flap turns by pi/200 (a point at
    # most ~2.5 units from the hinge moves < 0.05), the stretch moves ends by < 0.01
    steps = [
        np.max(np.linalg.norm(b - a, axis=-1)) for a, b in zip(frames[:-1], frames[1:], strict=True)
    ]
    assert max(steps) < 0.05
    # at the end every piece lies flat at its level, full width
    after = stack.fold()
    for m, level, up in zip(paper.pieces, after.levels, after.rising, strict=True):
        x0, x1 = (m.get_start()[0], m.get_end()[0]) if up else (m.get_end()[0], m.get_start()[0])
        assert (x0, x1) == pytest.approx((0.0, 4.0))
        assert m.get_start()[1] == pytest.approx(level * 0.25)
