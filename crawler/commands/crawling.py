"""Commands that crawl and report on crawls: demo, crawl, sites, stats."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path

import click

from crawler.commands import check_db, db_option, fail, open_readonly
from crawler.health import EXIT_ALREADY_RUNNING
from crawler.sites import BUILTIN, SITES, Site, SitesFileError


@click.command()
@db_option("Archive to write.")
def demo(db: str) -> None:
    """Serve the bundled demo portals on 127.0.0.1 and crawl them into the archive.

    Example: legalnews demo --db archive.db
    """
    from crawler.demo.server import HOSTS, DemoPortals

    registered_sites()  # the archive seeds the outlets of every registered site
    check_db(db)
    with DemoPortals() as portals:
        click.echo(f"demo portals serving {', '.join(sorted(HOSTS))} via {portals.proxy_url}")
        summary = run_or_fail(
            [s.slug for s in BUILTIN], [], db, demo_settings(portals.proxy_url, list(HOSTS))
        )
    report(summary)
    click.echo(f"archive: {db}")


def registered_sites() -> Mapping[str, Site]:
    """Return the registered sites; exit 2 naming the LEGALNEWS_SITES file if it is unusable."""
    try:
        len(SITES)  # reads the file now, before anything is created
    except SitesFileError as exc:
        fail(str(exc))
    return SITES


def demo_settings(proxy_url: str, hosts: list[str]) -> dict:
    """Return settings that route the real hosts to the local demo server, politeness lifted."""
    return {
        "HOST_PROXY_URL": proxy_url,
        "HOST_PROXY_HOSTS": hosts,
        "HOST_PROXY_ONLY": True,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "LOG_LEVEL": "WARNING",
    }


def parse_settings(pairs: tuple[str, ...]) -> dict[str, str]:
    """Return `-s NAME=VALUE` pairs as a dict; exit 2 on a malformed pair or a mistyped value."""
    from crawler.overrides import parse_overrides

    try:
        return parse_overrides(pairs)
    except ValueError as exc:
        fail(str(exc))


DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$")


def parse_duration(text: str) -> float:
    """Return the seconds of a duration like 90, 90s, 10m or 1.5h; ValueError when it is not one."""
    match = DURATION.match(text.lower())
    if not match or float(match[1]) <= 0:
        raise ValueError(f"{text!r} is not a duration like 90 (seconds), 90s, 10m or 2h")
    return float(match[1]) * {"": 1, "s": 1, "m": 60, "h": 3600}[match[2]]


class Duration(click.ParamType):
    """A click type for parse_duration."""

    name = "DURATION"

    def convert(self, value, param, ctx) -> float:
        try:
            return parse_duration(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@click.command()
@click.argument("sites", nargs=-1)
@click.option(
    "--start-url",
    "start_urls",
    multiple=True,
    metavar="URL",
    help="Crawl the portal at URL, registered or not (repeat for more start pages).",
)
@db_option("Archive to write.")
@click.option("--max-pages", type=click.IntRange(min=1), help="Stop each site after N responses.")
@click.option(
    "--max-depth",
    type=click.IntRange(min=0),
    help="Follow links at most N steps from the start pages.",
)
@click.option(
    "--max-time",
    type=Duration(),
    help="Stop cleanly after DURATION (90, 90s, 10m, 2h); the next run resumes there.",
)
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False),
    help="Write the Scrapy log here (scheduled runs).",
)
@click.option("--refetch", is_flag=True, help="Fetch archived articles again (no delta-fetch).")
@click.option(
    "--demo",
    "use_demo",
    is_flag=True,
    help="Crawl the bundled demo portals instead of the real hosts.",
)
@click.option(
    "-s",
    "--set",
    "set_pairs",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a Scrapy setting.",
)
@click.option(
    "--redis",
    "redis_url",
    metavar="URL",
    help="Run as one worker of a crawl shared through Redis (redis://HOST:PORT/DB); "
    "`legalnews drain` stores what the workers fetch. --db is not used.",
)
def crawl(
    sites: tuple[str, ...],
    start_urls: tuple[str, ...],
    db: str,
    max_pages: int | None,
    max_depth: int | None,
    max_time: float | None,
    log_file: str | None,
    refetch: bool,
    use_demo: bool,
    set_pairs: tuple[str, ...],
    redis_url: str | None,
) -> None:
    """Crawl registered sites, or any portal from its start URLs, into the archive.

    Exit status: 0 healthy; 1 a site failed or found no articles; 2 bad arguments;
    3 another run of the same job is running; 4 a field's fill rate for a site dropped
    sharply against its recent runs (a template change). A non-zero status comes with
    one line per reason on stderr. A run stopped by --max-time is not a failure: its
    crawl_runs status is `time limit` and the next run resumes from its queue.

    Example: legalnews crawl fzzx lnfz --db archive.db --log-file crawl.log
    """
    registry = registered_sites()
    unknown = [s for s in sites if s not in registry]
    if unknown:
        fail(f"unknown site {', '.join(unknown)} (known: {', '.join(sorted(registry))})")
    if not sites and not start_urls:
        fail("name a registered site or give --start-url URL")
    settings = parse_settings(set_pairs)
    overrides: dict = {}
    if max_pages:
        overrides["CLOSESPIDER_PAGECOUNT"] = max_pages
    if max_depth is not None:
        overrides["DEPTH_LIMIT"] = max_depth
    if max_time:
        overrides["CLOSESPIDER_TIMEOUT"] = max_time
    if log_file:
        overrides.update(LOG_FILE=log_file, LOG_LEVEL="INFO", PROGRESS_ENABLED=False)
    elif sys.stderr.isatty():
        overrides["LOG_LEVEL"] = "WARNING"  # the progress lines say what happens
    if refetch:
        overrides["DELTAFETCH_ENABLED"] = False
    if log_file:
        make_log_folder(log_file)
    if not redis_url:
        check_db(db)
    if use_demo:
        from crawler.demo.server import HOSTS, DemoPortals

        with DemoPortals() as portals:
            overrides = {**demo_settings(portals.proxy_url, list(HOSTS)), **overrides, **settings}
            summary = run_or_fail(list(sites), list(start_urls), db, overrides, redis_url)
    else:
        summary = run_or_fail(
            list(sites), list(start_urls), db, {**overrides, **settings}, redis_url
        )
    report(summary)
    sys.exit(summary.exit_status)


def make_log_folder(log_file: str) -> None:
    """Create the folder of the log file (cron lines name a logs/ folder); exit 2 if it cannot
    be."""
    folder = Path(log_file).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"--log-file {log_file}: cannot create folder {folder}: {exc.strerror or exc}")


def run_or_fail(
    sites: list[str], start_urls: list[str], db: str, overrides: dict, redis_url: str | None = None
):
    """Run the jobs (as a Redis worker with `redis_url`); exit 2 on a bad start URL, 3 when already
    running."""
    from crawler.lock import AlreadyRunning
    from crawler.runner import Job, run_jobs

    try:
        jobs = [Job.for_site(s) for s in sites]
        if start_urls:
            jobs.append(Job.for_start_urls(list(start_urls)))
    except ValueError as exc:
        fail(str(exc))
    if redis_url:
        from crawler.commands.distributed import crawl_worker

        crawl_worker(jobs, redis_url, overrides)  # exits
    try:
        return run_jobs(jobs, db, overrides)
    except AlreadyRunning as exc:
        fail(str(exc), EXIT_ALREADY_RUNNING)


def report(summary) -> None:
    """Print the summary on stdout and each health problem as one line on stderr."""
    for line in summary.lines():
        click.echo(line)
    for problem in summary.problems:
        click.echo(f"Unhealthy: {problem.line()}", err=True)


@click.command(name="sites")
def sites_command() -> None:
    """List the registered sites: slug, name, spider, hosts, start pages.

    Extra sites come from the TOML or JSON file named by LEGALNEWS_SITES.

    Example: legalnews sites
    """
    from crawler.tables import format_table

    rows = [
        (s.slug, s.name, s.spider, " ".join(s.hosts), " ".join(s.start_urls))
        for s in registered_sites().values()
    ]
    click.echo(format_table(("slug", "name", "spider", "hosts", "start pages"), rows))


@click.command()
@db_option("Archive to read.")
@click.option(
    "--runs", default=5, show_default=True, type=click.IntRange(min=1), help="Runs shown per site."
)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False),
    metavar="FILE.png",
    help="Also draw articles archived per day per site into this image (png, svg, pdf...).",
)
def stats(db: str, runs: int, plot: str | None) -> None:
    """Show the recent crawl runs of each site as a table.

    Example: legalnews stats --db archive.db --plot articles.png
    """
    from crawler.reports import RUN_COLUMNS, check_plot_path, plot_articles_per_day, recent_runs
    from crawler.tables import format_table

    if plot:
        try:
            check_plot_path(plot)
        except ValueError as exc:
            fail(f"--plot {plot}: {exc}")
    database = open_readonly(db)
    rows = recent_runs(database, runs)
    table = format_table(RUN_COLUMNS, [[row[c] for c in RUN_COLUMNS] for row in rows])
    click.echo(table if rows else "no crawl runs yet")
    if plot:
        sites = plot_articles_per_day(database, plot)
        click.echo(f"chart of {sites} sites: {plot}")
    database.conn.close()
