"""DepthFolding: what depth adds (issue #10, part 1).

Two ReLU units make a tent that folds [0, 1] in half. Stacked k times (2k units in k layers)
the folds multiply: 2^k linear pieces, each layer doubling them. One hidden layer with the
same 2k units has at most 2k + 1 pieces and, fitted to the sawtooth, misses it by more than
a half; to equal it, one layer needs 2^k units. Every count on screen is the core's
(``relu_anim.core.depth``): pieces are counted by following breakpoints through the layers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import *

from relu_anim.core.depth import (
    DepthReport,
    breakpoints,
    count_pieces,
    depth_report,
    one_layer_exact,
    prefix_net,
    sawtooth_net,
)
from relu_anim.lecture import LectureScene, beat, param
from relu_anim.lecture.teaching import Teaching
from relu_anim.visuals.curves import PolylineGraph, function_axes, to_points
from relu_anim.visuals.folding import FoldingPaper, Stack, piece_lines
from relu_anim.visuals.layout import ChangeNumber, Readout
from relu_anim.visuals.stage import frame_layout
from relu_anim.visuals.text import formula, label

SCENE_MAX_K = 6  # 64 layers of paper: still visible at 480p
GROWTH_KS = (2, 4, 6, 8, 10)  # the table of the last beat
PAPER_ORIGIN = (1.3, -2.3)  # u = 0 on the bottom layer
PAPER_WIDTH = 4.0
PAPER_HEIGHT = 2.0  # the stack after the last fold
FOLD_SECONDS = 3.0
SHOWN_TERMS = 3  # hinges of the exact one layer written out
NOTE_WIDTH = 5.6  # the right column, from x = 0.8 to the margin
COLUMN_TOP = 2.6  # the top of the right column (the counts over the paper) in landscape
EXACT = 1e-9  # a one-layer fit this close to the sawtooth equals it (rounding only)
CLOSING = "Each layer can double the pieces; a wider layer only adds to them."


@dataclass(frozen=True)
class Stage:
    """The graph after ``depth`` folds: vertices at its breakpoints, and the function before."""

    depth: int
    xs: np.ndarray  # 0, every breakpoint, 1
    ys: np.ndarray  # T^depth at xs
    ys_before: np.ndarray  # T^(depth - 1) at the same xs (x itself before the first fold)
    pieces: int  # counted by the core, exactly
    units: int


@dataclass(frozen=True)
class DepthData:
    report: DepthReport
    stages: tuple[Stage, ...]  # depth 1..k
    growth: tuple[tuple[int, int, int, int], ...]  # (k, deep units, pieces, one-layer units)

    @property
    def final(self) -> Stage:
        return self.stages[-1]


@dataclass
class Folds:
    """What the folding beats leave: the graph, the paper, the readouts."""

    axes: Axes
    graph: VGroup  # one Line a piece, coloured by slope sign
    paper: FoldingPaper
    readouts: dict[str, Readout]
    counts: VGroup  # the readouts in a row above the paper
    header: VGroup  # the formula above the graph
    stage: Stage


@dataclass
class Shallow:
    """What the one-layer beats leave: the deep graph, the one-layer graph, the notes."""

    axes: Axes
    deep: PolylineGraph
    layer: PolylineGraph
    marks: VGroup
    column: VGroup
    readouts: dict[str, Readout]
    legend: VGroup


def _stage(deep, depth: int) -> Stage:
    net = prefix_net(deep, depth)
    xs = np.concatenate([[0.0], breakpoints(net), [1.0]])
    before = xs if depth == 1 else prefix_net(deep, depth - 1)(xs)
    return Stage(depth, xs, net(xs), before, count_pieces(net), net.units)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _stroke(gap: float) -> float:
    """Paper lines thin enough that 2^k layers ``gap`` apart stay apart (width 1 = 0.01 units)."""
    return min(4.0, 50.0 * gap)


def _entry(text: str, colour: str, theme, size: float) -> VGroup:
    """A legend line: a short stroke in ``colour``, then ``text``."""
    swatch = Line(ORIGIN, 0.02 * size * RIGHT).set_stroke(colour, width=5)
    return VGroup(swatch, label(text, theme, size=size)).arrange(RIGHT, buff=0.006 * size)


def _growth_row(k: int) -> tuple[int, int, int, int]:
    net = sawtooth_net(k)
    return k, net.units, count_pieces(net), one_layer_exact(net).units


class DepthFolding(LectureScene):
    title = "What depth adds"
    summary = (
        "A tent of 2 ReLUs folds [0, 1]; k layers of it make 2^k pieces from 2k units, "
        "where one hidden layer needs 2^k units."
    )
    order = 6
    teaching = Teaching(
        statement=(
            "The tent map (2 ReLU units) composed k times is a sawtooth with 2^k linear "
            "pieces, made by 2k units in k layers. One hidden layer of m units has at most "
            "m + 1 pieces, so to equal the sawtooth it needs 2^k units: depth can multiply "
            "the pieces, width only adds to them."
        ),
        source=(
            "Telgarsky (2016), Benefits of depth in neural networks, COLT; Montúfar, "
            "Pascanu, Cho, Bengio (2014), On the number of linear regions of deep neural "
            "networks, NeurIPS."
        ),
        reading=(
            "Goodfellow, Bengio, Courville, Deep Learning (2016), section 6.4.1: universal "
            "approximation properties and depth.",
            "Nielsen, Neural Networks and Deep Learning (2015), chapter 5, on why depth "
            "helps and what makes it hard to train.",
        ),
        exercises=(
            (
                "Check pieces = 2^k and units = 2k on the page. How many pieces can one "
                "hidden layer with the same units have at most?",
                "units + 1: 7 for k = 3, against 8 for the deep net.",
            ),
            (
                "The sawtooth has 2^k - 1 kinks inside (0, 1). Why does a one-layer net "
                "equal to it need exact_units = 2^k units?",
                "One unit per kink for the change of slope there, and one more for the "
                "first slope.",
            ),
        ),
        beat_numbers={
            "fold-again": ("k", "units", "pieces"),
            "one-layer": ("shallow_pieces", "shallow_max_error"),
            "exact-layer": ("exact_units",),
        },
    )

    @dataclass(frozen=True)
    class Params:
        k: int = param(3, "tent layers stacked (folds of the paper)", between=(1, SCENE_MAX_K))

    @classmethod
    def compute(cls, p: Params) -> DepthData:
        report = depth_report(p.k)
        deep = report.deep
        stages = tuple(_stage(deep, d) for d in range(1, p.k + 1))
        return DepthData(report, stages, tuple(_growth_row(k) for k in GROWTH_KS))

    @classmethod
    def summarize(cls, data: DepthData) -> dict:
        r = data.report
        return {
            "k": r.k,
            "units": r.units,
            "pieces": r.pieces_by_depth[-1],
            "shallow_pieces": r.shallow_pieces,
            "shallow_max_error": r.worst[1],
            "exact_units": r.exact_units,
        }

    # -- storyboard ------------------------------------------------------------------------
    def construct(self):
        data = self.data
        self.title_card()
        folds = self.tent(data)
        if len(data.stages) > 1:
            folds = self.fold_again(data, folds)
        shallow = self.one_layer(data, folds)
        shallow = self.exact_layer(data, shallow)
        self.growth(data, shallow)
        self.end_card(CLOSING)

    # -- beats ----------------------------------------------------------------------------------
    @beat("Two ReLU units make a tent: it folds [0, 1] in half, up to 1 and back to 0.")
    def tent(self, data: DepthData) -> Folds:
        th = self.theme
        axes = function_axes(th, (0, 1), (0, 1), x_length=5.0, y_length=3.7, x_ticks=4, y_ticks=2)
        axes.move_to([-3.7, -0.75, 0])
        header = formula(
            r"T(x) = 2\,\mathrm{relu}(x) - 4\,\mathrm{relu}(x - \tfrac{1}{2})",
            "T(x) = 2·relu(x) − 4·relu(x − ½)",
            th,
            size=th.body_size,
        )
        header.next_to(axes, UP, buff=0.45).align_to(axes, LEFT)
        frame_layout(th).arrange(main=VGroup(axes, header))  # portrait: the graph on top
        stage = data.stages[0]
        graph = piece_lines(axes, [0, 1], [0, 1], th)
        gap = PAPER_HEIGHT / 2**self.params.k
        paper = FoldingPaper(Stack.flat(), self._paper_origin(), PAPER_WIDTH, gap, th, _stroke(gap))
        strip = label("the strip [0, 1], seen edge-on", th, size=th.tiny_size, color=th.muted)
        strip.next_to(paper.pieces[0].get_start(), DOWN, buff=0.15).align_to(paper, LEFT)
        readouts, counts = self._readouts()
        key = self._paper_key()
        self.play(Create(axes), FadeIn(header), run_time=1.0)
        self.play(Create(graph), FadeIn(paper), FadeIn(strip), FadeIn(counts, key), run_time=1.0)
        self.wait(0.5)
        graph = self._fold(axes, graph, paper, stage, readouts)
        self.play(FadeOut(strip), run_time=0.4)
        return Folds(axes, graph, paper, readouts, VGroup(counts, key), header, stage)

    @beat("Put another tent on top: each layer folds the whole stack again.")
    def fold_again(self, data: DepthData, folds: Folds) -> Folds:
        graph, paper = folds.graph, folds.paper
        stack = paper.after
        for stage in data.stages[1:]:
            if stage.depth > 2:  # layer 2 folds under the beat's caption
                self.say(f"Layer {stage.depth}: {stage.units} units, {stage.pieces} pieces.")
            self.remove(paper)
            paper = FoldingPaper(
                stack, self._paper_origin(), PAPER_WIDTH, paper.gap, self.theme, _stroke(paper.gap)
            )
            self.add(paper)
            graph = self._fold(folds.axes, graph, paper, stage, folds.readouts)
            stack = paper.after
        self.say(
            f"{data.final.units} units in {data.final.depth} layers: "
            f"{data.final.pieces} pieces, twice as many with each layer."
        )
        self.wait(0.5)
        return Folds(
            folds.axes, graph, paper, folds.readouts, folds.counts, folds.header, data.final
        )

    @beat(
        lambda s: (
            f"One hidden layer with the same {s.data.report.units} units has at most "
            f"{s.data.report.units + 1} pieces."
        )
    )
    def one_layer(self, data: DepthData, folds: Folds) -> Shallow:
        th, r = self.theme, data.report
        axes = folds.axes
        deep = PolylineGraph(axes, folds.stage.xs, folds.stage.ys, th.target, width=4)
        fit = r.shallow.net
        xs = np.unique(np.concatenate([[0.0, 1.0], breakpoints(fit)]))
        layer = PolylineGraph(axes, xs, fit(xs), th.approx, width=5)
        legend = self._legend(axes, r)
        readouts = {
            "units": Readout("units in one layer", r.units, th, places=0, color=th.approx),
            "pieces": Readout("its pieces", r.shallow_pieces, th, places=0, color=th.approx),
            "error": Readout("largest error", r.worst[1], th, places=2, color=th.error),
        }
        column = VGroup(*readouts.values()).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        column.move_to([3.6, 0.9, 0], aligned_edge=UP).align_to([0.8, 0, 0], LEFT)
        column.shift(self._column_shift())
        self.play(
            FadeOut(folds.paper),
            FadeOut(folds.counts),
            FadeOut(folds.header),
            FadeOut(folds.graph),
            FadeIn(deep),
            FadeIn(legend[0]),
            run_time=1.0,
        )
        self.play(Create(layer), FadeIn(legend[1]), FadeIn(column[:2]), run_time=1.5)
        self.wait(0.5)
        marks = self._error_mark(axes, r.deep, fit, r.worst[0])
        if r.worst[1] < EXACT:
            self.say("Fitted to it, this one layer matches it: it has pieces enough.")
            marks = VGroup()
        else:
            self.say(f"Fitted to the sawtooth, it is still off by {r.worst[1]:.2f}.")
        self.play(FadeIn(marks), FadeIn(column[2]), run_time=1.0)
        if r.shallow_pieces < r.pieces_by_depth[-1]:
            lines = (
                f"With fewer pieces than the sawtooth's {r.pieces_by_depth[-1]},",
                "some peak or valley is always",
                "missed by at least 0.5.",
            )
            # one Text with line breaks: wrapped() would build a Text for every word tried
            note = label("\n".join(lines), th, size=th.small_size, line_spacing=0.8)
            if note.width > NOTE_WIDTH:
                note.scale_to_fit_width(NOTE_WIDTH)
            note.next_to(column, DOWN, buff=0.5).align_to(column, LEFT)
            self.say(" ".join(lines))
            self.play(FadeIn(note), run_time=0.6)
            column.add(note)
        return Shallow(axes, deep, layer, marks, column, readouts, legend)

    @beat(
        lambda s: (
            f"To equal it, one layer needs {s.data.report.exact_units} units: "
            f"a hinge at each of its {_count(len(s.data.report.breakpoints), 'kink')}, "
            "one more for the first slope."
        )
    )
    def exact_layer(self, data: DepthData, shallow: Shallow) -> Shallow:
        th, r = self.theme, data.report
        axes = shallow.axes
        xs = shallow.deep.xs
        exact = PolylineGraph(axes, xs, r.exact(xs), th.approx, width=5)
        exact.net = r.exact
        kinks = VGroup(
            *(
                Dot(p, radius=0.075, color=th.accent)
                for p in to_points(axes, xs[:-1], r.exact(xs[:-1]))
            )
        )
        gap = float(np.max(np.abs(r.exact(xs) - r.deep(xs))))
        ro = shallow.readouts
        new_legend = self._legend(axes, r, exact=True)
        extra = shallow.column[3:]
        self.play(
            FadeOut(shallow.marks),
            FadeOut(extra),
            Transform(shallow.layer, exact),
            Transform(shallow.legend[1], new_legend[1]),
            ChangeNumber(ro["units"].number, r.exact_units),
            ChangeNumber(ro["pieces"].number, count_pieces(r.exact)),
            ChangeNumber(ro["error"].number, gap),
            run_time=1.5,
        )
        self.play(LaggedStart(*(FadeIn(d, scale=2) for d in kinks), lag_ratio=0.1), run_time=1.0)
        terms = self._hinge_sum(r.exact)
        terms.next_to(shallow.column[:3], DOWN, buff=0.5).align_to(shallow.column, LEFT)
        self.say("Its weights: the first slope, then the change of slope at each kink.")
        self.play(FadeIn(terms), run_time=0.8)
        column = VGroup(*shallow.column[:3], terms)
        return Shallow(axes, shallow.deep, shallow.layer, kinks, column, ro, shallow.legend)

    def _hinge_sum(self, net) -> VGroup:
        """The first hinges of the one-layer sum, written out, and how many there are."""
        th = self.theme
        kinks, weights = -net.b1 / net.W1[:, 0], net.W2[0]
        lines = []
        for i, (k, v) in enumerate(zip(kinks[:SHOWN_TERMS], weights, strict=False)):
            sign = ("y = " if v >= 0 else "y = −") if i == 0 else ("  + " if v >= 0 else "  − ")
            inner = "x" if k == 0 else f"x − {k:g}"
            lines.append(f"{sign}{abs(v):g}·relu({inner})")
        more = len(kinks) - SHOWN_TERMS
        if more > 0:
            lines.append(f"  + … {_count(more, 'more hinge')}")
        text = label("\n".join(lines), th, size=th.small_size, color=th.hinge, line_spacing=0.8)
        if text.width > NOTE_WIDTH:
            text.scale_to_fit_width(NOTE_WIDTH)
        text.lines_text = lines
        return text

    @beat(
        lambda s: (
            f"{s.data.growth[-1][0]} tent layers: {s.data.growth[-1][1]} units make "
            f"{s.data.growth[-1][2]} pieces; one layer would need {s.data.growth[-1][3]} units."
        )
    )
    def growth(self, data: DepthData, shallow: Shallow) -> VGroup:
        table = self._table(data.growth)
        table.move_to([3.3, 0.2, 0]).shift(self._column_shift())
        self.play(FadeOut(shallow.column), run_time=0.5)
        self.play(LaggedStart(*(FadeIn(row) for row in table), lag_ratio=0.25), run_time=2.0)
        return table

    # -- helpers --------------------------------------------------------------------------------
    def _readouts(self) -> tuple[dict[str, Readout], VGroup]:
        th = self.theme
        readouts = {
            "layers": Readout("layers", 0, th, places=0),
            "units": Readout("units", 0, th, places=0),
            "pieces": Readout("pieces", 1, th, places=0, color=th.accent_text),
        }
        row = VGroup(*readouts.values()).arrange(RIGHT, buff=0.45)
        row.move_to([PAPER_ORIGIN[0] + PAPER_WIDTH / 2, 2.35, 0]).shift(self._column_shift())
        return readouts, row

    def _paper_key(self) -> VGroup:
        """Under the counts: a layer's colour is its piece's slope sign."""
        th = self.theme
        size = th.tiny_size
        key = VGroup(
            _entry("rising piece", th.positive, th, size),
            _entry("falling piece", th.negative, th, size),
        )
        key.arrange(RIGHT, buff=0.4)
        key.move_to([PAPER_ORIGIN[0] + PAPER_WIDTH / 2, 1.75, 0])
        return key.shift(self._column_shift())

    def _column_shift(self) -> np.ndarray:
        """Zero in landscape; in portrait, what carries the right column under the graph."""
        return frame_layout(self.theme).side_shift(COLUMN_TOP)

    def _paper_origin(self) -> tuple[float, float]:
        x, y, _ = np.add([*PAPER_ORIGIN, 0.0], self._column_shift())
        return (x, y)

    def _fold(self, axes, graph: VGroup, paper: FoldingPaper, stage: Stage, readouts) -> VGroup:
        """One fold: the paper swings and stretches, the graph gains its pieces, counts change."""
        th = self.theme
        before = piece_lines(axes, stage.xs, stage.ys_before, th)  # recoloured by the morph
        after = piece_lines(axes, stage.xs, stage.ys, th)
        self.remove(graph)
        self.add(before)
        clock = ValueTracker(0.0)
        paper.add_updater(lambda m: m.set_time(clock.get_value()))
        self.play(
            clock.animate.set_value(1.0),
            ChangeNumber(readouts["layers"].number, stage.depth),
            ChangeNumber(readouts["units"].number, stage.units),
            run_time=FOLD_SECONDS / 2,
        )
        self.play(
            clock.animate.set_value(2.0),
            Transform(before, after),
            ChangeNumber(readouts["pieces"].number, stage.pieces),
            run_time=FOLD_SECONDS / 2,
        )
        paper.clear_updaters()
        self.remove(before)
        self.add(after)
        return after

    def _legend(self, axes: Axes, r: DepthReport, exact: bool = False) -> VGroup:
        th = self.theme
        units = r.exact_units if exact else r.units
        size = th.small_size
        legend = VGroup(
            _entry(f"{_count(r.k, 'tent layer')}, {r.units} units", th.target, th, size),
            _entry(f"one layer, {units} units", th.approx, th, size),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        return legend.next_to(axes, UP, buff=0.3).align_to(axes, LEFT)

    def _error_mark(self, axes: Axes, deep, fit, x: float) -> VGroup:
        th = self.theme
        a, b = to_points(axes, np.array([x, x]), np.array([deep([x])[0], fit([x])[0]]))
        bar = Line(a, b).set_stroke(th.error, width=5)
        return VGroup(bar, Dot(a, radius=0.06, color=th.error), Dot(b, radius=0.06, color=th.error))

    def _table(self, rows) -> VGroup:
        th = self.theme
        size = th.small_size
        head = ("layers", "units", "pieces", "one layer needs")
        cells = [[label(h, th, size=size, color=th.muted) for h in head]]
        for k, units, pieces, exact in rows:
            cells.append(
                [
                    label(str(k), th, size=size),
                    label(str(units), th, size=size, color=th.target),
                    label(str(pieces), th, size=size, color=th.accent_text),
                    label(str(exact), th, size=size, color=th.approx),
                ]
            )
        widths = [max(row[c].width for row in cells) for c in range(4)]
        table = VGroup()
        for i, row in enumerate(cells):
            line = VGroup()
            x = 0.0
            for c, cell in enumerate(row):
                cell.move_to([x + widths[c], -0.5 * i, 0], aligned_edge=RIGHT)
                x += widths[c] + 0.5
                line.add(cell)
            table.add(line)
        return table
