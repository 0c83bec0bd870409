"""Work left for the next command, done before it reads any state: the time zone of reviews
logged before zones were kept, the replay a migration asks for (every state computed anew from
the log), and a change of settings a killed command left
under way (finished as asked, or dropped when the file never changed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime, tzinfo
    from pathlib import Path

    from ec2cards.storage.store import Store


def run_pending(
    store: Store, home: Path, now: datetime, zone: Callable[[], tzinfo] | None = None
) -> int | None:
    """Do the store's pending maintenance; the number of cards whose state was computed anew,
    or None when nothing was pending (the usual case, which costs one small query). Reviews
    from before zones were kept take `zone`, by default the system's, first:
    every replay after counts their days in it (asked for only then: finding it costs)."""
    tasks = store.db.pending_tasks()
    if not tasks:
        return None
    from ec2cards.storage.review_log import ZONE_TASK

    if ZONE_TASK in tasks:
        from ec2cards.model.zones import system_zone

        store.log.keep_zones(zone() if zone is not None else system_zone(now))
        tasks = store.db.pending_tasks()
        if not tasks:
            return None
    from ec2cards.config.file import load_settings
    from ec2cards.scheduling.replay import REPLAY_TASK, rebuild
    from ec2cards.scheduling.scheduler import Scheduler

    done = finish_settings_changes(store, home, now, tasks)
    if REPLAY_TASK in store.db.pending_tasks():
        done = rebuild(store, Scheduler(load_settings(home)))
    return done


def finish_settings_changes(
    store: Store, home: Path, now: datetime, tasks: list[str] | None = None
) -> int | None:
    """Finish (or drop) the changes of settings killed commands left under way; the number of
    cards computed anew, or None when none was finished."""
    from ec2cards.scheduling.settings_change import SETTINGS_TASK, finish_settings_change

    done = None
    for task in store.db.pending_tasks() if tasks is None else tasks:
        if task.startswith(SETTINGS_TASK + " "):
            done = finish_settings_change(home, store, task, now) or done
    return done
