"""Short human times: small and import-light, for the fast commands."""

from __future__ import annotations

from datetime import datetime, timedelta


def format_interval(interval: timedelta) -> str:
    """Short human form for rating labels: 45s, 10m, 5h, 3d, 2.1mo, 1.3y."""
    seconds = interval.total_seconds()
    if seconds < 60:
        return f"{max(0, round(seconds))}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


def until(moment: datetime, now: datetime) -> str:
    """How long until a due moment, as the rating keys count it: a card due on a later study
    day is due in whole study days, and such a day starts at the cut-off (04:00), so the time
    left is rounded up (at 23:30, a card due in 7 days at 04:00 is 6 days 4.5 hours away: 7d,
    as its key said); under a day, the time itself."""
    delta = moment - now
    if delta < timedelta(days=1):
        return format_interval(delta)
    days = -(-delta // timedelta(days=1))  # whole days, rounded up
    return format_interval(timedelta(days=days))


def describe_due(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "no reviews scheduled"
    local = moment.astimezone().strftime("%Y-%m-%d %H:%M")
    if moment <= now:
        return f"now ({local})"
    return f"in {until(moment, now)} ({local})"
