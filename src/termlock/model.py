"""Load a Hugging Face sequence-to-sequence translation model, offline-first.

``from_pretrained`` retries an unreachable Hub for about half a minute before failing, so
loading is done in two steps: the local cache (or a local directory) first, with
``local_files_only=True``; only on a cache miss is the Hub probed with one short TCP
connect, and only when it answers is a download attempted. Every way of not finding a
model ends in one :class:`~termlock.errors.ModelError` that says how to get it.

torch and transformers are imported inside the functions, so importing this module is
cheap (``termlock --help`` never loads torch).
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from termlock.errors import ModelError, UsageError

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-zh-en"
#: Values of ``--device``.
DEVICES: tuple[str, ...] = ("auto", "cpu", "cuda")
#: Bytes of each weights file that go into a local directory's revision hash.
_HASH_PREFIX = 1 << 20
_WEIGHT_SUFFIXES = (".safetensors", ".bin")
_SNAPSHOT = re.compile(r"[/\\]snapshots[/\\]([0-9a-f]{40})(?:[/\\]|$)")
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class LanguageCodes:
    """Language codes a multilingual model needs for Chinese to English.

    Attributes:
        src_lang: value for ``tokenizer.src_lang``.
        tgt_token: the target-language token the decoder must start with
            (its id becomes ``forced_bos_token_id``).
    """

    src_lang: str
    tgt_token: str


#: Multilingual tokenizers, by class name (slow and fast names both listed).
_BY_TOKENIZER: dict[str, LanguageCodes] = {
    "NllbTokenizer": LanguageCodes("zho_Hans", "eng_Latn"),
    "NllbTokenizerFast": LanguageCodes("zho_Hans", "eng_Latn"),
    "M2M100Tokenizer": LanguageCodes("zh", "__en__"),
    "MBart50Tokenizer": LanguageCodes("zh_CN", "en_XX"),
    "MBart50TokenizerFast": LanguageCodes("zh_CN", "en_XX"),
}
#: Fallback by ``config.model_type`` when the tokenizer class is not listed above.
_BY_MODEL_TYPE: dict[str, LanguageCodes] = {
    "m2m_100": LanguageCodes("zh", "__en__"),
}


@dataclass(frozen=True)
class LoadedModel:
    """A model ready to translate, with what identifies it in a signature.

    Attributes:
        model: the ``PreTrainedModel`` (eval mode, on ``device``).
        tokenizer: its tokenizer (``src_lang`` already set for multilingual models).
        name: the name or path it was loaded from.
        revision: Hub commit hash, or ``sha256:`` + 12 hex of a local directory.
        device: ``cpu`` or ``cuda``.
        forced_bos_token_id: the target-language token id for multilingual models.
        src_lang: the source language code set on the tokenizer, if any.
    """

    model: Any
    tokenizer: Any
    name: str
    revision: str
    device: str
    forced_bos_token_id: int | None = None
    src_lang: str | None = None


def resolve_device(device: str) -> str:
    """Turn ``auto|cpu|cuda`` into the device to use.

    Raises:
        UsageError: an unknown value, or ``cuda`` without a usable GPU.
    """
    if device not in DEVICES:
        raise UsageError(f"--device {device!r} is not allowed; use one of: {', '.join(DEVICES)}")
    import torch

    available = torch.cuda.is_available()
    if device == "cuda" and not available:
        why = "this torch build has no CUDA support" if torch.version.cuda is None else "no GPU is visible"
        raise UsageError(f"--device cuda: CUDA is not available ({why}); use one of: auto, cpu")
    if device == "auto":
        return "cuda" if available else "cpu"
    return device


def _offline_reason() -> str | None:
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        if os.environ.get(var, "").strip().lower() in _TRUE:
            return f"{var}={os.environ[var]}"
    return None


def _hub_unreachable(timeout: float = 3.0) -> str | None:
    """Return why the Hub cannot be reached, or None when a TCP connect succeeds."""
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    url = urlparse(endpoint)
    host = url.hostname or "huggingface.co"
    port = url.port or (80 if url.scheme == "http" else 443)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as exc:
        return f"{host}: {exc.strerror or exc}"


def not_found_message(name: str, reason: str) -> str:
    """The one message for a model that is neither cached nor downloadable."""
    code = (
        "from transformers import AutoModelForSeq2SeqLM, AutoTokenizer; "
        f"AutoTokenizer.from_pretrained('{name}'); AutoModelForSeq2SeqLM.from_pretrained('{name}')"
    )
    return (
        f"model {name!r} is not in the local Hugging Face cache and the Hub cannot be reached ({reason}). "
        f'Download it once with network access: `python -c "{code}"` or `hf download {name}`, '
        "or pass --model PATH to a local model directory."
    )


def _looks_like_path(name: str) -> bool:
    # A Hub id is "name" or "owner/name"; anything else with a path shape is a path.
    return name.startswith((".", "~", "/")) or name.count("/") > 1 or "\\" in name or name.endswith("/")


def _local_dir(name: str) -> Path | None:
    """Return the directory ``name`` names, None for a Hub id; raise for a bad path."""
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelError(
                f"{path}: not a model directory (no config.json); pass a directory saved with "
                "save_pretrained() or a Hugging Face model id"
            )
        return path
    if path.exists() or _looks_like_path(name):
        raise ModelError(f"{name}: model directory not found; check the path given with --model")
    return None


def _from_pretrained(source: str, *, local_only: bool) -> tuple[Any, Any]:
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    with warnings.catch_warnings():
        # MarianTokenizer advises installing sacremoses, which only matters for training.
        warnings.filterwarnings("ignore", message=r"Recommended: pip install sacremoses")
        tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local_only)
    model = AutoModelForSeq2SeqLM.from_pretrained(source, local_files_only=local_only)
    return model, tokenizer


def _load_hub(name: str) -> tuple[Any, Any]:
    try:
        return _from_pretrained(name, local_only=True)
    except OSError as cached_miss:
        reason = _offline_reason() or _hub_unreachable()
        if reason is not None:
            raise ModelError(not_found_message(name, reason)) from cached_miss
    try:
        return _from_pretrained(name, local_only=False)
    except OSError as exc:
        # Reachable Hub but no such repository (or a gated one): say so plainly.
        raise ModelError(f"model {name!r} cannot be loaded from the Hugging Face Hub: {exc}") from exc


def directory_revision(path: Path) -> str:
    """A cheap content hash of a local model directory.

    Hashing multi-hundred-megabyte weights on every run would cost seconds, so the
    hash covers ``config.json`` in full plus the name, size and first MiB of each
    weights file: a retrained or re-saved model changes all of these in practice.

    Returns:
        ``sha256:`` followed by 12 hex digits.
    """
    digest = hashlib.sha256((path / "config.json").read_bytes())
    for weights in sorted(p for p in path.iterdir() if p.suffix in _WEIGHT_SUFFIXES):
        digest.update(f"{weights.name}:{weights.stat().st_size}".encode())
        with weights.open("rb") as handle:
            digest.update(handle.read(_HASH_PREFIX))
    return "sha256:" + digest.hexdigest()[:12]


def _revision(model: Any, local: Path | None) -> str:
    if local is not None:
        match = _SNAPSHOT.search(str(local.resolve()))
        return match.group(1) if match else directory_revision(local)
    commit = getattr(model.config, "_commit_hash", None)
    return str(commit) if commit else "unknown"


def language_codes(model: Any, tokenizer: Any) -> LanguageCodes | None:
    """Return the codes a multilingual model needs, None for a one-direction model."""
    codes = _BY_TOKENIZER.get(type(tokenizer).__name__)
    return codes or _BY_MODEL_TYPE.get(getattr(model.config, "model_type", ""))


def _set_languages(model: Any, tokenizer: Any) -> tuple[int | None, str | None]:
    codes = language_codes(model, tokenizer)
    if codes is None:
        return None, None
    tokenizer.src_lang = codes.src_lang
    token_id = tokenizer.convert_tokens_to_ids(codes.tgt_token)
    if token_id is None or token_id == tokenizer.unk_token_id:
        raise ModelError(f"model {type(model).__name__}: its tokenizer has no {codes.tgt_token!r} token")
    return int(token_id), codes.src_lang


def load_model(name_or_path: str = DEFAULT_MODEL, *, device: str = "auto") -> LoadedModel:
    """Load a translation model and its tokenizer.

    Args:
        name_or_path: a Hugging Face model id or a local directory.
        device: ``auto`` (CUDA when available), ``cpu`` or ``cuda``.

    Raises:
        UsageError: a bad ``device``.
        ModelError: the model is missing locally and cannot be downloaded, or the
            directory is not a model.
    """
    target = resolve_device(device)
    local = _local_dir(name_or_path)
    if local is not None:
        try:
            model, tokenizer = _from_pretrained(str(local), local_only=True)
        except (OSError, ValueError) as exc:
            raise ModelError(f"{local}: cannot load the model: {exc}") from exc
    else:
        model, tokenizer = _load_hub(name_or_path)
    forced_bos, src_lang = _set_languages(model, tokenizer)
    model.to(target)
    model.eval()
    return LoadedModel(
        model=model,
        tokenizer=tokenizer,
        name=name_or_path,
        revision=_revision(model, local),
        device=target,
        forced_bos_token_id=forced_bos,
        src_lang=src_lang,
    )
