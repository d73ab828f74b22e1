"""Atomic writes: a writer killed mid-save leaves the old or the new file, never a torn one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from termlock import store
from termlock.atomic import write_atomic
from termlock.entry import Entry
from termlock.errors import OutputError

N = 20000
WRITER = textwrap.dedent(
    f"""
    import sys
    from pathlib import Path
    from termlock import store
    from termlock.entry import Entry

    path = Path(sys.argv[1])
    versions = [
        [Entry(f"术语{{i:05d}}", f"{{word}} {{i}}", source="test (2025)") for i in range({N})]
        for word in ("old", "new")
    ]
    print("ready", flush=True)
    n = 0
    while True:
        store.save(path, versions[n % 2])
        n += 1
    """
)


def _version(word: str) -> bytes:
    entries = [Entry(f"术语{i:05d}", f"{word} {i}", source="test (2025)") for i in range(N)]
    return store.dumps(entries).encode("utf-8")


@pytest.mark.parametrize("delay", [0.05, 0.2, 0.45])
def test_killed_writer_leaves_old_or_new_content(tmp_path: Path, delay: float) -> None:
    path = tmp_path / "big.tsv"
    old, new = _version("old"), _version("new")
    path.write_bytes(old)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE)
    try:
        assert writer.stdout is not None and writer.stdout.readline() == b"ready\n"
        time.sleep(delay)
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
    data = path.read_bytes()
    assert data in (old, new)
    assert len(store.load(path)) == N


def test_write_replaces_content_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_bytes(b"old")
    path.chmod(0o640)
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["g.tsv"]  # no temporary file left behind


def test_unwritable_directory_is_an_output_error(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "g.tsv"
    with pytest.raises(OutputError, match="cannot write in"):
        write_atomic(missing, b"x")
