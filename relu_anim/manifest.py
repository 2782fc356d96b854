"""``OUT/manifest.json``: one entry per scene, written atomically, read for skip decisions."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILENAME = "manifest.json"
VERSION = 1
REMEMBERED_REQUESTS = 16


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temp file beside ``path``, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; these are shared outputs
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class Manifest:
    scenes: dict[str, dict[str, Any]] = field(default_factory=dict)
    # request fingerprint -> {scene: cache key}: what a repeated request can be answered with
    requests: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, out: Path) -> Manifest:
        """The manifest in ``out``; an unreadable one is treated as empty (everything renders)."""
        try:
            data = json.loads((Path(out) / FILENAME).read_text(encoding="utf-8"))
            scenes, requests = data.get("scenes", {}), data.get("requests", {})
            return cls(
                scenes if isinstance(scenes, dict) else {},
                requests if isinstance(requests, dict) else {},
            )
        except (OSError, ValueError, AttributeError):
            return cls()

    def entry(self, scene: str) -> dict[str, Any] | None:
        return self.scenes.get(scene)

    def record(self, entry: dict[str, Any]) -> None:
        self.scenes[entry["scene"]] = entry

    def remember_request(self, fingerprint: str, scenes: dict[str, str]) -> None:
        self.requests.pop(fingerprint, None)
        self.requests[fingerprint] = scenes
        while len(self.requests) > REMEMBERED_REQUESTS:
            self.requests.pop(next(iter(self.requests)))

    def is_fresh(self, scene: str, key: str, out: Path) -> bool:
        """Same cache key, and the recorded output is on disk with the recorded sha256."""
        e = self.scenes.get(scene)
        return bool(e) and e.get("cache_key") == key and self.output_intact(scene, out)

    def output_intact(self, scene: str, out: Path) -> bool:
        """The scene's recorded output file is on disk with the recorded size and sha256."""
        e = self.scenes.get(scene)
        if not e:
            return False
        path = Path(out) / e.get("path", "")
        try:
            if path.stat().st_size != e.get("bytes"):
                return False
        except OSError:
            return False
        return file_sha256(path) == e.get("sha256")

    def save(self, out: Path) -> None:
        doc = {
            "version": VERSION,
            "scenes": dict(sorted(self.scenes.items())),
            "requests": self.requests,
        }
        write_atomic(Path(out) / FILENAME, json.dumps(doc, indent=2) + "\n")
