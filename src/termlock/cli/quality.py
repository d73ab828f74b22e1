"""`termlock check`, `termlock extract` and `termlock eval`: quality commands over the library.

Each command parses options, calls one library function and formats its result; stdout
carries only results (tables, TSV, JSON), messages go to stderr.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from termlock.cli.app import (
    GlossaryOpt,
    NoBuiltinOpt,
    app,
    err,
    open_glossary,
    plain_table,
    quiet_transformers,
)
from termlock.errors import UsageError

if TYPE_CHECKING:
    from termlock.check import CheckReport
    from termlock.evaluate import EvalReport


class CheckFormat(StrEnum):
    """Output formats of ``check``."""

    table = "table"
    json = "json"


class FailOn(StrEnum):
    """Which findings make ``check`` exit with status 1."""

    error = "error"
    warning = "warning"
    never = "never"


class ExtractFormat(StrEnum):
    """Output formats of ``extract``."""

    tsv = "tsv"
    table = "table"


def _fails(report: CheckReport, fail_on: FailOn) -> bool:
    errors, warnings = report.count("error"), report.count("warning")
    return {FailOn.error: errors > 0, FailOn.warning: errors + warnings > 0, FailOn.never: False}[fail_on]


@app.command("check")
def check_command(
    source: Annotated[
        Path,
        typer.Argument(
            help="Bilingual file (.tsv zh<TAB>en, .jsonl, .xlf/.xliff), or the source document.",
            show_default=False,
        ),
    ],
    translation: Annotated[
        Path | None,
        typer.Argument(help="The translation, with the same paragraphs as SOURCE.", show_default=False),
    ] = None,
    glossary: GlossaryOpt = None,
    no_builtin: NoBuiltinOpt = False,
    fmt: Annotated[CheckFormat, typer.Option("--format", help="Output format.")] = CheckFormat.table,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit with status 1 on errors, on any finding, or never.")
    ] = FailOn.error,
    no_reflow: Annotated[
        bool, typer.Option("--no-reflow", help="Do not join hard-wrapped lines: one paragraph per line.")
    ] = False,
    preferred_only: Annotated[
        bool, typer.Option("--preferred-only", help="Only the preferred rendering satisfies a term.")
    ] = False,
    skip: Annotated[
        list[str] | None,
        typer.Option(
            "--skip",
            help="Leave out a check (repeatable): missing, forbidden, inconsistent, unexpected, unquoted.",
        ),
    ] = None,
) -> None:
    """Check a translation against the glossary (missing, forbidden, inconsistent renderings).

    Errors: a term's preferred or admitted rendering is missing, or a forbidden rendering
    is present. Warnings: a term rendered differently across segments, a rendering whose
    term is not in the source, a quoted rendering without quotation marks.
    """
    from termlock.bitext import read_pairs
    from termlock.check import CHECKS, check_pairs

    unknown = [name for name in skip or [] if name not in CHECKS]
    if unknown:
        raise UsageError(f"unknown --skip {unknown[0]!r}; allowed values: {', '.join(CHECKS)}")
    pairs = read_pairs(source, translation, reflow=not no_reflow)
    report = check_pairs(
        open_glossary(glossary, no_builtin), pairs, allow_admitted=not preferred_only, skip=skip or ()
    )
    if fmt is CheckFormat.json:
        payload = {
            "segments": report.segments,
            "occurrences": report.occurrences,
            "errors": report.count("error"),
            "warnings": report.count("warning"),
            "issues": [asdict(issue) for issue in report.issues],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif report.issues:
        headers = ("seg", "line", "severity", "check", "term", "rendering", "detail")
        rows = [
            (i.segment, i.line, i.severity, i.check, i.term, i.rendering, i.detail) for i in report.issues
        ]
        typer.echo(plain_table(headers, rows, rule=True))
    err(report.summary())
    if _fails(report, fail_on):
        raise typer.Exit(1)


def _read_sources(paths: Sequence[Path], reflow: bool) -> list[tuple[str, str]]:
    from termlock.documents import read_document

    texts = []
    for path in paths:
        doc = read_document(str(path), reflow=reflow)
        texts.append((str(path), "\n".join(unit.text for unit in doc.units)))
    return texts


@app.command("extract")
def extract_command(
    files: Annotated[list[Path], typer.Argument(help="Chinese source documents.", show_default=False)],
    glossary: GlossaryOpt = None,
    no_builtin: NoBuiltinOpt = False,
    min_count: Annotated[int, typer.Option("--min-count", help="Drop candidates seen fewer times.")] = 1,
    top: Annotated[int, typer.Option("--top", help="Keep the N best candidates (0: all).")] = 0,
    fmt: Annotated[ExtractFormat, typer.Option("--format", help="Output format.")] = ExtractFormat.tsv,
    titles: Annotated[bool, typer.Option("--titles", help="Also propose 《document titles》.")] = False,
    no_reflow: Annotated[bool, typer.Option("--no-reflow", help="Do not join hard-wrapped lines.")] = False,
) -> None:
    """Propose new glossary terms: numbered formulas, quoted expressions, recurring phrases.

    Terms the glossary already covers (or that contain a covered term) are left out. The
    TSV output is the glossary import format with the rendering column EMPTY: fill in the
    renderings of the rows you keep, delete the others, then run `termlock glossary import`.
    Rows without a rendering are rejected on import, on purpose.
    """
    from termlock.extract import ExtractOptions, extract_candidates, glossary_rows
    from termlock.store import COLUMNS

    for name, value in (("--min-count", min_count), ("--top", top)):
        if value < 0:
            raise UsageError(f"{name} {value}: must be 0 or more")
    options = ExtractOptions(min_count=min_count, top=top, titles=titles)
    candidates = extract_candidates(
        _read_sources(files, not no_reflow), open_glossary(glossary, no_builtin), options
    )
    if fmt is ExtractFormat.tsv:
        rows = glossary_rows(candidates, datetime.date.today().isoformat())
        typer.echo("\n".join("\t".join(row) for row in [list(COLUMNS), *rows]))
    elif candidates:
        table = [(c.term, c.kind, c.count, f"{c.score:.2f}", c.context) for c in candidates]
        typer.echo(plain_table(("term", "kind", "count", "score", "example"), table, rule=True))
    err(
        f"{len(candidates)} candidate{'' if len(candidates) == 1 else 's'} from {len(files)} file"
        f"{'' if len(files) == 1 else 's'}"
    )


class EvalMode(StrEnum):
    """What ``eval`` gives the decoder as term constraints."""

    none = "none"
    proper = "proper"
    glossary = "glossary"


class TermSet(StrEnum):
    """Which WMT23 terminology file to read."""

    proper = "proper"
    random = "random"


class EvalFormat(StrEnum):
    """Output formats of ``eval``."""

    table = "table"
    json = "json"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _eval_table(report: EvalReport) -> str:
    terms = report.terms
    rows: list[tuple[str, str, str]] = [(m.name, f"{m.score:.2f}", m.signature) for m in report.metrics]
    rows += [
        (
            "term success (exact)",
            _pct(terms.exact),
            f"{terms.pairs} term pairs; case-sensitive, word boundaries",
        ),
        (
            "term success (case-insensitive)",
            _pct(terms.case_insensitive),
            "verify: case, plurals, possessives",
        ),
        ("term success (lemma)", _pct(terms.lemma), "verify, else lemminflect lemmas"),
        (
            "term consistency",
            _pct(terms.consistency),
            f"{terms.repeated_terms} term{'' if terms.repeated_terms == 1 else 's'} in 2+ segments",
        ),
    ]
    header = f"{report.testset} ({report.layout}, {report.segments} segments), terms: {report.mode}"
    signature = f"translator: {report.signature.get('text', '')}"
    return "\n".join([header, plain_table(("metric", "score", "details"), rows, rule=True), signature])


@app.command("eval")
def eval_command(
    testset: Annotated[
        Path,
        typer.Argument(
            help="Test set: .tsv (zh<TAB>en[<TAB>terms JSON]), .jsonl, WMT23 test.json, or a WMT23 prefix or "
            "directory (zhen.zh, zhen.en, zhen.term.proper).",
            show_default=False,
        ),
    ],
    terms: Annotated[
        EvalMode,
        typer.Option("--terms", help="Constraints: none, the test set's own term pairs, or the glossary."),
    ] = EvalMode.proper,
    term_set: Annotated[
        TermSet, typer.Option("--term-set", help="WMT23 terminology file to use.")
    ] = TermSet.proper,
    model: Annotated[str, typer.Option("--model", help="Hugging Face model id or local directory.")] = (
        "Helsinki-NLP/opus-mt-zh-en"
    ),
    device: Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")] = "auto",
    beams: Annotated[int, typer.Option("--beams", help="Beam size (1 = greedy).")] = 4,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Segments per model call.")] = 16,
    code_switch: Annotated[
        bool,
        typer.Option(
            "--code-switch", help="Put term renderings into the source (compare runs with and without)."
        ),
    ] = False,
    fmt: Annotated[EvalFormat, typer.Option("--format", help="Output format.")] = EvalFormat.table,
    glossary: GlossaryOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Translate a test set and score it: BLEU, chrF, term success rate and consistency."""
    from termlock.evaluate import build_translator, load_testset, run_eval
    from termlock.progress import ProgressBar, wanted
    from termlock.translator import TranslatorOptions

    data = load_testset(testset, term_set=term_set.value)
    options = TranslatorOptions(
        model=model, device=device, beams=beams, batch_size=batch_size, code_switch=code_switch
    )
    loaded = open_glossary(glossary, no_builtin) if terms is EvalMode.glossary else None
    translator = build_translator(terms.value, loaded, options)
    err(f"Translating {len(data.items)} segments of {data.path} ({data.layout}), terms: {terms.value}")
    with quiet_transformers(), ProgressBar("Translating", enabled=wanted()) as bar:
        translator.progress = bar.update
        report = run_eval(data, translator, terms.value)
    if fmt is EvalFormat.json:
        typer.echo(json.dumps(asdict(report), ensure_ascii=False, indent=2))
    else:
        typer.echo(_eval_table(report))
