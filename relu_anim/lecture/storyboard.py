"""A scene's storyboard as pictures: the last frame of every beat, and one contact sheet.

An author, a reviewer or a teacher sees the whole scene in one image without decoding video.
The scene is drawn for real at the chosen quality but nothing is encoded (Manim's dry run
still draws every frame into the camera), so a storyboard costs a fraction of a render.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

THUMB_WIDTH = 560  # contact-sheet thumbnails: readable, and three fit side by side
COLUMNS = 3
FONT_FILES = ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD_FONT_FILES = ("DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


@dataclass(frozen=True)
class BeatFrame:
    index: int
    name: str
    caption: str
    frame: np.ndarray  # height x width x 3 (or 4), uint8
    time: float  # scene time when the beat ended

    @property
    def filename(self) -> str:
        return f"{self.index:02d}-{self.name}.png"


def capture_beats(scene: Any) -> list[BeatFrame]:
    """Attach to ``scene`` (before it renders): its beats' last frames are collected here."""
    frames: list[BeatFrame] = []

    def grab(s: Any, name: str) -> None:
        s.renderer.update_frame(s)  # draw the state as it is now, not the last animated frame
        caption = s.beat_captions.get(name, "")
        frames.append(BeatFrame(len(frames) + 1, name, caption, s.renderer.get_frame(), s.time))

    scene.beat_end_hooks.append(grab)
    return frames


def capture_every(scene: Any, seconds: float) -> list[BeatFrame]:
    """Attach to ``scene``: a frame every ``seconds`` of scene time, named by the beat it is in."""
    frames: list[BeatFrame] = []
    renderer = scene.renderer
    original = renderer.add_frame
    next_time = [0.0]

    def add_frame(frame, num_frames: int = 1):
        original(frame, num_frames)
        if renderer.skip_animations or renderer.time + 1e-9 < next_time[0]:
            return
        beat = scene.beats[-1] if scene.beats else "-"
        index = len(frames) + 1
        caption = scene.beat_captions.get(beat, "")
        frames.append(BeatFrame(index, f"{beat}", caption, frame.copy(), renderer.time))
        # the next mark after now (with the same tolerance as the test above)
        next_time[0] = (math.floor((renderer.time + 1e-9) / seconds) + 1) * seconds

    renderer.add_frame = add_frame
    return frames


def write_storyboard(
    scene_cls: type,
    params: Any,
    theme: str,
    quality: str,
    out_dir: Path,
    every: float | None = None,
    aspect: str = "16:9",
    burn_captions: bool = False,
) -> list[Path]:
    """Render ``scene_cls`` without encoding; write its beat frames and ``contact.png``.

    With ``every``, also a frame every ``every`` seconds (``t012.0-<beat>.png``) and their
    sheet ``timeline.png``: how a beat looks in the middle, not only at its end. ``aspect``
    (16:9 or 9:16) and ``burn_captions`` draw the frames as those renders would. Files appear
    in ``out_dir`` only when all of them are written (a temp folder is renamed), so a failed
    storyboard never leaves a half-written one behind.
    """
    from ..batch.worker import render_scene

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        captured: list[list[BeatFrame]] = []

        def attach(scene: Any) -> None:
            captured.append(capture_beats(scene))
            captured.append(capture_every(scene, every) if every else [])

        render_scene(
            scene_cls,
            params,
            theme=theme,
            quality=quality,
            media_dir=staging / "media",
            on_scene=attach,
            extra_config={"dry_run": True},  # every frame drawn, none encoded
            aspect=aspect,
            burn_captions=burn_captions,
        )
        frames, timeline = captured
        shutil.rmtree(staging / "media", ignore_errors=True)
        paths = [_save(f.frame, staging / f"t{f.time:05.1f}-{f.name}.png") for f in timeline]
        if timeline:
            sheet = contact_sheet(f"{scene_cls.__name__} every {every:g} s", timeline, COLUMNS + 1)
            paths.append(_save(sheet, staging / "timeline.png"))
        paths += [_save(f.frame, staging / f.filename) for f in frames]
        paths.append(_save(contact_sheet(scene_cls.__name__, frames), staging / "contact.png"))
        if out_dir.exists():
            shutil.rmtree(out_dir)
        os.replace(staging, out_dir)
        return [out_dir / p.name for p in paths]
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _save(frame: np.ndarray, path: Path) -> Path:
    from PIL import Image

    Image.fromarray(np.asarray(frame)).convert("RGB").save(path)
    return path


def contact_sheet(title: str, frames: list[BeatFrame], columns: int = COLUMNS) -> np.ndarray:
    """All frames in order on one image, each with its number, beat name, time and caption."""
    from PIL import Image, ImageDraw

    font, bold = _font(FONT_FILES, 17), _font(BOLD_FONT_FILES, 19)
    pad = 16
    thumbs = [_thumbnail(f.frame) for f in frames]
    thumb_w = max((t.width for t in thumbs), default=THUMB_WIDTH)
    cols = min(columns * THUMB_WIDTH // thumb_w, max(len(frames), 1))  # upright: more columns
    thumb_h = max((t.height for t in thumbs), default=1)
    chars = max(24, 58 * thumb_w // THUMB_WIDTH)  # caption lines as wide as the thumbnail
    captions = [textwrap.wrap(f.caption, width=chars) or [""] for f in frames]
    text_h = 30 + 22 * max((len(c) for c in captions), default=1)
    cell_w, cell_h = thumb_w + pad, thumb_h + text_h + pad
    rows = -(-len(frames) // cols) if frames else 1
    sheet = Image.new("RGB", (pad + cols * cell_w, 56 + rows * cell_h), "white")
    draw = ImageDraw.Draw(sheet)
    draw.text((pad, 16), f"{title}: {len(frames)} frames", fill="black", font=bold)
    for i, (frame, thumb, lines) in enumerate(zip(frames, thumbs, captions, strict=True)):
        x, y = pad + (i % cols) * cell_w, 56 + (i // cols) * cell_h
        sheet.paste(thumb, (x, y))
        head = f"{frame.index}. {frame.name}   ({frame.time:.1f} s)"
        draw.text((x, y + thumb_h + 6), head, fill="black", font=bold)
        for j, line in enumerate(lines):
            draw.text((x, y + thumb_h + 30 + 22 * j), line, fill="#333333", font=font)
    return np.asarray(sheet)


def _thumbnail(frame: np.ndarray):
    """The frame scaled so its longer side is THUMB_WIDTH (portrait frames stand upright)."""
    from PIL import Image

    image = Image.fromarray(np.asarray(frame)).convert("RGB")
    scale = THUMB_WIDTH / max(image.width, image.height)
    size = (round(image.width * scale), round(image.height * scale))
    return image.resize(size, Image.LANCZOS)


def _font(candidates: tuple[str, ...], size: int):
    from PIL import ImageFont

    for name in candidates:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default()
