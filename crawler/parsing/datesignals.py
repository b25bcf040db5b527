"""Publication-date signals beside the shown text: URL, <time>, year-less dates, htmldate."""

from __future__ import annotations

import datetime as dt
import logging
import re
from urllib.parse import urlsplit

from .dates import find_dates, parse_machine_date, to_iso

log = logging.getLogger(__name__)

# Dates CMSs put in article paths: /2019-09-24/, /20200911/, /t20220621_, /2022/06/21/, /202206/21/.
URL_DATE = re.compile(
    r"(?<![0-9])(?P<y>(?:19|20)\d{2})(?P<sep>[-/_]?)(?P<m>[01]\d)(?:(?P=sep)|/)(?P<d>[0-3]\d)(?![0-9])"
)
# A shown date without its year: 09-30 22:46, 9月30日 10:05, 09/30 22:46 (a time is required
# after a numeric month-day, so page numbers and scores are not read as dates).
YEARLESS = re.compile(
    r"(?<![\d年/.-])(?P<m>[01]?\d)(?:月(?P<d1>[0-3]?\d)日|[-/](?P<d2>[0-3]?\d)(?=\s+[0-2]?\d[:：])"
    r"|[-/](?P<d3>[0-3]\d)(?=[0-2]\d[:：][0-5]\d))"  # 09-3022:46: day and time in glued spans
    r"(?:\s*(?P<H>[0-2]?\d)[:：](?P<M>[0-5]\d)(?![\d:：]))?"
)
# Publication times that templates fill in with JavaScript: var publish_time = "2022-06-21",
# "publishTime":"2021-09-30 22:46:23", var ct = "1655776800" (a Unix time).
SCRIPT_DATE = re.compile(
    r"""["']?\b(?:publish_?time|publish_?date|pub_?time|pub_?date|date_?published|first_?publish_?time|ct)\b["']?"""
    r"""\s*[:=]\s*["'](?P<v>[^"'\n]{8,32})["']""",
    re.I,
)
_EARLIEST = 1995  # the web's Chinese news archives start here


def url_date(url: str | None) -> str | None:
    """Return the date written in an article URL's path, as YYYY-MM-DD."""
    try:
        path = urlsplit(url or "").path
    except ValueError:
        return None
    for m in URL_DATE.finditer(path):
        try:
            day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            continue
        if _EARLIEST <= day.year <= dt.date.today().year + 1:
            return day.isoformat()
    return None


def time_element_date(root) -> str | None:
    """Return the date of the first <time datetime> or itemprop=datePublished element."""
    if root is None:
        return None
    found = root.xpath(
        "//*[@itemprop='datePublished']/@datetime | //*[@itemprop='datePublished']/@content"
        " | //time[@pubdate]/@datetime | //time/@datetime"
    )
    for value in found[:5]:
        parsed = parse_machine_date(str(value))
        if parsed:
            return parsed
    return None


def script_date(root) -> str | None:
    """Return a publication time assigned in an inline script (for pages that fill it in by JS)."""
    if root is None:
        return None
    for script in root.iter("script"):
        text = script.text or ""
        if len(text) > 200_000:
            continue
        for m in SCRIPT_DATE.finditer(text):
            found = parse_machine_date(m["v"])
            if found and int(found[:4]) >= _EARLIEST:
                return found
    return None


def yearless_date(text: str, year_of: str | None) -> str | None:
    """Return a shown month-day (and time) completed with the year of another signal."""
    if not year_of:
        return None
    for m in YEARLESS.finditer(text):
        day = m["d1"] or m["d2"] or m["d3"]
        try:
            when = dt.datetime(
                int(year_of[:4]), int(m["m"]), int(day), int(m["H"] or 0), int(m["M"] or 0)
            )
        except ValueError:
            continue
        return to_iso(when, m["H"] is not None, False)
    return None


def as_displayed(machine: str, text: str) -> str:
    """Return a machine date at the precision the page shows it: the shown day alone drops the
    time."""
    if "T" not in machine:
        return machine
    day_shown = False
    for _, iso, has_time in find_dates(text):
        if iso[:10] != machine[:10]:
            continue
        if has_time and iso[11:16] == machine[11:16]:
            return iso  # shown with its time: as shown (seconds only if shown)
        day_shown = day_shown or not has_time
    return machine[:10] if day_shown else machine


def htmldate_fallback(document: str) -> str | None:
    """Return the date htmldate finds in the document (original date, no guessing from today)."""
    from htmldate import find_date  # imported here: it adds ~75 ms to importing crawler.parsing

    try:
        found = find_date(document, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate on a hostile tree must not cost the article
        log.debug("htmldate failed", exc_info=True)
        return None
    return found if found and int(found[:4]) >= _EARLIEST else None
