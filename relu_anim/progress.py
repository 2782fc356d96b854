"""Live progress while rendering (one line per running job) and the final summary table.

The live display only runs on a terminal; piped output gets the summary alone.
"""

from __future__ import annotations

import time


class ProgressDisplay:
    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self.rows: dict[str, dict] = {}
        self._live = None

    def start(self) -> None:
        if not self.enabled:
            return
        from rich.live import Live

        self._live = Live(self._render(), refresh_per_second=4, transient=True)
        self._live.start()

    def update(self, scene: str, done: int, total: int | None) -> None:
        row = self.rows.setdefault(scene, {"t0": time.perf_counter(), "total": None})
        row["done"] = done
        if total:
            row["total"] = total
        self._refresh()

    def finish(self, scene: str, status: str) -> None:
        self.rows.pop(scene, None)
        self._refresh()

    def stop(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    def _refresh(self) -> None:
        if self._live is not None:
            self._live.update(self._render())

    def _render(self):
        from rich.table import Table
        from rich.text import Text

        table = Table.grid(padding=(0, 2))
        for scene, row in self.rows.items():
            done, total = row.get("done", 0), row.get("total")
            frac = done / total if total else 0.0
            bar = "#" * int(24 * frac) + "-" * (24 - int(24 * frac))
            count = f"{done}/{total} frames" if total else f"{done} frames"
            elapsed = f"{time.perf_counter() - row['t0']:.0f}s"
            table.add_row(Text(scene), Text(f"[{bar}]"), Text(count), Text(elapsed))
        return table


def human_size(n: int | None) -> str:
    """Bytes as '8.0 KB', '1.2 MB'."""
    if not n:
        return "-"
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return "-"


def summary_table(outcomes, out) -> str:
    """Plain-text table: scene, status, video duration, file size, render seconds."""
    head = ("scene", "status", "duration", "size", "render s")
    rows = []
    for o in outcomes:
        e = o.entry or {}
        rows.append(
            (
                o.scene,
                o.status,
                f"{e['duration']:.1f} s" if e.get("duration") else "-",
                human_size(e.get("bytes")),
                f"{o.seconds:.1f}" if o.status != "skipped" else "-",
            )
        )
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*r) for r in rows]
    failed = [o for o in outcomes if o.status == "failed"]
    for o in failed:
        lines.append(f"FAILED {o.scene}: {o.error} (log: {out}/logs/{o.scene}.log)")
    n = {s: sum(o.status == s for o in outcomes) for s in ("rendered", "skipped", "failed")}
    lines.append(
        f"{n['rendered']} rendered, {n['skipped']} unchanged, {n['failed']} failed -> {out}"
    )
    return "\n".join(lines)
