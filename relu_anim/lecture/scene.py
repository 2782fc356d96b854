"""LectureScene: a Manim Scene with parameters, numbers from the core, captioned beats, a theme.

The convention every scene in ``scenes/`` follows (``relu-anim new NAME`` writes it out)::

    from dataclasses import dataclass

    from relu_anim.lecture import LectureScene, beat, param


    class Shift(LectureScene):
        title = "Shifting a hinge"                      # shown on the title bar
        summary = "b moves the kink of max(0, x + b)."  # one line, for listings and the gallery
        order = 50                                      # lecture order among all scenes

        @dataclass(frozen=True)
        class Params:                                   # validated before the first frame
            bias: float = param(1.0, "where the kink goes", between=(-3, 3))

        @classmethod
        def compute(cls, params):                       # every number, from relu_anim.core
            return ReluNet.one_hidden([[1.0]], [params.bias], [[1.0]], [0.0])

        @classmethod
        def summarize(cls, net):                        # what the manifest records
            return {"kink": float(net.kinks()[0])}

        def construct(self):                            # the storyboard: beats in order,
            axes = self.show_axes()                     # each gets what it needs as
            self.show_kink(axes, self.data)             # arguments and returns what it
            self.end_card("The bias slides the kink.")  # leaves on screen

        @beat("Here is the plane of x and y.")
        def show_axes(self):
            ...

        @beat("The kink sits at x = {data.kinks()[0]:.2f}.")   # formatted from self.data
        def show_kink(self, axes, net):
            ...

Rules the class enforces, so every scene obeys them:

- **Params**: a frozen dataclass whose fields come from :func:`param` (default, one-line help,
  optional ``choices``/``between``); a custom ``validate()`` may add checks. Bad values are
  rejected by :func:`relu_anim.lecture.params.validate_params` before anything is drawn.
- **compute / summarize**: classmethods, so the CLI and tests can call them without rendering.
  ``setup`` stores ``compute(params)`` as ``self.data`` before the first frame.
- **Beats**: a method decorated with :func:`beat` is one beat: its name is the method's name
  (``show_kink`` -> ``show-kink``), it starts a Manim section (per-beat clips and slides) and
  shows its caption, which goes into the ``.srt``. ``self.say(text)`` adds another caption line
  inside a beat. A beat ends with its point on screen (its last frame is its storyboard
  picture and its slide's resting frame): return what it leaves, and let the next beat clear
  what it no longer needs.
- **Reading rate**: a caption stays on screen at least :data:`MIN_CAPTION_SECONDS` and long
  enough to read at :data:`READING_CHARS_PER_SECOND`; a new line or the end of the beat waits
  until the previous line has had its time. A beat is never shorter than its words.
- **Narration** (``voice`` piper or espeak): each line (the beat's caption, or the longer
  ``narration`` it declares, and every ``say()`` line) is synthesized when it starts, its
  audio placed at that moment, and the line lasts its speech plus :data:`LINE_PAUSE` (never
  less than :data:`MIN_CAPTION_SECONDS`): the waits stretch, speech is never cut and two
  lines never overlap. The subtitles are the spoken text in chunks of at most 70 characters
  timed from the audio (``relu_anim.voice.captions``); ``self.caption_chunks`` holds the
  schedule and :meth:`LectureScene.on_caption_chunks` is called as each line is scheduled.
  With ``voice="none"`` nothing of this happens: captions keep the reading rate.
- **Endings and titles**: ``self.title_card()`` and ``self.end_card(text)`` (a closing beat that
  keeps the bottom band free for subtitles) look the same in every scene.
- **Theme**: ``self.theme`` is passed in like the params (``Scene(params, theme="light")``);
  scenes take every colour, font and size from it.
- **Frame guard**: with ``frame_guard=True`` (the tests) every ``play``/``wait`` checks that all
  visible mobjects lie inside the frame and that text uses only the theme's text colours.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from manim import FadeIn, FadeOut, Scene, VGroup, config

from ..theme import Theme, get_theme
from ..voice import resolve
from ..voice.captions import Chunk, proportional_sentences, timed_chunks
from ..voice.engines import release as release_voice
from ..voice.narration import check_line, script_text
from ..voice.speech import Speech, split_sentences, synthesize
from .guard import FrameBoundsError, check_frame
from .params import NoParams, validate_params

FRAME_GUARD_ENV = "RELU_ANIM_FRAME_GUARD"
READING_CHARS_PER_SECOND = 15.0  # subtitle guidance: about 15 characters a second
MIN_CAPTION_SECONDS = 1.5
LINE_PAUSE = 0.4  # seconds of quiet after a spoken line before the next one starts

__all__ = ["LectureScene", "beat", "reading_seconds", "FrameBoundsError"]


def reading_seconds(text: str) -> float:
    """How long a caption must stay on screen to be read."""
    return max(MIN_CAPTION_SECONDS, len(text) / READING_CHARS_PER_SECOND)


Caption = str | Callable[[Any], str] | None


def beat(caption: Caption = None, narration: Caption = None) -> Callable:
    """Mark a method as one beat of the storyboard, with its caption.

    ``caption`` is a sentence, optionally with ``str.format`` fields filled from the scene's
    ``data`` and ``params`` (``"{data.regions} regions"``), or a function of the scene.
    ``narration`` (same forms) is what a voice says instead of the caption, when the short
    caption is not all a listener needs; the subtitles then show the narration.
    """

    def decorate(method: Callable) -> Callable:
        name = method.__name__.strip("_").replace("_", "-")

        @functools.wraps(method)
        def run(self: LectureScene, *args: Any, **kwargs: Any) -> Any:
            self.start_beat(name, self.caption_text(caption), self.caption_text(narration))
            result = method(self, *args, **kwargs)
            self.beat_results[name] = result
            self.end_beat()
            return result

        run.beat_name = name
        run.beat_caption = caption
        run.beat_narration = narration
        return run

    return decorate


class LectureScene(Scene):
    title: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    order: ClassVar[int] = 100  # position in listings and the gallery (lecture order)
    Params: ClassVar[type] = NoParams
    abstract: ClassVar[bool] = False  # True: a base class the registry does not list

    def __init__(
        self,
        params: Any = None,
        theme: str | Theme | None = None,
        frame_guard: bool | None = None,
        voice: str = "none",
        aspect: str = "16:9",
        burn_captions: bool = False,
        speech_cache: str | Path | None = None,
        **kwargs: Any,
    ) -> None:
        self.params = params if params is not None else self.Params()
        self.voice = resolve(voice)  # the speech engine narrating each beat, or "none"
        self.speech_cache = speech_cache  # folder of synthesized lines (None: the user cache)
        self.aspect = aspect  # 16:9 (screens) or 9:16 (phones): Manim's frame is set to match
        self.burn_captions = burn_captions  # draw the captions into the frames
        validate_params(self.params, type(self).__name__)
        self.theme: Theme = get_theme(theme)
        if frame_guard is None:
            frame_guard = os.environ.get(FRAME_GUARD_ENV) == "1"
        self.frame_guard = frame_guard
        self.guard_checks = 0
        self.data: Any = None
        self.numbers: dict[str, Any] = {}
        self.beats: list[str] = []
        self.beat_captions: dict[str, str] = {}
        self.beat_results: dict[str, Any] = {}  # what each beat returned (left on screen)
        self.caption_log: list[tuple[float, str]] = []
        # called as hook(scene, beat name) when a beat ends: storyboards, tests, slides
        self.beat_end_hooks: list[Callable[[LectureScene, str], None]] = []
        self.caption_chunks: list[Chunk] = []  # (start, end, text) of every subtitle chunk
        self.script: list[tuple[str, list[str]]] = []  # (beat, lines spoken) in reading order
        self.speech_log: list[tuple[str, float, float]] = []  # (beat, start, end) of speech
        self.speech_cpu_seconds = 0.0  # synthesis time in this render (cached lines: 0)
        self._open_caption: _Line | None = None
        self._current_beat: str | None = None
        super().__init__(**kwargs)

    # -- numbers --------------------------------------------------------------------------
    @classmethod
    def compute(cls, params: Any) -> Any:
        """Ask the core for every number the scene shows. Called once, before the first frame."""
        return None

    @classmethod
    def summarize(cls, data: Any) -> dict[str, Any]:
        """The numbers from ``data`` that the manifest records (errors, counts, weights)."""
        return {}

    def setup(self) -> None:
        super().setup()
        self.camera.background_color = self.theme.background
        self.data = type(self).compute(self.params)
        self.numbers = type(self).summarize(self.data)

    def numeric_summary(self) -> dict[str, Any]:
        return dict(self.numbers)

    # -- beats and captions -----------------------------------------------------------------
    def caption_text(self, caption: Caption) -> str | None:
        if caption is None:
            return None
        if callable(caption):
            return caption(self)
        return caption.format(data=self.data, params=self.params)

    def start_beat(self, name: str, caption: str | None, narration: str | None = None) -> None:
        """Begin a beat: a Manim section, and its caption (spoken: its narration) if any."""
        if self._current_beat is not None:
            self.end_beat()
        self.beats.append(name)
        self.beat_captions[name] = caption or ""
        self._current_beat = name
        self.script.append((name, []))
        self.next_section(name)
        if caption or narration:
            self._line(caption or narration, narration or caption)

    def end_beat(self) -> None:
        """End the current beat once its caption has been on screen long enough to read."""
        self._settle_caption()
        name, self._current_beat = self._current_beat, None
        for hook in self.beat_end_hooks:
            hook(self, name or "")

    def say(self, text: str) -> None:
        """Show (and speak) a caption line from now until the next; the previous gets its time."""
        self._line(text, text)

    def on_caption_chunks(self, chunks: list[Chunk]) -> None:
        """Called with a line's subtitle chunks (absolute times) when the line starts.

        A hook for drawing the captions into the frames; the last chunk of a line may stay
        up past its end, until the next line starts (the .srt shows it so).
        """
        if self.burn_captions:  # drawn in the caption band, chunk by chunk, at these times
            from ..visuals.captions import burned_captions

            burned_captions(self).schedule(chunks)

    def narration_script(self) -> str:
        """What is said, beat by beat, in reading order (``<Scene>.txt``)."""
        return script_text(type(self).__name__, self.title, self.script)

    def _line(self, caption: str, spoken: str) -> None:
        """Show ``caption`` from now on; with a voice, speak ``spoken`` now and show it."""
        self._settle_caption()
        self._close_caption()
        now = float(self.time)
        if self.voice != "none":
            where = f"{type(self).__name__} beat {self._current_beat or '-'}"
            spoken = check_line(spoken, where)
        self.caption_log.append((now, caption))
        if not self.script:
            self.script.append(("-", []))
        self.script[-1][1].append(spoken)
        if self.voice == "none":
            hold = reading_seconds(caption)
            chunks = timed_chunks(proportional_sentences(split_sentences(caption), hold), now)
            self._open_caption = _Line(now, caption, hold, None)
        else:
            speech = self._speak(spoken)
            hold = max(speech.duration + LINE_PAUSE, MIN_CAPTION_SECONDS)
            chunks = timed_chunks(speech.sentences, now)
            self._open_caption = _Line(now, caption, hold, chunks)
        self.caption_chunks.extend(chunks)
        self.on_caption_chunks(chunks)

    def _speak(self, text: str) -> Speech:
        """Synthesize ``text`` (or take it from the cache) and place its audio at this moment."""
        speech = synthesize(text, self.voice, self.speech_cache)
        self.speech_cpu_seconds += speech.cpu_seconds
        self.add_sound(str(speech.path))
        now = float(self.time)
        self.speech_log.append((self._current_beat or "-", now, now + speech.duration))
        return speech

    def _settle_caption(self) -> None:
        line = self._open_caption
        if line is None:
            return
        missing = line.start + line.hold - float(self.time)
        if missing <= 1e-6:
            return
        if line.chunks is None:  # silent: at least one frame (Manim warns about shorter waits)
            self.wait(max(missing, 1 / config.frame_rate))
        else:  # spoken: whole frames rounded up, so the next line never starts on this one
            self.wait(math.ceil(missing * config.frame_rate - 1e-6) / config.frame_rate)

    def _close_caption(self) -> None:
        line, now = self._open_caption, float(self.time)
        if line is None:
            return
        self._open_caption = None
        if line.chunks is None:  # silent: the whole line, until the next one
            length = max(now - line.start, MIN_CAPTION_SECONDS)
            self.add_subcaption(line.text, duration=length, offset=line.start - now)
            return
        ends = [start for start, _, _ in line.chunks[1:]] + [now]
        for (start, end, text), until in zip(line.chunks, ends, strict=True):
            self.add_subcaption(text, duration=max(end, until) - start, offset=start - now)

    def _pad_audio(self) -> None:
        """Silence up to the last frame: the soundtrack is as long as the video."""
        writer = self.renderer.file_writer
        if getattr(writer, "includes_sound", False):
            writer.add_audio_segment(type(writer.audio_segment).silent(0), float(self.time))

    def tear_down(self) -> None:
        if self._current_beat is not None:
            self.end_beat()
        self._close_caption()
        self._pad_audio()
        release_voice()  # every line is spoken: piper's model leaves before the video is joined
        super().tear_down()

    # -- shared furniture ---------------------------------------------------------------------
    def title_card(self) -> VGroup:
        """Put the scene's title bar on screen (no animation) and return it."""
        from ..visuals.layout import title_bar

        bar = title_bar(self.title, self.theme)
        self.add(bar)
        return bar

    def end_card(self, text: str, clear: tuple = ()) -> VGroup:
        """The closing beat: fade out ``clear``, dim the rest, show ``text`` as the last words."""
        from ..visuals.layout import closing_card, dimmer

        self.start_beat("closing", text)
        card = closing_card(text, self.theme)
        fades = [FadeOut(m) for m in clear]
        self.play(*fades, FadeIn(dimmer(self.theme)), FadeIn(card), run_time=1.0)
        self.end_beat()
        self.wait(1.0)  # the last frame holds a moment after the caption's reading time
        return card

    # -- frame guard ------------------------------------------------------------------------
    def play(self, *args: Any, **kwargs: Any) -> None:
        """Scene.play, then the frame guard (``wait`` goes through here too)."""
        super().play(*args, **kwargs)
        if self.frame_guard:
            self.check_frame()

    def check_frame(self) -> None:
        """Raise FrameBoundsError if a visible mobject leaves the frame or uses a foreign colour."""
        self.guard_checks += 1
        where = f"{type(self).__name__} beat {self.beats[-1] if self.beats else '-'}"
        check_frame(self.mobjects, self.theme, where)


@dataclass(frozen=True)
class _Line:
    """The caption line on screen: since when, for at least how long, its timed chunks."""

    start: float
    text: str
    hold: float  # seconds it must stay: its reading time, or its speech and a pause
    chunks: list[Chunk] | None  # the subtitles when spoken; None: the line itself (silent)
