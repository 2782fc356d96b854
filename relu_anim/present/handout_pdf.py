"""The handout's pages (fpdf2): per scene its notes, per beat its frame, words and numbers.

Layout only: :mod:`relu_anim.present.handout` gathers what goes on the pages. A4 portrait,
black on white whatever the frames' theme, so it prints. Every scene and beat is a PDF
outline entry (a bookmark), so readers jump to a beat and tests can count them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..lecture.teaching import Teaching
from .numbers import Block, blocks

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Unicode: σ, →, ², Montúfar
FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
MARGIN = 15.0  # mm
FRAME_WIDTH = 112.0  # mm: the beat's frame; its words take the column beside it
GAP = 4.0
BESIDE_COLUMNS = 3  # tables this narrow go in the column beside the frame
COLUMN_CHARS = 40  # about this many characters of 9 pt text fill that column's line
GREY = (90, 90, 90)
RULE = (170, 170, 170)  # table lines: there to guide the eye, not to be read


@dataclass(frozen=True)
class BeatMaterial:
    name: str
    lines: tuple[str, ...]  # its caption lines (or narration), in order
    frame: Path | None  # its last frame, a PNG
    numbers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SceneMaterial:
    name: str
    title: str
    summary: str
    params: dict[str, Any]
    teaching: Teaching | None
    beats: tuple[BeatMaterial, ...]
    other_numbers: dict[str, Any] = field(default_factory=dict)  # no beat claims them


def _pdf_class():
    from fpdf import FPDF

    class Handout(FPDF):
        running_title = ""

        def header(self) -> None:
            self.set_font("Sans", "", 8)
            self.set_text_color(*GREY)
            self.cell(0, 5, f"relu-anim handout · {self.running_title}", align="R")
            self.ln(7)
            self.set_text_color(0, 0, 0)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Sans", "", 8)
            self.set_text_color(*GREY)
            self.cell(0, 5, str(self.page_no()), align="C")

    return Handout


def render_pdf(scenes: list[SceneMaterial], title: str = "relu-anim handout") -> bytes:
    """The whole handout as PDF bytes."""
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # its font subsetting chatters
    pdf = _pdf_class()(format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=16)
    for style, name in FONTS.items():
        pdf.add_font("Sans", style, str(FONT_DIR / name))
    pdf.set_title(title)
    pdf.set_creator("relu-anim")
    for scene in scenes:
        _scene(pdf, scene)
    if any(s.teaching for s in scenes):
        _hints(pdf, scenes)
    return bytes(pdf.output())


def _scene(pdf, scene: SceneMaterial) -> None:
    pdf.running_title = scene.title
    pdf.add_page()
    pdf.start_section(f"{scene.title} ({scene.name})", level=0)
    _text(pdf, scene.title, 18, "B", 9)
    _text(pdf, scene.name, 9, "", 5, GREY)
    _text(pdf, scene.summary, 11, "I", 5.5)
    if scene.params:
        settings = ", ".join(f"{k} = {v}" for k, v in scene.params.items())
        _text(pdf, f"Parameters: {settings}", 8.5, "", 4.5, GREY)
    if scene.teaching:
        _notes(pdf, scene.teaching)
    else:
        _heading(pdf, "Teaching notes")
        _text(pdf, "None yet: add teaching = Teaching(...) to the scene class.", 9.5, "I", 5)
    if scene.other_numbers:
        _heading(pdf, "Numbers of the whole scene")
        _numbers(pdf, blocks(scene.other_numbers), width=pdf.epw)
    for index, beat in enumerate(scene.beats, 1):
        _beat(pdf, index, beat)


def _notes(pdf, notes: Teaching) -> None:
    _heading(pdf, "What it shows")
    _text(pdf, notes.statement, 10, "", 5)
    _text(pdf, f"Source: {notes.source}", 8.5, "I", 4.5, GREY)
    _heading(pdf, "Read more")
    for item in notes.reading:
        _text(pdf, f"•  {item}", 9, "", 4.6)
    _heading(pdf, "Exercises (check your answers against the numbers below)")
    for i, (question, _hint) in enumerate(notes.exercises, 1):
        _text(pdf, f"{i}.  {question}", 10, "", 5)


def _beat(pdf, index: int, beat: BeatMaterial) -> None:
    """The frame on the left, its words in the column beside it, and its numbers there too
    when they are narrow and short enough, else below; a beat starts a page rather than
    break."""
    laid_out = blocks(beat.numbers)
    height = FRAME_WIDTH * 9 / 16 if beat.frame is not None else 0.0
    words = sum(4.4 * (1 + len(line) // COLUMN_CHARS) + 1.2 for line in beat.lines)
    table = _height(laid_out)
    narrow = all(b.value is not None or max(map(len, b.rows)) <= BESIDE_COLUMNS for b in laid_out)
    beside = narrow and words + table <= height + 12
    needed = max(height, words + table) if beside else max(height, words) + table
    if pdf.will_page_break(needed + 16):
        pdf.add_page()
    pdf.ln(3)
    pdf.start_section(f"{index}. {beat.name}", level=1)
    _text(pdf, f"Beat {index}: {beat.name}", 11.5, "B", 6)
    top = pdf.get_y()
    if beat.frame is not None:
        pdf.image(str(beat.frame), x=MARGIN, y=top, w=FRAME_WIDTH)
    pdf.set_left_margin(MARGIN + FRAME_WIDTH + GAP)
    try:
        pdf.set_xy(pdf.l_margin, top)
        for line in beat.lines:
            _text(pdf, line, 9, "", 4.4)
            pdf.ln(1.2)
        if beside and laid_out:
            pdf.ln(1)
            _numbers(pdf, laid_out, width=pdf.epw)
    finally:
        pdf.set_left_margin(MARGIN)
    pdf.set_xy(MARGIN, max(pdf.get_y(), top + height) + 2)
    if laid_out and not beside:
        _numbers(pdf, laid_out, width=pdf.epw)


def _height(laid_out: list[Block]) -> float:
    """About how tall :func:`_numbers` makes these blocks (mm): a row 6.2, a heading 4.5,
    2 after each table; enough to keep a beat from breaking across pages."""
    scalars = sum(1 for b in laid_out if b.value is not None)
    tables = [b for b in laid_out if b.value is None]
    return (6.2 * scalars + 2 if scalars else 0) + sum(6.5 + 6.2 * len(b.rows) for b in tables)


def _numbers(pdf, laid_out: list[Block], width: float) -> None:
    """Scalars as a two-column table; lists, matrices and dicts each as a small table."""
    scalars = [(b.key, b.value) for b in laid_out if b.value is not None]
    if scalars:
        widths = (min(60.0, width * 0.62), min(40.0, width * 0.38))
        _table(pdf, scalars, widths, header=False, align=("LEFT", "RIGHT"))
    for b in laid_out:
        if b.value is None:
            _text(pdf, b.key, 8.5, "B", 4.5)
            columns = max(map(len, b.rows))
            cell = min(22.0, width / columns)
            align = "CENTER" if b.header else "RIGHT"
            _table(pdf, list(b.rows), (cell,) * columns, header=b.header, align=align)


def _table(pdf, rows, widths, header: bool, align) -> None:
    pdf.set_font("Sans", "", 8.5)
    pdf.set_draw_color(*RULE)
    with pdf.table(
        col_widths=widths,
        width=sum(widths),
        align="LEFT",
        first_row_as_headings=header,
        line_height=4.6,
        text_align=align,
        padding=0.8,
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        for row in rows:
            cells = table.row()
            for cell in row:
                cells.cell(str(cell))
            for _ in range(len(widths) - len(row)):
                cells.cell("")
    pdf.ln(2)


def _hints(pdf, scenes: list[SceneMaterial]) -> None:
    pdf.running_title = "Hints"
    pdf.add_page()
    pdf.start_section("Hints to the exercises", level=0)
    _text(pdf, "Hints to the exercises", 16, "B", 9)
    for scene in scenes:
        if not scene.teaching:
            continue
        _heading(pdf, scene.title)
        for i, (_question, hint) in enumerate(scene.teaching.exercises, 1):
            _text(pdf, f"{i}.  {hint}", 9.5, "", 4.8)


def _heading(pdf, text: str) -> None:
    pdf.ln(2)
    _text(pdf, text, 11, "B", 6)


def _text(pdf, text: str, size: float, style: str, height: float, colour=(0, 0, 0)) -> None:
    pdf.set_font("Sans", style, size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_text_color(0, 0, 0)
