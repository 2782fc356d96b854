"""Readable plain-text tables of core results, for the CLI without --json."""

from __future__ import annotations

from .core.hinges import HingeFit


def fit_table(fit: HingeFit) -> str:
    net = fit.net
    lines = [
        f"target  {fit.target}   on [{fit.domain[0]:g}, {fit.domain[1]:g}]",
        f"method  {fit.method}   units {fit.units}",
        f"error   max {fit.max_abs_error:.3e}   rms {fit.rms_error:.3e}   (2001-point grid)",
        "",
        "  unit        w          b       kink          v",
    ]
    for j in range(net.W1.shape[0]):
        w, b, v = net.W1[j, 0], net.b1[j], net.W2[0, j]
        kink = f"{-b / w:9.4f}" if w != 0 else "      -  "
        lines.append(f"  {j + 1:4d}  {w:9.4f}  {b:9.4f}  {kink}  {v:9.4f}")
    lines.append(f"  bias {net.b2[0]:9.4f}")
    lines += ["", "  step  units   max error    rms error"]
    for i, s in enumerate(fit.steps):
        lines.append(f"  {i:4d}  {s.units:5d}  {s.max_abs_error:10.3e}  {s.rms_error:10.3e}")
    return "\n".join(lines)


def _matrix(rows) -> list[str]:
    return ["[" + "  ".join(f"{v:7.3f}" for v in row) + " ]" for row in rows]


def collapse_table(report: dict) -> str:
    lines = []
    for i, layer in enumerate(report["layers"], 1):
        m = _matrix(layer["W"])
        lines += [
            f"layer {i}: W = {m[0]}   b = {layer['b'][0]:7.3f}",
            f"{'':11}{m[1]}       {layer['b'][1]:7.3f}",
        ]
    m = _matrix(report["W"])
    lines += [
        "",
        f"product: W = {m[0]}   b = {report['b'][0]:7.3f}",
        f"{'':11}{m[1]}       {report['b'][1]:7.3f}",
    ]
    w = report.get("relu_witness")
    if w:
        lines += [
            "",
            f"with ReLU between layers, p = {w['p']} and q = {w['q']}:",
            f"  f(midpoint) is {w['midpoint_gap']:.4f} away from the midpoint of f(p), f(q);",
            "  an affine map sends midpoints to midpoints, so no single matrix does this.",
        ]
    return "\n".join(lines)
