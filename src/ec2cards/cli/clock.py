"""The one place that reads the clock: `EC2CARDS_NOW` when set, else the system time."""

from __future__ import annotations

import os
from datetime import datetime, timezone, tzinfo

from ec2cards.errors import UsageError

NOW_ENV = "EC2CARDS_NOW"
FIRST_YEAR, LAST_YEAR = 1971, 9000


def parse_time(value: str, what: str = NOW_ENV) -> datetime:
    """ISO-8601 to aware UTC; a time without an offset is taken as local time."""
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"{what}={value!r} is not an ISO-8601 time; write it like 2026-12-01T09:00 or"
            " 2026-12-01T09:00+00:00"
        ) from None
    # Intervals reach 100 years ahead and replays begin at the epoch: outside these years a
    # date would overflow deep inside a command rather than here, in one line.
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise UsageError(
            f"{what}={value!r} is out of range; give a time from {FIRST_YEAR} to {LAST_YEAR}"
        )
    try:
        if parsed.tzinfo is None:
            parsed = parsed.astimezone()
        return parsed.astimezone(timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise UsageError(
            f"{what}={value!r} is out of range; give a time from {FIRST_YEAR} to {LAST_YEAR}"
        ) from None


def wall() -> datetime:
    """The real time, whatever EC2CARDS_NOW says. Backups are named, taken once a day and kept
    by it, so that a look ahead with EC2CARDS_NOW never prunes real backups or stands in for
    a day's real one."""
    return datetime.now(timezone.utc)


def now() -> datetime:
    """The time a command works at: EC2CARDS_NOW when set, else the real time."""
    override = os.environ.get(NOW_ENV)
    if override:
        return parse_time(override)
    return wall()


def zone(at: datetime) -> tzinfo:
    """This system's time zone at `at`, in which answers count their study days."""
    from ec2cards.model.zones import system_zone

    return system_zone(at)
