"""Translate texts and documents with the glossary enforced: the library API of ``translate``.

The pipeline, per document:

1. every unit is split into sentences (:func:`termlock.segment.split_sentences`); a
   sentence longer than the model's source limit is split further at clause boundaries
   (:func:`termlock.segment.split_long`), so nothing is ever truncated;
2. glossary terms are matched in each segment and become
   :class:`~termlock.decoding.TermRequest` constraints;
3. all segments of the document are sorted by source length and decoded in batches
   (similar lengths waste less padding), then put back in document order;
4. each term occurrence is verified against its segment's output with
   :func:`termlock.verify.credit`, the same rule ``termlock check`` uses.

The model is loaded on first use, once per :class:`Translator`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from termlock import __version__, verify
from termlock.errors import UsageError
from termlock.matcher import OPENING_QUOTES
from termlock.model import DEFAULT_MODEL, LoadedModel, load_model
from termlock.results import DocumentResult, Occurrence, SegmentResult, Signature, Totals, UnitResult
from termlock.segment import split_long, split_sentences

if TYPE_CHECKING:
    from termlock.decoding import Decoder, DecodeResult, TermRequest
    from termlock.documents import Document
    from termlock.glossary import Glossary

__all__ = [
    "DocumentResult",
    "Occurrence",
    "SegmentResult",
    "Signature",
    "Totals",
    "Translator",
    "TranslatorOptions",
    "UnitResult",
]

Span = tuple[int, int]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TranslatorOptions:
    """How to translate.

    Attributes:
        model: Hugging Face model id or local model directory.
        device: ``auto``, ``cpu`` or ``cuda``.
        beams: beam size (1 = greedy).
        batch_size: segments per ``generate`` call.
        max_length: token limit, for source segments (longer ones are split) and outputs.
        use_glossary: enforce glossary renderings (False: plain translation).
        allow_admitted: an admitted rendering also satisfies a term.
        code_switch: put each term's English rendering into the source before encoding.
    """

    model: str = DEFAULT_MODEL
    device: str = "auto"
    beams: int = 4
    batch_size: int = 16
    max_length: int = 256
    use_glossary: bool = True
    allow_admitted: bool = False
    code_switch: bool = False

    def validate(self) -> None:
        """Raise :class:`UsageError` for values no run can use."""
        for name, value, least in (("beams", self.beams, 1), ("batch-size", self.batch_size, 1)):
            if value < least:
                raise UsageError(f"--{name} {value}: must be at least {least}")
        if self.max_length < 8:
            raise UsageError(f"--max-length {self.max_length}: must be at least 8 tokens")


@dataclass
class _Term:
    """A term occurrence planned for decoding."""

    term: str
    form: str
    start: int
    end: int
    request: TermRequest
    wanted: tuple[str, ...]


@dataclass
class _Segment:
    """One segment planned for decoding."""

    unit: int
    start: int
    source: str
    model_input: str
    terms: list[_Term]
    tokens: int = 0


class Translator:
    """Translate texts and documents, enforcing glossary renderings.

    Example:
        >>> translator = Translator(load_glossary(), TranslatorOptions(beams=4))  # doctest: +SKIP
        >>> translator.translate_texts(["加快建设现代化产业体系。"])[0].text  # doctest: +SKIP
    """

    def __init__(
        self,
        glossary: Glossary | None,
        options: TranslatorOptions | None = None,
        *,
        progress: Progress | None = None,
        loaded: LoadedModel | None = None,
        decoder: Decoder | None = None,
    ) -> None:
        """Prepare a translator; nothing is loaded until the first translation.

        Args:
            glossary: the glossary to enforce; None (or ``use_glossary=False``) for plain
                translation.
            options: how to translate (defaults: :class:`TranslatorOptions`).
            progress: called with (segments done, segments total) after each batch.
            loaded: an already loaded model (tests, several runs in one process).
            decoder: an already built decoder over ``loaded`` (benchmarks fix output
                lengths with ``DecodeOptions.min_new_tokens``/``max_new_tokens``).
        """
        self.options = options or TranslatorOptions()
        self.options.validate()
        self.glossary = glossary if self.options.use_glossary else None
        self.progress = progress
        self._loaded = loaded
        self._decoder: Decoder | None = decoder

    @property
    def loaded(self) -> LoadedModel:
        """The model, loaded on first access."""
        if self._loaded is None:
            self._loaded = load_model(self.options.model, device=self.options.device)
        return self._loaded

    @property
    def decoder(self) -> Decoder:
        """The constrained decoder over :attr:`loaded`, built on first access."""
        if self._decoder is None:
            from termlock.decoding import DecodeOptions, Decoder

            opts = self.options
            self._decoder = Decoder(
                self.loaded.model,
                self.loaded.tokenizer,
                DecodeOptions(
                    num_beams=opts.beams, max_length=self.source_limit, allow_admitted=opts.allow_admitted
                ),
                device=self.loaded.device,
                forced_bos_token_id=self.loaded.forced_bos_token_id,
            )
        return self._decoder

    @property
    def source_limit(self) -> int:
        """Most tokens a segment may have: ``max_length``, capped by the model's positions."""
        config = self.loaded.model.config
        limits = [self.options.max_length, getattr(config, "max_position_embeddings", None)]
        model_max = getattr(self.loaded.tokenizer, "model_max_length", None)
        if isinstance(model_max, int) and model_max < 100_000:
            limits.append(model_max)
        return min(limit for limit in limits if isinstance(limit, int) and limit > 0)

    def signature(self) -> Signature:
        """The run's signature (loads the model: the revision is part of it)."""
        opts = self.options
        glossary = self.glossary.digest if self.glossary is not None else "none"
        fields = (
            ("termlock", __version__),
            ("model", f"{self.loaded.name}@{self.loaded.revision}"),
            ("glossary", glossary),
            ("beams", str(opts.beams)),
            ("max_len", str(opts.max_length)),
            ("batch", str(opts.batch_size)),
            ("admitted", "yes" if opts.allow_admitted else "no"),
            ("code_switch", "yes" if opts.code_switch else "no"),
        )
        return Signature(fields, dict(self.decoder.signature()))

    def translate_texts(
        self,
        texts: Sequence[str],
        kinds: Sequence[str] | None = None,
        terms: Sequence[Sequence[TermRequest]] | None = None,
        *,
        lines: Sequence[int] | None = None,
    ) -> list[UnitResult]:
        """Translate texts as units of one document.

        Args:
            texts: the source texts.
            kinds: unit kind of each text (default ``paragraph``); ``heading`` asks for
                title case.
            terms: explicit term requests per text, replacing glossary matching (used by
                ``termlock eval``); each is assigned to the segment holding its term.
            lines: input line of each text, for reports.

        Returns:
            One :class:`UnitResult` per text, in order.
        """
        kinds = list(kinds) if kinds is not None else ["paragraph"] * len(texts)
        if len(kinds) != len(texts) or (terms is not None and len(terms) != len(texts)):
            raise ValueError("texts, kinds and terms must have the same length")
        segments: list[_Segment] = []
        for index, text in enumerate(texts):
            explicit = None if terms is None else list(terms[index])
            segments.extend(self._plan_unit(index, text, kinds[index], explicit))
        outputs = self._decode_all(segments)
        return _assemble(texts, kinds, lines, segments, outputs)

    def translate_document(self, doc: Document) -> DocumentResult:
        """Translate every unit of ``doc`` and render the output file."""
        units = doc.units
        results = self.translate_texts(
            [unit.text for unit in units], [unit.kind for unit in units], lines=[unit.line for unit in units]
        )
        output = doc.render([result.text for result in results])
        return DocumentResult(results, output, self.signature(), Totals.of(results))

    # -- planning -------------------------------------------------------------------

    def _count(self, text: str) -> int:
        return len(self.loaded.tokenizer(text).input_ids)

    def _fits(self, text: str) -> bool:
        # A piece fits when its source tokens fit and so do the renderings of its terms: a
        # long sentence full of long renderings is split at clauses rather than losing terms.
        # With one term or none, splitting cannot help (it would only cut the term), so the
        # decoder reports a rendering too long for the model instead.
        if self._count(text.strip()) > self.source_limit:
            return False
        if self.glossary is None:
            return True
        requests = [t.request for t in self._match(text, 0, "paragraph")]
        return len(requests) < 2 or self.decoder.fits(requests)

    def _pieces(self, text: str) -> list[tuple[int, str]]:
        """Split a unit into (offset, segment) pairs that each fit the source limit."""
        pieces: list[tuple[int, str]] = []
        offset = 0
        for sentence in split_sentences(text):
            for piece in self._keep_terms_whole(split_long(sentence, self._fits)):
                pieces.append((offset, piece))
                offset += len(piece)
        return pieces

    def _keep_terms_whole(self, parts: list[str]) -> list[str]:
        """Move each cut that falls inside a glossary term back to the term's start.

        ``split_long`` cuts between characters as a last resort, which can halve a term
        so that neither piece matches it. The piece before the cut only gets shorter, so
        it still fits; the cut moves only when the piece after it still fits too.
        """
        if len(parts) < 2 or self.glossary is None:
            return parts
        sentence = "".join(parts)
        matches = self.glossary.matcher.find(sentence)
        cuts = list(itertools.accumulate(len(part) for part in parts))[:-1]
        for i, cut in enumerate(cuts):
            inside = next((m for m in matches if m.start < cut < m.end), None)
            lower = cuts[i - 1] if i else 0
            upper = cuts[i + 1] if i + 1 < len(cuts) else len(sentence)
            if inside is not None and inside.start > lower and self._fits(sentence[inside.start : upper]):
                cuts[i] = inside.start
        bounds = [0, *cuts, len(sentence)]
        return [sentence[a:b] for a, b in itertools.pairwise(bounds)]

    def _plan_unit(
        self, unit: int, text: str, kind: str, explicit: list[TermRequest] | None
    ) -> list[_Segment]:
        segments = []
        for offset, piece in self._pieces(text):
            terms = self._match(piece, offset, kind) if explicit is None else []
            segments.append(_Segment(unit, offset, piece, piece.strip(), terms))
        if explicit is not None:
            _assign_explicit(segments, text, explicit, self.options.allow_admitted)
        for segment in segments:
            if self.options.code_switch and segment.terms:
                segment.model_input = _code_switch(segment)
            segment.tokens = self._count(segment.model_input) if segment.model_input else 0
        return segments

    def _match(self, piece: str, offset: int, kind: str) -> list[_Term]:
        from termlock.decoding import TermRequest

        if self.glossary is None:
            return []
        terms = []
        for match in self.glossary.matcher.find(piece):
            entry = match.entry
            request = TermRequest(
                term=entry.term,
                rendering=entry.rendering,
                admitted=entry.admitted,
                forbidden=entry.forbidden,
                quoted=entry.quoted and match.quoted,
                sentence_initial=not piece[: match.start].strip().lstrip(OPENING_QUOTES).strip(),
                title_case=kind == "heading",
            )
            wanted = entry.renderings(allow_admitted=self.options.allow_admitted)
            terms.append(
                _Term(entry.term, match.form, offset + match.start, offset + match.end, request, wanted)
            )
        return terms

    # -- decoding -------------------------------------------------------------------

    def _decode_all(self, segments: list[_Segment]) -> list[DecodeResult | None]:
        """Decode every non-empty segment in length-sorted batches; results in input order."""
        todo = [i for i, segment in enumerate(segments) if segment.model_input]
        # Longest first: a batch that does not fit in memory fails at once, not at the end.
        todo.sort(key=lambda i: -segments[i].tokens)
        outputs: list[DecodeResult | None] = [None] * len(segments)
        size = self.options.batch_size
        total = len(segments)
        done = total - len(todo)
        if self.progress is not None:
            self.progress(done, total)
        for first in range(0, len(todo), size):
            batch = todo[first : first + size]
            results = self.decoder.decode(
                [segments[i].model_input for i in batch],
                [[t.request for t in segments[i].terms] for i in batch],
            )
            for i, result in zip(batch, results, strict=True):
                outputs[i] = result
            done += len(batch)
            if self.progress is not None:
                self.progress(done, total)
        return outputs


def _code_switch(segment: _Segment) -> str:
    """The segment with each matched term replaced by its English rendering."""
    text = segment.source
    for term in sorted(segment.terms, key=lambda t: -t.start):
        start, end = term.start - segment.start, term.end - segment.start
        text = f"{text[:start]} {term.request.rendering} {text[end:]}"
    return " ".join(text.split())


def _assign_explicit(
    segments: list[_Segment], text: str, requests: list[TermRequest], allow_admitted: bool
) -> None:
    """Give each explicit request to the segment holding its next unclaimed occurrence."""
    claimed: list[Span] = []
    for request in requests:
        start = text.find(request.term)
        while start >= 0 and any(s <= start < e for s, e in claimed):
            start = text.find(request.term, start + 1)
        span = (start, start + len(request.term)) if start >= 0 else (0, 0)
        if start >= 0:
            claimed.append(span)
        home = next((s for s in reversed(segments) if s.start <= span[0]), segments[0] if segments else None)
        if home is None:
            continue
        wanted = (request.rendering, *request.admitted) if allow_admitted else (request.rendering,)
        home.terms.append(_Term(request.term, request.term, span[0], span[1], request, wanted))


def _unwritable(result: DecodeResult | None) -> dict[TermRequest, str]:
    """The requests the decoder could not turn into constraints, with its reason."""
    return {} if result is None else dict(result.unwritable)


def _outcome(span: Span | None, decoded: bool, why_not: str | None, bad: list[str]) -> str | None:
    if not decoded:
        return "segment was not decoded"
    if span is None:
        return f"not enforced: {why_not}" if why_not else "not in output"
    return "forbidden rendering in output: " + ", ".join(bad) if bad else None


def _verify(segment: _Segment, output: str, result: DecodeResult | None, shift: int) -> list[Occurrence]:
    """Credit each occurrence of the segment against its output (see :mod:`termlock.verify`)."""
    spans = verify.credit(output, [term.wanted for term in segment.terms])
    unwritable = _unwritable(result)
    occurrences = []
    for term, span in zip(segment.terms, spans, strict=True):
        bad = [f for f in term.request.forbidden if not _all_inside(verify.find(output, f), spans)]
        why_not = unwritable.get(term.request)
        target = None if span is None else (span[0] + shift, span[1] + shift)
        occurrences.append(
            Occurrence(
                term=term.term,
                form=term.form,
                start=term.start,
                end=term.end,
                rendering=term.request.rendering,
                enforced=result is not None and why_not is None,
                satisfied=span is not None,
                forbidden_found=bad,
                reason=_outcome(span, result is not None, why_not, bad),
                target=target,
            )
        )
    return occurrences


def _all_inside(found: list[Span], credited: Sequence[Span | None]) -> bool:
    # A forbidden phrase inside a credited rendering ("industrial system" inside "modern
    # industrial system") is the rendering itself, not a forbidden one.
    return all(any(c is not None and c[0] <= s and e <= c[1] for c in credited) for s, e in found)


def _assemble(
    texts: Sequence[str],
    kinds: Sequence[str],
    lines: Sequence[int] | None,
    segments: list[_Segment],
    outputs: list[DecodeResult | None],
) -> list[UnitResult]:
    per_unit: list[list[SegmentResult]] = [[] for _ in texts]
    lengths = [0] * len(texts)  # length of each unit's translation so far
    for segment, result in zip(segments, outputs, strict=True):
        output = result.text.strip() if result is not None else ""
        shift = lengths[segment.unit] + (1 if lengths[segment.unit] and output else 0)
        occurrences = _verify(segment, output, result, shift)
        per_unit[segment.unit].append(SegmentResult(segment.source, output, occurrences, segment.start))
        if output:
            lengths[segment.unit] = shift + len(output)
    units = []
    for index, text in enumerate(texts):
        joined = " ".join(seg.text for seg in per_unit[index] if seg.text)
        line = lines[index] if lines is not None else 0
        units.append(UnitResult(text, joined, kinds[index], line, per_unit[index]))
    return units
