"""Score translations of a test set: BLEU, chrF and terminology success, after WMT23.

A test set is source segments, references and, per segment, the term pairs the
translation should use. It comes in our own TSV/JSONL files or in the layout of the WMT
2023 terminology shared task (``zhen.zh``, ``zhen.en``, ``zhen.term.proper`` ...; see
:data:`WMT_TERM_FILES`). Three modes match the task's: ``none`` (no constraints),
``proper`` (the test set's own term pairs become decoder constraints) and ``glossary``
(the curated glossary, found by matching). Whatever the mode, term success is measured
against the test set's pairs, so the modes are comparable.

torch and transformers are imported only when a model is run (:func:`run_eval`);
loading and scoring need only sacrebleu.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from termlock import verify
from termlock.bitext import SOURCE_KEYS, jsonl_records, read_text, tsv_rows
from termlock.errors import InputError, UsageError

if TYPE_CHECKING:
    from termlock.glossary import Glossary
    from termlock.translator import Translator

#: Evaluation modes (the WMT23 task's "no terms" / "proper terms", plus our glossary).
MODES: tuple[str, ...] = ("none", "proper", "glossary")
#: Term files of the WMT23 layout, tried in order after the prefix (``zhen`` + suffix).
#: The released test data use ``.term.proper``; the task README spells ``.terminology.proper``.
WMT_TERM_FILES: dict[str, tuple[str, ...]] = {
    "proper": (".term", ".term.proper", ".terminology.proper"),
    "random": (".term.random", ".terminology.random"),
}
_REFERENCE_KEYS = ("en", "reference", "ref", "target", "tgt")


@dataclass(frozen=True)
class TermPair:
    """A source term and the English the translation should contain."""

    zh: str
    en: str


@dataclass(frozen=True)
class TestItem:
    """One segment of a test set.

    Attributes:
        source: the Chinese segment.
        reference: the reference translation.
        terms: the term pairs of this segment.
        line: the line of the segment in its file.
    """

    __test__ = False  # not a pytest test class, despite the name

    source: str
    reference: str
    terms: tuple[TermPair, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class TestSet:
    """A loaded test set: its items, where it came from and which layout it used."""

    __test__ = False

    path: str
    layout: str
    items: list[TestItem]


def parse_terms(value: Any, path: Path | str, line: int) -> tuple[TermPair, ...]:
    """Parse one segment's term list: ``[{"zh": …, "en": …}, …]`` (or ``[[zh, en], …]``).

    Raises:
        InputError: not a list of such pairs.
    """
    if not isinstance(value, list):
        value = None
    pairs = []
    for item in value or []:
        if isinstance(item, dict):
            zh = next((item[k] for k in SOURCE_KEYS if k in item), None)
            en = next((item[k] for k in ("en", "target", "tgt") if k in item), None)
        else:
            zh, en = (item[0], item[1]) if isinstance(item, list) and len(item) == 2 else (None, None)
        if not (isinstance(zh, str) and isinstance(en, str) and zh and en):
            value = None
            break
        pairs.append(TermPair(zh, en))
    if value is None:
        raise InputError(
            "terms must be a JSON list of pairs like "
            '[{"zh": "新质生产力", "en": "new quality productive forces"}]',
            path=path,
            line=line,
        )
    return tuple(pairs)


def _json_terms(text: str, path: Path, line: int) -> tuple[TermPair, ...]:
    if not text.strip():
        return ()
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"terms column is not valid JSON ({exc.msg}); write a JSON list", path=path, line=line
        ) from exc
    return parse_terms(value, path, line)


def _load_tsv(path: Path, term_set: str) -> TestSet:
    rows = tsv_rows(read_text(path), path, columns=(2, 3, 4), layout="zh<TAB>en[<TAB>terms as JSON]")
    header = [c.strip().lower() for c in rows[0][1]] if rows else []
    if header[:2] == ["src", "ref"]:
        # WMT23 split submissions: src, ref, terms, mt with a header row (mt is ignored).
        rows = rows[1:]
    items = [
        TestItem(f[0].strip(), f[1].strip(), _json_terms(f[2] if len(f) > 2 else "", path, n), n)
        for n, f in rows
    ]
    return TestSet(str(path), "tsv", items)


def _load_jsonl(path: Path, term_set: str) -> TestSet:
    items = []
    for number, record in jsonl_records(path):
        source = next((record[k] for k in SOURCE_KEYS if k in record), None)
        reference = next((record[k] for k in _REFERENCE_KEYS if k in record), None)
        if not isinstance(source, str) or not isinstance(reference, str):
            raise InputError(
                'each line needs "zh" and "en" strings: '
                '{"zh": "…", "en": "…", "terms": [{"zh": "…", "en": "…"}]}',
                path=path,
                line=number,
            )
        terms = parse_terms(record.get("terms", []), path, number)
        items.append(TestItem(source.strip(), reference.strip(), terms, number))
    return TestSet(str(path), "jsonl", items)


def _load_hf_json(path: Path, term_set: str) -> TestSet:
    # The task's compiled release (Hugging Face zouharvi/wmt-terminology-2023, test.json):
    # a JSON list of {"src", "ref", "langs", "hints": {"term": [...], "rand": [...]}, ...}.
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg})", path=path, line=exc.lineno) from exc
    if not isinstance(data, list):
        raise InputError("expected a JSON list of segments (the WMT23 test.json)", path=path)
    hint = {"proper": "term", "random": "rand"}[term_set]
    items = []
    for index, record in enumerate(data, start=1):
        if not isinstance(record, dict) or record.get("langs", "zh-en") != "zh-en":
            continue
        terms = parse_terms((record.get("hints") or {}).get(hint) or [], path, index)
        items.append(TestItem(str(record.get("src", "")), str(record.get("ref", "")), terms, index))
    return TestSet(str(path), "wmt23-json", items)


def _wmt_prefix(path: Path) -> Path | None:
    if path.is_dir():
        found = sorted(path.glob("*.zh"))
        return found[0].with_suffix("") if len(found) == 1 else None
    for candidate in (path, path.with_suffix("")):
        if candidate.with_name(candidate.name + ".zh").is_file():
            return candidate
    return None


def _lines(path: Path) -> list[str]:
    text = read_text(path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the task's files have no final newline; ours may
    return lines


def _load_wmt(prefix: Path, term_set: str) -> TestSet:
    sources = _lines(prefix.with_name(prefix.name + ".zh"))
    reference_file = prefix.with_name(prefix.name + ".en")
    if not reference_file.is_file():
        raise InputError(f"no reference file {reference_file.name} next to the source", path=prefix)
    references = _lines(reference_file)
    term_file = next(
        (f for s in WMT_TERM_FILES[term_set] if (f := prefix.with_name(prefix.name + s)).is_file()), None
    )
    terms_lines = _lines(term_file) if term_file is not None else [""] * len(sources)
    for name, other in ((reference_file, references), (term_file, terms_lines)):
        if len(other) != len(sources):
            raise InputError(
                f"{len(sources)} source lines but {len(other)} in {name}; the files must align line by line",
                path=prefix.with_name(prefix.name + ".zh"),
            )
    items = [
        TestItem(s.strip(), r.strip(), _json_terms(t, term_file or prefix, n), n)
        for n, (s, r, t) in enumerate(zip(sources, references, terms_lines, strict=True), start=1)
    ]
    return TestSet(str(prefix), "wmt23", items)


#: Test set loaders by file suffix.
LOADERS: dict[str, Callable[[Path, str], TestSet]] = {
    ".tsv": _load_tsv,
    ".jsonl": _load_jsonl,
    ".json": _load_hf_json,
}


def load_testset(path: Path, *, term_set: str = "proper") -> TestSet:
    """Load a test set: TSV, JSONL, the WMT23 test.json, or a WMT23 prefix/directory.

    Args:
        path: a ``.tsv``/``.jsonl``/``.json`` file, a prefix such as ``data/zhen`` (with
            ``zhen.zh``, ``zhen.en`` and optionally ``zhen.term.proper``), or a directory
            holding one such ``*.zh`` file.
        term_set: which WMT23 terminology to read: ``proper`` or ``random``.

    Raises:
        InputError: unknown layout, malformed rows, misaligned files or no segments.
    """
    if term_set not in WMT_TERM_FILES:
        raise UsageError(f"unknown term set {term_set!r}; allowed values: {', '.join(WMT_TERM_FILES)}")
    loader = LOADERS.get(path.suffix.lower()) if path.is_file() else None
    prefix = None if loader else _wmt_prefix(path)
    if loader is None and prefix is None:
        raise InputError(
            "not a test set: give a .tsv (zh<TAB>en[<TAB>terms]), .jsonl or WMT23 test.json file, or a "
            "WMT23 prefix/directory with PREFIX.zh, PREFIX.en and PREFIX.term.proper",
            path=path,
        )
    testset = loader(path, term_set) if loader else _load_wmt(prefix, term_set)  # type: ignore[arg-type]
    if not testset.items:
        raise InputError("no segments found; the test set is empty", path=path)
    return testset


# -- scoring ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """One corpus-level score with the sacrebleu signature that makes it reproducible."""

    name: str
    score: float
    signature: str


@dataclass
class TermScores:
    """Terminology scores over every (segment, term pair).

    Attributes:
        pairs: number of (segment, term pair) checks.
        exact: share found case-sensitively on word boundaries.
        case_insensitive: share found by :mod:`termlock.verify` (case, plurals, possessives).
        lemma: share found by verify or, failing that, by lemmatized tokens.
        consistency: share of terms seen in two or more segments rendered the same way
            in all of them (None when there is no such term).
        repeated_terms: number of terms seen in two or more segments.
    """

    pairs: int = 0
    exact: float | None = None
    case_insensitive: float | None = None
    lemma: float | None = None
    consistency: float | None = None
    repeated_terms: int = 0


@dataclass
class EvalReport:
    """Scores of one evaluation run."""

    testset: str
    layout: str
    mode: str
    segments: int
    metrics: list[Metric]
    terms: TermScores
    signature: dict[str, Any] = field(default_factory=dict)
    hypotheses: list[str] = field(default_factory=list)


@cache
def _exact_pattern(text: str) -> regex.Pattern[str]:
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}]){regex.escape(text)}(?![\p{{L}}\p{{N}}])")


def _tokens(text: str) -> list[str]:
    return regex.findall(r"\p{L}+|\p{N}+", text.lower())


@cache
def _lemmas(token: str) -> frozenset[str]:
    import lemminflect  # lazy: its dictionaries load on first use

    found = {lemma for lemmas in lemminflect.getAllLemmas(token).values() for lemma in lemmas}
    return frozenset({token, *(lemma.lower() for lemma in found)})


def lemma_contains(text: str, term: str) -> bool:
    """Whether the lemmatized tokens of ``term`` occur, in order and adjacent, in ``text``.

    A fallback for inflections verify does not credit (``developed`` for ``develop``):
    each token stands for every lemma lemminflect knows for it, with no POS tagging.
    """
    words, wanted = _tokens(text), _tokens(term)
    if not wanted:
        return False
    sets = [_lemmas(w) for w in words]
    goal = [_lemmas(w) for w in wanted]
    return any(all(sets[i + k] & goal[k] for k in range(len(goal))) for i in range(len(sets) - len(goal) + 1))


def _rate(hits: int, total: int) -> float | None:
    return hits / total if total else None


def _consistency(items: Sequence[TestItem], hypotheses: Sequence[str]) -> tuple[float | None, int]:
    renderings: dict[str, set[str]] = defaultdict(set)
    for item in items:
        for pair in item.terms:
            renderings[pair.zh].add(pair.en)
    used: dict[str, list[str | None]] = defaultdict(list)
    for item, hyp in zip(items, hypotheses, strict=True):
        for zh in dict.fromkeys(pair.zh for pair in item.terms):
            # Which of the term's known renderings this segment used (None: none of them).
            options = sorted(renderings[zh], key=len, reverse=True)
            used[zh].append(next((r.lower() for r in options if verify.contains(hyp, r)), None))
    repeated = {zh: seen for zh, seen in used.items() if len(seen) >= 2}
    same = sum(1 for seen in repeated.values() if None not in seen and len(set(seen)) == 1)
    return _rate(same, len(repeated)), len(repeated)


def term_scores(items: Sequence[TestItem], hypotheses: Sequence[str]) -> TermScores:
    """Score terminology: exact, case-insensitive (verify) and lemma success, and consistency."""
    checks = [(pair.en, hyp) for item, hyp in zip(items, hypotheses, strict=True) for pair in item.terms]
    exact = sum(1 for en, hyp in checks if _exact_pattern(en).search(hyp))
    found = [verify.contains(hyp, en) for en, hyp in checks]
    lemma = sum(1 for ok, (en, hyp) in zip(found, checks, strict=True) if ok or lemma_contains(hyp, en))
    consistency, repeated = _consistency(items, hypotheses)
    return TermScores(
        len(checks), _rate(exact, len(checks)), _rate(sum(found), len(checks)), _rate(lemma, len(checks)),
        consistency, repeated,
    )  # fmt: skip


def corpus_metrics(hypotheses: Sequence[str], references: Sequence[str]) -> list[Metric]:
    """BLEU and chrF of the hypotheses with sacrebleu, each with its signature."""
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF

    metrics = []
    for metric in (BLEU(), CHRF()):
        result = metric.corpus_score(list(hypotheses), [list(references)])
        metrics.append(Metric(result.name, round(float(result.score), 2), str(metric.get_signature())))
    return metrics


def score(testset: TestSet, hypotheses: Sequence[str], mode: str = "none") -> EvalReport:
    """Score hypotheses (one per test item) against the references and term pairs.

    Raises:
        ValueError: the number of hypotheses differs from the number of items.
    """
    if len(hypotheses) != len(testset.items):
        raise ValueError(f"{len(hypotheses)} hypotheses for {len(testset.items)} segments")
    references = [item.reference for item in testset.items]
    return EvalReport(
        testset.path,
        testset.layout,
        mode,
        len(testset.items),
        corpus_metrics(hypotheses, references),
        term_scores(testset.items, hypotheses),
        hypotheses=list(hypotheses),
    )


def _requests(testset: TestSet) -> list[list[Any]]:
    from termlock.decoding import TermRequest

    return [[TermRequest(term=p.zh, rendering=p.en) for p in item.terms] for item in testset.items]


def run_eval(testset: TestSet, translator: Translator, mode: str) -> EvalReport:
    """Translate the test set with ``translator`` and score it.

    Args:
        testset: the loaded test set.
        translator: built for the mode (no glossary for ``none``/``proper``).
        mode: ``none``, ``proper`` (term pairs become constraints) or ``glossary``.

    Raises:
        UsageError: an unknown mode.
    """
    if mode not in MODES:
        raise UsageError(f"unknown --terms {mode!r}; allowed values: {', '.join(MODES)}")
    texts = [item.source for item in testset.items]
    terms = _requests(testset) if mode == "proper" else None
    results = translator.translate_texts(texts, terms=terms, lines=[item.line for item in testset.items])
    report = score(testset, [result.text for result in results], mode)
    report.signature = translator.signature().as_dict()
    return report


def build_translator(mode: str, glossary: Glossary | None, options: Any) -> Translator:
    """Return the translator a mode needs: the glossary only in ``glossary`` mode.

    Args:
        mode: one of :data:`MODES`.
        glossary: the loaded glossary (used only in ``glossary`` mode).
        options: :class:`termlock.translator.TranslatorOptions`; ``use_glossary`` is set
            from the mode.
    """
    from dataclasses import replace

    from termlock.translator import Translator

    use = mode == "glossary"
    return Translator(glossary if use else None, replace(options, use_glossary=mode != "none"))
