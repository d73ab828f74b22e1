"""Input documents: split a file into translation units and render the translation.

Every format turns its input into a flat list of :class:`Unit` (the text to translate,
in reading order) and renders a list of translations, one per unit, back into the
same structure as the input. Formats live in a registry (:data:`FORMATS`); each one's
module is imported only when a file of that format is read, so importing this package
does not import python-docx or markdown-it-py.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from termlock.errors import InputError, OutputError, UsageError

__all__ = [
    "FORMATS",
    "Document",
    "DocumentFormat",
    "Unit",
    "default_output_path",
    "format_for",
    "read_document",
    "write_output",
]

UNIT_KINDS = frozenset(
    {"heading", "paragraph", "byline", "caption", "continuation", "list-item", "quote", "table-cell", "line"}
)


@dataclass(frozen=True)
class Unit:
    """One piece of source text to translate.

    Attributes:
        text: the source text, reflowed to one paragraph without hard line breaks.
            Empty only in the ``lines`` format (an empty input line); callers skip
            empty units and pass ``""`` for them to ``render``.
        kind: one of "heading", "paragraph", "byline", "caption", "continuation",
            "list-item", "quote", "table-cell", "line".
        line: 1-based line of the input where the unit starts; 0 when unknown (docx).
    """

    text: str
    kind: str
    line: int


class Document(Protocol):
    """A parsed input file.

    Attributes:
        path: the input path, or "-" for standard input.
        format: the registry name of the format.
        units: the units to translate, in reading order.
    """

    path: str
    format: str
    units: list[Unit]

    def render(self, translations: Sequence[str]) -> bytes:
        """Return the output file: ``translations[i]`` replaces ``units[i]``."""
        ...


class _Reader(Protocol):
    def __call__(self, path: str, data: bytes, *, reflow: bool) -> Document: ...


@dataclass(frozen=True)
class DocumentFormat:
    """A registered input format.

    Attributes:
        name: the name used with ``--format``.
        extensions: file name endings (lower case, with the dot) that select it.
        module: the module (under ``termlock.documents``) with a ``read`` function.
        description: one line for ``--help``.
    """

    name: str
    extensions: tuple[str, ...]
    module: str
    description: str

    def read(self, path: str, data: bytes, *, reflow: bool = True) -> Document:
        """Parse ``data`` (the contents of ``path``) into a document."""
        reader: _Reader = importlib.import_module(f"termlock.documents.{self.module}").read
        return reader(path, data, reflow=reflow)


FORMATS: dict[str, DocumentFormat] = {
    fmt.name: fmt
    for fmt in (
        DocumentFormat("txt", (".txt", ".text"), "txt", "plain text; hard-wrapped lines are reflowed"),
        DocumentFormat("md", (".md", ".markdown"), "markdown", "Markdown; code, URLs and markup kept"),
        DocumentFormat("docx", (".docx",), "docx", "Word document; paragraph styles kept"),
        DocumentFormat("lines", (".lines",), "lines", "one segment per line; stdin default"),
    )
}


def _allowed() -> str:
    return ", ".join(FORMATS)


def format_for(path: str, explicit: str | None = None) -> str:
    """Choose the format of an input.

    Args:
        path: the input path; "-" (standard input) means "lines" unless ``explicit``.
        explicit: the value of ``--format``, if given; it wins over the extension.

    Returns:
        A key of :data:`FORMATS`.

    Raises:
        UsageError: ``explicit`` is not a known format, or the extension is unknown;
            the message lists the allowed values.
    """
    if explicit is not None:
        if explicit not in FORMATS:
            raise UsageError(f"unknown --format {explicit!r}; allowed values: {_allowed()}")
        return explicit
    if path == "-":
        return "lines"
    suffix = Path(path).suffix.lower()
    for fmt in FORMATS.values():
        if suffix in fmt.extensions:
            return fmt.name
    shown = repr(suffix) if suffix else "no extension"
    raise UsageError(
        f"cannot tell the format of {path} from its extension ({shown}); pass --format with one of: "
        f"{_allowed()}"
    )


def read_document(
    path: str, *, fmt: str | None = None, reflow: bool = True, data: bytes | None = None
) -> Document:
    """Read and parse an input file.

    Args:
        path: the file to read, or "-" for standard input (then ``data`` is required).
        fmt: the format name (``--format``); chosen from the extension when None.
        reflow: for txt, join hard-wrapped lines into paragraphs (``--no-reflow`` turns
            it off: one unit per non-empty line).
        data: the contents, when the caller already has them (stdin bytes for "-").

    Returns:
        The parsed document.

    Raises:
        UsageError: the format is unknown, or "-" is given without ``data``.
        InputError: the file cannot be read, decoded or parsed.
    """
    name = format_for(path, fmt)
    if data is None:
        if path == "-":
            raise UsageError("reading standard input ('-') needs its bytes: pass data=")
        data = _read_bytes(path)
    return FORMATS[name].read(path, data, reflow=reflow)


def _read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise InputError("file not found; check the path", path=path) from exc
    except IsADirectoryError as exc:
        raise InputError("is a directory; pass a file", path=path) from exc
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror}); check its permissions", path=path) from exc


def default_output_path(path: str) -> str:
    """The output path used when none is given: ``report.txt`` → ``report.en.txt``.

    Args:
        path: the input path; "-" maps to "-" (standard output).

    Returns:
        The path with ``.en`` inserted before the extension (appended if there is none).
    """
    if path == "-":
        return "-"
    p = Path(path)
    return str(p.with_name(f"{p.stem}.en{p.suffix}"))


def write_output(path: str, data: bytes, *, force: bool = False) -> None:
    """Write an output file atomically, refusing to overwrite unless forced.

    The bytes go to a temporary file in the same directory, which then replaces the
    target with ``os.replace``, so a reader never sees a half-written file and a
    failure leaves any existing file untouched. Path "-" writes to standard output.

    Args:
        path: where to write, or "-" for standard output.
        data: the complete file contents.
        force: overwrite an existing file.

    Raises:
        OutputError: the file exists and ``force`` is false, the directory does not
            exist, or the file cannot be written.
    """
    if path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{path}: is a directory; give an output file name")
    if target.exists() and not force:
        raise OutputError(f"{path}: already exists; pass --force to overwrite it")
    directory = target.parent
    if not directory.is_dir():
        raise OutputError(f"{path}: directory {directory} does not exist; create it first")
    try:
        _replace_atomically(target, data)
    except OSError as exc:
        raise OutputError(
            f"{path}: cannot write ({exc.strerror}); check the directory's permissions"
        ) from exc


def _replace_atomically(target: Path, data: bytes) -> None:
    mode = _new_file_mode(target)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp_name).chmod(mode)
        Path(tmp_name).replace(target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _new_file_mode(target: Path) -> int:
    """Keep an overwritten file's mode; otherwise what open() would give (mkstemp uses 0600)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
