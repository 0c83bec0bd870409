"""How a study session starts: today's new-card share (the daily limit, `--new N`, or an
exam plan's share with `--exam DATE`) and the session over the selected cards."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ec2cards.study.session import StudySession

if TYPE_CHECKING:
    from datetime import date, datetime, tzinfo

    from ec2cards.config.settings import Settings
    from ec2cards.decks.selection import Selection
    from ec2cards.storage.store import Store


class Started(NamedTuple):
    """The session, and the new cards an exam plan gave today (None without `exam`)."""

    session: StudySession
    exam_new: int | None


def start_session(
    selection: Selection,
    store: Store,
    settings: Settings,
    now: datetime,
    *,
    new: int | None = None,
    limit: int | None = None,
    ahead: bool = False,
    exam: date | None = None,
    zone: tzinfo | None = None,
) -> Started:
    """A session over the selection. With `exam` (and no `new`), today's new cards are the
    exam plan's share for today, as `plan --exam` shows it."""
    exam_new = None
    if exam is not None and new is None:
        from ec2cards.scheduling.exam import plan_for

        exam_new = new = plan_for(selection.cards, store, settings, now, exam).new_today
    session = StudySession(
        selection.cards,
        store,
        settings,
        now,
        new_limit=new,
        limit=limit,
        ahead=ahead,
        topics=selection.topics,
        zone=zone,
    )
    return Started(session, exam_new)
