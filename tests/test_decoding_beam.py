"""Constrained beam search guarantees on a tiny random Marian (its output is noise)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import torch

from decodingcheck import check, load
from termlock import verify
from termlock.decoding import DecodeOptions, Decoder, TermRequest, surface_forms
from tinymodel import default_corpus

RENDERINGS = [
    "productive forces",
    "new quality productive forces",
    "industrial clusters",
    "modernization",
    "development",
    "high-quality development",
    "modern industrial system",
    "forces",
    "digital economy",
    "Belt and Road Initiative",
    "common prosperity",
]
FORBIDDEN = ["modern", "productivity", "growth", "new productive force", "the", "ing"]


@pytest.fixture(scope="module")
def tiny(tiny_model_dir: Path) -> tuple[Any, Any]:
    torch.set_num_threads(1)
    return load(tiny_model_dir)


def _random_terms(rng: random.Random) -> list[TermRequest]:
    terms = []
    for _ in range(rng.randint(1, 4)):
        rendering = rng.choice(RENDERINGS)
        forbidden = tuple(rng.sample(FORBIDDEN, rng.randint(0, 2)))
        terms.append(
            TermRequest(
                term="术语",
                rendering=rendering,
                forbidden=forbidden,
                quoted=rng.random() < 0.2,
                sentence_initial=rng.random() < 0.3,
                title_case=rng.random() < 0.1,
            )
        )
    if rng.random() < 0.3:
        terms.append(terms[0])  # the same term twice
    return terms


@pytest.mark.parametrize("beams", [1, 4])
def test_random_segments_always_satisfied(tiny: tuple[Any, Any], beams: int) -> None:
    model, tok = tiny
    rng = random.Random(beams)
    zh, _ = default_corpus()
    dec = Decoder(model, tok, DecodeOptions(num_beams=beams, max_length=rng.choice([20, 32])))
    for _ in range(6):
        sources = rng.sample(zh, 8)
        terms = [_random_terms(rng) if rng.random() < 0.8 else [] for _ in sources]
        for src_terms, res in zip(terms, dec.decode(sources, terms), strict=True):
            check(res, src_terms, dec.plan(src_terms))
            assert len(res.token_ids) <= max(
                dec.max_new_tokens, 1 + dec._search._segment(dec.plan(src_terms)).total
            )


def test_overlapping_and_shared_token_renderings(tiny: tuple[Any, Any]) -> None:
    model, tok = tiny
    terms = [
        TermRequest("a", "new quality productive forces"),
        TermRequest("b", "productive forces"),
        TermRequest("b", "productive forces"),
        TermRequest("c", "forces"),
        TermRequest("d", "industrial clusters"),
        TermRequest("e", "industrial"),
    ]
    wanted = [surface_forms(t, False) for t in terms]
    for beams in (1, 4):
        dec = Decoder(model, tok, DecodeOptions(num_beams=beams, max_length=40))
        (res,) = dec.decode(["加快发展新质生产力"], [terms])
        check(res, terms, dec.plan(terms))
        # Disjoint occurrences (verify's rule): the two "productive forces" stand apart from the one
        # inside "new quality productive forces", and "forces" has a span of its own as well.
        assert None not in verify.credit(res.text, wanted)
        assert res.text.count("productive forces") >= 3 and res.text.count("forces") >= 4
        # Plan counts are the request counts: disjointness is the tracker's job, not the plan's.
        plan = dec.plan(terms)
        counts = dict(zip(plan.forms, (g.count for g in plan.groups), strict=True))
        assert counts[("productive forces",)] == 2 and counts[("forces",)] == 1


def test_tight_cap_forces_constraints_and_terminates(tiny: tuple[Any, Any]) -> None:
    model, tok = tiny
    terms = [TermRequest("a", "industrial clusters"), TermRequest("b", "modernization", quoted=True)]
    dec = Decoder(model, tok, DecodeOptions(num_beams=4, max_length=4))
    plan = dec.plan(terms)
    need = sum(g.min_len * g.count for g in plan.groups)
    (res,) = dec.decode(["产业集群"], [terms])
    check(res, terms, plan)
    # The cap is raised to exactly what the constraints need plus EOS, and the output ends there.
    assert len(res.token_ids) == need + 1 and res.token_ids[-1] == tok.eos_token_id


def test_sentence_initial_and_quoted(tiny: tuple[Any, Any]) -> None:
    model, tok = tiny
    dec = Decoder(model, tok, DecodeOptions(num_beams=4, max_length=24))
    terms = [
        [TermRequest("a", "productive forces", sentence_initial=True)],
        [TermRequest("b", "modernization", quoted=True)],
        [TermRequest("c", "industrial clusters", title_case=True, quoted=True)],
    ]
    results = dec.decode(["新质生产力", "现代化", "产业集群"], terms)
    for t, r in zip(terms, results, strict=True):
        check(r, t, dec.plan(t))
    assert "\u201cmodernization\u201d" in results[1].text or '"modernization"' in results[1].text


def _biased_model(model_dir: Path, tok: Any, words: list[str]) -> Any:
    model, _ = load(model_dir)
    bias: dict[int, float] = {}
    for w in words:  # the word's own pieces most, those of other tokenizations of it a little
        for form, amount in ((w[:-1], 3.0), (w[1:], 3.0), (w, 8.0)):
            for i in tok(text_target=form, add_special_tokens=False)["input_ids"]:
                bias[i] = amount
    with torch.no_grad():
        for i, amount in bias.items():
            model.final_logits_bias[0, i] += amount
    return model


@pytest.mark.parametrize("beams", [1, 4])
def test_forbidden_never_appears_even_when_top_choice(
    tiny_model_dir: Path, tiny: tuple[Any, Any], beams: int
) -> None:
    _, tok = tiny
    model = _biased_model(tiny_model_dir, tok, ["forces"])
    sources = ["新质生产力", "发展新质生产力", "产业集群"]
    opts = DecodeOptions(num_beams=beams, max_length=24)
    plain = Decoder(model, tok, opts).decode(sources, [[]] * 3)
    assert all("forces" in r.text.lower() for r in plain)  # the model's top choice
    bans = [
        [TermRequest("a", "development", forbidden=("Forces", "modern"))],
        [
            TermRequest("b", "industrial clusters", forbidden=("FORCES",)),
            TermRequest("c", "x", forbidden=("modern",)),
        ],
        [TermRequest("c", "modernization", forbidden=("forces",))],  # "modern" is inside the required form
    ]
    dec = Decoder(model, tok, opts)
    for t, r in zip(bans, dec.decode(sources, bans), strict=True):
        check(r, t, dec.plan(t))
        assert "forces" not in r.text.lower()


@pytest.mark.parametrize("beams", [1, 4])
def test_forbidden_substring_of_greedy_output(tiny: tuple[Any, Any], beams: int) -> None:
    model, tok = tiny
    zh, _ = default_corpus()
    opts = DecodeOptions(num_beams=beams, max_length=20)
    plain = Decoder(model, tok, opts).decode(zh[:6], [[]] * 6)
    terms = []
    for r in plain:
        words = r.text.split()
        bad = " ".join(words[1:3]) if len(words) > 2 else r.text[2:8]
        terms.append([TermRequest("a", "development", forbidden=(bad,))])
    dec = Decoder(model, tok, opts)
    for t, r in zip(terms, dec.decode(zh[:6], terms), strict=True):
        check(r, t, dec.plan(t))
        assert t[0].forbidden[0].lower() not in r.text.lower()


def test_forbidden_substring_of_required_is_not_banned(tiny: tuple[Any, Any]) -> None:
    model, tok = tiny
    dec = Decoder(model, tok, DecodeOptions(num_beams=4, max_length=24))
    terms = [TermRequest("a", "productive forces", forbidden=("productive force", "modern"))]
    (res,) = dec.decode(["新质生产力"], [terms])
    assert dec.plan(terms).banned == ("modern",)
    check(res, terms, dec.plan(terms))
