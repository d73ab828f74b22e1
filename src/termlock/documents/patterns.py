"""Line patterns of Chinese (news and policy) text used by reflow: punctuation, bylines,
captions, continuation markers, list markers.

Patterns describe general conventions of Chinese typesetting, not any one file.
"""

from __future__ import annotations

import regex

# Closing quotes and brackets that may follow a sentence terminator.
CLOSERS = "”’」』）】》〉〕］｝)\\]}\"'"
# A trailing source credit ("。 据《新疆日报》", "。（新华社）") does not unfinish a sentence.
_FINAL = regex.compile(
    rf"[。！？…｡．!?.][{CLOSERS}]*(?:\s*(?:据《[^》]{{1,20}}》|[（(][^（）()]{{1,20}}[）)]))?$"
)
_CLAUSE_END = regex.compile(r"[，、；,;]$")
# Sentence-internal punctuation: a line containing it is running text, not a headline.
_INTERNAL = regex.compile(r"[，。；！？,;!?]")
# A line starting with punctuation continues the previous line; so, when that line
# left a sentence open, does one starting with one or two Han characters before
# punctuation (the tail of a broken word: "…征程" + "上，新疆…").
_PUNCT_START = regex.compile(rf"^[，。、；：！？,.;:!?…{CLOSERS}]")
_SHORT_START = regex.compile(r"^\p{Han}{1,2}[，。、；：！？,.;:!?]")
_ONLY_PUNCT = regex.compile(r"^[\p{P}\p{S}\s]+$")
# Openings of a news lead: "据《XX日报》报道", "新华社北京3月6日电", "本报讯".
_LEAD = regex.compile(
    r"^(?:据《[^》]{1,20}》(?:报道|消息)|(?:新华社|中新社|本报)\p{Han}{0,10}(?:\d{1,2}月\d{1,2}日)?(?:电|讯))"
)

_NAME = r"\p{Han}{2,4}(?:·\p{Han}{1,8})?"
_PERSON_ROLE = r"\p{Han}{0,8}?(?:特约|实习)?(?:记者|通讯员|评论员|撰稿人|摄影|作者)"
_BYLINE_PATTERNS: tuple[regex.Pattern[str], ...] = (
    # 本报记者 张三 李四 / 新疆日报记者 刘翔 / 本报记者 张三 通讯员 李四 / （记者 张三）
    regex.compile(
        rf"^[（(]?{_PERSON_ROLE}[:：]?\s*{_NAME}(?:[\s、，,]+(?:{_PERSON_ROLE}\s*)?{_NAME})*"
        r"(?:\s*(?:摄影?|报道|整理|文|发自\p{Han}{2,8}))?[）)]?$"
    ),
    # □代立 / ○ 张三 : a marker in front of the author's name
    regex.compile(rf"^[○□■●◎◇◆△▲]\s*{_NAME}(?:[\s、]+{_NAME})*$"),
    # 文/张三 图/李四
    regex.compile(rf"^(?:(?:文|图|文图|图文|摄影|摄)\s*[/／|:：]\s*{_NAME}(?:[\s、]+{_NAME})*\s*)+$"),
    # 新华社北京3月6日电（记者 张三） as a line of its own
    regex.compile(
        r"^(?:新华社|中新社|本报|人民网|新华网|央视网|中国新闻网)\p{Han}{0,10}(?:\d{1,2}月\d{1,2}日)?(?:电|讯)"
        r"(?:\s*[（(][^）)]{0,30}[）)])?$"
    ),
    # 据《新疆日报》 / 来源：新华社 as a line of its own
    regex.compile(r"^(?:据|来源[:：]|摘自|转自)\s*(?:《[^》]{1,20}》|\p{Han}{2,10})\s*(?:报道|消息)?$"),
)
_CAPTION_PATTERNS: tuple[regex.Pattern[str], ...] = (
    regex.compile(rf"(?:^|\s)(?:{_PERSON_ROLE}\s*)?{_NAME}(?:[\s、]+{_NAME})*\s*摄影?[）)]?$"),
    regex.compile(r"^(?:图为|上图|下图|左图|右图|图[①②③④⑤⑥⑦⑧⑨\d]|资料图)"),
)
CONTINUATION = regex.compile(
    r"[（(]\s*(?:上接|下转|紧接|接|转)\s*(?:第|本报)?\s*[\p{Han}\d]{1,4}\s*版\s*[）)]"
)
_LIST_MARKER = regex.compile(r"^(?:[-*•·▪●◆]\s|\d{1,3}[.、)）]\s*|[（(]\d{1,3}[）)]|[①-⑳])")
_ENUMERATION = regex.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十百零\d]{1,5}[条章节])"
)


def ends_final(text: str) -> bool:
    """The text ends a sentence (terminator, maybe followed by closing quotes)."""
    return bool(_FINAL.search(text))


def ends_clause(text: str) -> bool:
    """The text ends with a comma-like mark: the sentence goes on."""
    return bool(_CLAUSE_END.search(text))


def has_internal_punct(text: str) -> bool:
    """The text contains sentence punctuation (running text rather than a headline)."""
    return bool(_INTERNAL.search(text))


def starts_with_punct(text: str) -> bool:
    """The text starts with punctuation that cannot open a paragraph.

    A line of punctuation only ("……", "***") is a separator, not a continuation.
    """
    return bool(_PUNCT_START.match(text)) and not _ONLY_PUNCT.match(text)


def starts_fragment(text: str) -> bool:
    """After a line that left a sentence open: the text continues a broken word or clause.

    Not a test on its own: "目前，" opens many paragraphs.
    """
    return starts_with_punct(text) or bool(_SHORT_START.match(text))


def starts_lead(text: str) -> bool:
    """The text opens a news story ("据《XX》报道", a dateline "新华社…电", "本报讯")."""
    return bool(_LEAD.match(text))


def starts_continuation(text: str) -> bool:
    """The text starts with a continuation marker such as "（上接一版）"."""
    return bool(CONTINUATION.match(text))


def is_byline(text: str) -> bool:
    """The whole line is a byline, dateline or source line."""
    return len(text) <= 40 and any(p.match(text) for p in _BYLINE_PATTERNS)


def is_caption(text: str) -> bool:
    """The text is a photo caption (ends with a photographer credit "XX 摄", or "图为…")."""
    return any(p.search(text) for p in _CAPTION_PATTERNS)


def starts_item(text: str) -> bool:
    """The text starts with a list marker or a Chinese enumeration (一、 （一） 第一条)."""
    return bool(_LIST_MARKER.match(text) or _ENUMERATION.match(text))


def is_list_item(text: str) -> bool:
    """The text starts with a bullet or a numeric list marker."""
    return bool(_LIST_MARKER.match(text))
