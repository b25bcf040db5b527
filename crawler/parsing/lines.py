"""Tell what one line of text is: a sentence, a header line, a byline glued to the text's end."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from .dates import DATE_RE, find_dates
from .patterns import END_PUNCT, TRAILING_BYLINE, TRAILING_BYLINE_WORDS

SENTENCE_MARKS = re.compile(r"[，。；！？]")  # header lines are lists of labels, not sentences
HEADER_WORDS = ("来源", "作者", "时间", "编辑", "发布", "日期", "浏览", "阅读", "点击", "提问")
HEADER_LABEL = re.compile(r"(?:来源|作者|时间|编辑|发布|日期|分类|标签|栏目)\s*[:：]")
SENTENCE_END = tuple("。！？!?…；;")


def squash(text: str) -> str:
    """Return text NFKC-normalised without whitespace, for comparisons only."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def ends_sentence(text: str) -> bool:
    """Return True when the text ends a sentence (a closing quote after 。 counts, a quoted phrase
    not)."""
    return text.rstrip("”’」』）)").endswith(SENTENCE_END)


def is_prose(text: str) -> bool:
    """Return True for a sentence-like line (long enough, with Chinese punctuation)."""
    return len(text) >= 15 and any(ch in "，。！？；" for ch in text)


def similarity(text: str, other: str) -> float:
    """Return the share of text's characters that also occur in other (both squashed)."""
    a, b = Counter(squash(text)), Counter(other)
    return sum((a & b).values()) / max(sum(a.values()), 1)


def is_header_line(text: str) -> bool:
    """Return True for a short meta line: a date with labels, or a lone date."""
    if len(text) > 160 or not DATE_RE.search(text):
        return False
    rest = DATE_RE.sub("", text)
    if len(rest) <= 20 or HEADER_LABEL.search(rest):
        return True
    # A label word without a colon marks a header line only in a short line: a sentence may
    # well say 发布《规定》 next to a date.
    return (
        len(text) <= 60 and not SENTENCE_MARKS.search(text) and any(k in rest for k in HEADER_WORDS)
    )


def timed_header(text: str) -> bool:
    """Return True for a header line that gives a date with its time."""
    return is_header_line(text) and any(has_time for _, _, has_time in find_dates(text))


def strip_byline(lines: list[str]) -> str | None:
    """Remove a byline glued to the end of the last paragraph, like （钟才文）; return it."""
    if not lines:
        return None
    m = TRAILING_BYLINE.search(lines[-1])
    inner = m.group(0)[1:-1].strip() if m else ""
    if not m or not TRAILING_BYLINE_WORDS.search(inner):
        return None
    rest = lines[-1][: m.start()].rstrip()
    if rest and not rest.endswith(END_PUNCT):
        return None
    if rest:
        lines[-1] = rest
    else:
        lines.pop()
    return inner
