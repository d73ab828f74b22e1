"""`termlock translate`: translate a document with the glossary renderings enforced.

Everything heavy (torch, transformers, the model) is imported inside the command, so
``termlock --help`` stays fast. Every output path is checked before the model loads,
so a refused overwrite costs nothing and leaves nothing half-written.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from termlock.cli.app import GlossaryOpt, NoBuiltinOpt, app, err, open_glossary, quiet_transformers
from termlock.errors import OutputError, TermsMissedError, UsageError
from termlock.model import DEFAULT_MODEL, DEVICES

if TYPE_CHECKING:
    from termlock.documents import Document
    from termlock.translator import DocumentResult, Occurrence, Translator, UnitResult


@dataclass(frozen=True)
class Outputs:
    """Where a run writes: the translation, and the optional report and bilingual view."""

    output: str
    report: str | None
    bilingual: str | None

    def files(self) -> list[str]:
        """The file paths among the outputs (standard output "-" left out)."""
        return [p for p in (self.output, self.report, self.bilingual) if p is not None and p != "-"]


def check_outputs(input_path: str, outputs: Outputs, *, force: bool) -> None:
    """Refuse the run before any work when an output cannot or must not be written.

    Raises:
        OutputError: an output exists (without ``force``), is the input, is a directory,
            repeats another output, or lives in a missing directory.
    """
    seen: set[Path] = set()
    source = Path(input_path).resolve() if input_path != "-" else None
    for path in outputs.files():
        target = Path(path)
        resolved = target.resolve()
        if resolved == source:
            raise OutputError(f"{path}: is the input file; choose another output name")
        if resolved in seen:
            raise OutputError(f"{path}: given for two outputs; give each output its own file")
        seen.add(resolved)
        if target.is_dir():
            raise OutputError(f"{path}: is a directory; give an output file name")
        if target.exists() and not force:
            raise OutputError(f"{path}: already exists; pass --force to overwrite it")
        if not target.parent.is_dir():
            raise OutputError(f"{path}: directory {target.parent} does not exist; create it first")


def _occurrence_line(unit: UnitResult, occ: Occurrence) -> str:
    where = f"line {unit.line}" if unit.line else "unit"
    reason = f" ({occ.reason})" if occ.reason else ""
    return f"  missed: {where}: {occ.term} → “{occ.rendering}”{reason}"


def summary_lines(result: DocumentResult) -> list[str]:
    """The stderr summary: one totals line, then one line per missed occurrence."""
    t = result.totals
    lines = [
        f"{t.units} units, {t.segments} segments, terms: {t.occurrences} found, {t.enforced} enforced, "
        f"{t.satisfied} satisfied, {t.missed} missed"
        + (f", {t.forbidden} with a forbidden rendering" if t.forbidden else "")
    ]
    for unit in result.units:
        lines += [_occurrence_line(unit, occ) for occ in unit.occurrences if not occ.satisfied]
        for occ in unit.occurrences:
            if occ.forbidden_found:
                lines.append(f"  forbidden: line {unit.line}: {occ.term}: {', '.join(occ.forbidden_found)}")
    return lines


def _read_input(input_path: str, fmt: str | None, reflow: bool) -> Document:
    from termlock.documents import read_document

    data = sys.stdin.buffer.read() if input_path == "-" else None
    return read_document(input_path, fmt=fmt, reflow=reflow, data=data)


def _run(translator: Translator, doc: Document, *, quiet: bool) -> DocumentResult:
    from termlock.progress import ProgressBar, wanted

    with quiet_transformers(), ProgressBar("Translating", enabled=wanted(quiet=quiet)) as bar:
        translator.progress = bar.update
        return translator.translate_document(doc)


def _write_all(result: DocumentResult, doc: Document, input_path: str, outputs: Outputs, force: bool) -> None:
    from termlock import bilingual, report
    from termlock.documents import write_output

    write_output(outputs.output, result.output, force=force)
    if outputs.report is not None:
        data = report.build_report(
            result,
            input_path=input_path,
            input_format=doc.format,
            output_path=outputs.output,
        )
        report.write_report(outputs.report, data, force=force)
    if outputs.bilingual is not None:
        title = "standard input" if input_path == "-" else Path(input_path).name
        page = bilingual.render_bilingual(result, outputs.bilingual, title=title)
        write_output(outputs.bilingual, page, force=force)


@app.command("translate")
def translate_command(
    input_path: Annotated[
        str, typer.Argument(metavar="INPUT", help="Document to translate (.txt, .md, .docx), or - for stdin.")
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Output file (default: NAME.en.EXT beside INPUT; - = stdout).",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", metavar="NAME", help="Input format: txt, md, docx, lines (default: by extension)."
        ),
    ] = None,
    no_reflow: Annotated[
        bool, typer.Option("--no-reflow", help="Keep hard-wrapped lines: one unit per line (txt).")
    ] = False,
    model: Annotated[
        str, typer.Option("--model", metavar="NAME_OR_PATH", help="Hugging Face model id or local directory.")
    ] = DEFAULT_MODEL,
    device: Annotated[
        str, typer.Option("--device", metavar="auto|cpu|cuda", help="auto: CUDA when available, else cpu.")
    ] = "auto",
    beams: Annotated[int, typer.Option("--beams", metavar="N", help="Beam size (1 = greedy).")] = 4,
    batch_size: Annotated[
        int, typer.Option("--batch-size", metavar="N", help="Segments per model call.")
    ] = 16,
    max_length: Annotated[
        int,
        typer.Option(
            "--max-length", metavar="N", help="Token limit of a segment; longer sentences are split."
        ),
    ] = 256,
    no_glossary: Annotated[
        bool, typer.Option("--no-glossary", help="Plain translation: enforce no terms.")
    ] = False,
    allow_admitted: Annotated[
        bool, typer.Option("--allow-admitted", help="An admitted rendering also satisfies a term.")
    ] = False,
    code_switch: Annotated[
        bool, typer.Option("--code-switch", help="Put term renderings into the source before encoding.")
    ] = False,
    report_path: Annotated[
        str | None, typer.Option("--report", metavar="PATH.json", help="Write a JSON report of every term.")
    ] = None,
    bilingual_path: Annotated[
        str | None,
        typer.Option(
            "--bilingual", metavar="PATH.html|.md", help="Write a side-by-side view with terms marked."
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with status 4 when a term is missed.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing output files.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
    glossary: GlossaryOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Translate INPUT from Chinese to English, enforcing the glossary renderings."""
    from termlock.bilingual import renderer_for
    from termlock.documents import default_output_path, format_for
    from termlock.translator import Translator, TranslatorOptions

    options = TranslatorOptions(
        model=model,
        device=device,
        beams=beams,
        batch_size=batch_size,
        max_length=max_length,
        use_glossary=not no_glossary,
        allow_admitted=allow_admitted,
        code_switch=code_switch,
    )
    options.validate()
    if device not in DEVICES:
        raise UsageError(f"--device {device!r} is not allowed; use one of: {', '.join(DEVICES)}")
    format_for(input_path, fmt)  # an unknown format fails before anything is read
    if bilingual_path is not None:
        renderer_for(bilingual_path)
    outputs = Outputs(output or default_output_path(input_path), report_path, bilingual_path)
    check_outputs(input_path, outputs, force=force)
    doc = _read_input(input_path, fmt, not no_reflow)
    terms = None if no_glossary else open_glossary(glossary, no_builtin)
    result = _run(Translator(terms, options), doc, quiet=quiet)
    _write_all(result, doc, input_path, outputs, force)
    if not quiet:
        for line in summary_lines(result):
            err(line)
    if strict and (result.totals.missed or result.totals.forbidden):
        raise TermsMissedError(
            f"--strict: {result.totals.missed} term occurrence(s) missed, "
            f"{result.totals.forbidden} with a forbidden rendering"
        )
