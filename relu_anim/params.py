"""Scene parameters: frozen dataclasses with defaults and one-line help, parsed from strings.

A scene declares ``Params`` with fields like
``units: int = field(default=10, metadata={"help": "hidden units"})`` and an optional
``validate()`` that raises ``ValueError``. The CLI, lecture files and tests all go through
:func:`build_params`, so a bad value is rejected before any frame is rendered.
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


def param_fields(params_cls: type) -> dict[str, dataclasses.Field]:
    return {f.name: f for f in dataclasses.fields(params_cls)}


def param_help(params_cls: type) -> dict[str, str]:
    """Field name -> 'help (default: ...)' for listings and error messages."""
    out = {}
    for name, f in param_fields(params_cls).items():
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        out[name] = f"{f.metadata.get('help', '')} (default: {_show(default)})".strip()
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
    check = getattr(params, "validate", None)
    if check is None:
        return
    try:
        check()
    except ParamError:
        raise
    except ValueError as exc:
        where = f"{scene}: " if scene else ""
        raise ParamError(f"{where}{exc}") from None


def params_to_dict(params: Any) -> dict[str, Any]:
    """JSON-friendly dict of a params instance (tuples become lists)."""
    return {
        k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(params).items()
    }
