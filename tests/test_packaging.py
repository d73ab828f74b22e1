"""The wheel ships the curated glossary and the console script."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_contains_glossary_files(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("termlock-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(n.rsplit("/", 1)[-1] for n in names if n.startswith("termlock/data/glossary/"))
    expected = sorted(p.name for p in (ROOT / "glossary").iterdir() if p.is_file())
    assert shipped == expected and any(n.endswith(".tsv") for n in shipped)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "termlock = termlock.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
