"""Why a network needs a nonlinearity: stacked affine layers collapse into one matrix.

Storyboard: a grid (with an "F" for orientation) goes through layer 1, 2, 3; the single
product ``W = W3 W2 W1`` and bias ``b`` from the core send it to the same place in one move;
with ReLU between the layers every negative coordinate is clamped to zero, and the core's
witness pair shows a midpoint that no affine map could produce.

Render with stock Manim: ``manim -ql scenes/collapse.py LinearCollapse``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    Circle,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    Line,
    Mobject,
    VGroup,
    Write,
    config,
)

from relu_anim.core.collapse import (
    BOX,
    AffineLayer,
    Witness,
    compose,
    random_layers,
    relu_witness,
    stages,
)
from relu_anim.lecture import LectureScene, beat, param
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
    zoom_bounds,
)
from relu_anim.visuals.text import label

MIN_LAYERS, MAX_LAYERS = 2, 4
GRID_LINES = 7  # lines per direction across [-BOX, BOX]
GRID_SAMPLES = 13  # vertices per grid line before the exact fold points are added
F_SHAPE = ([[1.7, 2.5], [0.5, 2.5], [0.5, 0.5]], [[0.5, 1.5], [1.3, 1.5]])
F_OFFSETS = [np.array(o) for o in [(0, 0), (-2.2, 0), (0, -3.0), (-2.2, -3.0), (-1.1, -1.5)]]
NUMBER_WORDS = {2: "Two", 3: "Three", 4: "Four"}
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
COLUMN_LEFT = 1.1  # the plane on the left, panels and notes in the column right of this


def _sub(name: str, i: int) -> str:
    return f"{name}{str(i).translate(SUB)}"


def _f_offset(layers) -> np.ndarray:
    """Where the "F" sits: the spot whose folded images stay longest (most visible)."""

    def shortest_image(offset) -> float:
        strokes = [densify(np.array(c) + offset, 8) for c in F_SHAPE]
        per_stroke = [stages(layers, pts, True) for pts in strokes]
        return min(
            sum(np.linalg.norm(np.diff(st[i][1], axis=0), axis=1).sum() for st in per_stroke)
            for i, (name, _) in enumerate(per_stroke[0])
            if name == "relu"
        )

    return max(F_OFFSETS, key=shortest_image)


def _with_folds(layers, line: np.ndarray) -> np.ndarray:
    """The polyline with every point where a ReLU clamps it added as a vertex."""
    names = [n for n, _ in stages(layers, line, True)]
    for i, name in enumerate(names):
        if name == "relu":
            line = insert_crossings(line, stages(layers, line, True)[i - 1][1])
    return line


CLOSING = (
    "Without a nonlinearity, any number of layers is one affine map. "
    "With ReLU between them, midpoints no longer map to midpoints."
)


@dataclass(frozen=True)
class CollapseData:
    """The layers, their product, the witness, and every stage of every drawn line."""

    layers: list[AffineLayer]
    product: AffineLayer
    witness: Witness
    line_kinds: list[str]  # "v", "h" (grid), "F" (the letter), "pq" (the witness segment)
    input_lines: list[np.ndarray]
    plain_stages: list  # [(stage name, lines)] through the affine layers
    relu_stages: list  # the same with ReLU between the layers
    product_lines: list[np.ndarray]  # the lines under the single product map
    dot_stages: list[np.ndarray]  # p, q, m through the ReLU stack


@dataclass
class Plane:
    """The view of the plane, the grid and the F: on screen through every beat."""

    view: PlaneView
    grid: MappedLines
    f_shape: MappedLines
    column: VGroup  # what the right-hand column shows now; the next beat clears it


class LinearCollapse(LectureScene):
    title = "Why a nonlinearity?"
    order = 2  # lecture order: after HingeStacking
    summary = (
        "Stacked affine layers multiply out to a single matrix and bias; ReLU between them "
        "clamps negative coordinates to zero, which no single matrix and bias can do."
    )

    @dataclass(frozen=True)
    class Params:
        layers: int = param(3, "number of affine layers", between=(MIN_LAYERS, MAX_LAYERS))
        seed: int = param(11, "seed for the layers' random nice numbers", between=(0, 2**31 - 1))

    @classmethod
    def compute(cls, p: Params) -> CollapseData:
        layers = random_layers(p.layers, p.seed)
        w = relu_witness(layers)
        vertical, horizontal = grid_lines(BOX, GRID_LINES, GRID_SAMPLES)
        f_shape = [densify(np.array(c) + _f_offset(layers), 4) for c in F_SHAPE]
        segment = [densify(np.array([w.p, w.midpoint, w.q]), 6)]
        kinds = ["v"] * len(vertical) + ["h"] * len(horizontal) + ["F", "F", "pq"]
        lines = [_with_folds(layers, line) for line in vertical + horizontal + f_shape + segment]
        stacked, splits = pack(lines)
        product = compose(layers)
        return CollapseData(
            layers=layers,
            product=product,
            witness=w,
            line_kinds=kinds,
            input_lines=lines,
            plain_stages=[(n, unpack(q, splits)) for n, q in stages(layers, stacked, False)],
            relu_stages=[(n, unpack(q, splits)) for n, q in stages(layers, stacked, True)],
            product_lines=unpack(product.apply(stacked), splits),
            dot_stages=[q for _, q in stages(layers, np.array([w.p, w.q, w.midpoint]), True)],
        )

    @classmethod
    def summarize(cls, data: CollapseData) -> dict:
        return {
            "layers": len(data.layers),
            "product_W": data.product.W.tolist(),
            "product_b": data.product.b.tolist(),
            "witness_gap": data.witness.gap,
        }

    # -- storyboard ----------------------------------------------------------------------
    def construct(self) -> None:
        data = self.data
        plane = self.three_layers(data)
        self.one_matrix(data, plane)
        folded = self.relu_clamps(data, plane)
        self.witness(data, plane, folded)
        self.end_card(CLOSING, clear=(folded,))

    # -- beats ---------------------------------------------------------------------------
    @beat(
        lambda s: (
            f"Each of the {len(s.data.layers)} layers is an affine map x \u21a6 Wx + b: "
            "it turns, stretches and shifts the grid."
        )
    )
    def three_layers(self, data: CollapseData) -> Plane:
        plane = self._plane(data)
        self.play(Write(self.title_card()), FadeIn(plane.view), run_time=1.0)
        self.play(Create(plane.grid), Create(plane.f_shape), run_time=1.5)
        panels, links = self._layer_stack(data, relu=False)
        pace = self._pace(data)
        for i, panel in enumerate(panels):
            intro = [FadeIn(panel, shift=0.2 * DOWN)]
            if i > 0:
                intro += [FadeIn(links[i - 1]), panels[i - 1].highlight(False)]
            self.play(*intro, run_time=0.7)
            self.play(panel.highlight(True), run_time=0.3)
            self.play(*self._set_all(plane, data.plain_stages[i + 1][1]), run_time=2.0 * pace)
            self.wait(0.3)
        self.play(panels[-1].highlight(False), run_time=0.3)
        self.say("Lines stay straight, parallel and evenly spaced after every layer.")
        self.wait(2.5)
        plane.column = VGroup(*panels, *links)
        return plane

    @beat(
        lambda s: (
            "Multiply them out: the single matrix W = "
            + "".join(_sub("W", i) for i in range(len(s.data.layers), 0, -1))
            + " and one bias b land the grid in the same place in one move."
        )
    )
    def one_matrix(self, data: CollapseData, plane: Plane) -> None:
        th, k = self.theme, len(data.layers)
        names = [_sub("W", i) for i in range(k, 0, -1)]
        ghost = plane.grid.copy().set_stroke(th.muted, width=7, opacity=0.45)
        self.play(FadeIn(ghost), run_time=0.6)
        self.bring_to_front(plane.grid, plane.f_shape)
        self.play(
            FadeOut(plane.column), *self._set_all(plane, data.plain_stages[0][1]), run_time=1.5
        )
        b_terms = [
            "".join(_sub("W", j) for j in range(k, i, -1)) + _sub("b", i) for i in range(1, k + 1)
        ]
        panel = MatrixPanel(
            data.product.W,
            data.product.b,
            th,
            places=k,
            stacked=True,
            header=f"W = {''.join(names)}\nb = {' + '.join(b_terms)}",
        )
        verdict = label(
            f"{NUMBER_WORDS[k]} layers, one affine map.",
            th,
            size=th.body_size,
            color=th.accent_text,
        )
        self._column(VGroup(panel, verdict).arrange(DOWN, buff=0.5))
        self.play(FadeIn(panel, shift=0.2 * DOWN), run_time=1.0)
        self.play(panel.highlight(True), run_time=0.3)
        self.play(*self._set_all(plane, data.product_lines), run_time=2.5)
        self.play(Write(verdict), panel.highlight(False), run_time=1.0)
        self.say("Without a nonlinearity, depth adds nothing: the stack is one affine map.")
        self.wait(2.5)
        plane.column = VGroup(ghost, panel, verdict)

    @beat(
        "Put ReLU between the layers: every negative coordinate is clamped to zero, "
        "so whole half-planes are flattened onto the axes."
    )
    def relu_clamps(self, data: CollapseData, plane: Plane) -> VGroup:
        th = self.theme
        self.play(
            FadeOut(plane.column), *self._set_all(plane, data.relu_stages[0][1]), run_time=1.5
        )
        panels, links = self._layer_stack(data, relu=True)
        segment = MappedLines(plane.view, [data.relu_stages[0][1][-1]], [th.accent], stroke_width=4)
        dots = MappedPoints(
            plane.view, data.dot_stages[0], [th.accent, th.accent, th.text], radius=0.09
        )
        tags = [label(t, th, size=th.small_size, color=th.text) for t in ("p", "q", "m")]
        place_tags(plane.view, data.dot_stages[0], tags)
        self.play(
            *[FadeIn(m) for m in [*panels, *links]],
            Create(segment),
            FadeIn(dots),
            *[FadeIn(t) for t in tags],
            run_time=1.2,
        )
        self.wait(1.0)
        self.say("Follow the straight segment from p to q and its midpoint m.")
        self.wait(1.5)
        self.play(*[FadeOut(t) for t in tags], run_time=0.4)
        lit = None
        for s in range(1, len(data.relu_stages)):
            name = data.relu_stages[s][0]
            step = sum(1 for n, _ in data.relu_stages[1 : s + 1] if n != "relu")
            box = links[step - 1] if name == "relu" else panels[step - 1]
            framed = zoom_bounds([*data.relu_stages[s - 1][1], *data.relu_stages[s][1]])
            self.play(
                *([lit.highlight(False)] if lit else []),
                box.highlight(True),
                plane.view.reframe(framed),
                run_time=0.8,
            )
            lit = box
            self.play(
                *self._set_all(plane, data.relu_stages[s][1]),
                segment.morph([data.relu_stages[s][1][-1]]),
                dots.morph(data.dot_stages[s]),
                run_time=1.5 * self._pace(data),
            )
        self.play(lit.highlight(False), run_time=0.3)
        self.say("The result is not a grid any more: straight lines come out bent.")
        self.wait(2.5)
        plane.column = VGroup(*panels, *links)
        return VGroup(segment, dots)

    @beat("An affine map always sends midpoints to midpoints; this map does not.")
    def witness(self, data: CollapseData, plane: Plane, folded: VGroup) -> Mobject:
        th, w = self.theme, data.witness
        marks = self._witness_marks(plane, w)
        note = NotePanel(
            [
                (f"p = {vec(w.p, 1)},   q = {vec(w.q, 1)}", None),
                (f"midpoint m = {vec(w.midpoint, 2)}", None),
                (f"f(m) = {vec(w.f_mid, 2)}", None),
                (f"\u00bd(f(p) + f(q)) = {vec((w.f_p + w.f_q) / 2, 2)}", th.muted),
                (f"gap = {fmt(w.gap, 3)}", th.error),
                ("A single matrix and bias would", th.accent_text),
                ("give gap = 0: affine maps keep", th.accent_text),
                ("midpoints.", th.accent_text),
            ],
            th,
            max_width=config.frame_width / 2 - th.margin - COLUMN_LEFT,
        )
        self._column(note)
        self.play(
            FadeOut(plane.column),
            plane.grid.animate.set_stroke(opacity=0.35),
            plane.f_shape.animate.set_stroke(opacity=0.35),
            run_time=0.8,
        )
        chord, ring, gap_line, tags = marks
        self.play(Create(chord), FadeIn(ring), FadeIn(tags[0]), FadeIn(tags[1]), run_time=1.0)
        self.play(FadeIn(tags[3]), FadeIn(tags[2]), Create(gap_line), run_time=1.0)
        self.play(FadeIn(note, shift=0.2 * LEFT), run_time=1.2)
        self.wait(3.5)
        folded.add(note, chord, ring, gap_line, *tags)
        return folded

    # -- pieces --------------------------------------------------------------------------
    def _witness_marks(self, plane: Plane, w: Witness):
        """The chord f(p)-f(q), its midpoint, the gap to f(m), and their tags."""
        th = self.theme
        mid_img = (w.f_p + w.f_q) / 2
        a, b = plane.view.c2p(np.array([w.f_p, w.f_q]))
        chord = DashedLine(a, b, color=th.text, stroke_width=2.5, dash_length=0.1)
        c, m = plane.view.c2p(np.array([mid_img, w.f_mid]))
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
        place_tags(plane.view, np.array([w.f_p, w.f_q, w.f_mid, mid_img]), tags, avoid=segments)
        return chord, ring, gap_line, tags

    def _plane(self, data: CollapseData) -> Plane:
        th = self.theme
        half_w, half_h = config.frame_width / 2, config.frame_height / 2
        every = [p for _, ls in data.plain_stages + data.relu_stages for p in ls]
        w = data.witness
        bounds = bounds_of([*every, (w.f_p + w.f_q) / 2], pad=0.3)
        top = half_h - th.margin - 0.75  # below the title bar
        region = (-half_w + th.margin, COLUMN_LEFT - 0.35, -half_h + th.margin, top)
        view = PlaneView(bounds, region, th)
        colors = {"v": th.muted, "h": th.muted, "F": th.text}
        n_grid = data.line_kinds.index("F")
        grid = MappedLines(
            view,
            data.input_lines[:n_grid],
            [colors[c] for c in data.line_kinds[:n_grid]],
            stroke_width=2.5,
        )
        f_shape = MappedLines(
            view, data.input_lines[n_grid : n_grid + 2], [th.text] * 2, stroke_width=6
        )
        return Plane(view, grid, f_shape, VGroup())

    @staticmethod
    def _pace(data: CollapseData) -> float:
        return min(1.0, 3 / len(data.layers))  # deeper stacks move a little faster

    def _column(self, mob: Mobject) -> Mobject:
        """Place ``mob`` in the right-hand column, centred vertically."""
        right = config.frame_width / 2 - self.theme.margin
        return mob.move_to([(COLUMN_LEFT + right) / 2, 0, 0])

    def _layer_stack(self, data: CollapseData, relu: bool) -> tuple[list, list]:
        """The layers' panels stacked in the right column, joined by arrows (or ReLU)."""
        th = self.theme
        panels = [
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
            for i, layer in enumerate(data.layers)
        ]
        links = [Connector(th, "ReLU" if relu else None) for _ in panels[1:]]
        items = [panels[0]]
        for link, panel in zip(links, panels[1:], strict=True):
            items += [link, panel]
        self._column(stack(items, config.frame_height - 2 * th.margin))
        return panels, links

    @staticmethod
    def _set_all(plane: Plane, lines: list[np.ndarray]) -> list:
        """Morphs of the grid and the F to ``lines`` (one stage of every drawn line)."""
        n = len(plane.grid)
        return [plane.grid.morph(lines[:n]), plane.f_shape.morph(lines[n : n + 2])]
