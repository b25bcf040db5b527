"""`datasette archive.db -m datasette-metadata.yml` serves the archive and its canned queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.archive.ingest import store_article
from crawler.archive.schema import transaction
from crawler.items import Article
from tests.support.process_helpers import run_python

pytestmark = pytest.mark.e2e

METADATA = Path(__file__).resolve().parent.parent / "datasette-metadata.yml"


def test_datasette_serves_the_archive_and_the_canned_queries(db, tmp_path):
    pytest.importorskip("datasette")
    with transaction(db):
        store_article(
            db,
            Article(
                url="http://www.lnfz.cn/news/1.html",
                site="lnfz",
                title="禁毒宣传",
                published="2022-06-21",
                body="全省开展禁毒宣传。",
            ),
        )
    db.conn.close()
    result = run_python(
        "-m",
        "datasette",
        str(tmp_path / "archive.db"),
        "-m",
        str(METADATA),
        "--get",
        "/archive/title_contains.json?word=禁毒&_shape=array",
    )
    assert result.returncode == 0, result.stderr
    assert [row["title"] for row in json.loads(result.stdout)] == ["禁毒宣传"]
