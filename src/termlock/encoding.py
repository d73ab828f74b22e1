"""Decode input bytes to text: UTF-8/16/32 and GB18030/GBK, refusing anything else.

Chinese source files come in two encodings in practice: UTF-8 (with or without a BOM)
and GB18030 or its subsets GBK/GB2312. Any other encoding is refused with a message
that tells the user how to convert the file, rather than guessed at: a wrong guess
would silently send mojibake to the translation model.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import regex

from termlock.errors import InputError

# Order matters: the UTF-32-LE BOM starts with the UTF-16-LE BOM.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Characters a GB18030-encoded Chinese file plausibly consists of.
_PLAUSIBLE = regex.compile(
    r"[\p{Han}\p{Block=CJK_Symbols_and_Punctuation}\p{Block=Halfwidth_and_Fullwidth_Forms}"
    r"\p{Block=General_Punctuation}\p{ASCII}\s·×÷°±№]"
)
_HAN = regex.compile(r"\p{Han}")
# Share of characters that must be plausible, and share of Han characters that must be
# in GB2312 (the ~6800 common characters). Shift-JIS, Big5 and Latin-1 bytes decode
# as GB18030 into rare extension characters, so they fail the second test.
_MIN_PLAUSIBLE = 0.95
_MIN_COMMON_HAN = 0.8
_HANGUL = regex.compile(r"\p{Hangul}")
_MIN_KOREAN_SAMPLE = 20
_KOREAN = frozenset({"cp949", "euc_kr", "johab", "iso2022_kr"})


def decode(data: bytes, path: str) -> str:
    """Decode the bytes of a text file, with ``\\n`` newlines.

    Strategy: a BOM decides first (UTF-8, UTF-16, UTF-32); then strict UTF-8; then
    strict GB18030, accepted only when the result is plausibly Chinese text.

    Args:
        data: the raw file contents.
        path: the file name, used in error messages ("-" for standard input).

    Returns:
        The text with ``\\r\\n`` and lone ``\\r`` turned into ``\\n`` and without a BOM.

    Raises:
        InputError: the bytes are binary or in another encoding; the message names the
            file, the first bad line where known, and says to convert to UTF-8.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _normalize_newlines(_decode_strict(data[len(bom) :], encoding, path))
    if b"\x00" in data:
        raise InputError(
            "looks like a binary file (it contains NUL bytes), not text. termlock reads UTF-8 or "
            "GB18030 text, .md and .docx files; convert text to UTF-8 (e.g. with iconv)",
            path=path,
        )
    try:
        return _normalize_newlines(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and _plausibly_chinese(text) and not _looks_korean(data):
        return _normalize_newlines(text)
    raise _refusal(data, path, utf8_error)


def _decode_strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"has a {encoding.upper()} byte-order mark but invalid {encoding.upper()} data at byte "
            f"{exc.start}; re-save the file as UTF-8 (e.g. with iconv -t UTF-8)",
            path=path,
        ) from exc


def _plausibly_chinese(text: str) -> bool:
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return False
    han = _HAN.findall(text)
    if not han:
        return False
    plausible = sum(1 for c in chars if _PLAUSIBLE.match(c))
    if plausible / len(chars) < _MIN_PLAUSIBLE:
        return False
    common = sum(1 for c in han if _in_gb2312(c))
    return common / len(han) >= _MIN_COMMON_HAN


def _looks_korean(data: bytes) -> bool:
    """EUC-KR Hangul occupies the same byte rows as common GB2312 Han characters.

    No character-class test separates the two, so ask charset-normalizer, whose language
    model does; it is consulted only for non-UTF-8 input that also decodes as mostly
    Hangul, and only when there is enough text for its verdict to mean something (short
    snippets are read as Chinese, which is what termlock translates).
    """
    try:
        korean = data.decode("euc_kr")
    except UnicodeDecodeError:
        return False
    letters = [c for c in korean if not c.isspace()]
    hangul = _HANGUL.findall(korean)
    if len(letters) < _MIN_KOREAN_SAMPLE or len(hangul) < len(letters) / 2:
        return False
    import charset_normalizer  # lazy: only needed for non-UTF-8 input

    best = charset_normalizer.from_bytes(data[:65536]).best()
    return best is not None and best.encoding in _KOREAN


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _refusal(data: bytes, path: str, utf8_error: UnicodeDecodeError) -> InputError:
    line = data[: utf8_error.start].count(b"\n") + 1
    guess = _guess_encoding(data)
    source = guess or "SOURCE-ENCODING"
    hint = f" (it looks like {guess})" if guess else ""
    return InputError(
        f"is neither UTF-8 nor GB18030/GBK Chinese text{hint}: invalid UTF-8 byte "
        f"0x{data[utf8_error.start]:02X}. Convert it to UTF-8, e.g. "
        f"`iconv -f {source} -t UTF-8 {path} > converted.txt`",
        path=path,
        line=line,
    )


def _guess_encoding(data: bytes) -> str | None:
    """Best guess of the real encoding, only to make the refusal message useful."""
    import charset_normalizer  # lazy: only needed on the error path

    best = charset_normalizer.from_bytes(data[:65536]).best()
    if best is None or best.encoding in {"utf_8", "ascii"}:
        return None
    return str(best.encoding).replace("_", "-").upper()


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_bytes(path: Path, error: type[InputError] = InputError) -> bytes:
    """Read an input file's bytes; a missing or unreadable file raises ``error`` naming it."""
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise error("file not found; check the path", path=path) from exc
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", path=path) from exc
