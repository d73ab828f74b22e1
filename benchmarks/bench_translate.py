"""Benchmark: the translate pipeline vs a bare ``model.generate`` loop over the same segments.

The model has the exact opus-mt-zh-en architecture with random weights (``archmodel.py``), so
compute matches the real model. A random model rarely writes ``</s>``, so every run decodes a
fixed number of steps (``min_new_tokens = max_new_tokens``); both sides then do the same model
work and the ratio pipeline/bare is the pipeline's own overhead (sentence splitting, term
matching, token counting, length sorting, batching, verification). It must stay below 1.10.

The pipeline runs with ``use_glossary=False`` for the ratio, since constrained decoding is a
different search (``bench_constrained.py`` measures that); ``--glossary-row`` adds the full
pipeline with the built-in glossary enforced, for information.

Both sides get the same segments (one sentence per text, so the pipeline does not split them
further) in the same length-sorted order. Each measurement is repeated and the fastest kept,
because the machines are noisy.

    PYTHONPATH=src python benchmarks/bench_translate.py --units 6 --threads 2
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "000_fec18ada466dab41.txt"


@dataclass
class Row:
    """One measurement."""

    mode: str
    beams: int
    batch: int
    seconds: float
    segments: int
    tokens: int
    py_peak_mb: float
    rss_mb: float


def seed_sentences(units: int) -> list[str]:
    """Sentences of the first ``units`` units of the seed article (tiny corpus as fallback)."""
    from termlock.documents import read_document
    from termlock.segment import split_sentences

    if SEED.exists():
        texts = [u.text for u in read_document(str(SEED)).units if u.text][:units]
    else:
        sys.path.insert(0, str(ROOT / "tests"))
        from tinymodel import default_corpus

        texts = default_corpus()[0][:units]
    return [s.strip() for text in texts for s in split_sentences(text) if s.strip()]


def measure(
    runs: dict[str, Callable[[], int]], repeats: int, trace: bool
) -> dict[str, tuple[float, int, float]]:
    """Time every run ``repeats`` times, rotating the order; keep each one's fastest time.

    Returns:
        Per mode: (best seconds, output tokens, Python peak MiB of one extra traced run).
    """
    modes = list(runs)
    best = dict.fromkeys(modes, float("inf"))
    tokens = dict.fromkeys(modes, 0)
    for repeat in range(repeats):
        for mode in modes[repeat % len(modes) :] + modes[: repeat % len(modes)]:
            gc.collect()
            start = time.perf_counter()
            tokens[mode] = runs[mode]()
            best[mode] = min(best[mode], time.perf_counter() - start)
    peaks = dict.fromkeys(modes, 0.0)
    for mode in modes if trace else ():  # separate runs: tracemalloc slows Python code down
        tracemalloc.start()
        runs[mode]()
        peaks[mode] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return {mode: (best[mode], tokens[mode], peaks[mode]) for mode in modes}


def bare(loaded: Any, sentences: list[str], beams: int, batch: int, new: int) -> Callable[[], int]:
    """A plain generate loop: tokenize, generate, decode, in the same length-sorted batches."""
    import torch

    tok, model = loaded.tokenizer, loaded.model
    order = sorted(sentences, key=lambda s: -len(tok(s).input_ids))

    def run() -> int:
        tokens = 0
        with torch.inference_mode():
            for first in range(0, len(order), batch):
                enc = tok(order[first : first + batch], return_tensors="pt", padding=True)
                out = model.generate(**enc, num_beams=beams, min_new_tokens=new, max_new_tokens=new)
                tok.batch_decode(out, skip_special_tokens=True)
                tokens += int((out[:, 1:] != model.config.pad_token_id).sum())
        return tokens

    return run


def pipeline(
    loaded: Any, sentences: list[str], beams: int, batch: int, new: int, glossary: Any
) -> Callable[[], int]:
    """``Translator.translate_texts`` with a decoder fixed to ``new`` output tokens."""
    from termlock.decoding import DecodeOptions, Decoder
    from termlock.translator import Translator, TranslatorOptions

    options = TranslatorOptions(beams=beams, batch_size=batch, use_glossary=glossary is not None)
    decoder = Decoder(
        loaded.model, loaded.tokenizer, DecodeOptions(num_beams=beams, min_new_tokens=new, max_new_tokens=new)
    )
    translator = Translator(glossary, options, loaded=loaded, decoder=decoder)

    def run() -> int:
        units = translator.translate_texts(sentences)
        assert sum(len(u.segments) for u in units) == len(sentences)  # same segments as bare
        return len(sentences) * new

    return run


def table(rows: list[Row]) -> str:
    names = ("mode", "beams", "batch", "seconds", "seg/s", "tok/s", "py peak MiB", "RSS MiB")
    head = " ".join(
        f"{name:<10}" if i == 0 else f"{name:>{max(5, len(name))}}" for i, name in enumerate(names)
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r.mode:<10} {r.beams:>5} {r.batch:>5} {r.seconds:>7.2f} {r.segments / r.seconds:>5.2f} "
            f"{r.tokens / r.seconds:>5.1f} {r.py_peak_mb:>11.1f} {r.rss_mb:>7.0f}"
        )
    return "\n".join(lines)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=6, help="first N units of the seed article")
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads")
    parser.add_argument("--new-tokens", type=int, default=32, help="fixed output length")
    parser.add_argument("--batch-sizes", default="1,8,32")
    parser.add_argument("--beams", default="1,4", help="beam sizes (1 = greedy)")
    parser.add_argument("--repeats", type=int, default=2, help="runs per measurement; the fastest counts")
    parser.add_argument("--tracemalloc", action="store_true", help="extra run per row for the Python peak")
    parser.add_argument(
        "--glossary-row",
        action="store_true",
        help="also time the pipeline with the built-in glossary enforced",
    )
    args = parser.parse_args(argv)

    import torch

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from transformers.utils import logging as hf_logging

    from archmodel import build_opus_arch_model
    from termlock.glossary import load_glossary
    from termlock.model import load_model

    hf_logging.set_verbosity_error()  # generate() warns on every call that max_new_tokens wins
    hf_logging.disable_progress_bar()
    torch.set_num_threads(args.threads)
    sentences = seed_sentences(args.units)
    with tempfile.TemporaryDirectory() as tmp:
        loaded = load_model(str(build_opus_arch_model(Path(tmp) / "opus-arch")), device="cpu")
    glossary = load_glossary()
    bare(loaded, sentences[:2], 1, 2, 4)()  # warm-up: the first generate call pays one-time costs
    rows: list[Row] = []
    ratios: list[tuple[int, int, float]] = []
    for beams in (int(b) for b in args.beams.split(",")):
        for batch in (int(b) for b in args.batch_sizes.split(",")):
            runs = {
                "bare": bare(loaded, sentences, beams, batch, args.new_tokens),
                "pipeline": pipeline(loaded, sentences, beams, batch, args.new_tokens, None),
            }
            if args.glossary_row:
                runs["glossary"] = pipeline(loaded, sentences, beams, batch, args.new_tokens, glossary)
            results = measure(runs, args.repeats, args.tracemalloc)
            for mode, (best, tokens, peak) in results.items():
                rows.append(Row(mode, beams, batch, best, len(sentences), tokens, peak, rss_mb()))
                print(table(rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
            seconds = {mode: result[0] for mode, result in results.items()}
            ratios.append((beams, batch, seconds["pipeline"] / seconds["bare"]))
    print(
        f"{len(sentences)} segments from {args.units} units, {args.new_tokens} output tokens each, "
        f"{args.threads} threads, best of {args.repeats}, torch {torch.__version__}"
    )
    print(table(rows))
    print()
    for beams, batch, ratio in ratios:
        verdict = "ok" if ratio < 1.10 else "OVER 1.10"
        print(f"overhead pipeline/bare  beams={beams} batch={batch:<3} {ratio:.3f}  {verdict}")
    return 0 if all(r < 1.10 for _, _, r in ratios) else 1


if __name__ == "__main__":
    raise SystemExit(main())
