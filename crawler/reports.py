"""Reports on crawl runs: the recent runs per site, articles per day per site as a chart."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from crawler.health import fill_rates

# matplotlib lists pgf, but writes it only through a LaTeX install.
UNUSABLE_FORMATS = {"pgf"}
RUN_COLUMNS = (
    "run",
    "site",
    "started",
    "secs",
    "status",
    "pages",
    "new",
    "updated",
    "reprints",
    "failures",
    "fill",
)


def recent_runs(db: Database, per_site: int = 5) -> list[dict[str, Any]]:
    """Return the last `per_site` runs of each site, newest first within a site."""
    rows = db.execute(
        "SELECT id, sites, started_at, finished_at, status, pages, articles_new, articles_updated, "
        "reprints, failures, stats FROM ("
        "  SELECT *, row_number() OVER (PARTITION BY sites ORDER BY id DESC) AS n FROM crawl_runs"
        ") WHERE n <= ? ORDER BY sites, id DESC",
        [per_site],
    ).fetchall()
    return [run_row(*row) for row in rows]


def run_row(
    run_id, site, started, finished, status, pages, new, updated, reprints, failures, stats
) -> dict:
    """Return one run as a table row; `fill` is the mean fill rate of the counted fields."""
    data = json.loads(stats) if stats else {}
    _, rates = fill_rates(data, site or "")
    secs = data.get("elapsed_time_seconds")
    return {
        "run": run_id,
        "site": site,
        "started": (started or "")[:19].replace("T", " "),
        "secs": f"{secs:.0f}" if isinstance(secs, (int, float)) else "",
        "status": status,
        "pages": pages,
        "new": new,
        "updated": updated,
        "reprints": reprints,
        "failures": failures,
        "fill": f"{sum(rates.values()) / len(rates):.0%}" if rates else "",
    }


def articles_per_day(db: Database) -> dict[str, dict[str, int]]:
    """Return site -> {YYYY-MM-DD: articles first archived that day}."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for site, day, n in db.execute(
        "SELECT site, substr(first_seen_at, 1, 10) AS day, count(*) FROM articles "
        "GROUP BY site, day ORDER BY day"
    ):
        counts[site or "?"][day] = n
    return dict(counts)


def plot_formats() -> list[str]:
    """Return the file extensions a chart can be written as, sorted."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    return sorted(set(FigureCanvasAgg.get_supported_filetypes()) - UNUSABLE_FORMATS)


def check_plot_path(path: str) -> None:
    """Raise ValueError unless a chart can be written to `path`: a known extension, an existing
    folder."""
    target = Path(path)
    formats = plot_formats()
    extension = target.suffix.lower().removeprefix(".")
    if not extension:
        raise ValueError(f"no file extension; use one of {', '.join(formats)}")
    if extension not in formats:
        raise ValueError(f'unsupported format "{extension}"; use one of {", ".join(formats)}')
    if not target.parent.is_dir():
        raise ValueError(f"folder {target.parent} does not exist")


def plot_articles_per_day(db: Database, path: str) -> int:
    """Draw articles archived per day per site into the image at `path`; return the number of
    sites."""
    import matplotlib

    matplotlib.use("Agg")
    from datetime import date

    import matplotlib.pyplot as plt

    series = articles_per_day(db)
    fig, ax = plt.subplots(figsize=(10, 5))
    for site, days in sorted(series.items()):
        xs = [date.fromisoformat(d) for d in days]
        ax.plot(xs, list(days.values()), marker="o", label=site)
    ax.set_title("Articles archived per day")
    ax.set_ylabel("articles")
    if series:
        ax.legend()
    fig.autofmt_xdate()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return len(series)
