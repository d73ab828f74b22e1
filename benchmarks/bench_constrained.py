"""Benchmark: constrained beam search vs plain beam-4 ``generate`` on the opus-mt-zh-en architecture.

Random weights (see archmodel.py), fixed output length (min_new_tokens = max_new_tokens), segments
from the seed article, each given >= 1 term request. Prints a table, the two ratios and how many
term requests were satisfied.

    PYTHONPATH=src python benchmarks/bench_constrained.py --segments 200 --batch-size 16 --threads 2
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "000_fec18ada466dab41.txt"
FALLBACK = [
    "productive forces",
    "new quality productive forces",
    "modern industrial system",
    "industrial clusters",
    "high-quality development",
    "modernization",
    "digital economy",
    "common prosperity",
]


def segments(n: int) -> list[str]:
    text = SEED.read_text(encoding="utf-8").replace("\r", "").replace("\n", "")
    parts = [p.strip() for p in re.split(r"[。！？]", text) if len(p.strip()) > 3]
    out = []
    while len(out) < n:
        out += parts
    return [p[:120] for p in out[:n]]


def renderings() -> list[str]:
    found: list[str] = []
    for tsv in sorted((ROOT / "glossary").glob("*.tsv")):
        with tsv.open(encoding="utf-8") as fh:
            for row in csv.reader(fh, delimiter="\t"):
                if len(row) > 1 and row[1].strip() and not row[0].startswith("#"):
                    found.append(row[1].strip())
    return found[1:] if found else FALLBACK  # first row of a TSV is usually its header


def interleaved(runs: dict[str, Any], batches: list[Any]) -> tuple[dict[str, float], dict[str, list[Any]]]:
    """Time every run on each batch in turn, rotating the order batch by batch.

    On a shared, noisy machine a load spike then hits all runs alike instead of whichever
    happened to run during it; the ratios compare like with like.
    """
    names = list(runs)
    seconds = dict.fromkeys(names, 0.0)
    outputs: dict[str, list[Any]] = {name: [] for name in names}
    for k, batch in enumerate(batches):
        for name in names[k % len(names) :] + names[: k % len(names)]:
            start = time.perf_counter()
            outputs[name] += runs[name](batch)
            seconds[name] += time.perf_counter() - start
    return seconds, outputs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--segments", type=int, default=200)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--length", type=int, default=40)
    args = ap.parse_args()

    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from archmodel import build_opus_arch_model
    from termlock import verify
    from termlock.decoding import DecodeOptions, Decoder, TermRequest

    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = build_opus_arch_model(Path(tmp) / "opus-arch")
        tok = AutoTokenizer.from_pretrained(model_dir)
        model = AutoModelForSeq2SeqLM.from_pretrained(model_dir).eval()
    srcs = segments(args.segments)
    rends = renderings()
    terms = [[TermRequest("术语", rends[i % len(rends)])] for i in range(len(srcs))]
    for i in range(0, len(srcs), 3):  # a third get a second, different term
        terms[i].append(TermRequest("术语", rends[(i * 7 + 3) % len(rends)]))
    n, bs = args.length, args.batch_size
    opts = DecodeOptions(num_beams=4, min_new_tokens=n, max_new_tokens=n)
    dec = Decoder(model, tok, opts)
    idx = [list(range(i, min(i + bs, len(srcs)))) for i in range(0, len(srcs), bs)]

    def plain(b: list[int]) -> list[Any]:
        batch = tok([srcs[i] for i in b], return_tensors="pt", padding=True)
        with torch.inference_mode():
            return list(model.generate(**batch, num_beams=4, min_new_tokens=n, max_new_tokens=n))

    plain(idx[0][:2])  # warm-up: first-call allocations are not part of any run
    seconds, outputs = interleaved(
        {
            "generate beam-4": plain,
            "Decoder, constrained": lambda b: dec.decode([srcs[i] for i in b], [terms[i] for i in b]),
            "Decoder, no terms": lambda b: dec.decode([srcs[i] for i in b], [[] for _ in b]),
        },
        idx,
    )
    t_gen, t_con, t_dec0 = seconds.values()
    res = outputs["Decoder, constrained"]
    total = sum(len(t) for t in terms)
    skipped = sum(len(r.unwritable) for r in res)  # renderings the toy target vocab cannot spell
    ok = sum(
        credit_ok
        for r, ts in zip(res, terms, strict=True)
        for credit_ok in (span is not None for span in verify.credit(r.text, [[t.rendering] for t in ts]))
    )
    print(f"segments={len(srcs)} batch={bs} beams=4 tokens={n} threads={args.threads}")
    print(f"{'run':<34}{'seconds':>10}{'seg/s':>9}")
    for name, t in seconds.items():
        print(f"{name:<34}{t:>10.2f}{len(srcs) / t:>9.2f}")
    print(f"constrained / generate = {t_con / t_gen:.3f}   (target <= 1.3)")
    print(f"no-terms Decoder / generate = {t_dec0 / t_gen:.3f}   (target <= 1.05)")
    print(f"satisfied {ok}/{total - skipped} writable term requests ({skipped} unwritable, reported)")


if __name__ == "__main__":
    main()
