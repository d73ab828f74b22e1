"""Import/export formats: registry, guessing, lossless round trips, lenient imports, bad files."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from termlock.entry import Entry
from termlock.errors import GlossaryError, UsageError
from termlock.formats import FORMATS, get_format, guess_format, resolve_format
from termlock.formats.tbx import FORBIDDEN_COMMENT
from test_store import ENTRIES

KNOWN = "tsv, json, tbx, deepl-csv, amazon-csv, pair-tsv"
FULL = Entry(
    "两会",
    "Two Sessions",
    ("全国两会", "兩會"),
    ("the two sessions", "NPC and CPPCC sessions"),
    ("two meetings",),
    "admitted",
    True,
    " a note with  spaces ",
    "Xinhua (2024-03-05); gov.cn (2024)",
)
PLAIN = Entry("一带一路", "Belt and Road Initiative")


def _sorted(entries: list[Entry] | tuple[Entry, ...]) -> list[Entry]:
    return sorted(entries, key=lambda e: e.term)


def test_registry_names_and_lossless_flags() -> None:
    assert ", ".join(FORMATS) == KNOWN
    assert {n for n, f in FORMATS.items() if f.lossless} == {"tsv", "json", "tbx"}
    assert all(fmt.name == name for name, fmt in FORMATS.items())


def test_unknown_format_lists_the_known_ones() -> None:
    with pytest.raises(UsageError) as info:
        get_format("xlsx")
    assert str(info.value) == f"unknown format 'xlsx'; use one of: {KNOWN}"


@pytest.mark.parametrize(
    ("path", "data", "name"),
    [
        ("g.tsv", None, "tsv"),
        ("g.tsv", b"a\tb\n", "pair-tsv"),
        ("g.TSV", FORMATS["tsv"].write([PLAIN]), "tsv"),
        ("g.json", None, "json"),
        ("g.tbx", None, "tbx"),
        ("g.xml", None, "tbx"),
        ("g.csv", None, "deepl-csv"),
        ("g.csv", b"a,b\n", "deepl-csv"),
        ("g.csv", b"zh,en\na,b\n", "amazon-csv"),
        ("g.txt", None, "pair-tsv"),
    ],
)
def test_guess_by_extension_and_content(path: str, data: bytes | None, name: str) -> None:
    assert guess_format(path, data).name == name


def test_unguessable_extension() -> None:
    with pytest.raises(UsageError) as info:
        guess_format("terms.xlsx")
    assert (
        str(info.value)
        == f"cannot tell the format of terms.xlsx from its name; pass --format (one of: {KNOWN})"
    )


def test_stdin_defaults_to_tsv_and_explicit_name_wins() -> None:
    assert resolve_format(None, "-").name == "tsv"
    assert resolve_format("json", "x.tsv").name == "json"


@pytest.mark.parametrize("name", ["tsv", "json", "tbx"])
def test_lossless_round_trip_of_every_field(name: str) -> None:
    fmt = FORMATS[name]
    back = fmt.read(fmt.write([FULL, PLAIN]), f"x.{name}")
    assert _sorted(back) == _sorted([FULL, PLAIN])
    assert [(e.quoted, e.status) for e in _sorted(back)] == [(False, "preferred"), (True, "admitted")]


@pytest.mark.parametrize("name", ["tsv", "json", "tbx"])
@settings(max_examples=40, deadline=None)
@given(entries=ENTRIES)
def test_lossless_round_trip_property(name: str, entries: tuple[Entry, ...]) -> None:
    fmt = FORMATS[name]
    assert _sorted(fmt.read(fmt.write(entries), "x")) == _sorted(entries)


def test_tbx_export_structure() -> None:
    from lxml import etree

    data = FORMATS["tbx"].write([FULL])
    root = etree.fromstring(data)
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    assert root.get("type") == "TBX-Basic"
    (concept,) = root.findall(".//t:conceptEntry", ns)
    zh, en = concept.findall("t:langSec", ns)
    assert [t.text for t in zh.findall(".//t:term", ns)] == ["两会", "全国两会", "兩會"]
    statuses = [n.text for n in en.findall(".//t:termNote[@type='administrativeStatus']", ns)]
    assert statuses == [
        "preferredTerm-admn-sts",
        "admittedTerm-admn-sts",
        "admittedTerm-admn-sts",
        "deprecatedTerm-admn-sts",
    ]
    assert concept.find("t:admin[@type='source']", ns).text == FULL.source  # type: ignore[union-attr]
    assert FORBIDDEN_COMMENT.encode() in data


MARTIF = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en">
  <martifHeader><fileDesc><sourceDesc><p>other tool</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="e1">
      <descrip type="definition">Annual plenary sessions of the NPC and CPPCC</descrip>
      <langSet xml:lang="zh-CN">
        <tig><term>两会</term></tig>
        <ntig><termGrp><term>全国两会</term></termGrp></ntig>
      </langSet>
      <langSet xml:lang="en-US">
        <tig><term>two meetings</term>
          <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></tig>
        <tig><term>Two Sessions</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
        <tig><term>the two sessions</term></tig>
        <tig><admin type="source">Xinhua 2024</admin><term>ignored? no</term></tig>
      </langSet>
      <langSet xml:lang="fr"><tig><term>les deux sessions</term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""


def test_tbx_v2_martif_imports_leniently() -> None:
    (entry,) = FORMATS["tbx"].read(MARTIF.encode(), "old.tbx")
    assert entry == Entry(
        "两会",
        "Two Sessions",
        ("全国两会",),
        ("the two sessions", "ignored? no"),
        ("two meetings",),
        note="Annual plenary sessions of the NPC and CPPCC",
        source="Xinhua 2024",
    )
    assert entry.line == 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"term,rendering\n",
            "x.tbx:1: not well-formed XML, so not a TBX file: Start tag expected, '<' not found, line 1, "
            "column 1; fix the XML or pass the right --format",
        ),
        (
            b"<tbx>\n<text>\n<body>\n</tbx>",
            "x.tbx:4: not well-formed XML, so not a TBX file: Opening and ending tag mismatch: body line 3 "
            "and tbx, line 4, column 7; fix the XML or pass the right --format",
        ),
        (
            b"<html/>",
            "x.tbx:1: XML, but not TBX: the root element is <html>, "
            "expected <tbx> (TBX v3) or <martif> (TBX v2)",
        ),
        (
            b"<tbx><text><body>\n<conceptEntry><langSec xml:lang='en'><termSec><term>x</term></termSec>"
            b"</langSec></conceptEntry></body></text></tbx>",
            "x.tbx:2: entry without a Chinese term (langSec xml:lang='zh'); add one or remove the entry",
        ),
        (
            b"<tbx><text><body>\n<conceptEntry><langSec xml:lang='zh'><termSec><term>x</term></termSec>"
            b"</langSec></conceptEntry></body></text></tbx>",
            "x.tbx:2: entry 'x' has no English term that is not deprecated (langSec xml:lang='en'); add one",
        ),
    ],
)
def test_bad_tbx(data: bytes, message: str) -> None:
    with pytest.raises(GlossaryError) as info:
        FORMATS["tbx"].read(data, "x.tbx")
    assert str(info.value) == message


def test_tbx_does_not_expand_entities() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<tbx><text><body><conceptEntry><langSec xml:lang='zh'><termSec><term>x</term></termSec></langSec>"
        b"<langSec xml:lang='en'><termSec><term>&e;</term></termSec></langSec>"
        b"</conceptEntry></body></text></tbx>"
    )
    (entry,) = FORMATS["tbx"].read(data, "x.tbx")
    assert "root" not in entry.rendering  # the external entity stays an unexpanded reference


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            '{"term": "两会"}',
            "x.json:1: expected a JSON list of entry objects, found an object; wrap the entries in [ ]",
        ),
        ("[1,", "x.json:1: not valid JSON: Expecting value (column 4)"),
        (
            '[\n {"term": "a", "rendering": "A"},\n {"term": "b"}\n]',
            "x.json:3: missing field 'rendering'; every entry needs term and rendering",
        ),
        (
            '[\n "两会"\n]',
            "x.json:2: expected an object with fields "
            + ", ".join(
                [
                    "term",
                    "rendering",
                    "variants",
                    "admitted",
                    "forbidden",
                    "status",
                    "quoted",
                    "note",
                    "source",
                ]
            ),
        ),
        (
            '[{"term": "a", "rendering": "A", "sauce": "x"}]',
            "x.json:1: unknown field 'sauce'; the fields are: "
            "term, rendering, variants, admitted, forbidden, status, quoted, note, source",
        ),
        (
            '[{"term": "a", "rendering": "A", "quoted": "yes"}]',
            "x.json:1: field 'quoted' must be true or false, not 'yes'",
        ),
        (
            '[{"term": "a", "rendering": "A", "variants": "b"}]',
            "x.json:1: field 'variants' must be a list of non-empty strings, not 'b'",
        ),
        (
            '[{"term": "a", "rendering": " "}]',
            "x.json:1: empty rendering for 'a'; every entry needs an English rendering",
        ),
        (
            '[{"term": "a", "rendering": "A"},\n{"term": "a", "rendering": "B"}]',
            "x.json:2: duplicate term 'a' (first on line 1); merge the two entries",
        ),
    ],
)
def test_bad_json(data: str, message: str) -> None:
    with pytest.raises(GlossaryError) as info:
        FORMATS["json"].read(data.encode(), "x.json")
    assert str(info.value) == message


def test_json_defaults_for_optional_fields() -> None:
    (entry,) = FORMATS["json"].read(json.dumps([{"term": "两会", "rendering": "Two Sessions"}]).encode(), "x")
    assert entry == Entry("两会", "Two Sessions")


DEEPL = "两会,Two Sessions\n全国两会,Two Sessions\n\n一带一路,Belt and Road Initiative\n两会,Two Sessions\n"


def test_deepl_csv_imports_and_merges_variants() -> None:
    entries = FORMATS["deepl-csv"].read(DEEPL.encode(), "g.csv")
    assert entries == [
        Entry("两会", "Two Sessions", ("全国两会",)),
        Entry("一带一路", "Belt and Road Initiative"),
    ]
    assert all(e.source == "" for e in entries)  # lossy: provenance must be added by a person


def test_deepl_csv_accepts_language_columns_quotes_and_bom() -> None:
    data = '\ufeff"新质生产力","new quality productive forces, i.e.",zh,en\n'.encode()
    (entry,) = FORMATS["deepl-csv"].read(data, "g.csv")
    assert (entry.term, entry.rendering) == ("新质生产力", "new quality productive forces, i.e.")


def test_pair_exports_one_row_per_form() -> None:
    assert FORMATS["deepl-csv"].write([FULL, PLAIN]).decode() == (
        "一带一路,Belt and Road Initiative\n两会,Two Sessions\n全国两会,Two Sessions\n兩會,Two Sessions\n"
    )
    assert FORMATS["amazon-csv"].write([PLAIN]).decode() == "zh,en\n一带一路,Belt and Road Initiative\n"
    assert FORMATS["pair-tsv"].write([PLAIN]).decode() == "一带一路\tBelt and Road Initiative\n"


@pytest.mark.parametrize("name", ["deepl-csv", "amazon-csv", "pair-tsv"])
def test_pair_formats_round_trip_forms_and_rendering(name: str) -> None:
    fmt = FORMATS[name]
    back = fmt.read(fmt.write([FULL, PLAIN]), "x")
    assert _sorted(back) == [PLAIN, Entry(FULL.term, FULL.rendering, FULL.variants)]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "deepl-csv",
            "两会,Two Sessions,x\n",
            "g:1: expected 2 columns (source,target) or 4 with language codes, "
            "found 3 columns; quote cells that contain the separator",
        ),
        ("deepl-csv", "两会,\n", "g:1: empty rendering for '两会'; fill the second column"),
        ("deepl-csv", ",x\n", "g:1: empty source term in the first column; fill it or delete the row"),
        ("deepl-csv", "两会,A\n两会,B\n", "g:2: '两会' has two renderings: 'A' (line 1) and 'B'; keep one"),
        ("amazon-csv", "两会,A\n", "g:1: missing header: the first row must name the languages, e.g. zh,en"),
        (
            "amazon-csv",
            "zh,en\n两会\n",
            "g:2: expected 2 columns like the header, found 1; quote cells that contain commas",
        ),
        (
            "pair-tsv",
            "两会 Two Sessions\n",
            "g:1: expected 2 tab-separated columns (source, target), found 1 "
            "columns; quote cells that contain the separator",
        ),
    ],
)
def test_bad_pair_files(name: str, data: str, message: str) -> None:
    with pytest.raises(GlossaryError) as info:
        FORMATS[name].read(data.encode(), "g")
    assert str(info.value) == message


def test_amazon_picks_the_en_column() -> None:
    (entry,) = FORMATS["amazon-csv"].read("zh,fr,en\n两会,deux sessions,Two Sessions\n".encode(), "g")
    assert entry == Entry("两会", "Two Sessions")


def test_tsv_format_reads_with_store_errors() -> None:
    with pytest.raises(GlossaryError, match=r"^g\.tsv:1: missing or wrong header"):
        FORMATS["tsv"].read(b"a\tb\n", "g.tsv")
