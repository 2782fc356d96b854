"""Caption chunks: readable pieces of a sentence, timed inside it (no engine needed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relu_anim.voice.captions import (
    MAX_CHUNK_CHARS,
    proportional_sentences,
    split_chunks,
    timed_chunks,
)
from relu_anim.voice.speech import split_sentences

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz,;:.0123456789", min_size=1, max_size=14)


@given(st.lists(words, min_size=1, max_size=60))
def test_chunks_keep_the_words_in_order_and_fit(ws):
    sentence = " ".join(ws)
    chunks = split_chunks(sentence)
    assert " ".join(chunks) == sentence
    assert all(len(c) <= MAX_CHUNK_CHARS for c in chunks)  # no word here is longer


def test_a_word_longer_than_a_chunk_stays_whole():
    assert split_chunks("x" * 90 + " short") == ["x" * 90, "short"]


def test_chunks_are_even_and_cut_after_a_phrase():
    sentence = (
        "y follows: each open gate adds its z times its output weight, "
        "plus a bias, and then the output is compared with the target."
    )
    chunks = split_chunks(sentence)
    assert chunks == [
        "y follows: each open gate adds its z times its output weight,",
        "plus a bias, and then the output is compared with the target.",
    ]
    assert split_chunks("Short enough.") == ["Short enough."]


def test_sentences_split_at_stops_but_not_in_numbers():
    text = "The error is 0.57 here. Is it less?  Yes!  It is y = 0."
    assert split_sentences(text) == [
        "The error is 0.57 here.",
        "Is it less?",
        "Yes!",
        "It is y = 0.",
    ]


@pytest.mark.parametrize("offset", [0.0, 12.5])
def test_chunks_share_their_sentence_time_by_characters(offset):
    long = "a b, " * 30 + "end."
    timed = timed_chunks([(1.0, 4.0, "Hello."), (4.25, 10.25, long)], offset)
    assert timed[0] == (offset + 1.0, offset + 4.0, "Hello.")
    rest = timed[1:]
    assert len(rest) == len(split_chunks(long)) > 1
    assert rest[0][0] == pytest.approx(offset + 4.25) and rest[-1][1] == pytest.approx(
        offset + 10.25
    )
    for (_, end, _), (start, _, _) in zip(rest, rest[1:], strict=False):
        assert start == pytest.approx(end)  # contiguous inside the sentence
    rate = [(e - s) / len(t) for s, e, t in rest]
    assert max(rate) == pytest.approx(min(rate))  # seconds per character: the same for all


def test_a_silent_line_is_timed_over_its_reading_time():
    laid = proportional_sentences(["One.", "Two two."], 3.0)
    assert laid == [(0.0, 1.0, "One."), (1.0, 3.0, "Two two.")]
