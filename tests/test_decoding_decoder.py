"""Decoder routing: plain segments through generate, batching invariance, result order."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import torch

from decodingcheck import check, load
from termlock.decoding import DecodeOptions, Decoder, TermRequest
from tinymodel import default_corpus


@pytest.fixture(scope="module")
def tiny(tiny_model_dir: Path) -> tuple[Any, Any]:
    torch.set_num_threads(1)
    return load(tiny_model_dir)


def _generate(model: Any, tok: Any, sources: list[str], beams: int, max_new: int) -> list[tuple[int, ...]]:
    batch = tok(sources, return_tensors="pt", padding=True)
    with torch.inference_mode():
        out = model.generate(**batch, num_beams=beams, max_new_tokens=max_new)
    rows = []
    for row in out.tolist():
        body = row[1:]
        while body and body[-1] == tok.pad_token_id:
            body.pop()
        rows.append(tuple(body))
    return rows


@pytest.mark.parametrize("beams", [1, 4])
def test_plain_path_equals_generate(tiny: tuple[Any, Any], beams: int) -> None:
    model, tok = tiny
    zh, _ = default_corpus()
    sources = zh[:6]
    dec = Decoder(model, tok, DecodeOptions(num_beams=beams, max_length=16))
    results = dec.decode(sources, [[] for _ in sources])
    assert [r.token_ids for r in results] == _generate(model, tok, sources, beams, 16)
    assert [r.text for r in results] == tok.batch_decode(
        [list(r.token_ids) for r in results], skip_special_tokens=True
    )


def test_mixed_batch_routes_and_keeps_order(tiny: tuple[Any, Any]) -> None:
    model, tok = tiny
    zh, _ = default_corpus()
    sources = zh[:6]
    terms: list[list[TermRequest]] = [
        [],
        [TermRequest("a", "industrial clusters")],
        [],
        [TermRequest("b", "modernization"), TermRequest("c", "development")],
        [TermRequest("d", "\u20ac\u00a7")],  # unwritable only: plain path, reported
        [TermRequest("e", "forces", forbidden=("modern",))],
    ]
    dec = Decoder(model, tok, DecodeOptions(num_beams=4, max_length=20))
    results = dec.decode(sources, terms)
    plain = _generate(model, tok, [sources[i] for i in (0, 2, 4)], 4, 20)
    assert [results[i].token_ids for i in (0, 2, 4)] == plain
    assert results[4].unwritable and results[4].unwritable[0][0] is terms[4][0]
    for t, r in zip(terms, results, strict=True):
        check(r, t, dec.plan(t))


@pytest.mark.parametrize("beams", [1, 4])
def test_batch_size_one_equals_batch_of_eight(tiny: tuple[Any, Any], beams: int) -> None:
    model, tok = tiny
    rng = random.Random(11)
    zh, _ = default_corpus()
    sources = rng.sample(zh, 8)  # different lengths: the batch is padded
    words = ["industrial clusters", "modernization", "productive forces", "development"]
    terms = [
        [TermRequest("t", w) for w in rng.sample(words, rng.randint(0, 3))]
        + [TermRequest("f", "x", forbidden=("the",))]
        for _ in sources
    ]
    terms[0] = []
    dec = Decoder(model, tok, DecodeOptions(num_beams=beams, max_length=24))
    batched = dec.decode(sources, terms)
    single = [dec.decode([s], [t])[0] for s, t in zip(sources, terms, strict=True)]
    assert [r.token_ids for r in batched] == [r.token_ids for r in single]


def test_signature_and_errors(tiny: tuple[Any, Any]) -> None:
    model, tok = tiny
    dec = Decoder(model, tok, DecodeOptions(num_beams=3, max_length=50, allow_admitted=True))
    sig = dec.signature()
    assert sig["num_beams"] == 3 and sig["max_new_tokens"] == 50 and sig["allow_admitted"] is True
    assert sig["algorithm"]
    with pytest.raises(ValueError):
        dec.decode(["a", "b"], [[]])
    assert dec.decode([], []) == []


def test_admitted_alternatives_and_min_max_new_tokens(tiny: tuple[Any, Any]) -> None:
    model, tok = tiny
    opts = DecodeOptions(num_beams=4, allow_admitted=True, min_new_tokens=12, max_new_tokens=12)
    dec = Decoder(model, tok, opts)
    terms = [[TermRequest("a", "new quality productive forces", admitted=("productive forces",))], []]
    results = dec.decode(["新质生产力", "产业集群"], terms)
    assert all(len(r.token_ids) == 12 for r in results)
    check(results[0], terms[0], dec.plan(terms[0]), allow_admitted=True)
