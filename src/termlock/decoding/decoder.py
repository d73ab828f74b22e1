"""Batch decoder: plain ``generate`` for unconstrained segments, constrained beam search otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import torch

from termlock.decoding.beam import ConstrainedBeamSearch
from termlock.decoding.constraints import SegmentPlan, TermRequest, build_plan
from termlock.decoding.vocab import TargetVocab

ALGORITHM = "termlock-dba-1"


@dataclass(frozen=True)
class DecodeResult:
    """Output of one segment.

    Attributes:
        text: Decoded English text (special tokens removed).
        token_ids: Output token ids, without the decoder start token, EOS included when written.
        unwritable: Requests that could not become a constraint, with the reason; decoding went on.
    """

    text: str
    token_ids: tuple[int, ...]
    unwritable: tuple[tuple[TermRequest, str], ...]


@dataclass(frozen=True)
class DecodeOptions:
    """Decoding settings (all part of the reproducibility signature).

    Attributes:
        num_beams: Beam size (1 = greedy).
        max_length: Cap on output tokens (EOS included), used when ``max_new_tokens`` is None.
        allow_admitted: Accept a term's admitted renderings as alternatives.
        min_new_tokens: Minimum output tokens (benchmarks: force fixed lengths).
        max_new_tokens: Cap on output tokens, overriding ``max_length``.
    """

    num_beams: int = 4
    max_length: int = 256
    allow_admitted: bool = False
    min_new_tokens: int | None = None
    max_new_tokens: int | None = None


class Decoder:
    """Translate batches of segments, enforcing glossary term requests."""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        options: DecodeOptions,
        *,
        device: str = "cpu",
        forced_bos_token_id: int | None = None,
    ) -> None:
        """Wrap a Marian-style model and tokenizer.

        Args:
            model: ``MarianMTModel`` (or compatible encoder-decoder with ``generate``).
            tokenizer: Its ``MarianTokenizer``; the target side is used for constraints.
            options: Decoding options.
            device: Torch device to run on (the model is moved there).
            forced_bos_token_id: First output token to force (multilingual models), or None.
        """
        self.model = model.to(device).eval()
        self.tokenizer = tokenizer
        self.options = options
        self.device = device
        self.forced_bos_token_id = forced_bos_token_id
        width = getattr(model.config, "decoder_vocab_size", None) or model.config.vocab_size
        self.vocab = TargetVocab(tokenizer, size=int(width))
        self._search = ConstrainedBeamSearch(
            model,
            self.vocab,
            num_beams=options.num_beams,
            max_new_tokens=self.max_new_tokens,
            min_new_tokens=options.min_new_tokens or 0,
            forced_bos_token_id=forced_bos_token_id,
        )

    @property
    def max_new_tokens(self) -> int:
        """Effective cap on output tokens."""
        return self.options.max_new_tokens or self.options.max_length

    def fits(self, terms: Sequence[TermRequest]) -> bool:
        """Whether all of ``terms`` can be written within the model's positions."""
        limit = self._search.position_limit
        if limit is None or not terms:
            return True
        plan = build_plan(terms, self.vocab, allow_admitted=self.options.allow_admitted)
        return not plan.groups or _upper_need(plan) <= limit or self._search.tokens_needed(plan) <= limit

    def plan(self, terms: Sequence[TermRequest]) -> SegmentPlan:
        """Compile one segment's term requests (exposed for tests and reports).

        If the constraints cannot fit in the model's positions, the latest requests (lowest
        priority) are dropped into ``unwritable`` until the rest fits; decoding never crashes.
        """
        plan = build_plan(terms, self.vocab, allow_admitted=self.options.allow_admitted)
        limit = self._search.position_limit
        if limit is None or not plan.groups or _upper_need(plan) <= limit:
            return plan  # cheap bound first: the exact need costs a search over the tracker states
        kept = list(terms)
        dropped: list[tuple[TermRequest, str]] = []
        needed = self._search.tokens_needed(plan)
        while needed > limit and kept:
            why = f"constraints need {needed} tokens, more than the model's limit {limit}"
            dropped.insert(0, (kept.pop(), why))
            plan = build_plan(kept, self.vocab, allow_admitted=self.options.allow_admitted)
            needed = self._search.tokens_needed(plan) if plan.groups else 0
        return replace(plan, unwritable=plan.unwritable + tuple(dropped))

    def decode(self, sources: Sequence[str], terms: Sequence[Sequence[TermRequest]]) -> list[DecodeResult]:
        """Translate one batch.

        Segments with nothing to enforce go through ``model.generate`` together; the others go
        through constrained beam search together. Results come back in input order.

        Args:
            sources: Chinese source segments (the caller sorts batches by length).
            terms: Term requests per segment (empty = plain decoding).

        Returns:
            One result per source segment.

        Raises:
            ValueError: If ``sources`` and ``terms`` differ in length.
        """
        if len(sources) != len(terms):
            raise ValueError(f"{len(sources)} sources but {len(terms)} term lists")
        plans = [self.plan(ts) for ts in terms]
        plain = [i for i, p in enumerate(plans) if p.empty]
        constrained = [i for i, p in enumerate(plans) if not p.empty]
        ids: dict[int, list[int]] = {}
        if plain:
            ids.update(zip(plain, self._generate([sources[i] for i in plain]), strict=True))
        if constrained:
            out = self._constrained([sources[i] for i in constrained], [plans[i] for i in constrained])
            ids.update(zip(constrained, out, strict=True))
        return [
            DecodeResult(
                text=self.tokenizer.decode(ids[i], skip_special_tokens=True),
                token_ids=tuple(ids[i]),
                unwritable=plans[i].unwritable,
            )
            for i in range(len(sources))
        ]

    def signature(self) -> dict[str, Any]:
        """Decoding options for the reproducibility signature."""
        return {
            "algorithm": ALGORITHM,
            "num_beams": self.options.num_beams,
            "max_length": self.options.max_length,
            "max_new_tokens": self.max_new_tokens,
            "min_new_tokens": self.options.min_new_tokens,
            "allow_admitted": self.options.allow_admitted,
            "length_penalty": self._search.length_penalty,
            "forced_bos_token_id": self.forced_bos_token_id,
        }

    def _encode(self, sources: Sequence[str]) -> Any:
        batch = self.tokenizer(list(sources), return_tensors="pt", padding=True, truncation=True)
        return batch.to(self.device)

    @torch.inference_mode()
    def _generate(self, sources: Sequence[str]) -> list[list[int]]:
        batch = self._encode(sources)
        limit = self._search.position_limit
        cap = min(self.max_new_tokens, limit) if limit is not None else self.max_new_tokens
        kwargs: dict[str, Any] = {"num_beams": self.options.num_beams, "max_new_tokens": cap}
        if self.options.min_new_tokens is not None:
            kwargs["min_new_tokens"] = self.options.min_new_tokens
        if self.forced_bos_token_id is not None:
            kwargs["forced_bos_token_id"] = self.forced_bos_token_id
        out = self.model.generate(**batch, **kwargs)
        return [_strip(row, self.vocab.pad_id) for row in out.tolist()]

    def _constrained(self, sources: Sequence[str], plans: Sequence[SegmentPlan]) -> list[list[int]]:
        batch = self._encode(sources)
        return self._search.search(batch["input_ids"], batch["attention_mask"], plans)


def _upper_need(plan: SegmentPlan) -> int:
    # Every occurrence after one separating token, plus EOS and a forced BOS: never below the need.
    return sum(g.count * (g.min_len + 1) for g in plan.groups) + 2


def _strip(row: list[int], pad_id: int) -> list[int]:
    # generate's rows start with the decoder start token and are right-padded after EOS.
    body = row[1:]
    while body and body[-1] == pad_id:
        body.pop()
    return body
