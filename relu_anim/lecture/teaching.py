"""Teaching notes kept beside each scene: what it shows, where to read, what to try.

A lecturer printing a handout needs more than frames: the statement the scene illustrates
(with its source), reading for after class, and exercises a student can check against the
numbers the core computed. Keeping the notes in the scene's class means a contributor's new
scene brings its own, and a test keeps every note complete and its number keys real.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

EXERCISES = 2  # per scene: short, each checkable from the numbers on the page


@dataclass(frozen=True)
class Teaching:
    """A scene's notes. ``beat_numbers`` maps a beat name to keys of the scene's summary."""

    statement: str  # the mathematical fact the scene illustrates, in one paragraph
    source: str  # where that statement comes from (paper, book)
    reading: tuple[str, ...] = ()  # where to read more
    exercises: tuple[tuple[str, str], ...] = ()  # (question, hint to the answer)
    beat_numbers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def numbers_for(self, beat: str, numbers: Mapping[str, Any]) -> dict[str, Any]:
        """The summary's entries that belong to ``beat``, in the order the notes list them."""
        return {k: numbers[k] for k in self.beat_numbers.get(beat, ()) if k in numbers}


def teaching_of(scene_cls: type) -> Teaching | None:
    """The scene's notes, or None when it has none yet."""
    notes = getattr(scene_cls, "teaching", None)
    return notes if isinstance(notes, Teaching) else None


def beat_names(scene_cls: type) -> list[str]:
    """The beats a scene class declares (its ``@beat`` methods), plus the closing card."""
    names = []
    for klass in reversed(scene_cls.__mro__):
        for value in vars(klass).values():
            name = getattr(value, "beat_name", None)
            if name and name not in names:
                names.append(name)
    return [*names, "closing"]


def problems(scene_cls: type, numbers: Mapping[str, Any]) -> list[str]:
    """What is missing or wrong in a scene's notes (empty when complete); ``numbers`` is its
    numeric summary, so every key the notes name can be checked against it."""
    notes = teaching_of(scene_cls)
    if notes is None:
        return ["no teaching notes (a class attribute teaching = Teaching(...))"]
    found = [f"empty {name}" for name in ("statement", "source") if not getattr(notes, name)]
    if not notes.reading:
        found.append("no reading")
    if len(notes.exercises) != EXERCISES or not all(q and a for q, a in notes.exercises):
        found.append(f"needs {EXERCISES} exercises, each a question and a hint")
    beats = beat_names(scene_cls)
    for beat, keys in notes.beat_numbers.items():
        if beat not in beats:
            found.append(f"beat_numbers names an unknown beat {beat!r}")
        found += [f"{beat}: {k!r} is not in the summary" for k in keys if k not in numbers]
    if not any(notes.beat_numbers.values()):
        found.append("beat_numbers gives no beat any number")
    return found
