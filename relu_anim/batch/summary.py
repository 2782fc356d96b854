"""What happened to each job of a batch, and the plain-text table printed at its end."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .manifest import ManifestEntry

STATUSES = ("rendered", "skipped", "failed")


@dataclass
class Outcome:
    scene: str
    status: str  # one of STATUSES
    seconds: float = 0.0
    entry: ManifestEntry | None = None
    error: str | None = None  # the cause, for a failed job

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def human_size(n: int | None) -> str:
    """Bytes as '8.0 KB', '1.2 MB'."""
    if not n:
        return "-"
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return "-"


def _row(o: Outcome) -> tuple[str, ...]:
    e = o.entry
    return (
        o.scene,
        o.status,
        f"{e.duration:.1f} s" if e and e.duration else "-",
        human_size(e.bytes if e else None),
        f"{o.seconds:.1f}" if o.status != "skipped" else "-",
    )


def summary_table(outcomes: list[Outcome], out: Path, problems: Sequence[str] = ()) -> str:
    """Scene, status, video duration, file size, render seconds; then failures and problems.

    ``problems`` are batch-level faults (a manifest or gallery that could not be written),
    one line each.
    """
    head = ("scene", "status", "duration", "size", "render s")
    rows = [_row(o) for o in outcomes]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*r) for r in rows]
    for o in outcomes:
        if o.failed:
            lines.append(f"FAILED {o.scene}: {o.error} (log: {out}/logs/{o.scene}.log)")
    lines += [f"PROBLEM {p}" for p in problems]
    n = {s: sum(o.status == s for o in outcomes) for s in STATUSES}
    lines.append(
        f"{n['rendered']} rendered, {n['skipped']} unchanged, {n['failed']} failed -> {out}"
    )
    return "\n".join(lines)
