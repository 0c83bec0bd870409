"""Card states into the shadow's cards: only where they differ from what Anki holds, each with
its last review time taken from its newest answer in the revlog (what Anki's Check Database
expects), leaving out answers undone here after they were synced."""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping

from ec2cards.interop.anki_states import AnkiSchedule
from ec2cards.sync.shadow import ANSWERS, CHUNK, Shadow


def put_schedules(
    shadow: Shadow, wanted: Mapping[int, AnkiSchedule], undone: Collection[int] = ()
) -> list[int]:
    """Write these schedules to their cards where they differ; the ids of those changed. A
    card's last review time is its newest answer in the revlog that was not undone here
    (`undone`: revlog ids; Anki's sync cannot take a review back, so the row stays)."""
    from anki.cards import FSRSMemoryState

    skipped = json.dumps(sorted(undone))

    ids = list(wanted)
    changed = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        last = dict(
            shadow.db.all(
                f"SELECT cid, max(id) / 1000 FROM revlog WHERE cid IN ({marks}) AND {ANSWERS}"
                " AND id NOT IN (SELECT value FROM json_each(?)) GROUP BY cid",
                *chunk,
                skipped,
            )
        )
        rows = shadow.db.all(
            "SELECT id, type, queue, due, ivl, left, reps, lapses, data, odid FROM cards"
            f" WHERE id IN ({marks})",
            *chunk,
        )
        for cid, kind, queue, due, ivl, left, reps, lapses, data, odid in rows:
            want = wanted[cid]
            if odid:
                continue  # in a filtered deck on the phone: its due is the filter's
            memory = _memory(data)
            now = (kind, queue, due if want.due is not None else None, ivl, left, reps, lapses)
            goal = (
                want.type,
                want.queue,
                want.due,
                want.ivl,
                want.left,
                want.reps,
                want.lapses,
            )
            same_memory = _close(memory[0], want.stability) and _close(memory[1], want.difficulty)
            if now == goal and same_memory and memory[2] == last.get(cid):
                continue
            card = shadow.col.get_card(cid)
            card.type, card.queue, card.ivl, card.left = (
                want.type,
                want.queue,
                want.ivl,
                want.left,
            )
            card.reps, card.lapses = want.reps, want.lapses
            if want.due is not None:
                card.due = want.due
            elif kind != 0:  # made new again: to the end of the new queue
                card.due = int(
                    shadow.db.scalar("SELECT COALESCE(max(due), 0) + 1 FROM cards WHERE type = 0")
                )
            card.memory_state = (
                FSRSMemoryState(stability=want.stability, difficulty=want.difficulty)
                if want.stability is not None and want.difficulty is not None
                else None
            )
            card.last_review_time = last.get(cid)
            changed.append(card)
    if changed:
        shadow.col.update_cards(changed)
    return [int(card.id) for card in changed]


def _memory(data: str) -> tuple[float | None, float | None, int | None]:
    try:
        parsed = json.loads(data) if data else {}
    except ValueError:
        parsed = {}
    return parsed.get("s"), parsed.get("d"), parsed.get("lrt")


def _close(have: float | None, want: float | None) -> bool:
    if have is None or want is None:
        return have is None and want is None
    return math.isclose(have, want, rel_tol=1e-4, abs_tol=1e-4)
