"""``OUT/manifest.json``: one typed entry per scene, written atomically, read back for skips.

The file is ``{"version": 1, "scenes": {NAME: entry}, "requests": {fingerprint: {NAME:
cache key}}}``; an entry's JSON keys are the fields of :class:`ManifestEntry`, unchanged
from the untyped dict it replaces (new keys may be added, existing ones never change).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..files import write_atomic
from .cache import file_digest

FILENAME = "manifest.json"
VERSION = 1
REMEMBERED_REQUESTS = 16


@dataclass
class ManifestEntry:
    """One rendered scene: what was rendered, where it is, and what it showed."""

    scene: str = ""
    stem: str = ""  # the output's name and the manifest key: scene, aspect, captions
    title: str = ""
    summary: str = ""
    order: int = 100  # lecture order (gallery, listings)
    params: dict[str, Any] = field(default_factory=dict)
    quality: str = ""
    format: str = "mp4"
    theme: str = "dark"
    voice: str = "none"  # the engine that narrated it
    voice_id: str = ""  # with its version and model, e.g. piper-1.8.0/en_US-joe-medium@1.0.0
    speech_seconds: float = 0.0  # CPU seconds of speech synthesis (0: all from the cache)
    script: str | None = None  # the narration script (.txt), relative to OUT
    aspect: str = "16:9"
    burn_captions: bool = False
    path: str = ""  # the video, relative to OUT
    poster: str | None = None  # last frame as PNG, relative to OUT
    captions: str | None = None  # .srt, relative to OUT
    bytes: int = 0
    sha256: str = ""
    duration: float = 0.0  # seconds of video
    frames: int = 0
    width: int = 0
    height: int = 0
    render_seconds: float = 0.0
    peak_rss_mb: float = 0.0  # of the worker process
    cache_key: str = ""
    numbers: dict[str, Any] = field(default_factory=dict)  # numeric summary from the core
    beats: list[str] = field(default_factory=list)
    beat_starts: list[float] = field(default_factory=list)  # seconds, parallel to beats
    # per section clip (one per beat): beat, path (relative to OUT), start, duration, notes
    beat_clips: list[dict[str, Any]] = field(default_factory=list)
    manim_version: str = ""
    rendered_at: str = ""

    REQUIRED = ("scene", "path", "bytes", "sha256", "cache_key")

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ManifestEntry:
        """The entry in ``data``; unknown keys are ignored, a missing required one raises."""
        if not isinstance(data, dict):
            raise ValueError(f"a manifest entry is an object, got {type(data).__name__}")
        missing = [k for k in cls.REQUIRED if k not in data]
        if missing:
            raise ValueError(f"manifest entry lacks {', '.join(missing)}")
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    @property
    def key(self) -> str:
        """Its name in the manifest: the output's stem (entries before stems: the scene)."""
        return self.stem or self.scene

    def output_intact(self, out: Path) -> bool:
        """The recorded video is on disk with the recorded size and sha256."""
        path = Path(out) / self.path
        try:
            if path.stat().st_size != self.bytes:
                return False
            return file_digest(path) == self.sha256
        except OSError:
            return False


@dataclass
class Manifest:
    scenes: dict[str, ManifestEntry] = field(default_factory=dict)
    # request fingerprint -> {scene: cache key}: what a repeated request can be answered with
    requests: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, out: Path) -> Manifest:
        """The manifest in ``out``; unreadable parts count as absent (they render again)."""
        try:
            data = json.loads((Path(out) / FILENAME).read_text(encoding="utf-8"))
            scenes, requests = data.get("scenes", {}), data.get("requests", {})
        except (OSError, ValueError, AttributeError):
            return cls()
        entries = {}
        for name, raw in scenes.items() if isinstance(scenes, dict) else ():
            try:
                entries[name] = ManifestEntry.from_json(raw)
            except (TypeError, ValueError):
                continue
        return cls(entries, requests if isinstance(requests, dict) else {})

    @staticmethod
    def exists(out: Path) -> bool:
        return (Path(out) / FILENAME).is_file()

    def entry(self, scene: str) -> ManifestEntry | None:
        return self.scenes.get(scene)

    def is_fresh(self, scene: str, key: str, out: Path) -> bool:
        """Same cache key, and the recorded output is on disk with the recorded sha256."""
        e = self.scenes.get(scene)
        return e is not None and e.cache_key == key and e.output_intact(out)

    def remember_request(self, fingerprint: str, scenes: dict[str, str]) -> None:
        self.requests.pop(fingerprint, None)
        self.requests[fingerprint] = scenes
        while len(self.requests) > REMEMBERED_REQUESTS:
            self.requests.pop(next(iter(self.requests)))

    def record(self, entry: ManifestEntry, out: Path) -> None:
        """Add ``entry`` and save; if saving fails (OSError) the manifest is left unchanged."""
        scenes = {**self.scenes, entry.key: entry}
        self._write(out, scenes)
        self.scenes = scenes

    def save(self, out: Path) -> None:
        self._write(out, self.scenes)

    def _write(self, out: Path, scenes: dict[str, ManifestEntry]) -> None:
        doc = {
            "version": VERSION,
            "scenes": {name: e.to_json() for name, e in sorted(scenes.items())},
            "requests": self.requests,
        }
        write_atomic(Path(out) / FILENAME, json.dumps(doc, indent=2) + "\n")
