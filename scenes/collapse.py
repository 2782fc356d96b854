"""Why a network needs a nonlinearity: stacked affine layers collapse into one affine map.

Storyboard: a grid (with an "F" for orientation) goes through layer 1, 2, 3, each turning,
stretching and shifting it; the single product ``W = W3 W2 W1`` and bias ``b`` from the core
send it to the same place in one move. Then with ReLU between the layers: before each ReLU
the part of the picture with a negative coordinate is shaded, and ReLU clamps it onto the
axes; the part of the segment p-q with both coordinates negative collapses to one point (the
share is the core's, exact). The core's witness pair shows a midpoint that no affine map
could produce.

Render with stock Manim: ``manim -ql scenes/collapse.py LinearCollapse``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
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

from relu_anim.core.clamping import (
    SegmentCollapse,
    clamped_share,
    layers_from_values,
    segment_collapse,
    square_points,
    with_kinks,
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
from relu_anim.lecture.teaching import Teaching
from relu_anim.visuals.layout import ChangeNumber, TextNumber
from relu_anim.visuals.matrix import Connector, MatrixPanel, NotePanel, fmt, stack, vec
from relu_anim.visuals.plane import (
    MappedLines,
    MappedPoints,
    PlaneView,
    bounds_of,
    densify,
    grid_lines,
    pack,
    place_tags,
    unpack,
    zoom_bounds,
)
from relu_anim.visuals.stage import Region, frame_layout
from relu_anim.visuals.text import label

MIN_LAYERS, MAX_LAYERS = 2, 4
#: Every stage of the square [-3, 3]^2 stays within |x| <= 7, |y| <= 4, as random_layers
#: draws them: the plane view then shows the plain stages at a readable scale.
WINDOW = (7.0, 4.0)
MAX_ENTRY = 2.0  # bound on the numbers of layer_values
MIN_ABS_DET = 0.25  # a flatter W squashes the plane towards a line
GRID_LINES = 7  # lines per direction across [-BOX, BOX]
GRID_SAMPLES = 13  # vertices per grid line before the exact clamp points are added
SHADE_OPACITY = 0.2  # the half-planes a ReLU will zero; where both overlap it reads darker
F_SHAPE = ([[1.7, 2.5], [0.5, 2.5], [0.5, 0.5]], [[0.5, 1.5], [1.3, 1.5]])
F_OFFSETS = [np.array(o) for o in [(0, 0), (-2.2, 0), (0, -3.0), (-2.2, -3.0), (-1.1, -1.5)]]
NUMBER_WORDS = {2: "Two", 3: "Three", 4: "Four"}
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
COLUMN_LEFT = 1.1  # the plane on the left, panels and notes in the column right of this


def _sub(name: str, i: int) -> str:
    return f"{name}{str(i).translate(SUB)}"


def _pct(share: float) -> str:
    return f"{100 * share:.0f}"


def _moves(layer: AffineLayer) -> str:
    """What the layer does to the plane, in words: W = (rotation or mirror) x (stretch)."""
    u, _, vt = np.linalg.svd(layer.W)
    turn = u @ vt  # the orthogonal factor of the polar decomposition W = (u vt)(v S vt)
    verbs = []
    if np.linalg.det(turn) < 0:
        verbs.append("mirrors")
    elif abs(np.arctan2(turn[1, 0], turn[0, 0])) > 1e-6:
        verbs.append("turns")
    verbs.append("stretches")
    if np.any(layer.b != 0):
        verbs.append("shifts")
    return verbs[0] if len(verbs) == 1 else ", ".join(verbs[:-1]) + " and " + verbs[-1]


def _f_offset(layers) -> np.ndarray:
    """Where the "F" sits: the spot whose clamped images stay longest (most visible)."""

    def shortest_image(offset) -> float:
        strokes = [densify(np.array(c) + offset, 8) for c in F_SHAPE]
        per_stroke = [stages(layers, pts, True) for pts in strokes]
        return min(
            sum(np.linalg.norm(np.diff(st[i][1], axis=0), axis=1).sum() for st in per_stroke)
            for i, (name, _) in enumerate(per_stroke[0])
            if name == "relu"
        )

    return max(F_OFFSETS, key=shortest_image)


def _given_layers(values) -> list[AffineLayer]:
    """``layer_values`` as layers, checked: shapes, sizes, determinants, the view's window,
    and multiples of 0.1 (the panels print one decimal, the product one per layer)."""
    v = np.asarray(values, dtype=float)
    if np.all(np.isfinite(v)) and not np.allclose(v * 10, np.round(v * 10), rtol=0, atol=1e-9):
        raise ValueError("layer_values must be multiples of 0.1 (the panels print one decimal)")
    return layers_from_values(
        np.round(v * 10) / 10 if np.all(np.isfinite(v)) else v,
        layers=(MIN_LAYERS, MAX_LAYERS),
        max_entry=MAX_ENTRY,
        min_abs_det=MIN_ABS_DET,
        window=WINDOW,
        box=BOX,
    )


CLOSING = (
    "Affine layers stack into one affine map. ReLU between them clamps, "
    "so midpoints no longer map to midpoints."
)


@dataclass(frozen=True)
class CollapseData:
    """The layers, their product, the witness, and every stage of every drawn line."""

    layers: list[AffineLayer]
    product: AffineLayer
    witness: Witness
    collapse: SegmentCollapse  # the part of p-q the ReLU stack sends to single points
    relu_moves: tuple[float, ...]  # share of the square's grid points each ReLU moves
    line_kinds: list[str]  # "v", "h" (grid), "F" (the letter), "pq" (the witness segment)
    input_lines: list[np.ndarray]
    plain_stages: list  # [(stage name, lines)] through the affine layers
    relu_stages: list  # the same with ReLU between the layers
    product_lines: list[np.ndarray]  # the lines under the single product map
    dot_stages: list[np.ndarray]  # p, q, m through the ReLU stack
    collapsing: list[list]  # per ReLU: the stages of the pieces of p-q it sends to a point


@dataclass
class Plane:
    """The view of the plane, the grid and the F: on screen through every beat."""

    view: PlaneView
    grid: MappedLines
    f_shape: MappedLines
    column: VGroup  # what the right-hand column shows now; the next beat clears it


@dataclass
class Clamped:
    """What the ReLU pass leaves: the segment, its dots, the collapse marks and readout."""

    segment: MappedLines
    dots: MappedPoints
    readout: VGroup  # "p-q on one point: N %"
    number: TextNumber
    rings: VGroup = field(default_factory=VGroup)  # a ring where a ReLU collapsed p-q
    ring_relus: list[int] = field(default_factory=list)  # which ReLU made each ring

    def group(self) -> VGroup:
        return VGroup(self.segment, self.dots, self.rings, self.readout)


def _collapsing_stages(layers, collapse: SegmentCollapse, p, q) -> list[list]:
    """Per ReLU, the pieces of p-q it is the first to send to a point, through every stage."""
    out = []
    for r in range(len(layers) - 1):
        pieces = [p + np.array([[a], [b]]) * (q - p) for a, b in collapse.pieces(relu=r)]
        if not pieces:
            out.append([])
            continue
        stacked, splits = pack(pieces)
        out.append([unpack(h, splits) for _, h in stages(layers, stacked, True)])
    return out


class LinearCollapse(LectureScene):
    title = "Why a nonlinearity?"
    order = 2  # lecture order: after HingeStacking
    teaching = Teaching(
        statement=(
            "Affine maps compose to an affine map: x -> W3(W2(W1x + b1) + b2) + b3 is "
            "x -> Wx + b with W = W3W2W1 and b = W3(W2b1 + b2) + b3, so depth without a "
            "nonlinearity adds nothing. An affine map sends the midpoint of p and q to the "
            "midpoint of their images (the midpoint test: a continuous map that passes it "
            "for every pair is affine); with ReLU between the layers the map fails it, so "
            "no single matrix and bias can stand in for the stack."
        ),
        source=(
            "Linear algebra (products of matrices); the midpoint test is Jensen's "
            "functional equation f((p + q)/2) = (f(p) + f(q))/2."
        ),
        reading=(
            "Goodfellow, Bengio, Courville, Deep Learning (2016), section 6.1: learning "
            "XOR, where a linear model fails and one ReLU layer succeeds.",
            "Nielsen, Neural Networks and Deep Learning (2015), chapter 4, on why the "
            "hidden units' nonlinearity is what makes the construction work.",
        ),
        exercises=(
            (
                "layer_values lists each layer's W (row by row) and then its b. Multiply "
                "the three layers out and compare with product_W and product_b.",
                "W = W3·W2·W1 and b = W3·(W2·b1 + b2) + b3; entries agree to rounding.",
            ),
            (
                "Why does pq_collapsed_after_each_relu never decrease, and why is "
                "pq_collapsed_share at least its last entry?",
                "A piece of the segment mapped to one point stays one point under every "
                "later map, affine or ReLU; nothing can spread it out again.",
            ),
        ),
        beat_numbers={
            "three-layers": ("layers", "layer_values"),
            "one-matrix": ("product_W", "product_b"),
            "relu-clamps": (
                "grid_share_moved_by_each_relu",
                "pq_collapsed_after_each_relu",
                "pq_collapsed_share",
            ),
            "witness": ("witness_gap",),
        },
    )
    summary = (
        "Stacked affine layers multiply out to a single matrix and bias; ReLU between them "
        "clamps negative coordinates to zero, which no single matrix and bias can do."
    )

    @dataclass(frozen=True)
    class Params:
        layers: int = param(
            3,
            "number of affine layers (layer_values overrides it)",
            between=(MIN_LAYERS, MAX_LAYERS),
        )
        seed: int = param(
            629,
            "seed for the layers' random nice numbers (layer_values overrides it); 629 makes "
            "both ReLUs clip visibly (they move 56 % and 80 % of the grid's points) and sends "
            "43 %, then 49 % of p-q to one point, with a 2-D picture left at the end",
            between=(0, 2**31 - 1),
        )
        layer_values: tuple[float, ...] = param(
            (),
            "the layers themselves, 6 numbers each: W11,W12,W21,W22,b1,b2 for 2 to 4 layers, "
            f"|value| <= {MAX_ENTRY:g}, |det W| >= {MIN_ABS_DET:g}, every stage of the square "
            f"within |x| <= {WINDOW[0]:g}, |y| <= {WINDOW[1]:g}; empty: drawn from the seed",
        )

        def validate(self) -> None:
            if self.layer_values:
                layers = _given_layers(self.layer_values)
                try:
                    relu_witness(layers, window=WINDOW)
                except ValueError:
                    raise ValueError(
                        "layer_values: no ReLU clamps anything on the square "
                        f"[-{BOX:g}, {BOX:g}]^2, so the stack is affine there"
                    ) from None

    @classmethod
    def layers_of(cls, p: Params) -> list[AffineLayer]:
        """The given layers, or ``random_layers(p.layers, p.seed, WINDOW)``."""
        if p.layer_values:
            return _given_layers(p.layer_values)
        return random_layers(p.layers, p.seed, WINDOW)

    @classmethod
    def compute(cls, p: Params) -> CollapseData:
        layers = cls.layers_of(p)
        w = relu_witness(layers, window=WINDOW)
        vertical, horizontal = grid_lines(BOX, GRID_LINES, GRID_SAMPLES)
        f_shape = [densify(np.array(c) + _f_offset(layers), 4) for c in F_SHAPE]
        segment = [densify(np.array([w.p, w.midpoint, w.q]), 6)]
        kinds = ["v"] * len(vertical) + ["h"] * len(horizontal) + ["F", "F", "pq"]
        lines = [with_kinks(layers, line) for line in vertical + horizontal + f_shape + segment]
        stacked, splits = pack(lines)
        product = compose(layers)
        collapse = segment_collapse(layers, w.p, w.q)
        return CollapseData(
            layers=layers,
            product=product,
            witness=w,
            collapse=collapse,
            relu_moves=clamped_share(layers, square_points(BOX)),
            line_kinds=kinds,
            input_lines=lines,
            plain_stages=[(n, unpack(q, splits)) for n, q in stages(layers, stacked, False)],
            relu_stages=[(n, unpack(q, splits)) for n, q in stages(layers, stacked, True)],
            product_lines=unpack(product.apply(stacked), splits),
            dot_stages=[q for _, q in stages(layers, np.array([w.p, w.q, w.midpoint]), True)],
            collapsing=_collapsing_stages(layers, collapse, w.p, w.q),
        )

    @classmethod
    def summarize(cls, data: CollapseData) -> dict:
        return {
            "layers": len(data.layers),
            "layer_values": [float(v) for x in data.layers for v in [*x.W.ravel(), *x.b]],
            "product_W": data.product.W.tolist(),
            "product_b": data.product.b.tolist(),
            "witness_gap": data.witness.gap,
            "pq_collapsed_share": data.collapse.fraction,
            "pq_collapsed_after_each_relu": list(data.collapse.per_relu),
            "grid_share_moved_by_each_relu": list(data.relu_moves),
        }

    # -- storyboard ----------------------------------------------------------------------
    def construct(self) -> None:
        data = self.data
        plane = self.three_layers(data)
        self.one_matrix(data, plane)
        clamped = self.relu_clamps(data, plane)
        marks = self.witness(data, plane, clamped)
        self.end_card(CLOSING, clear=(clamped.group(), marks))

    # -- beats ---------------------------------------------------------------------------
    @beat(lambda s: f"Each of the {len(s.data.layers)} layers is an affine map x \u21a6 Wx + b.")
    def three_layers(self, data: CollapseData) -> Plane:
        plane = self._plane(data)
        self.play(Write(self.title_card()), FadeIn(plane.view), run_time=1.0)
        self.play(Create(plane.grid), Create(plane.f_shape), run_time=1.5)
        panels, links = self._layer_stack(data, relu=False)
        pace = self._pace(data)
        for i, (panel, layer) in enumerate(zip(panels, data.layers, strict=True)):
            intro = [FadeIn(panel, shift=0.2 * DOWN)]
            if i > 0:
                intro += [FadeIn(links[i - 1]), panels[i - 1].highlight(False)]
            self.say(f"Layer {i + 1} {_moves(layer)} the grid.")
            self.play(*intro, run_time=0.7)
            self.play(panel.highlight(True), run_time=0.3)
            self.play(*self._set_all(plane, data.plain_stages[i + 1][1]), run_time=2.0 * pace)
        self.say("Lines stay straight, parallel and evenly spaced.")
        self.play(panels[-1].highlight(False), run_time=0.3)
        plane.column = VGroup(*panels, *links)
        return plane

    @beat(
        lambda s: (
            "Multiply them out: one matrix W = "
            + "".join(_sub("W", i) for i in range(len(s.data.layers), 0, -1))
            + " and one bias b."
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
        self.say("x \u21a6 Wx + b moves the grid to the same place in one step.")
        self.play(panel.highlight(True), run_time=0.3)
        self.play(*self._set_all(plane, data.product_lines), run_time=2.5)
        self.say("Without a nonlinearity, the stack is one affine map.")
        self.play(Write(verdict), panel.highlight(False), run_time=1.0)
        plane.column = VGroup(ghost, panel, verdict)

    @beat("Now ReLU between the layers. Follow p, q and their midpoint m.")
    def relu_clamps(self, data: CollapseData, plane: Plane) -> Clamped:
        th = self.theme
        self.play(
            FadeOut(plane.column), *self._set_all(plane, data.relu_stages[0][1]), run_time=1.0
        )
        clamped = self._segment(data, plane)
        panels, links = self._layer_stack(data, relu=True, footer=clamped.readout)
        tags = [label(t, th, size=th.small_size, color=th.text) for t in ("p", "q", "m")]
        place_tags(plane.view, data.dot_stages[0], tags)
        self.play(
            *[FadeIn(m) for m in [*panels, *links, clamped.readout]],
            Create(clamped.segment),
            FadeIn(clamped.dots),
            *[FadeIn(t) for t in tags],
            run_time=1.2,
        )
        self.wait(1.0)
        self.play(*[FadeOut(t) for t in tags], run_time=0.4)
        lit, relu = None, 0
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
            if name == "relu":
                self._clamp(data, plane, clamped, s, relu)
                relu += 1
            else:
                last = s == len(data.relu_stages) - 1
                end = "; bent lines stay bent." if last else "."
                self.say(f"Layer {step} {_moves(data.layers[step - 1])}{end}")
                self._advance(data, plane, clamped, s)
        self.play(lit.highlight(False), run_time=0.3)
        plane.column = VGroup(*panels, *links)
        return clamped

    @beat("An affine map always sends midpoints to midpoints; this map does not.")
    def witness(self, data: CollapseData, plane: Plane, clamped: Clamped) -> VGroup:
        th, w = self.theme, data.witness
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
            max_width=self._column_region().width,
        )
        spot = clamped.readout.copy()
        self._column(VGroup(note, spot).arrange(DOWN, buff=0.35))
        images = np.array([w.f_p, w.f_q, w.f_mid, (w.f_p + w.f_q) / 2])
        framed = zoom_bounds([*data.relu_stages[-1][1], images], pad=0.5)
        self.play(
            FadeOut(plane.column),
            clamped.readout.animate.replace(spot),  # the column may have been shrunk to fit
            plane.view.reframe(framed),
            run_time=0.8,
        )
        chord, ring, gap_line, tags = self._witness_marks(plane, w)
        self.play(
            plane.grid.animate.set_stroke(opacity=0.35),
            plane.f_shape.animate.set_stroke(opacity=0.35),
            Create(chord),
            FadeIn(ring),
            FadeIn(tags[0]),
            FadeIn(tags[1]),
            run_time=1.0,
        )
        self.play(FadeIn(tags[3]), FadeIn(tags[2]), Create(gap_line), run_time=1.0)
        self.play(FadeIn(note, shift=0.2 * LEFT), run_time=1.2)
        self.wait(2.0)
        return VGroup(note, chord, ring, gap_line, *tags)

    # -- the ReLU pass, one stage at a time ----------------------------------------------------
    def _advance(self, data: CollapseData, plane: Plane, clamped: Clamped, s: int, *also) -> None:
        """Morph everything drawn in the plane to stage ``s`` of the ReLU stack."""
        rings = [
            ring.morph(data.collapsing[r][s][0][:1])
            for r, ring in zip(clamped.ring_relus, clamped.rings, strict=True)
        ]
        self.play(
            *self._set_all(plane, data.relu_stages[s][1]),
            clamped.segment.morph([data.relu_stages[s][1][-1]]),
            clamped.dots.morph(data.dot_stages[s]),
            *rings,
            *also,
            run_time=1.5 * self._pace(data),
        )

    def _clamp(self, data: CollapseData, plane: Plane, clamped: Clamped, s: int, r: int) -> None:
        """ReLU ``r`` (stage ``s``): shade what it will zero, clamp, pause on the result."""
        th, view = self.theme, plane.view
        before = np.vstack(data.relu_stages[s - 1][1])
        negative = [bool(np.any(before[:, axis] < 0)) for axis in (0, 1)]
        shades = VGroup(*[view.below_zero(a, th.error, 0.0) for a in (0, 1) if negative[a]])
        self.add(shades)
        self.bring_to_back(shades)
        self.bring_to_back(view)  # the shading lies under every line, over the paper
        pieces = data.collapsing[r]  # stages of the pieces of p-q this ReLU sends to a point
        self.say(self._shade_caption(negative, bool(pieces), first=r == 0))
        shade_in = [m.animate.set_fill(opacity=SHADE_OPACITY) for m in shades]
        if not pieces:
            self.play(*shade_in, run_time=0.8)
            self.say(self._clamp_caption(negative, 0.0, 0.0))
            self._advance(data, plane, clamped, s)
        else:
            doomed = MappedLines(view, pieces[s - 1], [th.error] * len(pieces[s - 1]), 9)
            self.play(*shade_in, Create(doomed), run_time=0.8)
            share = data.collapse.per_relu[r]
            before = data.collapse.per_relu[r - 1] if r else 0.0
            self.say(self._clamp_caption(negative, share, before))
            self._advance(data, plane, clamped, s, doomed.morph(pieces[s]))
            ring = self._ring(view, pieces[s][0][:1])
            clamped.rings.add(ring)
            clamped.ring_relus.append(r)
            self.play(
                FadeOut(doomed),
                FadeIn(ring, scale=2.0),
                *self._show_share(clamped, share),
                run_time=0.8,
            )
            view.mapped.remove(doomed)
        self.wait(0.9)  # the pause on what ReLU did (its caption holds it longer if needed)
        self.play(FadeOut(shades), run_time=0.5)

    @staticmethod
    def _shade_caption(negative: list[bool], collapses: bool, first: bool) -> str:
        names = [n for n, neg in zip(("x", "y"), negative, strict=True) if neg]
        if not names:
            return "Nothing here is below 0, so this ReLU changes nothing."
        where = " or ".join(f"{n} < 0" for n in names)
        text = f"Shaded: {where}, which ReLU sets to 0." if first else f"Shaded again: {where}."
        return text + (" The thick part becomes a point." if collapses else "")

    @staticmethod
    def _clamp_caption(negative: list[bool], share: float, before: float) -> str:
        """What ReLU did, and the share of p-q it sent to a point as the readout's step (so
        the rounded numbers on screen add up)."""
        onto = "the axes" if all(negative) else "an axis"
        if share <= before:
            return f"ReLU clamps the shaded parts onto {onto}: lines bend."
        new = int(_pct(share)) - int(_pct(before))
        part = f"{new} % {'more ' if before else ''}of p\u2013q" if new else "a sliver of p\u2013q"
        return f"ReLU clamps onto {onto}; {part} lands on one point."

    # -- pieces --------------------------------------------------------------------------
    def _segment(self, data: CollapseData, plane: Plane) -> Clamped:
        """The segment p-q, its dots, and the readout of how much of it is one point."""
        th = self.theme
        segment = MappedLines(plane.view, [data.relu_stages[0][1][-1]], [th.accent], stroke_width=4)
        dots = MappedPoints(
            plane.view, data.dot_stages[0], [th.accent, th.accent, th.text], radius=0.09
        )
        name = label("p\u2013q on one point:", th, size=th.small_size, color=th.muted)
        number = TextNumber(0, th, places=0, size=th.small_size, color=th.error)
        unit = label("%", th, size=th.small_size, color=th.error)
        number.next_to(name, RIGHT, buff=0.15)
        unit.next_to(number, RIGHT, buff=0.08)
        readout = VGroup(name, number, unit)
        return Clamped(segment, dots, readout, number)

    def _show_share(self, clamped: Clamped, share: float) -> list:
        """Animations that switch the readout to ``share`` (the % sign moves with the digits)."""
        width = TextNumber(100 * share, self.theme, places=0, size=self.theme.small_size).width
        unit = clamped.readout[-1]
        spot = clamped.number.get_left() + RIGHT * (width + 0.08 + unit.width / 2)
        return [ChangeNumber(clamped.number, 100 * share), unit.animate.move_to(spot)]

    def _ring(self, view: PlaneView, point: np.ndarray) -> MappedPoints:
        ring = MappedPoints(view, point, [self.theme.error], radius=0.16)
        return ring.set_fill(opacity=0.0).set_stroke(self.theme.error, width=4, opacity=1.0)

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
        st = frame_layout(th)
        if st.portrait:  # the plane above, the column under it
            region = (st.main.left, st.main.right, st.main.bottom, st.main.top)
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

    def _column_region(self) -> Region:
        """Right of the plane in landscape, under it in portrait; clear of the caption band."""
        st = frame_layout(self.theme)
        if st.portrait:
            return st.side
        return Region(COLUMN_LEFT, st.frame.right, st.body.bottom, st.frame.top)

    def _column(self, mob: Mobject) -> Mobject:
        """Place ``mob`` in the column (shrunk if it must be), centred."""
        return self._column_region().fit(mob)

    def _layer_stack(
        self, data: CollapseData, relu: bool, footer: Mobject | None = None
    ) -> tuple[list, list]:
        """The layers' panels stacked in the right column, joined by arrows (or ReLU), with
        ``footer`` (if any) below them."""
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
        column = stack(items, self._column_region().height - (0.55 if footer else 0))
        if footer is not None:
            footer.next_to(column, DOWN, buff=0.3)
            column = VGroup(column, footer)
        self._column(column)
        return panels, links

    @staticmethod
    def _set_all(plane: Plane, lines: list[np.ndarray]) -> list:
        """Morphs of the grid and the F to ``lines`` (one stage of every drawn line)."""
        n = len(plane.grid)
        return [plane.grid.morph(lines[:n]), plane.f_shape.morph(lines[n : n + 2])]
