"""Why a network needs a nonlinearity: stacked affine layers collapse into one matrix.

Storyboard: a grid (with an "F" for orientation) goes through layer 1, 2, 3; the single
product ``W = W3 W2 W1`` and bias ``b`` from the core send it to the same place in one move;
with ReLU between the layers the plane folds instead, and the core's witness pair shows a
midpoint that no affine map could produce.

Render with stock Manim: ``manim -ql scenes/collapse.py LinearCollapse``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from manim import (
    DOWN,
    LEFT,
    UP,
    Circle,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    Line,
    VGroup,
    Write,
    config,
)

from relu_anim.core.collapse import BOX, compose, random_layers, relu_witness, stages
from relu_anim.scene import LectureScene
from relu_anim.visuals.layout import title_bar
from relu_anim.visuals.matrix import Connector, MatrixPanel, NotePanel, fmt, stack, vec
from relu_anim.visuals.plane import (
    MappedLines,
    MappedPoints,
    PlaneView,
    bounds_of,
    densify,
    grid_lines,
    insert_crossings,
    pack,
    place_tags,
    unpack,
)
from relu_anim.visuals.text import label

MIN_LAYERS, MAX_LAYERS = 2, 4
GRID_LINES = 7  # lines per direction across [-BOX, BOX]
GRID_SAMPLES = 13  # vertices per grid line before the exact fold points are added
F_SHAPE = ([[1.7, 2.5], [0.5, 2.5], [0.5, 0.5]], [[0.5, 1.5], [1.3, 1.5]])
F_OFFSETS = [np.array(o) for o in [(0, 0), (-2.2, 0), (0, -3.0), (-2.2, -3.0), (-1.1, -1.5)]]
NUMBER_WORDS = {2: "Two", 3: "Three", 4: "Four"}
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _sub(name: str, i: int) -> str:
    return f"{name}{str(i).translate(SUB)}"


@dataclass(frozen=True)
class CollapseParams:
    layers: int = field(default=3, metadata={"help": "number of affine layers (2-4)"})
    seed: int = field(default=11, metadata={"help": "seed for the layers' random nice numbers"})

    def validate(self) -> None:
        if not MIN_LAYERS <= self.layers <= MAX_LAYERS:
            raise ValueError(
                f"layers must be between {MIN_LAYERS} and {MAX_LAYERS}, got {self.layers}"
            )
        if self.seed < 0:
            raise ValueError(f"seed must be >= 0, got {self.seed}")


class LinearCollapse(LectureScene):
    title = "Why a nonlinearity?"
    order = 2  # lecture order: after HingeStacking
    summary = (
        "Stacked affine layers multiply out to a single matrix and bias; ReLU between them "
        "folds the plane, which no single matrix can do."
    )
    Params = CollapseParams

    # -- the core, once ------------------------------------------------------------------
    def setup(self) -> None:
        super().setup()
        k, seed = self.params.layers, self.params.seed
        self.layers = random_layers(k, seed)
        self.product = compose(self.layers)
        self.witness = relu_witness(self.layers)
        w = self.witness

        vertical, horizontal = grid_lines(BOX, GRID_LINES, GRID_SAMPLES)
        f_shape = [densify(np.array(c) + self._f_offset(), 4) for c in F_SHAPE]
        segment = [densify(np.array([w.p, w.midpoint, w.q]), 6)]
        raw = vertical + horizontal + f_shape + segment
        self.line_kinds = ["v"] * len(vertical) + ["h"] * len(horizontal) + ["F", "F", "pq"]
        lines = [self._with_folds(line) for line in raw]
        stacked, splits = pack(lines)
        self.input_lines = lines
        self.plain_stages = [(n, unpack(p, splits)) for n, p in stages(self.layers, stacked, False)]
        self.relu_stages = [(n, unpack(p, splits)) for n, p in stages(self.layers, stacked, True)]
        self.product_lines = unpack(self.product.apply(stacked), splits)
        dots = np.array([w.p, w.q, w.midpoint])
        self.dot_stages = [p for _, p in stages(self.layers, dots, True)]

        self.numbers = {
            "layers": k,
            "product_W": self.product.W.tolist(),
            "product_b": self.product.b.tolist(),
            "witness_gap": w.gap,
        }

    def _f_offset(self) -> np.ndarray:
        """Where the "F" sits: the spot whose folded images stay longest (most visible)."""

        def shortest_image(offset) -> float:
            strokes = [densify(np.array(c) + offset, 8) for c in F_SHAPE]
            per_stroke = [stages(self.layers, pts, True) for pts in strokes]
            return min(
                sum(np.linalg.norm(np.diff(st[i][1], axis=0), axis=1).sum() for st in per_stroke)
                for i, (name, _) in enumerate(per_stroke[0])
                if name == "relu"
            )

        return max(F_OFFSETS, key=shortest_image)

    def _with_folds(self, line: np.ndarray) -> np.ndarray:
        """The polyline with every point where a ReLU folds it added as a vertex."""
        names = [n for n, _ in stages(self.layers, line, True)]
        for i, name in enumerate(names):
            if name == "relu":
                line = insert_crossings(line, stages(self.layers, line, True)[i - 1][1])
        return line

    # -- storyboard ----------------------------------------------------------------------
    def construct(self) -> None:
        self.build_layout()
        self.three_layers()
        self.one_matrix()
        self.relu_folds()
        self.midpoint_witness()
        self.takeaway()

    def build_layout(self) -> None:
        th = self.theme
        self.pace = min(1.0, 3 / len(self.layers))  # deeper stacks move a little faster
        half_w, half_h = config.frame_width / 2, config.frame_height / 2
        self.title_mob = title_bar(self.title, th)
        every = [p for _, ls in self.plain_stages + self.relu_stages for p in ls]
        w = self.witness
        bounds = bounds_of([*every, (w.f_p + w.f_q) / 2], pad=0.3)
        self.column_left = 1.1
        region = (
            -half_w + th.margin,
            self.column_left - 0.35,
            -half_h + th.margin,
            self.title_mob.get_bottom()[1] - 0.25,
        )
        self.view = PlaneView(bounds, region, th)
        colors = {"v": th.region_colors[0], "h": th.region_colors[2], "F": th.approx}
        n_grid = self.line_kinds.index("F")
        self.grid = MappedLines(
            self.view,
            self.input_lines[:n_grid],
            [colors[c] for c in self.line_kinds[:n_grid]],
            stroke_width=2.5,
        )
        self.f_shape = MappedLines(
            self.view, self.input_lines[n_grid : n_grid + 2], [th.approx] * 2, stroke_width=6
        )
        self.column_centre = (self.column_left + half_w - th.margin) / 2
        self.column_height = config.frame_height - 2 * th.margin

    def _column(self, mob):
        """Place ``mob`` in the right-hand column, centred vertically."""
        return mob.move_to([self.column_centre, 0, 0])

    def _layer_stack(self, relu: bool) -> tuple[list[MatrixPanel], list[Connector]]:
        """The layers' panels stacked in the right column, joined by arrows (or ReLU)."""
        th = self.theme
        if not hasattr(self, "_panel_masters"):  # typesetting is slow: build once, copy after
            self._panel_masters = [
                MatrixPanel(
                    layer.W,
                    layer.b,
                    th,
                    places=1,
                    w_tex=f"W_{i + 1}",
                    b_tex=f"b_{i + 1}",
                    w_plain=_sub("W", i + 1),
                    b_plain=_sub("b", i + 1),
                    header=f"layer {i + 1}:  x \u21a6 {_sub('W', i + 1)}x + {_sub('b', i + 1)}",
                )
                for i, layer in enumerate(self.layers)
            ]
        panels = [panel.copy() for panel in self._panel_masters]
        links = [Connector(th, "ReLU" if relu else None) for _ in panels[1:]]
        items = [panels[0]]
        for link, panel in zip(links, panels[1:], strict=True):
            items += [link, panel]
        self._column(stack(items, self.column_height))
        return panels, links

    def _set_all(self, index: int, stage_list) -> list:
        """Morphs of the grid and the F to ``stage_list[index]``."""
        lines = stage_list[index][1]
        n = len(self.grid)
        return [self.grid.morph(lines[:n]), self.f_shape.morph(lines[n : n + 2])]

    # -- beats ---------------------------------------------------------------------------
    def three_layers(self) -> None:
        k = len(self.layers)
        self.beat(
            "three-layers",
            f"Each of the {k} layers is an affine map x \u21a6 Wx + b: "
            "it turns, stretches and shifts the grid.",
        )
        self.play(Write(self.title_mob), FadeIn(self.view), run_time=1.0)
        self.play(Create(self.grid), Create(self.f_shape), run_time=1.5)
        self.layer_panels, self.layer_links = self._layer_stack(relu=False)
        for i, panel in enumerate(self.layer_panels):
            intro = [FadeIn(panel, shift=0.2 * DOWN)]
            if i > 0:
                intro += [
                    FadeIn(self.layer_links[i - 1]),
                    self.layer_panels[i - 1].highlight(False),
                ]
            self.play(*intro, run_time=0.7)
            self.play(panel.highlight(True), run_time=0.3)
            self.play(*self._set_all(i + 1, self.plain_stages), run_time=2.0 * self.pace)
            self.wait(0.3)
        self.play(self.layer_panels[-1].highlight(False), run_time=0.3)
        self.say("Lines stay straight, parallel and evenly spaced after every layer.")
        self.wait(2.5)
        self.grid_after_layers_points = self.grid.read_plane_points()
        self.f_after_layers_points = self.f_shape.read_plane_points()

    def one_matrix(self) -> None:
        th, k = self.theme, len(self.layers)
        names = [_sub("W", i) for i in range(k, 0, -1)]
        self.beat(
            "one-matrix",
            f"Multiply them out: the single matrix W = {''.join(names)} and one bias b "
            "land the grid in the same place in one move.",
        )
        self.ghost = self.grid.copy().set_stroke(th.muted, width=7, opacity=0.45)
        self.play(FadeIn(self.ghost), run_time=0.6)
        self.bring_to_front(self.grid, self.f_shape)
        self.play(
            *[FadeOut(m) for m in [*self.layer_panels, *self.layer_links]],
            *self._set_all(0, self.plain_stages),
            run_time=1.5,
        )
        b_terms = [
            "".join(_sub("W", j) for j in range(k, i, -1)) + _sub("b", i) for i in range(1, k + 1)
        ]
        self.product_panel = MatrixPanel(
            self.product.W,
            self.product.b,
            th,
            places=k,
            stacked=True,
            header=f"W = {''.join(names)}\nb = {' + '.join(b_terms)}",
        )
        self.verdict = label(
            f"{NUMBER_WORDS[k]} layers, one matrix.", th, size=th.body_size, color=th.accent
        )
        self._column(VGroup(self.product_panel, self.verdict).arrange(DOWN, buff=0.5))
        self.play(FadeIn(self.product_panel, shift=0.2 * DOWN), run_time=1.0)
        self.play(self.product_panel.highlight(True), run_time=0.3)
        n = len(self.grid)
        self.play(
            self.grid.morph(self.product_lines[:n]),
            self.f_shape.morph(self.product_lines[n : n + 2]),
            run_time=2.5,
        )
        self.grid_after_product_points = self.grid.read_plane_points()
        self.f_after_product_points = self.f_shape.read_plane_points()
        self.play(Write(self.verdict), self.product_panel.highlight(False), run_time=1.0)
        self.say("Without a nonlinearity, depth adds nothing: the stack is one affine map.")
        self.wait(2.5)

    def relu_folds(self) -> None:
        th = self.theme
        self.beat(
            "relu-folds",
            "Put ReLU between the layers: negative coordinates are clamped to zero, "
            "so the plane folds onto the axes.",
        )
        self.play(
            FadeOut(self.ghost),
            FadeOut(self.product_panel),
            FadeOut(self.verdict),
            *self._set_all(0, self.relu_stages),
            run_time=1.5,
        )
        self.relu_panels, self.relu_links = self._layer_stack(relu=True)
        self.segment = MappedLines(
            self.view, [self.relu_stages[0][1][-1]], [th.accent], stroke_width=4
        )
        self.dots = MappedPoints(
            self.view, self.dot_stages[0], [th.accent, th.accent, th.text], radius=0.09
        )
        tags = [label(t, th, size=th.small_size, color=th.text) for t in ("p", "q", "m")]
        place_tags(self.view, self.dot_stages[0], tags)
        self.play(
            *[FadeIn(m) for m in [*self.relu_panels, *self.relu_links]],
            Create(self.segment),
            FadeIn(self.dots),
            *[FadeIn(t) for t in tags],
            run_time=1.2,
        )
        self.wait(1.0)
        self.say("Follow the straight segment from p to q and its midpoint m.")
        self.wait(1.5)
        self.play(*[FadeOut(t) for t in tags], run_time=0.4)
        lit = None
        for s in range(1, len(self.relu_stages)):
            name = self.relu_stages[s][0]
            step = sum(1 for n, _ in self.relu_stages[1 : s + 1] if n != "relu")
            box = self.relu_links[step - 1] if name == "relu" else self.relu_panels[step - 1]
            self.play(*([lit.highlight(False)] if lit else []), box.highlight(True), run_time=0.3)
            lit = box
            self.play(
                *self._set_all(s, self.relu_stages),
                self.segment.morph([self.relu_stages[s][1][-1]]),
                self.dots.morph(self.dot_stages[s]),
                run_time=1.5 * self.pace,
            )
        self.play(lit.highlight(False), run_time=0.3)
        self.say("The result is not a grid any more: straight lines come out bent.")
        self.wait(2.5)

    def midpoint_witness(self) -> None:
        th, w = self.theme, self.witness
        self.beat(
            "witness",
            "An affine map always sends midpoints to midpoints; the folded map does not.",
        )
        mid_img = (w.f_p + w.f_q) / 2
        a, b = self.view.c2p(np.array([w.f_p, w.f_q]))
        chord = DashedLine(a, b, color=th.text, stroke_width=2.5, dash_length=0.1)
        c, m = self.view.c2p(np.array([mid_img, w.f_mid]))
        ring = Circle(radius=0.11, color=th.text, stroke_width=3).move_to(c)
        gap_line = Line(c, m, color=th.error, stroke_width=5)
        tags = [
            label(t, th, size=th.tiny_size, color=col)
            for t, col in (
                ("f(p)", th.text),
                ("f(q)", th.text),
                ("f(m)", th.text),
                ("\u00bd(f(p) + f(q))", th.muted),
            )
        ]
        for t in tags:
            t.add_background_rectangle(color=th.background, opacity=0.8, buff=0.04)
        t = np.linspace(0, 1, 9)[:, None]
        segments = np.vstack([mid_img + t * (w.f_mid - mid_img), w.f_p + t * (w.f_q - w.f_p)])
        place_tags(self.view, np.array([w.f_p, w.f_q, w.f_mid, mid_img]), tags, avoid=segments)
        self.note = NotePanel(
            [
                (f"p = {vec(w.p, 1)},   q = {vec(w.q, 1)}", None),
                (f"midpoint m = {vec(w.midpoint, 2)}", None),
                (f"f(m) = {vec(w.f_mid, 2)}", None),
                (f"\u00bd(f(p) + f(q)) = {vec(mid_img, 2)}", th.muted),
                (f"gap = {fmt(w.gap, 3)}", th.error),
                ("A single matrix and bias would", th.accent),
                ("give gap = 0: affine maps keep", th.accent),
                ("midpoints.", th.accent),
            ],
            th,
            max_width=config.frame_width / 2 - th.margin - self.column_left,
        )
        self._column(self.note)
        self.play(
            *[FadeOut(m) for m in [*self.relu_panels, *self.relu_links]],
            self.grid.animate.set_stroke(opacity=0.35),
            self.f_shape.animate.set_stroke(opacity=0.35),
            run_time=0.8,
        )
        self.play(Create(chord), FadeIn(ring), FadeIn(tags[0]), FadeIn(tags[1]), run_time=1.0)
        self.play(FadeIn(tags[3]), FadeIn(tags[2]), Create(gap_line), run_time=1.0)
        self.play(FadeIn(self.note, shift=0.2 * LEFT), run_time=1.2)
        self.witness_marks = VGroup(chord, ring, gap_line, *tags)
        self.wait(3.5)

    def takeaway(self) -> None:
        th = self.theme
        self.beat(
            "takeaway",
            "Without a nonlinearity any depth collapses to one matrix; "
            "ReLU's folds are what extra layers build on.",
        )
        closing = label(
            "No nonlinearity:\nany depth is one matrix.\n\nReLU folds the plane,\nand folds are what\n"
            "depth builds on.",
            th,
            size=th.body_size,
            color=th.accent,
            line_spacing=0.9,
        )
        self._column(closing)
        self.play(FadeOut(self.note), run_time=0.6)
        self.play(FadeIn(closing, shift=0.2 * UP), run_time=1.0)
        self.wait(2.5)
