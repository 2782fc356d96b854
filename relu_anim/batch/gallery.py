"""``OUT/index.html``: a self-contained static page: the lecture first, then one card per scene.

No network fetches: styles are inline, posters and videos are relative links to the files
beside the page, and captions are embedded as WebVTT data URIs (browsers refuse to load
``<track>`` files from ``file://`` pages, which count as a different origin).
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

from .manifest import Manifest, ManifestEntry, write_atomic
from .summary import human_size

MIME = {"mp4": "video/mp4", "webm": "video/webm"}


class GalleryError(ValueError):
    """The output directory has no usable manifest."""


def srt_to_vtt(srt: str) -> str:
    """WebVTT from SubRip: a header, and '.' instead of ',' in the timestamps."""
    lines = ["WEBVTT", ""]
    for line in srt.replace("\r\n", "\n").split("\n"):
        if "-->" in line:
            line = line.replace(",", ".")
        lines.append(line)
    return "\n".join(lines).rstrip() + "\n"


def _captions_uri(out: Path, rel: str | None) -> str | None:
    """The SubRip file ``rel`` (relative to ``out``) as a WebVTT data URI, if it is there."""
    if not rel or not (out / rel).is_file():
        return None
    vtt = srt_to_vtt((out / rel).read_text(encoding="utf-8"))
    return "data:text/vtt;base64," + base64.b64encode(vtt.encode()).decode()


def _table(items: dict) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(_fmt(v))}</td></tr>"
        for k, v in items.items()
    )
    return f"<table>{rows}</table>" if rows else "<p class=muted>none</p>"


def _rounded(v):
    """Floats to 6 significant digits, inside lists and dicts too (0.429, not 0.42900000000000005)."""
    if isinstance(v, float):
        return float(f"{v:.6g}")
    if isinstance(v, list | tuple):
        return [_rounded(x) for x in v]
    if isinstance(v, dict):
        return {k: _rounded(x) for k, x in v.items()}
    return v


def _fmt(v) -> str:
    v = _rounded(v)
    return json.dumps(v) if isinstance(v, list | dict) else str(v)


def _media(e: ManifestEntry, captions: str | None) -> str:
    if e.format == "gif":
        return f'<img class="media" src="{html.escape(e.path)}" alt="{html.escape(e.scene)} animation">'
    return _video(e.path, e.format, e.poster, captions)


def _video(path: str, fmt: str, poster: str | None, captions: str | None) -> str:
    esc = html.escape
    track = (
        f'<track kind="captions" srclang="en" label="English" default src="{captions}">'
        if captions
        else ""
    )
    return (
        f'<video class="media" controls preload="metadata" poster="{esc(poster or "")}">'
        f'<source src="{esc(path)}" type="{MIME.get(fmt, "video/mp4")}">{track}</video>'
    )


def _card(out: Path, e: ManifestEntry) -> str:
    esc = html.escape
    facts = f"{e.duration:.1f} s · {e.width}×{e.height} · {human_size(e.bytes)}"
    return f"""
<article class="card" id="{esc(e.scene)}">
  <h2>{esc(e.title or e.scene)}</h2>
  <p class="summary">{esc(e.summary)}</p>
  {_media(e, _captions_uri(out, e.captions))}
  <p class="facts">{esc(e.scene)} · {esc(e.quality)} · {esc(facts)}
     · <a href="{esc(e.path)}" download>download</a></p>
  <details><summary>parameters</summary>{_table(e.params)}</details>
  <details open><summary>numbers (from relu_anim.core)</summary>{_table(e.numbers)}</details>
</article>"""


# -- the lecture -----------------------------------------------------------------------------
def lecture_records(out: Path) -> list[dict]:
    """The lectures made in ``out`` (``<quality>/lecture*.json``) whose video is on disk."""
    found = []
    for path in sorted(Path(out).glob("*/lecture*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and (out / str(record.get("path", ""))).is_file():
            found.append(record)
    return found


def _clock(seconds: float) -> str:
    minutes, s = divmod(int(seconds), 60)
    return f"{minutes}:{s:02d}"


def _seek(start: float, text: str) -> str:
    """A link that moves the lecture's video to ``start`` and plays it (text wraps as text)."""
    return (
        f'<a href="#t={start:.4f}" data-start="{start:.4f}">{html.escape(text)}</a>'
        f'<span class="t">{_clock(start)}</span>'
    )


def _chapters(record: dict) -> str:
    items = []
    for c in record.get("chapters", []):
        beats = "".join(
            f"<li>{_seek(b['start'], b.get('caption') or b['name'])}</li>" for b in c["beats"]
        )
        beats = f'<ol class="beats">{beats}</ol>' if beats else ""
        items.append(f"<li>{_seek(c['start'], c['title'])}{beats}</li>")
    return f'<ol class="chapters">{"".join(items)}</ol>'


def _stale(record: dict, manifest: Manifest) -> str:
    """A note naming the scenes rendered again since the lecture was joined."""
    changed = [
        c["scene"]
        for c in record.get("chapters", [])
        if (e := manifest.entry(c.get("stem", c["scene"]))) and e.cache_key != c.get("cache_key")
    ]
    if not changed:
        return ""
    names = html.escape(", ".join(changed))
    return f'<p class="muted">Joined from earlier renders of {names}: run relu-anim lecture to update.</p>'


def _lecture(out: Path, record: dict, manifest: Manifest) -> str:
    esc = html.escape
    facts = (
        f"{len(record['chapters'])} scenes · {_clock(record['duration'])} · "
        f"{esc(record['quality'])} · {human_size(record['bytes'])} · "
        f"{'with sound' if record.get('audio') else 'silent'}"
    )
    video = _video(
        record["path"],
        record["format"],
        record.get("poster"),
        _captions_uri(out, record["captions"]),
    )
    return f"""
<section class="lecture" id="lecture-{esc(record["quality"])}">
  <h2>{esc(record.get("title", "Lecture"))}</h2>
  <p class="facts">{facts} · <a href="{esc(record["path"])}" download>download</a></p>
  {_stale(record, manifest)}
  <div class="lecture-body">{video}{_chapters(record)}</div>
</section>"""


def _lectures(out: Path, manifest: Manifest) -> str:
    """A section per lecture; a record this page cannot read (another version) is left out."""
    sections = []
    for record in lecture_records(out):
        try:
            sections.append(_lecture(out, record, manifest))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return "".join(sections)


# Chapter links seek their lecture's video; the chapter playing is highlighted.
SEEK_SCRIPT = """
document.querySelectorAll('.lecture').forEach(function (section) {
  var video = section.querySelector('video');
  var buttons = Array.prototype.slice.call(section.querySelectorAll('a[data-start]'));
  buttons.forEach(function (b) {
    b.addEventListener('click', function (event) {
      event.preventDefault();
      video.currentTime = parseFloat(b.dataset.start) + 0.01;
      video.play();
    });
  });
  video.addEventListener('timeupdate', function () {
    var now = null;
    buttons.forEach(function (b) {
      b.classList.remove('now');
      if (parseFloat(b.dataset.start) <= video.currentTime + 0.02) { now = b; }
    });
    if (now) { now.classList.add('now'); }
  });
});
"""


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#111418;color:#f2f2f2;margin:0;padding:24px}
h1{margin:0 0 4px}.muted,.facts{color:#9aa4ae;font-size:14px}
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:24px;margin-top:20px}
.card{background:#1c222a;border-radius:10px;padding:16px}
.card h2{margin:0 0 4px;font-size:20px}.summary{margin:0 0 10px;color:#d0d6dc}
.media{width:100%;border-radius:6px;background:#000}
table{border-collapse:collapse;font-size:13px;margin-top:6px}th,td{text-align:left;padding:2px 10px 2px 0}
th{color:#9aa4ae;font-weight:normal}a{color:#56b4e9}details{margin-top:6px}
.lecture{background:#1c222a;border-radius:10px;padding:16px;margin-top:20px}
.lecture h2{margin:0 0 4px}.lecture-body{display:grid;grid-template-columns:minmax(0,2fr) minmax(240px,1fr);gap:16px}
.chapters{margin:0;padding-left:22px;max-height:480px;overflow-y:auto;font-size:14px}
.chapters>li{margin:4px 0}.beats{padding-left:18px;color:#d0d6dc;font-size:13px}
.chapters a{text-decoration:none}.chapters a:hover{text-decoration:underline}
.chapters a.now{color:#f2f2f2;font-weight:bold}.chapters .t{color:#9aa4ae;margin-left:6px;font-size:12px}
@media (max-width:800px){.lecture-body{grid-template-columns:1fr}}
"""


def render_gallery(out: Path, manifest: Manifest) -> str:
    entries = sorted(manifest.scenes.values(), key=lambda e: (e.order, e.scene))
    entries = [e for e in entries if (out / e.path).is_file()]
    cards = "".join(_card(out, e) for e in entries) or "<p class=muted>Nothing rendered yet.</p>"
    lectures = _lectures(out, manifest)
    script = f"<script>{SEEK_SCRIPT}</script>" if lectures else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>relu-anim gallery</title><style>{STYLE}</style></head>
<body><h1>relu-anim</h1>
<p class="muted">Why ReLU networks work: {len(entries)} scene(s); every number computed by relu_anim.core.</p>
{lectures}<main>{cards}</main>{script}</body></html>
"""


def write_gallery(out: Path, manifest: Manifest | None = None) -> Path:
    """Write ``out/index.html`` from ``manifest`` (by default, the one in ``out``).

    Raises GalleryError when no manifest is given and ``out`` has none; OSError when the
    page cannot be written.
    """
    out = Path(out)
    if manifest is None:
        if not Manifest.exists(out):
            raise GalleryError(f"no manifest.json in {out}: render some scenes first")
        manifest = Manifest.load(out)
    page = out / "index.html"
    write_atomic(page, render_gallery(out, manifest))
    return page
