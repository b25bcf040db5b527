"""The reprints command: stories with their copies across sites."""

from __future__ import annotations

import json

import click

from crawler.commands import db_option, fail, open_readonly


@click.command()
@db_option("Archive to read.")
@click.option("--story", "story_id", type=int, default=None, help="Show this story only.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="How many stories to show.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of text.")
def reprints(db: str, story_id: int | None, limit: int, as_json: bool) -> None:
    """Show stories that appeared on several sites: copies, sites, dates, lag, the original.

    Example: legalnews reprints --db archive.db --story 3
    """
    from crawler.reprints.copies import stories_with_copies
    from crawler.tables import format_rows

    archive = open_readonly(db)
    stories = stories_with_copies(archive, story_id=story_id, limit=limit)
    if story_id is not None and not stories:
        fail(f"no story {story_id} in {db}", code=1)
    for story in stories:
        if as_json:
            click.echo(json.dumps(story, ensure_ascii=False))
            continue
        claimed = ""
        if story["original_article_id"] is None and story["claimed_original_url"]:
            claimed = f"  original not archived yet: {story['claimed_original_url']}"
        click.echo(
            f"story {story['id']}: {story['title']}  ({story['copies']} copies, "
            f"original by {story['original_reason']}){claimed}"
        )
        rows = [
            (
                "original" if copy["is_original"] else (copy["lag"] or "reprint"),
                copy["site"] or "-",
                copy["published"] or "-",
                copy["url"],
            )
            for copy in story["copies_list"]
        ]
        for line in format_rows(rows, ("right", "left", "left", "left"), indent="  "):
            click.echo(line)
