"""Random-weight model with the exact opus-mt-zh-en architecture (for benchmarks only).

Same compute as Helsinki-NLP/opus-mt-zh-en (d_model 512, 6+6 layers, 8 heads, FFN 2048, joint
vocab of 65001), random weights. The tokenizer reuses the tiny SentencePiece models of
``tests/tinymodel.py``; the joint vocab is padded with synthetic pieces up to 65001 entries so the
logits have the real width. Written to a caller-chosen (temporary) directory, never the repo.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OPUS_VOCAB = 65001


def build_opus_arch_model(out_dir: Path, seed: int = 0) -> Path:
    """Build and save the random exact-architecture model and its tokenizer into ``out_dir``."""
    import torch
    from transformers import MarianConfig, MarianMTModel

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from tinymodel import build_tiny_marian, default_corpus

    out_dir = Path(out_dir)
    build_tiny_marian(out_dir, *default_corpus())  # tokenizer files (its tiny weights get replaced)
    vocab_file = out_dir / "vocab.json"
    vocab: dict[str, int] = json.loads(vocab_file.read_text(encoding="utf-8"))
    vocab.pop("<pad>")
    i = 0
    while len(vocab) < OPUS_VOCAB - 1:
        vocab.setdefault(f"\u2581zz{i}", len(vocab))
        i += 1
    vocab["<pad>"] = OPUS_VOCAB - 1
    vocab_file.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    pad = OPUS_VOCAB - 1
    cfg = MarianConfig(
        vocab_size=OPUS_VOCAB,
        decoder_vocab_size=OPUS_VOCAB,
        d_model=512,
        encoder_layers=6,
        decoder_layers=6,
        encoder_attention_heads=8,
        decoder_attention_heads=8,
        encoder_ffn_dim=2048,
        decoder_ffn_dim=2048,
        max_position_embeddings=512,
        activation_function="swish",
        scale_embedding=True,
        static_position_embeddings=True,
        share_encoder_decoder_embeddings=True,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(cfg)
    gen = model.generation_config
    gen.bad_words_ids = [[pad]]
    gen.forced_eos_token_id = 0
    gen.num_beams = 6
    gen.max_length = 512
    gen.renormalize_logits = True
    model.save_pretrained(str(out_dir))
    return out_dir
