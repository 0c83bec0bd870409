"""The study loop: draws cards from a session and talks to a frontend (Rich screen or plain lines).

It knows the protocol of a review (question, answer or reveal, rating) but nothing of terminals.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple, Protocol

from ec2cards.errors import UndoRefused
from ec2cards.model.cards import Card, CardKind
from ec2cards.model.choices import Graded, grade_choice, grade_order, showing_seed, shuffled
from ec2cards.model.events import BURY as BURIED
from ec2cards.model.events import SUSPEND as SUSPENDED
from ec2cards.model.ratings import Rating
from ec2cards.scheduling.days import shown_interval, study_day
from ec2cards.study.session import AnswerResult, Left, StudySession, Summary

# Opens a card in the editor and says how it went (the CLI gives one; absent, `e` says so).
Editor = Callable[[Card], str]

# What a frontend may return instead of an answer.
QUIT, UNDO, SUSPEND, BURY, EDIT, REVEAL = "quit", "undo", "suspend", "bury", "edit", "reveal"


# What the line after an undo says, by what was taken back.
UNDONE = {
    "answer": "undone: that answer is taken back, and its card comes next",
    SUSPENDED: "undone: the card is no longer suspended, and comes next",
    BURIED: "undone: the card is no longer buried, and comes next",
}


class Progress(NamedTuple):
    title: str
    done: int
    left: Left


class Frontend(Protocol):
    def question(self, card: Card, shown: list[str], progress: Progress) -> None: ...
    def read_reveal(self) -> str: ...
    def read_selection(self, card: Card, shown: list[str]) -> list[int] | str: ...
    def graded(self, card: Card, graded: Graded) -> None: ...
    def answer(
        self, card: Card, intervals: dict[Rating, timedelta], suggested: Rating | None
    ) -> None: ...
    def read_rating(self, suggested: Rating | None) -> Rating | str: ...
    def saved(self, result: AnswerResult, interval: timedelta) -> None: ...
    def notice(self, message: str) -> None: ...
    def summary(self, summary: Summary, now: datetime) -> None: ...


def shown_items(card: Card, day: str) -> list[str]:
    """Options or items in the order they are shown: new each study day, the same all day
    (so an undo shows the same)."""
    if card.kind.chooses:
        return shuffled(card.options, showing_seed(card, day))
    if card.kind is CardKind.ORDER:
        return shuffled(card.items, showing_seed(card, day), avoid_original=True)
    return []


def run(
    session: StudySession,
    frontend: Frontend,
    clock: Callable[[], datetime],
    title: str,
    editor: Editor | None = None,
) -> Summary:
    """Study until the queue is empty or the user quits; every rating is saved at once."""
    # Ctrl-C ends the session like q: every answer so far is already saved.
    with contextlib.suppress(KeyboardInterrupt, EOFError):
        _loop(session, frontend, clock, title, editor)
    return session.finish(clock())


def _loop(
    session: StudySession,
    frontend: Frontend,
    clock: Callable[[], datetime],
    title: str,
    editor: Editor | None,
) -> None:
    while True:
        now = clock()
        card = session.next_card(now)
        if card is None:
            break
        shown = shown_items(card, study_day(now, session.settings.day_cutoff_hour).isoformat())
        progress = Progress(title, session.summary.studied, session.remaining(now))
        frontend.question(card, shown, progress)
        started = time.monotonic()

        suggested: Rating | None = None
        if card.kind.chooses or card.kind is CardKind.ORDER:
            picked = frontend.read_selection(card, shown)
            if isinstance(picked, str):
                if _act(picked, session, frontend, card, clock, editor):
                    break
                continue
            grade = grade_choice if card.kind.chooses else grade_order
            result = grade(card, shown, picked)
            frontend.graded(card, result)
            suggested = Rating.GOOD if result.correct else Rating.AGAIN
        else:
            action = frontend.read_reveal()
            if action != REVEAL:
                if _act(action, session, frontend, card, clock, editor):
                    break
                continue

        frontend.answer(card, session.preview(card, clock()), suggested)
        rating = frontend.read_rating(suggested)
        if isinstance(rating, str):
            if _act(rating, session, frontend, card, clock, editor):
                break
            continue
        answered_at = clock()
        duration_ms = int((time.monotonic() - started) * 1000)
        saved = session.answer(card, rating, answered_at, duration_ms)
        cutoff = session.settings.day_cutoff_hour
        zone = session.scheduler.answer_zone(answered_at)
        frontend.saved(saved, shown_interval(saved.after, answered_at, cutoff, zone))


def _act(
    action: str,
    session: StudySession,
    frontend: Frontend,
    card: Card,
    clock: Callable[[], datetime],
    editor: Editor | None,
) -> bool:
    """Quit, suspend, bury, edit, or undo the previous answer (that card comes back next);
    True ends the session."""
    if action == QUIT:
        return True
    if action == SUSPEND:
        session.suspend(card, clock())
        frontend.notice("suspended (u undoes)")
    elif action == BURY:
        session.bury(card, clock())
        frontend.notice("buried until tomorrow (u undoes)")
    elif action == EDIT:
        frontend.notice(editor(card) if editor is not None else "editing needs a terminal")
        session.pending = card
    elif action == UNDO:
        what = session.undoable
        try:
            undone = session.undo(clock())
        except UndoRefused as refused:
            frontend.notice(str(refused))
            session.pending = card
            return False
        if undone is None:
            frontend.notice("nothing to undo")
            session.pending = card
        else:
            frontend.notice(UNDONE.get(what or "", UNDONE["answer"]))
    return False
