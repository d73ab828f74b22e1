"""Helpers shared by the decoding tests: load the tiny model and check outputs independently."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from termlock import verify
from termlock.decoding import DecodeResult, SegmentPlan, TermRequest, surface_forms


def load(model_dir: Path) -> tuple[Any, Any]:
    """Fresh (model, tokenizer) from ``model_dir``, in eval mode."""
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir).eval()
    return model, AutoTokenizer.from_pretrained(model_dir)


def _count(text: str, form: str) -> int:
    # Word-boundary count: a rendering glued into a longer word does not count.
    left = r"(?<!\w)" if re.match(r"\w", form) else ""
    right = r"(?!\w)" if re.search(r"\w$", form) else ""
    return len(re.findall(left + re.escape(form) + right, text))


def check(
    result: DecodeResult, terms: list[TermRequest], plan: SegmentPlan, allow_admitted: bool = False
) -> None:
    """Assert every writable request appears as often as requested and no forbidden string does."""
    text = result.text
    unwritable = {id(r) for r, _ in result.unwritable}
    demand: dict[tuple[str, ...], int] = {}
    for req in terms:
        if id(req) not in unwritable:
            forms = tuple(surface_forms(req, allow_admitted))
            demand[forms] = demand.get(forms, 0) + 1
    for forms, count in demand.items():
        found = sum(_count(text, f) for f in forms)
        assert found >= count, f"{forms!r} x{count} not in {text!r}"
    # The product's own rule too: each occurrence needs its own, non-overlapping span.
    wanted = [list(forms) for forms, count in demand.items() for _ in range(count)]
    assert None not in verify.credit(text, wanted), f"{wanted!r} not disjointly in {text!r}"
    required = [f.lower() for forms in demand for f in forms]
    for req in terms:
        for bad in req.forbidden:
            bad = " ".join(bad.split()).lower()
            if bad and not any(bad in f for f in required):
                assert bad not in text.lower(), f"forbidden {bad!r} in {text!r}"
    for bad in plan.banned:
        assert bad not in text.lower()
