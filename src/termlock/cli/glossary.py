"""`termlock glossary ...`: list, show, add, edit, remove, import, export, lint, terms.

A thin layer: the work happens in :mod:`termlock.edit`, :mod:`termlock.formats`,
:mod:`termlock.lint` and :mod:`termlock.termscan`. Results go to stdout, messages
(what was written, warnings) to stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer

from termlock import edit, formats, lint, store, termscan
from termlock.atomic import write_atomic
from termlock.cli.app import GlossaryOpt, NoBuiltinOpt, err, glossary_app, open_glossary, plain_table
from termlock.encoding import decode
from termlock.entry import Entry
from termlock.errors import InputError, OutputError, UsageError
from termlock.glossary import Glossary, load_glossary

_FORMAT_NAMES = ", ".join(formats.FORMATS)
OutputOpt = Annotated[str, typer.Option("--format", "-f", help="Output format: table, tsv or json.")]
ListOpt = Annotated[list[str] | None, typer.Option(metavar="TEXT", help="Repeatable.")]
FileFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format", "-f", help=f"File format: {_FORMAT_NAMES}. Default: guessed from the extension."
    ),
]


# --- output ------------------------------------------------------------------------------------


@dataclass
class Report:
    """Rows for table/tsv output and records for JSON output of one command."""

    headers: Sequence[str]
    rows: list[list[str]]
    records: list[dict[str, Any]]
    table_columns: Sequence[str] = field(default_factory=tuple)


def _table(report: Report) -> str:
    names = list(report.table_columns or report.headers)
    index = [list(report.headers).index(name) for name in names]
    rows = [[row[i] for i in index] for row in report.rows]
    if not sys.stdout.isatty():
        return plain_table(names, rows) + "\n"
    from rich.console import Console
    from rich.table import Table

    table = Table(*names)
    for row in rows:
        table.add_row(*row)
    Console().print(table)
    return ""


def _tsv(report: Report) -> str:
    return "".join("\t".join(row) + "\n" for row in [list(report.headers), *report.rows])


def _json(report: Report) -> str:
    # A single record (show) is printed as an object, lists of results as a list.
    value: Any = report.records[0] if not report.headers and len(report.records) == 1 else report.records
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


OUTPUTS: dict[str, Callable[[Report], str]] = {"table": _table, "tsv": _tsv, "json": _json}


def _emit(fmt: str, report: Report, outputs: dict[str, Callable[[Report], str]] = OUTPUTS) -> None:
    if fmt not in outputs:
        raise UsageError(f"--format {fmt!r} is not allowed here; use one of: {', '.join(outputs)}")
    typer.echo(outputs[fmt](report), nl=False)


def _record(entry: Entry) -> dict[str, Any]:
    return {**formats.jsonfmt.entry_to_dict(entry), "origin": entry.origin, "line": entry.line}


def _entries_report(entries: Sequence[Entry]) -> Report:
    rows = [[*store.format_row(e).split("\t"), e.origin] for e in entries]
    table_columns = ("term", "rendering", "variants", "status", "origin")
    return Report((*store.COLUMNS, "origin"), rows, [_record(e) for e in entries], table_columns)


# --- files -------------------------------------------------------------------------------------


def _read_input(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except FileNotFoundError:
        raise InputError("file not found; check the path", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=name) from None


def _write_output(name: str, data: bytes, *, force: bool) -> None:
    if name == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(name)
    if path.exists() and not force:
        raise OutputError(f"{name} already exists; pass --force to overwrite it")
    write_atomic(path, data)


def _editing(paths: list[Path] | None, no_builtin: bool) -> tuple[Glossary, Path]:
    target = edit.target_path(paths)
    glossary = load_glossary(paths or [], builtin=not no_builtin, missing_ok=[target])
    return glossary, target


def _report_change(verb: str, change: edit.Change) -> None:
    preposition = "from" if verb == "Removed" else "in" if verb == "Updated" else "to"
    err(f"{verb} {change.entry.term} {preposition} {change.target}")
    for note in change.notes:
        err(f"Note: {note}")


# --- commands ----------------------------------------------------------------------------------


@glossary_app.command("list")
def list_entries(
    search: Annotated[
        str | None, typer.Option(help="Only entries whose term, variants or renderings contain TEXT.")
    ] = None,
    fmt: OutputOpt = "table",
    glossary: GlossaryOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """List the effective glossary entries and the layer each comes from."""
    g = open_glossary(glossary, no_builtin)
    entries = termscan.search(g, search) if search is not None else list(g)
    _emit(fmt, _entries_report(entries))
    err(f"{len(entries)} of {len(g)} entries")


def _show_text(entry: Entry, lower: list[Entry]) -> str:
    record = formats.jsonfmt.entry_to_dict(entry)
    lines = []
    for name, value in record.items():
        shown = " | ".join(value) if isinstance(value, list) else ("yes" if value is True else value)
        lines.append(f"{name + ':':<11}{'no' if value is False else shown}")
    lines.append(f"{'layer:':<11}{entry.origin}:{entry.line}")
    for old in reversed(lower):
        lines.append(f"{'overrides:':<11}{old.origin}:{old.line} (rendering {old.rendering!r})")
    return "\n".join(lines) + "\n"


@glossary_app.command("show")
def show(
    term: Annotated[str, typer.Argument(help="Term or variant, simplified or traditional.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    glossary: GlossaryOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Show every field of one entry, its layer, and the entries it overrides."""
    g = open_glossary(glossary, no_builtin)
    entry = g.get(term)
    if entry is None:
        raise UsageError(
            f"{term!r} is not in the glossary; look for it with `termlock glossary list --search {term}`"
        )
    if entry.term != term:
        err(f"{term} is a form of {entry.term}")
    lower = g.history(entry.term)[:-1]
    record = {**_record(entry), "overrides": [_record(e) for e in lower]}
    outputs: dict[str, Callable[[Report], str]] = {"text": lambda _: _show_text(entry, lower), "json": _json}
    _emit(fmt, Report((), [], [record]), outputs)


@glossary_app.command("add")
def add(
    term: Annotated[str, typer.Argument(help="Chinese term (simplified).")],
    rendering: Annotated[str, typer.Argument(help="Preferred English rendering.")],
    variant: ListOpt = None,
    admitted: ListOpt = None,
    forbid: ListOpt = None,
    note: Annotated[str, typer.Option(help="Context for translators.")] = "",
    source: Annotated[str, typer.Option(help="Provenance: document or URL, with its date.")] = "",
    status: Annotated[str, typer.Option(help="preferred, admitted or deprecated.")] = "preferred",
    quoted: Annotated[
        bool, typer.Option(help="The English rendering is written in quotation marks.")
    ] = False,
    glossary: GlossaryOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Add an entry to the user glossary (the last --glossary, else $TERMLOCK_GLOSSARY)."""
    g, target = _editing(glossary, no_builtin)
    entry = edit.new_entry(
        term,
        rendering,
        variants=variant,
        admitted=admitted,
        forbidden=forbid,
        status=status,
        quoted=quoted,
        note=note,
        source=source,
    )
    _report_change("Added", edit.add_entry(g, target, entry))


@glossary_app.command("edit")
def edit_command(
    term: Annotated[str, typer.Argument(help="Term or variant to change.")],
    rendering: Annotated[str | None, typer.Option(help="New preferred rendering.")] = None,
    add_variant: ListOpt = None,
    remove_variant: ListOpt = None,
    add_admitted: ListOpt = None,
    remove_admitted: ListOpt = None,
    add_forbid: ListOpt = None,
    remove_forbid: ListOpt = None,
    note: Annotated[str | None, typer.Option(help="New note.")] = None,
    source: Annotated[str | None, typer.Option(help="New source.")] = None,
    status: Annotated[str | None, typer.Option(help="preferred, admitted or deprecated.")] = None,
    quoted: Annotated[bool | None, typer.Option("--quoted/--no-quoted", help="Set or clear quoted.")] = None,
    glossary: GlossaryOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Change an entry; one from another layer is copied into the user glossary first."""
    g, target = _editing(glossary, no_builtin)
    edits = edit.Edits(
        rendering=rendering,
        add_variants=add_variant or (),
        remove_variants=remove_variant or (),
        add_admitted=add_admitted or (),
        remove_admitted=remove_admitted or (),
        add_forbidden=add_forbid or (),
        remove_forbidden=remove_forbid or (),
        status=status,
        quoted=quoted,
        note=note,
        source=source,
    )
    _report_change("Updated", edit.edit_entry(g, target, term, edits))


@glossary_app.command("remove")
def remove(
    term: Annotated[str, typer.Argument(help="Term or variant to remove.")],
    glossary: GlossaryOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Remove an entry from the user glossary."""
    g, target = _editing(glossary, no_builtin)
    _report_change("Removed", edit.remove_entry(g, target, term))


def _lossy_warning(fmt: formats.GlossaryFormat) -> None:
    if not fmt.lossless:
        err(f"Warning: {fmt.name} keeps only the Chinese forms and the preferred rendering")


@glossary_app.command("import")
def import_command(
    file: Annotated[str, typer.Argument(help="File to import; - reads standard input.")],
    fmt: FileFormatOpt = None,
    on_conflict: Annotated[
        str, typer.Option(help="A term already in the target with other content: skip, replace or fail.")
    ] = "fail",
    glossary: GlossaryOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Import entries from a file into the user glossary."""
    target = edit.target_path(glossary)
    data = _read_input(file)
    file_format = formats.resolve_format(fmt, file, data)
    entries = file_format.read(data, file)
    result = edit.import_entries(target, entries, on_conflict)
    err(
        f"Imported {len(entries)} entries from {file} into {target}: {result.added} added, "
        f"{result.replaced} replaced, {result.skipped} skipped, {result.unchanged} unchanged"
    )
    _lossy_warning(file_format)
    if result.unsourced:
        err(
            f"Warning: {result.unsourced} imported entries have no source; add where each rendering comes "
            "from (document or URL and date) with `termlock glossary edit TERM --source ...`; "
            "`termlock glossary lint` reports them as errors until then"
        )


@glossary_app.command("export")
def export(
    file: Annotated[str, typer.Argument(help="File to write; - writes standard output.")],
    fmt: FileFormatOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    glossary: GlossaryOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Export the effective glossary to a file."""
    g = open_glossary(glossary, no_builtin)
    file_format = formats.resolve_format(fmt, file)
    _write_output(file, file_format.write(list(g)), force=force)
    err(f"Exported {len(g)} entries to {file} ({file_format.name})")
    _lossy_warning(file_format)


def _lint_report(problems: Sequence[lint.Problem]) -> Report:
    rows = [[p.severity, f"{p.origin}:{p.line}", p.term, f"{p.rule}: {p.message}"] for p in problems]
    records = [asdict(p) for p in problems]
    return Report(("severity", "where", "term", "problem"), rows, records)


@glossary_app.command("lint")
def lint_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    glossary: GlossaryOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Check the glossary; exit status 1 when there is any error or warning."""
    g = open_glossary(glossary, no_builtin)
    problems = lint.lint(g)
    report = _lint_report(problems)
    if problems or fmt == "json":
        _emit(fmt, report, {"table": _table, "json": _json})
    errors = sum(1 for p in problems if p.severity == "error")
    err(f"{len(g)} entries: {errors} error(s), {len(problems) - errors} warning(s)")
    if problems:
        raise typer.Exit(1)


def _terms_report(counts: Sequence[termscan.TermCount]) -> Report:
    rows = [
        [
            c.entry.term,
            c.entry.rendering,
            str(c.count),
            " ".join(f"{o.line}:{o.column}" for o in c.occurrences),
        ]
        for c in counts
    ]
    records = [
        {
            "term": c.entry.term,
            "rendering": c.entry.rendering,
            "count": c.count,
            "occurrences": [asdict(o) for o in c.occurrences],
        }
        for c in counts
    ]
    return Report(("term", "rendering", "count", "positions"), rows, records)


@glossary_app.command("terms")
def terms(
    file: Annotated[str, typer.Argument(help="Chinese text file; - reads standard input.")],
    fmt: OutputOpt = "table",
    glossary: GlossaryOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """List every glossary term in a Chinese text, with line:column of each occurrence."""
    g = open_glossary(glossary, no_builtin)
    text = decode(_read_input(file), file)
    counts = termscan.scan(g, text)
    _emit(fmt, _terms_report(counts))
    err(f"{sum(c.count for c in counts)} occurrences of {len(counts)} terms")
