"""Helpers of the voice tests: the engines installed here (each test runs once per engine)
and the silence threshold for soundtracks."""

from __future__ import annotations

import numpy as np

from relu_anim.voice import espeak_installed, piper_installed

ENGINES = [e for e, ok in (("piper", piper_installed()), ("espeak", espeak_installed())) if ok]

# Silence threshold for the soundtrack: the gaps we insert are digital zeros (AAC brings them
# back below 1e-4 RMS); speech in 20 ms windows reaches RMS 0.1-0.3 (piper normalises each
# sentence to peak 1, espeak speaks at about a third of full scale). 0.01 (-40 dBFS) is a
# decade above the codec's floor and a decade below the quietest speech.
SILENCE_RMS = 0.01
WINDOW = 0.02


def loudest_rms(samples: np.ndarray, rate: int, start: float, end: float) -> float:
    """The largest RMS of a 20 ms window between ``start`` and ``end`` seconds."""
    # Round, not truncate: a boundary such as 30720 / 22050 s comes back from float seconds
    # as 30719.9999... samples, and truncating would put the speech's last sample inside.
    a, b = round(start * rate), round(end * rate)
    part = samples[a:b]
    n = int(WINDOW * rate)
    if len(part) < n:
        return float(np.sqrt(np.mean(part**2))) if len(part) else 0.0
    frames = part[: len(part) // n * n].reshape(-1, n)
    return float(np.sqrt((frames**2).mean(axis=1)).max())
