"""Each beat's own clip, cut by Manim itself: the section videos of a render, kept.

A LectureScene starts a Manim section per beat, so with ``save_sections`` Manim also joins
each beat's partial movie files into one clip (a stream copy of the packets it has just
encoded: no second encoding) and writes an index of them. The worker stages these clips as
``OUT/<quality>/beats/<stem>/<NN>-<beat>.<fmt>`` and records them in the manifest entry, so
slides come from the same render and the same cache as the videos.

Manim drops the sound from section clips; a narrated scene's clips get their share of the
scene's audio track back by a remux (:func:`add_audio`), again without re-encoding.
"""

from __future__ import annotations

import bisect
import json
import os
from pathlib import Path
from typing import Any

SECTION_FORMATS = ("mp4", "webm")  # Manim writes no section clips for gif


def sections_config(fmt: str) -> dict[str, Any]:
    """The Manim config that keeps a clip per beat (none for formats without sections)."""
    return {"save_sections": True} if fmt in SECTION_FORMATS else {}


def beat_clips(
    scene: Any, video: Path, dest: Path, out: Path
) -> tuple[list[dict[str, Any]], list[tuple[Path, Path]]]:
    """The rendered ``scene``'s section clips as manifest records, and their moves.

    ``dest`` is the clips' final folder, ``out`` the batch's output folder (paths are
    recorded relative to it), ``video`` the scene's full video (its audio, if any, is
    shared out to the clips). Each record has the caption lines said in its span, its
    speaker notes. A section that is not a beat (something played before the first beat)
    is kept, with an empty ``beat``. Moves are (staged clip, final place).
    """
    plan = scene.renderer.file_writer.output_plan
    if plan.section_index is None or not Path(plan.section_index).is_file():
        return [], []
    sections = json.loads(Path(plan.section_index).read_text(encoding="utf-8"))
    fps = scene.camera.frame_rate
    firsts = _first_frames([int(s["nb_frames"]) for s in sections])
    notes = _notes_by_section(scene.caption_log, firsts, fps)
    clips, moves = [], []
    for i, section in enumerate(sections):
        staged = Path(plan.sections_dir) / section["video"]
        name = section["name"]
        final = dest / f"{i + 1:02d}-{name}{staged.suffix}"
        start, duration = firsts[i] / fps, int(section["nb_frames"]) / fps
        clips.append(
            {
                "beat": name if name in scene.beats else "",
                "path": final.relative_to(out).as_posix(),
                "start": round(start, 6),
                "duration": round(duration, 6),
                "frames": int(section["nb_frames"]),
                "audio": add_audio(staged, video, start, duration),
                "notes": notes[i],
            }
        )
        moves.append((staged, final))
    return clips, moves


def _first_frames(frame_counts: list[int]) -> list[int]:
    """The index of each section's first frame in the whole video."""
    firsts, total = [], 0
    for n in frame_counts:
        firsts.append(total)
        total += n
    return firsts


def _notes_by_section(caption_log, firsts: list[int], fps: float) -> list[list[str]]:
    """The caption lines said in each section: a line said at frame f belongs to the last
    section starting at or before f (scene time counts written frames, so this is exact)."""
    notes: list[list[str]] = [[] for _ in firsts]
    for t, text in caption_log:
        i = bisect.bisect_right(firsts, round(t * fps)) - 1
        notes[max(i, 0)].append(text)
    return notes


def add_audio(clip: Path, video: Path, start: float, duration: float) -> bool:
    """Give ``clip`` the audio of ``video`` from ``start`` for ``duration`` seconds.

    A remux: the clip's video packets and the scene's audio packets that start in the
    span, their timestamps shifted to the clip's start (an AAC or Opus packet lasts about
    20 ms, so a cut is within one packet of the beat's boundary). False when ``video`` has
    no audio.
    """
    import av

    with av.open(str(video)) as source:
        if not source.streams.audio:
            return False
    tmp = clip.with_name(f".{clip.name}.audio{clip.suffix}")
    try:
        _remux_with_audio(clip, video, tmp, start, duration)
        os.replace(tmp, clip)
    finally:
        tmp.unlink(missing_ok=True)
    return True


def _remux_with_audio(clip: Path, video: Path, tmp: Path, start: float, duration: float) -> None:
    import av

    with (
        av.open(str(clip)) as pictures,
        av.open(str(video)) as sound,
        av.open(str(tmp), mode="w") as target,
    ):
        v_in, a_in = pictures.streams.video[0], sound.streams.audio[0]
        v_out = target.add_stream_from_template(v_in)
        a_out = target.add_stream_from_template(a_in)
        for packet in pictures.demux(v_in):
            if packet.dts is not None:
                packet.stream = v_out
                target.mux(packet)
        shift = round(start / a_in.time_base)
        end = round((start + duration) / a_in.time_base)
        for packet in sound.demux(a_in):
            if packet.pts is None or not shift <= packet.pts < end:
                continue
            packet.pts -= shift
            packet.dts -= shift
            packet.stream = a_out
            target.mux(packet)
