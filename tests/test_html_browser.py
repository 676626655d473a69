"""The HTML report opens in a real browser: headless Chromium screenshots a rendered report.

Skipped when Chromium is not installed (``apt-get install chromium``)."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest
import torch
from torchvision.models.resnet import Bottleneck, ResNet

from resnet_verify.report.formats import render

pytestmark = pytest.mark.browser

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
WIDTH, HEIGHT = 1400, 2000


def _chromium() -> str | None:
    for path in CHROMIUM_CANDIDATES:
        if Path(path).is_file():
            return path
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def screenshot(html_file: Path, png: Path, profile: Path, browser: str) -> subprocess.CompletedProcess[str]:
    cmd = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--screenshot={png}",
        f"--window-size={WIDTH},{HEIGHT}",
        html_file.resolve().as_uri(),
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)


def test_html_report_screenshot(tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium)")
    compare = pytest.importorskip("resnet_verify.verify.comparison").compare
    with torch.device("meta"):
        candidate = ResNet(Bottleneck, [3, 4, 5, 3], num_classes=6)  # layer3 lacks a block
    comparison = compare(
        candidate, "resnet50", input_size=(3, 224, 224), num_classes=6, candidate_name="MyResNet50"
    )
    assert not comparison.ok
    html_file = tmp_path / "report.html"
    html_file.write_text(render(comparison, "html"), encoding="utf-8")
    png = tmp_path / "report.png"
    result = screenshot(html_file, png, tmp_path / "profile", browser)
    assert png.is_file(), f"no screenshot; chromium exited {result.returncode}: {result.stderr[-2000:]}"
    data = png.read_bytes()
    assert _png_size(data) == (WIDTH, HEIGHT)
    assert len(data) > 20_000, f"suspiciously small screenshot ({len(data)} bytes)"
    image_module = pytest.importorskip("PIL.Image")
    with image_module.open(png) as image:
        colors = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colors is not None and len(colors) > 50, "the page rendered (almost) blank"
    # the report's own reds (#cf222e border of the highlighted block) made it to the screen
    assert any(abs(r - 0xCF) < 8 and abs(g - 0x22) < 8 and abs(b - 0x2E) < 8 for _, (r, g, b) in colors)


def test_html_crash_report_screenshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crashed candidate's report: the crash box (its pale red background) and the named cause render."""
    browser = _chromium()
    if browser is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium)")
    from resnet_verify.specs.builders import build_model
    from resnet_verify.verify.comparison import compare

    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    model, name = build_model("tests/fixtures/crashes/head_avgpool7.py:build", num_classes=6, device="meta")
    comparison = compare(model, "resnet18", input_size=64, num_classes=6, candidate_name=name)
    assert comparison.candidate.crash is not None
    html = render(comparison, "html")
    assert "pool_larger_than_feature_map" in html and "Output size is too small" in html
    html_file = tmp_path / "crash.html"
    html_file.write_text(html, encoding="utf-8")
    png = tmp_path / "crash.png"
    result = screenshot(html_file, png, tmp_path / "profile", browser)
    assert png.is_file(), f"no screenshot; chromium exited {result.returncode}: {result.stderr[-2000:]}"
    image_module = pytest.importorskip("PIL.Image")
    with image_module.open(png) as image:
        colors = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colors is not None and len(colors) > 50, "the page rendered (almost) blank"
    pale_red = sum(n for n, (r, g, b) in colors if (r, g, b) == (0xFF, 0xF5, 0xF5))  # .crash background
    assert pale_red > 5_000, "the crash box is not on screen"
