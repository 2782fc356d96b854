"""TrainingInMotion: how a real network finds its kinks (issue #10, part 2).

Not the greedy construction of the first scene, but gradient descent: a one-hidden-layer ReLU
net starts from seeded random weights and full-batch Adam trains every weight on a smooth
target. The frames come from snapshots the core recorded (denser early, when most moves):
the graph morphs exactly from one recorded net to the next, the kinks slide, the loss is
drawn as it was recorded on a log axis, and a row of lamps shows each unit's state (kinked
inside the domain, open on every input, or off on every input). Then the census: which units
died, which were born useful, and why an always-off unit is wasted (it outputs 0 and gets
exactly 0 gradient, so it never moves). Every number comes from ``relu_anim.core.training``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Rectangle,
    Transform,
    ValueTracker,
    VGroup,
    linear,
)

from relu_anim.core.training import KINKED, OFF, OPEN, TrainingRun, train_from_random
from relu_anim.lecture import LectureScene, beat, param
from relu_anim.lecture.teaching import Teaching
from relu_anim.visuals.curves import PolylineGraph, function_axes, padded_range, to_points
from relu_anim.visuals.layout import Readout
from relu_anim.visuals.log_chart import LogChart
from relu_anim.visuals.stage import frame_layout
from relu_anim.visuals.text import label, short_sci

DOMAIN = (-3.0, 3.0)
TARGETS = {  # expression -> how it is written on screen
    "sin(2*x) + 0.2*x*x": "sin(2x) + 0.2x²",
    "sin(x) + 0.3*x": "sin(x) + 0.3x",
    "cos(2*x) - 0.1*x*x": "cos(2x) − 0.1x²",
}
NOTE_ROOM = 1.2  # height kept under the lamps' legend for the always-off note (three lines)
TRAIN_SECONDS = 12.0  # the replay of every recorded step shares this budget
CLOSING = "Gradient descent slides kinks to where the target bends; an always-off unit is wasted."


def units_word(n: int, one: str = "unit", many: str = "units") -> str:
    return f"{n} {one if n == 1 else many}"


def sci(v: float) -> str:
    """0.0020 reads better than 2.0e-03 down to 1e-3; below, 1.2e-4."""
    return f"{v:.4f}" if v >= 1e-3 else short_sci(v)


@dataclass(frozen=True)
class TrainingData:
    run: TrainingRun
    target_text: str
    dead_change: float  # largest change of an always-off unit's weights over the run

    @property
    def units(self) -> int:
        return int(self.run.states.shape[1])


@dataclass
class Stage:
    """What stays on screen: the function plot, the loss chart, the unit lamps."""

    axes: object
    target: PolylineGraph
    graph: PolylineGraph
    dots: VGroup
    chart: LogChart
    lamps: VGroup
    legend: VGroup
    readouts: VGroup
    group: VGroup


class TrainingInMotion(LectureScene):
    title = "Training in motion"
    order = 7
    teaching = Teaching(
        statement=(
            "Gradient descent moves each ReLU unit's kink to where the target bends. A unit "
            "whose pre-activation is negative on every training input outputs 0 and has "
            "slope 0 everywhere, so every gradient of its weights is exactly 0 and it "
            "never moves again: a dead ReLU."
        ),
        source=(
            "Lu, Shin, Su, Karniadakis (2019), Dying ReLU and initialization: theory and "
            "numerical examples, arXiv:1903.06733; Kingma, Ba (2015), Adam: a method for "
            "stochastic optimization, ICLR."
        ),
        reading=(
            "Nielsen, Neural Networks and Deep Learning (2015), chapter 2: how the "
            "backpropagation algorithm works.",
            "Goodfellow, Bengio, Courville, Deep Learning (2016), section 6.3.1: rectified "
            "linear units and their generalizations (leaky ReLU keeps a gradient).",
        ),
        exercises=(
            (
                "Check that reduction = initial_loss / final_loss. How many decades did "
                "the loss fall?",
                "log10 of reduction: about 3 at the defaults.",
            ),
            (
                "Why is off_weight_change exactly 0, not merely small, for the units in "
                "off_throughout?",
                "Off on every input from step 0: each gradient is 0 at every step, so "
                "Adam's moment estimates stay 0 and every update is 0.",
            ),
        ),
        beat_numbers={
            "random-start": ("units", "initial_loss", "start_states"),
            "training": ("steps", "snapshots", "final_loss", "reduction"),
            "census": ("end_states", "died", "born"),
            "always-off": ("off_throughout", "off_weight_change"),
        },
    )
    summary = (
        "From a random start, Adam slides the kinks to where the target bends and the loss "
        "falls decades; a unit off on every input gets no gradient and never comes back."
    )

    @dataclass(frozen=True)
    class Params:
        target: str = param("sin(2*x) + 0.2*x*x", "the smooth curve to learn", choices=TARGETS)
        units: int = param(12, "hidden ReLU units", between=(4, 16))
        seed: int = param(3, "seed of the random start", between=(0, 1000))
        steps: int = param(3000, "full-batch Adam steps", between=(200, 5000))
        snapshots: int = param(40, "recorded snapshots replayed", between=(20, 60))

    @classmethod
    def compute(cls, p: Params) -> TrainingData:
        run = train_from_random(p.target, DOMAIN, p.units, p.seed, p.steps, p.snapshots)
        return TrainingData(run, TARGETS[p.target], run.weight_change(run.off_throughout))

    @classmethod
    def summarize(cls, data: TrainingData) -> dict:
        run = data.run
        return {
            "units": data.units,
            "steps": int(run.last.step),
            "snapshots": len(run.snapshots),
            "initial_loss": run.first.loss,
            "final_loss": run.last.loss,
            "reduction": run.reduction,
            "start_states": run.counts(0),
            "end_states": run.counts(),
            "died": run.died.tolist(),
            "born": run.born.tolist(),
            "off_throughout": run.off_throughout.tolist(),
            "off_weight_change": data.dead_change,
        }

    # -- storyboard ----------------------------------------------------------------------
    def construct(self):
        data = self.data
        self.title_card()
        stage = self.random_start(data)
        self.training(data, stage)
        marks = self.census(data, stage)
        self.always_off(data, stage, marks)
        self.end_card(CLOSING)

    # -- beats ---------------------------------------------------------------------------
    @beat(
        lambda s: (
            f"A random start: {s.data.units} ReLU units, seed {s.params.seed}, "
            f"kinks wherever the seed put them."
        )
    )
    def random_start(self, data: TrainingData) -> Stage:
        stage = self._stage(data)
        self.play(
            Create(stage.axes), FadeIn(stage.chart.frame), FadeIn(stage.readouts), run_time=1.0
        )
        self.play(Create(stage.target), run_time=1.0)
        self.play(Create(stage.graph), FadeIn(stage.dots), run_time=1.0)
        self.play(FadeIn(stage.lamps), FadeIn(stage.legend), run_time=0.8)
        line = stage.chart.lines["loss"][0]
        line.set_graph(*self._upto(*self._loss_coords(data, stage), 0.0))  # nothing trained yet
        self.add(stage.chart.lines["loss"])
        self.say(f"The sum misses the target: mean squared error {sci(data.run.first.loss)}.")
        return stage

    @beat(
        lambda s: (
            f"Full-batch Adam, {s.data.run.last.step} steps: "
            "the kinks slide, slopes turn, the sum follows."
        )
    )
    def training(self, data: TrainingData, stage: Stage) -> Stage:
        run = data.run
        shots = run.snapshots
        idx = ValueTracker(0.0)
        at = lambda: min(int(idx.get_value() + 1e-9), len(shots) - 1)  # noqa: E731
        line = stage.chart.lines["loss"][0]
        xs, ys = self._loss_coords(data, stage)
        line.add_updater(lambda m: m.set_graph(*self._upto(xs, ys, idx.get_value())))
        step, loss = stage.readouts
        step.track(lambda: shots[at()].step)
        loss.track(lambda: shots[at()].loss)
        stage.lamps.add_updater(lambda m: self._light(m, run.states[at()]))
        dt = TRAIN_SECONDS / (len(shots) - 1)
        for i in range(1, len(shots)):
            self.play(
                stage.graph.morph_to_net(shots[i].net, DOMAIN),
                Transform(stage.dots, self._dots(stage.axes, shots[i].net, run.states[i])),
                idx.animate.set_value(float(i)),
                run_time=dt,
                rate_func=linear,
            )
        for m in (line, step, loss, stage.lamps):
            m.clear_updaters()
        self._light(stage.lamps, run.states[-1])
        self.say(
            f"Loss {sci(run.first.loss)} → {sci(run.last.loss)}: {run.reduction:,.0f} times lower."
        )
        return stage

    @beat(
        lambda s: (
            f"The end: {s.data.run.counts()['kinked']} kinks inside, "
            f"{s.data.run.counts()['open']} always open, "
            f"{s.data.run.counts()['off']} always off."
        )
    )
    def census(self, data: TrainingData, stage: Stage) -> VGroup:
        th, run = self.theme, data.run
        died = VGroup(*(self._ring(stage.lamps[i], th.error) for i in run.died))
        born = VGroup(*(self._ring(stage.lamps[i], th.accent) for i in run.born))
        n_died, n_born = len(run.died), len(run.born)
        self.say(f"{units_word(n_died)} died (red rings){self._how_died(run)}.")
        if n_died:
            self.play(Create(died), run_time=0.8)
        verb = "was" if n_born == 1 else "were"
        self.say(f"{units_word(n_born)} {verb} born useful: a kink moved in.")
        if n_born:
            self.play(Create(born), run_time=0.8)
        return VGroup(died, born)

    @beat(
        lambda s: (
            f"{units_word(len(s.data.run.off_throughout))} off on every input from step 0: "
            "output 0, gradient 0."
        )
    )
    def always_off(self, data: TrainingData, stage: Stage, marks: VGroup) -> VGroup:
        th, run = self.theme, data.run
        dead = run.off_throughout
        rings = VGroup(*(self._ring(stage.lamps[i], th.accent) for i in dead))
        note = VGroup(
            label("off on every input:", th, size=th.small_size, color=th.muted),
            label("relu(w·x + b) = 0, relu′ = 0", th, size=th.small_size),
            label(
                f"weights moved by {data.dead_change:g} in {run.last.step} steps",
                th,
                size=th.small_size,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        note.next_to(stage.legend, DOWN, buff=0.3).align_to(stage.chart.axes, LEFT)
        frame_layout(th).above_band(note)
        self.play(FadeOut(marks), *(Create(r) for r in rings), FadeIn(note), run_time=1.0)
        self.say("A ReLU that is always off contributes nothing; half-off ones make the bends.")
        return VGroup(rings, note)

    # -- pieces --------------------------------------------------------------------------
    def _stage(self, data: TrainingData) -> Stage:
        th, run = self.theme, data.run
        every = np.concatenate([run.y, *(s.net(run.xs) for s in run.snapshots)])
        lo, hi = padded_range(every)
        axes = function_axes(th, DOMAIN, (lo, hi), x_length=6.2, y_length=4.6)
        axes.move_to([-3.65, 0.05, 0])
        target = PolylineGraph(axes, run.xs, run.y, th.target, width=6)
        graph = PolylineGraph.from_net(axes, run.first.net, DOMAIN, th.approx, width=4)
        dots = self._dots(axes, run.first.net, run.states[0])
        key = VGroup(
            label(f"target {data.target_text}", th, size=th.tiny_size, color=th.muted),
            label("network", th, size=th.tiny_size, color=th.muted),
        ).arrange(RIGHT, buff=0.5)
        key.next_to(axes, UP, buff=0.15).align_to(axes, LEFT)
        swatches = VGroup(
            *(
                Dot(radius=0.06, color=c).next_to(t, LEFT, buff=0.1)
                for t, c in zip(key, (th.target, th.approx), strict=True)
            )
        )
        key.shift(0.25 * RIGHT)
        swatches.shift(0.25 * RIGHT)
        chart = LogChart(
            run.steps,
            {"loss": (run.losses, th.error)},
            th,
            x_name="Adam step",
            y_name="loss (MSE)",
            x_length=4.6,
            y_length=2.3,
            dots=False,
        )
        chart.move_to([3.35, 1.35, 0])
        step = Readout("step", 0, th, places=0)
        loss = Readout("loss", run.first.loss, th, places=4)
        step.next_to(chart, DOWN, buff=0.2).align_to(chart.axes, LEFT)
        loss.next_to(step, RIGHT, buff=0.2).shift(
            (chart.axes.get_left()[0] + 2.1 - loss.get_left()[0]) * RIGHT
        )
        readouts = VGroup(step, loss)
        n = data.units  # the row fits under the chart for any number of units
        gap = min(0.17, (chart.axes.width - 0.2 * n) / (n - 1))
        lamps = VGroup(*(Dot(radius=0.1) for _ in range(n))).arrange(RIGHT, buff=gap)
        lamps.next_to(readouts, DOWN, buff=0.35).align_to(chart.axes, LEFT)
        self._light(lamps, run.states[0])
        legend = VGroup(
            *(
                VGroup(
                    Dot(radius=0.06, color=c), label(t, th, size=th.tiny_size, color=th.muted)
                ).arrange(RIGHT, buff=0.1)
                for t, c in (
                    ("kink inside", th.hinge),
                    ("always open", th.open),
                    ("always off", th.closed),
                )
            )
        ).arrange(RIGHT, buff=0.25)
        legend.next_to(lamps, DOWN, buff=0.2).align_to(chart.axes, LEFT)
        note_room = Rectangle(width=0.1, height=NOTE_ROOM).set_opacity(0)  # the last beat's note
        frame_layout(th).arrange(
            main=VGroup(axes, key, swatches, target, graph, dots),
            side=VGroup(chart, readouts, lamps, legend, note_room.next_to(legend, DOWN, 0.3)),
        )
        group = VGroup(axes, key, swatches, target, graph, dots, chart, readouts, lamps, legend)
        axes.add(key, swatches)  # the key comes and goes with the plot
        return Stage(axes, target, graph, dots, chart, lamps, legend, readouts, group)

    def _dots(self, axes, net, states: np.ndarray) -> VGroup:
        """A dot at each unit's kink on the graph; hidden (transparent) when it is not inside."""
        w, b = net.W1[:, 0], net.b1
        k = np.clip(np.where(w != 0, -b / np.where(w != 0, w, 1.0), DOMAIN[0]), *DOMAIN)
        pts = to_points(axes, k, net(k))
        return VGroup(
            *(
                Dot(p, radius=0.065, color=self.theme.hinge).set_opacity(1.0 if s == KINKED else 0)
                for p, s in zip(pts, states, strict=True)
            )
        )

    def _light(self, lamps: VGroup, states: np.ndarray) -> VGroup:
        th = self.theme
        colour = {KINKED: th.hinge, OPEN: th.open, OFF: th.closed}
        for lamp, s in zip(lamps, states, strict=True):
            lamp.set_color(colour[int(s)])
        return lamps

    @staticmethod
    def _how_died(run: TrainingRun) -> str:
        """How the units that died ended: gate shut on every input, or open on every input."""
        end = run.states[-1][run.died]
        ways = []
        if np.any(end == OFF):
            ways.append(f"{int(np.sum(end == OFF))} shut on every input")
        if np.any(end == OPEN):
            ways.append(f"{int(np.sum(end == OPEN))} open on every input")
        return ": " + ", ".join(ways) if ways else ""

    @staticmethod
    def _ring(lamp, color: str, buff: float = 0.07) -> Circle:
        return Circle(radius=lamp.width / 2 + buff, color=color, stroke_width=3).move_to(lamp)

    @staticmethod
    def _loss_coords(data: TrainingData, stage: Stage) -> tuple[np.ndarray, np.ndarray]:
        """The recorded losses in the chart's axis coordinates (step, log10 loss - floor)."""
        run = data.run
        return run.steps.astype(float), np.log10(run.losses) - stage.chart.floor

    @staticmethod
    def _upto(xs: np.ndarray, ys: np.ndarray, at: float):
        """The recorded curve up to snapshot ``at`` (fractional: the last segment partly drawn,
        between two recorded steps only)."""
        k = int(np.floor(at))
        if k >= len(xs) - 1:
            return xs, ys
        f = at - k
        px = np.append(xs[: k + 1], xs[k] + f * (xs[k + 1] - xs[k]))
        py = np.append(ys[: k + 1], ys[k] + f * (ys[k + 1] - ys[k]))
        return px, py
