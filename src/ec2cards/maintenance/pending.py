"""Work a migration left for the next command: every card's state computed anew from the log
(a change of how replay works asks for it), done before the command reads any state."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from ec2cards.config.settings import Settings
    from ec2cards.storage.store import Store


def run_pending(store: Store, settings: Callable[[], Settings]) -> int | None:
    """Do the store's pending maintenance; the number of cards replayed, or None when nothing
    was pending (the usual case, which costs one small query: `settings` is read only when
    there is work)."""
    if not store.db.pending_tasks():
        return None
    from ec2cards.scheduling.replay import rebuild
    from ec2cards.scheduling.scheduler import Scheduler

    return rebuild(store, Scheduler(settings()))
