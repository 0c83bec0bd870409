"""A card's Anki review log as the history ec2cards replays, read the way Anki reads it.

Anki computes a card's FSRS memory from its revlog with rules of its own (rslib
`scheduler/fsrs/memory_state.rs` and `params.rs`, read, not copied), and ec2cards follows
them so that an imported card remembers what it remembered in Anki:

* **v1 answers.** Anki's v1 scheduler had three buttons in (re)learning: Again, Good, Easy.
  Importing a v1 package (its `schedVer` is 1 and some card is not new) renumbers them as
  Anki's upgrade does: ease 2 and 3 of learning and relearning rows become 3 and 4. Review
  and filtered-deck rows stay as written. A `.colpkg` is upgraded likewise (Anki asks to
  upgrade before it can study one).
* **Which rows count.** Rows without an answer (ease 0: set due date, "reschedule cards on
  change", a reset) are no reviews; answers in a filtered deck without rescheduling
  ("cramming": type 3, factor 0) do not count for memory, and are left out and counted.
* **Where memory starts.** Walking back from the newest row: the last learning run (type 0
  answers), or, if there is none, the oldest answer that set an interval of a day or more.
  A reset ("forget": type 4, factor 0) ends the walk; reviews before a reset, or before a
  learning run that older Anki started without logging a reset, came from a forgotten card:
  they are kept in the log, followed by a forget, so a replay starts anew as Anki does.
* **A missing start.** When memory starts at an answer that is not a learning run (a trimmed
  log, a reset followed by a due date), Anki turns that answer's SM-2 ease and interval into
  the starting memory; the imported review says so (`replay.sm2_value`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from ec2cards.interop.anki_collection import AnkiReview
from ec2cards.interop.common import HistoryItem
from ec2cards.model.events import FORGET
from ec2cards.model.ratings import Rating
from ec2cards.scheduling.replay import sm2_value

LEARN, REVIEW, RELEARN, FILTERED, MANUAL, RESCHEDULED = range(6)
DAY_SECONDS = 86_400


def upgrade_v1(row: AnkiReview) -> AnkiReview:
    """A v1 (re)learning answer on the four-button scale: Good 2 -> 3, Easy 3 -> 4."""
    if row.kind in (LEARN, RELEARN) and row.ease in (2, 3):
        return replace(row, ease=row.ease + 1)
    return row


def cramming(row: AnkiReview) -> bool:
    return row.kind == FILTERED and row.factor == 0


def reset(row: AnkiReview) -> bool:
    return row.kind == MANUAL and row.factor == 0


def answered(row: AnkiReview) -> bool:
    return 1 <= row.ease <= 4


def memory_start(rows: list[AnkiReview]) -> tuple[int | None, bool]:
    """The index of the row where Anki starts the card's memory, and whether that is a
    learning run (True) or an answer to take as an SM-2 start (False); None: no memory."""
    learning: int | None = None
    first_grade: int | None = None
    for index in range(len(rows) - 1, -1, -1):
        row = rows[index]
        if cramming(row):
            continue
        graded = answered(row)
        if graded and (row.interval >= 1 or row.interval <= -DAY_SECONDS):
            first_grade = index
        if graded and row.kind == LEARN:
            learning = index
        elif reset(row):
            if learning is not None or first_grade is not None:
                break
            return None, False  # reset, and not answered since
        elif learning is not None:
            break  # an older learning run: the card was forgotten without a log row
    if learning is not None:
        return learning, True
    if first_grade is not None:
        return first_grade, False
    return None, False


@dataclass
class CardHistory:
    """One card's events to import, and what was left out of them."""

    items: list[HistoryItem] = field(default_factory=list)
    cramming: int = 0


def _moment(row: AnkiReview) -> datetime:
    return datetime.fromtimestamp(row.at_ms / 1000, tz=timezone.utc)


def card_history(card_id: str, rows: list[AnkiReview]) -> CardHistory:
    """The card's rows (oldest first, already on the four-button scale) as events to import."""
    start, complete = memory_start(rows)
    history = CardHistory()
    reviewed_since_reset = False

    def forget(row: AnkiReview) -> None:
        nonlocal reviewed_since_reset
        history.items.append(HistoryItem(card_id, _moment(row), None, event=FORGET))
        reviewed_since_reset = False

    for index, row in enumerate(rows):
        if reset(row):
            forget(row)
            continue
        if not answered(row):
            continue  # a due date set, or rescheduled: not an answer
        if cramming(row):
            history.cramming += 1
            continue
        value = None
        if index == start and complete and reviewed_since_reset:
            forget(row)  # older Anki reset the card without logging it
        elif index == start and not complete:
            value = sm2_value((row.factor or 2500) / 1000, max(row.interval, 1))
        duration = row.duration_ms if row.duration_ms > 0 else None
        history.items.append(
            HistoryItem(card_id, _moment(row), Rating(row.ease), duration, value=value)
        )
        reviewed_since_reset = True
    return history
