"""The study queue and session: which card comes next, answering, undo, suspend. No terminal code.

Queue order: learning and relearning cards now due, then reviews due today (most overdue first),
then new cards in deck order, within the daily limits.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from typing import NamedTuple

from ec2cards.config.settings import Settings
from ec2cards.model.card_lists import CardView, card_keys, card_topics
from ec2cards.model.cards import Card
from ec2cards.model.events import BURY, SUSPEND
from ec2cards.model.ratings import Rating
from ec2cards.model.states import CardState, Phase
from ec2cards.scheduling.answer import day_load, record_answer
from ec2cards.scheduling.days import day_start, next_day_at
from ec2cards.scheduling.replay import restorer
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.storage.store import Store

LEARN_AHEAD = timedelta(minutes=20)


class Left(NamedTuple):
    """Cards still to see today, by queue."""

    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


class AnswerResult(NamedTuple):
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
    buried: int = 0
    leeches: list[Card] = field(default_factory=list)
    next_due: datetime | None = None
    new_left: int = 0
    new_limit_reached: bool = False  # new cards wait because today's new-card limit is reached
    new_per_day: int = 0
    new_limit: int | None = None  # the session's own --new N, which then is that limit

    @property
    def correct_percent(self) -> float:
        return 100.0 * (self.studied - self.again) / self.studied if self.studied else 0.0


class _CardsByKey(Mapping[str, Card]):
    """Cards of a session by key, made into Card objects only when looked up, and found
    through their deck rather than a dictionary of every key."""

    def __init__(self, cards: Sequence[Card], keys: list[str]) -> None:
        self._cards = cards
        self._keys = keys
        self._index: dict[str, int] | None = None

    def index_of(self, key: str) -> int:
        if isinstance(self._cards, CardView):
            return self._cards.index_of(key)
        if self._index is None:
            self._index = {k: i for i, k in enumerate(self._keys)}
        return self._index[key]

    def __getitem__(self, key: str) -> Card:
        return self._cards[self.index_of(key)]

    def siblings(self, card: Card) -> list[str]:
        """Keys of the other cards of the card's group (a cloze's deletions, an Anki note's)."""
        if not card.group:
            return []
        if isinstance(self._cards, CardView):
            return self._cards.siblings(card)
        return [
            c.key
            for c in self._cards
            if c.group == card.group and c.deck_id == card.deck_id and c.key != card.key
        ]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class StudySession:
    """One sitting. Every answer is written to the store before the next card is drawn.

    Only what can be shown today is loaded: (re)learning cards, reviews due today and the next
    new cards, so that drawing a card costs the same with 50 or 50,000 cards in the decks."""

    def __init__(
        self,
        cards: Sequence[Card],
        store: Store,
        settings: Settings,
        now: datetime,
        new_limit: int | None = None,
        limit: int | None = None,
        ahead: bool = False,
        topics: tuple[str, ...] = (),
        zone: tzinfo | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.zone = zone  # the time zone answers count their days in (None: the system's offset)
        self._scheduler: Scheduler | None = None
        keys = card_keys(cards)
        self._members = set(keys)
        self.cards = _CardsByKey(cards, keys)
        start = day_start(now, settings.day_cutoff_hour)
        self.day_end = start + timedelta(days=1)
        new_done, reviews_done = store.stats.counts_since(start)
        self.review_quota = max(0, settings.reviews_per_day - reviews_done)
        # States are loaded when a card is drawn; the queues start from keys and due times.
        self.states: dict[str, CardState] = {}
        # Heaps of (due, key); an entry whose card has moved on is dropped when seen. The store
        # gives each sorted by due, which is already a heap.
        self._learning = store.queue.learning(self._members, now)
        self._reviews = store.queue.due_reviews(self.day_end, self._members, self.review_quota, now)
        self._learning_keys = {key for _, key in self._learning}
        self._review_keys = {key for _, key in self._reviews}
        # New cards are found lazily, walking the keys in deck order past the known ones. The
        # selection's new keys are its keys less the known ones: a small set to keep, where the
        # known ones would be most of a 50,000-key collection.
        self._new = self._members.difference(store.known.keys())
        self.new_left = len(self._new)
        self._new_keys = keys
        if topics:
            # New cards in deck order, those whose main topic was asked for first.
            wanted = set(topics)
            all_topics = card_topics(cards)
            main = {keys[i]: ts[0] if ts else "" for i, ts in enumerate(all_topics)}
            self._new_keys = [k for k in keys if k in self._new]
            self._new_keys.sort(key=lambda k: main[k] not in wanted)  # stable: deck order stays
        self._new_next = 0
        self.new_limit = new_limit
        self.new_quota = (
            new_limit if new_limit is not None else max(0, settings.new_per_day - new_done)
        )
        self.limit = limit
        self.ahead = ahead
        self.new_shown = 0
        self.reviews_shown = 0
        # (log id, card, rating); the rating is None for a suspension or a burial
        self.history: list[tuple[int, Card, Rating | None, str]] = []
        self.summary = Summary()
        self.pending: Card | None = None
        self._just_answered_ahead: set[str] = set()
        # Cards answered today (this session's answers counted in): their siblings wait.
        self._answered_today: dict[str, int] = dict.fromkeys(
            store.stats.keys_answered_since(start), 1
        )
        self._held_today: set[str] = set()

    def reworded(self) -> dict[str, str]:
        """Histories in no deck that look like one of this session's never-studied cards,
        reworded without an id since (old key -> card key): said after the session, since
        looking costs a walk over every known key."""
        from ec2cards.decks.look_alikes import look_alikes

        decks = {key.partition("/")[0] for key in self._new}
        known = self.store.known.keys()
        orphans = [k for k in known if k not in self._members and k.partition("/")[0] in decks]
        if not orphans:
            return {}
        return look_alikes(orphans, (self.cards[k] for k in self._new), set(known))

    @property
    def scheduler(self) -> Scheduler:
        """Made on first use: fsrs is not needed to show the first question."""
        if self._scheduler is None:
            self._scheduler = Scheduler(
                self.settings, self.zone, numbers=self.store.cards.numbers()
            )
        return self._scheduler

    def state(self, card: Card) -> CardState:
        state = self.states.get(card.key)
        if state is None:
            state = self.states[card.key] = self.store.cards.state(card.key)
        return state

    # -- the queue -------------------------------------------------------------------------------

    def _enqueue(self, key: str, state: CardState) -> None:
        """File a card under learning or today's reviews after its state changed."""
        self._learning_keys.discard(key)
        self._review_keys.discard(key)
        if state.suspended or state.due is None:
            return
        if state.buried_until is not None and state.buried_until >= self.day_end:
            return  # buried until another day: not today's to see, nor to count
        if state.phase in (Phase.LEARNING, Phase.RELEARNING):
            heapq.heappush(self._learning, (state.due, key))
            self._learning_keys.add(key)
        elif state.phase is Phase.REVIEW and state.due < self.day_end:
            heapq.heappush(self._reviews, (state.due, key))
            self._review_keys.add(key)

    def _held(self, key: str, now: datetime) -> bool:
        """Whether a card waits for another day: buried, or a sibling answered today."""
        state = self.states.get(key) or self.store.cards.state(key)
        if state.buried_until is not None and state.buried_until > now:
            return True
        if not self.settings.bury_siblings or key in self._answered_today:
            return False
        card = self.cards[key]
        if any(self._answered_today.get(other) for other in self.cards.siblings(card)):
            self._held_today.add(key)
            return True
        return False

    def _live(self, entry: tuple[datetime, str], keys: set[str]) -> bool:
        due, key = entry
        state = self.states.get(key)
        # A card not yet drawn has no state loaded: nothing has changed it since it was read.
        return key in keys and (state is None or state.due == due)

    def _top(
        self, heap: list[tuple[datetime, str]], keys: set[str], now: datetime
    ) -> tuple[datetime, str] | None:
        """The soonest live entry of a heap that may be shown now; entries whose card has moved
        on are dropped, and cards held for today (buried, siblings) are passed over."""
        while heap and not self._live(heap[0], keys):
            heapq.heappop(heap)
        if not heap:
            return None
        if not self._held(heap[0][1], now):
            return heap[0]
        for entry in sorted(heap)[1:]:
            if self._live(entry, keys) and not self._held(entry[1], now):
                return entry
        return None

    def _next_new(self, now: datetime) -> str | None:
        """The next new card in order, skipping any answered or suspended meanwhile, and those
        held for today (buried, or a sibling answered)."""
        position = self._new_next
        while position < len(self._new_keys):
            key = self._new_keys[position]
            state = self.states.get(key)
            fresh = (
                key in self._new
                if state is None
                else (state.phase is Phase.NEW and not state.suspended)
            )
            if not fresh:
                if position == self._new_next:
                    self._new_next += 1
            elif not self._held(key, now):
                return key
            position += 1
        return None

    def next_card(self, now: datetime) -> Card | None:
        if self.pending is not None:
            card, self.pending = self.pending, None
            return card
        if self.limit is not None and self.summary.studied >= self.limit:
            return None
        learning = self._top(self._learning, self._learning_keys, now)
        if learning is not None and learning[0] <= now:
            return self.cards[learning[1]]
        if self.reviews_shown < self.review_quota:
            review = self._top(self._reviews, self._review_keys, now)
            if review is not None:
                return self.cards[review[1]]
        if self.new_shown < self.new_quota:
            key = self._next_new(now)
            if key is not None:
                return self.cards[key]
        if learning is not None and learning[0] <= now + LEARN_AHEAD:
            return self.cards[learning[1]]
        if self.ahead:
            for key, _due in self.store.queue.by_due():
                ready = key in self._members and key not in self._just_answered_ahead
                if ready and not self._held(key, now):
                    return self.cards[key]
        return None

    def remaining(self, now: datetime) -> Left:
        """What is still to see today, by queue, as Anki counts it: new cards within the
        day's limit, (re)learning cards, and reviews due today."""
        reviews = max(min(len(self._review_keys), self.review_quota - self.reviews_shown), 0)
        new = max(min(self.new_left, self.new_quota - self.new_shown), 0)
        learning = len(self._learning_keys)
        if self.limit is not None:  # --limit caps the answers left, queue by queue
            room = max(self.limit - self.summary.studied, 0)
            learning = min(learning, room)
            reviews = min(reviews, room - learning)
            new = min(new, room - learning - reviews)
        return Left(new, learning, reviews)

    # -- actions ---------------------------------------------------------------------------------

    def preview(self, card: Card, now: datetime) -> dict[Rating, timedelta]:
        """The interval on each rating key: what that answer would save now."""
        zone = self.scheduler.answer_zone(now)
        load = day_load(self.store, self.scheduler, zone)
        return self.scheduler.preview(self.state(card), now, card.key, load, zone)

    def answer(
        self, card: Card, rating: Rating, now: datetime, duration_ms: int | None = None
    ) -> AnswerResult:
        entry_id, before, after = record_answer(
            self.store, self.scheduler, card.key, rating, now, duration_ms
        )
        self.states[card.key] = after
        self._enqueue(card.key, after)
        if self.ahead and before.phase is not Phase.NEW:
            self._just_answered_ahead = self._just_answered_ahead | {card.key}
        self.history.append((entry_id, card, rating, "answer"))
        self._answered_today[card.key] = self._answered_today.get(card.key, 0) + 1
        if before.phase is Phase.NEW:
            self.new_shown += 1
            self.new_left -= 1
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
        self._set_aside(card, SUSPEND, now, None)
        self.summary.suspended += 1

    def bury(self, card: Card, now: datetime) -> None:
        """Hide the card until the next study day begins."""
        self._set_aside(card, BURY, now, next_day_at(now, self.settings.day_cutoff_hour))
        self.summary.buried += 1

    def _set_aside(self, card: Card, event: str, now: datetime, until: datetime | None) -> None:
        before = self.state(card)
        value = until.isoformat() if until is not None else None
        entry_id, after = self.store.log.record(card.key, event, now, value)
        self.states[card.key] = after
        self._enqueue(card.key, after)
        if before.phase is Phase.NEW and not before.suspended:
            self.new_left -= 1
        self.history.append((entry_id, card, None, event))

    @property
    def undoable(self) -> str | None:
        """What `undo` would take back: "answer", a suspension or a burial (the log's event
        names); None when nothing is left to undo."""
        return self.history[-1][3] if self.history else None

    def undo(self, now: datetime) -> Card | None:
        """Take back the last answer or suspension of this session; that card comes next.
        UndoRefused when the card has changed since in another session: nothing is taken back,
        and that answer leaves the session's undo history."""
        if not self.history:
            return None
        entry_id, card, rating, action = self.history.pop()
        before = self.state(card)
        _, restored = self.store.log.undo(entry_id, now, restorer(self.store, self.scheduler))
        self.states[card.key] = restored
        self._enqueue(card.key, restored)
        self._just_answered_ahead = self._just_answered_ahead - {card.key}
        if restored.phase is Phase.NEW and not restored.suspended:
            self.new_left += 1
            if card.key in self._members and card.key not in self._new_keys[self._new_next :]:
                self._new_keys.insert(self._new_next, card.key)
        if action == SUSPEND:
            self.summary.suspended -= 1
        elif action == BURY:
            self.summary.buried -= 1
        else:
            self._answered_today[card.key] -= 1
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
        self.summary.next_due = self.store.queue.next_due(self._members)
        self.summary.new_left = self.new_left
        self.summary.new_limit_reached = self.new_left > 0 and self.new_shown >= self.new_quota
        self.summary.new_per_day = self.settings.new_per_day
        self.summary.new_limit = self.new_limit
        return replace(self.summary)
