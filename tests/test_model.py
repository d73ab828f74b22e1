"""Model loading: local directories, the offline message, devices, revisions, language codes."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from termlock import model as model_module
from termlock.errors import ModelError, UsageError
from termlock.model import LanguageCodes, directory_revision, language_codes, load_model, not_found_message

MISSING = "termlock-tests/no-such-model"
EXPECTED_OFFLINE = (
    f"model '{MISSING}' is not in the local Hugging Face cache and the Hub cannot be reached "
    "(HF_HUB_OFFLINE=1). Download it once with network access: "
    '`python -c "from transformers import AutoModelForSeq2SeqLM, AutoTokenizer; '
    f"AutoTokenizer.from_pretrained('{MISSING}'); AutoModelForSeq2SeqLM.from_pretrained('{MISSING}')\"`"
    f" or `hf download {MISSING}`, or pass --model PATH to a local model directory."
)


def test_local_directory_loads_on_cpu(tiny_model_dir: Path) -> None:
    loaded = load_model(str(tiny_model_dir), device="cpu")
    assert loaded.device == "cpu" and loaded.name == str(tiny_model_dir)
    assert type(loaded.tokenizer).__name__ == "MarianTokenizer"
    assert (loaded.forced_bos_token_id, loaded.src_lang) == (None, None)
    assert loaded.revision == directory_revision(tiny_model_dir)
    assert loaded.revision.startswith("sha256:") and len(loaded.revision) == len("sha256:") + 12
    assert not loaded.model.training


def test_revision_follows_the_content(tiny_model_dir: Path, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(tiny_model_dir, tmp_path / "copy"))
    assert directory_revision(copy) == directory_revision(tiny_model_dir)
    config = copy / "config.json"
    config.write_text(config.read_text(encoding="utf-8").replace('"d_model": 32', '"d_model": 32 '), "utf-8")
    assert directory_revision(copy) != directory_revision(tiny_model_dir)


def test_cache_snapshot_revision_is_the_commit_hash(tiny_model_dir: Path, tmp_path: Path) -> None:
    commit = "0123456789abcdef0123456789abcdef01234567"
    snapshot = tmp_path / "models--x--y" / "snapshots" / commit
    shutil.copytree(tiny_model_dir, snapshot)
    assert load_model(str(snapshot), device="cpu").revision == commit


def test_offline_and_not_cached_gives_one_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError) as info:
        load_model(MISSING, device="cpu")
    assert str(info.value) == EXPECTED_OFFLINE


def test_unreachable_hub_fails_fast_without_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    monkeypatch.setattr(model_module, "_hub_unreachable", lambda: "huggingface.co: Name or service not known")
    called: list[bool] = []
    real = model_module._from_pretrained

    def spy(source: str, *, local_only: bool) -> Any:
        called.append(local_only)
        return real(source, local_only=local_only)

    monkeypatch.setattr(model_module, "_from_pretrained", spy)
    with pytest.raises(ModelError) as info:
        load_model(MISSING, device="cpu")
    assert str(info.value) == not_found_message(MISSING, "huggingface.co: Name or service not known")
    assert called == [True]  # never the retrying online path


def test_hub_probe_reports_an_unreachable_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # discard port: nothing listens
    reason = model_module._hub_unreachable(timeout=0.5)
    assert reason is not None and reason.startswith("127.0.0.1: ")


@pytest.mark.parametrize("name", ["/nonexistent/termlock/model", "./no-such-dir", "a/b/c"])
def test_missing_local_path(name: str) -> None:
    with pytest.raises(ModelError) as info:
        load_model(name, device="cpu")
    assert str(info.value) == f"{name}: model directory not found; check the path given with --model"


def test_directory_without_config(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as info:
        load_model(str(tmp_path), device="cpu")
    assert str(info.value) == (
        f"{tmp_path}: not a model directory (no config.json); pass a directory saved with save_pretrained() "
        "or a Hugging Face model id"
    )


def test_unknown_device_lists_allowed_values() -> None:
    with pytest.raises(UsageError) as info:
        load_model("whatever", device="tpu")
    assert str(info.value) == "--device 'tpu' is not allowed; use one of: auto, cpu, cuda"


def test_cuda_without_gpu_says_why() -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("a GPU is available")
    with pytest.raises(UsageError) as info:
        load_model("whatever", device="cuda")
    assert str(info.value).startswith("--device cuda: CUDA is not available (")
    assert str(info.value).endswith("); use one of: auto, cpu")


class NllbTokenizerFast:
    """Named like the real class: the registry keys on the class name."""

    unk_token_id = 3
    src_lang = "eng_Latn"

    def convert_tokens_to_ids(self, token: str) -> int:
        return {"eng_Latn": 256047}.get(token, self.unk_token_id)


def test_multilingual_models_get_language_codes() -> None:
    fake_model = SimpleNamespace(config=SimpleNamespace(model_type="m2m_100"))
    tokenizer = NllbTokenizerFast()
    assert language_codes(fake_model, tokenizer) == LanguageCodes("zho_Hans", "eng_Latn")
    assert model_module._set_languages(fake_model, tokenizer) == (256047, "zho_Hans")
    assert tokenizer.src_lang == "zho_Hans"
    # An M2M100 model whose tokenizer class is not listed falls back on its model_type.
    assert language_codes(fake_model, object()) == LanguageCodes("zh", "__en__")
    marian = SimpleNamespace(config=SimpleNamespace(model_type="marian"))
    assert language_codes(marian, object()) is None
