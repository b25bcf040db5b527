"""The signature under a notice, bulletin or announcement: issuer, signed date, notes,
attachments."""

from __future__ import annotations

import re

from .dom import Stream

SIGNATURE_LINES = 5  # issuer, date, publication note, attachments
_NUM = "[0-9〇零○Ｏ一二三四五六七八九十]"
_SIGNED = rf"(?:19|20|一九|二[〇零○Ｏ]){_NUM}{{2}}\s*年\s*{_NUM}{{1,2}}\s*月\s*{_NUM}{{1,3}}\s*日"
SIGNED_DATE = re.compile(rf"^\s*{_SIGNED}\s*$")  # 2023年5月4日, 二〇二一年三月十二日
SIGNATURE_LINE = re.compile(
    rf"^\s*(?:[\u4e00-\u9fa5（）()]{{4,30}}|{_SIGNED}|[（(][\u4e00-\u9fa5]{{2,12}}[）)]|附件\s*\d?\s*[:：].{{1,80}})\s*$"
)


def signature_tail(stream: Stream, start: int) -> tuple[list[tuple[int, str]], str | None]:
    """Return the signature lines from start on (stream index, text) and their signed date, if
    any."""
    tail: list[tuple[int, str]] = []
    pos = start
    while pos < len(stream.blocks) and len(tail) < SIGNATURE_LINES:
        text = stream.blocks[pos].text
        if stream.blocks[pos].img is None and text:
            if not SIGNATURE_LINE.match(text):
                break
            tail.append((pos, text))
        pos += 1
    signed = next((text for _, text in tail if SIGNED_DATE.match(text)), None)
    return (tail, signed) if signed else ([], None)


_DIGITS = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}


def _number(text: str) -> str:
    """Return Chinese numerals as Arabic digits: 二〇二一 -> 2021, 十二 -> 12, 三十一 -> 31."""
    if "十" not in text:
        return "".join(str(_DIGITS.get(ch, ch)) for ch in text)
    tens, _, units = text.partition("十")
    return str(_DIGITS.get(tens, 1) * 10 + (_DIGITS.get(units, 0) if units else 0))


def arabic_date(text: str) -> str:
    """Return a signed date with Arabic digits (二〇二一年三月十二日 -> 2021年3月12日) for the date
    finder."""
    return re.sub(r"[〇零○Ｏ一二三四五六七八九十]+", lambda m: _number(m.group(0)), text)
