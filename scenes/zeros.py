"""What ReLU's zeros do: pairs lose nothing, and a threshold drops noise on purpose.

The thread asks why each ReLU "discards half the input": it seems wasteful. Storyboard:
``relu(z)`` and its twin ``relu(-z)`` give back ``z`` exactly; a random layer on the plane
is coloured where its outputs alone give the input back (least squares on the open units,
from ``relu_anim.core.zeros``), and units are added to the same layer until almost all the
plane is recoverable. Then what *is* dropped: a signal plus noise through ``relu(x - t)``,
where sub-threshold noise becomes exact zeros (the share and the SNR before and after from
the core), and the zeros make the code short: the thread's "smart zip".

Render with stock Manim: ``manim -ql scenes/zeros.py WhatTheZerosDo``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import *

from relu_anim.core.regions import Region, first_layer_lines
from relu_anim.core.zeros import (
    BOX,
    Layer,
    NoiseGate,
    noise_gate,
    noisy_signal,
    pair_sum,
    random_layer,
    recover,
    recovery_map,
    recovery_regions,
)
from relu_anim.lecture import LectureScene, beat, param
from relu_anim.lecture.teaching import Teaching
from relu_anim.visuals.curves import PolylineGraph, function_axes
from relu_anim.visuals.regions import line_tags, switching_lines
from relu_anim.visuals.stage import frame_layout
from relu_anim.visuals.text import label

FIRST = 2  # units in the layer when the plane is first shown
PAIR_SPAN = 2.0  # the pair beat's z axis: [-PAIR_SPAN, PAIR_SPAN]
PAIR_SAMPLES = 401
# fills: recoverable in ``open``, lost in ``closed``; CIEDE2000 >= 14 between the two blends
# with normal vision, protanopia, deuteranopia and tritanopia, in both themes (the test)
OPEN_OPACITY, LOST_OPACITY = 0.7, 0.5
PLANE_SIDE = 5.2
PLANE_CENTER = np.array([-3.7, -0.15, 0.0])
PANEL_X = 0.6  # left edge of the right-hand column (plane beats)
OPEN_ARROW = 0.3  # length of the arrow to a unit's open side, in input units
ZIP_X = 2.7  # left edge of the right-hand column (noise beats)
COLUMN_TOP = 2.5  # the top of the right-hand column in landscape
CLOSING = "Spanning units lose nothing; a threshold drops what lies below it, on purpose."


@dataclass(frozen=True)
class Step:
    """The layer's first ``units`` units: its regions (recoverable or not) and the numbers."""

    units: int
    regions: tuple[tuple[Region, bool], ...]
    fraction: float  # share of the grid over the box where x comes back
    max_error: float  # largest |x_hat - x| there


@dataclass(frozen=True)
class Probe:
    """One input recovered from the layer's outputs alone, to show least squares at work."""

    x: np.ndarray  # (2,), the centroid of the largest recoverable region
    opened: int  # units open there
    x_hat: np.ndarray  # (2,), from the outputs by least squares on the open units


@dataclass(frozen=True)
class ZerosData:
    zs: np.ndarray  # the pair beat's z values
    pair_gap: float  # max |relu(z) - relu(-z) - z| over them
    layer: Layer
    steps: tuple[Step, ...]  # FIRST .. hidden units
    gate: NoiseGate
    probe: Probe

    @property
    def last(self) -> Step:
        return self.steps[-1]


@dataclass
class Plane:
    """The input square, its current regions, switching lines, tags and the number panel."""

    frame: Square
    regions: VGroup
    lines: VGroup
    tags: VGroup
    units: Text
    fraction: Text
    key: VGroup
    error: VGroup | None = None  # the probe and its numbers, once shown

    def to_scene(self, p) -> np.ndarray:
        return self.frame.get_center() + np.array([p[0], p[1], 0.0]) * self.frame.width / (2 * BOX)

    @property
    def everything(self) -> VGroup:
        parts = [self.frame, self.regions, self.lines, self.tags, self.units, self.fraction]
        return VGroup(*parts, self.key, *([self.error] if self.error else []))


@dataclass
class GatePlots:
    """The noise gate: input and output plots, the threshold line, the number panel."""

    top: Axes
    bottom: Axes
    noisy: PolylineGraph
    threshold: DashedLine
    output: PolylineGraph | None
    zeros: VGroup | None
    readouts: VGroup


class WhatTheZerosDo(LectureScene):
    title = "What the zeros do"
    order = 8
    teaching = Teaching(
        statement=(
            "relu(z) - relu(-z) = z, so a pair of units loses nothing. For a layer "
            "x -> relu(Wx + b), the input comes back from the outputs (least squares on "
            "the open units) wherever the rows of W of the open units span the input "
            "space. A unit with bias -t, relu(x - t), turns everything under t into exact "
            "zeros: a sparse code that drops sub-threshold noise on purpose."
        ),
        source=(
            "Puthawala, Kothari, Lassas, Dokmanić, de Hoop (2022), Globally injective ReLU "
            "networks, JMLR 23; Donoho (1995), De-noising by soft-thresholding, IEEE "
            "Transactions on Information Theory 41(3)."
        ),
        reading=(
            "Glorot, Bordes, Bengio (2011), Deep sparse rectifier neural networks, "
            "AISTATS (sparsity of ReLU codes).",
            "Nielsen, Neural Networks and Deep Learning (2015), chapter 4, for what a "
            "layer's units compute together.",
        ),
        exercises=(
            (
                "Why can recoverable_fraction only grow as units are added to the layer?",
                "Where the old open units span the plane, adding one open unit keeps them "
                "spanning it: the list never decreases.",
            ),
            (
                "From sparsity and kept, how many numbers did the gated signal have? By "
                "how much did the threshold raise the SNR?",
                "kept / (1 - sparsity) numbers (240 at the defaults); snr_out_db - "
                "snr_in_db decibels (about 4.6).",
            ),
        ),
        beat_numbers={
            "pair": ("pair_gap",),
            "grow": ("recoverable_fraction", "max_reconstruction_error"),
            "noise": ("threshold", "snr_in_db"),
            "gate": ("sparsity", "snr_out_db"),
            "smart-zip": ("kept",),
        },
    )
    summary = (
        "ReLU's zeros lose nothing when units come in pairs or span the input, and a "
        "threshold turns sub-threshold noise into exact zeros: keep the signal, drop the rest."
    )

    @dataclass(frozen=True)
    class Params:
        hidden: int = param(6, "units in the layer at the end of the plane beats", between=(3, 10))
        seed: int = param(1, "seed for the layer and the noise", between=(0, 2**31 - 1))
        noise: float = param(0.1, "noise standard deviation", between=(0.02, 0.3))
        threshold: float = param(0.3, "the gate's threshold (minus its bias)", between=(0.0, 0.9))

    @classmethod
    def compute(cls, p: Params) -> ZerosData:
        zs = np.linspace(-PAIR_SPAN, PAIR_SPAN, PAIR_SAMPLES)
        layer = random_layer(p.hidden, p.seed)
        steps = []
        for h in range(FIRST, p.hidden + 1):
            sub = layer.first(h)
            rec = recovery_map(sub)
            steps.append(Step(h, tuple(recovery_regions(sub)), rec.fraction, rec.max_error))
        _, s, x = noisy_signal(p.seed, p.noise)
        return ZerosData(
            zs=zs,
            pair_gap=float(np.max(np.abs(pair_sum(zs) - zs))),
            layer=layer,
            steps=tuple(steps),
            gate=noise_gate(s, x, p.threshold),
            probe=cls._probe(layer, steps[-1]),
        )

    @staticmethod
    def _probe(layer: Layer, step: Step) -> Probe:
        largest = max((r for r, ok in step.regions if ok), key=lambda r: r.area)
        h = layer(largest.centroid)
        x_hat, _ = recover(layer, h)
        return Probe(largest.centroid, int(np.count_nonzero(h)), x_hat[0])

    @classmethod
    def summarize(cls, data: ZerosData) -> dict:
        return {
            "pair_gap": data.pair_gap,
            "recoverable_fraction": [s.fraction for s in data.steps],
            "max_reconstruction_error": data.last.max_error,
            **data.gate.to_dict(),
            "kept": data.gate.kept,
        }

    # -- storyboard ----------------------------------------------------------------------
    def construct(self):
        data = self.data
        pair = self.pair(data)
        plane = self.plane(data, pair)
        self.grow(data, plane)
        plots = self.noise(data, plane)
        self.gate(data, plots)
        self.smart_zip(data, plots)
        self.end_card(CLOSING)

    # -- beats ---------------------------------------------------------------------------
    @beat("One ReLU keeps z > 0; its twin, weight −1, keeps the rest: relu(z) − relu(−z) = z.")
    def pair(self, data: ZerosData) -> VGroup:
        th = self.theme
        self.title_card()
        axes = function_axes(th, (-PAIR_SPAN, PAIR_SPAN), (-PAIR_SPAN, PAIR_SPAN), 5.2, 4.6)
        axes.move_to([-3.6, -0.2, 0])
        frame_layout(th).arrange(main=axes)  # portrait: the plot on top, the notes under it
        zs = data.zs
        h1 = PolylineGraph(axes, zs, np.maximum(zs, 0), th.positive, width=5)
        h2 = PolylineGraph(axes, zs, np.maximum(-zs, 0), th.negative, width=5)
        back = PolylineGraph(axes, zs, pair_sum(zs), th.hinge, width=5)
        s = th.small_size
        notes = [
            label("h₁ = relu(z)", th, size=s, color=th.positive),
            label("h₂ = relu(−z)", th, size=s, color=th.negative),
            label("h₁ − h₂ = z", th, size=s, color=th.hinge),
            label(
                f"largest |h₁ − h₂ − z| on {zs.size} values of z: {data.pair_gap:g}",
                th,
                size=th.tiny_size,
                color=th.accent_text,
            ),
        ]
        column = VGroup(*notes).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        column.move_to([PANEL_X, 0.3, 0], aligned_edge=LEFT)
        frame_layout(th).arrange(side=column)
        self.play(Create(axes), run_time=1.0)
        self.play(Create(h1), FadeIn(notes[0]), run_time=1.0)
        self.play(Create(h2), FadeIn(notes[1]), run_time=1.0)
        self.say("Their difference gives back every z.")
        self.play(Create(back), FadeIn(notes[2]), run_time=1.2)
        self.play(FadeIn(notes[3]), run_time=0.6)
        self.wait(1.0)
        return VGroup(axes, h1, h2, back, column)

    @beat(
        lambda s: (
            f"{FIRST} random units on the plane. Green: the open units span it, x comes "
            "back. Grey: lost."
        )
    )
    def plane(self, data: ZerosData, pair: VGroup) -> Plane:
        th = self.theme
        step = data.steps[0]
        frame = Square(side_length=PLANE_SIDE).move_to(PLANE_CENTER)
        frame_layout(th).arrange(main=frame)  # to_scene() follows the square
        frame.set_stroke(th.grid, width=2).set_fill(th.panel, opacity=1.0)
        plane = Plane(frame, VGroup(), VGroup(), VGroup(), *self._panel(step))
        plane.regions = self._regions(step, plane)
        plane.lines, plane.tags = self._lines(data.layer, step.units, plane)
        self.play(FadeOut(pair), run_time=0.6)
        self.play(FadeIn(frame), FadeIn(plane.regions), run_time=1.0)
        self.play(Create(plane.lines), FadeIn(plane.tags), run_time=1.0)
        self.play(FadeIn(plane.key), FadeIn(plane.units), FadeIn(plane.fraction), run_time=0.8)
        self.say(f"With {FIRST} units, x comes back on {step.fraction:.1%} of the square.")
        self.wait(1.0)
        return plane

    @beat("Add units to the same layer: open units only add up, so the green share only grows.")
    def grow(self, data: ZerosData, plane: Plane) -> Plane:
        for step in data.steps[1:]:
            regions = self._regions(step, plane)
            lines, tags = self._lines(data.layer, step.units, plane)
            units, fraction = self._numbers(step)
            self.play(
                FadeOut(plane.regions),
                FadeIn(regions),
                FadeOut(plane.lines),
                FadeOut(plane.tags),
                FadeIn(lines),
                FadeIn(tags),
                FadeTransform(plane.units, units),
                FadeTransform(plane.fraction, fraction),
                run_time=1.0,
            )
            self.wait(0.5)
            plane.regions, plane.lines, plane.tags = regions, lines, tags
            plane.units, plane.fraction = units, fraction
        probe, shown = self._probe_marks(data, plane)
        self.say(
            f"With {data.last.units} units, x comes back on {data.last.fraction:.1%} of the "
            f"square, to within {data.last.max_error:.0e}."
        )
        self.play(FadeIn(probe[0]), FadeIn(shown[0]), run_time=0.8)
        self.play(Create(probe[1]), FadeIn(shown[1]), run_time=0.8)
        self.play(FadeIn(shown[2]), run_time=0.6)
        plane.error = VGroup(probe, shown)
        return plane

    @beat(
        lambda s: (
            f"Now a dropped part: signal plus noise, SNR {s.data.gate.snr_in_db:.1f} dB, "
            f"into relu(x − {s.data.gate.threshold:g})."
        )
    )
    def noise(self, data: ZerosData, plane: Plane) -> GatePlots:
        th, g = self.theme, data.gate
        lo = min(-0.4, float(np.min(g.noisy)) - 0.05)
        hi = max(1.1, float(np.max(g.noisy)) + 0.05)
        top = function_axes(th, (0, 1), (lo, hi), 6.6, 2.0, numbers=False).move_to([-3.1, 1.4, 0])
        bottom = function_axes(th, (0, 1), (lo, hi), 6.6, 2.0, numbers=False)
        bottom.move_to([-3.1, -1.6, 0])
        s = th.small_size
        names = VGroup(
            label("input x = signal + noise", th, size=s, color=th.target).next_to(
                top, UP, buff=0.12, aligned_edge=LEFT
            ),
            label(
                f"threshold {g.threshold:g}", th, size=th.tiny_size, color=th.accent_text
            ).next_to(top.c2p(1, g.threshold), RIGHT, buff=0.1),
            label(f"output relu(x − {g.threshold:g})", th, size=s, color=th.approx).next_to(
                bottom, UP, buff=0.12, aligned_edge=LEFT
            ),
        )
        frame_layout(th).arrange(main=VGroup(top, bottom, names))  # before drawing on them
        noisy = PolylineGraph(top, g.t, g.noisy, th.target, width=2.5)
        threshold = DashedLine(top.c2p(0, g.threshold), top.c2p(1, g.threshold), dash_length=0.1)
        threshold.set_stroke(th.accent, width=3)
        snr_in = label(f"SNR in: {g.snr_in_db:.1f} dB", th, size=s, color=th.target)
        readouts = VGroup(snr_in).move_to([ZIP_X, 1.8, 0], aligned_edge=LEFT)
        readouts.shift(self._column_shift(ZIP_X))
        self.play(FadeOut(plane.everything), run_time=0.8)
        self.play(Create(top), Create(bottom), FadeIn(names[0]), FadeIn(names[2]), run_time=1.0)
        self.play(Create(noisy), FadeIn(snr_in), run_time=1.5)
        self.play(Create(threshold), FadeIn(names[1]), run_time=0.8)
        self.wait(1.0)
        return GatePlots(top, bottom, noisy, threshold, None, None, VGroup(readouts, names))

    @beat(
        lambda s: (
            f"Noise under the threshold becomes exact zeros: {s.data.gate.sparsity:.0%} of "
            f"outputs. SNR {s.data.gate.snr_in_db:.1f} → {s.data.gate.snr_out_db:.1f} dB."
        )
    )
    def gate(self, data: ZerosData, plots: GatePlots) -> GatePlots:
        th, g = self.theme, data.gate
        out = PolylineGraph(plots.bottom, g.t, g.output, th.approx, width=3)
        at_zero = g.output == 0.0
        zeros = VGroup(
            *(Dot(plots.bottom.c2p(t, 0.0), radius=0.028, color=th.closed) for t in g.t[at_zero])
        )
        s = th.small_size
        more = VGroup(
            label(f"zeros: {g.zeros} of {g.output.size} ({g.sparsity:.0%})", th, size=s),
            label(f"SNR out: {g.snr_out_db:.1f} dB", th, size=s, color=th.approx),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        more.next_to(plots.readouts[0], DOWN, buff=0.3, aligned_edge=LEFT)
        self.play(Create(out), run_time=1.5)
        self.play(FadeIn(zeros), FadeIn(more[0]), run_time=0.8)
        self.play(FadeIn(more[1]), run_time=0.6)
        self.say("Output noise: the output minus the gated clean signal.")
        self.wait(1.0)
        plots.output, plots.zeros = out, zeros
        plots.readouts[0].add(*more)
        return plots

    @beat(
        lambda s: (
            "A smart zip: keep what matters, drop the rest: "
            f"{s.data.gate.kept} of {s.data.gate.output.size} numbers are not zero."
        )
    )
    def smart_zip(self, data: ZerosData, plots: GatePlots) -> VGroup:
        th, g = self.theme, data.gate
        width, height = 6.76 - ZIP_X, 0.32
        left = np.array([ZIP_X, -1.2, 0.0]) + self._column_shift(ZIP_X)
        cell = width / g.output.size
        cells = VGroup(
            *(
                Rectangle(width=cell, height=height)
                .set_stroke(width=0)
                .set_fill(th.approx if v > 0 else th.closed, opacity=1.0 if v > 0 else 0.35)
                .move_to(left + RIGHT * (i + 0.5) * cell)
                for i, v in enumerate(g.output)
            )
        )
        kept = [c for c, v in zip(cells, g.output, strict=True) if v > 0]
        dropped = [c for c, v in zip(cells, g.output, strict=True) if v == 0]
        all_label = label(
            f"all {g.output.size} outputs", th, size=th.tiny_size, color=th.muted
        ).next_to(cells, UP, buff=0.12, aligned_edge=LEFT)
        self.play(FadeIn(cells), FadeIn(all_label), run_time=0.8)
        packed = [
            c.copy().move_to(left + DOWN * 0.9 + RIGHT * (i + 0.5) * cell)
            for i, c in enumerate(kept)
        ]
        code_label = label(
            f"code: {g.kept} pairs (t, y)",
            th,
            size=th.tiny_size,
            color=th.approx,
        ).next_to(left + DOWN * 0.9 + DOWN * height / 2, DOWN, buff=0.12, aligned_edge=LEFT)
        self.play(
            *(TransformFromCopy(c, p) for c, p in zip(kept, packed, strict=True)),
            *(c.animate.set_fill(opacity=0.12) for c in dropped),
            run_time=1.5,
        )
        self.play(FadeIn(code_label), run_time=0.6)
        self.say("The zeros make the code short.")
        self.wait(1.0)
        return VGroup(cells, all_label, VGroup(*packed), code_label)

    # -- pieces --------------------------------------------------------------------------
    def _probe_marks(self, data: ZerosData, plane: Plane) -> tuple[VGroup, VGroup]:
        """The probe's input (a dot), its recovery (a ring on it), and the numbers."""
        th, pr = self.theme, data.probe
        dot = Dot(plane.to_scene(pr.x), radius=0.07, color=th.accent)
        dot.set_stroke(th.background, width=2, background=True)  # a halo: clear on any fill
        circle = Circle(radius=0.16).move_to(plane.to_scene(pr.x_hat))
        ring = VGroup(circle.copy().set_stroke(th.background, 7), circle.set_stroke(th.accent, 4))

        def point(v) -> str:
            return f"({v[0]:.2f}, {v[1]:.2f})".replace("-", "−")

        s = th.tiny_size
        shown = VGroup(
            label(f"x = {point(pr.x)}: {pr.opened} of {data.last.units} units open", th, size=s),
            label(f"least squares on them: x̂ = {point(pr.x_hat)}", th, size=s),
            label(
                f"largest |x̂ − x| in green: {data.last.max_error:.0e}",
                th,
                size=s,
                color=th.accent_text,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.16)
        shown.next_to(plane.key, DOWN, buff=0.4, aligned_edge=LEFT)
        return VGroup(dot, ring), shown

    def _regions(self, step: Step, plane: Plane) -> VGroup:
        """The step's linear regions: ``open`` where x comes back, ``closed`` where lost."""
        th = self.theme
        group = VGroup()
        for region, ok in step.regions:
            poly = Polygon(*[plane.to_scene(p) for p in region.polygon])
            poly.set_fill(th.open if ok else th.closed, OPEN_OPACITY if ok else LOST_OPACITY)
            poly.set_stroke(width=0)
            poly.recoverable = ok
            poly.region = region
            group.add(poly)
        return group

    def _lines(self, layer: Layer, units: int, plane: Plane) -> tuple[VGroup, VGroup]:
        """Each unit's line w.x + b = 0, its tag, and an arrow to the side where it is open."""
        clipped = first_layer_lines(layer.first(units).as_net(), BOX)
        lines = switching_lines(clipped, plane.to_scene, self.theme)
        arrows = VGroup()
        for (unit, p0, p1), line in zip(clipped, lines, strict=True):
            mid = (p0 + p1) / 2
            w = layer.W[unit] / np.linalg.norm(layer.W[unit])
            arrow = Arrow(
                plane.to_scene(mid),
                plane.to_scene(mid + OPEN_ARROW * w),
                buff=0,
                stroke_width=3,
                max_tip_length_to_length_ratio=0.35,
            )
            arrows.add(arrow.set_color(line.get_stroke_color()))
        return lines, VGroup(line_tags(lines, plane.frame, self.theme), arrows)

    def _numbers(self, step: Step) -> tuple[Text, Text]:
        th = self.theme
        units = label(f"units in the layer: {step.units}", th, size=th.small_size)
        fraction = label(
            f"x recoverable on {step.fraction:.1%}", th, size=th.body_size, color=th.open
        )
        units.move_to([PANEL_X, 2.3, 0], aligned_edge=LEFT).shift(self._column_shift(PANEL_X))
        fraction.next_to(units, DOWN, buff=0.3, aligned_edge=LEFT)
        return units, fraction

    def _column_shift(self, left: float) -> np.ndarray:
        """Zero in landscape; in portrait, what carries a right column (its left edge at x =
        ``left``) under the plot."""
        return frame_layout(self.theme).side_shift(COLUMN_TOP, left)

    def _panel(self, step: Step) -> tuple[Text, Text, VGroup]:
        th = self.theme
        units, fraction = self._numbers(step)
        s = th.tiny_size

        def swatch(colour: str, opacity: float) -> Square:
            return Square(0.32).set_stroke(width=0).set_fill(colour, opacity)

        rows = [
            (swatch(th.open, OPEN_OPACITY), "x comes back: the open units span the plane"),
            (swatch(th.closed, LOST_OPACITY), "x is lost: fewer than 2 directions open"),
            (
                Arrow(LEFT * 0.16, RIGHT * 0.16, buff=0, stroke_width=3).set_color(th.text),
                "the side where a unit is open",
            ),
        ]
        key = VGroup(
            *(
                VGroup(sw, label(text, th, size=s, color=th.muted)).arrange(RIGHT, buff=0.15)
                for sw, text in rows
            )
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        key.next_to(fraction, DOWN, buff=0.5, aligned_edge=LEFT)
        return units, fraction, key
