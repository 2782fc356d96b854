"""TowersVsHinges: the visual proof's steep-sigmoid towers against ReLU hinges (issue 9, part 2).

The classic visual proof of universal approximation (Nielsen, ch. 4) makes a sigmoid steep
until it is a step and pairs an up-step with a down-step into a tower. With the same number
of hidden units ``N``, on evenly spaced knots and with heights fitted by least squares
(``relu_anim.core.towers``), towers follow a curve with flat pieces and hinges with straight
ones. The scene shows both side by side, then their RMS errors for ``N`` = 8 to 128 on
log-log axes with the fitted slopes (about -1 and -2), computed at render time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import *

from relu_anim.core.expr import TargetFunction, parse_target
from relu_anim.core.towers import (
    DEFAULT_STEEPNESS,
    SWEEP_UNITS,
    Comparison,
    SigmoidNet,
    Sweep,
    compare,
    sweep,
    tower_pair,
)
from relu_anim.lecture import LectureScene, beat, param
from relu_anim.lecture.teaching import Teaching
from relu_anim.visuals.curves import (
    PolylineGraph,
    function_axes,
    kink_dots,
    padded_range,
    smooth_curve,
    to_points,
)
from relu_anim.visuals.expression import expression_formula
from relu_anim.visuals.layout import Readout, wrapped
from relu_anim.visuals.loglog import LogLogChart
from relu_anim.visuals.stage import frame_layout
from relu_anim.visuals.text import formula, label

# The one-tower illustration: a tower on [1, 2.5] of height 1, steepness as the scene's.
DEMO_DOMAIN = (0.0, 3.5)
DEMO_TOWER = (1.0, 2.5, 1.0)  # left knot, right knot, height
COLUMN_LEFT = 2.1  # the notes beside the log-log chart start here
SAMPLES = 1601  # points on a sigmoid curve: >= 7 across the steepest step at 32 units
CAVEAT = "This compares constructions with steep steps, as in the proof."
CAVEAT_MORE = (
    "Smooth, trained sigmoids are a different matter; the previous scene showed why "
    "they are hard to train deep."
)
CLOSING = (
    "Same units: flat towers miss a curve by about 1/N, straight hinges by about 1/N². "
    "Hinges bend; towers only jump."
)


def _portrait(scene) -> bool:
    """Is the frame upright (9:16)? Then the two panels stand one above the other."""
    return frame_layout(scene.theme).portrait


@dataclass(frozen=True)
class TowersData:
    """Everything the scene shows, computed by the core before the first frame."""

    domain: tuple[float, float]
    target: TargetFunction
    side: Comparison  # towers and hinges with the scene's N
    sweep: Sweep  # both errors for N = 8 ... 128 and the log-log slopes
    tower: SigmoidNet  # the one-tower illustration (two units)

    @property
    def ratio(self) -> float:
        """How many times smaller the hinges' RMS error is at the largest N."""
        return float(self.sweep.tower_rms[-1] / self.sweep.hinge_rms[-1])


@dataclass
class Panels:
    """What the side-by-side beats leave: each panel's axes, curves and readouts."""

    towers: Axes
    hinges: Axes
    tower_curve: VMobject | None = None
    hinge_curve: PolylineGraph | None = None
    readouts: dict[str, Readout] | None = None
    knots: VGroup | None = None  # a dot at each unit's knot: (towers, hinges)
    everything: VGroup | None = None


class TowersVsHinges(LectureScene):
    title = "Towers vs hinges"
    order = 5  # lecture order: after VanishingGradients
    teaching = Teaching(
        statement=(
            "On N evenly spaced knots, a smooth curve is followed by flat pieces (towers) "
            "to within about h·max|f'|/2 and by straight pieces (hinges) to within "
            "h²·max|f''|/8, with h proportional to 1/N: errors of order 1/N and 1/N². The "
            "visual proof of universal approximation uses towers; the same units as hinges "
            "converge a whole power of N faster."
        ),
        source=(
            "Classical approximation theory, e.g. de Boor, A Practical Guide to Splines "
            "(1978), on piecewise-constant and piecewise-linear approximation."
        ),
        reading=(
            "Nielsen, Neural Networks and Deep Learning (2015), chapter 4: a visual proof "
            "that neural nets can compute any function (the towers).",
            "Goodfellow, Bengio, Courville, Deep Learning (2016), section 6.4.1.",
        ),
        exercises=(
            (
                "If the error is proportional to N^p, doubling N multiplies it by 2^p. With "
                "the page's tower_slope and hinge_slope, by how much does doubling N "
                "shrink each error?",
                "2^-0.97 is about 0.51 (towers halve), 2^-2.06 about 0.24 (hinges quarter).",
            ),
            (
                "Predict rms_ratio_at_largest (N = 128) from the ratio at N = units and the "
                "two slopes.",
                "tower_rms_error / hinge_rms_error times (128 / units)^(tower_slope - "
                "hinge_slope): about 77 at the defaults, against 74 measured.",
            ),
        ),
        beat_numbers={
            "same-budget": ("units",),
            "both-fits": (
                "tower_max_abs_error",
                "tower_rms_error",
                "hinge_max_abs_error",
                "hinge_rms_error",
            ),
            "errors-against-n": ("tower_slope", "hinge_slope", "rms_ratio_at_largest"),
        },
    )
    summary = (
        "With the same units, steep-sigmoid towers (the visual proof) follow a curve with "
        "flat pieces, error ~1/N; ReLU hinges with straight pieces, error ~1/N²."
    )

    @dataclass(frozen=True)
    class Params:
        target: str = param("sin(2*x) + 0.2*x*x", "the curve to follow, in x (a smooth one)")
        domain: tuple[float, float] = param((-3.0, 3.0), "the x interval A,B to fit on (A < B)")
        units: int = param(10, "hidden units of each kind in the side-by-side", between=(2, 32))
        steepness: float = param(
            DEFAULT_STEEPNESS,
            "sigmoid slope times the knot spacing (large: every unit a sharp step)",
            between=(20.0, 200.0),  # below 20 a unit's rise spans 40 % of a piece
        )

        def validate(self) -> None:
            a, b = (float(v) for v in self.domain)
            if not (np.isfinite(a) and np.isfinite(b)) or not a < b:
                raise ValueError(f"domain must be two finite numbers A < B, got {a:g},{b:g}")
            target = parse_target(self.target, (a, b))  # ExpressionError is a ValueError
            sweep(target, (a, b), SWEEP_UNITS, self.steepness)  # no slopes if fitted exactly

    @classmethod
    def compute(cls, p: Params) -> TowersData:
        domain = (float(p.domain[0]), float(p.domain[1]))
        target = parse_target(p.target, domain)
        side = compare(target, domain, p.units, p.steepness)
        left, right, height = DEMO_TOWER
        slope = p.steepness / (right - left)
        return TowersData(
            domain,
            target,
            side,
            sweep(target, domain, SWEEP_UNITS, p.steepness),
            tower_pair(left, right, height, slope),
        )

    @classmethod
    def summarize(cls, data: TowersData) -> dict:
        s = data.sweep
        return {
            "units": data.side.towers.units,
            "tower_max_abs_error": data.side.towers.max_abs_error,
            "tower_rms_error": data.side.towers.rms_error,
            "hinge_max_abs_error": data.side.hinges.max_abs_error,
            "hinge_rms_error": data.side.hinges.rms_error,
            "tower_slope": s.tower_slope,
            "hinge_slope": s.hinge_slope,
            "rms_ratio_at_largest": data.ratio,
        }

    # -- storyboard ------------------------------------------------------------------------
    def construct(self):
        data = self.data
        self.title_card()
        demo = self.one_tower(data)
        panels = self.same_budget(data, demo)
        panels = self.both_fits(data, panels)
        chart = self.errors_against_n(data, panels)
        note = self.steep_steps_only(chart)
        self.end_card(CLOSING, clear=(chart, note))

    # -- beats -----------------------------------------------------------------------------
    @beat("The visual proof's unit: a steep sigmoid σ(s·(x − t)) is a step at x = t.")
    def one_tower(self, data: TowersData) -> VGroup:
        th = self.theme
        net = data.tower
        axes = function_axes(th, DEMO_DOMAIN, (-1.3, 1.5), x_length=6.4, y_length=4.2)
        axes.move_to([-3.2, -0.5, 0])
        up, down = (
            SigmoidNet(net.W1[j : j + 1], net.b1[j : j + 1], net.W2[:, j : j + 1], np.zeros(1))
            for j in range(2)
        )
        up_curve = smooth_curve(axes, up, DEMO_DOMAIN, th.hinge, 4, SAMPLES)
        down_curve = smooth_curve(axes, down, DEMO_DOMAIN, th.hinge, 4, SAMPLES)
        tower = smooth_curve(axes, net, DEMO_DOMAIN, th.approx, 6, SAMPLES)
        eq = formula(r"\sigma(z) = \frac{1}{1 + e^{-z}}", "σ(z) = 1 / (1 + e^−z)", th)
        note = wrapped(
            f"s = {data.side.towers.steepness:g} / knot spacing: every unit stays a step "
            "as the knots close in.",
            th,
            5.2,
            size=th.small_size,
        )
        side = VGroup(eq, note).arrange(DOWN, aligned_edge=LEFT, buff=0.45)
        side.move_to([3.6, 0.6, 0])
        tags = VGroup(
            label("up-step", th, size=th.tiny_size, color=th.hinge).next_to(
                axes.c2p(DEMO_DOMAIN[1], 1.0), UL, buff=0.1
            ),
            label("down-step", th, size=th.tiny_size, color=th.hinge).next_to(
                axes.c2p(DEMO_DOMAIN[1], -1.0), UL, buff=0.1
            ),
            label("tower", th, size=th.small_size, color=th.approx).next_to(
                axes.c2p(sum(DEMO_TOWER[:2]) / 2, 1.0), UP, buff=0.15
            ),
        )
        frame_layout(th).arrange(main=VGroup(axes, up_curve, down_curve, tower, tags), side=side)
        self.play(Create(axes), FadeIn(eq), run_time=1.0)
        self.play(Create(up_curve), FadeIn(tags[0], note), run_time=1.2)
        self.say("An up-step and a down-step of the same height make a tower.")
        self.play(Create(down_curve), FadeIn(tags[1]), run_time=1.2)
        self.play(Create(tower), FadeIn(tags[2]), run_time=1.2)
        return VGroup(axes, up_curve, down_curve, tower, tags, side)

    @beat(
        lambda s: (
            f"Same target, N = {s.params.units} units each: steep sigmoids "
            + ("(top), ReLU hinges (bottom)." if _portrait(s) else "(left), ReLU hinges (right).")
        )
    )
    def same_budget(self, data: TowersData, demo: VGroup) -> Panels:
        th = self.theme
        xs = np.linspace(*data.domain, SAMPLES)
        ys = np.concatenate([data.target(xs), data.side.towers.net(xs), data.side.hinges.net(xs)])
        y_range = padded_range(ys)
        panels = []
        for x, heading in ((-3.55, "towers: steep sigmoids"), (3.55, "hinges: ReLUs")):
            axes = function_axes(th, data.domain, y_range, x_length=6.1, y_length=3.7)
            axes.move_to([x, -0.35, 0])
            title = label(heading, th, size=th.small_size).next_to(axes, UP, buff=0.2)
            target = smooth_curve(axes, data.target, data.domain, th.target, 4)
            dashed = DashedVMobject(target, num_dashes=60, dashed_ratio=0.6)
            panels.append(VGroup(axes, title, dashed))
        formula_row = expression_formula(data.side.towers.target, th, size=th.body_size)
        formula_row = VGroup(label("target:", th, size=th.small_size), formula_row).arrange(RIGHT)
        formula_row.next_to(panels[0][1], UP, buff=0.25).set_x(0)
        rows = [Rectangle(width=0.1, height=0.35).set_opacity(0) for _ in panels]  # readouts
        frame_layout(th).panels(
            VGroup(formula_row, panels[0], rows[0].next_to(panels[0][0], DOWN, buff=0.5)),
            VGroup(panels[1], rows[1].next_to(panels[1][0], DOWN, buff=0.5)),
        )
        self.play(FadeOut(demo), run_time=0.5)
        self.play(*(Create(p[0]) for p in panels), FadeIn(panels[0][1], panels[1][1]), run_time=0.8)
        self.play(*(Create(p[2]) for p in panels), FadeIn(formula_row), run_time=1.0)
        everything = VGroup(*panels, formula_row)
        return Panels(panels[0][0], panels[1][0], everything=everything)

    @beat("Both: evenly spaced knots (dots), output weights by least squares.")
    def both_fits(self, data: TowersData, panels: Panels) -> Panels:
        th = self.theme
        towers, hinges = data.side.towers, data.side.hinges
        panels.tower_curve = smooth_curve(
            panels.towers, towers.net, data.domain, th.approx, 4, SAMPLES
        )
        panels.hinge_curve = PolylineGraph.from_net(
            panels.hinges, hinges.net, data.domain, th.approx, 4
        )
        readouts = {}
        for key, fit, axes in (
            ("towers", towers, panels.towers),
            ("hinges", hinges, panels.hinges),
        ):
            mx = Readout("max |error|", fit.max_abs_error, th, places=4, color=th.error)
            rms = Readout("RMS", fit.rms_error, th, places=4, color=th.text)
            row = VGroup(mx, rms).arrange(RIGHT, buff=0.5).next_to(axes, DOWN, buff=0.5)
            frame_layout(th).inside(row)
            readouts[f"{key}_max"], readouts[f"{key}_rms"] = mx, rms
            panels.everything.add(row)
        knots = towers.net.knots  # each unit is half-way up at its knot
        panels.knots = VGroup(
            VGroup(
                *(
                    Dot(p, radius=0.06, color=th.accent)
                    for p in to_points(panels.towers, knots, towers.net(knots))
                )
            ),
            kink_dots(panels.hinges, hinges.net, data.domain, color=th.accent),
        )
        self.play(Create(panels.tower_curve), Create(panels.hinge_curve), run_time=1.5)
        self.play(FadeIn(panels.knots, scale=2), run_time=0.6)
        self.say(
            f"Flat towers miss by up to {towers.max_abs_error:.2g}; "
            f"hinges, tilting with the curve, by {hinges.max_abs_error:.2g}."
        )
        self.play(*(FadeIn(r) for r in readouts.values()), run_time=0.6)
        panels.readouts = readouts
        panels.everything.add(panels.tower_curve, panels.hinge_curve, panels.knots)
        return panels

    @beat(
        lambda s: (
            f"RMS error for N = {SWEEP_UNITS[0]} to {SWEEP_UNITS[-1]} on log-log axes: "
            "a power of N is a straight line."
        )
    )
    def errors_against_n(self, data: TowersData, panels: Panels) -> VGroup:
        th = self.theme
        s = data.sweep
        chart = LogLogChart(
            s.units,
            {"towers": (s.tower_rms, th.text), "hinges": (s.hinge_rms, th.approx)},
            th,
            x_length=6.2,
            y_length=4.3,
        )
        chart.move_to([-2.6, -0.3, 0])
        fits = {
            "towers": chart.fit_line(s.tower_slope, s.tower_intercept, th.muted),
            "hinges": chart.fit_line(s.hinge_slope, s.hinge_intercept, th.muted),
        }
        tags = VGroup(
            label("towers", th, size=th.small_size, color=th.text).next_to(
                chart.point(s.units[-1], s.tower_rms[-1]), RIGHT, buff=0.5
            ),
            label("hinges", th, size=th.small_size, color=th.approx).next_to(
                chart.point(s.units[-1], s.hinge_rms[-1]), RIGHT, buff=0.5
            ),
        )
        slopes = VGroup(
            Readout("towers: slope", s.tower_slope, th, places=2, color=th.text),
            Readout("hinges: slope", s.hinge_slope, th, places=2, color=th.approx),
            wrapped(
                "both: evenly spaced knots, least-squares heights; dashed: least-squares lines",
                th,
                4.4,
                th.tiny_size,
                th.muted,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        slopes.move_to([0, 1.3, 0]).align_to([COLUMN_LEFT, 0, 0], LEFT)
        frame_layout(th).arrange(main=VGroup(chart, *fits.values(), tags), side=slopes)
        self.play(FadeOut(panels.everything), run_time=0.5)
        self.play(FadeIn(chart.axes, chart.x_labels, chart.y_labels, chart.x_label), run_time=0.6)
        self.play(*(Create(g) for g in chart.lines.values()), FadeIn(tags), run_time=1.5)
        self.say(
            f"Slopes {s.tower_slope:.2f} and {s.hinge_slope:.2f}: "
            "towers shrink like 1/N, hinges like 1/N²."
        )
        self.play(*(Create(f) for f in fits.values()), FadeIn(slopes), run_time=1.2)
        ratio = wrapped(
            f"at N = {s.units[-1]}: RMS error {data.ratio:.0f}× smaller with hinges",
            th,
            self._column_width(slopes),
            th.small_size,
            th.accent_text,
        ).next_to(slopes, DOWN, buff=0.45, aligned_edge=LEFT)
        self.say(f"At N = {s.units[-1]} the hinges' RMS error is {data.ratio:.0f} times smaller.")
        self.play(FadeIn(ratio), run_time=0.6)
        return VGroup(chart, *fits.values(), tags, slopes, ratio)

    def _column_width(self, column: Mobject) -> float:
        """From the left of the notes' column (:data:`COLUMN_LEFT` in landscape) to the right
        margin."""
        return frame_layout(self.theme).frame.right - column.get_left()[0]

    @beat(CAVEAT)
    def steep_steps_only(self, chart: VGroup) -> VGroup:
        th = self.theme
        slopes, ratio = chart[-2], chart[-1]
        note = wrapped(
            CAVEAT_MORE, th, self._column_width(slopes), size=th.small_size, color=th.muted
        )
        note.next_to(ratio, DOWN, buff=0.5).align_to(slopes, LEFT)
        self.say(CAVEAT_MORE)
        self.play(FadeIn(note), run_time=0.8)
        return note
