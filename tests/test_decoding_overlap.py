"""Overlapping renderings get disjoint spans (verify's rule), and constraints respect the model size."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from decodingcheck import check, load
from termlock import verify
from termlock.decoding import DecodeOptions, Decoder, TermRequest, build_plan, surface_forms
from tinymodel import build_tiny_marian, default_corpus

OIL = "oil and gas production and processing industrial cluster"
COAL = "industrial cluster for the clean and efficient use of coal"
SOURCE = "发展壮大油气生产加工产业集群，做大做强煤炭清洁高效利用产业集群……"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    torch.set_num_threads(1)
    zh, en = default_corpus()
    zh += [SOURCE, "建设现代化产业体系。"]
    en += [f"Grow the {OIL} and the {COAL}.", "Build an industrial system of good quality."]
    return load(build_tiny_marian(tmp_path_factory.mktemp("overlap_marian"), zh, en))


def _satisfied(dec: Decoder, terms: list[TermRequest], source: str = SOURCE) -> Any:
    (res,) = dec.decode([source], [terms])
    check(res, terms, dec.plan(terms))
    wanted = [surface_forms(t, False) for t in terms]
    assert None not in verify.credit(res.text, wanted), res.text
    return res


@pytest.mark.parametrize("beams", [1, 2, 4])
@pytest.mark.parametrize("max_length", [24, 48])
def test_partial_overlap_is_written_twice(tiny: tuple[Any, Any], beams: int, max_length: int) -> None:
    model, tok = tiny
    dec = Decoder(model, tok, DecodeOptions(num_beams=beams, max_length=max_length))
    _satisfied(dec, [TermRequest("a", OIL), TermRequest("b", COAL)])


CASES = {
    "prefix": ["industrial", "industrial system"],
    "suffix": ["productive forces", "new quality productive forces"],
    "middle": ["quality productive", "new quality productive forces"],
    "chain": ["forces", "productive forces", "new quality productive forces"],
    "repeats": ["industrial", "industrial", "industrial system", "industrial system"],
    "outer twice": ["new quality productive forces", "new quality productive forces", "productive forces"],
    "partial chain": [OIL, COAL, "industrial cluster"],
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("beams", [1, 4])
def test_containment_under_a_tight_cap(tiny: tuple[Any, Any], case: str, beams: int) -> None:
    model, tok = tiny
    terms = [TermRequest(str(i), r) for i, r in enumerate(CASES[case])]
    # max_length=2 is below what the constraints need: the cap becomes exactly that, so every
    # token is forced along a cheapest plan; the exact `need` must make that plan work.
    tight = Decoder(model, tok, DecodeOptions(num_beams=beams, max_length=2))
    res = _satisfied(tight, terms)
    assert len(res.token_ids) == tight._search.tokens_needed(tight.plan(terms))
    loose = Decoder(model, tok, DecodeOptions(num_beams=beams, max_length=40))
    _satisfied(loose, terms)


def test_constraints_beyond_the_position_limit_are_dropped(tiny: tuple[Any, Any]) -> None:
    model, tok = tiny
    limit = model.config.max_position_embeddings
    terms = [TermRequest(str(i), OIL if i % 2 else COAL) for i in range(16)]
    dec = Decoder(model, tok, DecodeOptions(num_beams=2, max_length=limit + 50))
    (res,) = dec.decode([SOURCE], [terms])  # must not raise IndexError in the position embeddings
    plan = dec.plan(terms)
    dropped = [req for req, why in res.unwritable if f"more than the model's limit {limit}" in why]
    assert dropped and dropped == terms[len(terms) - len(dropped) :]  # the latest requests go first
    assert all(why.startswith("constraints need ") for _, why in res.unwritable)
    kept = terms[: len(terms) - len(dropped)]
    one_more = build_plan(terms[: len(kept) + 1], dec.vocab)
    assert dec._search.tokens_needed(plan) <= limit < dec._search.tokens_needed(one_more)
    assert len(res.token_ids) <= limit
    check(res, terms, plan)
