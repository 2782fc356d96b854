"""The written symbols of the captions, read out as words for the voice."""

from __future__ import annotations

import pytest

from relu_anim.voice.spoken import spoken_form


@pytest.mark.parametrize(
    "written, said",
    [
        (
            "One ReLU unit: y = v·max(0, w·x + b).",
            "One ray-loo unit: y = v times max(0, w times x + b).",
        ),
        ("b slides the kink to x = −b/w.", "b slides the kink to x = minus b over w."),
        ("The gate cuts w·x + b < 0 to 0;", "The gate cuts w times x + b less than 0 to 0;"),
        ("A 2 → 4 → 1 net, x ↦ Wx + b.", "A 2 to 4 to 1 net, x maps to Wx + b."),
        (
            "1e-12 at layer 1, 3.2e+05 later.",
            "ten to the minus 12 at layer 1, 3.2 times ten to the 5 later.",
        ),
        (
            "2^k pieces miss by 1/N², slopes ≤ 1/4.",
            "2 to the k pieces miss by 1 over N squared, slopes at most 1 over 4.",
        ),
        ("A well-known x - 1 stays.", "A well-known x - 1 stays."),
    ],
)
def test_symbols_are_read_as_words(written, said):
    assert spoken_form(written) == said


def test_what_the_phonemizer_drops_never_reaches_it():
    dropped = "·<>↦→≤≥−×√"
    text = "w·x < 1, y > 0, x ↦ z → 0, a ≤ b ≥ c, −1 × 2, √2"
    assert not set(spoken_form(text)) & set(dropped)
