"""ReLU as an if-statement: hidden units are gates that open exactly where ``z > 0``.

A 2 -> H -> 1 ReLU classifier trained by the core (``relu_anim.core.classify``) is drawn as
a diagram of gates beside the code one unit runs. An input point walks along a circle that
crosses every switching line; each frame the gates are set from the core's ``net.gates``
and the code highlights the branch taken. Then the plane is shown cut into the core's exact
linear regions, one per pattern of open gates, and inside each the net is one affine map.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import *

from relu_anim.core.classify import SPAN, TASKS, TrainedClassifier, dataset, train_classifier
from relu_anim.core.network import ReluNet
from relu_anim.core.regions import (
    Region,
    count_regions,
    first_layer_lines,
    linear_regions,
    region_affine,
)
from relu_anim.lecture import LectureScene, beat, param
from relu_anim.visuals.code_panel import CodePanel, affine_code, signed
from relu_anim.visuals.network_diagram import NetworkDiagram, weight_legend
from relu_anim.visuals.regions import (
    circle_crossing_lines,
    line_tags,
    pattern_labels,
    pattern_text,
    region_polygons,
    switching_lines,
)
from relu_anim.visuals.text import formula, label

IF_LINE, ELSE_LINE, VALUE_LINE = 2, 3, 4  # code lines: the two branches, the live values
TOURED = 3  # regions visited in the last beat (the largest ones)
N_POINTS = 200  # training points
BOX = SPAN  # the input plane shown: [-BOX, BOX]^2, where the data live
CLOSING = "Each pattern of open gates is one affine function: a plane over its region."


def live_values(z: float) -> str:
    """The code panel's last line: this frame's z and what the unit sends on."""
    return f"# now z = {z:.2f}, so h = {max(z, 0.0):.2f}"


@dataclass(frozen=True)
class GatesData:
    """The trained net and everything drawn from it, computed before the first frame."""

    fit: TrainedClassifier
    data_x: np.ndarray  # the training points
    data_y: np.ndarray
    lines: list  # each unit's switching line clipped to the box: (unit, p0, p1)
    regions: list[Region]
    region_count: int
    focus: int  # the unit whose code is shown
    path_center: np.ndarray  # the walk: a circle that crosses every switching line
    path_radius: float

    @property
    def net(self) -> ReluNet:
        return self.fit.net

    def path(self, t: float) -> np.ndarray:
        """The input point at time ``t`` in [0, 1]: once round the circle, from the right."""
        a = 2 * np.pi * float(t)
        return self.path_center + self.path_radius * np.array([np.cos(a), np.sin(a)])


@dataclass
class Board:
    """The plane and the network diagram: on screen from the first beat to the last."""

    axes: Axes
    plane: VGroup
    ticks: VGroup
    switch_lines: VGroup
    line_labels: VGroup
    diagram: NetworkDiagram
    legend: VGroup
    training_data: VGroup | None = None  # shown in the first beat, brought back at the end

    def to_scene(self, p) -> np.ndarray:
        return self.axes.c2p(p[0], p[1])


class GateSync:
    """Sets the gates, the code's branch and the moving dot from the core at the input point.

    Runs as an updater during the walk and the tour; whatever is attached (code panel, dot)
    follows the point, and nothing that has been detached is touched again.
    """

    def __init__(self, net: ReluNet, board: Board, focus: int, theme, source):
        self.net, self.board, self.focus, self.theme = net, board, focus, theme
        self.source = source  # () -> the input point (x1, x2)
        self.code: CodePanel | None = None
        self.dot: Mobject | None = None
        self.log: list[tuple[np.ndarray, tuple[bool, ...]]] = []

    def __call__(self, _mob=None) -> None:
        x = self.source()
        self.board.diagram.set_gates(self.net.gates(x[None])[0])
        z = float(self.net.preactivations(x[None])[0][0, self.focus])
        if self.code is not None:
            th = self.theme
            self.code.highlight(IF_LINE if z > 0 else ELSE_LINE, th.open if z > 0 else th.closed)
            self.code.set_line(VALUE_LINE, live_values(z))
        if self.dot is not None:
            self.dot.move_to(self.board.to_scene(x))
        self.log.append((np.array(x), self.board.diagram.displayed_states()))


@dataclass
class Walker:
    """The walk's moving point, its dashed path, and the sync that drives the gates."""

    sync: GateSync
    dot: Dot
    path_line: VMobject


@dataclass
class RegionsShown:
    """The regions beat's polygons (one per pattern), their labels, and the count and key."""

    fill: VGroup
    labels: VGroup
    count: Mobject
    info: VGroup


class GatesAsIfs(LectureScene):
    title = "ReLU as an if-statement"
    order = 3  # lecture order: after LinearCollapse
    summary = (
        "Each hidden ReLU unit is a gate: if z > 0 it passes z, else 0. Gates flip exactly "
        "on their lines, and each pattern of open gates is one affine piece of the plane."
    )

    @dataclass(frozen=True)
    class Params:
        task: str = param("xor", "what the net learns", choices=TASKS)
        hidden: int = param(4, "hidden units (gates)", between=(2, 6))
        seed: int = param(0, "seed for the data and the training", between=(0, 2**31 - 1))

    @classmethod
    def compute(cls, p: Params) -> GatesData:
        fit = train_classifier(task=p.task, hidden=p.hidden, seed=p.seed, n=N_POINTS)
        data_x, data_y = dataset(p.task, N_POINTS, p.seed)  # what it was trained on
        lines = first_layer_lines(fit.net, BOX)
        center, radius = circle_crossing_lines(lines, BOX)
        return GatesData(
            fit=fit,
            data_x=data_x,
            data_y=data_y,
            lines=lines,
            regions=linear_regions(fit.net, BOX),
            region_count=count_regions(fit.net, BOX),
            focus=lines[0][0] if lines else 0,
            path_center=center,
            path_radius=radius,
        )

    @classmethod
    def summarize(cls, data: GatesData) -> dict:
        return {
            "task": data.fit.task,
            "accuracy": data.fit.accuracy,
            "regions": data.region_count,
            "hidden": data.net.units,
        }

    # -- storyboard ----------------------------------------------------------------------
    def construct(self):
        data = self.data
        board = self.network(data)
        code = self.if_statement(data, board)
        walker = self.walk(data, board, code)
        shown = self.regions(data, board, walker)
        self.one_function(data, board, walker, shown)
        self.end_card(CLOSING)

    # -- beats ---------------------------------------------------------------------------
    @beat(
        lambda s: (
            f"A 2 → {s.data.net.units} → 1 ReLU net trained on {s.data.fit.task}: "
            f"{s.data.fit.accuracy:.0%} of its training points are classified right."
        )
    )
    def network(self, data: GatesData) -> Board:
        board = self._board(data)
        points, key = self._training_data(data, board)
        self.title_card()
        self.play(FadeIn(board.plane), FadeIn(board.diagram), FadeIn(board.legend), run_time=1.5)
        self.play(FadeIn(points, lag_ratio=0.01), FadeIn(key), run_time=1.5)
        self.wait(2)
        board.training_data = VGroup(points, key)
        return board

    @beat("Each hidden unit is an if-statement: if z > 0 it passes z on, else it sends 0.")
    def if_statement(self, data: GatesData, board: Board) -> CodePanel:
        th, net, j = self.theme, data.net, data.focus
        name = board.diagram.gate_names[j]
        code = [
            f"# gate {name}",
            f"z = {affine_code(net.W1[j], net.b1[j], ('x1', 'x2'))}",
            "if z > 0: h = z",
            "else:     h = 0",
            " ",  # the live values, during the walk
        ]
        panel = CodePanel(code, th, min_width=6.3)
        panel.move_to([3.3, -1.6, 0])
        self.play(
            FadeOut(board.training_data),
            Create(board.diagram.focus_ring(j)),
            FadeIn(panel),
            run_time=1.5,
        )
        self.say(f"{name} computes z from its two weights and bias, rounded here to 2 decimals.")
        self.wait(3)
        return panel

    @beat("Move the input: a gate flips exactly when the point crosses its line z = 0.")
    def walk(self, data: GatesData, board: Board, code: CodePanel) -> Walker:
        th = self.theme
        t = ValueTracker(0.0)
        sync = GateSync(data.net, board, data.focus, th, lambda: data.path(t.get_value()))
        sync.code = code
        unit_len = board.axes.x_length / (2 * BOX)
        circle = Circle(radius=data.path_radius * unit_len).move_to(
            board.to_scene(data.path_center)
        )
        circle.set_stroke(th.muted, width=2, opacity=0.7)
        path_line = DashedVMobject(circle, num_dashes=40)
        dot = Dot(radius=0.09, color=th.accent).move_to(board.to_scene(data.path(0)))
        sync.dot = dot
        # The updater sits on the diagram, drawn before the code and the dot, so Manim
        # redraws all of them every frame (mobjects before the first updated one are cached).
        board.diagram.add_updater(sync)
        sync()
        self.play(
            Create(board.switch_lines),
            FadeIn(board.line_labels),
            Create(path_line),
            FadeIn(dot),
            run_time=1.5,
        )
        self.play(t.animate.set_value(1.0), run_time=12, rate_func=linear)
        return Walker(sync, dot, path_line)

    @beat(
        "The lines cut the plane into {data.region_count} regions, one per pattern of open gates."
    )
    def regions(self, data: GatesData, board: Board, walker: Walker) -> RegionsShown:
        th = self.theme
        n = data.region_count
        fill = region_polygons(data.regions, board.to_scene, th)
        count = label(f"{n} linear regions", th, size=th.body_size, color=th.accent_text)
        key = VGroup(
            label("inside each: 1 = gate open, h1 first", th, size=th.tiny_size, color=th.muted),
            label("colour = how many gates are open", th, size=th.tiny_size, color=th.muted),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        info = VGroup(count, key).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        info.move_to([3.3, -1.0, 0])
        sync = walker.sync
        code, sync.code = sync.code, None  # detached first: the sync must not relight its bar
        self.play(FadeOut(code), FadeOut(walker.path_line), FadeIn(fill), run_time=1.5)
        self.bring_to_front(
            board.axes, board.ticks, board.switch_lines, board.line_labels, walker.dot
        )
        labels = pattern_labels(fill, th)
        self.play(FadeIn(labels), FadeIn(info), run_time=1.0)
        self.wait(3)
        return RegionsShown(fill, labels, count, info)

    @beat("Inside one region the gates stay put, so there the net is one affine function.")
    def one_function(
        self, data: GatesData, board: Board, walker: Walker, shown_regions: RegionsShown
    ) -> None:
        sync, info = walker.sync, shown_regions.info
        px, py = (ValueTracker(v) for v in sync.source())
        sync.source = lambda: np.array([px.get_value(), py.get_value()])
        shown: list = []
        for region in sorted(data.regions, key=lambda r: -r.area)[:TOURED]:
            outline, block = self._region_formula(data.net, region, board, info)
            x, y = region.centroid
            self.play(
                px.animate.set_value(x),
                py.animate.set_value(y),
                Create(outline),
                FadeIn(block),
                *(FadeOut(m) for m in shown),
                run_time=1.2,
            )
            self.wait(1.3)
            shown = [outline, block]

    # -- pieces --------------------------------------------------------------------------
    def _region_formula(self, net: ReluNet, region: Region, board: Board, info: VGroup):
        """The region's outline and its affine formula, from the core, under ``info``."""
        th = self.theme
        A, c = region_affine(net, region.pattern)
        a1, a2, c0 = float(A[0, 0]), float(A[0, 1]), float(c[0])
        eq = formula(
            rf"y = {a1:.2f}\,x_1 {signed(a2)}\,x_2 {signed(c0)}",
            f"y = {a1:.2f}·x1{signed(a2)}·x2{signed(c0)}",
            th,
            size=th.body_size,
        )
        head = label(
            f"gates {pattern_text(region.pattern)}:", th, size=th.small_size, color=th.muted
        )
        block = VGroup(head, eq).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        block.next_to(info, DOWN, buff=0.35, aligned_edge=LEFT)
        room = config.frame_width / 2 - th.margin - block.get_left()[0]
        if block.width > room:  # the plain-text fallback (no LaTeX) runs wider
            block.scale_to_fit_width(room, about_edge=LEFT)
        outline = Polygon(*[board.to_scene(p) for p in region.polygon])
        outline.set_stroke(th.accent, width=5).set_fill(opacity=0)
        return outline, block

    def _board(self, data: GatesData) -> Board:
        th = self.theme
        side = 5.3
        axes = Axes(
            x_range=[-BOX, BOX, 0.5],
            y_range=[-BOX, BOX, 0.5],
            x_length=side,
            y_length=side,
            tips=False,
            axis_config={"stroke_color": th.muted, "stroke_width": 2, "include_ticks": True},
        ).move_to([-3.75, -0.45, 0])
        to_scene = lambda p: axes.c2p(p[0], p[1])  # noqa: E731
        frame = Square(side_length=side).move_to(axes.get_center())
        frame.set_stroke(th.grid, width=2).set_fill(th.panel, opacity=1.0)
        names = VGroup(
            label("x1", th, size=th.small_size, color=th.muted).next_to(frame, RIGHT, buff=0.1),
            label("x2", th, size=th.small_size, color=th.muted).next_to(frame, UP, buff=0.08),
        )
        names[0].set_y(axes.c2p(0, 0)[1])
        names[1].set_x(axes.c2p(0, 0)[0])
        ticks = VGroup(
            *(
                label(f"{v:g}", th, size=th.tiny_size, color=th.muted).next_to(
                    axes.c2p(v, 0), DOWN, buff=0.1
                )
                for v in (-1, 1)
            )
        )
        switch = switching_lines(data.lines, to_scene, th, focus=data.focus)
        diagram = NetworkDiagram(data.net, th, width=5.6, height=2.75).move_to([3.3, 1.6, 0])
        return Board(
            axes=axes,
            plane=VGroup(frame, axes, names, ticks),
            ticks=ticks,
            switch_lines=switch,
            line_labels=line_tags(switch, frame, th),
            diagram=diagram,
            legend=weight_legend(th).next_to(diagram, DOWN, buff=0.2),
        )

    def _training_data(self, data: GatesData, board: Board) -> tuple[VGroup, VGroup]:
        """The training points (class 1 filled, class 0 hollow) and their key."""
        th = self.theme
        points = VGroup(
            *(
                Dot(board.to_scene(x), radius=0.045, color=th.text)
                if y > 0.5
                else Circle(radius=0.045).move_to(board.to_scene(x)).set_stroke(th.muted, 1.5)
                for x, y in zip(data.data_x, data.data_y, strict=True)
            )
        )
        key = VGroup(
            label("training data:", th, size=th.tiny_size, color=th.muted),
            Dot(radius=0.06, color=th.text),
            label("class 1", th, size=th.tiny_size, color=th.muted),
            Circle(radius=0.06).set_stroke(th.muted, 2),
            label("class 0", th, size=th.tiny_size, color=th.muted),
        ).arrange(RIGHT, buff=0.12)
        key[1:].shift(RIGHT * 0.15)
        key[3:].shift(RIGHT * 0.25)
        return points, key.next_to(board.legend, DOWN, buff=0.45)
