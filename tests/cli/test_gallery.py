"""The gallery page: self-contained, one card per scene, videos and captions that load."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from relu_anim.batch.gallery import GalleryError, srt_to_vtt, write_gallery

from .test_render import render

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("gallery")
    render(out, "TinyCircle", check=0)
    render(out, "TinyCircle", "--format", "webm", "--quality", "medium", check=0)
    render(out, "TinyCircle", check=0)  # back to low mp4 (the manifest keeps the latest)
    return out


def test_page_has_a_card_per_scene_and_fetches_nothing(out):
    page = (out / "index.html").read_text()
    assert page.count('class="card"') == 1 and "Tiny circle" in page
    assert 'src="low/TinyCircle.mp4"' in page and 'poster="low/TinyCircle.png"' in page
    assert "data:text/vtt;base64," in page and "download" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "@import" not in page and "<link" not in page


def test_srt_to_vtt():
    vtt = srt_to_vtt("1\n00:00:00,000 --> 00:00:01,500\nHello, world\n")
    assert vtt.startswith("WEBVTT\n") and "00:00:00.000 --> 00:00:01.500" in vtt
    assert "Hello, world" in vtt


def test_gallery_without_manifest_is_an_error(tmp_path):
    with pytest.raises(GalleryError, match="render some scenes first"):
        write_gallery(tmp_path)


CHECK = """
<script>
window.addEventListener('load', async () => {
  const wait = (el, ev) => new Promise(r => { el.addEventListener(ev, r, {once: true}); });
  const videos = [...document.querySelectorAll('video')];
  const report = [];
  for (const v of videos) {
    if (v.readyState < 1) { await Promise.race([wait(v, 'loadedmetadata'), wait(v, 'error')]); }
    const t = v.textTracks[0];
    if (t) { t.mode = 'showing'; }
    const trackEl = v.querySelector('track');
    if (trackEl && trackEl.readyState < 2) {
      await Promise.race([wait(trackEl, 'load'), wait(trackEl, 'error')]);
    }
    report.push({duration: v.duration, error: v.error && v.error.code,
                 tracks: v.textTracks.length, cues: t && t.cues ? t.cues.length : 0,
                 trackState: trackEl ? trackEl.readyState : -1});
  }
  document.body.setAttribute('data-report', JSON.stringify(report));
});
</script>
"""

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="module")
def chromium():
    """Debian's chromium, installed through the same bootstrap as the other apt packages."""
    subprocess.run(["bash", str(ROOT / "tools" / "bootstrap.sh"), "browser"], check=True)
    for name in ("chromium", "chromium-browser"):
        path = subprocess.run(["which", name], capture_output=True, text=True).stdout.strip()
        if path:
            return path
    pytest.fail("chromium is not installed and could not be installed")


def page_report(chromium, page: Path, script: str, profile: Path):
    """Open ``page`` with ``script`` added in headless chromium; the JSON that the script left
    in the body's data-report attribute."""
    probe = page.with_name("_probe.html")
    probe.write_text(page.read_text().replace("</body>", script + "</body>"))
    common = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    dom = subprocess.run(
        [*common, "--virtual-time-budget=15000", "--dump-dom", probe.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    probe.unlink()
    match = re.search(r'data-report="([^"]*)"', dom)
    assert match, "the page's check script did not finish"
    return json.loads(match.group(1).replace("&quot;", '"'))


@pytest.mark.browser
def test_videos_and_captions_load_in_headless_chromium(out, chromium, tmp_path):
    report = page_report(chromium, out / "index.html", CHECK, tmp_path / "profile")
    common = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    assert len(report) == 1
    for video in report:
        assert video["error"] is None and video["duration"] > 0, video
        assert video["tracks"] == 1 and video["trackState"] == 2 and video["cues"] >= 2, video
    shot = tmp_path / "gallery.png"
    subprocess.run(
        [*common, "--window-size=1280,900", f"--screenshot={shot}", (out / "index.html").as_uri()],
        capture_output=True,
        timeout=120,
    )
    assert shot.is_file() and shot.stat().st_size > 5000
    print(f"gallery screenshot: {shot}", file=sys.stderr)


def test_numbers_are_shown_rounded():
    from relu_anim.batch.gallery import _fmt

    assert (
        _fmt([[0.42900000000000005, 0.803], [-0.5239999999999999]]) == "[[0.429, 0.803], [-0.524]]"
    )
    assert _fmt(0.10396612) == "0.103966" and _fmt("xor") == "xor"
