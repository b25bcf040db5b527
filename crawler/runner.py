"""Run crawl jobs in this process: locks, resumable job folders, the run summary and its health."""

from __future__ import annotations

import json
import os
import re
import shutil
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.utils.project import get_project_settings

from crawler.archive.runs import STOPPED_STATUS
from crawler.archive.schema import open_archive, transaction
from crawler.health import COMPLETE, HealthRules, Problem, exit_status, fill_drops, run_problems
from crawler.lock import job_lock
from crawler.sites import SITES, Site, get_site, site_for_start_urls


@dataclass
class RunSummary:
    """What one invocation did: pages fetched, articles stored, reprints, failures."""

    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    reprints: int = 0
    failures: int = 0
    articles_total: int = 0
    stories_total: int = 0
    reprints_total: int = 0
    problems: list[Problem] = field(default_factory=list)
    timed_out: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Return the summary as short human-readable lines."""
        return [
            f"pages fetched:       {self.pages}",
            f"articles stored:     {self.new} new, {self.updated} updated, "
            f"{self.unchanged} unchanged",
            f"reprints recognised: {self.reprints} this run",
            f"failures:            {self.failures}",
            f"archive now holds:   {self.articles_total} articles in {self.stories_total} stories "
            f"({self.reprints_total} reprint copies)",
        ] + [
            f"stopped at the time limit: {', '.join(self.timed_out)} (the next run resumes there)"
        ] * bool(self.timed_out)

    @property
    def exit_status(self) -> int:
        """Return the exit status for cron (see crawler.health)."""
        return exit_status(self.problems)


@dataclass
class Job:
    """One site to crawl: the spider that crawls it and the spider's arguments."""

    site: Site
    spider: str
    kwargs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_site(cls, slug: str) -> Job:
        """Return the job of a registered site; KeyError for an unknown one."""
        return cls(get_site(slug), slug)  # the spider loader makes a spider of every site

    @classmethod
    def for_start_urls(cls, urls: list[str]) -> Job:
        """Return the job crawling the portal at `urls` (registered or not); ValueError if bad."""
        site = site_for_start_urls(urls)
        if SITES.get(site.slug) == site:
            return cls(site, site.slug)
        return cls(site, "portal", {"start_urls": ",".join(urls)})

    def folder(self, db_path: str | os.PathLike[str]) -> Path:
        """Return the job folder next to the archive: lock, run marker and Scrapy JOBDIR."""
        return Path(db_path).resolve().parent / "jobs" / re.sub(r"[^\w.-]", "_", self.site.slug)


def project_settings(overrides: dict[str, Any]) -> Any:
    """Return the legalnews Scrapy settings with `overrides` applied."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.setdict(overrides, priority="cmdline")
    return settings


def prepare_folder(folder: Path) -> bool:
    """Make the job folder ready; return True when the last run did not finish (resume).

    A run stopped cleanly (SIGINT, SIGTERM) leaves Scrapy's JOBDIR with `active.json` and
    resumes from its request queue. A run killed outright leaves a JOBDIR whose seen-set
    knows requests its lost queue never fetched: that one is discarded, and the resumed
    run walks the lists again while delta-fetch skips every article already stored.
    """
    jobdir = folder / "scrapy"
    if jobdir.exists() and not (jobdir / "requests.queue" / "active.json").exists():
        shutil.rmtree(jobdir)
    marker = folder / "running"
    resume = marker.exists()
    marker.touch()
    return resume


def finish_folder(folder: Path, finish_reason: str | None) -> None:
    """Forget the job state after a complete run; keep it after a clean stop to resume.

    A run stopped by its time limit is complete for its health, but its queue is kept.
    """
    if finish_reason in COMPLETE and finish_reason not in STOPPED_STATUS:
        shutil.rmtree(folder / "scrapy", ignore_errors=True)
        (folder / "running").unlink(missing_ok=True)


def run_jobs(jobs: list[Job], db_path: str, overrides: dict[str, Any] | None = None) -> RunSummary:
    """Crawl `jobs` into `db_path` (raises AlreadyRunning when one is locked); return the
    summary."""
    db = open_archive(db_path)
    last_run = db.execute("SELECT coalesce(max(id), 0) FROM crawl_runs").fetchone()[0]
    settings = project_settings({"ARCHIVE_PATH": str(db_path), **(overrides or {})})
    crawlers: list[tuple[Job, Crawler, Path]] = []
    with ExitStack() as stack:
        for job in jobs:
            stack.enter_context(job_lock(job.folder(db_path) / "lock", job.site.slug))
        with transaction(db):  # runs of these jobs still marked running were killed
            db.execute(
                f"UPDATE crawl_runs SET status = 'interrupted' WHERE status = 'running' "
                f"AND sites IN ({', '.join('?' * len(jobs))})",
                [job.site.slug for job in jobs],
            )
        db.conn.close()
        process = CrawlerProcess(settings)
        for job in jobs:
            folder = job.folder(db_path)
            resume = prepare_folder(folder)
            crawler = process.create_crawler(job.spider)
            if settings.getbool("JOB_QUEUE_ON_DISK"):
                crawler.settings.set("JOBDIR", str(folder / "scrapy"), priority="cmdline")
            if resume:
                crawler.settings.set("DELTAFETCH_STOP_PAGINATION", False, priority="cmdline")
            crawlers.append((job, crawler, folder))
            process.crawl(crawler, **job.kwargs)
        process.start()
        problems = record_outcomes(
            db_path,
            crawlers,
            HealthRules(
                fill_drop=settings.getfloat("HEALTH_FILL_DROP"),
                baseline_runs=settings.getint("HEALTH_BASELINE_RUNS"),
                min_articles=settings.getint("HEALTH_MIN_ARTICLES"),
            ),
        )
    summary = summarise(db_path, last_run)
    summary.problems = problems
    return summary


def record_outcomes(
    db_path: str, crawlers: list[tuple[Job, Crawler, Path]], rules: HealthRules
) -> list[Problem]:
    """Save each run's final stats (with finish_reason) and return the health problems."""
    db = open_archive(db_path)
    problems: list[Problem] = []
    for job, crawler, folder in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        finish_folder(folder, stats.get("finish_reason"))
        run_id = stats.get("archive/run_id")
        if run_id is None:
            problems.append(Problem(1, job.site.slug, "the run did not start"))
            continue
        with transaction(db):
            db.execute(
                "UPDATE crawl_runs SET stats = ?, status = coalesce(?, status) WHERE id = ?",
                [
                    json.dumps(stats, ensure_ascii=False, default=str),
                    STOPPED_STATUS.get(stats.get("finish_reason")),
                    run_id,
                ],
            )
        problems += run_problems(stats, job.site.slug, rules)
        problems += fill_drops(db, run_id, job.site.slug, stats, rules)
    db.conn.close()
    return problems


def summarise(db_path: str, after_run_id: int) -> RunSummary:
    """Return the totals of the runs after `after_run_id` and of the whole archive."""
    db = open_archive(db_path)
    row = db.execute(
        "SELECT coalesce(sum(pages),0), coalesce(sum(articles_new),0), "
        "coalesce(sum(articles_updated),0), coalesce(sum(articles_unchanged),0), "
        "coalesce(sum(reprints),0), coalesce(sum(failures),0) "
        "FROM crawl_runs WHERE id > ?",
        [after_run_id],
    ).fetchone()
    summary = RunSummary(*row)
    summary.articles_total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    summary.stories_total = db.execute("SELECT count(*) FROM stories").fetchone()[0]
    summary.reprints_total = db.execute(
        "SELECT coalesce(sum(copies - 1), 0) FROM stories WHERE copies > 1"
    ).fetchone()[0]
    summary.timed_out = [
        site
        for (site,) in db.execute(
            "SELECT sites FROM crawl_runs WHERE id > ? AND status = 'time limit' ORDER BY id",
            [after_run_id],
        )
    ]
    db.conn.close()
    return summary
