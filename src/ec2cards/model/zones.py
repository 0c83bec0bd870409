"""The time zone an answer was given in, kept with the review so that a replay counts its study
days as the answer did, wherever the replay runs: a zone's name (its daylight-saving rules) when
the system names one, and always the UTC offset of that moment (what is left when a name can't
be loaded)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo


def fixed_zone(minutes: int) -> tzinfo:
    """A zone that is always `minutes` east of UTC."""
    return timezone(timedelta(minutes=minutes))


def offset_minutes(zone: tzinfo, at: datetime) -> int:
    """The zone's UTC offset at a moment, in whole minutes (every offset in use is)."""
    offset = at.astimezone(zone).utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)


def zone_name(zone: tzinfo) -> str | None:
    """The zone's name in the time-zone database, or None for a bare offset."""
    key = getattr(zone, "key", None)
    return key if isinstance(key, str) else None


def named_zone(name: str) -> tzinfo | None:
    """The zone of a database name, or None when this machine can't load it."""
    from zoneinfo import ZoneInfo

    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ValueError, OSError, LookupError):  # unknown, malformed, or no database here
        return None


def kept_zone(name: str | None, minutes: int | None) -> tzinfo | None:
    """The zone a review keeps: its named zone, else its offset; None for a review from before
    zones were kept."""
    if name:
        zone = named_zone(name)
        if zone is not None:
            return zone
    return None if minutes is None else fixed_zone(minutes)


def system_zone(at: datetime, name: str | None = None) -> tzinfo:
    """This system's time zone at `at`, as answers keep it: the zone of its database name
    (`name`, by default `system_zone_name()`) when that zone agrees with the system clock's
    UTC offset at `at`; else that offset alone (a TZ rule string, no zone database)."""
    system = at.astimezone().utcoffset() or timedelta(0)
    named = named_zone(system_zone_name() or "" if name is None else name)
    if named is not None and at.astimezone(named).utcoffset() == system:
        return named
    return timezone(system)


def system_zone_name() -> str | None:
    """The database name of the system's zone, when it has one: TZ (a name, or a path into the
    zone database), else what /etc/localtime links to. Read where the C library reads it, so
    that a named zone and the system clock agree."""
    import os

    configured = os.environ.get("TZ")
    if configured is not None:
        configured = configured.lstrip(":")
        if not configured:
            return "UTC"  # an empty TZ is UTC, as the C library reads it
    else:
        configured = os.path.realpath("/etc/localtime")
    if "/zoneinfo/" in configured:
        configured = configured.split("/zoneinfo/", 1)[1]
    return configured or None
