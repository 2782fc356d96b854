"""ReLU as an if-statement: hidden units are gates that open exactly where ``z > 0``.

A 2 -> H -> 1 ReLU classifier is drawn as a diagram of gates beside the code one unit runs.
Its output ``y`` is a logit: the net says class 1 where ``y > 0`` (``sigmoid(y) > 0.5``),
class 0 where ``y < 0``. The hidden layer is a parameter (a documented preset per task);
the core fits the output layer to the task's data (``relu_anim.core.decision.fit_readout``:
logistic regression on the gates' outputs). An input point walks along a circle that crosses
every switching line; each frame the gates are set from the core's ``net.gates``, the code
highlights the branch taken and the tag beside the point lists the open gates. Then the
plane is shown cut into the core's exact regions, one per pattern of open gates; inside
each the net is one affine function, so the decision boundary ``y = 0`` is one straight
segment per region, and the training data come back over the plane coloured by class.

The presets (``PRESETS``) were chosen by a search over hidden layers with weights and biases
on a 0.25 grid: the output layer fitted to seed 0's 200 points puts all of them on their
class's side, every region is large enough to hold its pattern label (the thinnest region,
``2 area / perimeter``, is 0.33 for ring and 0.26 for xor, in input units; the plane is 3
wide), and no two switching lines cross at less than 50 degrees. Trained first layers put
lines through the origin and specks of regions beside it; these do not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import *

from relu_anim.core.classify import SPAN, TASKS, dataset
from relu_anim.core.decision import (
    Clarity,
    Piece,
    Segment,
    accuracy,
    arrangement_clarity,
    decision_pieces,
    decision_segments,
    fit_readout,
)
from relu_anim.core.network import ReluNet
from relu_anim.core.regions import Region, first_layer_lines, linear_regions, region_affine
from relu_anim.lecture import LectureScene, beat, param
from relu_anim.lecture.scene import reading_seconds
from relu_anim.lecture.teaching import Teaching
from relu_anim.visuals.code_panel import CodePanel, affine_code, number, signed
from relu_anim.visuals.decision import (
    boundary,
    boundary_key,
    class_fills,
    class_key,
    class_points,
)
from relu_anim.visuals.layout import TextNumber
from relu_anim.visuals.network_diagram import NetworkDiagram, weight_legend
from relu_anim.visuals.regions import (
    circle_crossing_lines,
    line_tags,
    pattern_labels,
    pattern_text,
    quiet_angle,
    switching_lines,
)
from relu_anim.visuals.stage import frame_layout
from relu_anim.visuals.text import GlyphText, formula, label

IF_LINE, ELSE_LINE, VALUE_LINE = 2, 3, 4  # code lines: the two branches, the live values
Z_LINE = 1
N_POINTS = 200  # training points
BOX = SPAN  # the input plane shown: [-BOX, BOX]^2, where the data live
MAX_WEIGHT = 10.0  # |w1|, |w2|, |b| of a hidden unit, at most
PORTRAIT_DIAGRAM_HEIGHT = 2.1  # under the plane, the network leaves room for its notes
UNITS = (2, 6)
DECISION_OPACITY = 0.3  # the class fills: light enough for the data points on top
CLOSING = "Each pattern of open gates is one affine function, and y > 0 marks class 1."
# w1, w2, b for each hidden unit (see the module docstring for how they were chosen)
PRESETS = {
    "ring": (1.25, 1.5, -0.75, 2.0, -0.75, -1.0, -0.75, -1.75, -0.75, -1.75, 1.0, -0.5),
    "xor": (-1.5, 1.5, 1.5, 1.0, -1.75, -0.25, 1.0, 1.75, 1.5, -0.75, -1.75, 0.0),
}


def hidden_layer(values: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    """``(W1, b1)`` from ``w1, w2, b`` per unit; ValueError unless there are 2 to 6 units,
    every value is finite and at most MAX_WEIGHT in size, and every line ``z = 0`` crosses
    the plane shown (a unit whose line misses it would be a gate that never flips)."""
    v = np.asarray(values, dtype=float)
    if v.size % 3 or not UNITS[0] <= v.size // 3 <= UNITS[1]:
        raise ValueError(
            f"hidden_weights needs 3 numbers (w1, w2, b) per unit for {UNITS[0]} to "
            f"{UNITS[1]} units, got {v.size} numbers"
        )
    if not np.all(np.isfinite(v)) or np.max(np.abs(v)) > MAX_WEIGHT:
        raise ValueError(
            f"hidden_weights must be finite numbers from -{MAX_WEIGHT:g} to {MAX_WEIGHT:g}"
        )
    layer = v.reshape(-1, 3)
    W1, b1 = layer[:, :2], layer[:, 2]
    probe = ReluNet.one_hidden(W1, b1, np.ones((1, len(b1))), [0.0])
    crossing = {unit for unit, _, _ in first_layer_lines(probe, BOX)}
    missing = [f"h{j + 1}" for j in range(len(b1)) if j not in crossing]
    if missing:
        raise ValueError(
            f"hidden_weights: the line z = 0 of {', '.join(missing)} does not cross the "
            f"plane [-{BOX:g}, {BOX:g}]^2"
        )
    return W1, b1


def live_values(z: float) -> str:
    """The code panel's last line: this frame's z and what the unit sends on."""
    return f"# now z = {number(z)}, so h = {number(max(z, 0.0))}"


@dataclass(frozen=True)
class GatesData:
    """The net and everything drawn from it, computed before the first frame."""

    net: ReluNet
    task: str
    accuracy: float
    data_x: np.ndarray  # the training points
    data_y: np.ndarray
    lines: list  # each unit's switching line clipped to the box: (unit, p0, p1)
    regions: list[Region]
    pieces: list[Piece]  # the regions cut by y = 0: class 1 / class 0 parts
    segments: list[Segment]  # the boundary y = 0, one segment per region it crosses
    clarity: Clarity
    focus: int  # the unit whose code is shown
    tour: list[int]  # regions visited in the one-function beat
    path_center: np.ndarray  # the walk: a circle that crosses every switching line
    path_radius: float
    path_start: float  # the walk's first angle: away from every line and axis

    @property
    def region_count(self) -> int:
        return len(self.regions)

    @property
    def correct(self) -> int:
        return int(round(self.accuracy * len(self.data_y)))

    def path(self, t: float) -> np.ndarray:
        """The input point at time ``t`` in [0, 1]: once round the circle."""
        a = self.path_start + 2 * np.pi * float(t)
        return self.path_center + self.path_radius * np.array([np.cos(a), np.sin(a)])

    def output(self, x: np.ndarray) -> float:
        return float(self.net(np.asarray(x)[None])[0])


def tour_regions(regions: list[Region], stops: int = 3) -> list[int]:
    """Regions to visit, one for each of the ``stops`` smallest numbers of open gates that
    occur (the largest region with that number), fewest open first: with the ring preset,
    the output bias alone, then one gate's term, then terms adding up."""
    counts = sorted({sum(r.pattern) for r in regions})[:stops]
    return [
        max(
            (i for i, r in enumerate(regions) if sum(r.pattern) == k), key=lambda i: regions[i].area
        )
        for k in counts
    ]


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
    points: VGroup  # the training data, by class
    key: VGroup  # what the classes are, under the legend
    score: Mobject  # how many points are on their class's side

    def to_scene(self, p) -> np.ndarray:
        return self.axes.c2p(p[0], p[1])


class PatternTag(VGroup):
    """The gate pattern (``1011``, h1 first) on a small card, beside the moving point."""

    def __init__(self, units: int, theme):
        super().__init__()
        self.text = GlyphText("0" * units, theme, theme.small_size, theme.text, mono=True)
        self.card = RoundedRectangle(
            corner_radius=0.06, width=self.text.width + 0.2, height=self.text.height + 0.16
        )
        self.card.set_fill(theme.panel, opacity=0.92).set_stroke(theme.accent, width=1.5)
        self.add(self.card, self.text)

    def show(self, pattern, where: np.ndarray) -> None:
        text = pattern_text(pattern)
        if text != self.text.text:
            self.text.set_text(text)
        self.card.move_to(where)
        self.text.move_to(where)


class OutputReadout(VGroup):
    """``y = 3.21`` beside the output node: the net's output, in its class's colour."""

    def __init__(self, theme):
        super().__init__()
        self.theme = theme
        self.name = label("y =", theme, size=theme.small_size, color=theme.muted)
        self.value = TextNumber(0.0, theme, places=2, size=theme.small_size)
        self.value.next_to(self.name, RIGHT, buff=0.12)
        self.add(self.name, self.value)

    def show(self, y: float) -> None:
        colour = self.theme.positive if y > 0 else self.theme.negative
        if round(y, 2) != round(self.value.get_value(), 2) or self.value.color_name != colour:
            self.value.color_name = colour
            self.value.set_value(y)


class GateSync:
    """Sets the gates, the code's branch, the point, its tag and the output readout from the
    core at the input point. Runs as an updater during the walk; whatever is attached
    follows the point, and nothing that has been detached is touched again."""

    def __init__(self, data: GatesData, board: Board, theme, source):
        self.data, self.board, self.theme = data, board, theme
        self.source = source  # () -> the input point (x1, x2)
        self.code: CodePanel | None = None
        self.dot: Mobject | None = None
        self.tag: PatternTag | None = None
        self.output: OutputReadout | None = None
        self.log: list[tuple[np.ndarray, tuple[bool, ...]]] = []

    def tag_place(self, x: np.ndarray) -> np.ndarray:
        """Beside the point, towards the walk's centre (so always inside the plane)."""
        inward = self.data.path_center - x
        inward = inward / (np.linalg.norm(inward) or 1.0)
        return self.board.to_scene(x) + 0.5 * np.array([inward[0], inward[1], 0.0])

    def __call__(self, _mob=None) -> None:
        net, x = self.data.net, self.source()
        gates = net.gates(x[None])[0]
        self.board.diagram.set_gates(gates)
        z = float(net.preactivations(x[None])[0][0, self.data.focus])
        if self.code is not None:
            th = self.theme
            self.code.highlight(IF_LINE if z > 0 else ELSE_LINE, th.open if z > 0 else th.closed)
            self.code.set_line(VALUE_LINE, live_values(z))
        if self.dot is not None:
            self.dot.move_to(self.board.to_scene(x))
        if self.tag is not None:
            self.tag.show(gates.astype(int), self.tag_place(x))
        if self.output is not None:
            self.output.show(self.data.output(x))
        self.log.append((np.array(x), self.board.diagram.displayed_states()))


@dataclass
class Walker:
    """The walk's moving point, its tag, its dashed path, and the sync that drives them."""

    sync: GateSync
    dot: Dot
    tag: PatternTag
    output: OutputReadout
    path_line: VMobject


@dataclass
class RegionsShown:
    """The regions beat's labels (one per pattern), and the count with its key."""

    labels: VGroup
    info: VGroup
    count: Mobject


@dataclass
class Decision:
    """The last beat's plane: class fills, the boundary, the data, the key beside them."""

    fills: VGroup
    boundary: VGroup
    points: VGroup
    key: VGroup


class GatesAsIfs(LectureScene):
    title = "ReLU as an if-statement"
    order = 3  # lecture order: after LinearCollapse
    teaching = Teaching(
        statement=(
            "A ReLU network is continuous and piecewise affine: fix which gates are open "
            "and every unit is either the identity or zero, so the output is one affine "
            "function of the input. The H switching lines w·x + b = 0 of one hidden layer "
            "cut the plane into at most 1 + H + H(H - 1)/2 regions, and inside each the "
            "decision boundary y = 0 is a straight segment."
        ),
        source=(
            "Pascanu, Montúfar, Bengio (2014), On the number of response regions of deep "
            "feed forward networks with piece-wise linear activations, ICLR; the count of "
            "regions of a line arrangement is Zaslavsky's (1975)."
        ),
        reading=(
            "Montúfar, Pascanu, Cho, Bengio (2014), On the number of linear regions of "
            "deep neural networks, NeurIPS.",
            "Goodfellow, Bengio, Courville, Deep Learning (2016), section 6.3.1: rectified "
            "linear units.",
        ),
        exercises=(
            (
                "With the page's number of hidden units H, how many regions can H lines "
                "make at most? Is the count on the page within it?",
                "1 + H + H(H - 1)/2: 11 for H = 4. The page counts the regions inside the "
                "plane shown, so it may be fewer.",
            ),
            (
                "Using W1, b1, W2 and b2, compute y at the input (0, 0). Which gates are "
                "open there, and which class does the net say?",
                "At (0, 0) z = b1; keep the positive entries (the open gates), then "
                "y = W2·relu(b1) + b2; class 1 when y > 0.",
            ),
        ),
        beat_numbers={
            "network": ("hidden", "W1", "b1", "W2", "b2"),
            "regions": ("regions", "thinnest_region"),
            "decision": ("task", "accuracy"),
        },
    )
    summary = (
        "Each hidden ReLU unit is a gate: if z > 0 it passes z, else 0. Gates flip exactly "
        "on their lines; each pattern of open gates is one affine piece, so the boundary "
        "y = 0 of the classifier is straight inside each region."
    )

    @dataclass(frozen=True)
    class Params:
        task: str = param(
            "ring", "the data: ring (class 1 inside radius 0.9) or xor", choices=TASKS
        )
        hidden_weights: tuple[float, ...] = param(
            (),
            "hidden layer as w1,w2,b per unit (2-6 units, |value| <= 10, each line z = 0 "
            "crossing the plane); empty: the task's preset, chosen so every region is "
            "large enough to label; the output layer is fitted to the data",
        )
        seed: int = param(0, "seed of the 200 training points", between=(0, 2**31 - 1))

        def validate(self) -> None:
            if self.hidden_weights:
                hidden_layer(self.hidden_weights)

    @classmethod
    def compute(cls, p: Params) -> GatesData:
        W1, b1 = hidden_layer(p.hidden_weights or PRESETS[p.task])
        data_x, data_y = dataset(p.task, N_POINTS, p.seed)
        net = fit_readout(W1, b1, data_x, data_y)
        regions = linear_regions(net, BOX)
        lines = first_layer_lines(net, BOX)
        center, radius = circle_crossing_lines(lines, BOX)
        return GatesData(
            net=net,
            task=p.task,
            accuracy=accuracy(net, data_x, data_y),
            data_x=data_x,
            data_y=data_y,
            lines=lines,
            regions=regions,
            pieces=decision_pieces(net, regions),
            segments=decision_segments(net, regions),
            clarity=arrangement_clarity(net, BOX),
            focus=lines[0][0],
            tour=tour_regions(regions),
            path_center=center,
            path_radius=radius,
            path_start=quiet_angle(center, radius, lines),
        )

    @classmethod
    def summarize(cls, data: GatesData) -> dict:
        return {
            "task": data.task,
            "accuracy": data.accuracy,
            "regions": data.region_count,
            "hidden": data.net.units,
            "W1": data.net.W1.tolist(),
            "b1": data.net.b1.tolist(),
            "W2": data.net.W2.tolist(),
            "b2": data.net.b2.tolist(),
            "thinnest_region": data.clarity.thinnest,
        }

    # -- storyboard ----------------------------------------------------------------------
    def construct(self):
        data = self.data
        board = self.network(data)
        code = self.if_statement(data, board)
        walker = self.walk(data, board, code)
        shown = self.regions(data, board, walker)
        last = self.one_function(data, board, shown)
        self.decision(data, board, shown, last)
        self.end_card(CLOSING)

    # -- beats ---------------------------------------------------------------------------
    @beat(
        lambda s: (
            f"A 2 → {s.data.net.units} → 1 ReLU net takes a point (x1, x2) "
            "and outputs one number, y."
        )
    )
    def network(self, data: GatesData) -> Board:
        board = self._board(data)
        self.title_card()
        self.play(FadeIn(board.plane), FadeIn(board.diagram), FadeIn(board.legend), run_time=1.5)
        self.say("It says class 1 where y > 0 (sigmoid(y) > 1/2) and class 0 where y < 0.")
        self.play(FadeIn(board.points, lag_ratio=0.01), FadeIn(board.key), run_time=1.5)
        self.say(
            f"Hidden layer set by hand, output layer fitted to these {len(data.data_y)} "
            f"points: {data.accuracy:.0%} right."
        )
        self.play(FadeIn(board.score), run_time=0.8)
        return board

    @beat("Each hidden unit is an if-statement: if z > 0 it passes z on, else it sends 0.")
    def if_statement(self, data: GatesData, board: Board) -> CodePanel:
        th, net, j = self.theme, data.net, data.focus
        name = board.diagram.gate_names[j]
        code = [
            f"# gate {name}: its two weights and bias",
            f"z = {affine_code(net.W1[j], net.b1[j], ('x1', 'x2'))}",
            "if z > 0: h = z",
            "else:     h = 0",
            " ",  # the live values, during the walk
        ]
        panel = CodePanel(code, th, min_width=5.6)
        panel.next_to(board.legend, DOWN, buff=0.3).set_x(board.legend.get_x())
        frame_layout(th).above_band(panel)
        self.play(
            *(FadeOut(m) for m in (board.points, board.key, board.score)),
            Create(board.diagram.focus_ring(j)),
            FadeIn(panel),
            run_time=1.5,
        )
        return panel

    @beat(
        "Move the input: a gate flips exactly when the point crosses its line z = 0; "
        "the tag lists the gates."
    )
    def walk(self, data: GatesData, board: Board, code: CodePanel) -> Walker:
        th = self.theme
        t = ValueTracker(0.0)
        sync = GateSync(data, board, th, lambda: data.path(t.get_value()))
        sync.code = code
        unit_len = board.to_scene((1, 0))[0] - board.to_scene((0, 0))[0]
        circle = Circle(radius=data.path_radius * unit_len).move_to(
            board.to_scene(data.path_center)
        )
        circle.set_stroke(th.muted, width=2, opacity=0.7)
        path_line = DashedVMobject(circle, num_dashes=40)
        dot = Dot(radius=0.09, color=th.accent).set_stroke(th.background, width=1.5)
        tag = PatternTag(data.net.units, th)
        output = OutputReadout(th)
        out_node = board.diagram.outputs[0]
        output.next_to(out_node, UP, buff=0.3).align_to(out_node, RIGHT)
        sync.dot, sync.tag, sync.output = dot, tag, output
        # The updater sits on the diagram, drawn before the code and the dot, so Manim
        # redraws all of them every frame (mobjects before the first updated one are cached).
        board.diagram.add_updater(sync)
        sync()
        appear = 1.5
        self.play(
            Create(board.switch_lines),
            FadeIn(board.line_labels),
            Create(path_line),
            FadeIn(dot),
            FadeIn(tag),
            FadeIn(output),
            run_time=appear,
        )
        later = "y follows: each open gate adds its z times its output weight, plus a bias."
        first = reading_seconds(self.beat_captions["walk"]) - appear
        second = reading_seconds(later)
        split = first / (first + second)  # one steady pace round the circle
        self.play(t.animate.set_value(split), run_time=first, rate_func=linear)
        self.say(later)
        self.play(t.animate.set_value(1.0), run_time=second, rate_func=linear)
        return Walker(sync, dot, tag, output, path_line)

    @beat(
        lambda s: (
            f"The {len(s.data.lines)} lines cut the plane into {s.data.region_count} regions, "
            "one per pattern of open gates."
        )
    )
    def regions(self, data: GatesData, board: Board, walker: Walker) -> RegionsShown:
        th = self.theme
        sync = walker.sync
        board.diagram.remove_updater(sync)
        code, sync.code = sync.code, None  # detached first: the sync must not relight its bar
        sync.dot = sync.tag = sync.output = None
        count = label(f"{data.region_count} regions", th, size=th.body_size, color=th.accent_text)
        key = VGroup(
            label("label: gates h1, h2, ... (1 = open)", th, size=th.tiny_size, color=th.muted),
            label("inside a region no gate flips", th, size=th.tiny_size, color=th.muted),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        info = VGroup(count, key).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        info.next_to(board.legend, DOWN, buff=0.3).align_to(board.legend, LEFT)
        labels = pattern_labels(self._region_shapes(data, board), th)
        gone = (code, walker.path_line, walker.dot, walker.tag, walker.output)
        self.play(*(FadeOut(m) for m in gone), run_time=1.0)
        self.play(FadeIn(labels, lag_ratio=0.15), FadeIn(info), run_time=1.5)
        return RegionsShown(labels, info, count)

    @beat("Inside one region no gate flips, so there y is one affine function.")
    def one_function(self, data: GatesData, board: Board, shown: RegionsShown) -> VGroup:
        previous = VGroup()
        for n, i in enumerate(data.tour):
            region = data.regions[i]
            outline, block = self._region_formula(data.net, region, board, shown.info)
            if n:
                self.say(self._tour_caption(region, last=n == len(data.tour) - 1))
            if previous:  # a clean swap: the old formula is gone before the new one comes
                self.play(FadeOut(previous), run_time=0.4)
            board.diagram.set_gates([bool(g) for g in region.pattern])
            self.play(Create(outline), FadeIn(block), run_time=0.8)
            previous = VGroup(outline, block)
        return previous

    @beat("Colour the plane by the output: class 1 where y > 0, class 0 where y < 0.")
    def decision(self, data: GatesData, board: Board, shown: RegionsShown, last: VGroup):
        th = self.theme
        fills = class_fills(data.pieces, board.to_scene, th, opacity=DECISION_OPACITY)
        edge = boundary(data.segments, board.to_scene, th)
        key = VGroup(class_key(th), boundary_key(th)).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        key.next_to(shown.count, DOWN, buff=0.3, aligned_edge=LEFT)
        board.score.next_to(key, DOWN, buff=0.25, aligned_edge=LEFT)
        frame_layout(th).above_band(VGroup(key, board.score))
        board.diagram.set_gates([True] * data.net.units)  # as first drawn: no point chosen
        self.play(
            FadeOut(last),
            FadeIn(fills),
            FadeOut(shown.info[1]),
            FadeIn(key[0]),
            board.switch_lines.animate.set_stroke(th.muted, opacity=0.8),
            *(tag.animate.set_color(th.muted) for tag in board.line_labels),
            run_time=1.5,
        )
        self.bring_to_front(board.axes, board.ticks, board.switch_lines)
        self.say("So the boundary y = 0 is straight inside each region; it bends on a gate's line.")
        self.play(Create(edge), FadeIn(key[1]), run_time=1.5)
        self.say(
            f"The training points come back: {data.correct} of {len(data.data_y)} "
            "lie on their class's side."
        )
        for tag in (*shown.labels, *board.line_labels):  # readable over the points
            tag.add_background_rectangle(color=th.panel, opacity=0.75, buff=0.04)
        self.add(board.points)
        self.bring_to_front(shown.labels, board.line_labels)
        self.play(FadeIn(board.points, lag_ratio=0.005), FadeIn(board.score), run_time=1.5)
        return Decision(fills, edge, board.points, VGroup(key, board.score))

    # -- pieces --------------------------------------------------------------------------
    @staticmethod
    def _tour_caption(region: Region, last: bool) -> str:
        """What the formula of a toured region shows, by its number of open gates."""
        k, gates = sum(region.pattern), pattern_text(region.pattern)
        if k == 0:
            return f"Gates {gates}: every gate closed, so y is the output bias alone, a constant."
        if k == 1:
            return (
                f"Gates {gates}: one gate open adds its z times its weight: slopes plus a constant."
            )
        if last:
            return f"Gates {gates}: {k} terms add up, still slopes plus a constant: affine, not linear."
        return f"Gates {gates}: {k} gates open; their terms add up to one affine function."

    def _region_shapes(self, data: GatesData, board: Board) -> VGroup:
        """Invisible polygons of the regions (``.pattern`` kept), for placing their labels."""
        group = VGroup()
        for region in data.regions:
            poly = Polygon(*[board.to_scene(p) for p in region.polygon])
            poly.set_fill(opacity=0).set_stroke(width=0)
            poly.pattern = tuple(int(g) for g in region.pattern)
            group.add(poly)
        return group

    def _region_formula(self, net: ReluNet, region: Region, board: Board, info: VGroup):
        """The region's outline and its affine formula, from the core, under ``info``."""
        th = self.theme
        A, c = region_affine(net, region.pattern)
        a1, a2, c0 = float(A[0, 0]), float(A[0, 1]), float(c[0])
        eq = formula(
            rf"y = {number(a1)}\,x_1 {signed(a2)}\,x_2 {signed(c0)}",
            f"y = {number(a1)}·x1{signed(a2)}·x2{signed(c0)}",
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
        frame_layout(th).above_band(block)
        outline = Polygon(*[board.to_scene(p) for p in region.polygon])
        outline.set_stroke(th.accent, width=5).set_fill(opacity=0)
        outline.pattern = tuple(int(g) for g in region.pattern)
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
        st = frame_layout(th)
        st.arrange(main=VGroup(frame, axes, names, ticks))  # before anything is mapped onto it
        switch = switching_lines(data.lines, to_scene, th, focus=data.focus)
        high = PORTRAIT_DIAGRAM_HEIGHT if st.portrait else 2.75  # portrait: room for the notes
        diagram = NetworkDiagram(data.net, th, width=5.6, height=high).move_to([3.3, 1.6, 0])
        legend = weight_legend(th).next_to(diagram, DOWN, buff=0.2)
        key = class_key(th).next_to(legend, DOWN, buff=0.45)
        score = label(
            f"{data.correct} of {len(data.data_y)} points on their side",
            th,
            size=th.tiny_size,
            color=th.text,
        ).next_to(key, DOWN, buff=0.25)
        st.arrange(side=VGroup(diagram, legend, key, score))
        return Board(
            axes=axes,
            plane=VGroup(frame, axes, names, ticks),
            ticks=ticks,
            switch_lines=switch,
            line_labels=line_tags(switch, frame, th),
            diagram=diagram,
            legend=legend,
            points=class_points(data.data_x, data.data_y, to_scene, th),
            key=key,
            score=score,
        )
