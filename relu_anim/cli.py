"""The ``relu-anim`` command: parse, call the core or the render engine, print. Nothing else.

Every user error ends as one line ``error: ...`` on stderr and exit code 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .batch.choices import (  # the one definition of each choice (cheap: no Manim import)
    ASPECTS,
    DEFAULT_ASPECT,
    DEFAULT_EXECUTOR,
    DEFAULT_FORMAT,
    DEFAULT_QUALITY,
    DEFAULT_THEME,
    DEFAULT_VOICE,
    EXECUTORS,
    FORMATS,
    THEMES,
    VOICES,
    aspect_tag,
)
from .batch.choices import QUALITY_NAMES as QUALITIES

# The plane LinearCollapse draws (Manim's 14.2 x 8 frame, in whole units): `relu-anim
# collapse` draws its layers for the same window, so the command and the scene agree.
COLLAPSE_WINDOW = (7.0, 4.0)


class UserError(click.ClickException):
    exit_code = 2


def _die(exc: Exception) -> UserError:
    return UserError(str(exc))


def folder_option(flag: str, help: str, default: Path | None = None):
    """One way to take a folder: ``--out``, ``--scenes-dir``, ..."""
    return click.option(
        flag,
        type=click.Path(file_okay=False, path_type=Path),
        default=default,
        show_default=default is not None,
        help=help,
    )


def set_option(metavar: str):
    """``--set KEY=VALUE``, repeatable: a scene parameter from the command line."""
    return click.option("--set", "sets", multiple=True, metavar=metavar, help="Set a parameter.")


def config_option(help: str):
    """``--config FILE``: a lecture.toml (scenes, per-scene parameters, choices)."""
    return click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=help,
    )


def look_options(command):
    """--voice, --aspect and --burn-captions: choices shared by every command that renders."""
    command = click.option(
        "--burn-captions/--no-burn-captions",
        default=None,
        help="Draw the captions into the frames [default: no].",
    )(command)
    command = click.option(
        "--aspect", type=click.Choice(ASPECTS), default=None, help=f"[default: {DEFAULT_ASPECT}]"
    )(command)
    return voice_option(command)


def voice_option(command):
    """--voice: the narration engine (the slides command takes it without the other looks)."""
    return click.option(
        "--voice",
        type=click.Choice(VOICES),
        default=None,
        help=f"Narration engine [default: {DEFAULT_VOICE}; none: silent].",
    )(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="relu-anim")
def cli() -> None:
    """Lecture animations that explain why ReLU networks work; every number computed."""


# -- scenes ----------------------------------------------------------------------------
@cli.command("list")
@click.option("--params", "show_params", is_flag=True, help="Also list each scene's parameters.")
@click.version_option(__version__, "--version", prog_name="relu-anim")
def list_cmd(show_params: bool) -> None:
    """List the registered scenes with their one-line summaries."""
    from .lecture.params import param_help
    from .lecture.registry import discover

    scenes = discover()
    if not scenes:
        click.echo("no scenes registered yet (add a LectureScene to scenes/)")
        return
    width = max(len(n) for n in scenes)
    for name, cls in scenes.items():
        click.echo(f"{name:<{width}}  {cls.summary}")
        if show_params:
            for key, text in param_help(cls.Params).items():
                click.echo(f"{'':<{width}}    {key}: {text}")


@cli.command("new")
@click.argument("name")
@folder_option("--scenes-dir", "Where the scene goes [default: the checkout's scenes/].")
@folder_option("--tests-dir", "Where its test goes [default: the checkout's tests/scenes/].")
def new_cmd(name: str, scenes_dir: Path | None, tests_dir: Path | None) -> None:
    """Write a new scene NAME (CamelCase) and its test, ready to render and to grow."""
    from .lecture.template import NewSceneError, new_scene

    try:
        scene_file, test_file = new_scene(name, scenes_dir, tests_dir)
    except NewSceneError as exc:
        raise _die(exc) from None
    click.echo(f"wrote {scene_file}\nwrote {test_file}")
    click.echo(f"next: relu-anim render {name}   and   relu-anim storyboard {name}")


@cli.command()
@click.argument("scene")
@click.option("--quality", type=click.Choice(QUALITIES), default="low", show_default=True)
@click.option("--theme", type=click.Choice(THEMES), default=DEFAULT_THEME, show_default=True)
@set_option("KEY=VALUE")
@folder_option("--out", "Folder for the frames [default: renders/storyboard/SCENE-THEME].")
@click.option(
    "--every",
    type=click.FloatRange(0.1, 600, min_open=False),
    default=None,
    metavar="SECONDS",
    help="Also a frame every SECONDS of the scene, and their sheet timeline.png.",
)
@click.option("--aspect", type=click.Choice(ASPECTS), default=DEFAULT_ASPECT, show_default=True)
@click.option("--burn-captions", is_flag=True, help="Draw the captions into the frames.")
def storyboard(
    scene: str, quality: str, theme: str, sets: tuple[str, ...], out, every, aspect, burn_captions
) -> None:
    """Write the last frame of every beat of SCENE, and one contact sheet of them all."""
    from .lecture.params import build_params
    from .lecture.registry import get_scene
    from .lecture.storyboard import write_storyboard

    try:
        cls = get_scene(scene)
        overrides = dict(_key_value(item, scene) for item in sets)
        params = build_params(cls.Params, overrides, scene=scene)
    except (ValueError, LookupError) as exc:
        raise _die(exc) from None
    out = out or Path("renders") / "storyboard" / f"{scene}-{theme}{aspect_tag(aspect)}"
    try:
        paths = write_storyboard(cls, params, theme, quality, out, every, aspect, burn_captions)
    except OSError as exc:
        raise UserError(f"cannot write {exc.filename or out}: {exc.strerror}") from None
    click.echo(f"wrote {len(paths) - 1} frames and {paths[-1]} into {out}")


@cli.command()
@click.argument("scenes", nargs=-1)
@click.option("--all", "all_scenes", is_flag=True, help="Every registered scene, in order.")
@click.option("--quality", type=click.Choice(QUALITIES), default="low", show_default=True)
@click.option("--theme", type=click.Choice(THEMES), default="light", show_default=True)
@folder_option("--out", "Render folder: its manifest, the frames and the PDF.", Path("renders"))
@click.version_option(__version__, "--version", prog_name="relu-anim")
def handout(scenes, all_scenes, quality, theme, out) -> None:
    """A printable PDF: per scene its notes, per beat its frame, caption and numbers."""
    from .batch.summary import human_size
    from .present.handout import HandoutError, HandoutFailed, make_handout

    try:
        path = make_handout(scenes, all_scenes, quality, theme, out)
    except HandoutError as exc:
        raise _die(exc) from None
    except HandoutFailed as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"wrote {path} ({human_size(path.stat().st_size)})")


@cli.command()
@click.argument("scene")
@set_option("KEY=VALUE")
def numbers(scene: str, sets: tuple[str, ...]) -> None:
    """Print, as JSON, the numbers SCENE would show and record, without rendering it."""
    from .lecture.params import build_params, params_to_dict
    from .lecture.registry import get_scene

    try:
        cls = get_scene(scene)
        params = build_params(cls.Params, dict(_key_value(s, scene) for s in sets), scene=scene)
    except (ValueError, LookupError) as exc:
        raise _die(exc) from None
    summary = cls.summarize(cls.compute(params))
    click.echo(json.dumps({"scene": scene, "params": params_to_dict(params), "numbers": summary}))


def _key_value(item: str, scene: str) -> tuple[str, str]:
    """``KEY=VALUE`` or ``SCENE.KEY=VALUE`` (the render command's form) -> (KEY, VALUE)."""
    key, sep, value = item.partition("=")
    if not sep:
        raise ValueError(f"--set expects KEY=VALUE, got {item!r}")
    return key.strip().removeprefix(f"{scene}."), value


# -- numeric core ------------------------------------------------------------------------
@cli.command()
@click.option("--target", default="sin(3*x) + 0.5*abs(x)", show_default=True, help="Curve in x.")
@click.option("--domain", nargs=2, type=float, default=(-3.0, 3.0), show_default=True)
@click.option("--units", type=int, default=10, show_default=True, help="Hidden ReLU units.")
@click.option(
    "--method",
    type=click.Choice(["greedy", "train", "minimax"]),
    default="greedy",
    show_default=True,
    help="greedy/train: least squares; minimax: the worst error.",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--iterations", type=int, default=2000, show_default=True, help="Steps for train.")
@click.option(
    "--init",
    type=click.Choice(["greedy", "random"]),
    default="greedy",
    show_default=True,
    help="Where train starts: the greedy fit, or seeded random weights (JSON: every snapshot).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object (the fit contract).")
@click.version_option(__version__, "--version", prog_name="relu-anim")
def fit(target, domain, units, method, seed, iterations, init, as_json) -> None:
    """Fit a one-hidden-layer ReLU net to TARGET on DOMAIN, hinge by hinge."""
    from .core.hinges import fit_hinges
    from .report import fit_table

    if iterations < 1 or iterations > 100_000:
        raise UserError("--iterations must be from 1 to 100000")
    if init == "random":
        if method != "train":
            raise UserError("--init random needs --method train")
        from .core.training import train_from_random

        try:
            run = train_from_random(target, domain, units, seed, iterations)
        except ValueError as exc:
            raise _die(exc) from None
        click.echo(json.dumps(run.to_dict()) if as_json else run.table())
        return
    try:
        result = fit_hinges(target, domain, units, method, seed, iterations)
    except ValueError as exc:
        raise _die(exc) from None
    click.echo(json.dumps(result.to_dict()) if as_json else fit_table(result))


@cli.command()
@click.option("--layers", type=int, default=3, show_default=True, help="Affine 2-D layers (1-6).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--window",
    nargs=2,
    type=float,
    default=COLLAPSE_WINDOW,
    show_default=True,
    help="Half-width and half-height every stage must fit in (the LinearCollapse plane).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object (the collapse contract).")
@click.version_option(__version__, "--version", prog_name="relu-anim")
def collapse(layers, seed, window, as_json) -> None:
    """Compose affine layers into one matrix; show ReLU breaks it."""
    from .core.collapse import collapse_report
    from .report import collapse_table

    try:
        report = collapse_report(layers, seed, tuple(window))
    except ValueError as exc:
        raise _die(exc) from None
    click.echo(json.dumps(report) if as_json else collapse_table(report))


@cli.command()
@click.option("--units", type=int, default=6, show_default=True, help="First-layer units (1-64).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--box", type=float, default=2.0, show_default=True, help="Half-width R of the square."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object (the regions contract).")
@click.version_option(__version__, "--version", prog_name="relu-anim")
def regions(units, seed, box, as_json) -> None:
    """Count the exact linear regions of a random 2-input ReLU layer in [-R, R]^2."""
    from .core.regions import regions_report

    if not 1 <= units <= 64:
        raise UserError("--units must be from 1 to 64")
    if not 0 < box <= 1e6:
        raise UserError("--box must be a positive number up to 1e6")
    try:
        report = regions_report(units, seed, box)
    except ValueError as exc:
        raise _die(exc) from None
    if as_json:
        click.echo(json.dumps(report))
    else:
        click.echo(
            f"{report['regions']} linear regions of {units} ReLU units in [-{box:g}, {box:g}]^2"
        )
        for p in report["patterns"]:
            click.echo("  gates " + "".join("1" if g else "0" for g in p))


@cli.command()
@click.option(
    "--activation",
    type=click.Choice(("relu", "sigmoid", "tanh")),
    default="relu",
    show_default=True,
)
@click.option("--depth", type=int, default=20, show_default=True, help="Hidden layers (1-100).")
@click.option("--width", type=int, default=32, show_default=True, help="Units a layer (1-256).")
@click.option("--draws", type=int, default=8, show_default=True, help="Random nets (1-100).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object (the gradients record).")
@click.version_option(__version__, "--version", prog_name="relu-anim")
def gradients(activation, depth, width, draws, seed, as_json) -> None:
    """The gradient norm reaching each hidden layer of a deep net, mean over random draws."""
    from .core.gradients import gradients_report

    for flag, value, hi in (("depth", depth, 100), ("width", width, 256), ("draws", draws, 100)):
        if not 1 <= value <= hi:
            raise UserError(f"--{flag} must be from 1 to {hi}")
    if not 0 <= seed < 2**32:
        raise UserError("--seed must be from 0 to 2^32 - 1")
    try:
        report = gradients_report(activation, depth, width, draws, seed)
    except ValueError as exc:
        raise _die(exc) from None
    if as_json:
        click.echo(json.dumps(report))
        return
    click.echo(f"{activation} ({report['init']} init), {depth} x {width}, mean of {draws} draws:")
    rows = zip(report["layer_grad_norm"], report["layer_grad_norm_std"], strict=True)
    for layer, (mean, std) in enumerate(rows, start=1):
        click.echo(f"  layer {layer:3d}: |dL/dz| = {mean:.3e} +- {std:.1e}")


@cli.command()
@click.option("--hidden", type=int, default=6, show_default=True, help="Units in the layer (1-16).")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object (layer, recovery, gate).")
@click.version_option(__version__, "--version", prog_name="relu-anim")
def zeros(hidden, seed, as_json) -> None:
    """What ReLU's zeros do: where a random 2-D layer can be inverted, and a noise gate."""
    from .core.zeros import MAX_HIDDEN, zeros_report

    if not 1 <= hidden <= MAX_HIDDEN:
        raise UserError(f"--hidden must be from 1 to {MAX_HIDDEN}")
    if not 0 <= seed < 2**32:
        raise UserError("--seed must be from 0 to 2^32 - 1")
    try:
        r = zeros_report(hidden, seed)
    except ValueError as exc:
        raise _die(exc) from None
    if as_json:
        click.echo(json.dumps(r))
        return
    click.echo(
        f"{hidden} units: the input is recoverable on {r['recoverable_fraction']:.1%} of "
        f"[-{r['box']:g}, {r['box']:g}]^2 (max error {r['max_reconstruction_error']:.1e})"
    )
    click.echo(
        f"noise gate relu(x - {r['threshold']:g}): {r['sparsity']:.1%} zeros, "
        f"SNR {r['snr_in_db']:.1f} dB -> {r['snr_out_db']:.1f} dB"
    )


@cli.command()
@click.option("--k", "k", type=int, default=3, show_default=True, help="Tent folds (1-12).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object (deep net, shallow fit).")
@click.version_option(__version__, "--version", prog_name="relu-anim")
def depth(k, as_json) -> None:
    """A tent map folded k times: 2^k pieces from 2k units; one hidden layer beside it."""
    from .core.depth import MAX_K, depth_report

    if not 1 <= k <= MAX_K:
        raise UserError(f"--k must be from 1 to {MAX_K}")
    try:
        r = depth_report(k)
    except ValueError as exc:
        raise _die(exc) from None
    if as_json:
        click.echo(json.dumps(r.to_dict()))
        return
    pieces = ", ".join(str(n) for n in r.pieces_by_depth)
    click.echo(f"deep: {k} layers of 2 units ({r.units} units); pieces by depth: {pieces}")
    click.echo(
        f"one layer, {r.units} units: {r.shallow_pieces} pieces, max error "
        f"{r.worst[1]:.3f} at x = {r.worst[0]:g}, rms {r.shallow.rms_error:.3f}"
    )
    click.echo(f"one layer equal to it: {r.exact_units} units")


@cli.command()
@click.option("--target", default="sin(2*x) + 0.2*x*x", show_default=True, help="Curve in x.")
@click.option("--domain", nargs=2, type=float, default=(-3.0, 3.0), show_default=True)
@click.option("--units", type=int, default=10, show_default=True, help="Hidden units (1-128).")
@click.option(
    "--steepness", type=float, default=40.0, show_default=True, help="Sigmoid slope x spacing."
)
@click.option("--sweep", "sweep_units", default=None, help="Unit counts, e.g. 8,16,32,64,128.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object (sigmoid net, hinges).")
@click.version_option(__version__, "--version", prog_name="relu-anim")
def towers(target, domain, units, steepness, sweep_units, as_json) -> None:
    """Steep-sigmoid towers against ReLU hinges: same target, same number of units."""
    from .core.towers import compare, sweep

    try:
        counts = [int(n) for n in sweep_units.split(",")] if sweep_units else None
    except ValueError:
        raise UserError(
            f"--sweep must be whole numbers separated by commas, got {sweep_units!r}"
        ) from None
    try:
        report = compare(target, domain, units, steepness).to_dict()
        if counts is not None:
            report["sweep"] = sweep(target, domain, counts, steepness).to_dict()
    except ValueError as exc:
        raise _die(exc) from None
    if as_json:
        click.echo(json.dumps(report))
        return
    h = report["hinges"]
    click.echo(f"{units} units on {report['target']} over [{domain[0]:g}, {domain[1]:g}]")
    click.echo(f"  towers: max error {report['max_abs_error']:.4g}, rms {report['rms_error']:.4g}")
    click.echo(f"  hinges: max error {h['max_abs_error']:.4g}, rms {h['rms_error']:.4g}")
    if counts is not None:
        s = report["sweep"]
        for name in ("towers", "hinges"):
            errs = ", ".join(f"{e:.3g}" for e in s[name]["rms_error"])
            click.echo(f"  {name} rms by N {s['units']}: {errs}; slope {s[name]['slope']:.2f}")


# -- rendering ---------------------------------------------------------------------------
@cli.command()
@click.argument("scenes", nargs=-1)
@click.option("--all", "all_scenes", is_flag=True, help="Render every registered scene.")
@click.option(
    "--quality", type=click.Choice(QUALITIES), default=None, help=f"[default: {DEFAULT_QUALITY}]"
)
@click.option(
    "--jobs", type=click.IntRange(1, 64), default=None, help="Parallel workers [default: CPUs]."
)
@folder_option("--out", "The output folder.", default=Path("renders"))
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default=None, help=f"[default: {DEFAULT_FORMAT}]"
)
@set_option("[SCENE.]KEY=VALUE")
@config_option("lecture.toml with per-scene parameters.")
@click.option(
    "--theme", type=click.Choice(THEMES), default=None, help=f"[default: {DEFAULT_THEME}]"
)
@click.option("--force", is_flag=True, help="Re-render even when the cache says unchanged.")
@look_options
@click.option(
    "--executor",
    type=click.Choice(EXECUTORS),
    default=None,
    help=f"Where jobs run [default: {DEFAULT_EXECUTOR}].",
)
@click.option(
    "--scheduler", default=None, help="Dask scheduler address (default: a local cluster)."
)
@click.option(
    "--encoder",
    default=None,
    metavar="PROFILE|KEY=VALUE,...",
    help="x264 settings: fast or manim, and/or preset=,tune=,crf=,threads= [default: fast].",
)
@click.version_option(__version__, "--version", prog_name="relu-anim")
def render(
    scenes,
    all_scenes,
    quality,
    jobs,
    out,
    fmt,
    sets,
    config_file,
    theme,
    force,
    voice,
    aspect,
    burn_captions,
    executor,
    scheduler,
    encoder,
) -> None:
    """Render scenes into OUT/<quality>/, update the manifest and the gallery."""
    from .batch.plan import RenderError, Request
    from .batch.run import render_request

    request = Request(
        scenes=tuple(scenes),
        all_scenes=all_scenes,
        quality=quality,
        fmt=fmt,
        theme=theme,
        sets=tuple(sets),
        config_file=config_file,
        jobs=jobs,
        out=out,
        force=force,
        voice=voice,
        aspect=aspect,
        burn_captions=burn_captions,
        executor=executor,
        scheduler=scheduler,
        encoder=encoder,
    )
    try:
        ok = render_request(request)
    except RenderError as exc:
        raise _die(exc) from None
    if not ok:
        sys.exit(1)


@cli.command()
@click.argument("text")
@click.option(
    "--voice",
    type=click.Choice([v for v in VOICES if v != "none"]),
    default="auto",
    show_default=True,
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the WAV here.")
@click.option("--fresh", is_flag=True, help="Synthesize again, ignoring the speech cache.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object: timings and speed.")
@click.version_option(__version__, "--version", prog_name="relu-anim")
def say(text, voice, out, fresh, as_json) -> None:
    """Speak TEXT as a render would: the WAV, sentence and caption timings, engine speed."""
    from .voice import VoiceError
    from .voice.say import say as speak

    try:
        report = speak(text, voice, out, fresh)
    except VoiceError as exc:
        raise _die(exc) from None
    if as_json:
        click.echo(json.dumps(report))
        return
    speed = report["audio_seconds_per_cpu_second"]
    click.echo(
        f"{report['voice']}: {report['duration']:.2f} s of speech"
        + (f", {speed:g} s of audio per CPU second" if speed else " (from the cache)")
    )
    for chunk in report["chunks"]:
        click.echo(f"  {chunk['start']:6.2f} {chunk['end']:6.2f}  {chunk['text']}")


@cli.command()
@click.argument("scenes", nargs=-1)
@click.option(
    "--quality", type=click.Choice(QUALITIES), default=None, help=f"[default: {DEFAULT_QUALITY}]"
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f for f in FORMATS if f != "gif"]),  # a gif has no sound, no chapters
    default=None,
    help=f"[default: {DEFAULT_FORMAT}]",
)
@click.option(
    "--theme", type=click.Choice(THEMES), default=None, help=f"[default: {DEFAULT_THEME}]"
)
@set_option("[SCENE.]KEY=VALUE")
@config_option("lecture.toml: scenes, parameters, choices.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Parallel render workers.")
@folder_option("--out", "The output folder.", default=Path("renders"))
@look_options
@click.option(
    "--chapters",
    type=click.Choice(("scene", "beat")),
    default="scene",
    show_default=True,
    help="What the video's own chapters mark (lecture.json and the gallery have both).",
)
@click.version_option(__version__, "--version", prog_name="relu-anim")
def lecture(scenes, sets, chapters, **choices) -> None:
    """Render what is missing, join the scenes in lecture order into OUT/<quality>/lecture.mp4.

    Every scene when none is named. Beside it: lecture.srt/.vtt, lecture.json (chapters).
    """
    from .batch.plan import RenderError, Request
    from .present.lecture import make_lecture

    request = Request(scenes=tuple(scenes), sets=tuple(sets), **choices)
    try:
        made = make_lecture(request, chapters)
    except RenderError as exc:
        raise _die(exc) from None
    if made is None:
        click.echo("error: no lecture: a scene failed to render (see above)", err=True)
        sys.exit(1)


@cli.command()
@folder_option("--out", "The output folder.", default=Path("renders"))
@click.version_option(__version__, "--version", prog_name="relu-anim")
def gallery(out: Path) -> None:
    """Write OUT/index.html, a self-contained page with every rendered scene."""
    from .batch.gallery import GalleryError, write_gallery

    try:
        path = write_gallery(out)
    except GalleryError as exc:
        raise _die(exc) from None
    except OSError as exc:
        raise UserError(f"cannot write {out}/index.html: {exc.strerror or exc}") from None
    click.echo(f"wrote {path}")


@cli.command()
@click.argument("scenes", nargs=-1)
@click.option("--all", "all_scenes", is_flag=True, help="Every registered scene.")
@click.option(
    "--quality", type=click.Choice(QUALITIES), default=None, help=f"[default: {DEFAULT_QUALITY}]"
)
@click.option(
    "--theme", type=click.Choice(THEMES), default=None, help=f"[default: {DEFAULT_THEME}]"
)
@voice_option
@folder_option("--out", "The output folder.", default=Path("renders"))
@set_option("[SCENE.]KEY=VALUE")
@config_option("lecture.toml (its scenes and parameters, as for render).")
@click.option("--embed", is_flag=True, help="Put the clips inside the page (one file).")
@click.version_option(__version__, "--version", prog_name="relu-anim")
def slides(scenes, all_scenes, quality, theme, voice, out, sets, config_file, embed) -> None:
    """Write OUT/<quality>/slides.html: a slide per beat, rendering what is missing."""
    from .batch.plan import RenderError, Request
    from .present.slides import RenderFailed, make_slides

    request = Request(
        tuple(scenes),
        all_scenes,
        quality,
        theme=theme,
        voice=voice,
        out=out,
        sets=tuple(sets),
        config_file=config_file,
    )
    try:
        deck = make_slides(request, embed)
    except RenderError as exc:
        raise _die(exc) from None
    except RenderFailed as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        raise UserError(f"cannot write the deck: {exc.strerror or exc}") from None
    click.echo(f"wrote {deck.path}: {deck.beats} beats of {deck.scenes} scenes")


def main(argv: list[str] | None = None) -> None:
    """Console entry point: click without its multi-line usage errors."""
    try:
        cli.main(args=argv, prog_name="relu-anim", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("error: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        message = " ".join(exc.format_message().split())
        click.echo(f"error: {message}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("error: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
