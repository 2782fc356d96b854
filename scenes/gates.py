"""ReLU as an if-statement: hidden units are gates that open exactly where ``z > 0``.

A 2 -> H -> 1 ReLU classifier trained by the core (``relu_anim.core.classify``) is drawn as
a diagram of gates beside the code one unit runs. An input point walks along a circle that
crosses every switching line; each frame the gates are set from the core's ``net.gates``
and the code highlights the branch taken. Then the plane is shown cut into the core's exact
linear regions, one per pattern of open gates, and inside each the net is one affine map.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from manim import *

from relu_anim.core.classify import SPAN, TASKS, TrainedClassifier, dataset, train_classifier
from relu_anim.core.regions import (
    count_regions,
    first_layer_lines,
    linear_regions,
    region_affine,
)
from relu_anim.scene import LectureScene
from relu_anim.visuals.code_panel import CodePanel, affine_code, signed
from relu_anim.visuals.layout import closing_line, title_bar
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


def live_values(z: float) -> str:
    """The code panel's last line: this frame's z and what the unit sends on."""
    return f"# now z = {z:.2f}, so h = {max(z, 0.0):.2f}"


class GatesAsIfs(LectureScene):
    title = "ReLU as an if-statement"
    order = 3  # lecture order: after LinearCollapse
    summary = (
        "Each hidden ReLU unit is a gate: if z > 0 it passes z, else 0. Gates flip exactly "
        "on their lines, and each pattern of open gates is one linear piece of the plane."
    )

    @dataclass(frozen=True)
    class Params:
        task: str = field(default="xor", metadata={"help": "what the net learns: xor or ring"})
        hidden: int = field(default=4, metadata={"help": "hidden units (gates), 2..6"})
        seed: int = field(default=0, metadata={"help": "seed for the data and the training"})

        def validate(self) -> None:
            if self.task not in TASKS:
                raise ValueError(f"unknown task {self.task!r}; choose one of {', '.join(TASKS)}")
            if not 2 <= self.hidden <= 6:
                raise ValueError(f"hidden must be between 2 and 6, got {self.hidden}")
            if self.seed < 0:
                raise ValueError(f"seed must be >= 0, got {self.seed}")

    box = SPAN  # the input plane shown: [-box, box]^2, where the data live

    # -- the core, once ------------------------------------------------------------------
    def setup(self) -> None:
        super().setup()
        p = self.params
        self.fit: TrainedClassifier = train_classifier(
            task=p.task, hidden=p.hidden, seed=p.seed, n=N_POINTS
        )
        self.data_x, self.data_y = dataset(p.task, N_POINTS, p.seed)  # what it was trained on
        self.net = self.fit.net
        self.lines = first_layer_lines(self.net, self.box)
        self.regions = linear_regions(self.net, self.box)
        self.region_count = count_regions(self.net, self.box)
        self.focus = self.lines[0][0] if self.lines else 0
        self.path_center, self.path_radius = circle_crossing_lines(self.lines, self.box)
        self.gate_states_log: list[tuple[float, tuple[bool, ...]]] = []
        self.numbers = {
            "task": p.task,
            "accuracy": self.fit.accuracy,
            "regions": self.region_count,
            "hidden": p.hidden,
        }

    def path_fn(self, t: float) -> np.ndarray:
        """The input point at time ``t`` in [0, 1]: once round the circle, from the right."""
        a = 2 * np.pi * float(t)
        return self.path_center + self.path_radius * np.array([np.cos(a), np.sin(a)])

    # -- storyboard ----------------------------------------------------------------------
    def construct(self):
        self.show_network()
        self.show_if_statement()
        self.walk_the_input()
        self.show_regions()
        self.one_function_per_pattern()

    # -- beats ---------------------------------------------------------------------------
    def show_network(self):
        net, fit, th = self.net, self.fit, self.theme
        self.beat(
            "network",
            f"A 2 → {net.units} → 1 ReLU net trained on {fit.task}: "
            f"{fit.accuracy:.0%} of its training points are classified right.",
        )
        self.build_plane()
        self.diagram = NetworkDiagram(net, th, width=5.6, height=2.75)
        self.diagram.move_to([3.3, 1.6, 0])
        self.legend = weight_legend(th).next_to(self.diagram, DOWN, buff=0.2)
        self.build_data()
        self.add(title_bar(self.title, th))
        self.play(FadeIn(self.plane), FadeIn(self.diagram), FadeIn(self.legend), run_time=1.5)
        self.play(FadeIn(self.data, lag_ratio=0.01), FadeIn(self.data_key), run_time=1.5)
        self.wait(2)

    def show_if_statement(self):
        th, net, j = self.theme, self.net, self.focus
        name = self.diagram.gate_names[j]
        self.beat(
            "if-statement",
            "Each hidden unit is an if-statement: if z > 0 it passes z on, else it sends 0.",
        )
        code = [
            f"# gate {name}",
            f"z = {affine_code(net.W1[j], net.b1[j], ('x1', 'x2'))}",
            "if z > 0: h = z",
            "else:     h = 0",
            " ",  # the live values, during the walk
        ]
        self.code = CodePanel(code, th, min_width=6.3)
        self.code.move_to([3.3, -1.6, 0])
        self.ring = self.diagram.focus_ring(j)
        self.play(
            FadeOut(self.data),
            FadeOut(self.data_key),
            Create(self.ring),
            FadeIn(self.code),
            run_time=1.5,
        )
        self.say(f"{name} computes z from its two weights and bias, rounded here to 2 decimals.")
        self.wait(3)

    def walk_the_input(self):
        th = self.theme
        self.beat(
            "walk",
            "Move the input: a gate flips exactly when the point crosses its line z = 0.",
        )
        self.t = ValueTracker(0.0)
        self.point_source = lambda: self.path_fn(self.t.get_value())
        self.walking = True
        path = Circle(radius=self.path_radius * self.unit_len).move_to(
            self.axes.c2p(*self.path_center)
        )
        path.set_stroke(th.muted, width=2, opacity=0.7)
        self.path_line = DashedVMobject(path, num_dashes=40)
        self.dot = Dot(radius=0.09, color=th.accent).move_to(self.axes.c2p(*self.path_fn(0)))
        # The updater sits on the diagram, drawn before the code and the dot, so Manim
        # redraws all of them every frame (mobjects before the first updated one are cached).
        self.diagram.add_updater(lambda _m: self.sync())
        self.sync()
        self.play(
            Create(self.switch_lines),
            FadeIn(self.line_labels),
            Create(self.path_line),
            FadeIn(self.dot),
            run_time=1.5,
        )
        self.play(self.t.animate.set_value(1.0), run_time=12, rate_func=linear)
        self.walking = False

    def show_regions(self):
        th = self.theme
        n = self.region_count
        self.beat(
            "regions",
            f"The lines cut the plane into {n} regions, one per pattern of open gates.",
        )
        self.region_fill = region_polygons(self.regions, self.to_scene, th)
        self.region_labels = pattern_labels(self.region_fill, th)
        count = label(f"{n} linear regions", th, size=th.body_size, color=th.accent)
        key = VGroup(
            label("inside each: 1 = gate open, h1 first", th, size=th.tiny_size, color=th.muted),
            label("colour = how many gates are open", th, size=th.tiny_size, color=th.muted),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        self.region_info = VGroup(count, key).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        self.region_info.move_to([3.3, -1.0, 0])
        self.count_text = count
        self.play(
            FadeOut(self.code),
            FadeOut(self.path_line),
            FadeIn(self.region_fill),
            run_time=1.5,
        )
        self.bring_to_front(self.axes, self.ticks, self.switch_lines, self.line_labels, self.dot)
        self.play(FadeIn(self.region_labels), FadeIn(self.region_info), run_time=1.0)
        self.wait(3)

    def one_function_per_pattern(self):
        th = self.theme
        self.beat(
            "one-function",
            "Inside one region the gates stay put, so the net there is one linear function.",
        )
        px, py = (ValueTracker(v) for v in self.point_source())
        self.point_source = lambda: np.array([px.get_value(), py.get_value()])
        biggest = sorted(self.regions, key=lambda r: -r.area)[:TOURED]
        outline = None
        shown = None
        for region in biggest:
            A, c = region_affine(self.net, region.pattern)
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
            block.next_to(self.region_info, DOWN, buff=0.35, aligned_edge=LEFT)
            room = config.frame_width / 2 - th.margin - block.get_left()[0]
            if block.width > room:  # the plain-text fallback (no LaTeX) runs wider
                block.scale_to_fit_width(room, about_edge=LEFT)
            poly = Polygon(*[self.to_scene(p) for p in region.polygon])
            poly.set_stroke(th.accent, width=5).set_fill(opacity=0)
            x, y = region.centroid
            moves = [px.animate.set_value(x), py.animate.set_value(y)]
            swaps = [Create(poly), FadeIn(block)]
            if outline is not None:
                swaps += [FadeOut(outline), FadeOut(shown)]
            self.play(*moves, *swaps, run_time=1.2)
            self.wait(1.3)
            outline, shown = poly, block
        self.closing = closing_line("Each pattern of open gates is one linear function.", th)
        self.say("Each pattern of open gates is one linear function.")
        self.play(FadeIn(self.closing), run_time=1.0)
        self.wait(2.5)

    # -- pieces --------------------------------------------------------------------------
    def build_plane(self):
        th, box = self.theme, self.box
        side = 5.3
        self.unit_len = side / (2 * box)
        self.axes = Axes(
            x_range=[-box, box, 0.5],
            y_range=[-box, box, 0.5],
            x_length=side,
            y_length=side,
            tips=False,
            axis_config={"stroke_color": th.muted, "stroke_width": 2, "include_ticks": True},
        ).move_to([-3.75, -0.45, 0])
        self.to_scene = lambda p: self.axes.c2p(p[0], p[1])
        frame = Square(side_length=side).move_to(self.axes.get_center())
        frame.set_stroke(th.grid, width=2).set_fill(th.panel, opacity=1.0)
        names = VGroup(
            label("x1", th, size=th.small_size, color=th.muted).next_to(frame, RIGHT, buff=0.1),
            label("x2", th, size=th.small_size, color=th.muted).next_to(frame, UP, buff=0.08),
        )
        names[0].set_y(self.axes.c2p(0, 0)[1])
        names[1].set_x(self.axes.c2p(0, 0)[0])
        ticks = VGroup(
            *(
                label(f"{v:g}", th, size=th.tiny_size, color=th.muted).next_to(
                    self.axes.c2p(v, 0), DOWN, buff=0.1
                )
                for v in (-1, 1)
            )
        )
        self.ticks = ticks
        self.plane = VGroup(frame, self.axes, names, ticks)
        self.switch_lines = switching_lines(self.lines, self.to_scene, th, focus=self.focus)
        self.line_labels = line_tags(self.switch_lines, frame, th)

    def build_data(self):
        """The training points (class 1 filled, class 0 hollow) and their key."""
        th = self.theme
        self.data = VGroup(
            *(
                Dot(self.to_scene(x), radius=0.045, color=th.text)
                if y > 0.5
                else Circle(radius=0.045).move_to(self.to_scene(x)).set_stroke(th.muted, 1.5)
                for x, y in zip(self.data_x, self.data_y, strict=True)
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
        self.data_key = key.next_to(self.legend, DOWN, buff=0.45)

    def sync(self) -> None:
        """Set every gate, the code's branch and the readouts from the core at the point."""
        x = self.point_source()
        states = self.net.gates(x[None])[0]
        self.diagram.set_gates(states)
        z = float(self.net.preactivations(x[None])[0][0, self.focus])
        if hasattr(self, "code"):
            self.code.highlight(
                IF_LINE if z > 0 else ELSE_LINE, self.theme.open if z > 0 else self.theme.closed
            )
            self.code.set_line(VALUE_LINE, live_values(z))
        if hasattr(self, "dot"):
            self.dot.move_to(self.to_scene(x))
        if getattr(self, "walking", False):
            self.gate_states_log.append((self.t.get_value(), self.diagram.displayed_states()))

    # -- for tests -----------------------------------------------------------------------
    def displayed_gate_states(self, t: float) -> tuple[bool, ...]:
        """Put the walk at ``t``, run the sync, and read the gates back from the diagram."""
        self.point_source = lambda: self.path_fn(self.t.get_value())
        self.t.set_value(t)
        self.sync()
        return self.diagram.displayed_states()
