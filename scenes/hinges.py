"""HingeStacking: why a stack of ReLUs can follow any curve (issue #3).

One unit ``v * max(0, w x + b)`` is a hinge: zero on one side, a straight ramp on the other,
bent at the kink ``x = -b/w``. Greedy stacking (``relu_anim.core.hinges``) adds one hinge
at a time and refits every output weight; the running sum bends closer to the target at
every kink. Every number on screen comes from the fit computed at render time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from manim import *

from relu_anim.core.expr import parse_target
from relu_anim.core.hinges import METHODS, HingeFit, fit_hinges
from relu_anim.core.network import ReluNet
from relu_anim.lecture import LectureScene, beat, param
from relu_anim.visuals.curves import (
    ErrorChart,
    HingeGraph,
    PolylineGraph,
    function_axes,
    hinge_terms,
    hinge_text,
    kink_dots,
    padded_range,
    smooth_curve,
)
from relu_anim.visuals.layout import ChangeNumber, Readout, wrapped
from relu_anim.visuals.text import formula, label

SCENE_MAX_UNITS = 24
STACK_SECONDS = 24.0  # the hinge-by-hinge replay shares this budget (at most 2.4 s a unit)
CLOSING = (
    "Straight pieces, bent at the kinks, can follow any continuous function "
    "on a closed interval as closely as we like."
)

# The one-unit warm-up: (w, b, v) states and what each change shows. Inputs of the
# illustration; the kink and the curve are computed from them by the core's ReluNet.
DEMO_STATES = (
    ((1.0, 0.0, 1.0), "max(0, x): zero on the left, a straight ramp on the right."),
    ((1.0, -1.0, 1.0), "b slides the kink: it sits where w·x + b = 0, at x = −b/w."),
    ((2.0, -1.0, 1.0), "w scales the slope, and the kink −b/w moves with it."),
    ((-1.0, -1.0, 1.0), "A negative w flips the ramp to the other side of the kink."),
    ((-1.0, -1.0, -0.75), "v scales the output: a negative v turns the ramp downward."),
)
DEMO_DOMAIN = (-3.0, 3.0)
DEMO_Y = (-2.5, 3.5)


@dataclass(frozen=True)
class HingeData:
    """Everything the scene shows, computed by the core before the first frame."""

    domain: tuple[float, float]
    target: TargetFunction
    fit: HingeFit  # the greedy stacking, step by step
    trained: HingeFit | None  # gradient descent from the greedy fit (method = train)

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
class Stack:
    """What the stacking beat leaves on screen for the error and training beats."""

    sum_curve: PolylineGraph
    kinks: VGroup
    readouts: dict[str, Readout]
    readout_group: VGroup
    column: VGroup  # the sum's formula, the hinge panel, the newest term: cleared later
    anchor: Mobject  # where the error chart's legend goes (the top of the column)
    panel: Axes  # the chart takes the hinge panel's place
    hinges: HingePanel | None = None  # each unit's hinge, drawn in the panel


class HingeStacking(LectureScene):
    title = "Stacking hinges"
    order = 1  # lecture order: first
    summary = (
        "One ReLU unit is a hinge; a sum of hinges, each bent at its own kink, "
        "follows a curve ever more closely as units are added."
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
        method: str = param(
            "greedy", "greedy, or train: greedy replay, then gradient descent", choices=METHODS
        )
        seed: int = param(0, "random seed for training", between=(0, 2**31 - 1))

        def validate(self) -> None:
            a, b = (float(v) for v in self.domain)
            if not (np.isfinite(a) and np.isfinite(b)) or not a < b:
                raise ValueError(f"domain must be two finite numbers A < B, got {a:g},{b:g}")
            parse_target(self.target, (a, b))  # ExpressionError is a ValueError

    @classmethod
    def compute(cls, p: Params) -> HingeData:
        domain = (float(p.domain[0]), float(p.domain[1]))
        target = parse_target(p.target, domain)
        fit = fit_hinges(target, domain, p.units, "greedy", p.seed)
        trained = (
            fit_hinges(target, domain, p.units, "train", p.seed) if p.method == "train" else None
        )
        return HingeData(domain, target, fit, trained)

    @classmethod
    def summarize(cls, data: HingeData) -> dict:
        final = data.final
        return {
            "units": final.units,
            "method": final.method,
            "max_abs_error": final.max_abs_error,
            "rms_error": final.rms_error,
            "target": final.target,
        }

    # -- storyboard ------------------------------------------------------------------------
    def construct(self):
        data = self.data
        self.title_card()
        warm_up = self.one_unit()
        stage = self.target(data, warm_up)
        stack = self.stack(data, stage)
        chart = self.error(data, stack)
        if data.trained is not None:
            self.train(data, stage, stack, chart)
        self.end_card(CLOSING)

    # -- beats ----------------------------------------------------------------------------------
    @beat("One ReLU unit is a hinge: flat, then a straight ramp, bent at a kink.")
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
        note = self._note(first_note, readouts)

        self.play(Create(axes), FadeIn(eq), FadeIn(readouts), run_time=1.0)
        self.play(Create(hinge), FadeIn(kink, kink_tag), FadeIn(note), run_time=1.0)
        self.wait(1.0)
        for (w, b, v), text in DEMO_STATES[1:]:
            self.say(text)
            new_note = self._note(text, readouts)
            self.play(FadeOut(note), run_time=0.25)
            self.play(
                trackers["w"].animate.set_value(w),
                trackers["b"].animate.set_value(b),
                trackers["v"].animate.set_value(v),
                FadeIn(new_note),
                run_time=1.3,
            )
            note = new_note
            self.wait(1.0)
        for m in (hinge, kink, kink_tag, *readouts):
            m.clear_updaters()
        return VGroup(axes, hinge, kink, kink_tag, eq, readouts, note)

    def _note(self, text: str, above: Mobject) -> Mobject:
        """A note under ``above``, left-aligned, wrapped to stay inside the frame."""
        th = self.theme
        max_w = config.frame_width / 2 - th.margin - above.get_left()[0]
        note = wrapped(text, th, max_w, size=th.small_size)
        return note.next_to(above, DOWN, buff=0.5).align_to(above, LEFT)

    @beat("The goal: follow this curve using nothing but hinges.")
    def target(self, data: HingeData, warm_up: VGroup) -> Stage:
        th = self.theme
        self.play(FadeOut(warm_up), run_time=0.6)
        xs = np.linspace(*data.domain, 801)
        ys = [data.target(xs)] + [s.net(xs) for s in data.fit.steps]
        y_range = padded_range(np.concatenate(ys))
        axes = function_axes(th, data.domain, y_range, x_length=7.2, y_length=4.9, y_ticks=6)
        axes.move_to([-2.75, -0.5, 0])
        curve = smooth_curve(axes, data.target, data.domain, color=th.target, width=7)
        legend = self._legend(data.fit.target, axes)
        self.play(Create(axes), run_time=0.8)
        self.play(Create(curve), FadeIn(legend[0]), run_time=1.5)
        self.wait(0.6)
        return Stage(axes, curve, legend)

    def _legend(self, target: str, axes: Axes) -> VGroup:
        th = self.theme

        def entry(text: str, color: str) -> VGroup:
            swatch = Line(ORIGIN, 0.45 * RIGHT).set_stroke(color, width=5)
            return VGroup(swatch, label(text, th, size=th.small_size)).arrange(RIGHT, buff=0.15)

        legend = VGroup(
            entry(f"target  {target}", th.target), entry("sum of hinges", th.approx)
        ).arrange(RIGHT, buff=0.5)
        if legend.width > axes.width:
            legend.scale_to_fit_width(axes.width)
        return legend.next_to(axes, UP, buff=0.25).align_to(axes, LEFT)

    @beat("Add one hinge at a time; after each, all the output weights are refitted.")
    def stack(self, data: HingeData, stage: Stage) -> Stack:
        th = self.theme
        steps = data.fit.steps
        # right column, top to bottom: the sum's formula, the hinges panel, the newest
        # term, the readouts
        sum_formula = formula(
            r"y = c + \sum_j v_j \max(0,\; x - k_j)", "y = c + Σ v_j·max(0, x − k_j)", th
        )
        panel = function_axes(
            th, data.domain, stage.axes.y_range[:2], x_length=4.3, y_length=2.2, numbers=False
        )
        panel_title = label("the hinges, one per unit", th, size=th.tiny_size)
        readouts = {
            "units": Readout("units", steps[0].units, th, places=0),
            "max_abs_error": Readout("max |error|", steps[0].max_abs_error, th, color=th.error),
            "rms_error": Readout("RMS error", steps[0].rms_error, th, color=th.text),
        }
        readout_group = VGroup(*readouts.values()).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        term_slot = Rectangle(width=4.3, height=0.4).set_opacity(0)  # the newest term
        column = VGroup(sum_formula, panel_title, panel, term_slot, readout_group)
        column.arrange(DOWN, buff=0.22).move_to([4.3, 0, 0]).to_edge(UP, buff=th.margin)
        readout_group.align_to(panel, LEFT)
        self.play(
            FadeIn(sum_formula),
            Create(panel),
            FadeIn(panel_title),
            FadeIn(readout_group),
            run_time=0.8,
        )
        stack = Stack(
            sum_curve=PolylineGraph.from_net(stage.axes, steps[0].net, data.domain, th.approx, 3.5),
            kinks=VGroup(),
            readouts=readouts,
            readout_group=readout_group,
            column=VGroup(sum_formula, panel_title, panel),
            anchor=sum_formula,
            panel=panel,
        )
        per_unit = min(2.4, STACK_SECONDS / len(steps))
        hinges = HingePanel(panel, term_slot)
        for i, step in enumerate(steps):
            if i == 1:
                self.say(
                    "Unit 1, kinked at the left end, plus c is the best line; "
                    "each new hinge bends it."
                )
            elif i == 3:
                self.say(
                    "Every weight v is refitted each time, and earlier kinks may shift a little."
                )
            self._add_hinge(i, step, data.domain, stage, stack, hinges, per_unit)
        stack.column.add(hinges.graphs, hinges.term_label)
        stack.hinges = hinges
        self.wait(0.8)
        return stack

    def _add_hinge(
        self, i: int, step, domain, stage: Stage, stack: Stack, hinges: HingePanel, seconds: float
    ) -> None:
        th = self.theme
        net = step.net
        terms = hinge_terms(net)
        new = terms[-1]  # greedy appends the new hinge as the last unit
        graph = HingeGraph(hinges.axes, new, domain, color=th.hinge, width=5)
        text = label(hinge_text(*new, joined=True), th, size=th.small_size)
        if text.width > hinges.slot.width + 0.4:
            text.scale_to_fit_width(hinges.slot.width + 0.4)
        text.move_to(hinges.slot)
        self.play(
            Create(graph),
            FadeTransform(hinges.term_label, text) if i else FadeIn(text),
            run_time=0.3 * seconds,
        )
        hinges.term_label = text
        drop = graph.copy()
        landed = HingeGraph(stage.axes, new, domain, color=th.hinge, width=5)
        self.play(Transform(drop, landed), run_time=0.25 * seconds)

        new_dots = kink_dots(stage.axes, net, domain, color=th.accent)
        moves = [old.morph_to_term(t) for old, t in zip(hinges.graphs, terms[:-1], strict=False)]
        moves += [Transform(old, new_dots[j]) for j, old in enumerate(stack.kinks)]
        readout_moves = [
            ChangeNumber(stack.readouts["units"].number, step.units),
            ChangeNumber(stack.readouts["max_abs_error"].number, step.max_abs_error),
            ChangeNumber(stack.readouts["rms_error"].number, step.rms_error),
        ]
        if i == 0:
            merge = [ReplacementTransform(drop, stack.sum_curve), FadeIn(stage.legend[1])]
        else:
            merge = [stack.sum_curve.morph_to_net(net, domain), FadeOut(drop)]
        self.play(
            *merge,
            *moves,
            FadeIn(new_dots[-1], scale=2),
            graph.animate.set_stroke(width=3, opacity=0.55),
            *readout_moves,
            run_time=0.3 * seconds,
        )
        hinges.graphs.add(graph)
        stack.kinks.add(new_dots[-1])
        self.bring_to_front(stack.kinks)
        self.wait(0.15 * seconds)

    @beat("The error shrinks as units are added (log scale).")
    def error(self, data: HingeData, stack: Stack) -> ErrorChart:
        th = self.theme
        steps = data.fit.steps
        mx = np.array([s.max_abs_error for s in steps])
        rms = np.array([s.rms_error for s in steps])
        monotone = bool(np.all(np.diff(mx) <= 1e-12))
        chart = ErrorChart(
            [s.units for s in steps],
            {"max |error|": (mx, th.error), "RMS error": (rms, th.text)},
            th,
            x_length=4.0,
            y_length=2.2,
        )
        names = list(chart.lines)
        legend = VGroup(
            *(
                label(n, th, size=th.small_size, color=c)
                for n, c in ((names[0], th.error), (names[1], th.text))
            )
        ).arrange(RIGHT, buff=0.5)
        legend.move_to(stack.anchor)
        chart.next_to(legend, DOWN, buff=0.3).align_to(stack.panel, RIGHT)
        self.play(FadeOut(stack.column), run_time=0.6)
        self.play(FadeIn(chart.axes, chart.y_labels, chart.x_label, legend), run_time=0.6)
        self.play(*(Create(g) for g in chart.lines.values()), run_time=2.0)
        if monotone:
            self.say("Here both errors fall at every step; only the RMS error is sure to.")
        else:
            self.say(
                "The RMS error falls at every step; the max error can rise for a step, "
                "since least squares minimises RMS, not max."
            )
        self.wait(2.5)
        return chart

    @beat("Gradient descent then nudges every kink and slope at once.")
    def train(self, data: HingeData, stage: Stage, stack: Stack, chart: ErrorChart) -> None:
        th = self.theme
        fit = data.trained
        loss = Readout("loss (MSE)", fit.steps[0].loss, th, places=4, color=th.error)
        loss.next_to(stack.readout_group, DOWN, buff=0.2).align_to(stack.readout_group, LEFT)
        stack.readouts["loss"] = loss
        self.play(FadeIn(loss), run_time=0.4)
        picks = np.unique(np.linspace(0, len(fit.steps) - 1, 5).round().astype(int))[1:]
        for k in picks:
            s = fit.steps[k]
            self.play(
                stack.sum_curve.morph_to_net(s.net, data.domain),
                ChangeNumber(loss.number, s.loss),
                ChangeNumber(stack.readouts["max_abs_error"].number, s.max_abs_error),
                ChangeNumber(stack.readouts["rms_error"].number, s.rms_error),
                run_time=0.7,
            )
        new_dots = kink_dots(stage.axes, fit.net, data.domain, color=th.accent)
        marks = VGroup(
            Dot(chart.point(fit.units, fit.max_abs_error), radius=0.07, color=th.text),
            Dot(chart.point(fit.units, fit.rms_error), radius=0.07, color=th.text),
        )
        tag = label("trained", th, size=th.tiny_size, color=th.text)
        tag.next_to(marks, UP, buff=0.15).align_to(chart.axes, RIGHT)
        self.play(
            stack.sum_curve.morph_to_net(fit.net, data.domain),
            Transform(stack.kinks, new_dots),
            ChangeNumber(loss.number, fit.rms_error**2),
            ChangeNumber(stack.readouts["max_abs_error"].number, fit.max_abs_error),
            ChangeNumber(stack.readouts["rms_error"].number, fit.rms_error),
            FadeIn(marks, tag),
            run_time=0.8,
        )
        self.wait(1.0)


@dataclass
class HingePanel:
    """The side panel of the stacking beat: each unit's hinge, and the newest term's formula."""

    axes: Axes
    slot: Mobject
    graphs: VGroup = field(default_factory=VGroup)
    term_label: Mobject = field(default_factory=VMobject)
