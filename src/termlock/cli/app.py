"""The one typer app, its sub-apps and the options several commands share."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from termlock.glossary import Glossary, load_glossary

app = typer.Typer(
    name="termlock",
    help="Chinese-to-English machine translation with a curated, enforced policy glossary.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
glossary_app = typer.Typer(
    help="Manage the glossary: list, show, add, edit, remove, import, export, lint, terms.",
    no_args_is_help=True,
)
app.add_typer(glossary_app, name="glossary")

GlossaryOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--glossary",
        "-g",
        help="User glossary TSV file or folder, layered over the built-in one (repeatable; "
        "later wins). Default user glossary: $TERMLOCK_GLOSSARY.",
    ),
]
NoBuiltinOpt = Annotated[bool, typer.Option("--no-builtin", help="Leave out the built-in curated glossary.")]


def open_glossary(paths: list[Path] | None, no_builtin: bool = False) -> Glossary:
    """Load the layers the shared options name."""
    return load_glossary(paths or [], builtin=not no_builtin)


def err(message: str) -> None:
    """Write a message for the user to stderr (stdout carries only results)."""
    typer.echo(message, err=True)


@contextmanager
def quiet_transformers() -> Iterator[None]:
    """Silence transformers' own loading bars and advice: termlock's progress is the only one."""
    import importlib

    hf_logging: Any = importlib.import_module("transformers.utils.logging")  # untyped module
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    yield


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, rule: bool = False) -> str:
    """Return an aligned text table, wide CJK characters counting two cells (rich's cell_len).

    Args:
        headers: column names.
        rows: the cells; each is shown with ``str``.
        rule: draw a line of dashes under the header.
    """
    from rich.cells import cell_len

    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(cell_len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c + " " * (w - cell_len(c)) for c, w in zip(row, widths, strict=True)).rstrip()

    lines = [line(row) for row in cells]
    if rule:
        lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
