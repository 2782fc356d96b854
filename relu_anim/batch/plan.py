"""A render request (CLI arguments, lecture.toml, ``--set``) -> validated jobs.

Everything is checked here, before any worker starts: scene names, parameters, choices,
the config file, and that the output folder can be created and written. A bad request is
a :class:`RenderError` whose message is one line for the user.
"""

from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import cache_key
from .choices import (
    ASPECTS,
    DEFAULT_ASPECT,
    DEFAULT_EXECUTOR,
    DEFAULT_FORMAT,
    DEFAULT_QUALITY,
    DEFAULT_THEME,
    DEFAULT_VOICE,
    EXECUTORS,
    FORMATS,
    QUALITY_NAMES,
    THEMES,
    VOICES,
    aspect_tag,
)

CONFIG_KEYS = {
    "quality",
    "format",
    "theme",
    "jobs",
    "scenes",
    "scene",
    "voice",
    "aspect",
    "burn_captions",
    "executor",
    "scheduler",
    "encoder",
}


class RenderError(ValueError):
    """A bad render request (unknown scene, parameter, config file, output folder...)."""


@dataclass(frozen=True)
class Request:
    """What the user asked for, as typed (None: not given, the config file or default decides)."""

    scenes: tuple[str, ...] = ()
    all_scenes: bool = False
    quality: str | None = None
    fmt: str | None = None
    theme: str | None = None
    sets: tuple[str, ...] = ()
    config_file: Path | None = None
    jobs: int | None = None
    out: Path = Path("renders")
    force: bool = False
    voice: str | None = None  # auto, piper, espeak, none
    aspect: str | None = None  # 16:9 or 9:16
    burn_captions: bool | None = None  # draw the captions into the frames
    executor: str | None = None  # local or dask
    scheduler: str | None = None  # Dask scheduler address (None: a LocalCluster)
    encoder: str | None = None  # x264 profile and/or KEY=VALUE pairs (None: the quality's)


@dataclass
class Job:
    scene: str
    module: str  # importable module of the scene class
    source: Path  # the scene's file
    params: dict[str, Any]
    quality: str
    fmt: str
    theme: str
    voice: str = "none"  # the engine that narrates (resolved from auto), or none
    aspect: str = DEFAULT_ASPECT
    burn_captions: bool = False
    key: str = ""  # cache key
    # Frames expected, from an earlier render with the same parameters (the timeline does not
    # depend on quality, format or theme); None shows progress without a total.
    expected_frames: int | None = None
    encoder: dict[str, str] = field(default_factory=dict)  # x264 options (encoder.py)

    @property
    def stem(self) -> str:
        """The output's name: the scene, then its aspect and burned captions when not default.

        Also the job's key in the manifest: two aspects of one scene are two outputs.
        """
        return self.scene + aspect_tag(self.aspect) + ("-captioned" if self.burn_captions else "")


@dataclass
class Plan:
    out: Path
    jobs: list[Job] = field(default_factory=list)
    workers: int = 1
    force: bool = False
    executor: str = DEFAULT_EXECUTOR
    scheduler: str | None = None
    fingerprint: str | None = None  # of the request, for the no-op fast path


# -- the config file -------------------------------------------------------------------------
def load_config(path: Path | None) -> dict[str, Any]:
    """The lecture.toml at ``path`` (``{}`` for None), its keys checked."""
    if path is None:
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RenderError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RenderError(f"cannot read config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RenderError(f"config file {path} is not valid TOML: {exc}") from None
    unknown = set(data) - CONFIG_KEYS
    if unknown:
        raise RenderError(
            f"unknown key(s) in {path}: {', '.join(sorted(unknown))}; "
            f"valid: {', '.join(sorted(CONFIG_KEYS))}"
        )
    if "scene" in data and not isinstance(data["scene"], dict):
        raise RenderError(f"{path}: [scene.NAME] tables hold per-scene parameters")
    if "scenes" in data and not (
        isinstance(data["scenes"], list) and all(isinstance(n, str) for n in data["scenes"])
    ):
        raise RenderError(f"{path}: scenes must be a list of scene names")
    return data


def _choice(name: str, value: Any, choices) -> str:
    if value not in choices:
        raise RenderError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


# -- scenes and parameters -------------------------------------------------------------------
def _scene_names(request: Request, cfg: dict, registry: dict[str, type]) -> list[str]:
    from ..lecture.registry import get_scene

    if request.all_scenes:
        names = list(registry)
    elif request.scenes:
        names = list(dict.fromkeys(request.scenes))
    elif "scenes" in cfg:
        names = list(dict.fromkeys(cfg["scenes"]))
    elif registry:
        raise RenderError("name the scenes to render, or use --all (see: relu-anim list)")
    else:
        names = []
    for name in names:
        get_scene(name)  # raises with a did-you-mean
    return names


def _parse_sets(sets, selected: list[str], registry: dict[str, type]) -> dict[str, dict[str, str]]:
    """``[SCENE.]KEY=VALUE`` -> {scene: {key: value}}; a bare KEY goes to every scene having it."""
    from ..lecture.params import param_fields
    from ..lecture.registry import get_scene

    out: dict[str, dict[str, str]] = {}
    for item in sets:
        if "=" not in item:
            raise RenderError(f"--set expects [SCENE.]KEY=VALUE, got {item!r}")
        lhs, value = item.split("=", 1)
        scene, _, key = lhs.rpartition(".")
        key = key.strip()
        if scene:
            get_scene(scene)
            if scene not in selected:
                raise RenderError(f"--set {item!r}: {scene} is not among the scenes to render")
            targets = [scene]
        else:
            targets = [s for s in selected if key in param_fields(registry[s].Params)]
            if not targets:
                valid = sorted({k for s in selected for k in param_fields(registry[s].Params)})
                raise RenderError(
                    f"no selected scene has a parameter {key!r}; valid: {', '.join(valid) or 'none'}"
                )
        for t in targets:
            out.setdefault(t, {})[key] = value
    return out


def _overrides(cfg: dict, sets, names: list[str], registry) -> dict[str, dict[str, Any]]:
    """Per-scene parameter values: the config's [scene.NAME] tables, then ``--set`` on top."""
    from ..lecture.registry import get_scene

    overrides: dict[str, dict[str, Any]] = {}
    for scene, table in (cfg.get("scene") or {}).items():
        get_scene(scene)
        if not isinstance(table, dict):
            raise RenderError(f"[scene.{scene}] must be a table of parameters")
        overrides[scene] = dict(table)
    for scene, table in _parse_sets(sets, names, registry).items():
        overrides.setdefault(scene, {}).update(table)
    return overrides


@dataclass(frozen=True)
class Look:
    """The choices every job of a request shares."""

    quality: str
    fmt: str
    theme: str
    voice: str
    aspect: str
    burn_captions: bool
    encoder: dict[str, str] = field(default_factory=dict)


def _job(cls: type, values: dict | None, look: Look) -> Job:
    from ..lecture.params import ParamError, build_params, params_to_dict

    name = cls.__name__
    try:
        params = build_params(cls.Params, values, scene=name)
    except ParamError as exc:
        raise RenderError(str(exc)) from None
    source = Path(sys.modules[cls.__module__].__file__)
    if look.voice != "none":
        _check_narration(cls)
    job = Job(
        name,
        cls.__module__,
        source,
        params_to_dict(params),
        look.quality,
        look.fmt,
        look.theme,
        voice=look.voice,
        aspect=look.aspect,
        burn_captions=look.burn_captions,
        encoder=dict(look.encoder),
    )
    job.key = cache_key(job)
    return job


# -- the output folder -----------------------------------------------------------------------
def prepare_out(out: Path) -> Path:
    """Create ``out`` and prove it writable, or raise RenderError (before any work starts)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise RenderError(f"--out {out} exists and is not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
        _write_probe(out)
    except OSError as exc:
        raise RenderError(f"--out {out}: cannot create or write there ({_reason(exc)})") from None
    return out


def _write_probe(folder: Path) -> None:
    probe = folder / f".relu-anim-write-probe-{os.getpid()}"
    try:
        probe.write_bytes(b"ok")
    finally:
        probe.unlink(missing_ok=True)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


# -- the whole request -----------------------------------------------------------------------
def plan_request(request: Request) -> Plan:
    """Validate everything (names, parameters, config, output folder) into a Plan."""
    from ..lecture.registry import discover

    cfg = load_config(request.config_file)
    registry = discover()
    names = _scene_names(request, cfg, registry)
    quality = _choice(
        "quality", request.quality or cfg.get("quality", DEFAULT_QUALITY), QUALITY_NAMES
    )
    fmt = _choice("format", request.fmt or cfg.get("format", DEFAULT_FORMAT), FORMATS)
    theme = _choice("theme", request.theme or cfg.get("theme", DEFAULT_THEME), THEMES)
    look = Look(
        quality,
        fmt,
        theme,
        resolve_voice(
            _choice("voice", request.voice or cfg.get("voice", _default_voice()), VOICES)
        ),
        _choice("aspect", request.aspect or cfg.get("aspect", DEFAULT_ASPECT), ASPECTS),
        _flag("burn_captions", request.burn_captions, cfg),
        _encoder(request.encoder or cfg.get("encoder"), quality, fmt),
    )
    executor = _choice(
        "executor", request.executor or cfg.get("executor", DEFAULT_EXECUTOR), EXECUTORS
    )
    scheduler = request.scheduler or cfg.get("scheduler")
    if scheduler is not None and not isinstance(scheduler, str):
        raise RenderError(f"scheduler must be an address like tcp://host:8786, got {scheduler!r}")
    workers = request.jobs or cfg.get("jobs") or os.cpu_count() or 1
    if not isinstance(workers, int) or workers < 1:
        raise RenderError(f"jobs must be a positive integer, got {workers!r}")
    overrides = _overrides(cfg, request.sets, names, registry)
    jobs = [_job(registry[n], overrides.get(n), look) for n in names]
    out = prepare_out(request.out) if jobs else Path(request.out)
    workers = min(workers, max(len(jobs), 1))
    return Plan(out, jobs, workers, request.force, executor=executor, scheduler=scheduler)


def _encoder(spec, quality: str, fmt: str) -> dict[str, str]:
    """The x264 options of the request's jobs (``encoder.encoder_options``)."""
    from .encoder import EncoderError, encoder_options

    if spec is not None and not isinstance(spec, str):
        raise RenderError(f"encoder must be a profile or KEY=VALUE pairs, got {spec!r}")
    try:
        return encoder_options(spec, quality, fmt)
    except EncoderError as exc:
        raise RenderError(str(exc)) from None


def _flag(name: str, given: bool | None, cfg: dict) -> bool:
    """A yes/no choice: the command line, else the config file, else no."""
    value = given if given is not None else cfg.get(name, False)
    if not isinstance(value, bool):
        raise RenderError(f"{name} must be true or false, got {value!r}")
    return value


def _default_voice() -> str:
    """``$RELU_ANIM_VOICE`` (the tests set none), else the choices' default (auto)."""
    from ..voice import VOICE_ENV

    return os.environ.get(VOICE_ENV) or DEFAULT_VOICE


def _check_narration(cls: type) -> None:
    """Empty or too long narration that a scene declares: a one-line error before rendering."""
    from ..voice.narration import NarrationError, check_declared

    try:
        check_declared(cls)
    except NarrationError as exc:
        raise RenderError(str(exc)) from None


def resolve_voice(name: str) -> str:
    """The voice a job records: ``auto`` becomes the best engine installed (or none)."""
    if name == "none":
        return "none"
    from ..voice import VoiceError, resolve

    try:
        return resolve(name)
    except VoiceError as exc:
        raise RenderError(str(exc)) from None
