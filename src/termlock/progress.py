"""A progress bar on stderr for long translations: segments done/total, rate and ETA.

Shown only when stderr is a terminal and the user did not ask for ``--quiet``: a bar
written into a log file or a pipe is noise, and stdout must carry only results.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, TextIO


def wanted(stream: TextIO | None = None, *, quiet: bool = False) -> bool:
    """Whether a progress bar belongs on ``stream`` (default stderr)."""
    stream = stream if stream is not None else sys.stderr
    isatty = getattr(stream, "isatty", None)
    return not quiet and callable(isatty) and bool(isatty())


class ProgressBar:
    """Context manager whose :meth:`update` fits ``Translator(progress=...)``.

    When disabled it does nothing, so callers need no branches.

    Example:
        >>> with ProgressBar("Translating", enabled=False) as bar:
        ...     bar.update(1, 2)
    """

    def __init__(
        self, description: str = "Translating", *, enabled: bool = True, stream: TextIO | None = None
    ):
        """Prepare the bar; nothing is drawn before the first update."""
        self.description = description
        self.enabled = enabled
        self._stream = stream
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> ProgressBar:
        """Start the live display (when enabled)."""
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            console = Console(file=self._stream or sys.stderr, stderr=self._stream is None)
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("segments"),
                TaskProgressColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=console,
                transient=False,
            )
            self._progress.start()
            self._task = self._progress.add_task(self.description, total=None, rate="")
        return self

    def update(self, done: int, total: int) -> None:
        """Record that ``done`` of ``total`` segments are translated."""
        if self._progress is None:
            return
        task = self._progress.tasks[0]
        speed = task.speed
        rate = f"{speed:.1f} seg/s" if speed else ""
        self._progress.update(self._task, completed=done, total=total, rate=rate)

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Stop the live display; the last state stays on screen."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
