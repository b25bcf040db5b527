"""Shared fixtures: a fresh archive file per test."""

from __future__ import annotations

import pytest

from crawler.archive.runs import seed_outlets
from crawler.archive.schema import open_archive
from crawler.reprints.outlets import outlet_hosts


@pytest.fixture
def db(tmp_path):
    """A real, freshly migrated SQLite archive in a temporary folder."""
    database = open_archive(tmp_path / "archive.db")
    seed_outlets(database, outlet_hosts())
    yield database
    database.conn.close()
