"""Propose new glossary terms from Chinese sources: the start of a human review.

Three kinds of candidates, strongest evidence first:

* ``formula``: numbered formulas by their shape: a numeral with a measure word (十大产业集群,
  两个确立, 十张网), chains of numbered parts (三基地一通道) and digit-plus formulas (1+10+N);
* ``quoted``: short expressions between quotation marks (“国之大者”, 「…」, optionally 《titles》),
  which policy prose uses to mark coined terms;
* ``phrase``: recurring Han character strings that stick together and stand alone, found
  with the unsupervised new-word method of Chinese text mining: *cohesion* is the minimum
  normalized PMI over the binary splits of the string (PMI after Church & Hanks 1990,
  normalized after Bouma 2009), *freedom* is the smaller of its left and right branching
  entropies (Jin & Tanaka-Ishii 2006, "Unsupervised segmentation of Chinese text by use of
  branching entropy"); a string inside a longer word has a low entropy on one side.

Candidates that equal or contain a form the glossary already covers are dropped.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import regex

from termlock.glossary import Glossary

_CN_NUM = r"[一二三四五六七八九十百两]+"
_NUM = rf"(?:{_CN_NUM}|\d+)"
# Han characters that are not numerals: the body of one numbered part of a formula.
_BODY = r"[\p{Han}--[一二三四五六七八九十百千万两零]]"
_MEASURE = r"[个大张条项类种支横纵化]"
# Characters that end a formula body in running text: particles and common verbs that never
# belong to a numbered name.
_STOP = "的了是在和与及等为也都而或之其这把被对将从向以由就又并但让使要能会可中上下里"
#: Numbered-formula shapes (a registry: add a shape here, not an if-chain).
FORMULA_SHAPES: dict[str, str] = {
    "digit-plus": r"(?<![\d+])\d+(?:\+(?:\d+|[A-Za-z]))+(?![\d+A-Za-z])",
    # Chinese numerals only: digits before a measure word are counts and dates (6条, 3月6日).
    "chain": rf"{_CN_NUM}{_BODY}{{1,3}}(?:{_CN_NUM}{_BODY}{{1,3}})+",
    "measure": rf"{_CN_NUM}{_MEASURE}[^\P{{Han}}{_STOP}]{{1,6}}",
}
_FORMULA = regex.compile("|".join(f"(?:{p})" for p in FORMULA_SHAPES.values()), regex.V1)
_QUOTES = {"“": "”", "「": "」", "『": "』", "‘": "’", '"': '"'}
_TITLES = {"《": "》"}
_SENTENCE_PUNCT = "，。！？；：,.!?;:"
_EDGE_STOP = set(_STOP + "一我你他她它们这那有着过得地说")

#: Kinds in output order; quoted and formula candidates are written with quoted=yes.
KINDS: tuple[str, ...] = ("formula", "quoted", "phrase")


@dataclass(frozen=True)
class ExtractOptions:
    """Tuning of :func:`extract_candidates`.

    Attributes:
        min_count: drop candidates seen fewer times (all kinds).
        top: keep at most this many candidates (0: all).
        titles: also propose 《book and document titles》.
        max_quoted: longest quoted expression, in characters.
        phrase_floor: frequency floor of the phrase statistic (rarer strings are not scored).
        min_phrase: shortest phrase, in characters (two-character strings are mostly
            ordinary words).
        max_phrase: longest phrase, in characters.
        min_cohesion: lowest normalized PMI (over the weakest split) of a phrase.
        min_freedom: lowest branching entropy (nats, the weaker side) of a phrase.
    """

    min_count: int = 1
    top: int = 0
    titles: bool = False
    max_quoted: int = 12
    phrase_floor: int = 3
    min_phrase: int = 3
    max_phrase: int = 6
    min_cohesion: float = 0.4
    min_freedom: float = 0.9


@dataclass
class Candidate:
    """One proposed term.

    Attributes:
        term: the Chinese expression.
        kind: ``formula``, ``quoted`` or ``phrase``.
        count: occurrences in all the texts.
        score: ranking score (phrases: cohesion × freedom; others: 0).
        path: the file of the first occurrence.
        context: the first occurrence with about 10 characters either side.
    """

    term: str
    kind: str
    count: int = 0
    score: float = 0.0
    path: str = ""
    context: str = ""

    @property
    def quoted(self) -> bool:
        """Whether the English rendering will likely be quoted (formulas and quoted terms)."""
        return self.kind != "phrase"


@dataclass
class _Corpus:
    texts: list[tuple[str, str]] = field(default_factory=list)  # (path, cleaned text)

    def count(self, term: str) -> int:
        return sum(text.count(term) for _, text in self.texts)

    def first(self, term: str, *, quoted: bool = False) -> tuple[str, str]:
        # A quoted candidate is best shown where it stands in quotation marks.
        needles = [f"{o}{term}{c}" for o, c in _QUOTES.items()] if quoted else []
        for needle in [*needles, term]:
            for path, text in self.texts:
                at = text.find(needle)
                if at >= 0:
                    at += needle.index(term)
                    context = text[max(0, at - 10) : at + len(term) + 10]
                    return path, " ".join(context.split())
        return "", ""


def clean_text(text: str) -> str:
    """Remove spaces between Han characters; line breaks stay, as unit separators.

    Callers pass reflowed text (one unit per line), so a line break ends a run of Han
    characters: a heading does not run on into the next paragraph.
    """
    return regex.sub(r"(?<=\p{Han}|\p{P})[^\S\n]+(?=\p{Han}|\p{P})", "", text)


def _quoted(text: str, opts: ExtractOptions) -> Iterable[str]:
    pairs = {**_QUOTES, **(_TITLES if opts.titles else {})}
    for opening, closing in pairs.items():
        inner = rf"[^{regex.escape(opening + closing)}]{{2,{opts.max_quoted}}}"
        body = rf"{regex.escape(opening)}({inner}){regex.escape(closing)}"
        for match in regex.finditer(body, text):
            inner = match.group(1).strip()
            if regex.search(r"\p{Han}", inner) and not any(p in inner for p in _SENTENCE_PUNCT):
                yield inner


def _entropy(neighbours: Counter[str], edges: int) -> float:
    # Every text edge counts as a distinct neighbour: a string that ends a run is free there.
    total = sum(neighbours.values()) + edges
    probs = [c / total for c in neighbours.values()] + [1 / total] * edges
    return -sum(p * math.log(p) for p in probs)


@dataclass
class _NGrams:
    counts: Counter[str] = field(default_factory=Counter)
    left: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    right: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    left_edges: Counter[str] = field(default_factory=Counter)
    right_edges: Counter[str] = field(default_factory=Counter)
    chars: int = 0

    def add_run(self, run: str, max_n: int) -> None:
        self.chars += len(run)
        for n in range(1, max_n + 1):
            for i in range(len(run) - n + 1):
                gram = run[i : i + n]
                self.counts[gram] += 1
                if n == 1:
                    continue
                if i > 0:
                    self.left[gram][run[i - 1]] += 1
                else:
                    self.left_edges[gram] += 1
                if i + n < len(run):
                    self.right[gram][run[i + n]] += 1
                else:
                    self.right_edges[gram] += 1

    def cohesion(self, gram: str) -> float:
        # Normalized PMI of the weakest binary split: 1 = always together, 0 = independent.
        p = self.counts[gram] / self.chars
        pmis = [
            math.log(p / ((self.counts[gram[:k]] / self.chars) * (self.counts[gram[k:]] / self.chars)))
            for k in range(1, len(gram))
        ]
        return min(pmis) / -math.log(p) if p < 1 else 1.0

    def freedom(self, gram: str) -> float:
        return min(
            _entropy(self.left[gram], self.left_edges[gram]),
            _entropy(self.right[gram], self.right_edges[gram]),
        )


def _phrases(texts: Sequence[str], opts: ExtractOptions) -> dict[str, float]:
    grams = _NGrams()
    for text in texts:
        for run in regex.findall(r"\p{Han}+", text):
            grams.add_run(run, opts.max_phrase)
    scores: dict[str, float] = {}
    for gram, count in grams.counts.items():
        if (
            len(gram) < opts.min_phrase
            or count < opts.phrase_floor
            or gram[0] in _EDGE_STOP
            or gram[-1] in _EDGE_STOP
        ):
            continue
        if regex.match(_NUM, gram):
            continue  # numbered expressions are the formula shapes' business
        cohesion, freedom = grams.cohesion(gram), grams.freedom(gram)
        if cohesion >= opts.min_cohesion and freedom >= opts.min_freedom:
            scores[gram] = cohesion * freedom
    return scores


def _running_formulas(texts: Sequence[str], found: dict[str, Candidate]) -> Iterable[str]:
    # Outside quotation marks a formula's end is a guess, and "一个…" is mostly the article
    # "a": keep such a match only when it recurs (digit-plus formulas are unambiguous), and
    # never when a quoted formula already gives its proper extent.
    seen: Counter[str] = Counter()
    for text in texts:
        seen.update(m.group() for m in _FORMULA.finditer(text))
    for term, count in seen.items():
        if (
            term in found
            or term.startswith("一个")
            or any(term.startswith(q) for q, c in found.items() if c.kind == "formula")
        ):
            continue
        if count >= 2 or regex.fullmatch(FORMULA_SHAPES["digit-plus"], term):
            yield term


def _collect(corpus: _Corpus, opts: ExtractOptions) -> dict[str, Candidate]:
    found: dict[str, Candidate] = {}
    texts = [text for _, text in corpus.texts]
    for text in texts:
        for term in _quoted(text, opts):
            kind = "formula" if _FORMULA.fullmatch(term) else "quoted"
            found.setdefault(term, Candidate(term, kind))
    for term in list(_running_formulas(texts, found)):
        found[term] = Candidate(term, "formula")
    for term, score in _phrases(texts, opts).items():
        found.setdefault(term, Candidate(term, "phrase", score=score))
    return found


def extract_candidates(
    texts: Sequence[tuple[str, str]], glossary: Glossary, options: ExtractOptions | None = None
) -> list[Candidate]:
    """Find candidate terms in Chinese texts that the glossary does not cover yet.

    Args:
        texts: (file name, text) pairs; the text should be reflowed (whole paragraphs).
        glossary: candidates equal to or containing one of its forms (normalized) are dropped.
        options: thresholds (see :class:`ExtractOptions`).

    Returns:
        Candidates ordered by kind (formula, quoted, phrase), then score, then count.
    """
    opts = options or ExtractOptions()
    corpus = _Corpus([(path, clean_text(text)) for path, text in texts])
    kept = []
    for candidate in _collect(corpus, opts).values():
        if glossary.matcher.find(candidate.term):
            continue
        candidate.count = corpus.count(candidate.term)
        if candidate.count < opts.min_count:
            continue
        candidate.path, candidate.context = corpus.first(candidate.term, quoted=candidate.quoted)
        kept.append(candidate)
    # Formulas and quotes rank by frequency; phrases by the collocation score, then frequency.
    kept.sort(key=lambda c: (KINDS.index(c.kind), -c.score, -c.count, c.term))
    return kept[: opts.top] if opts.top else kept


def glossary_rows(candidates: Iterable[Candidate], date: str) -> list[list[str]]:
    """Return candidates as rows of the glossary import format (:data:`termlock.store.COLUMNS`).

    The rendering column is left empty on purpose: the glossary store rejects empty
    renderings, so only rows a reviewer has completed can be imported.

    Args:
        candidates: the candidates to write.
        date: extraction date (ISO ``YYYY-MM-DD``) recorded in the source column.
    """
    rows = []
    for c in candidates:
        note = f"candidate: kind={c.kind}, count={c.count}, e.g. …{c.context}…"
        source = f"{c.path} (extracted {date})"
        fields = [c.term, "", "", "", "", "preferred", "yes" if c.quoted else "no", note, source]
        rows.append([" ".join(f.replace("|", "/").split()) for f in fields])
    return rows
