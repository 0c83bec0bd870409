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


def describe_due(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "no reviews scheduled"
    delta = moment - now
    local = moment.astimezone().strftime("%Y-%m-%d %H:%M")
    if delta.total_seconds() <= 0:
        return f"now ({local})"
    return f"in {format_interval(delta)} ({local})"
