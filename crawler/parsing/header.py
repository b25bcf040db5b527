"""Read 来源 / 作者 / 编辑 / 原文链接 values out of header and footer lines."""

from __future__ import annotations

import re

from .dates import DATE_RE
from .patterns import (
    ANONYMOUS,
    AUTHOR_BIO_RE,
    AUTHOR_RANK_RE,
    AUTHOR_RE,
    BBS_POSTER,
    BLOG_OWNER,
    BRACKETED_NAME,
    BYLINE_NAME,
    COMPOUND_SURNAMES,
    DATELINE_BYLINE_RE,
    EDITOR_CODE,
    EDITOR_RE,
    LABEL_WORDS,
    NAME_TITLE,
    NOT_OUTLET,
    ORG_NAME,
    ORIGINAL_URL_RE,
    OUTLET_END,
    PLAIN_EDITOR_RE,
    POSTER_RE,
    REPORTER_RE,
    ROLE_NAMES,
    ROLE_PREFIX,
    SOURCE_PREFIX_RE,
    SOURCE_RE,
    SOURCE_THEN_NAME,
    SURNAMES,
    UNIT_PERSON,
)

_ADJACENT = re.compile(r"^[\s·|丨]*([\u4e00-\u9fa5A-Za-z0-9]+?)(?=[\s·|丨]|$)")
# After the date a label may follow the outlet glued (新京报作者：…); before it, a colon means a
# label's value.
_ADJACENT_AFTER = re.compile(r"^[\s·|丨]*([\u4e00-\u9fa5A-Za-z0-9]+?)(?=[\s·|丨:：]|$)")
_NOT_SOURCE = re.compile(
    r"发布|发表|时间|日期|作者|编辑|记者|浏览|阅读|点击|字号|评论|分享|^\d|北京|上海|广州|深圳|发于|更新|来自|参与|楼主|星期|微信|微博|手机|收藏|客户端|APP|App"
)
# Page buttons glued to a header value by adjacent inline elements: 东江日报参与评论.
_UI_SUFFIX = re.compile(
    r"(?:参与评论|我要评论|发表评论|评论|分享到?|收藏|打印|举报|纠错|字号)\s*\d*$"
)
_MASTHEAD = re.compile(r"(?:^|\s)(?P<v>[\u4e00-\u9fa5]{1,8}报)[\s·|]*(?:19|20)\d{2}\s*年", re.M)
_CITY_SUFFIX = re.compile(r"[（(][\u4e00-\u9fa5]{2,4}[)）]$")
_EDGE = re.compile(r"^[\s:：【\[（(]+|[\s】\]）),，、:：]+$")
_NAME_SPLIT = re.compile(r"\s*[、，,;；/:：]\s*|\s+")
_NET_NAME = re.compile(r"^[\u4e00-\u9fa5A-Za-z0-9_·]{2,12}$")
_NAME = re.compile(r"^[\u4e00-\u9fa5·]{1,5}$|^[A-Za-z][A-Za-z0-9_.\- ]{1,30}$")


def clean_value(value: str | None) -> str | None:
    """Trim brackets, colons and spaces around a header value."""
    value = _EDGE.sub("", value or "")
    return value or None


def find_source(text: str) -> str | None:
    """Return the outlet named after a 来源 label, without a trailing (city)."""
    for regex in (SOURCE_RE, SOURCE_PREFIX_RE):
        for m in regex.finditer(text):
            if text[text.rfind("\n", 0, m.start()) + 1 : m.start()].lstrip().startswith("※"):
                continue  # ※ 来源: a BBS station's origin line, not an outlet
            value = clean_value(
                _UI_SUFFIX.sub("", _CITY_SUFFIX.sub("", m["v"] or m.groupdict().get("w") or ""))
            )
            if _outlet(value) and not value.endswith(
                ("作者", "用户", "网友")
            ):  # 某某号作者: a platform's user
                return value
    return None


def _outlet(value: str | None) -> bool:
    """Return True for a value that can name an outlet (not 本站 / 佚名, not a web address)."""
    return (
        bool(value)
        and value not in ANONYMOUS | NOT_OUTLET
        and not value.startswith(("http", "www"))
    )


def meta_source(metas: dict[str, str]) -> str | None:
    """Return the outlet <meta name=source> (with or without its 来源 label), ContentSource or
    mediaid names."""
    for key in ("source", "contentsource", "mediaid"):
        value = metas.get(key, "")
        found = (
            find_source(value)
            if re.search(r"[:：]", value)
            else clean_value(_CITY_SUFFIX.sub("", value))
        )
        if _outlet(found) and len(found) <= 30 and not found.isdigit():
            return found
    return None


def join_names(raw: str) -> str | None:
    """Return names joined with 、, merging names padded with a space (方 敏 -> 方敏)."""
    tokens = [_untitled(ROLE_PREFIX.sub("", t)) for t in _NAME_SPLIT.split(raw.strip())]
    tokens = [t for t in tokens if t]
    names: list[str] = []
    for tok in tokens:
        if names and len(tok) == 1 and len(names[-1]) == 1 and "\u4e00" <= tok <= "\u9fa5":
            names[-1] += tok
        elif names and len(tok) == 1 and len(names[-1]) == 1:
            names[-1] += tok
        else:
            names.append(tok)
    names = [
        n
        for n in names
        if _NAME.match(n)
        and n not in ANONYMOUS
        and n not in LABEL_WORDS
        and not (len(n) >= 3 and ORG_NAME.match(n))
    ]
    return "、".join(names) or None


def _net_name(value: str | None) -> bool:
    """Return True for a forum or blog user name given after a 作者 label (no label word, no
    department)."""
    if not value or not _NET_NAME.match(value) or ORG_NAME.match(value):
        return False
    return not any(word in value for word in LABEL_WORDS | {"责任", "日期", "提交"})


def _untitled(token: str) -> str:
    """Return a name without the title it carries (陈静律师 -> 陈静)."""
    bare = NAME_TITLE.sub("", token)
    return bare if bare != token and person_name(bare) else token


def find_author(text: str, lead: bool = False) -> str | None:
    """Return the byline names (作者 / 记者 / 文 / 编译), None for 佚名 or none shown."""
    regexes = (
        (DATELINE_BYLINE_RE,)
        if lead
        else (
            AUTHOR_RANK_RE,
            AUTHOR_RE,
            DATELINE_BYLINE_RE,
            REPORTER_RE,
            SOURCE_THEN_NAME,
            AUTHOR_BIO_RE,
        )
    )
    for regex in regexes:
        for m in regex.finditer(text):
            value = clean_value(m["v"])
            if value and value in ANONYMOUS:
                return None
            names = join_names(value or "")
            if not names and regex is AUTHOR_RE and _net_name(value):
                names = value  # a labelled net name: 作者：青石巷口的猫
            if names:
                return _with_colleagues(text, m, names) if regex is REPORTER_RE else names
    return None


def _with_colleagues(text: str, m: re.Match, names: str) -> str:
    """Return the names of every 记者 / 通讯员 on the matched line, in page order."""
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n", m.end())
    line = text[start : end if end >= 0 else len(text)]
    found = [join_names(r["v"]) for r in ROLE_NAMES.finditer(line)]
    found = [n for n in found if n]
    return "、".join(dict.fromkeys("、".join(found).split("、"))) if len(found) > 1 else names


def poster_name(text: str) -> str | None:
    """Return a forum poster's or blog owner's net name given after 楼主 / 博主 / 发帖人."""
    m = BBS_POSTER.search(text) or POSTER_RE.search(text)
    value = clean_value(m["v"] or m.groupdict().get("w")) if m else None
    return value if value and value not in ANONYMOUS else None


def blog_owner(title: str) -> str | None:
    """Return the owner named in a blog's title: 张明远的博客, 文章标题_张明远_新浪博客."""
    if not re.search(r"博客|blog|空间|日志", title, re.I):
        return None
    for part in reversed(re.split(r"\s*[_|｜]\s*|\s+-\s+", title)[1:] or [title]):
        m = BLOG_OWNER.match(part.strip())
        if m:
            return m["v"]
    m = re.search(r"_(?P<v>[^_]{2,12})_(?:新浪博客|博客)", title)
    return m["v"] if m else None


def bracketed_name(text: str, source: str | None) -> str | None:
    """Return a bare name in brackets on a header line with a date: 2004年7月16日08:19 [ 黄宇 ]."""
    for line in text.splitlines():
        if len(line) > 100 or not DATE_RE.search(line):
            continue
        for m in BRACKETED_NAME.finditer(line):
            name = m["v"]
            if name != source and person_name(name):
                return name
    return None


def person_name(text: str | None) -> bool:
    """Return True for a bare Chinese personal name: 2-4 characters led by a common surname."""
    text = (text or "").strip()
    if not 2 <= len(text) <= 4 or not all("\u4e00" <= ch <= "\u9fa5" for ch in text):
        return False
    if text in LABEL_WORDS or OUTLET_END.search(text):
        return False
    return text[0] in SURNAMES or text[:2] in COMPOUND_SURNAMES


def bare_name(text: str, lines: int = 2) -> str | None:
    """Return a person's name standing alone on one of the first lines under the headline."""
    for line in text.splitlines()[:lines]:
        if person_name(line):
            return line.strip()
    return None


def byline_name(inner: str | None) -> str | None:
    """Return the names of a byline cut from a paragraph end: 钟才文, 编译/林靖东."""
    inner = (inner or "").strip()
    unit = UNIT_PERSON.match(inner)
    if unit:
        return unit["v"]
    m = BYLINE_NAME.match(inner)
    return join_names(m["v"]) if m else None


def find_editor(text: str) -> str | None:
    """Return the 责任编辑 (else the 编辑) names, without portal codes after a name."""
    for regex in (EDITOR_RE, PLAIN_EDITOR_RE):
        for m in regex.finditer(text):
            value = clean_value(m["v"] or m.groupdict().get("w")) or ""
            if re.search(r"[\u4e00-\u9fa5]", value):
                value = EDITOR_CODE.sub("", value)
            names = join_names(value)
            if names:
                return names
    return None


def find_original_url(text: str) -> str | None:
    """Return the URL given after 原文链接."""
    m = ORIGINAL_URL_RE.search(text)
    return m["v"].rstrip("。，,;；)）]】") if m else None


def unlabelled_source(text: str) -> str | None:
    """Return an outlet name printed right next to the date without a label
    (2024-05-09 22:30·新华社)."""
    for line in text.splitlines():
        m = DATE_RE.search(line)
        if not m or len(line) > 80 or "来源" in line:
            continue
        for side, backwards in ((line[m.end() :], False), (line[: m.start()][::-1], True)):
            token = (_ADJACENT if backwards else _ADJACENT_AFTER).match(side)
            value = token.group(1) if token else ""
            if backwards:
                value = value[::-1]
            elif token and side[token.end() :].lstrip()[:1] in (":", "："):
                value = _before_label(
                    value
                )  # 栏目：… is a label; 新京报作者：… an outlet before one
            if 2 <= len(value) <= 12 and not _NOT_SOURCE.search(value):
                return value
    return None


def masthead_paper(text: str) -> str | None:
    """Return a newspaper named beside the date at the top of its digital edition
    (淮滨日报　2010年06月08日)."""
    m = _MASTHEAD.search(text)
    return m["v"] if m else None


def _before_label(token: str) -> str:
    """Return an outlet name without a label glued to its end (新京报作者 -> 新京报)."""
    for word in ("作者", "来源", "编辑", "记者", "通讯员"):
        if token.endswith(word) and len(token) > len(word):
            return token[: -len(word)]
    return ""
