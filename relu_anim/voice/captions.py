"""Caption chunks: a spoken line cut into readable pieces, each timed from the audio.

A sentence longer than :data:`MAX_CHUNK_CHARS` is cut at a phrase boundary (after ``, ; :``
or a dash) when one falls late enough in the piece, else at a word boundary. Each sentence's
start and end come from the synthesized audio (:class:`.speech.Speech`); inside a sentence
the chunks share its time in proportion to their characters (neither engine reports word
timings). A silent line uses the same cut, timed over its reading time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

MAX_CHUNK_CHARS = 70  # subtitle guidance: two lines of about 35, or one of 70
_DASHES = ("\u2014", "\u2013")  # a bare "-" is more often a minus sign
_PHRASE_ENDS = (",", ";", ":", *_DASHES)
_PIECE_COST = 4.0  # per piece, in units of even**2: fewer pieces first
_PHRASE_BONUS = 0.25  # a phrase end is worth a piece half the even length off

Chunk = tuple[float, float, str]  # (start, end, text), seconds


def split_chunks(sentence: str, limit: int = MAX_CHUNK_CHARS) -> list[str]:
    """``sentence`` in as few pieces of at most ``limit`` characters as it takes, of even
    length, cut after a phrase end where one is near (a longer single word stays whole).

    Least squares over the cuts (as in minimum-raggedness line breaking): each piece costs
    its squared distance from the even length, less a bonus when it ends a phrase.
    """
    words = sentence.split()
    if len(" ".join(words)) <= limit:
        return [" ".join(words)] if words else []
    count = math.ceil(len(" ".join(words)) / limit)
    even = len(" ".join(words)) / count
    best: list[tuple[float, int]] = [(0.0, 0)] + [(math.inf, 0)] * len(words)
    for j in range(1, len(words) + 1):  # best[j]: cheapest cut of words[:j], its last cut
        for i in range(j - 1, -1, -1):
            width = len(" ".join(words[i:j]))
            if width > limit and j - i > 1:
                break
            bonus = _PHRASE_BONUS * even**2 if j < len(words) and _ends_phrase(words, j) else 0
            cost = best[i][0] + _PIECE_COST * even**2 + (width - even) ** 2 - bonus
            if cost < best[j][0]:
                best[j] = (cost, i)
    cuts, j = [], len(words)
    while j:
        cuts.append(j)
        j = best[j][1]
    bounds = [0, *reversed(cuts)]
    return [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def _ends_phrase(words: list[str], j: int) -> bool:
    """A cut before ``words[j]`` falls at a phrase boundary."""
    return words[j - 1].endswith(_PHRASE_ENDS) or words[j] in _DASHES


def timed_chunks(sentences: Iterable[tuple[float, float, str]], offset: float = 0.0) -> list[Chunk]:
    """Chunks of each timed sentence, sharing its time by characters, shifted by ``offset``."""
    out: list[Chunk] = []
    for start, end, sentence in sentences:
        pieces = split_chunks(sentence)
        total = sum(len(p) for p in pieces)
        at = start
        for piece in pieces:
            length = (end - start) * len(piece) / total
            out.append((offset + at, offset + at + length, piece))
            at += length
    return out


def proportional_sentences(sentences: list[str], seconds: float) -> list[tuple[float, float, str]]:
    """Sentences laid end to end over ``seconds`` by characters: a silent line's timing."""
    total = sum(len(s) for s in sentences) or 1
    out, at = [], 0.0
    for s in sentences:
        length = seconds * len(s) / total
        out.append((at, at + length, s))
        at += length
    return out
