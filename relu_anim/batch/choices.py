"""The one definition of every render choice: qualities, formats and themes.

Qualities are Manim's own (``manim.constants.QUALITIES``) under short names. The numbers are
copied here because importing anything from Manim imports all of Manim (about a second),
which the no-op path of ``relu-anim render`` must not do; ``tests/cli/test_choices.py``
checks that this copy equals Manim's table.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..theme import THEME_NAMES


@dataclass(frozen=True)
class Quality:
    name: str  # our name: low, medium, high, 4k
    manim_name: str  # its key in manim.constants.QUALITIES
    pixel_width: int
    pixel_height: int
    frame_rate: int
    encoder: str = "manim"  # its default name in ENCODER_PROFILES

    def manim_settings(self) -> dict[str, int]:
        """The keys of Manim's ``config`` this quality sets."""
        return {
            "pixel_width": self.pixel_width,
            "pixel_height": self.pixel_height,
            "frame_rate": self.frame_rate,
        }


QUALITIES = {
    q.name: q
    for q in (
        Quality("low", "low_quality", 854, 480, 15, "fast"),
        Quality("medium", "medium_quality", 1280, 720, 30, "fast"),
        Quality("high", "high_quality", 1920, 1080, 60, "fast"),
        Quality("4k", "fourk_quality", 3840, 2160, 60, "fast"),
    )
}
QUALITY_NAMES = tuple(QUALITIES)
FORMATS = ("mp4", "webm", "gif")
THEMES = THEME_NAMES

# Narration voices (issue 11): ``auto`` picks the best engine installed, ``none`` is silent.
VOICES = ("auto", "piper", "espeak", "none")
# Frame shapes (issue 12): landscape for screens, portrait for phones.
ASPECTS = ("16:9", "9:16")
# Where jobs run (issue 13): worker processes here, or a Dask distributed cluster.
EXECUTORS = ("local", "dask")

# x264 settings of the video (mp4, and the segments a gif is made from), by name; issue 13.
# Chosen by bench/encoder.py (CPU per frame, size, PSNR against the drawn frames; figures in
# the README): "fast" gives the PSNR of Manim's default (41.2 dB on HingeStacking at 1080p)
# at about its size for a quarter less CPU per frame, and a whole 1080p60 render (drawing
# included, with held frames converted once) about a third less CPU and 280 MB less memory.
# One encoder thread: each worker already draws and encodes in two threads, workers fill the
# cores, and the bytes do not depend on the machine's core count. "manim" is Manim's own
# default (preset medium, crf 23, threads auto). ``--encoder NAME`` or
# ``--encoder preset=...,tune=...,crf=...,threads=...`` overrides it; the settings are part
# of each job's cache key.
ENCODER_PROFILES = {
    "manim": {"preset": "medium", "crf": "23"},
    "fast": {"preset": "veryfast", "tune": "animation", "crf": "20", "threads": "1"},
}
X264_PRESETS = (
    "ultrafast",
    "superfast",
    "veryfast",
    "faster",
    "fast",
    "medium",
    "slow",
    "slower",
    "veryslow",
    "placebo",
)
X264_TUNES = ("film", "animation", "grain", "stillimage", "psnr", "ssim", "fastdecode")

DEFAULT_QUALITY = "low"
DEFAULT_FORMAT = "mp4"
DEFAULT_THEME = "dark"
DEFAULT_VOICE = "auto"
DEFAULT_ASPECT = "16:9"
DEFAULT_EXECUTOR = "local"


def aspect_tag(aspect: str) -> str:
    """The aspect as written into file names: ``""`` for 16:9 (as before), ``-9x16`` else."""
    return "" if aspect == DEFAULT_ASPECT else "-" + aspect.replace(":", "x")
