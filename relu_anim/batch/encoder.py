"""A job's video encoder settings: a named profile or ``key=value`` pairs, validated.

``--encoder fast``, ``--encoder preset=faster,crf=20`` (on top of the quality's profile) or
``--encoder manim,crf=20`` (a profile, then pairs). The result is the x264 option dict that
``worker.render_scene`` hands to Manim (``video_encoder_options``) and that the cache key
records. Manim encodes mp4 and the segments of a gif with libx264; a webm keeps Manim's
VP9 settings, so ``--encoder`` with webm is an error rather than silently ignored.
"""

from __future__ import annotations

from .choices import ENCODER_PROFILES, QUALITIES, X264_PRESETS, X264_TUNES


class EncoderError(ValueError):
    """A bad ``--encoder`` value; the message is one line for the user."""


def _crf(value: str) -> str:
    try:
        crf = float(value)
    except ValueError:
        crf = -1.0
    if not 0 <= crf <= 51:
        raise EncoderError(f"--encoder crf must be a number from 0 to 51, got {value!r}")
    return f"{crf:g}"


def _threads(value: str) -> str:
    if not (value.isdigit() and int(value) <= 64):
        raise EncoderError(f"--encoder threads must be 0 (auto) to 64, got {value!r}")
    return str(int(value))


def _one_of(key: str, choices) -> callable:
    def check(value: str) -> str:
        if value not in choices:
            raise EncoderError(
                f"--encoder {key} must be one of {', '.join(choices)}, got {value!r}"
            )
        return value

    return check


KEYS = {
    "preset": _one_of("preset", X264_PRESETS),
    "tune": _one_of("tune", X264_TUNES),
    "crf": _crf,
    "threads": _threads,
}


def encoder_options(spec: str | None, quality: str, fmt: str) -> dict[str, str]:
    """The x264 options of a job; ``spec`` as typed (None: the quality's profile)."""
    if fmt == "webm":
        if spec:
            raise EncoderError("--encoder sets x264 (mp4, gif); webm keeps Manim's VP9 settings")
        return {}
    options = dict(ENCODER_PROFILES[QUALITIES[quality].encoder])
    items = [item.strip() for item in (spec or "").split(",") if item.strip()]
    if items and "=" not in items[0]:
        name = items.pop(0)
        if name not in ENCODER_PROFILES:
            valid = ", ".join(ENCODER_PROFILES)
            raise EncoderError(f"unknown encoder profile {name!r}; valid: {valid} or KEY=VALUE")
        options = dict(ENCODER_PROFILES[name])
    for item in items:
        key, sep, value = (part.strip() for part in item.partition("="))
        if not sep or key not in KEYS:
            raise EncoderError(
                f"--encoder expects PROFILE or KEY=VALUE pairs with keys {', '.join(KEYS)}, "
                f"got {item!r}"
            )
        options[key] = KEYS[key](value)
    return dict(sorted(options.items()))
