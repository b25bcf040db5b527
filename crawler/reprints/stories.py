"""Group articles into stories and decide which copy is the original."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlite_utils import Database

from crawler.archive.schema import rows
from crawler.clock import utcnow
from crawler.reprints.neardup import DEFAULT, SAME, TEMPLATE, BodyPrint, Thresholds, compare
from crawler.reprints.nearindex import candidates

# Reasons recorded with the decision, strongest evidence first.
BY_LINK = "original_url"  # another copy names this one in 原文链接
BY_OUTLET = "source_outlet"  # this copy is on the site of the outlet named in 来源
BY_DATE = "earliest_published"
ONLY_COPY = "only_copy"
# Reasons an article joined its story (articles.story_reason).
NEW_STORY = "new_story"
LINK_TO = "links_to_original"  # its 原文链接 is an archived copy
LINK_FROM = "named_as_original"  # an archived copy's 原文链接 is this page
SAME_CLAIM = "same_original_url"  # both name the same 原文链接
SAME_BODY = "same_body"
NEAR = "near_duplicate"
STORY_COLUMNS = "id, url, canonical_url, original_url, original_canonical, source, title, published"


def link_evidence(db: Database, article: dict, exclude: int | None = None) -> list[tuple[int, str]]:
    """Return (story, reason) pairs from 原文链接 links and identical bodies."""
    checks = [
        ("canonical_url", article["original_canonical"], LINK_TO),
        ("original_canonical", article["canonical_url"], LINK_FROM),
        ("original_canonical", article["original_canonical"], SAME_CLAIM),
        ("body_hash", article["body_hash"] if article["body"] else None, SAME_BODY),
    ]
    found = []
    for column, value, reason in checks:
        if value is None:
            continue
        cursor = db.conn.execute(
            f"SELECT story_id FROM articles WHERE {column} = ? "
            "AND story_id IS NOT NULL AND id != ? ORDER BY id",
            [value, -1 if exclude is None else exclude],
        )
        found += [(row[0], reason) for row in cursor.fetchall()]
    return found


def near_evidence(
    db: Database,
    body: str,
    bodyprint: BodyPrint,
    exclude: int | None = None,
    thresholds: Thresholds = DEFAULT,
) -> list[tuple[int, str]]:
    """Return (story, reason) pairs of near-duplicate stories.

    A story is joined only when no member that is a candidate turns out to be the
    same template telling other facts (another name, date, place or amount).
    """
    hashes, sig, keys = bodyprint
    verdicts: dict[int, list[tuple[str, str]]] = {}
    for other_id, *_estimates in candidates(db, sig, len(hashes), exclude, thresholds, keys):
        other = db.conn.execute(
            "SELECT story_id, body FROM articles WHERE id = ?", [other_id]
        ).fetchone()
        if other is None or other[0] is None:
            continue
        verdict, why = compare(body, other[1], thresholds, shingles_a=hashes)
        verdicts.setdefault(other[0], []).append(
            (verdict, f"{NEAR}: {why} with article {other_id}")
        )
    found = []
    for story_id, results in verdicts.items():
        kinds = {verdict for verdict, _ in results}
        if SAME in kinds and TEMPLATE not in kinds:
            found.append((story_id, next(why for verdict, why in results if verdict == SAME)))
    return found


def evidence(
    db: Database, article: dict, bodyprint: BodyPrint, thresholds: Thresholds = DEFAULT
) -> list[tuple[int, str]]:
    """Return the (story, reason) pairs an article (stored or about to be, see `id`) belongs to."""
    exclude = article.get("id")
    return link_evidence(db, article, exclude) or near_evidence(
        db, article["body"], bodyprint, exclude, thresholds
    )


def join_stories(db: Database, found: list[tuple[int, str]]) -> tuple[int, str]:
    """Merge the stories in `found` into the oldest; return it and the reason for joining it."""
    story_id, reason = min(found, key=lambda pair: pair[0])
    for other, _ in found:
        if other != story_id:
            db.conn.execute(
                "UPDATE articles SET story_id = ? WHERE story_id = ?", [story_id, other]
            )
            db.conn.execute("DELETE FROM stories WHERE id = ?", [other])
    return story_id, reason


def open_story(db: Database, article: dict) -> tuple[int, bool]:
    """Insert the story of an article that is its only copy, decided as `refresh_story` would.

    Returns the story id and whether the article is its original; if so, `name_original`
    records it once the article row has its id (each row references the other).
    """
    source = (article["source"] or "").strip()
    host = db.conn.execute("SELECT host FROM outlets WHERE name = ?", [source]).fetchone()
    original, reason, claimed = choose_original(
        [{**article, "id": None}], {source: host[0]} if host else {}
    )
    story_id = db.conn.execute(
        "INSERT INTO stories "
        "(title, published, original_reason, claimed_original_url, copies, updated_at) "
        "VALUES (?, ?, ?, ?, 1, ?)",
        [article["title"], article["published"], reason, claimed, utcnow()],
    ).lastrowid
    return story_id, original is not None


def name_original(db: Database, story_id: int, article_id: int) -> None:
    """Record the article that `open_story` found to be its story's original."""
    db.conn.execute(
        "UPDATE stories SET original_article_id = ? WHERE id = ?", [article_id, story_id]
    )


def place_story(
    db: Database, article: dict, bodyprint: BodyPrint, thresholds: Thresholds = DEFAULT
) -> int:
    """Put a stored article (its row) in its story, merging stories it joins; return the story
    id."""
    found = evidence(db, article, bodyprint, thresholds)
    if article["story_id"] is not None:
        found.append((article["story_id"], article["story_reason"] or NEW_STORY))
    story_id, reason = join_stories(db, found) if found else (open_story(db, article)[0], NEW_STORY)
    db.conn.execute(
        "UPDATE articles SET story_id = ?, story_reason = ? WHERE id = ?",
        [story_id, reason, article["id"]],
    )
    refresh_story(db, story_id)
    return story_id


def host_of(url: str | None) -> str:
    """Return the host of `url` without `www.`."""
    return (urlsplit(url or "").hostname or "").removeprefix("www.")


def choose_original(
    copies: list[dict], outlets: dict[str, str]
) -> tuple[dict | None, str, str | None]:
    """Return the original copy (or None), the reason, and the original URL a reprint claims."""
    by_canonical = {c["canonical_url"]: c for c in copies}
    claims = {c["original_canonical"]: c["original_url"] for c in copies if c["original_canonical"]}
    claimed = next(iter(claims.values()), None)
    for canonical, shown in claims.items():
        if canonical in by_canonical:
            return by_canonical[canonical], BY_LINK, shown
    for copy in sorted(copies, key=lambda c: c["id"]):
        for other in copies:
            host = outlets.get((other["source"] or "").strip())
            if host and host_of(copy["url"]) == host:
                return copy, BY_OUTLET, claimed
    if claimed:
        return None, BY_LINK, claimed  # the named original is not archived yet
    if len(copies) == 1:
        return copies[0], ONLY_COPY, None
    dated = [c for c in copies if c["published"]] or copies
    return min(dated, key=lambda c: (c["published"] or "", c["id"])), BY_DATE, None


def refresh_story(db: Database, story_id: int) -> None:
    """Recompute a story's copies, original, title and earliest date."""
    copies = rows(
        db, f"SELECT {STORY_COLUMNS} FROM articles WHERE story_id = ? ORDER BY id", [story_id]
    )
    if not copies:
        db.execute("DELETE FROM stories WHERE id = ?", [story_id])
        return
    outlets = dict(db.conn.execute("SELECT name, host FROM outlets").fetchall())
    original, reason, claimed = choose_original(copies, outlets)
    lead = original or copies[0]
    dates = [c["published"] for c in copies if c["published"]]
    db.execute(
        "UPDATE stories SET title = ?, published = ?, original_article_id = ?, "
        "original_reason = ?, claimed_original_url = ?, copies = ?, updated_at = ? "
        "WHERE id = ?",
        [
            lead["title"],
            min(dates) if dates else None,
            original["id"] if original else None,
            reason,
            claimed,
            len(copies),
            utcnow(),
            story_id,
        ],
    )
