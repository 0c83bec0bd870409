"""The study queue and session: which card comes next, answering, undo, suspend. No terminal code.

Queue order: learning and relearning cards now due, then reviews due today (most overdue first),
then new cards in deck order, within the daily limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from ec2cards.config import Settings
from ec2cards.model import NEW_STATE, Card, CardState, Phase, Rating
from ec2cards.scheduling import Scheduler
from ec2cards.store import Store

LEARN_AHEAD = timedelta(minutes=20)


def day_start(now: datetime, cutoff_hour: int) -> datetime:
    """Start of the user's study day: the last local `cutoff_hour`:00 at or before `now`."""
    local = now.astimezone()
    start = local.replace(hour=cutoff_hour, minute=0, second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start


def record_answer(
    store: Store,
    scheduler: Scheduler,
    card: Card,
    before: CardState,
    rating: Rating,
    now: datetime,
    duration_ms: int | None = None,
) -> tuple[int, CardState]:
    """Schedule and durably log one answer: the single path for study and recorded quizzes."""
    after = scheduler.review(before, rating, now, card.key)
    return store.record_review(card.key, rating, now, before, after, duration_ms), after


@dataclass(frozen=True)
class AnswerResult:
    card: Card
    rating: Rating
    entry_id: int
    before: CardState
    after: CardState
    became_leech: bool


@dataclass
class Summary:
    studied: int = 0
    again: int = 0
    seconds: float = 0.0
    suspended: int = 0
    leeches: list[Card] = field(default_factory=list)
    next_due: datetime | None = None
    new_left: int = 0

    @property
    def correct_percent(self) -> float:
        return 100.0 * (self.studied - self.again) / self.studied if self.studied else 0.0


class StudySession:
    """One sitting. Every answer is written to the store before the next card is drawn."""

    def __init__(
        self,
        cards: list[Card],
        store: Store,
        settings: Settings,
        now: datetime,
        new_limit: int | None = None,
        limit: int | None = None,
        ahead: bool = False,
        topics: tuple[str, ...] = (),
    ) -> None:
        self.store = store
        self.settings = settings
        self.scheduler = Scheduler(settings)
        self.cards = {card.key: card for card in cards}
        # New cards in deck order, those whose main topic was asked for first.
        wanted = set(topics)
        self.order = {
            card.key: (bool(wanted) and card.topic not in wanted, i) for i, card in enumerate(cards)
        }
        self.states = store.states(self.cards)
        new_done, reviews_done = store.counts_since(day_start(now, settings.day_cutoff_hour))
        self.day_end = day_start(now, settings.day_cutoff_hour) + timedelta(days=1)
        self.new_quota = (
            new_limit if new_limit is not None else max(0, settings.new_per_day - new_done)
        )
        self.review_quota = max(0, settings.reviews_per_day - reviews_done)
        self.limit = limit
        self.ahead = ahead
        self.new_shown = 0
        self.reviews_shown = 0
        self.history: list[tuple[int, Card, Rating | None]] = []  # (log id, card, rating)
        self.summary = Summary()
        self.pending: Card | None = None

    def state(self, card: Card) -> CardState:
        return self.states.get(card.key, NEW_STATE)

    # -- the queue -------------------------------------------------------------------------------

    def _candidates(self, now: datetime) -> list[tuple[int, object, Card]]:
        """(band, sort key, card) for every card that may be shown now."""
        found: list[tuple[int, object, Card]] = []
        for key, card in self.cards.items():
            state = self.states.get(key, NEW_STATE)
            if state.suspended:
                continue
            if state.phase is Phase.NEW:
                if self.new_shown < self.new_quota:
                    found.append((2, self.order[key], card))
                continue
            due = state.due or now
            if state.phase in (Phase.LEARNING, Phase.RELEARNING):
                if due <= now:
                    found.append((0, due, card))
                elif due <= now + LEARN_AHEAD:
                    found.append((3, due, card))
            elif due < self.day_end and self.reviews_shown < self.review_quota:
                found.append((1, due, card))
        return found

    def next_card(self, now: datetime) -> Card | None:
        if self.pending is not None:
            card, self.pending = self.pending, None
            return card
        if self.limit is not None and self.summary.studied >= self.limit:
            return None
        candidates = self._candidates(now)
        if candidates:
            return min(candidates, key=lambda c: (c[0], c[1]))[2]  # type: ignore[operator]
        if self.ahead:
            reviewed = [
                (self.states[k].due or now, self.cards[k])
                for k in self.cards
                if k in self.states and not self.states[k].suspended
            ]
            if reviewed:
                return min(reviewed, key=lambda pair: pair[0])[1]
        return None

    def remaining(self, now: datetime) -> int:
        """Cards still to see today, as the header's 'left' count."""
        bands = [band for band, _, _ in self._candidates(now)]
        new = min(bands.count(2), self.new_quota - self.new_shown)
        reviews = min(bands.count(1), self.review_quota - self.reviews_shown)
        left = bands.count(0) + bands.count(3) + reviews + new
        if self.limit is not None:
            left = min(left, self.limit - self.summary.studied)
        return max(left, 0)

    # -- actions ---------------------------------------------------------------------------------

    def preview(self, card: Card, now: datetime) -> dict[Rating, timedelta]:
        return self.scheduler.preview(self.state(card), now, card.key)

    def answer(
        self, card: Card, rating: Rating, now: datetime, duration_ms: int | None = None
    ) -> AnswerResult:
        before = self.state(card)
        entry_id, after = record_answer(
            self.store, self.scheduler, card, before, rating, now, duration_ms
        )
        self.states[card.key] = after
        self.history.append((entry_id, card, rating))
        if before.phase is Phase.NEW:
            self.new_shown += 1
        elif before.phase is Phase.REVIEW:
            self.reviews_shown += 1
        self.summary.studied += 1
        self.summary.again += rating is Rating.AGAIN
        self.summary.seconds += (duration_ms or 0) / 1000
        became_leech = after.leech and not before.leech
        if became_leech:
            self.summary.leeches.append(card)
        return AnswerResult(card, rating, entry_id, before, after, became_leech)

    def suspend(self, card: Card, now: datetime) -> None:
        self.states[card.key] = self.store.record_suspend(card.key, now)
        entry = self.store.entries(card.key)[-1]
        self.history.append((entry.id, card, None))
        self.summary.suspended += 1

    def undo(self, now: datetime) -> Card | None:
        """Take back the last answer or suspension of this session; that card comes next."""
        if not self.history:
            return None
        entry_id, card, rating = self.history.pop()
        before = self.state(card)
        _, restored = self.store.record_undo(entry_id, now)
        self.states[card.key] = restored
        if rating is None:
            self.summary.suspended -= 1
        else:
            if restored.phase is Phase.NEW:
                self.new_shown -= 1
            elif restored.phase is Phase.REVIEW:
                self.reviews_shown -= 1
            self.summary.studied -= 1
            self.summary.again -= rating is Rating.AGAIN
            if before.leech and not restored.leech:
                self.summary.leeches = [c for c in self.summary.leeches if c.key != card.key]
        self.pending = card
        return card

    def finish(self, now: datetime) -> Summary:
        dues = [
            s.due
            for k, s in self.states.items()
            if k in self.cards
            and not s.suspended
            and s.due is not None
            and s.phase is not Phase.NEW
        ]
        self.summary.next_due = min(dues) if dues else None
        self.summary.new_left = sum(1 for k in self.cards if k not in self.states)
        return replace(self.summary)
