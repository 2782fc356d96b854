"""The themes' colours: readable (WCAG), one meaning per hue family in both themes, and the
pairs that must be told apart still apart with colour-vision deficiencies.

The colour maths (relu_anim/colour.py) is first checked against published values, so
that the theme checks below rest on mathematics, not on the code checking itself.

Thresholds, and why:
- Text 4.5:1 and graphics 3:1: WCAG 2.x AA (1.4.3 body text, 1.4.11 non-text contrast).
- Must-distinguish pairs: CIEDE2000 >= 10 with normal vision, protanopia and deuteranopia.
  A CIEDE2000 of about 1 is just noticeable for large patches side by side; the threshold
  grows several-fold for thin lines and small dots (Stone, Albers Szafir & Setlur 2014;
  Szafir 2018, "Modeling Color Difference for Visualization Design"), and these pairs are
  2-7 px curves, kink dots and edges seen at a glance, often not side by side. 10 keeps
  them apart with room for encoding, scaling and projector drift.
- Tritanopia: >= 5. It is about a hundred times rarer than protanopia or deuteranopia and
  Machado et al. call their tritan model the least accurate; checked, at a lower bar.
- Regions: adjacent ramp steps >= 4 in every vision. They are large patches (where 1 is
  a just-noticeable difference) with a drawn border and the pattern written inside, so the
  colour only has to show the step, not carry the identity alone.
- Same meaning, same hue family: the CIELAB hue angle of a field differs between the
  themes by less than half the smallest gap between two meanings' hues, so every colour
  is nearer its own family than any other.
- One colour, one meaning: different meanings differ by CIEDE2000 >= 10 (normal vision)
  within a theme.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from relu_anim.colour import (
    MACHADO,
    blend,
    chroma,
    contrast_ratio,
    delta_e76,
    delta_e2000,
    difference,
    hue_difference,
    readable_opacity,
    relative_luminance,
    simulate,
    simulate_rgb,
    to_lab,
)
from relu_anim.theme import DARK, LIGHT, THEMES, Theme
from relu_anim.visuals.code_panel import CodePanel
from relu_anim.visuals.network_diagram import CLOSED_FILL, CLOSED_LABEL, OPEN_FILL
from relu_anim.visuals.regions import REGION_OPACITY

# -- the maths, against published values ----------------------------------------------------


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    # WebAIM's contrast checker: #767676 on white is 4.54:1, the lightest grey to pass AA;
    # #777777 is 4.48:1 and fails.
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.005)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.005)
    assert relative_luminance("#FF0000") == pytest.approx(0.2126)  # the BT.709 weights


@pytest.mark.parametrize(
    "rgb, lab",
    [  # Bruce Lindbloom's calculator (sRGB, D65, no adaptation)
        ("#FFFFFF", (100.0, 0.0, 0.0)),
        ("#FF0000", (53.2408, 80.0925, 67.2032)),
        ("#00FF00", (87.7347, -86.1827, 83.1793)),
        ("#0000FF", (32.2970, 79.1875, -107.8602)),
        ("#808080", (53.5850, 0.0, 0.0)),
    ],
)
def test_lab_matches_reference(rgb, lab):
    np.testing.assert_allclose(to_lab(rgb), lab, atol=2e-3)


# Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula: implementation notes,
# supplementary test data, and mathematical observations", Table 1 (pairs 1-3, 7, 9, 11,
# 15, 17-20, 25, 26, 29, 32, 34).
SHARMA = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 3.1571, -77.2803), (50.0, 0.0, -82.7485), 2.8615),
    ((50.0, 2.8361, -74.0200), (50.0, 0.0, -82.7485), 3.4412),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.4900, -0.0010), (50.0, -2.4900, 0.0009), 7.1792),
    ((50.0, 2.4900, -0.0010), (50.0, -2.4900, 0.0011), 7.2195),
    ((50.0, -0.0010, 2.4900), (50.0, 0.0011, -2.4900), 4.7461),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (61.0, -5.0, 29.0), 22.8977),
    ((50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),
    ((50.0, 2.5, 0.0), (58.0, 24.0, 15.0), 19.4535),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize("lab1, lab2, expected", SHARMA)
def test_ciede2000_matches_sharma_test_data(lab1, lab2, expected):
    assert delta_e2000(lab1, lab2, lab=True) == pytest.approx(expected, abs=1e-4)
    assert delta_e2000(lab2, lab1, lab=True) == pytest.approx(expected, abs=1e-4)


def test_cie76_is_euclidean_in_lab():
    assert delta_e76((50, 0, 0), (53, 4, 0), lab=True) == pytest.approx(5.0)


# Reference values from colorspacious 1.1.2 (an independent implementation of Machado et
# al. 2009, applied in linear RGB), clipped to [0, 1]:
#   cspace_convert(rgb, {"name": "sRGB1+CVD", "cvd_type": T, "severity": 100}, "sRGB1")
# with T = protanomaly / deuteranomaly / tritanomaly.
CVD_INPUTS = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (0.9, 0.6, 0.0), (0.34, 0.71, 0.91)]
CVD_REFERENCE = {
    "protanopia": [
        (0.4266, 0.3727, 0.0),
        (1.0, 0.8994, 0.0),
        (0.0, 0.3479, 1.0),
        (0.7050, 0.6185, 0.0),
        (0.6145, 0.7045, 0.9196),
    ],
    "deuteranopia": [
        (0.6401, 0.5658, 0.0),
        (0.9361, 0.8392, 0.2292),
        (0.0, 0.2412, 0.9862),
        (0.7757, 0.6906, 0.0547),
        (0.5358, 0.6466, 0.9068),
    ],
    "tritanopia": [
        (1.0, 0.0, 0.0584),
        (0.0, 0.9689, 0.8496),
        (0.0, 0.4204, 0.5873),
        (0.9841, 0.5218, 0.5106),
        (0.0, 0.7624, 0.7769),
    ],
}


@pytest.mark.parametrize("deficiency", list(CVD_REFERENCE))
def test_cvd_simulation_matches_colorspacious(deficiency):
    for rgb, expected in zip(CVD_INPUTS, CVD_REFERENCE[deficiency], strict=True):
        np.testing.assert_allclose(simulate_rgb(rgb, deficiency), expected, atol=1e-4)


@pytest.mark.parametrize("deficiency", list(MACHADO))
def test_machado_matrices_keep_greys(deficiency):
    """Each row sums to 1, so achromatic colours are seen unchanged (the paper normalises
    the matrices so); a mistyped entry would break this."""
    np.testing.assert_allclose(MACHADO[deficiency].sum(axis=1), 1.0, atol=2e-6)
    for grey in ("#000000", "#808080", "#FFFFFF"):
        assert simulate(grey, deficiency) == grey


@pytest.mark.parametrize("deficiency", ["protanopia", "deuteranopia"])
def test_dichromat_matrices_project_onto_a_plane(deficiency):
    """With one cone class missing, colour space is two-dimensional: the severity-1.0
    protan and deutan matrices are singular (rank 2), and red and green, which differ along
    the lost axis, end up on one line of hues (both yellowish: b* > 0, a* near 0)."""
    assert abs(np.linalg.det(MACHADO[deficiency])) < 1e-5
    assert np.linalg.matrix_rank(MACHADO[deficiency], tol=1e-4) == 2
    for c in ("#FF0000", "#00FF00"):
        _, a, b = to_lab(simulate(c, deficiency))
        assert b > 40 and abs(a) < 12


def test_readable_opacity_is_the_largest_safe_step():
    op = readable_opacity("#F0E442", "#1C222A", ["#F2F2F2"], upto=0.9)
    assert 0 < op < 0.9
    assert contrast_ratio("#F2F2F2", blend("#F0E442", "#1C222A", op)) >= 4.5
    assert contrast_ratio("#F2F2F2", blend("#F0E442", "#1C222A", op + 0.01)) < 4.5


# -- the themes -------------------------------------------------------------------------------

BOTH = pytest.mark.parametrize("theme", list(THEMES.values()), ids=list(THEMES))

# What scenes draw text in today (grep scenes/ relu_anim/visuals/): each must be text-safe.
TEXT_FIELDS = (
    "text",
    "muted",
    "accent_text",
    "target",
    "approx",
    "hinge",
    "open",
    "error",
    "positive",
    "negative",
)
# Drawn as curves, strokes, dots or discs: 3:1 against what they are drawn on.
GRAPHIC_FIELDS = (
    "muted",
    "target",
    "approx",
    "hinge",
    "open",
    "closed",
    "accent",
    "error",
    "positive",
    "negative",
)
# One hue family each; accent and accent_text are one meaning (strokes, words).
CHROMATIC_FIELDS = (
    "target",
    "approx",
    "hinge",
    "open",
    "accent",
    "accent_text",
    "error",
    "positive",
    "negative",
)
GREY_FIELDS = ("background", "text", "muted", "grid", "panel", "closed")
SAME_MEANING = {frozenset({"accent", "accent_text"})}

# Pairs a viewer must tell apart, and where they meet.
MUST_DIFFER = [
    ("target", "approx"),  # the two curves of HingeStacking
    ("target", "hinge"),  # hinges drawn on the same axes
    ("approx", "hinge"),
    ("accent", "target"),  # kink dots and the focus mark sit on every curve colour
    ("accent", "approx"),
    ("accent", "hinge"),
    ("accent", "open"),  # the focus ring around an open gate
    ("open", "closed"),  # gate states
    ("positive", "negative"),  # weight signs, output signs / classes
    ("error", "target"),  # an error band or gap between the curves
    ("error", "approx"),
    ("error", "hinge"),
]


def _get(theme: Theme, field: str) -> str:
    return getattr(theme, field)


@BOTH
def test_text_colors_are_what_scenes_use(theme):
    assert set(theme.text_colors) == {_get(theme, f) for f in TEXT_FIELDS}
    assert len(theme.text_colors) == len(set(theme.text_colors))
    for not_text in ("background", "grid", "panel", "closed"):
        assert _get(theme, not_text) not in theme.text_colors


def test_light_accent_is_for_strokes_and_accent_text_for_words():
    assert LIGHT.accent not in LIGHT.text_colors
    assert LIGHT.accent_text in LIGHT.text_colors
    assert DARK.accent_text == DARK.accent  # the dark theme's yellow is text-safe


@BOTH
def test_every_text_colour_reaches_4_5_on_background_and_panel(theme):
    for c in theme.text_colors:
        for under in (theme.background, theme.panel):
            assert contrast_ratio(c, under) >= 4.5, (theme.name, c, under)


@BOTH
def test_graphics_reach_3_to_1_on_background_and_panel(theme):
    for field in GRAPHIC_FIELDS:
        for under in (theme.background, theme.panel):
            assert contrast_ratio(_get(theme, field), under) >= 3.0, (theme.name, field, under)


@BOTH
def test_text_on_fills_stays_readable(theme):
    # pattern labels on region fills (the plane is drawn on the panel, or on the background)
    for c in (*theme.region_colors, theme.positive, theme.negative):
        for under in (theme.background, theme.panel):
            fill = blend(c, under, REGION_OPACITY)
            assert contrast_ratio(theme.text, fill) >= 4.5, (theme.name, c, under)
    # gate labels on an open disc, and dimmed on a closed one
    open_disc = blend(theme.open, theme.background, OPEN_FILL)
    assert contrast_ratio(theme.text, open_disc) >= 4.5
    closed_disc = blend(theme.closed, theme.background, CLOSED_FILL)
    assert contrast_ratio(blend(theme.text, closed_disc, CLOSED_LABEL), closed_disc) >= 4.5


@BOTH
def test_code_highlight_bar_is_capped_and_still_visible(theme):
    for bar in (theme.accent, theme.open, theme.closed):
        op = readable_opacity(bar, theme.panel, [theme.text], upto=0.45)
        assert contrast_ratio(theme.text, blend(bar, theme.panel, op)) >= 4.5
        # enough of the bar to see it against the card
        assert difference(blend(bar, theme.panel, op), theme.panel) >= 5, (theme.name, bar)


@pytest.mark.parametrize("theme", [DARK, LIGHT], ids=["dark", "light"])
def test_code_panel_caps_its_bar(theme, tmp_path):
    from manim import tempconfig

    with tempconfig({"media_dir": str(tmp_path)}):
        panel = CodePanel(["z = 1", "# note"], theme)
    panel.highlight(0)
    fill = blend(theme.accent, theme.panel, panel.bar.get_fill_opacity())
    assert contrast_ratio(theme.text, fill) >= 4.5
    assert panel.bar.get_fill_opacity() > 0


@BOTH
def test_greys_are_grey(theme):
    for field in GREY_FIELDS:
        assert chroma(_get(theme, field)) < 8, (theme.name, field)


def _family_bound() -> float:
    """Half the smallest hue gap between two different meanings, in either theme."""
    gaps = []
    for theme in THEMES.values():
        for a, b in itertools.combinations(CHROMATIC_FIELDS, 2):
            if frozenset({a, b}) not in SAME_MEANING:
                gaps.append(hue_difference(_get(theme, a), _get(theme, b)))
    return min(gaps) / 2


def test_family_bound_is_meaningful():
    assert _family_bound() >= 8  # the families are far enough apart to tell by hue


@pytest.mark.parametrize("field", CHROMATIC_FIELDS)
def test_same_meaning_keeps_its_hue_family_in_both_themes(field):
    bound = _family_bound()
    assert hue_difference(_get(DARK, field), _get(LIGHT, field)) < bound
    # and the light shade is nearest to its own dark family
    others = [f for f in CHROMATIC_FIELDS if frozenset({f, field}) not in SAME_MEANING]
    nearest = min(others + [field], key=lambda f: hue_difference(_get(DARK, f), _get(LIGHT, field)))
    assert nearest == field


def test_accent_text_is_the_accents_hue():
    for theme in THEMES.values():
        assert hue_difference(theme.accent, theme.accent_text) < _family_bound()


@BOTH
def test_region_ramp_is_the_open_hue_growing_with_open_gates(theme):
    ramp = theme.region_colors
    assert len(ramp) >= 5  # 0..4 open gates distinct (GatesAsIfs' default has 4 units)
    for c in ramp:
        assert hue_difference(c, theme.open) < _family_bound()
    # more open gates, more salient: contrast with the background grows along the ramp
    salience = [contrast_ratio(c, theme.background) for c in ramp]
    assert salience == sorted(salience)
    assert theme.accent not in ramp


def test_regions_keep_their_colours_across_themes():
    assert len(DARK.region_colors) == len(LIGHT.region_colors)
    for d, lt in zip(DARK.region_colors, LIGHT.region_colors, strict=True):
        assert hue_difference(d, lt) < _family_bound()


@BOTH
def test_one_colour_one_meaning(theme):
    for a, b in itertools.combinations(CHROMATIC_FIELDS, 2):
        if frozenset({a, b}) in SAME_MEANING:
            continue
        assert difference(_get(theme, a), _get(theme, b)) >= 10, (theme.name, a, b)
    semantic = [_get(theme, f) for f in (*CHROMATIC_FIELDS, *GREY_FIELDS) if f != "accent_text"]
    assert len({c.lower() for c in semantic}) == len(semantic)


@BOTH
@pytest.mark.parametrize("a, b", MUST_DIFFER, ids=[f"{a}-{b}" for a, b in MUST_DIFFER])
def test_must_differ_pairs_stay_apart_with_cvd(theme, a, b):
    ca, cb = _get(theme, a), _get(theme, b)
    for vision in ("normal", "protanopia", "deuteranopia"):
        assert difference(ca, cb, vision) >= 10, (theme.name, a, b, vision)
    assert difference(ca, cb, "tritanopia") >= 5, (theme.name, a, b, "tritanopia")


@BOTH
def test_output_sign_fills_and_ramp_steps_stay_apart_with_cvd(theme):
    for under in (theme.background, theme.panel):
        pos = blend(theme.positive, under, REGION_OPACITY)
        neg = blend(theme.negative, under, REGION_OPACITY)
        ramp = [blend(c, under, REGION_OPACITY) for c in theme.region_colors]
        for vision in ("normal", "protanopia", "deuteranopia", "tritanopia"):
            assert difference(pos, neg, vision) >= 10, (theme.name, vision)
            for lo, hi in itertools.pairwise(ramp):
                assert difference(lo, hi, vision) >= 4, (theme.name, lo, hi, vision)
