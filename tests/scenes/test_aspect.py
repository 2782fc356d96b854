"""Portrait frames and burned-in captions: the stage's regions, rewrites at a fitted scale,
captions drawn exactly when the .srt shows them, and the guard keeping text out of their band.

Every registered scene rendered in 9:16 with burned captions is in test_every_scene.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import DOWN, FadeIn, tempconfig

from relu_anim.lecture import LectureScene, beat
from relu_anim.lecture.guard import FrameBoundsError
from relu_anim.theme import get_theme
from relu_anim.visuals.code_panel import CodePanel
from relu_anim.visuals.stage import caption_band_height, frame_layout
from relu_anim.visuals.text import GlyphText, label

# (at fewer pixels, Pango would wrap Manim's Text lines: see test_every_scene.PORTRAIT)
PORTRAIT = {"frame_width": 8.0, "frame_height": 128 / 9, "pixel_width": 270, "pixel_height": 480}
LANDSCAPE = {
    "frame_width": 8.0 * 16 / 9,
    "frame_height": 8.0,
    "pixel_width": 160,
    "pixel_height": 90,
}
THEME = get_theme("dark")


@pytest.mark.parametrize("frame", [PORTRAIT, LANDSCAPE], ids=["9:16", "16:9"])
def test_regions_tile_the_frame_inside_its_margins(frame):
    with tempconfig(frame):
        st = frame_layout(THEME)
        band = caption_band_height()
    half_w, half_h = frame["frame_width"] / 2, frame["frame_height"] / 2
    assert st.portrait == (frame is PORTRAIT)
    for region in (st.title, st.body, st.main, st.side, st.captions):
        assert -half_w <= region.left < region.right <= half_w
        assert -half_h <= region.bottom < region.top <= half_h
    assert st.captions.top == pytest.approx(-half_h + band)
    assert st.body.bottom == pytest.approx(st.captions.top)  # content stops where captions start
    assert min(st.main.bottom, st.side.bottom) >= st.body.bottom - 1e-9
    if st.portrait:  # stacked: the plot above the panel, both as wide as the frame allows
        assert st.main.bottom > st.side.top
        assert st.main.width == pytest.approx(frame["frame_width"] - 2 * THEME.margin)
    else:  # side by side
        assert st.main.right < st.side.left


def test_arrange_stacks_a_landscape_composition_in_portrait():
    with tempconfig(PORTRAIT):
        st = frame_layout(THEME)
        plot = label("plot", THEME).scale_to_fit_width(6.2).move_to([-3.4, -0.5, 0])
        panel = label("panel", THEME).scale_to_fit_width(9.0).move_to([3.7, 1.7, 0])
        st.arrange(main=plot, side=panel)
    assert st.main.contains(plot) and st.side.contains(panel)
    assert plot.width == pytest.approx(6.2)  # fits: never enlarged or shrunk
    assert panel.width == pytest.approx(st.side.width)  # too wide: shrunk to fit


def test_glyph_text_rewrites_at_the_scale_it_was_fitted_to():
    text = GlyphText("0.104", THEME, size=THEME.small_size)
    full = text.height
    text.scale(0.5)
    text.set_text("0.028")
    assert text.scale_factor == pytest.approx(0.5)
    assert text.height == pytest.approx(0.5 * full, rel=0.05)  # same glyph box, half size


def test_code_panel_rewrites_inside_its_scaled_card():
    panel = CodePanel(["z = 1.25*x1", "if z > 0: h = z", "else:     h = 0", " "], THEME)
    panel.scale(0.6).move_to([1.0, -2.0, 0])
    panel.set_line(3, "# now z = -1.21, so h = 0.00")
    line = panel.lines[3]
    assert panel.card.get_left()[0] < line.get_left()[0] < line.get_right()[0]
    assert panel.card.get_bottom()[1] < line.get_bottom()[1] < panel.card.get_top()[1]
    full = GlyphText("# now z = -1.21, so h = 0.00", THEME, THEME.small_size, mono=True)
    assert line.height == pytest.approx(0.6 * full.height, rel=0.02)


class Captioned(LectureScene):
    """A title, a pause without captions, then lines of one and of two sentences."""

    title = "Captions"

    def construct(self):
        self.title_card()
        self.wait(1.0)
        self.first()
        self.second()

    @beat("One short line.")
    def first(self):
        self.wait(0.5)

    @beat("Two sentences in one line. The second follows the first.")
    def second(self):
        self.say("A said line.")


class TextInTheBand(LectureScene):
    title = "Low"

    def construct(self):
        self.low()

    @beat("Text where the captions go.")
    def low(self):
        self.play(FadeIn(label("too low", self.theme).to_edge(DOWN, buff=0.1)))


def _render_frames(tmp_path, scene_cls, frame=LANDSCAPE, frame_rate=5, **scene_options):
    """Render ``scene_cls`` tiny with burned captions; every frame with its time and caption."""
    settings = {
        **frame,
        "frame_rate": frame_rate,
        "media_dir": str(tmp_path),
        "dry_run": True,  # frames are drawn, not encoded
        "disable_caching": True,
        "verbosity": "WARNING",
        "progress_bar": "none",
    }
    frames = []
    with tempconfig(settings):
        scene = scene_cls(theme="dark", frame_guard=True, burn_captions=True, **scene_options)
        renderer, add = scene.renderer, scene.renderer.add_frame

        def record(frame, num_frames=1):  # a frozen wait adds its one frame num_frames times
            captions = getattr(scene, "_burned_captions", None)
            shown = captions.shown if captions else None
            for k in range(num_frames):
                frames.append((renderer.time + k / frame_rate, frame.copy(), shown))
            add(frame, num_frames)

        renderer.add_frame = record
        scene.render()
        band_rows = round(caption_band_height() / frame["frame_height"] * frame["pixel_height"])
    return scene, frames, band_rows


def _srt_at(scene, t: float) -> str | None:
    """What the .srt shows at ``t``: the entry that started last and has not ended."""
    live = [
        s.content
        for s in scene.renderer.file_writer.subcaptions
        if s.start.total_seconds() <= t + 1e-6 < s.end.total_seconds()
    ]
    return live[-1] if live else None


def test_burned_captions_show_what_the_srt_shows_when_it_shows_it(tmp_path):
    scene, frames, band_rows = _render_frames(tmp_path, Captioned)
    background = np.array([int(THEME.background[i : i + 2], 16) for i in (1, 3, 5)])
    assert len(frames) > 20
    with_text = 0
    for t, frame, shown in frames:
        assert shown == _srt_at(scene, t), f"at {t:.2f} s"
        band = frame[-band_rows:, :, :3].astype(int)
        inked = np.abs(band - background).sum(axis=2) > 24  # the plate and its letters
        assert inked.any() == (shown is not None), f"at {t:.2f} s: {shown!r}"
        with_text += shown is not None
    assert 0 < with_text < len(frames)  # the pause before the first beat has none
    shown = {s for _, _, s in frames}
    assert (
        "Two sentences in one line. The second follows the first." in shown
    )  # whole, as in the srt


def test_the_guard_keeps_content_text_out_of_the_caption_band(tmp_path):
    with pytest.raises(FrameBoundsError, match="caption band"):
        _render_frames(tmp_path, TextInTheBand)


def test_burned_captions_fit_a_portrait_frame_inside_the_guard(tmp_path):
    scene, frames, band_rows = _render_frames(tmp_path, Captioned, PORTRAIT)
    assert scene.guard_checks > 0  # the caption plate and its text were inside the frame
    card = scene._burned_captions
    assert card.region.width == pytest.approx(8.0 - 2 * THEME.margin)
    assert any(shown for _, _, shown in frames)


def test_a_portrait_storyboard_has_upright_frames_with_their_captions(tmp_path):
    from PIL import Image

    from relu_anim.lecture.storyboard import THUMB_WIDTH, write_storyboard

    paths = write_storyboard(
        Captioned, Captioned.Params(), "dark", "low", tmp_path / "board", None, "9:16", True
    )
    beats = [p for p in paths if p.name[:2].isdigit()]
    assert [p.name for p in beats] == ["01-first.png", "02-second.png"]
    for path in beats:
        frame = np.asarray(Image.open(path).convert("RGB")).astype(int)
        assert frame.shape == (854, 480, 3)  # low quality, upright
        band = frame[-round(854 * 1.9 / (128 / 9)) :]  # the caption band, 1.9 of 14.2 units
        assert (np.abs(band - frame[0, 0]).sum(axis=2) > 24).any()  # the caption is drawn
    sheet = Image.open(tmp_path / "board" / "contact.png")
    assert sheet.width < 2 * THUMB_WIDTH  # two upright thumbnails (lying: 2 x 560 px and more)


class Spoken(LectureScene):
    """One spoken line of two sentences: its second chunk starts while something moves."""

    title = "Spoken"

    def construct(self):
        self.talk()

    @beat("One sentence is heard first. Then a second one follows it.")
    def talk(self):
        self.play(FadeIn(label("moving", self.theme)), run_time=5.0)
        self.wait(1.0)  # the second chunk on a still frame too


def test_a_spoken_chunk_replaces_the_last_one_even_during_an_animation(tmp_path):
    """espeak-ng (installed by the set-up) times two chunks; the switch falls inside a play.
    Every frame that shows a chunk draws the same band (no ghost of the chunk before)."""
    scene, frames, band_rows = _render_frames(
        tmp_path / "m", Spoken, voice="espeak", speech_cache=tmp_path / "speech"
    )
    starts = [s.start.total_seconds() for s in scene.renderer.file_writer.subcaptions]
    assert len(starts) == 2 and 0 < starts[1] < 5.0  # the second chunk starts mid-play
    bands: dict = {}
    for t, frame, shown in frames:
        assert shown == _srt_at(scene, t), f"at {t:.2f} s"
        band = frame[-band_rows:, :, :3]
        assert np.array_equal(bands.setdefault(shown, band), band), f"at {t:.2f} s: {shown!r}"
    assert len(bands) == 2 and not np.array_equal(*bands.values())
