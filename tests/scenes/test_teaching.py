"""Every registered scene brings complete teaching notes for the handout, and the numbers
they assign to beats exist: keys of the scene's summary, beats the scene has."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from relu_anim.lecture import LectureScene, beat
from relu_anim.lecture.registry import discover
from relu_anim.lecture.teaching import EXERCISES, Teaching, beat_names, problems

SCENES = discover()


@pytest.mark.parametrize("name", list(SCENES))
def test_notes_are_complete_and_name_real_numbers(name):
    cls = SCENES[name]
    numbers = cls.summarize(cls.compute(cls.Params()))
    assert problems(cls, numbers) == []


@pytest.mark.parametrize("name", list(SCENES))
def test_every_exercise_names_numbers_of_the_page(name):
    """An exercise a student checks against the page refers to a number printed on it."""
    notes = SCENES[name].teaching
    keys = {k for ks in notes.beat_numbers.values() for k in ks}
    for question, hint in notes.exercises:
        words = question + " " + hint
        assert any(k in words for k in keys) or any(c.isdigit() for c in hint), question


NOTES = Teaching(
    statement="s",
    source="src",
    reading=("r",),
    exercises=(("q1", "a1"), ("q2", "a2")),
    beat_numbers={"show": ("x",)},
)


class Noted(LectureScene):
    abstract = True  # not registered
    teaching = NOTES

    @dataclass(frozen=True)
    class Params:
        pass

    @beat("shown")
    def show(self):
        pass


def test_beat_names_are_the_beats_and_the_closing():
    assert beat_names(Noted) == ["show", "closing"]


@pytest.mark.parametrize(
    ("notes", "numbers", "problem"),
    [
        (None, {"x": 1}, "no teaching notes"),
        (NOTES, {}, "show: 'x' is not in the summary"),
        (Teaching("s", "src", ("r",), NOTES.exercises, {"gone": ("x",)}), {"x": 1}, "unknown beat"),
        (Teaching("s", "src", ("r",), NOTES.exercises[:1], NOTES.beat_numbers), {"x": 1}, "needs"),
        (
            Teaching("", "src", ("r",), NOTES.exercises, NOTES.beat_numbers),
            {"x": 1},
            "empty statement",
        ),
        (Teaching("s", "src", (), NOTES.exercises, NOTES.beat_numbers), {"x": 1}, "no reading"),
        (Teaching("s", "src", ("r",), NOTES.exercises, {}), {"x": 1}, "gives no beat any number"),
    ],
)
def test_incomplete_notes_are_found(notes, numbers, problem):
    cls = type("Partial", (Noted,), {"teaching": notes, "abstract": True})
    found = problems(cls, numbers)
    assert any(problem in p for p in found), found
    assert problems(Noted, {"x": 1}) == []
    assert EXERCISES == 2


def test_numbers_for_a_beat_follow_the_notes_order():
    notes = Teaching("s", "src", ("r",), NOTES.exercises, {"b": ("y", "x", "missing")})
    assert list(notes.numbers_for("b", {"x": 1, "y": 2})) == ["y", "x"]
    assert notes.numbers_for("other", {"x": 1}) == {}
