"""Moving a card's history to another key (`ec2cards relink`): a card whose words changed
without an `id` got a new key, and its history stayed under the old one."""

from __future__ import annotations

from datetime import datetime

from ec2cards.model.states import CardState
from ec2cards.storage.database import iso
from ec2cards.storage.review_log import ReviewLog


def move_history(
    log: ReviewLog, old: str, new: str, at: datetime, after: CardState, number: int | None = None
) -> int:
    """Every log entry of `old` becomes `new`'s, `after` (the moved history replayed under the
    new key) the new card's state, and the move is recorded, all in one transaction. Returns
    how many entries moved."""
    with log.db.transaction() as db:
        moved = db.execute(
            "UPDATE review_log SET card_key = ? WHERE card_key = ?", (new, old)
        ).rowcount
        db.execute("DELETE FROM card_state WHERE card_key = ?", (old,))
        # A phone's answer to the old card in Anki, synced late, follows its history.
        db.execute("UPDATE sync_card SET card_key = ? WHERE card_key = ?", (new, old))
        log.cards.put(db, new, after)
        if number is not None:  # the number the new key draws its fuzz from: the old key's
            log.cards.put_numbers(db, {new: number})
        db.execute(
            "INSERT INTO relinked (old_key, new_key, at, entries) VALUES (?, ?, ?, ?)",
            (old, new, iso(at), moved),
        )
    return int(moved)
