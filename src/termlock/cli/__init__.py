"""Command line: a thin layer over the library, and the one place errors become messages.

Every command module registers itself on :data:`termlock.cli.app.app`. Commands that
need a model import torch/transformers inside the command body, so ``termlock --help``
and the glossary commands stay fast and torch-free.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from termlock.cli import glossary as _glossary  # noqa: F401  (registers commands)
from termlock.cli.app import app
from termlock.errors import TermlockError

for _name in ("translate", "quality"):
    # Optional command modules: registered when present (built by separate issues).
    try:
        __import__(f"termlock.cli.{_name}")
    except ModuleNotFoundError as _exc:  # pragma: no cover - only while a module is absent
        if _exc.name != f"termlock.cli.{_name}":
            raise


def main(argv: Sequence[str] | None = None) -> None:
    """Run the CLI; convert termlock errors to ``Error: ...`` on stderr and an exit code.

    typer handles usage errors, ``--help`` and exit codes itself (standalone mode); only
    our own errors reach this boundary, so no traceback is ever shown for bad input.
    """
    try:
        app(args=list(argv) if argv is not None else None, prog_name="termlock")
    except TermlockError as exc:
        typer.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("Interrupted.", err=True)
        sys.exit(130)
