"""The core's numbers as a reader wants them on paper: short decimals, lists as small tables.

A manifest's ``numbers`` hold full floats (``0.10396573158446``) and nested lists; a printed
page needs four significant digits and rows a student can read across. Every entry becomes
a :class:`Block`: one value on a line, or rows of cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

DIGITS = 4  # significant digits: enough to check an exercise, short enough to read
ROW_LENGTH = 8  # a long flat list wraps into rows of this many cells


@dataclass(frozen=True)
class Block:
    """One summary entry laid out: ``value`` (one line), or ``rows`` (the first may be a header)."""

    key: str
    value: str | None = None
    rows: tuple[tuple[str, ...], ...] = ()
    header: bool = False  # rows[0] names the columns


def short(value: Any) -> str:
    """A number in at most four significant digits (``0.104``, ``1329``, ``1.28e-12``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value) or value == 0:
        return str(value) if value else "0"
    size = abs(value)
    text = f"{value:.{DIGITS}g}"
    if size < 1e-3 or "e" in text:  # 1e-3 <= |v| < 9999.5 print as decimals
        mantissa, exponent = f"{value:.{DIGITS - 1}e}".split("e")
        return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"
    return text


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, list | tuple | dict)


def block(key: str, value: Any) -> Block:
    """``value`` laid out: scalars on a line, a dict as names over values, a list of numbers
    in rows of :data:`ROW_LENGTH`, a list of equal-length lists as a matrix."""
    if _is_scalar(value):
        return Block(key, value=short(value))
    if isinstance(value, dict):
        if all(_is_scalar(v) for v in value.values()):
            names = tuple(str(k) for k in value)
            return Block(key, rows=(names, tuple(short(v) for v in value.values())), header=True)
        return Block(key, value=", ".join(f"{k}: {v}" for k, v in value.items()))
    items = list(value)
    if not items:
        return Block(key, value="none")
    if all(_is_scalar(v) for v in items):
        cells = [short(v) for v in items]
        return Block(
            key,
            rows=tuple(tuple(cells[i : i + ROW_LENGTH]) for i in range(0, len(cells), ROW_LENGTH)),
        )
    if all(isinstance(r, list | tuple) and all(_is_scalar(v) for v in r) for r in items):
        return Block(key, rows=tuple(tuple(short(v) for v in r) for r in items))
    return Block(key, value=str(value))


def blocks(numbers: dict[str, Any], keys: tuple[str, ...] | list[str] | None = None) -> list[Block]:
    """The entries of ``numbers`` named by ``keys`` (all of them when None), laid out."""
    chosen = list(numbers) if keys is None else [k for k in keys if k in numbers]
    return [block(k, numbers[k]) for k in chosen]
