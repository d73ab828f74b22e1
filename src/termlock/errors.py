"""Error types raised by the termlock library.

Library code never prints or exits: it raises these, and ``termlock.cli`` turns them
into one ``Error: ...`` line on stderr with the exit code each class carries.
"""

from __future__ import annotations

from pathlib import Path


class TermlockError(Exception):
    """Base class of every error termlock raises on purpose.

    Attributes:
        exit_code: process exit status the CLI uses for this error.
    """

    exit_code: int = 1


class InputError(TermlockError):
    """Bad input: a file that cannot be read, parsed or decoded.

    The message names the file, the line (when known) and how to fix it.
    """

    exit_code = 2

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None) -> None:
        self.path = None if path is None else str(path)
        self.line = line
        where = ""
        if self.path is not None:
            where = f"{self.path}:{line}: " if line is not None else f"{self.path}: "
        super().__init__(f"{where}{message}")


class GlossaryError(InputError):
    """A glossary file is malformed, or a glossary operation is not possible."""


class OutputError(TermlockError):
    """An output cannot be written (exists without --force, read-only, ...)."""

    exit_code = 2


class UsageError(TermlockError):
    """An option value is not allowed; the message lists the allowed values."""

    exit_code = 2


class ModelError(TermlockError):
    """A translation model cannot be loaded; the message says how to get it."""

    exit_code = 3


class TermsMissedError(TermlockError):
    """With ``--strict``: at least one required rendering is missing from the output."""

    exit_code = 4
