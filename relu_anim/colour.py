"""Colour arithmetic for checking a palette: contrast, colour-vision deficiency, difference.

Pure numpy, no display code. Colours are ``"#RRGGBB"`` strings or sRGB triples in ``[0, 1]``.

- :func:`contrast_ratio`: WCAG 2.x relative luminance and contrast ratio (AA asks 4.5:1 for
  body text, 3:1 for large text and for graphics such as curves and strokes).
- :func:`simulate`: how a colour looks with protanopia, deuteranopia or tritanopia, using the
  severity-1.0 matrices of Machado, Oliveira & Fernandes (2009), "A Physiologically-based
  Model for Simulation of Color Vision Deficiency", IEEE TVCG 15(6), applied to linear RGB.
- :func:`delta_e2000` (CIEDE2000, after Sharma, Wu & Dalal 2005) and :func:`delta_e76` on
  CIELAB (D65 white): how different two colours look. As a rule of thumb, a CIEDE2000 of
  about 1 is just noticeable side by side, and a difference of 10 or more is read at a
  glance as a different colour.
- :func:`hue_angle` / :func:`hue_difference`: the CIELAB hue angle, to say that a colour
  keeps its hue family when only its lightness changes.

>>> round(contrast_ratio("#000000", "#FFFFFF"), 1)
21.0
>>> simulate("#808080", "deuteranopia")  # greys are unchanged
'#808080'
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

Colour = str | Sequence[float] | np.ndarray

# Machado et al. (2009), table of simulation matrices, severity 1.0 (linear RGB in and out).
MACHADO: dict[str, np.ndarray] = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
DEFICIENCIES = tuple(MACHADO)
VISIONS = ("normal", *DEFICIENCIES)

# sRGB (IEC 61966-2-1) primaries to CIE XYZ, D65 white; and the D65 white point (Y = 1).
_RGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_WHITE_D65 = _RGB_TO_XYZ @ np.ones(3)


# -- conversions ---------------------------------------------------------------------------
def to_rgb(colour: Colour) -> np.ndarray:
    """sRGB triple in ``[0, 1]`` from ``"#RRGGBB"`` (or a triple, or a Manim colour)."""
    if hasattr(colour, "to_hex"):  # a ManimColor, without importing manim here
        colour = colour.to_hex()[:7]
    if isinstance(colour, str):
        h = colour.lstrip("#")
        if len(h) != 6:
            raise ValueError(f"expected #RRGGBB, got {colour!r}")
        return np.array([int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)])
    rgb = np.asarray(colour, dtype=float)
    if rgb.shape != (3,):
        raise ValueError(f"expected an RGB triple, got shape {rgb.shape}")
    return rgb


def to_hex(rgb: Colour) -> str:
    """``"#RRGGBB"`` of an sRGB triple (clipped to ``[0, 1]``)."""
    v = np.round(np.clip(to_rgb(rgb), 0.0, 1.0) * 255).astype(int)
    return "#{:02X}{:02X}{:02X}".format(*v)


def srgb_to_linear(rgb: np.ndarray) -> np.ndarray:
    """Undo the sRGB transfer curve (IEC 61966-2-1)."""
    rgb = np.asarray(rgb, dtype=float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(lin: np.ndarray) -> np.ndarray:
    """Apply the sRGB transfer curve (inputs clipped to ``[0, 1]``)."""
    lin = np.clip(np.asarray(lin, dtype=float), 0.0, 1.0)
    return np.where(lin <= 0.0031308, 12.92 * lin, 1.055 * lin ** (1 / 2.4) - 0.055)


def blend(colour: Colour, background: Colour, opacity: float) -> str:
    """The colour seen when ``colour`` is drawn at ``opacity`` over ``background``.

    Mixed in sRGB values, as Cairo (Manim's renderer) composites.
    """
    mixed = opacity * to_rgb(colour) + (1.0 - opacity) * to_rgb(background)
    return to_hex(mixed)


def to_lab(colour: Colour) -> np.ndarray:
    """CIELAB ``(L*, a*, b*)`` of an sRGB colour, D65 white."""
    xyz = _RGB_TO_XYZ @ srgb_to_linear(to_rgb(colour)) / _WHITE_D65
    eps, kappa = 216 / 24389, 24389 / 27
    f = np.where(xyz > eps, np.cbrt(xyz), (kappa * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


# -- WCAG contrast -------------------------------------------------------------------------
def relative_luminance(colour: Colour) -> float:
    """WCAG 2.x relative luminance: 0 for black, 1 for white.

    WCAG writes the linearisation threshold as 0.03928 (from an sRGB draft); the standard's
    0.04045 is used here. The two agree for every 8-bit value.
    """
    return float(np.array([0.2126, 0.7152, 0.0722]) @ srgb_to_linear(to_rgb(colour)))


def contrast_ratio(a: Colour, b: Colour) -> float:
    """WCAG contrast ratio ``(L_light + 0.05) / (L_dark + 0.05)``, from 1 to 21."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


# -- colour-vision deficiency --------------------------------------------------------------
def simulate_rgb(colour: Colour, deficiency: str) -> np.ndarray:
    """``colour`` as seen with ``deficiency`` (``"normal"`` or a key of :data:`MACHADO`),
    as an sRGB triple in ``[0, 1]``.

    The matrix acts on linear RGB; results outside the gamut are clipped.
    """
    rgb = to_rgb(colour)
    if deficiency == "normal":
        return rgb
    try:
        matrix = MACHADO[deficiency]
    except KeyError:
        raise ValueError(f"unknown vision {deficiency!r}; choose one of: {VISIONS}") from None
    return linear_to_srgb(matrix @ srgb_to_linear(rgb))


def simulate(colour: Colour, deficiency: str) -> str:
    """:func:`simulate_rgb` as ``"#RRGGBB"``."""
    return to_hex(simulate_rgb(colour, deficiency))


def readable_opacity(
    fill: Colour, under: Colour, texts: Sequence[Colour], ratio: float = 4.5, upto: float = 1.0
) -> float:
    """The largest opacity (at most ``upto``, in steps of 0.01) at which ``fill`` drawn over
    ``under`` keeps every colour in ``texts`` at ``ratio``:1 or more, at that opacity and
    every lower one. 0.0 when even a trace of the fill is too much. Cached: cheap per frame.
    """
    return _readable_opacity(
        to_hex(fill), to_hex(under), tuple(to_hex(t) for t in texts), float(ratio), float(upto)
    )


@cache
def _readable_opacity(
    fill: str, under: str, texts: tuple[str, ...], ratio: float, upto: float
) -> float:
    best = 0.0
    for opacity in np.arange(1, int(round(upto * 100)) + 1) / 100:
        behind = blend(fill, under, float(opacity))
        if any(contrast_ratio(t, behind) < ratio for t in texts):
            break
        best = float(opacity)
    return best


# -- colour difference ---------------------------------------------------------------------
def _lab(colour: Colour | np.ndarray, lab: bool) -> np.ndarray:
    return np.asarray(colour, dtype=float) if lab else to_lab(colour)


def delta_e76(a: Colour, b: Colour, lab: bool = False) -> float:
    """CIE76 difference: the Euclidean distance in CIELAB (``lab=True``: inputs are Lab)."""
    return float(np.linalg.norm(_lab(a, lab) - _lab(b, lab)))


def delta_e2000(a: Colour, b: Colour, lab: bool = False) -> float:
    """CIEDE2000 difference (kL = kC = kH = 1) after Sharma, Wu & Dalal (2005).

    ``lab=True``: the inputs are already CIELAB triples.
    """
    L1, a1, b1 = _lab(a, lab)
    L2, a2, b2 = _lab(b, lab)
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360 if c2p else 0.0

    dLp, dCp = L2 - L1, c2p - c1p
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    else:
        dhp = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dHp = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dhp) / 2)

    Lp_bar, Cp_bar = (L1 + L2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_bar = (h1p + h2p) / 2
    else:
        hp_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * np.cos(np.radians(hp_bar - 30))
        + 0.24 * np.cos(np.radians(2 * hp_bar))
        + 0.32 * np.cos(np.radians(3 * hp_bar + 6))
        - 0.20 * np.cos(np.radians(4 * hp_bar - 63))
    )
    d_theta = 30 * np.exp(-(((hp_bar - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(Cp_bar**7 / (Cp_bar**7 + 25.0**7))
    s_l = 1 + 0.015 * (Lp_bar - 50) ** 2 / np.sqrt(20 + (Lp_bar - 50) ** 2)
    s_c = 1 + 0.045 * Cp_bar
    s_h = 1 + 0.015 * Cp_bar * t
    r_t = -np.sin(np.radians(2 * d_theta)) * r_c
    return float(
        np.sqrt(
            (dLp / s_l) ** 2 + (dCp / s_c) ** 2 + (dHp / s_h) ** 2 + r_t * (dCp / s_c) * (dHp / s_h)
        )
    )


def hue_angle(colour: Colour) -> float:
    """CIELAB hue angle ``atan2(b*, a*)`` in degrees, in ``[0, 360)``."""
    _, a, b = to_lab(colour)
    return float(np.degrees(np.arctan2(b, a)) % 360)


def chroma(colour: Colour) -> float:
    """CIELAB chroma ``hypot(a*, b*)``: 0 for greys."""
    _, a, b = to_lab(colour)
    return float(np.hypot(a, b))


def hue_difference(a: Colour, b: Colour) -> float:
    """The smaller angle between two colours' CIELAB hues, in degrees (0 to 180)."""
    d = abs(hue_angle(a) - hue_angle(b)) % 360
    return min(d, 360 - d)


def difference(a: Colour, b: Colour, vision: str = "normal") -> float:
    """CIEDE2000 between ``a`` and ``b`` as seen with ``vision`` (see :data:`VISIONS`)."""
    return delta_e2000(simulate(a, vision), simulate(b, vision))
