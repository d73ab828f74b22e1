"""Matcher throughput: 10,000 glossary terms over 1 MB of Chinese text.

Terms and text are drawn (seeded) from the character distribution of the seed article,
so the automaton sees realistic branching; a tenth of the text is planted terms.
Usage: python benchmarks/bench_matcher.py [--terms 10000] [--megabytes 1]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import regex

from termlock.entry import Entry
from termlock.matcher import Matcher
from termlock.normalize import normalize

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "000_fec18ada466dab41.txt"


def _alphabet() -> list[str]:
    text = SEED.read_text(encoding="utf-8") if SEED.exists() else "新质生产力现代化产业体系高质量发展"
    return regex.findall(r"\p{Han}", text)


def _make(n_terms: int, n_bytes: int, rng: random.Random) -> tuple[list[Entry], str]:
    chars = _alphabet()
    terms = sorted({"".join(rng.choices(chars, k=rng.randint(2, 8))) for _ in range(n_terms * 2)})[:n_terms]
    pieces: list[str] = []
    size = 0
    while size < n_bytes:
        piece = rng.choice(terms) if rng.random() < 0.1 else "".join(rng.choices(chars, k=rng.randint(5, 30)))
        if rng.random() < 0.05:
            piece += "\n\n"
        pieces.append(piece)
        size += len(piece.encode("utf-8"))
    return [Entry(t, f"rendering {i}") for i, t in enumerate(terms)], "".join(pieces)


def _timed(label: str, fn: object, *args: object) -> tuple[object, float]:
    start = time.perf_counter()
    result = fn(*args)  # type: ignore[operator]
    return result, time.perf_counter() - start


def main() -> None:
    """Run the benchmark and print what it measured."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--megabytes", type=float, default=1.0)
    args = parser.parse_args()
    entries, text = _make(args.terms, int(args.megabytes * 1_000_000), random.Random(0))
    mb = len(text.encode("utf-8")) / 1e6
    matcher, build = _timed("build", Matcher, entries)
    _, norm = _timed("normalize", normalize, text)
    found, match = _timed("find", matcher.find, text)  # type: ignore[attr-defined]
    print(f"terms: {len(entries)}  text: {mb:.2f} MB ({len(text)} chars)  matches: {len(found)}")  # type: ignore[arg-type]
    print(f"build automaton: {build * 1000:.0f} ms")
    print(f"normalize only:  {norm * 1000:.0f} ms")
    print(f"find (normalize + match + select): {match * 1000:.0f} ms  = {mb / match:.2f} MB/s")


if __name__ == "__main__":
    main()
