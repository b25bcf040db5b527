"""The health of a run: failed sites, empty sites, fill-rate drops; exit statuses for cron."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

EXIT_OK = 0
EXIT_SITE_FAILED = (
    1  # a site failed (run ended early, nothing fetched, most pages failed) or had no articles
)
EXIT_USAGE = 2  # bad arguments or an archive that cannot be written
EXIT_ALREADY_RUNNING = 3  # another run of the same job holds its lock
EXIT_FILL_DROP = 4  # a field's fill rate for a site dropped sharply: a template change

COMPLETE = ("finished", "closespider_pagecount", "closespider_itemcount", "closespider_timeout")


@dataclass
class Problem:
    """One reason a run is unhealthy, with the exit status it maps to."""

    code: int
    site: str
    reason: str

    def line(self) -> str:
        """Return the one-line message for cron mail."""
        return f"{self.site}: {self.reason}"


@dataclass(frozen=True)
class HealthRules:
    """Thresholds of the fill-rate check (HEALTH_* settings)."""

    fill_drop: float = 0.3
    baseline_runs: int = 5
    min_articles: int = 5
    max_failure_rate: float = 0.5


def failure_kind(reason: str) -> str:
    """Return the category of a failure reason: `HTTP 404` -> http_404, `TimeoutError: ...` ->
    TimeoutError."""
    if reason.startswith("HTTP "):
        return "http_" + reason[5:].split()[0]
    head = re.split(r"[:(]", reason, maxsplit=1)[0].strip()
    return re.sub(r"\W+", "_", head).strip("_") or "unknown"


def fill_rates(stats: dict[str, Any], site: str) -> tuple[int, dict[str, float]]:
    """Return the number of validated articles of `site` and the fill rate of each field."""
    articles = int(stats.get(f"fields/{site}/articles", 0))
    prefix = f"fields/{site}/"
    fields = {k.split("/")[-1] for k in stats if k.startswith(prefix) and k.count("/") == 3}
    if not articles:
        return 0, {}
    return articles, {f: stats.get(f"{prefix}filled/{f}", 0) / articles for f in sorted(fields)}


def run_problems(stats: dict[str, Any], site: str, rules: HealthRules) -> list[Problem]:
    """Return why a finished run of `site` failed or found no articles (empty when fine)."""
    reason = stats.get("finish_reason", "unknown")
    if reason not in COMPLETE:
        return [Problem(EXIT_SITE_FAILED, site, f"run ended early ({reason})")]
    pages = int(stats.get("response_received_count", 0))
    ok = int(stats.get("downloader/response_status_count/200", 0))
    failures = sum(int(v) for k, v in stats.items() if k.startswith("failures/"))
    if not ok:
        return [Problem(EXIT_SITE_FAILED, site, f"no page could be fetched ({failures} failures)")]
    if pages and failures / pages > rules.max_failure_rate:
        return [Problem(EXIT_SITE_FAILED, site, f"{failures} of {pages} pages failed")]
    seen = sum(
        int(stats.get(k, 0))
        for k in ("archive/new", "archive/updated", "archive/unchanged", "deltafetch/skipped")
    )
    if not seen:
        return [Problem(EXIT_SITE_FAILED, site, f"no articles found ({pages} pages fetched)")]
    return []


def fill_drops(
    db: Database, run_id: int, site: str, stats: dict[str, Any], rules: HealthRules
) -> list[Problem]:
    """Return the fields whose fill rate fell sharply against the recent runs of `site`."""
    articles, rates = fill_rates(stats, site)
    if articles < rules.min_articles:
        return []
    baseline: list[dict[str, float]] = []
    rows = db.execute(
        "SELECT stats FROM crawl_runs WHERE sites = ? AND id < ? AND stats IS NOT NULL "
        "ORDER BY id DESC LIMIT 100",
        [site, run_id],
    ).fetchall()
    for (text,) in rows:
        count, past = fill_rates(json.loads(text), site)
        if count >= rules.min_articles:
            baseline.append(past)
        if len(baseline) == rules.baseline_runs:
            break
    problems = []
    for field, rate in rates.items():
        past = [b[field] for b in baseline if field in b]
        if not past:
            continue
        mean = sum(past) / len(past)
        if mean - rate >= rules.fill_drop:
            problems.append(
                Problem(
                    EXIT_FILL_DROP,
                    site,
                    f"field {field} filled in {rate:.0%} of {articles} articles, was {mean:.0%} "
                    f"in the last {len(past)} runs (template change?)",
                )
            )
    return problems


def exit_status(problems: list[Problem]) -> int:
    """Return the exit status for `problems`: a failed site outranks a fill-rate drop."""
    if not problems:
        return EXIT_OK
    return min(p.code for p in problems)
