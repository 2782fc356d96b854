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
from relu_anim.scene import LectureScene
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
from relu_anim.visuals.layout import ChangeNumber, Readout, closing_line, title_bar
from relu_anim.visuals.text import formula, label

SCENE_MAX_UNITS = 24
STACK_SECONDS = 24.0  # the hinge-by-hinge replay shares this budget (at most 2.4 s a unit)
CLOSING = "Pieces of straight lines, bent at the kinks, can follow any curve."

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
class HingeParams:
    target: str = field(
        default="sin(2*x) + 0.2*x*x",
        metadata={"help": "the curve to follow, in x (sin cos exp log sqrt abs tanh ...)"},
    )
    domain: tuple[float, float] = field(
        default=(-3.0, 3.0), metadata={"help": "the x interval A,B to fit on (A < B)"}
    )
    units: int = field(
        default=10,
        metadata={
            "help": f"hinges to stack, 1 to {SCENE_MAX_UNITS} (more are too dense to see "
            "one by one and push the replay past a minute)"
        },
    )
    method: str = field(
        default="greedy",
        metadata={"help": "greedy, or train: greedy replay, then gradient descent on it"},
    )
    seed: int = field(default=0, metadata={"help": "random seed for training"})

    def validate(self) -> None:
        a, b = (float(v) for v in self.domain)
        if not (np.isfinite(a) and np.isfinite(b)) or not a < b:
            raise ValueError(f"domain must be two finite numbers A < B, got {a:g},{b:g}")
        if not isinstance(self.units, int) or not 1 <= self.units <= SCENE_MAX_UNITS:
            raise ValueError(
                f"units must be an integer from 1 to {SCENE_MAX_UNITS} for this scene "
                f"(one hinge at a time stays readable up to {SCENE_MAX_UNITS}), got {self.units!r}"
            )
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, got {self.method!r}")
        parse_target(self.target, (a, b))  # ExpressionError is a ValueError


def _show(readout: Readout, value: float) -> None:
    """Set a live readout, rebuilding its digits only when the shown text changes."""
    places = readout.number.num_decimal_places
    if round(readout.number.get_value(), places) != round(value, places):
        readout.set_value(value)


class HingeStacking(LectureScene):
    title = "Stacking hinges"
    order = 1  # lecture order: first
    summary = (
        "One ReLU unit is a hinge; a sum of hinges, each bent at its own kink, "
        "follows a curve ever more closely as units are added."
    )
    Params = HingeParams

    # -- storyboard ------------------------------------------------------------------------
    def construct(self):
        self.compute()
        self.add(title_bar(self.title, self.theme))
        self.one_unit()
        self.show_target()
        self.stack_hinges()
        self.error_curve()
        if self.train_fit is not None:
            self.train()
        self.closing()

    # -- the core, once ------------------------------------------------------------------------
    def compute(self) -> None:
        p = self.params
        self.domain = (float(p.domain[0]), float(p.domain[1]))
        self.target_fn = parse_target(p.target, self.domain)
        self.fit: HingeFit = fit_hinges(self.target_fn, self.domain, p.units, "greedy", p.seed)
        self.train_fit: HingeFit | None = None
        if p.method == "train":
            self.train_fit = fit_hinges(self.target_fn, self.domain, p.units, "train", p.seed)
        final = self.train_fit or self.fit
        self.final_net: ReluNet = final.net
        self.numbers = {
            "units": final.units,
            "method": final.method,
            "max_abs_error": final.max_abs_error,
            "rms_error": final.rms_error,
            "target": final.target,
        }

    # -- beats ----------------------------------------------------------------------------------
    def one_unit(self) -> None:
        th = self.theme
        self.beat(
            "one-unit", "One ReLU unit is a hinge: flat, then a straight ramp, bent at a kink."
        )
        axes = function_axes(th, DEMO_DOMAIN, DEMO_Y, x_length=6.2, y_length=4.6)
        axes.move_to([-3.4, -0.55, 0])
        (w0, b0, v0), first_note = DEMO_STATES[0]
        trackers = {name: ValueTracker(val) for name, val in zip("wbv", (w0, b0, v0), strict=True)}

        def term() -> tuple[float, float, float]:
            return tuple(trackers[k].get_value() for k in "wbv")

        def demo_net() -> ReluNet:
            w, b, v = term()
            return ReluNet.one_hidden([[w]], [b], [[v]], [0.0])

        hinge = HingeGraph(axes, term(), DEMO_DOMAIN, color=th.hinge, width=5)
        hinge.add_updater(lambda m: m.set_term(term()))

        def kink_x() -> float:
            ks = demo_net().kinks()
            return float(np.clip(ks[0], *DEMO_DOMAIN)) if len(ks) else DEMO_DOMAIN[1]

        kink = Dot(axes.c2p(kink_x(), 0), radius=0.09, color=th.accent)
        kink.add_updater(lambda m: m.move_to(axes.c2p(kink_x(), 0)))
        kink_tag = label("kink", th, size=th.tiny_size, color=th.accent)
        kink_tag.add_updater(lambda m: m.next_to(kink, DOWN, buff=0.42))  # below the numbers

        eq = formula(r"y = v \cdot \max(0,\; w\,x + b)", "y = v · max(0, w·x + b)", th)
        eq.move_to([3.7, 1.75, 0])
        readouts = VGroup(
            *(Readout(n, trackers[n].get_value(), th, places=2) for n in "wbv"),
            Readout("kink at x = −b/w", kink_x(), th, places=2, color=th.accent),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        readouts.next_to(eq, DOWN, buff=0.55)
        sources = [trackers[n].get_value for n in "wbv"] + [kink_x]
        for r, source in zip(readouts, sources, strict=True):
            r.add_updater(lambda m, source=source: _show(m, source()))
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
        self.play(FadeOut(VGroup(axes, hinge, kink, kink_tag, eq, readouts, note)), run_time=0.6)

    def _note(self, text: str, above: Mobject) -> Mobject:
        """A one- or two-line note under ``above``, left-aligned, kept inside the frame."""
        th = self.theme
        max_w = config.frame_width / 2 - th.margin - above.get_left()[0]
        note = label(text, th, size=th.small_size)
        if note.width > max_w:  # wrap at the space nearest the middle
            words = text.split(" ")
            half = len(words) // 2
            note = VGroup(
                label(" ".join(words[:half]), th, size=th.small_size),
                label(" ".join(words[half:]), th, size=th.small_size),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
            if note.width > max_w:
                note.scale_to_fit_width(max_w)
        return note.next_to(above, DOWN, buff=0.5).align_to(above, LEFT)

    def show_target(self) -> None:
        th = self.theme
        self.beat("target", "The goal: follow this curve using nothing but hinges.")
        xs = np.linspace(*self.domain, 801)
        ys = [self.target_fn(xs)] + [s.net(xs) for s in self.fit.steps]
        y_range = padded_range(np.concatenate(ys))
        self.axes = function_axes(th, self.domain, y_range, x_length=7.2, y_length=4.9, y_ticks=6)
        self.axes.move_to([-2.75, -0.5, 0])
        self.target_curve = smooth_curve(
            self.axes, self.target_fn, self.domain, color=th.target, width=7
        )
        self.legend = self._legend()
        self.play(Create(self.axes), run_time=0.8)
        self.play(Create(self.target_curve), FadeIn(self.legend[0]), run_time=1.5)
        self.wait(0.6)

    def _legend(self) -> VGroup:
        th = self.theme

        def entry(text: str, color: str) -> VGroup:
            swatch = Line(ORIGIN, 0.45 * RIGHT).set_stroke(color, width=5)
            return VGroup(swatch, label(text, th, size=th.small_size, color=color)).arrange(
                RIGHT, buff=0.15
            )

        legend = VGroup(
            entry(f"target  {self.fit.target}", th.target),
            entry("sum of hinges", th.approx),
        ).arrange(RIGHT, buff=0.5)
        max_w = self.axes.width
        if legend.width > max_w:
            legend.scale_to_fit_width(max_w)
        return legend.next_to(self.axes, UP, buff=0.25).align_to(self.axes, LEFT)

    def stack_hinges(self) -> None:
        th = self.theme
        steps = self.fit.steps
        self.beat(
            "stack",
            "Add one hinge at a time; after each, all the output weights are refitted.",
        )
        # right column, top to bottom: the sum's formula, the hinges panel, the newest
        # term, the readouts
        col_x = 4.3
        self.sum_formula = formula(
            r"y = c + \sum_j v_j \max(0,\; x - k_j)", "y = c + Σ v_j·max(0, x − k_j)", th
        )
        self.panel = function_axes(
            th, self.domain, self.axes.y_range[:2], x_length=4.3, y_length=2.2, numbers=False
        )
        self.panel_title = label("the hinges, one per unit", th, size=th.tiny_size, color=th.hinge)
        self.readouts = {
            "units": Readout("units", steps[0].units, th, places=0),
            "max_abs_error": Readout("max |error|", steps[0].max_abs_error, th, color=th.error),
            "rms_error": Readout("RMS error", steps[0].rms_error, th, color=th.text),
        }
        self.readout_group = VGroup(*self.readouts.values()).arrange(
            DOWN, aligned_edge=LEFT, buff=0.2
        )
        self.term_slot = Rectangle(width=4.3, height=0.4).set_opacity(0)  # the newest term
        column = VGroup(
            self.sum_formula, self.panel_title, self.panel, self.term_slot, self.readout_group
        ).arrange(DOWN, buff=0.22)
        column.move_to([col_x, 0, 0]).to_edge(UP, buff=th.margin)
        self.readout_group.align_to(self.panel, LEFT)
        self.term_label = VMobject()
        self.play(
            FadeIn(self.sum_formula),
            Create(self.panel),
            FadeIn(self.panel_title),
            FadeIn(self.readout_group),
            run_time=0.8,
        )

        per_unit = min(2.4, STACK_SECONDS / len(steps))
        self.hinge_terms = VGroup()  # one HingeGraph per unit, in the panel
        self.sum_curve: PolylineGraph | None = None
        self.kinks = VGroup()
        for i, step in enumerate(steps):
            self._add_hinge(i, step, per_unit)
        self.wait(0.8)

    def _add_hinge(self, i: int, step, seconds: float) -> None:
        th = self.theme
        net = step.net
        terms = hinge_terms(net)
        new = terms[-1]  # greedy appends the new hinge as the last unit
        if i == 1:
            self.say(
                "Unit 1, kinked at the left end, plus c is the best line; each new hinge bends it."
            )
        elif i == 3:
            self.say("Every weight v is refitted each time, and earlier kinks may shift a little.")
        graph = HingeGraph(self.panel, new, self.domain, color=th.hinge, width=5)
        text = label(hinge_text(*new, joined=True), th, size=th.small_size, color=th.hinge)
        if text.width > self.term_slot.width + 0.4:
            text.scale_to_fit_width(self.term_slot.width + 0.4)
        text.move_to(self.term_slot)
        self.play(
            Create(graph),
            FadeTransform(self.term_label, text) if i else FadeIn(text),
            run_time=0.3 * seconds,
        )
        self.term_label = text
        drop = graph.copy()
        landed = HingeGraph(self.axes, new, self.domain, color=th.hinge, width=5)
        self.play(Transform(drop, landed), run_time=0.25 * seconds)

        new_dots = kink_dots(self.axes, net, self.domain, color=th.accent)
        moves = [old.morph_to_term(t) for old, t in zip(self.hinge_terms, terms[:-1], strict=False)]
        moves += [Transform(old, new_dots[j]) for j, old in enumerate(self.kinks)]
        readout_moves = [
            ChangeNumber(self.readouts["units"].number, step.units),
            ChangeNumber(self.readouts["max_abs_error"].number, step.max_abs_error),
            ChangeNumber(self.readouts["rms_error"].number, step.rms_error),
        ]
        if self.sum_curve is None:
            self.sum_curve = PolylineGraph.from_net(self.axes, net, self.domain, th.approx, 3.5)
            merge = [ReplacementTransform(drop, self.sum_curve), FadeIn(self.legend[1])]
        else:
            merge = [self.sum_curve.morph_to_net(net, self.domain), FadeOut(drop)]
        self.play(
            *merge,
            *moves,
            FadeIn(new_dots[-1], scale=2),
            graph.animate.set_stroke(width=3, opacity=0.55),
            *readout_moves,
            run_time=0.3 * seconds,
        )
        self.hinge_terms.add(graph)
        self.kinks.add(new_dots[-1])
        self.bring_to_front(self.kinks)
        self.wait(0.15 * seconds)

    def error_curve(self) -> None:
        th = self.theme
        steps = self.fit.steps
        mx = np.array([s.max_abs_error for s in steps])
        rms = np.array([s.rms_error for s in steps])
        monotone = bool(np.all(np.diff(mx) <= 1e-12))
        self.beat("error", "The error shrinks as units are added (log scale).")
        self.chart = ErrorChart(
            [s.units for s in steps],
            {"max |error|": (mx, th.error), "RMS error": (rms, th.text)},
            th,
            x_length=4.0,
            y_length=2.2,
        )
        names = list(self.chart.lines)
        legend = VGroup(
            *(
                label(n, th, size=th.small_size, color=c)
                for n, c in ((names[0], th.error), (names[1], th.text))
            )
        ).arrange(RIGHT, buff=0.5)
        legend.move_to(self.sum_formula)
        self.chart.next_to(legend, DOWN, buff=0.3).align_to(self.panel, RIGHT)
        self.play(
            FadeOut(VGroup(self.panel, self.panel_title, self.hinge_terms, self.term_label)),
            FadeOut(self.sum_formula),
            run_time=0.6,
        )
        self.play(
            FadeIn(self.chart.axes, self.chart.y_labels, self.chart.x_label, legend), run_time=0.6
        )
        self.play(*(Create(g) for g in self.chart.lines.values()), run_time=2.0)
        self.chart_legend = legend
        if monotone:
            self.say("Here both errors fall at every step; only the RMS error is sure to.")
        else:
            self.say(
                "The RMS error falls at every step; the max error can rise for a step, "
                "since least squares minimises RMS, not max."
            )
        self.wait(2.5)

    def train(self) -> None:
        th = self.theme
        fit = self.train_fit
        self.beat("train", "Gradient descent then nudges every kink and slope at once.")
        loss = Readout("loss (MSE)", fit.steps[0].loss, th, places=4, color=th.error)
        loss.next_to(self.readout_group, DOWN, buff=0.2).align_to(self.readout_group, LEFT)
        self.readouts["loss"] = loss
        self.play(FadeIn(loss), run_time=0.4)
        picks = np.unique(np.linspace(0, len(fit.steps) - 1, 5).round().astype(int))[1:]
        for k in picks:
            s = fit.steps[k]
            self.play(
                self.sum_curve.morph_to_net(s.net, self.domain),
                ChangeNumber(loss.number, s.loss),
                ChangeNumber(self.readouts["max_abs_error"].number, s.max_abs_error),
                ChangeNumber(self.readouts["rms_error"].number, s.rms_error),
                run_time=0.7,
            )
        best_loss = fit.rms_error**2
        new_dots = kink_dots(self.axes, fit.net, self.domain, color=th.accent)
        marks = VGroup(
            Dot(self.chart.point(fit.units, fit.max_abs_error), radius=0.07, color=th.text),
            Dot(self.chart.point(fit.units, fit.rms_error), radius=0.07, color=th.text),
        )
        tag = label("trained", th, size=th.tiny_size, color=th.text)
        tag.next_to(marks, UP, buff=0.15).align_to(self.chart.axes, RIGHT)
        self.play(
            self.sum_curve.morph_to_net(fit.net, self.domain),
            Transform(self.kinks, new_dots),
            ChangeNumber(loss.number, best_loss),
            ChangeNumber(self.readouts["max_abs_error"].number, fit.max_abs_error),
            ChangeNumber(self.readouts["rms_error"].number, fit.rms_error),
            FadeIn(marks, tag),
            run_time=0.8,
        )
        self.wait(1.0)

    def closing(self) -> None:
        self.beat("closing", CLOSING)
        line = closing_line(CLOSING, self.theme)
        self.play(FadeIn(line), run_time=0.8)
        self.wait(2.0)
