"""Locate publication dates in Chinese page text and meta data; return ISO 8601 in Beijing time."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable

from crawler.clock import BEIJING

# One pattern for every common displayed form: 2022-06-21, 2022年06月21日 10:30,
# 2022/6/21 08:00:01, 2022.06.21, 2024 05/09 22:27:02, 10时30分, 格林尼治标准时间10:41.
DATE_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:[-/.年]|\s)\s*(?P<m>[01]?\d)\s*[-/.月]\s*(?P<d>[0-3]?\d)"
    r"(?!\d)\s*[日号]?"
    r"(?:[\sT,，]*(?:(?P<gmt>格林尼治标准时间|格林威治标准时间|GMT|UTC)\s*)?"
    r"(?:(?P<ampm>上午|下午|晚上|凌晨|早上|中午)\s*)?"
    r"(?P<H>[0-2]?\d)\s*(?:[:：]|时|点)\s*(?P<M>[0-5]\d)"
    r"(?:\s*[:：]\s*(?P<S>[0-5]\d)(?:\.\d+)?|\s*分(?:\s*(?P<S2>[0-5]\d)\s*秒)?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
CTIME_RE = re.compile(
    r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+(?P<mon>" + "|".join(_MONTHS) + r")\s+(?P<d>[0-3]?\d)\s+"
    r"(?P<H>[0-2]?\d):(?P<M>[0-5]\d):(?P<S>[0-5]\d)\s+(?P<y>(?:19|20)\d{2})\b",
    re.I,
)
# Meta names that carry the publication time, in order of trust.
META_DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "pubdate",
    "publishdate",
    "publish_date",
    "publishtime",
    "published_time",
    "datepublished",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "date",
    "sailthru.date",
    "article.published",
    "og:release_date",
    "weibo:article:create_at",
    "firstpublishedtime",
    "article:modified_time",
    "lastmodifiedtime",
)
JSONLD_KEYS = ("datePublished", "pubDate", "dateCreated", "uploadDate", "dateModified")
_MIN_YEAR, _MAX_YEAR = 1990, 2100
_PM = frozenset({"下午", "晚上"})


def _build(m: re.Match) -> tuple[dt.datetime, bool, bool] | None:
    """Return (datetime in Beijing time, has_time, has_seconds) for a regex match."""
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        return None
    has_time = m["H"] is not None
    hour = int(m["H"]) if has_time else 0
    if has_time and m["ampm"] in _PM and hour < 12:
        hour += 12
    try:
        when = dt.datetime(y, mo, d, hour, int(m["M"] or 0), int(m["S"] or m["S2"] or 0))
    except ValueError:
        return None
    tz = m["tz"]
    if m["gmt"] or tz:
        offset = 0
        if tz and tz != "Z":
            sign = 1 if tz[0] == "+" else -1
            offset = sign * (int(tz[1:3]) * 60 + int(tz[-2:]))
        when = when.replace(tzinfo=dt.timezone(dt.timedelta(minutes=offset))).astimezone(BEIJING)
    return when.replace(tzinfo=None), has_time, (m["S"] or m["S2"]) is not None


def to_iso(when: dt.datetime, has_time: bool, has_seconds: bool) -> str:
    """Format as 2022-06-21, 2022-06-21T10:30+08:00 or 2022-06-21T10:30:05+08:00."""
    if not has_time:
        return when.date().isoformat()
    fmt = "%Y-%m-%dT%H:%M:%S" if has_seconds else "%Y-%m-%dT%H:%M"
    return when.strftime(fmt) + "+08:00"


def find_dates(text: str) -> list[tuple[int, str, bool]]:
    """Return (position, ISO string, has_time) for every plausible date in the text."""
    found = []
    for m in DATE_RE.finditer(text):
        built = _build(m)
        if built:
            found.append((m.start(), to_iso(*built), built[1]))
    if "20" in text or "19" in text:
        found += _ctime_dates(text)
        found.sort()
    return found


def _ctime_dates(text: str) -> list[tuple[int, str, bool]]:
    """Return the dates written as C's ctime does (BBS and mail headers): Tue Mar 16 21:03:11
    2004."""
    found = []
    for m in CTIME_RE.finditer(text):
        try:
            when = dt.datetime(
                int(m["y"]),
                _MONTHS.index(m["mon"].title()) + 1,
                int(m["d"]),
                int(m["H"]),
                int(m["M"]),
                int(m["S"]),
            )
        except ValueError:
            continue
        found.append((m.start(), to_iso(when, True, True), True))
    return found


def first_date(text: str) -> str | None:
    """Return the first date in the text as ISO 8601, or None."""
    found = find_dates(text)
    return found[0][1] if found else None


def parse_machine_date(value: str) -> str | None:
    """Parse a meta / JSON-LD value (ISO, RFC 2822, Chinese); dateparser only as last resort."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit() and len(value) in (10, 13):
        stamp = int(value[:10])
        when = dt.datetime.fromtimestamp(stamp, BEIJING).replace(tzinfo=None)
        return to_iso(when, True, when.second != 0)  # a time on the minute was set to the minute
    located = first_date(value) or _dateparser(value)
    # Machine values carry seconds by format: 08:15:00 says 08:15, as the page would show it.
    return (
        located.replace(":00+08:00", "+08:00") if located and located.count(":") == 3 else located
    )


def _dateparser(value: str) -> str | None:
    """Hand one located non-numeric date string to dateparser."""
    import dateparser  # imported here: it adds ~60 ms to importing crawler.parsing

    parsed = dateparser.parse(
        value[:64], settings={"TO_TIMEZONE": "Asia/Shanghai", "RETURN_AS_TIMEZONE_AWARE": True}
    )
    if parsed is None or not _MIN_YEAR <= parsed.year <= _MAX_YEAR:
        return None
    has_time = (parsed.hour, parsed.minute, parsed.second) != (0, 0, 0)
    return to_iso(parsed.replace(tzinfo=None), has_time, parsed.second != 0)


def meta_date(metas: dict[str, str]) -> str | None:
    """Return the publication date named by the first trusted meta tag."""
    for key in META_DATE_KEYS:
        if metas.get(key):
            found = parse_machine_date(metas[key])
            if found:
                return found
    return None


def jsonld_date(scripts: Iterable[str]) -> str | None:
    """Return datePublished (or a close key) from JSON-LD script texts."""
    for raw in scripts:
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        found = _walk_jsonld(data, 0)
        if found:
            return found
    return None


def _walk_jsonld(data: object, depth: int) -> str | None:
    if depth > 6:
        return None
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict):
        for key in JSONLD_KEYS:
            if isinstance(data.get(key), str):
                found = parse_machine_date(data[key])
                if found:
                    return found
        items = list(data.values())
    else:
        return None
    for item in items:
        found = _walk_jsonld(item, depth + 1)
        if found:
            return found
    return None
