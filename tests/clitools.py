"""Run the termlock CLI in-process and capture what a user would see."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from termlock.cli import main


@dataclass
class Result:
    """Exit code and captured streams of one CLI run."""

    code: int
    stdout: str
    stderr: str


@contextmanager
def _env(overrides: Mapping[str, str | None]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in overrides}
    try:
        for key, value in overrides.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class _Stdin(io.TextIOWrapper):
    pass


def run_cli(
    args: Sequence[str], *, stdin: bytes = b"", env: Mapping[str, str | None] | None = None
) -> Result:
    """Run ``termlock ARGS`` through :func:`termlock.cli.main` (the real error boundary).

    ``TERMLOCK_GLOSSARY`` is cleared unless ``env`` sets it, so a developer's own default
    glossary never leaks into tests.
    """
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    stdin_stream = _Stdin(io.BytesIO(stdin), encoding="utf-8")
    saved = sys.stdin, sys.stdout, sys.stderr
    code = 0
    with _env({"TERMLOCK_GLOSSARY": None, **(env or {})}):
        sys.stdin, sys.stdout, sys.stderr = stdin_stream, stdout, stderr
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.stdin, sys.stdout, sys.stderr = saved
    return Result(code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"))
