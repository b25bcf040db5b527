"""The clock: the current UTC time as the archive stores it, and Beijing time (UTC+8)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

# China Standard Time: the portals show their dates in it, with no daylight saving.
BEIJING = timezone(timedelta(hours=8))


def utcnow() -> str:
    """Return the current UTC time as ISO 8601 to the second, like 2024-05-01T08:00:00+00:00."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def utc_stamp() -> str:
    """Return the current UTC time as 20240501080000, for file names."""
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S")
