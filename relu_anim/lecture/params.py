"""Scene parameters: frozen dataclasses whose fields come from :func:`param`.

A scene declares ``Params`` with fields like
``units: int = param(10, "hidden units", between=(1, 24))`` or
``method: str = param("greedy", "how kinks are placed", choices=("greedy", "train"))``
and, for checks that involve several fields, a ``validate()`` that raises ``ValueError``.
Types, ``choices`` and ``between`` are checked here for every scene; the CLI, lecture files
and tests all go through :func:`build_params`, so a bad value is rejected before any frame.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any


class ParamError(ValueError):
    """A scene parameter that is unknown or has a bad value."""


@dataclasses.dataclass(frozen=True)
class NoParams:
    """For scenes without parameters."""


def param(
    default: Any,
    help: str,
    *,
    choices: tuple | None = None,
    between: tuple[float, float] | None = None,
) -> Any:
    """A Params field: its default, one line of help, and optional allowed values or range."""
    meta = {"help": help, "choices": tuple(choices) if choices else None, "between": between}
    return dataclasses.field(default=default, metadata=meta)


def param_fields(params_cls: type) -> dict[str, dataclasses.Field]:
    return {f.name: f for f in dataclasses.fields(params_cls)}


def param_help(params_cls: type) -> dict[str, str]:
    """Field name -> 'help (default: ...)' for listings and error messages."""
    out = {}
    for name, f in param_fields(params_cls).items():
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        extra = ""
        if f.metadata.get("choices"):
            extra = f"; one of {', '.join(map(str, f.metadata['choices']))}"
        elif f.metadata.get("between"):
            lo, hi = f.metadata["between"]
            extra = f"; from {lo:g} to {hi:g}"
        text = f"{f.metadata.get('help', '')} (default: {_show(default)}{extra})"
        out[name] = text.strip()
    return out


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return ",".join(_show(v) for v in value)
    return str(value)


def _convert(name: str, hint: Any, value: Any) -> Any:
    """Turn a string (from --set or TOML) or a TOML value into the field's type."""
    origin = typing.get_origin(hint)
    try:
        if hint is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError
        if hint is int:
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            return int(str(value).strip()) if isinstance(value, str) else int(value)
        if hint is float:
            if isinstance(value, bool):
                raise ValueError
            return float(value)
        if hint is str:
            if not isinstance(value, str):
                raise ValueError
            return value
        if origin is tuple:
            kinds = typing.get_args(hint)
            items = (
                value if isinstance(value, list | tuple) else str(value).replace(",", " ").split()
            )
            if len(kinds) == 2 and kinds[1] is Ellipsis:
                kinds = (kinds[0],) * len(items)
            if len(items) != len(kinds):
                raise ValueError
            return tuple(_convert(name, k, v) for k, v in zip(kinds, items, strict=True))
    except (TypeError, ValueError):
        pass
    else:
        raise ParamError(f"parameter {name!r} has an unsupported type {hint!r}")
    raise ParamError(f"bad value {value!r} for parameter {name!r} (expected {_type_name(hint)})")


def _type_name(hint: Any) -> str:
    if typing.get_origin(hint) is tuple:
        args = typing.get_args(hint)
        return "a list like " + ",".join(_type_name(a) for a in args if a is not Ellipsis)
    return getattr(hint, "__name__", str(hint))


def build_params(params_cls: type, overrides: dict[str, Any] | None = None, scene: str = ""):
    """A validated ``params_cls`` from defaults plus ``overrides`` (strings or TOML values)."""
    fields = param_fields(params_cls)
    hints = typing.get_type_hints(params_cls)
    values = {}
    where = f" of {scene}" if scene else ""
    for key, raw in (overrides or {}).items():
        if key not in fields:
            valid = ", ".join(fields) or "none"
            raise ParamError(f"unknown parameter {key!r}{where}; valid: {valid}")
        values[key] = _convert(key, hints[key], raw)
    params = params_cls(**values)
    validate_params(params, scene)
    return params


def validate_params(params: Any, scene: str = "") -> None:
    """Check every field's type, choices and range, then the Params' own ``validate()``."""
    where = f"{scene}: " if scene else ""
    hints = typing.get_type_hints(type(params))
    for name, f in param_fields(type(params)).items():
        problem = _field_problem(getattr(params, name), hints[name], f.metadata)
        if problem:
            raise ParamError(f"{where}{name} {problem}")
    check = getattr(params, "validate", None)
    if check is None:
        return
    try:
        check()
    except ParamError:
        raise
    except ValueError as exc:
        raise ParamError(f"{where}{exc}") from None


def _field_problem(value: Any, hint: Any, meta: Any) -> str | None:
    """Why ``value`` is not acceptable for a field, or None."""
    kinds = {int: int, float: (int, float), str: str, bool: bool}
    if hint in kinds and (
        not isinstance(value, kinds[hint]) or (hint is not bool and isinstance(value, bool))
    ):
        return f"must be {_type_name(hint)}, got {value!r}"
    choices = meta.get("choices")
    if choices and value not in choices:
        return f"must be one of {', '.join(map(str, choices))}, got {value!r}"
    between = meta.get("between")
    if between and not between[0] <= value <= between[1]:
        return f"must be from {between[0]:g} to {between[1]:g}, got {value!r}"
    return None


def bad_values(params_cls: type) -> list[tuple[str, Any]]:
    """(field, value) pairs every scene must reject: wrong types, unknown choices, out of range.

    The registry-driven tests feed these to every scene, so a new scene's Params are checked
    without anyone writing its bad values by hand.
    """
    hints = typing.get_type_hints(params_cls)
    out: list[tuple[str, Any]] = []
    for name, f in param_fields(params_cls).items():
        hint, meta = hints[name], f.metadata
        if hint in (int, float) or typing.get_origin(hint) is tuple:
            out.append((name, "not-a-number"))
        if meta.get("choices"):
            out.append((name, "no-such-choice"))
        if meta.get("between"):
            lo, hi = meta["between"]
            step = 1 if hint is int else (hi - lo) * 1e-3 or 1e-3
            out += [(name, str(lo - step)), (name, str(hi + step))]
    return out


def params_to_dict(params: Any) -> dict[str, Any]:
    """JSON-friendly dict of a params instance (tuples become lists)."""
    return {
        k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(params).items()
    }
