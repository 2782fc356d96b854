"""Captions as a voice should say them: symbols read as words.

The captions are written to be read (``w·x + b < 0``, ``x = −b/w``, ``1e-12``, ``2 → 4 → 1``);
espeak-ng's phonemizer (piper's too) drops ``·``, ``<`` and ``↦``, and reads ``/`` as
"slash" and ``→`` as "right arrow". Each sentence is rewritten for the voice only; the
subtitles keep the written form, so sentence for sentence the two stay aligned.
"""

from __future__ import annotations

import re

_WORDS = [  # (pattern, replacement), applied in order
    (r"\bReLU(s?)\b", r"ray-loo\1"),  # the usual spoken form, not "R-E-L-U"
    (r"\btanh\b", "tan h"),
    (r"\^\s*\(?([\w\u2212-]+)\)?", r" to the \1"),
    (r"(?<=[\w)\]])\s*/\s*(?=[\w(\u2212-])", " over "),
    (r"\u00b2", " squared"),
    (r"\u00b3", " cubed"),
]
_SYMBOLS = {
    "\u2212": " minus ",
    "\u00b7": " times ",
    "\u22c5": " times ",
    "\u00d7": " times ",
    "\u2264": " at most ",
    "\u2265": " at least ",
    "<": " less than ",
    ">": " greater than ",
    "\u2248": " about ",
    "\u2260": " not equal to ",
    "\u2192": " to ",
    "\u21a6": " maps to ",
    "\u221a": " root ",
    "|": " ",
}
_SYMBOL = re.compile("|".join(map(re.escape, _SYMBOLS)))
_MINUS = re.compile(r"(?<=[\s(])-(?=[\w(])")  # a sign, not a hyphen: "-b", "( -1"


_SCIENTIFIC = re.compile(r"\b(\d(?:\.\d+)?)e([-+\u2212]?)(\d+)\b")


def _scientific(match: re.Match) -> str:
    """``1e-12`` -> "ten to the minus 12", ``3.2e+05`` -> "3.2 times ten to the 5"."""
    mantissa, sign, exponent = match.groups()
    minus = "minus " if sign in ("-", "\u2212") else ""
    power = f"ten to the {minus}{int(exponent)}"
    return power if mantissa == "1" else f"{mantissa} times {power}"


def spoken_form(sentence: str) -> str:
    """``sentence`` with its symbols written out as words, white space folded."""
    text = _SCIENTIFIC.sub(_scientific, sentence)
    for pattern, replacement in _WORDS:
        text = re.sub(pattern, replacement, text)
    text = _SYMBOL.sub(lambda m: _SYMBOLS[m.group(0)], text)
    text = _MINUS.sub("minus ", text)
    return " ".join(text.split())
