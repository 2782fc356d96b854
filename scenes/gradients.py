"""VanishingGradients: why deep nets use ReLU, not sigmoid (issue #9, part 1).

Backpropagation multiplies the gradient by one slope ``f'(z)`` per layer on its way down to
the input. Sigmoid's slope never exceeds 1/4, tanh's is 1 only at 0, ReLU's is exactly 1
wherever its gate is open. The scene draws the three slopes, then the gradient norm that
reaches each layer of a deep net (real backprop in numpy, mean over seeded random draws,
each activation with its customary init: Xavier for sigmoid and tanh, He for ReLU) on a log
axis, then trains the same 8-layer net with each activation on one 1-D target (same seed,
same steps, full-batch Adam) and draws the three loss curves as they were recorded. Every
number comes from ``relu_anim.core.gradients`` at render time; the captions that report
the training's outcome are built from its numbers, whatever they turn out to be.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import *

from relu_anim.core.gradients import (
    ACTIVATIONS,
    INIT,
    TARGET_TEXT,
    LayerGradients,
    Training,
    derivative,
    layer_gradient_norms,
    train_deep,
)
from relu_anim.lecture import LectureScene, beat, param
from relu_anim.lecture.teaching import Teaching
from relu_anim.visuals.curves import PolylineGraph, function_axes
from relu_anim.visuals.layout import Readout
from relu_anim.visuals.log_chart import LogChart
from relu_anim.visuals.stage import frame_layout
from relu_anim.visuals.text import formula, label
from relu_anim.visuals.text import short_sci as sci

NAMES = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU"}
SHOWN = ("sigmoid", "tanh", "relu")  # left to right, top to bottom: the problem first
Z_RANGE = (-5.0, 5.0)  # the slopes' panels
Z_SAMPLES = 401  # vertices of each slope curve (z = 0 is one of them)
CLOSING = (
    "ReLU's slope is 1 wherever its gate is open: gradients reach deep layers. "
    "Sigmoid's is at most 1/4."
)


@dataclass(frozen=True)
class GradientsData:
    """What the core computed: the slopes, the gradient per layer, the three trainings."""

    z: np.ndarray  # the slopes' grid
    slopes: dict[str, np.ndarray]  # f'(z) on the grid
    peaks: dict[str, float]  # max f' on the grid
    layers: dict[str, LayerGradients]
    trained: dict[str, Training]

    def mean_slope(self, name: str) -> float:
        """f'(z) averaged over every layer, sample, unit and draw at initialisation."""
        return float(self.layers[name].slope.mean())

    @property
    def ranked(self) -> list[str]:
        """Activations by final training loss, lowest first."""
        return sorted(ACTIVATIONS, key=lambda n: self.trained[n].final_loss)


@dataclass
class Panels:
    """The three slope plots: each axes and its drawn curve pieces."""

    axes: dict[str, Axes]
    curves: dict[str, list[PolylineGraph]]
    group: VGroup


@dataclass
class Chart:
    """A log chart with a legend column beside it."""

    chart: LogChart
    legend: VGroup
    group: VGroup


def colour(theme, name: str) -> str:
    """ReLU in the hinge's colour (one ReLU unit); sigmoid and tanh in the two other colours
    the theme keeps apart on one plot (also for colour-blind viewers)."""
    return {"relu": theme.hinge, "sigmoid": theme.approx, "tanh": theme.target}[name]


def ratio(data: GradientsData, name: str) -> str:
    """Layer 1's gradient norm over the last layer's, as shown: 0.56, or 1.3e-12."""
    r = data.layers[name].ratio
    return f"{r:.2f}" if 0.01 <= r < 100 else sci(r)


class VanishingGradients(LectureScene):
    title = "Vanishing gradients"
    order = 4  # lecture order: after GatesAsIfs
    teaching = Teaching(
        statement=(
            "Backpropagation multiplies the gradient by one slope f'(z) per layer (and by "
            "the layer's weights) on its way down. Sigmoid's slope is at most 1/4, so "
            "through many layers the product shrinks geometrically and the first layers "
            "barely learn: the vanishing gradient. ReLU's slope is exactly 1 wherever its "
            "gate is open, and with He initialisation the gradient roughly keeps its size."
        ),
        source=(
            "Hochreiter (1991), Untersuchungen zu dynamischen neuronalen Netzen, diploma "
            "thesis, TU München; Glorot, Bengio (2010), Understanding the difficulty of "
            "training deep feedforward neural networks, AISTATS."
        ),
        reading=(
            "Nielsen, Neural Networks and Deep Learning (2015), chapter 5: why are deep "
            "neural networks hard to train?",
            "He, Zhang, Ren, Sun (2015), Delving deep into rectifiers, ICCV (He initialisation).",
            "Glorot, Bordes, Bengio (2011), Deep sparse rectifier neural networks, AISTATS.",
        ),
        exercises=(
            (
                "Estimate sigmoid's grad_layer1_over_last as mean_slope raised to the "
                "number of layers the gradient crosses (depth - 1), as if the weights kept "
                "its size. Same order of magnitude as the page?",
                "0.236^19 is about 1e-12 for depth 20; the page's ratio is of that order.",
            ),
            (
                "How many times lower is ReLU's final loss than sigmoid's? Why does it "
                "matter that the three initial losses are close?",
                "Divide the two final_loss entries (about 1000 at the defaults). Equal "
                "starts mean the gap comes from training, not from a luckier start.",
            ),
        ),
        beat_numbers={
            "chain": ("init", "mean_slope"),
            "layer-norms": ("depth", "width", "draws", "grad_layer1_over_last"),
            "training": (
                "train_depth",
                "steps",
                "target",
                "initial_loss",
                "final_loss",
                "lowest_final_loss",
            ),
        },
    )
    summary = (
        "Backprop multiplies one slope per layer: sigmoid's (at most 1/4) makes the gradient "
        "vanish with depth, ReLU's (exactly 1 where open) keeps it, and training shows it."
    )

    @dataclass(frozen=True)
    class Params:
        depth: int = param(20, "hidden layers of the deep net measured", between=(4, 30))
        width: int = param(32, "units in each of its layers", between=(8, 64))
        draws: int = param(8, "random nets the gradient norms are averaged over", between=(1, 20))
        train_depth: int = param(8, "hidden layers of the net trained", between=(2, 12))
        train_width: int = param(16, "units in each of its layers", between=(4, 32))
        steps: int = param(800, "full-batch Adam steps for each activation", between=(100, 2000))
        seed: int = param(0, "seed of the draws and of the training", between=(0, 2**31 - 1))

    @classmethod
    def compute(cls, p: Params) -> GradientsData:
        z = np.linspace(*Z_RANGE, Z_SAMPLES)
        slopes = {n: derivative(n)(z) for n in ACTIVATIONS}
        return GradientsData(
            z=z,
            slopes=slopes,
            peaks={n: float(s.max()) for n, s in slopes.items()},
            layers={
                n: layer_gradient_norms(n, p.depth, p.width, p.draws, p.seed) for n in ACTIVATIONS
            },
            trained={
                n: train_deep(n, p.train_depth, p.train_width, p.steps, p.seed) for n in ACTIVATIONS
            },
        )

    @classmethod
    def summarize(cls, data: GradientsData) -> dict:
        some = data.layers["relu"]
        return {
            "depth": some.depth,
            "width": some.width,
            "draws": some.draws,
            "init": dict(INIT),
            "mean_slope": {n: data.mean_slope(n) for n in ACTIVATIONS},
            "grad_layer1_over_last": {n: data.layers[n].ratio for n in ACTIVATIONS},
            "train_depth": data.trained["relu"].net.depth,
            "steps": int(data.trained["relu"].steps[-1]),
            "target": TARGET_TEXT,
            "initial_loss": {n: float(data.trained[n].loss[0]) for n in ACTIVATIONS},
            "final_loss": {n: data.trained[n].final_loss for n in ACTIVATIONS},
            "lowest_final_loss": data.ranked[0],
        }

    # -- storyboard ----------------------------------------------------------------------
    def construct(self):
        data = self.data
        self.title_card()
        panels = self.slopes(data)
        table = self.chain(data, panels)
        chart = self.layer_norms(data, table)
        self.training(data, chart)
        self.end_card(CLOSING)

    # -- beats ---------------------------------------------------------------------------
    @beat("The slope f′(z) each activation passes a gradient through.")
    def slopes(self, data: GradientsData) -> Panels:
        th = self.theme
        panels = Panels({}, {}, VGroup())
        heads, rooms = [], []
        for k, name in enumerate(SHOWN):
            axes = function_axes(th, Z_RANGE, (0.0, 1.2), x_length=3.7, y_length=2.3)
            axes.move_to([-4.55 + 4.55 * k, 0.2, 0])
            head = label(f"{NAMES[name]}′(z)", th, size=th.body_size, color=colour(th, name))
            head.next_to(axes, UP, buff=0.25)
            note = label(
                f"max {data.peaks[name]:.2f}", th, size=th.small_size, color=colour(th, name)
            )
            rooms.append(VGroup(axes, head, note.next_to(axes, DOWN, buff=0.45)))
            panels.axes[name] = axes
            heads.append(head)
        frame_layout(th).panels(*rooms)  # portrait: one above another
        for name, head in zip(SHOWN, heads, strict=True):
            panels.group.add(panels.axes[name], head)
            self.play(FadeIn(panels.axes[name]), FadeIn(head), run_time=0.5)
        words = {
            "sigmoid": f"Sigmoid's never exceeds {data.peaks['sigmoid']:.2f}.",
            "tanh": f"Tanh's is {data.peaks['tanh']:.0f} only at z = 0.",
            "relu": f"ReLU's is exactly {data.peaks['relu']:.0f} wherever its gate is open.",
        }
        for name, room in zip(SHOWN, rooms, strict=True):
            self.say(words[name])
            pieces = self._slope_curve(data, name, panels.axes[name])
            note = room[-1]
            panels.curves[name] = pieces
            panels.group.add(*pieces, note)
            self.play(*(Create(p) for p in pieces), FadeIn(note), run_time=1.0)
        return panels

    @beat("Backprop multiplies in one slope per layer; at the start, the mean slopes are:")
    def chain(self, data: GradientsData, panels: Panels) -> VGroup:
        th = self.theme
        eq = formula(
            r"\frac{\partial L}{\partial z_i} = \Big(W_{i+1}^{\top}\,"
            r"\frac{\partial L}{\partial z_{i+1}}\Big) \odot f'(z_i)",
            "∂L/∂zᵢ = (Wᵢ₊₁ᵀ ∂L/∂zᵢ₊₁) ⊙ f′(zᵢ)",
            th,
        )
        eq.move_to([0, 2.2, 0])
        table = self._slope_table(data)
        table.next_to(eq, DOWN, buff=0.55)
        frame_layout(th).arrange(main=VGroup(eq, table))
        self.play(FadeOut(panels.group), FadeIn(eq), run_time=1.0)
        self.play(FadeIn(table, lag_ratio=0.2), run_time=1.5)
        self.say(
            "ReLU's: half its gates shut, the open ones exactly 1; He init doubles W's variance."
        )
        return VGroup(eq, table)

    @beat(
        lambda s: (
            f"Gradient norm at each of {s.data.layers['relu'].depth} layers, "
            f"mean of {s.data.layers['relu'].draws} nets, log axis."
        )
    )
    def layer_norms(self, data: GradientsData, shown: VGroup) -> Chart:
        th = self.theme
        depth = data.layers["relu"].depth
        chart = LogChart(
            range(1, depth + 1),
            {n: (data.layers[n].mean, colour(th, n)) for n in reversed(SHOWN)},  # ReLU under
            th,
            x_name="layer (1 = nearest the input)",
            y_name="‖∂L/∂z‖",
            x_length=7.2,
            y_length=4.0,
        )
        rows = [
            self._legend_row(n, f"{INIT[n]} init", f"layer 1 / layer {depth}: {ratio(data, n)}")
            for n in SHOWN
        ]
        legend = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.4)
        self._place(chart, legend)
        self.play(FadeOut(shown), FadeIn(chart.frame), run_time=0.8)
        for n in reversed(SHOWN):
            self.play(Create(chart.lines[n]), FadeIn(rows[SHOWN.index(n)]), run_time=1.2)
        self.say(f"At layer 1, sigmoid's is {ratio(data, 'sigmoid')} of layer {depth}'s.")
        self.say(
            f"ReLU keeps {ratio(data, 'relu')} of it; tanh, with mean slope "
            f"{data.mean_slope('tanh'):.2f}, keeps {ratio(data, 'tanh')}."
        )
        return Chart(chart, legend, VGroup(chart, legend))

    @beat(
        lambda s: (
            f"One {s.data.trained['relu'].net.depth}-layer net trained with each activation: "
            "same seed, same Adam steps."
        )
    )
    def training(self, data: GradientsData, shown: Chart) -> Chart:
        th = self.theme
        runs = data.trained
        steps = runs["relu"].steps
        chart = LogChart(
            steps,
            {n: (runs[n].loss, colour(th, n)) for n in reversed(SHOWN)},
            th,
            x_name="Adam step",
            y_name="loss (MSE / 2)",
            x_length=7.2,
            y_length=4.0,
            dots=False,
        )
        step = ValueTracker(0)
        for n in SHOWN:
            line = chart.lines[n][0]
            xs, ys = line.xs, line.ys
            line.add_updater(
                lambda m, xs=xs, ys=ys: m.set_graph(*self._upto(xs, ys, step.get_value()))
            )
            line.update()
        rows = [self._legend_row(n, "", "") for n in SHOWN]
        counter = Readout("step", 0, th, places=0).track(step.get_value)
        target = VGroup(
            label("target:", th, size=th.tiny_size, color=th.muted),
            label(TARGET_TEXT, th, size=th.tiny_size, color=th.muted),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        legend = VGroup(counter, *rows, target).arrange(DOWN, aligned_edge=LEFT, buff=0.4)
        self._place(chart, legend)
        self.play(FadeOut(shown.group), run_time=0.6)
        self.play(FadeIn(chart.frame), FadeIn(legend), run_time=0.8)
        self.add(*(chart.lines[n] for n in SHOWN))
        self.play(step.animate.set_value(float(steps[-1])), run_time=6.0, rate_func=linear)
        for m in (*(chart.lines[n][0] for n in SHOWN), counter):
            m.clear_updaters()
        self.say(
            f"After {int(steps[-1])} steps: "
            + ", ".join(f"{NAMES[n]} {sci(runs[n].final_loss)}" for n in data.ranked)
            + "."
        )
        finals = VGroup(
            *(
                label(sci(runs[n].final_loss), th, size=th.small_size, color=colour(th, n)).next_to(
                    row, RIGHT, buff=0.3
                )
                for n, row in zip(SHOWN, rows, strict=True)
            )
        )
        self.play(FadeIn(finals), run_time=0.5)
        best, worst = data.ranked[0], data.ranked[-1]
        times = runs[worst].final_loss / runs[best].final_loss
        said = f"{NAMES[worst]}'s loss ends {times:,.0f} times {NAMES[best]}'s."
        self.say(said[0].upper() + said[1:])
        legend.add(finals)
        return Chart(chart, legend, VGroup(chart, legend))

    # -- pieces --------------------------------------------------------------------------
    def _slope_curve(self, data: GradientsData, name: str, axes: Axes) -> list[PolylineGraph]:
        """f' on the grid as a polyline; ReLU's as two flat pieces (it jumps at the kink)."""
        c, z, s = colour(self.theme, name), data.z, data.slopes[name]
        if name != "relu":
            return [PolylineGraph(axes, z, s, c, width=4)]
        closed, open_ = z <= 0, z > 0
        return [
            PolylineGraph(axes, z[closed], s[closed], c, width=4),
            PolylineGraph(axes, z[open_], s[open_], c, width=4),
        ]

    def _slope_table(self, data: GradientsData) -> VGroup:
        th = self.theme
        head = [
            label(t, th, size=th.small_size, color=th.muted)
            for t in ("activation", "init", "mean slope f′")
        ]
        cells = [head]
        for n in SHOWN:
            cells.append(
                [
                    label(NAMES[n], th, size=th.body_size, color=colour(th, n)),
                    label(INIT[n], th, size=th.body_size),
                    label(f"{data.mean_slope(n):.2f}", th, size=th.body_size),
                ]
            )
        # rows at a fixed pitch, each cell's top-left on the grid (tops of capitals and
        # ascenders line up; descenders such as sigmoid's g hang below)
        for i, row in enumerate(cells):
            for j, cell in enumerate(row):
                cell.move_to([2.3 * j, -0.6 * i - (0.1 if i else 0.0), 0], aligned_edge=UL)
        table = VGroup(*(m for row in cells for m in row))
        return table

    def _legend_row(self, name: str, first: str, second: str) -> VGroup:
        th = self.theme
        row = VGroup(label(NAMES[name], th, size=th.body_size, color=colour(th, name)))
        for text in (first, second):
            if text:
                row.add(label(text, th, size=th.tiny_size, color=th.muted))
        return row.arrange(DOWN, aligned_edge=LEFT, buff=0.1)

    def _place(self, chart: LogChart, legend: VGroup) -> None:
        th = self.theme
        chart.move_to([-2.3, 0.0, 0]).to_edge(LEFT, buff=th.margin + 0.45)
        legend.next_to(chart, RIGHT, buff=0.7).align_to(chart.axes, UP)
        frame_layout(th).arrange(main=chart, side=legend)  # portrait: the legend under it

    @staticmethod
    def _upto(xs: np.ndarray, ys: np.ndarray, step: float):
        """The recorded curve up to ``step`` (at least its first segment)."""
        k = max(2, int(np.searchsorted(xs, step, side="right")))
        return xs[:k], ys[:k]
