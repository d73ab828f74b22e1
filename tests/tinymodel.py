"""Build a tiny random MarianMT model (tokenizer + weights) at test time.

No weights can be downloaded, so tests build a model of the opus-mt-zh-en *shape* with a toy
vocabulary: two SentencePiece unigram models (Chinese source, English target) trained on a small
corpus, a joint ``vocab.json`` laid out the way opus-mt does, and a 2-layer, d_model=32 Marian.
Its output is noise, which is the point: any glossary rendering in the output is the decoder's doing.
"""

from __future__ import annotations

import json
from pathlib import Path

_ZH_LINES = [
    "政府工作报告提出，因地制宜发展新质生产力，加快建设现代化产业体系。",
    "现代化产业体系对于推动高质量发展具有重大意义。",
    "新疆聚焦国家所需、自身所能，丰富拓展十大产业集群。",
    "发展动力更加澎湃，为全国现代化产业体系建设贡献新疆力量。",
    "如何加快发展新质生产力，成为与会代表委员热议的焦点话题。",
    "加快构建现代化产业体系，凝结着对新疆高质量发展的厚望。",
    "产业兴、就业稳、人心聚。",
    "新疆发展现代化产业体系不仅是为了推动经济高质量发展。",
    "通过发展产业促进就业，让各族群众富起来。",
    "铸牢中华民族共同体意识，夯实社会稳定和长治久安的物质基础。",
    "各地资源禀赋、区位条件、产业基础各不相同。",
    "只有因地制宜才能扬优势、补短板、锻长板。",
    "科技创新是发展新质生产力的核心要素。",
    "推动传统产业转型升级，培育壮大新兴产业。",
    "加快数字化转型，建设数字经济。",
    "绿色发展是高质量发展的底色。",
    "坚持以人民为中心的发展思想。",
    "全面深化改革，扩大高水平对外开放。",
    "加强基础设施建设，提升公共服务水平。",
    "能源资源产业集群不断壮大。",
    "新能源产业发展迅速，风电光伏装机规模持续扩大。",
    "农业现代化水平稳步提升。",
    "乡村振兴战略深入实施。",
    "生态环境保护取得新成效。",
    "人才是第一资源，创新是第一动力。",
    "共同富裕是中国式现代化的重要特征。",
    "一带一路建设取得丰硕成果。",
    "营商环境持续优化，市场主体活力增强。",
    "新型工业化加快推进。",
    "产业链供应链韧性和安全水平不断提升。",
    "今年全国两会上，代表委员积极建言献策。",
    "高质量发展是全面建设社会主义现代化国家的首要任务。",
]

_EN_LINES = [
    "The government work report calls for developing new quality productive forces "
    "according to local conditions.",
    "We will accelerate the building of a modern industrial system.",
    "A modern industrial system is of great significance for promoting high-quality development.",
    "Xinjiang focuses on what the country needs and what it can do, and expands ten industrial clusters.",
    "The momentum of development is stronger, contributing Xinjiang strength to the national modernization.",
    "How to accelerate the development of new quality productive forces became a hot topic for deputies.",
    "Accelerating the construction of a modern industrial system embodies high hopes for Xinjiang.",
    "When industries thrive, employment is stable and people are united.",
    "Developing a modern industrial system is not only for promoting high-quality economic development.",
    "Promote employment through industrial development and let people of all ethnic groups become rich.",
    "Forge a strong sense of community for the Chinese nation and consolidate social stability.",
    "Resource endowments, locations and industrial foundations differ from place to place.",
    "Only by adapting to local conditions can we build on strengths and shore up weaknesses.",
    "Scientific and technological innovation is the core element of new productive forces.",
    "Promote the transformation and upgrading of traditional industries and foster emerging industries.",
    "Accelerate digital transformation and build a digital economy.",
    "Green development is the defining feature of high-quality development.",
    "Adhere to the people-centered philosophy of development.",
    "Comprehensively deepen reform and expand high-standard opening up.",
    "Strengthen infrastructure construction and improve public services.",
    "Energy and resource industrial clusters continue to grow.",
    "The new energy industry is developing rapidly and wind and solar capacity keeps expanding.",
    "Agricultural modernization has improved steadily.",
    "The rural revitalization strategy has been implemented in depth.",
    "Ecological and environmental protection has made new progress.",
    "Talent is the primary resource and innovation is the primary driving force.",
    "Common prosperity is an important feature of Chinese modernization.",
    "The Belt and Road Initiative has yielded fruitful results.",
    "The business environment has been optimized and market entities are more dynamic.",
    "New industrialization is being advanced at a faster pace.",
    "The resilience and security of industrial and supply chains keep improving.",
    "At this year's two sessions, deputies and members actively offered advice.",
    'He said "productive forces" and “modernization” are key words; Productive Forces, Industrial Clusters!',
    "High-quality development is the primary task of building a modern socialist country.",
]


def default_corpus() -> tuple[list[str], list[str]]:
    """Return the default (Chinese lines, English lines) corpus for the tiny model.

    The English side contains the policy words tests use as renderings (development, productive,
    forces, modernization, industrial, clusters, ...) plus capitalised and quoted forms, so that
    they tokenize into few pieces.
    """
    return list(_ZH_LINES), list(_EN_LINES)


def _train_spm(lines: list[str], prefix: Path, vocab_size: int, coverage: float) -> None:
    import sentencepiece as spm

    text_file = prefix.with_suffix(".txt")
    text_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text_file),
        model_prefix=str(prefix),
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=coverage,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        minloglevel=2,
    )
    text_file.unlink()


def _pieces(model_file: Path) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(model_file))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _joint_vocab(src_pieces: list[str], tgt_pieces: list[str]) -> dict[str, int]:
    # opus-mt layout: </s>=0, <unk>=1, source pieces, unseen target pieces, <pad> last.
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for piece in src_pieces + tgt_pieces:
        if piece in ("<unk>", "<s>", "</s>") or piece in vocab:
            continue
        vocab[piece] = len(vocab)
    vocab["<pad>"] = len(vocab)
    return vocab


def _vocab_size(lines: list[str]) -> int:
    # ~300 pieces, but never fewer than the corpus has distinct characters (a large corpus
    # such as the whole glossary needs every character as a piece).
    return max(300, len(set("".join(lines))) + 64)


def build_tiny_marian(out_dir: Path, zh_lines: list[str], en_lines: list[str], seed: int = 0) -> Path:
    """Build and save a tiny random MarianMT model with its tokenizer.

    Args:
        out_dir: Directory to write into (created if missing).
        zh_lines: Chinese corpus for the source SentencePiece model.
        en_lines: English corpus for the target SentencePiece model.
        seed: Torch seed for the random weights.

    Returns:
        ``out_dir``, loadable with ``AutoTokenizer`` / ``AutoModelForSeq2SeqLM``.
    """
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = out_dir / "_spm"
    work.mkdir(exist_ok=True)
    _train_spm(zh_lines, work / "source", _vocab_size(zh_lines), 0.9995)
    _train_spm(en_lines, work / "target", _vocab_size(en_lines), 1.0)
    vocab = _joint_vocab(_pieces(work / "source.model"), _pieces(work / "target.model"))
    vocab_file = work / "vocab.json"
    vocab_file.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tok = MarianTokenizer(
        str(work / "source.model"),
        str(work / "target.model"),
        str(vocab_file),
        source_lang="zh",
        target_lang="en",
        separate_vocabs=False,
    )
    tok.save_pretrained(str(out_dir))
    pad = vocab["<pad>"]
    size = len(vocab)
    cfg = MarianConfig(
        vocab_size=size,
        decoder_vocab_size=size,
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=128,
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
    model.generation_config.bad_words_ids = [[pad]]
    model.generation_config.forced_eos_token_id = 0
    model.save_pretrained(str(out_dir))
    return out_dir


def glossary_corpus() -> tuple[list[str], list[str]]:
    """The default corpus plus every built-in term and rendering, so all of them are writable."""
    from termlock.glossary import load_glossary

    zh, en = default_corpus()
    entries = list(load_glossary())
    zh += [form for e in entries for form in e.forms()]
    en += [r for e in entries for r in e.renderings(allow_admitted=True)]
    return zh, en


def main() -> None:
    """``python tests/tinymodel.py OUT_DIR [--with-glossary]``: build a tiny model to try termlock.

    Its output is noise; it exists to run the machinery (structure, enforcement, reports)
    where no real model can be downloaded.
    """
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument(
        "--with-glossary", action="store_true", help="train the vocabularies on the built-in glossary too"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    zh, en = glossary_corpus() if args.with_glossary else default_corpus()
    print(build_tiny_marian(args.out_dir, zh, en, seed=args.seed))


if __name__ == "__main__":
    main()
