"""HingeStacking: why a sum of ReLUs can follow any continuous function (issues #3, #8).

One unit ``v * max(0, w x + b)`` is a hinge: the gate cuts ``w x + b < 0`` to zero, the rest
is a straight ramp, bent at the kink ``x = -b/w``. Lines add up to a line; hinges, with their
flat halves, bend. One hidden layer of ``n`` units (a ``1 -> n -> 1`` network, drawn beside
the plot) sums ``n`` hinges: the scene stacks them one at a time, each kink placed by
``relu_anim.core.placement`` (greedy: where the squared error drops most; uniform: evenly
spaced; minimax: splitting the piece with the worst error, every kink then shifting to even
the worst error out), refitting every output weight after each. Every number on screen comes from the fit
computed at render time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import *

from relu_anim.core.expr import TargetFunction, parse_target
from relu_anim.core.hinges import HingeFit
from relu_anim.core.network import ReluNet
from relu_anim.core.placement import PLACEMENTS, fit_placement
from relu_anim.lecture import LectureScene, beat, param
from relu_anim.lecture.scene import reading_seconds
from relu_anim.lecture.teaching import Teaching
from relu_anim.visuals.curves import (
    ErrorChart,
    HingeGraph,
    PolylineGraph,
    add_tick_labels,
    function_axes,
    hinge_terms,
    hinge_text,
    kink_dots,
    padded_range,
    smooth_curve,
)
from relu_anim.visuals.error_band import BAND_OPACITY, ErrorBand
from relu_anim.visuals.expression import expression_formula
from relu_anim.visuals.growing_network import growing_network
from relu_anim.visuals.layout import ChangeNumber, Readout, wrapped
from relu_anim.visuals.network_diagram import NetworkDiagram, weight_legend
from relu_anim.visuals.stage import frame_layout
from relu_anim.visuals.text import formula, label

SCENE_MAX_UNITS = 24
STACK_SECONDS = 18.0  # the hinge-by-hinge replay shares this budget (at most 1.9 s a unit)
WAIT_ALLOWED = 0.6  # s a stacking caption may hold the replay back to land on its step
CLOSING = (
    "A sum of enough hinges can follow any continuous function on a closed interval "
    "as closely as we like."
)

# The one-unit warm-up: (w, b, v) states and what each change shows. Inputs of the
# illustration; the kink and the curve are computed from them by the core's ReluNet.
DEMO_STATES = (
    ((1.0, 0.0, 1.0), "max(0, x): zero on the left, a straight ramp on the right."),
    ((1.0, -1.0, 1.0), "b slides the kink to x = −b/w."),
    ((2.0, -1.0, 1.0), "w sets the slope; the kink moves with it."),
    ((-1.0, -1.0, 1.0), "A negative w puts the ramp left of the kink."),
    ((-1.0, -1.0, -0.75), "A negative v turns it below zero."),
)
GATE_NOTE = "The gate cuts w·x + b < 0 to 0; the next layer's v < 0 brings negatives back."
GATE_SHADE = 0.18  # fill of the closed-gate region: text on it keeps 4.5:1 in both themes
DEMO_DOMAIN = (-3.0, 3.0)
DEMO_Y = (-2.5, 3.5)
# Two units (w, b, v), kinked at x = -1 and x = 1: the line-plus-line beat.
PAIR = ((1.0, 1.0, 0.8), (1.0, -1.0, -1.2))

# How the replay's kinks are placed, in the stacking beat's words (a new placement adds its
# sentence here; train replays greedy).
PLACED = {
    "greedy": "Each new kink goes where the squared error drops most; all v and c are refitted.",
    "uniform": "k units put kinks every 1/k of the domain, evenly; all v and c are refitted.",
    "minimax": (
        "Minimax: each new kink splits the worst piece; all kinks shift, and v and c "
        "minimise the worst error."
    ),
}
NEGATIVE_V = "A negative v subtracts its ramp: negatives come back at the output."
BAND = "Shaded: the error |target − sum|."
EXCHANGED = "At the end, a few kinks move where that lowers the error."


@dataclass(frozen=True)
class HingeData:
    """Everything the scene shows, computed by the core before the first frame."""

    domain: tuple[float, float]
    target: TargetFunction
    placement: str
    fit: HingeFit  # the replay, step by step: greedy (also for train), uniform or minimax
    trained: HingeFit | None  # gradient descent from the greedy fit (placement = train)
    pair: ReluNet  # the two units of the line-plus-line beat

    @property
    def final(self) -> HingeFit:
        return self.trained or self.fit


@dataclass
class Stage:
    """What the target beat leaves on screen: the axes, the target curve, the legend."""

    axes: Axes
    target_curve: VMobject
    legend: VGroup


@dataclass
class Pair:
    """What the line-plus-line beat leaves: each panel's summands and sum."""

    lines: VGroup  # v_j (w_j x + b_j) for each unit, then their sum
    hinges: VGroup  # v_j max(0, w_j x + b_j) for each unit, then their sum
    kinks: VGroup
    everything: VGroup


@dataclass
class Stack:
    """What the stacking beat leaves on screen for the error and training beats."""

    sum_curve: PolylineGraph
    kinks: VGroup
    readouts: dict[str, Readout]
    readout_group: VGroup
    diagram: NetworkDiagram
    column: VGroup  # the formula, the network, its legend, the newest term: cleared later
    anchor: Mobject  # where the error chart goes (the top of the column)
    slot: Mobject  # where the newest unit's term is written
    band: ErrorBand | None = None
    term: Mobject | None = None  # the newest unit's term
    events: dict[int, list[str]] | None = None  # captions said at each step


class HingeStacking(LectureScene):
    title = "Stacking hinges"
    order = 1  # lecture order: first
    teaching = Teaching(
        statement=(
            "A network with one hidden layer and a continuous activation that is not a "
            "polynomial, ReLU among them, can approximate every continuous function on a "
            "closed bounded set as closely as asked, given enough units. In one dimension "
            "it is concrete: c + sum of v·max(0, w·x + b) is exactly a continuous "
            "piecewise-linear function with at most one kink per unit, and such functions follow "
            "any continuous curve once the kinks are close enough together."
        ),
        source=(
            "Leshno, Lin, Pinkus, Schocken (1993), Multilayer feedforward networks with a "
            "nonpolynomial activation function can approximate any function, Neural "
            "Networks 6(6), 861-867."
        ),
        reading=(
            "Nielsen, Neural Networks and Deep Learning (2015), chapter 4: a visual proof "
            "that neural nets can compute any function.",
            "Pinkus (1999), Approximation theory of the MLP model in neural networks, "
            "Acta Numerica 8, 143-195.",
            "Goodfellow, Bengio, Courville, Deep Learning (2016), section 6.4.1: universal "
            "approximation properties and depth.",
        ),
        exercises=(
            (
                "Why is rms_error never larger than max_abs_error? Check it on the page.",
                "The root of the mean of e² over the samples cannot exceed the largest |e|.",
            ),
            (
                "Piecewise-linear interpolation with knots h apart misses a smooth f by at "
                "most h²·max|f''|/8. Take h = (domain width)/units and bound f'' for the "
                "target on the page: is the fit's max_abs_error below that bound?",
                "For sin(2x) + 0.2x² on [-3, 3]: |f''| <= 4.4, h = 0.6 with 10 units, bound "
                "about 0.2. The fit need not beat it (it minimises squared error, not the "
                "worst error), but placing kinks where they help usually does.",
            ),
        ),
        beat_numbers={
            "target": ("target",),
            "stack": ("units", "placement"),
            "error": ("max_abs_error", "rms_error"),
        },
    )
    summary = (
        "One ReLU unit is a hinge; one hidden layer sums hinges, each bent at its own kink, "
        "and follows a curve ever more closely as units are added."
    )

    @dataclass(frozen=True)
    class Params:
        target: str = param(
            "sin(2*x) + 0.2*x*x", "the curve to follow, in x (sin cos exp log sqrt abs tanh ...)"
        )
        domain: tuple[float, float] = param((-3.0, 3.0), "the x interval A,B to fit on (A < B)")
        units: int = param(
            10,
            "hinges to stack (more are too dense to see one by one)",
            between=(1, SCENE_MAX_UNITS),
        )
        placement: str = param(
            "greedy",
            "where the kinks go: greedy (where the error drops most), uniform (evenly "
            "spaced), train (greedy, then gradient descent on everything), or minimax "
            "(the smallest worst error)",
            choices=PLACEMENTS,
        )
        seed: int = param(0, "random seed for training (placement = train)", between=(0, 2**31 - 1))

        def validate(self) -> None:
            a, b = (float(v) for v in self.domain)
            if not (np.isfinite(a) and np.isfinite(b)) or not a < b:
                raise ValueError(f"domain must be two finite numbers A < B, got {a:g},{b:g}")
            parse_target(self.target, (a, b))  # ExpressionError is a ValueError

    @classmethod
    def compute(cls, p: Params) -> HingeData:
        domain = (float(p.domain[0]), float(p.domain[1]))
        target = parse_target(p.target, domain)
        replay = p.placement if p.placement in ("uniform", "minimax") else "greedy"
        fit = fit_placement(target, domain, p.units, replay)
        trained = (
            fit_placement(target, domain, p.units, "train", p.seed)
            if p.placement == "train"
            else None
        )
        (w1, b1, v1), (w2, b2, v2) = PAIR
        pair = ReluNet.one_hidden([[w1], [w2]], [b1, b2], [[v1, v2]], [0.0])
        return HingeData(domain, target, p.placement, fit, trained, pair)

    @classmethod
    def summarize(cls, data: HingeData) -> dict:
        final = data.final
        return {
            "units": final.units,
            "placement": data.placement,
            "max_abs_error": final.max_abs_error,
            "rms_error": final.rms_error,
            "target": final.target,
        }

    # -- storyboard ------------------------------------------------------------------------
    def construct(self):
        data = self.data
        self.title_card()
        warm_up = self.one_unit()
        pair = self.line_plus_line(data, warm_up)
        stage = self.target(data, pair)
        stack = self.stack(data, stage)
        chart = self.error(data, stage, stack)
        if data.trained is not None:
            self.train(data, stage, stack, chart)
        self.end_card(CLOSING)

    # -- beats ----------------------------------------------------------------------------------
    @beat("One ReLU unit: y = v·max(0, w·x + b), a hinge.")
    def one_unit(self) -> VGroup:
        th = self.theme
        axes = function_axes(th, DEMO_DOMAIN, DEMO_Y, x_length=6.2, y_length=4.6)
        axes.move_to([-3.4, -0.55, 0])
        (w0, b0, v0), first_note = DEMO_STATES[0]
        trackers = {name: ValueTracker(val) for name, val in zip("wbv", (w0, b0, v0), strict=True)}

        def term() -> tuple[float, float, float]:
            return tuple(trackers[k].get_value() for k in "wbv")

        def kink_x() -> float:
            w, b, v = term()
            ks = ReluNet.one_hidden([[w]], [b], [[v]], [0.0]).kinks()
            return float(np.clip(ks[0], *DEMO_DOMAIN)) if len(ks) else DEMO_DOMAIN[1]

        hinge = HingeGraph(axes, term(), DEMO_DOMAIN, color=th.hinge, width=5)
        hinge.add_updater(lambda m: m.set_term(term()))
        kink = Dot(axes.c2p(kink_x(), 0), radius=0.09, color=th.accent)
        kink.add_updater(lambda m: m.move_to(axes.c2p(kink_x(), 0)))
        kink_tag = label("kink", th, size=th.tiny_size, color=th.accent_text)
        kink_tag.add_updater(lambda m: m.next_to(kink, DOWN, buff=0.42))  # below the numbers

        eq = formula(r"y = v \cdot \max(0,\; w\,x + b)", "y = v · max(0, w·x + b)", th)
        eq.move_to([3.7, 1.75, 0])
        readouts = VGroup(
            *(
                Readout(n, trackers[n].get_value(), th, places=2).track(trackers[n].get_value)
                for n in "wbv"
            ),
            Readout("kink at x = −b/w", kink_x(), th, places=2, color=th.accent_text).track(kink_x),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        readouts.next_to(eq, DOWN, buff=0.55)
        frame_layout(th).arrange(
            main=VGroup(axes, hinge, kink, kink_tag), side=VGroup(eq, readouts)
        )
        note = self._note(first_note, readouts)

        self.play(Create(axes), FadeIn(eq), FadeIn(readouts), run_time=1.0)
        self.play(Create(hinge), FadeIn(kink, kink_tag), FadeIn(note), run_time=1.0)
        for (w, b, v), text in DEMO_STATES[1:]:
            self.say(text)
            new_note = self._note(text, readouts)
            self.play(FadeOut(note), run_time=0.25)
            self.play(
                trackers["w"].animate.set_value(w),
                trackers["b"].animate.set_value(b),
                trackers["v"].animate.set_value(v),
                FadeIn(new_note),
                run_time=1.2,
            )
            note = new_note
        for m in (hinge, kink, kink_tag, *readouts):
            m.clear_updaters()
        gate = self._gate_marks(axes, term())
        self.say(GATE_NOTE)
        new_note = self._note(GATE_NOTE, readouts)
        self.play(FadeOut(note), run_time=0.25)
        self.bring_to_back(gate[0])  # the shade goes under the axes and the hinge
        self.play(FadeIn(gate[0]), FadeIn(gate[1], gate[2]), FadeIn(new_note), run_time=0.8)
        return VGroup(axes, hinge, kink, kink_tag, eq, readouts, new_note, gate)

    def _gate_marks(self, axes: Axes, term: tuple[float, float, float]) -> VGroup:
        """Where the gate is closed (w·x + b < 0, shaded) and where v < 0 makes y negative."""
        th = self.theme
        w, b, v = term
        kink = -b / w
        lo, hi = DEMO_DOMAIN
        closed = (kink, hi) if w < 0 else (lo, kink)
        corners = [axes.c2p(closed[0], DEMO_Y[0]), axes.c2p(closed[1], DEMO_Y[1])]
        shade = Rectangle(
            width=corners[1][0] - corners[0][0], height=corners[1][1] - corners[0][1]
        ).move_to((corners[0] + corners[1]) / 2)
        shade.set_stroke(width=0).set_fill(th.closed, opacity=GATE_SHADE)
        cut = label("gate closed: w·x + b < 0", th, size=th.tiny_size)
        cut.next_to(shade.get_top(), DOWN, buff=0.2)
        ramp_x = lo + 0.25 * (kink - lo) if w < 0 else hi - 0.25 * (hi - kink)  # far from the kink
        ramp_y = v * max(w * ramp_x + b, 0.0)
        below = label("v < 0: y < 0", th, size=th.tiny_size, color=th.negative)
        below.next_to(axes.c2p(ramp_x, ramp_y), DOWN if v < 0 else UP, buff=0.35)
        return VGroup(shade, cut, below)

    def _note(self, text: str, above: Mobject) -> Mobject:
        """A note under ``above``, left-aligned, wrapped to stay inside the frame."""
        th = self.theme
        max_w = config.frame_width / 2 - th.margin - above.get_left()[0]
        note = wrapped(text, th, max_w, size=th.small_size)
        return note.next_to(above, DOWN, buff=0.5).align_to(above, LEFT)

    @beat("Without the gate each unit is a line, and a line plus a line is a line.")
    def line_plus_line(self, data: HingeData, warm_up: VGroup) -> Pair:
        th = self.theme
        net, domain = data.pair, DEMO_DOMAIN
        ends = np.array(domain)
        lines_at_ends = net.preactivations(ends)[0] * net.W2[0]  # v_j (w_j x + b_j), (2, units)
        y_range = padded_range(
            np.concatenate([lines_at_ends.ravel(), net.unit_terms(ends).ravel()])
        )
        panels = []
        for x, title in (
            (-3.65, "without the gate: v·(w·x + b)"),
            (3.0, "with the gate: v·max(0, w·x + b)"),
        ):
            axes = function_axes(th, domain, y_range, x_length=5.2, y_length=3.7, numbers=False)
            ticks = [v for v in np.arange(domain[0], domain[1] + 0.5) if v != 0]
            add_tick_labels(axes.x_axis, ticks, 0, th)
            axes.move_to([x, -0.45, 0])  # x numbers only: the kinks sit at -1 and 1
            heading = label(title, th, size=th.small_size).next_to(axes, UP, buff=0.3)
            panels.append((axes, heading))
        (left, left_title), (right, right_title) = panels
        room = VGroup(Line(ORIGIN, 0.9 * RIGHT).set_opacity(0))  # the end tags, right of a panel
        frame_layout(th).panels(
            *(VGroup(a, t, room.copy().next_to(a, RIGHT, 0.1)) for a, t in panels)
        )

        def line(axes, ys, color):
            return PolylineGraph(axes, ends, ys, color=color, width=4)

        lines = VGroup(*(line(left, lines_at_ends[:, j], th.muted) for j in range(net.units)))
        lines.add(line(left, lines_at_ends.sum(axis=1) + net.b2[0], th.approx).set_stroke(width=5))
        hinges = VGroup(
            *(HingeGraph(right, t, domain, color=th.hinge, width=4) for t in hinge_terms(net))
        )
        hinges.add(PolylineGraph.from_net(right, net, domain, th.approx, width=5))
        kinks = kink_dots(right, net, domain, color=th.accent, radius=0.08)
        tags = VGroup(self._end_tags(lines, th.muted), self._end_tags(hinges, th.hinge))

        self.play(FadeOut(warm_up), run_time=0.5)
        self.play(Create(left), FadeIn(left_title), run_time=0.7)
        self.play(*(Create(m) for m in lines[:-1]), FadeIn(*tags[0][:-1]), run_time=0.8)
        self.play(Create(lines[-1]), FadeIn(tags[0][-1]), run_time=0.8)
        self.say("With the gate each keeps a flat half, so the sum bends at both kinks.")
        self.play(Create(right), FadeIn(right_title), run_time=0.7)
        self.play(*(Create(m) for m in hinges[:-1]), FadeIn(*tags[1][:-1]), run_time=0.8)
        self.play(Create(hinges[-1]), FadeIn(tags[1][-1]), FadeIn(kinks, scale=2), run_time=0.8)
        everything = VGroup(left, left_title, right, right_title, lines, hinges, kinks, tags)
        return Pair(lines, hinges, kinks, everything)

    def _end_tags(self, graphs: VGroup, color: str) -> VGroup:
        """Tags at the right end of each graph: unit 1, unit 2, ..., sum (in the approx colour)."""
        th = self.theme
        names = [f"unit {j + 1}" for j in range(len(graphs) - 1)] + ["sum"]
        colors = [color] * (len(graphs) - 1) + [th.approx]
        return VGroup(
            *(
                label(name, th, size=th.tiny_size, color=c).next_to(g.get_end(), RIGHT, buff=0.12)
                for name, c, g in zip(names, colors, graphs, strict=True)
            )
        )

    @beat("The goal: follow this curve using nothing but hinges.")
    def target(self, data: HingeData, pair: Pair) -> Stage:
        th = self.theme
        self.play(FadeOut(pair.everything), run_time=0.5)
        xs = np.linspace(*data.domain, 801)
        ys = [data.target(xs)] + [s.net(xs) for s in data.fit.steps]
        y_range = padded_range(np.concatenate(ys))
        axes = function_axes(th, data.domain, y_range, x_length=7.2, y_length=4.9, y_ticks=6)
        axes.move_to([-2.75, -0.5, 0])
        curve = smooth_curve(axes, data.target, data.domain, color=th.target, width=4)
        dashed = DashedVMobject(curve, num_dashes=70, dashed_ratio=0.6)
        legend = self._legend(data.fit.target, axes)
        frame_layout(th).arrange(main=VGroup(axes, dashed, legend))
        self.play(Create(axes), run_time=0.7)
        self.play(Create(dashed), FadeIn(legend[0]), run_time=1.3)
        return Stage(axes, dashed, legend)

    def _legend(self, target: str, axes: Axes) -> VGroup:
        """target (dashed, with its formula), the sum of hinges, the error band."""
        th = self.theme

        def swatch(color: str, dashed: bool = False) -> VMobject:
            if dashed:
                return DashedLine(ORIGIN, 0.45 * RIGHT, dash_length=0.09).set_stroke(color, 4)
            return Line(ORIGIN, 0.45 * RIGHT).set_stroke(color, width=5)

        def entry(mark: VMobject, *texts: VMobject) -> VGroup:
            return VGroup(mark, *texts).arrange(RIGHT, buff=0.15)

        band = Rectangle(width=0.45, height=0.22).set_stroke(width=0)
        band.set_fill(th.error, opacity=BAND_OPACITY)
        legend = VGroup(
            entry(
                swatch(th.target, dashed=True),
                label("target", th, size=th.small_size),
                expression_formula(target, th, size=th.body_size),
            ),
            entry(swatch(th.approx), label("sum of hinges", th, size=th.small_size)),
            entry(band, label("error", th, size=th.small_size)),
        ).arrange(RIGHT, buff=0.45)
        if legend.width > axes.width + 0.4:
            legend.scale_to_fit_width(axes.width + 0.4)
        return legend.next_to(axes, UP, buff=0.25).align_to(axes, LEFT)

    @beat(
        lambda s: (
            f"One hidden layer, 1 → {s.params.units} → 1. Unit 1, at the left end, "
            "plus c: the best line."
        )
    )
    def stack(self, data: HingeData, stage: Stage) -> Stack:
        th = self.theme
        steps = data.fit.steps
        total = len(steps)
        sum_formula = formula(
            r"y = c + \sum_{j=1}^{n} v_j \max(0,\; x - k_j)", "y = c + Σ v_j·max(0, x − k_j)", th
        )
        heading = label(f"one hidden layer: 1 → {total} → 1", th, size=th.tiny_size, color=th.muted)
        empty = growing_network(steps[0].net, total, th, width=3.2, height=2.4, shown=0)
        legend = weight_legend(th, name="v")
        readouts = {
            "units": Readout("units", steps[0].units, th, places=0),
            "max_abs_error": Readout("max |error|", steps[0].max_abs_error, th, color=th.error),
            "rms_error": Readout("RMS error", steps[0].rms_error, th, color=th.text),
        }
        readout_group = VGroup(*readouts.values()).arrange(DOWN, aligned_edge=LEFT, buff=0.16)
        term_slot = Rectangle(width=4.6, height=0.42).set_opacity(0)  # the newest unit's term
        column = VGroup(sum_formula, heading, empty, legend, term_slot, readout_group)
        column.arrange(DOWN, buff=0.2).move_to([4.25, 0, 0]).to_edge(UP, buff=th.margin)
        readout_group.align_to(term_slot, LEFT)
        frame_layout(th).arrange(side=column)
        intro = 0.8
        self.play(FadeIn(sum_formula, heading, empty, legend), run_time=intro)
        per_unit = min(1.9, STACK_SECONDS / total)
        stack = Stack(
            sum_curve=PolylineGraph.from_net(stage.axes, steps[0].net, data.domain, th.approx, 4),
            kinks=VGroup(),
            readouts=readouts,
            readout_group=readout_group,
            diagram=empty,
            column=VGroup(sum_formula, heading, legend),
            anchor=sum_formula,
            slot=term_slot,
            events=self._stack_events(data, per_unit, intro),
        )
        prev = None
        for i, step in enumerate(steps):
            for text in stack.events.get(i, []):
                self.say(text)
                if text == BAND:
                    self._show_band(data, stage, stack, prev)
            self._add_hinge(i, step, prev, data, stage, stack, per_unit)
            prev = step.net
        stack.column.add(stack.diagram, stack.term)
        self.wait(0.5)
        return stack

    def _stack_events(self, data: HingeData, per_unit: float, intro: float) -> dict[int, list[str]]:
        """The captions said while the hinges stack, by step: each at a step that shows what it
        names, the first one whose start leaves the caption before it its reading time."""
        steps = data.fit.steps
        n = len(steps)
        events: dict[int, list[str]] = {}
        # loop time (s) at which the next caption may start; the replay's extra waits so far
        free, delay, last = reading_seconds(self.beat_captions["stack"]) - intro, 0.0, 0

        def at(first: int, text: str, fits=lambda i: True) -> None:
            nonlocal free, delay, last
            ok = [i for i in range(max(first, last), n) if fits(i)] or [n - 1]
            i = next((i for i in ok if i * per_unit + delay >= free - WAIT_ALLOWED), ok[-1])
            start = i * per_unit + delay
            delay += max(0.0, free - start)  # say() waits for the caption before
            events.setdefault(i, []).append(text)
            free, last = max(free, start) + reading_seconds(text), i

        if n > 1:
            at(1, PLACED[data.fit.method])
        at(3, BAND)
        negative = [i for i in range(2, n) if hinge_terms(steps[i].net)[-1][2] < 0]
        if negative:
            at(negative[0], NEGATIVE_V, fits=lambda i: i in negative)
        if n > 1 and data.fit.method == "greedy":
            before, after = steps[-2].net, steps[-1].net
            if np.max(np.abs(before.b1 - after.b1[: before.units])) > 1e-9:
                at(n - 1, EXCHANGED)
        return events

    def _show_band(self, data: HingeData, stage: Stage, stack: Stack, net: ReluNet | None) -> None:
        """The error band between the target and the sum so far, and its legend entry."""
        th = self.theme
        shown = net if net is not None else data.fit.steps[0].net
        stack.band = ErrorBand(stage.axes, data.target, shown, data.domain, th.error)
        self.bring_to_back(stack.band)
        self.play(FadeIn(stack.band), FadeIn(stage.legend[2]), run_time=0.5)

    def _term_label(self, i: int, term: tuple[float, float, float], slot: Mobject) -> Mobject:
        th = self.theme
        text = f"unit {i + 1}:  {hinge_text(*term, joined=True)}"
        term_label = label(text, th, size=th.small_size, color=th.hinge)
        if term_label.width > slot.width:
            term_label.scale_to_fit_width(slot.width)
        return term_label.move_to(slot).align_to(slot, LEFT)

    def _add_hinge(
        self,
        i: int,
        step,
        prev: ReluNet | None,
        data: HingeData,
        stage: Stage,
        stack: Stack,
        seconds: float,
    ) -> None:
        """Unit i+1 joins the network with its hinge and term; then the refitted sum takes it in."""
        th = self.theme
        net, domain = step.net, data.domain
        new = hinge_terms(net)[-1]  # greedy and uniform append the new unit last
        hinge = HingeGraph(stage.axes, new, domain, color=th.hinge, width=4)
        term = self._term_label(i, new, stack.slot)
        diagram = growing_network(net, len(data.fit.steps), th, width=3.2, height=2.4)
        diagram.match_width(stack.diagram).move_to(stack.diagram)  # as the column was fitted
        units = stack.readouts["units"]
        if stack.term is not None:
            self.play(FadeOut(stack.term), run_time=0.1 * seconds)
        self.play(
            Create(hinge),
            FadeIn(term),
            ReplacementTransform(stack.diagram, diagram),
            ChangeNumber(units.number, step.units) if i else FadeIn(units),
            run_time=0.3 * seconds,
        )
        stack.term, stack.diagram = term, diagram

        dots = kink_dots(stage.axes, net, domain, color=th.accent)
        # the new dot starts on the curve as it is (on the axis for the first unit)
        k = float(np.clip(-net.b1[-1] / net.W1[-1, 0], *domain))
        start = stage.axes.c2p(k, float(prev(k)[0]) if prev is not None else 0.0)
        new_dot = Dot(start, radius=dots[-1].radius, color=th.accent)
        moves = [Transform(old, dots[j]) for j, old in enumerate(stack.kinks)]
        moves.append(Transform(new_dot, dots[-1]))
        errors = [stack.readouts["max_abs_error"], stack.readouts["rms_error"]]
        if i == 0:
            merge = [
                ReplacementTransform(hinge, stack.sum_curve),
                FadeIn(stage.legend[1]),
                FadeIn(*errors),
            ]
        else:
            merge = [
                stack.sum_curve.morph_to_net(net, domain),
                FadeOut(hinge),
                ChangeNumber(errors[0].number, step.max_abs_error),
                ChangeNumber(errors[1].number, step.rms_error),
            ]
        if stack.band is not None:
            merge.append(stack.band.morph_to_net(net))
        self.play(*merge, *moves, run_time=0.45 * seconds)
        stack.kinks.add(new_dot)
        self.bring_to_front(stage.target_curve, stack.kinks)
        self.wait(0.15 * seconds)

    @beat(lambda s: s.error_caption())
    def error(self, data: HingeData, stage: Stage, stack: Stack) -> ErrorChart:
        th = self.theme
        steps = data.fit.steps
        chart = ErrorChart(
            [s.units for s in steps],
            {
                "max |error|": ([s.max_abs_error for s in steps], th.error),
                "RMS error": ([s.rms_error for s in steps], th.text),
            },
            th,
            x_length=4.0,
            y_length=2.3,
        )
        legend = VGroup(
            label("max |error|", th, size=th.small_size, color=th.error),
            label("RMS error", th, size=th.small_size, color=th.text),
            label("(log scale)", th, size=th.tiny_size, color=th.muted),
        ).arrange(RIGHT, buff=0.35)
        legend.move_to(stack.anchor).to_edge(RIGHT, buff=th.margin)
        chart.next_to(legend, DOWN, buff=0.3).to_edge(RIGHT, buff=th.margin)
        self.play(FadeOut(stack.column), run_time=0.5)
        self.play(FadeIn(chart.axes, chart.y_labels, chart.x_label, legend), run_time=0.5)
        self.play(*(Create(g) for g in chart.lines.values()), run_time=1.5)
        return chart

    def error_caption(self) -> str:
        """What the error chart shows for this fit: falls at every step, or not."""
        steps = self.data.fit.steps
        rms = np.array([s.rms_error for s in steps])
        mx = np.array([s.max_abs_error for s in steps])
        rms_falls = bool(np.all(np.diff(rms) <= 1e-12))
        max_falls = bool(np.all(np.diff(mx) <= 1e-12))
        if self.data.fit.method == "minimax":  # never worse than the step before
            if rms_falls:
                return "The worst error, which this fit minimises, never rises; here the RMS error falls too."
            return "The worst error, which this fit minimises, never rises; the RMS error may."
        if self.data.fit.method == "greedy":  # nested least squares: RMS can only fall
            if max_falls:
                return "Both errors fall at every step here; only the RMS error is sure to."
            return "The RMS error falls at every step; the max error may not: least squares minimises RMS."
        if rms_falls and max_falls:
            return "Evenly spaced kinks: here both errors fall as units are added."
        return "Evenly spaced kinks are refitted for each count: the errors fall overall, not every step."

    @beat("Gradient descent then nudges every kink and slope at once.")
    def train(self, data: HingeData, stage: Stage, stack: Stack, chart: ErrorChart) -> None:
        th = self.theme
        fit = data.trained
        loss = Readout("loss (MSE)", fit.steps[0].loss, th, places=4, color=th.error)
        loss.next_to(stack.readout_group, DOWN, buff=0.16).align_to(stack.readout_group, LEFT)
        stack.readouts["loss"] = loss
        self.play(FadeIn(loss), run_time=0.4)
        picks = np.unique(np.linspace(0, len(fit.steps) - 1, 5).round().astype(int))[1:]
        for k in picks:
            s = fit.steps[k]
            self.play(*self._show_net(data, stage, stack, s.net, s.loss, s), run_time=0.7)
        marks = VGroup(
            Dot(chart.point(fit.units, fit.max_abs_error), radius=0.07, color=th.text),
            Dot(chart.point(fit.units, fit.rms_error), radius=0.07, color=th.text),
        )
        tag = label("trained", th, size=th.tiny_size, color=th.text)
        tag.next_to(marks, UP, buff=0.5).align_to(chart.axes, RIGHT)  # above the lines
        self.play(
            *self._show_net(data, stage, stack, fit.net, fit.rms_error**2, fit),
            Transform(stack.kinks, kink_dots(stage.axes, fit.net, data.domain, color=th.accent)),
            FadeIn(marks, tag),
            run_time=0.8,
        )
        self.wait(1.0)

    def _show_net(self, data, stage, stack, net, loss, errors) -> list[Animation]:
        """Morph the sum (and the error band) to ``net`` and switch the readouts to its errors."""
        moves = [
            stack.sum_curve.morph_to_net(net, data.domain),
            ChangeNumber(stack.readouts["loss"].number, loss),
            ChangeNumber(stack.readouts["max_abs_error"].number, errors.max_abs_error),
            ChangeNumber(stack.readouts["rms_error"].number, errors.rms_error),
        ]
        if stack.band is not None:
            moves.append(stack.band.morph_to_net(net))
        return moves
