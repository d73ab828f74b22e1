"""Canonical TSV: byte-exact round trips and a clear, located error for every bad file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clitools import run_cli
from termlock import store
from termlock.entry import STATUSES, Entry
from termlock.errors import GlossaryError

HEADER = store.HEADER + "\n"
CANONICAL = (
    HEADER + "一带一路\tBelt and Road Initiative\t\t\t\tpreferred\tno\t\tState Council (2015-03-28)\n"
    "两会\tTwo Sessions\t全国两会\tthe two sessions\ttwo meetings|two conferences\tpreferred\tyes\t"
    "NPC and CPPCC\tXinhua (2024-03-05); gov.cn (2024)\n"
)

_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cn"), blacklist_characters="\t\n\r|\x85\u2028\u2029"),
    min_size=1,
    max_size=8,
).filter(lambda s: s.strip() != "")


def _entry(term: str) -> st.SearchStrategy[Entry]:
    lists = st.lists(_TEXT, max_size=3).map(tuple)
    return st.builds(
        Entry,
        term=st.just(term),
        rendering=_TEXT,
        variants=lists,
        admitted=lists,
        forbidden=lists,
        status=st.sampled_from(STATUSES),
        quoted=st.booleans(),
        note=st.one_of(st.just(""), _TEXT),
        source=st.one_of(st.just(""), _TEXT),
    )


#: Lists of valid entries with distinct terms.
ENTRIES = st.lists(_TEXT, unique=True, max_size=6).flatmap(lambda terms: st.tuples(*map(_entry, terms)))


def test_load_then_save_is_byte_exact(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_bytes(CANONICAL.encode("utf-8"))
    copy = tmp_path / "copy.tsv"
    store.save(copy, store.load(path))
    assert copy.read_bytes() == path.read_bytes()


def test_loaded_fields_and_origin(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text(CANONICAL, encoding="utf-8")
    entry = store.load(path)[1]
    assert entry == Entry(
        "两会",
        "Two Sessions",
        ("全国两会",),
        ("the two sessions",),
        ("two meetings", "two conferences"),
        "preferred",
        True,
        "NPC and CPPCC",
        "Xinhua (2024-03-05); gov.cn (2024)",
    )
    assert (entry.origin, entry.line) == (f"user:{path}", 3)


@settings(max_examples=60, deadline=None)
@given(ENTRIES)
def test_dumps_loads_round_trip(entries: tuple[Entry, ...]) -> None:
    text = store.dumps(entries)
    back = store.loads(text)
    assert sorted(back, key=lambda e: e.term) == sorted(entries, key=lambda e: e.term)
    assert store.dumps(back) == text


def test_dumps_sorts_by_term() -> None:
    text = store.dumps([Entry("b", "B"), Entry("a", "A")])
    assert text.splitlines()[1:] == ["a\tA\t\t\t\tpreferred\tno\t\t", "b\tB\t\t\t\tpreferred\tno\t\t"]


COLS = "term, rendering, variants, admitted, forbidden, status, quoted, note, source"
ROW = "两会\tTwo Sessions\t\t\t\tpreferred\tno\t\tXinhua (2024)\n"
BAD_FILES = [
    (
        "两会\tTwo Sessions\n",
        f"1: missing or wrong header; the first line must be the tab-separated columns: {COLS}",
    ),
    (
        HEADER + "两会\tTwo Sessions\n",
        f"2: expected 9 tab-separated columns ({COLS}), found 2; check for a missing or extra tab",
    ),
    (
        HEADER + ROW.replace("\tno\t", "\tno\textra\t"),
        f"2: expected 9 tab-separated columns ({COLS}), found 10; check for a missing or extra tab",
    ),
    (
        HEADER + ROW + ROW.replace("preferred", "official"),
        "3: status 'official' is not allowed; use one of: preferred, admitted, deprecated",
    ),
    (HEADER + ROW.replace("\tno\t", "\ttrue\t"), "2: quoted 'true' is not allowed; use yes or no"),
    (HEADER + ROW + ROW, "3: duplicate term '两会' (first on line 2); merge the two rows"),
    (HEADER + ROW.replace("Two Sessions", " "), "2: empty rendering for '两会'; fill the second column"),
    (HEADER + ROW.replace("两会", ""), "2: empty term; fill the first column or delete the row"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_bad_file_errors_name_file_line_and_fix(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        store.load(path)
    assert str(info.value) == f"{path}:{message}"


@pytest.mark.parametrize(("content", "message"), BAD_FILES[:3])
def test_bad_file_through_the_cli(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    before = path.read_bytes()
    result = run_cli(["glossary", "list", "--no-builtin", "-g", str(path)])
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {path}:{message}\n"
    assert path.read_bytes() == before


def test_non_utf8_glossary(tmp_path: Path) -> None:
    path = tmp_path / "gbk.tsv"
    path.write_bytes((HEADER + ROW).encode("gb18030"))
    result = run_cli(["glossary", "list", "--no-builtin", "-g", str(path)])
    assert result.code == 2
    assert result.stderr == (
        f"Error: {path}:2: not valid UTF-8; convert it (e.g. iconv -f GB18030 -t UTF-8 FILE > NEW)\n"
    )


def test_format_row_refuses_tabs_and_separators() -> None:
    with pytest.raises(GlossaryError, match="field note contains a tab or line break"):
        store.format_row(Entry("两会", "Two Sessions", note="a\tb"))
    with pytest.raises(GlossaryError, match=r"an item of variants contains '\|'"):
        store.format_row(Entry("两会", "Two Sessions", variants=("a|b",)))
