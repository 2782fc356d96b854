"""Tiny scenes for the Dask executor's tests (tests/cli/test_dask.py): a second fast scene,
and one whose first try takes down the Dask worker running it."""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from manim import Create, FadeOut, Square

from relu_anim.lecture import LectureScene, beat, param


class TinySquare(LectureScene):
    title = "Tiny square"
    summary = "A square appears and fades: a second fast scene for executor tests."

    @dataclass(frozen=True)
    class Params:
        side: float = param(1.5, "side length", between=(0.1, 4))

    @classmethod
    def compute(cls, params):
        return {"side": params.side, "area": params.side**2}

    @classmethod
    def summarize(cls, data):
        return dict(data)

    def construct(self):
        self.draw()

    @beat("A square is drawn, and it fades.")
    def draw(self):
        square = Square(side_length=self.params.side, color=self.theme.accent)
        self.play(Create(square), run_time=0.6)
        self.play(FadeOut(square), run_time=0.4)


class LostWorker(LectureScene):
    """Only for ``--executor dask``: its job process's parent is then the Dask worker.

    On the first try (``marker`` absent) it writes the marker and SIGKILLs that worker mid
    render, as a machine lost from the cluster; the job process follows its parent
    (``worker.exit_with_parent``). On the next try it renders like any scene.
    """

    title = "Lost worker"
    summary = "Kills the Dask worker running it on the first try."

    @dataclass(frozen=True)
    class Params:
        marker: str = param("", "a file that is absent on the first try")

    def construct(self):
        self.play(Create(Square(color=self.theme.accent)), run_time=0.4)
        marker = Path(self.params.marker)
        if self.params.marker and not marker.exists():
            marker.write_text(str(os.getppid()))
            os.kill(os.getppid(), signal.SIGKILL)
            time.sleep(60)
        self.play(FadeOut(*self.mobjects), run_time=0.4)
