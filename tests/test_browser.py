"""The bilingual HTML in a real headless browser: terms highlighted, missed flag visible.

Skipped unless Debian's chromium is installed (``apt-get install -y chromium``).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from termlock.bilingual import render_html
from test_report import sample_result

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install -y chromium)"),
]

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    return subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("view") / "view.html"
    path.write_bytes(render_html(sample_result(), "in.txt"))
    return path


def test_dom_shows_highlights_and_missed_flag(page: Path, tmp_path: Path) -> None:
    # A script-free page: the dumped DOM is what the parser built from our markup, so this
    # checks that escaping and nesting survive a real HTML parser.
    done = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr
    dom = done.stdout
    assert '<mark class="term ok" title="高质量发展 → high-quality development">高质量发展</mark>' in dom
    assert '<mark class="rendering" title="高质量发展">high-quality development</mark>' in dom
    assert (
        '<mark class="term missed" title="新质生产力 → new quality productive forces">新质生产力</mark>'
        in dom
    )
    assert '<span class="flag missed">⚠ missed: 新质生产力 → “new quality productive forces”</span>' in dom
    assert '<tr class="heading has-missed">' in dom
    assert '<span class="missed-count">1 missed</span>' in dom


def test_screenshot_renders(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    done = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,600", page.as_uri())
    assert done.returncode == 0, done.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5000
