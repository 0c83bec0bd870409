"""Reviews both ways. Reviews made elsewhere come into the append-only log, each Anki review id
once (the set of ids taken in or sent, never a high-water mark: ids are the device's clock, so
older offline reviews arrive late), and their cards' states are computed by a true replay of
the log. ec2cards' reviews go up as revlog rows whose id is the review's time in ms."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from ec2cards.config.settings import Settings
from ec2cards.interop.anki_notes import guid_for, possible_note_keys
from ec2cards.interop.anki_states import anki_id_at, revlog_row, time_of
from ec2cards.model.events import FORGET, SET_DUE
from ec2cards.model.ratings import Rating
from ec2cards.model.states import NEW_STATE, CardState
from ec2cards.scheduling.replay import merge_in, rebuild
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.storage.review_log import ReviewEntry
from ec2cards.storage.sync_state import SyncedReview
from ec2cards.sync.shadow import Shadow, ShadowCard

if TYPE_CHECKING:
    from ec2cards.storage.store import Store


class TakenIn(NamedTuple):
    reviews: int
    keys: set[str]  # cards with reviews or card actions taken in
    conflicts: int  # of those, cards with reviews of ours not yet sent: both kept
    actions: dict[str, int]  # card actions taken in, by event
    orphans: int = 0  # reviews of cards the Anki copy no longer has (gone from the decks)


# Entries that come from a revlog row of their own, taken in once by its id; a card action
# without one (suspend, bury and their undoing) is taken in only where it changes the card.
BY_ROW = ("review", FORGET, SET_DUE)


def guids_for(keys: Iterable[str]) -> set[str]:
    """The GUIDs of the notes these cards can be on: a card's own key, and for a cloze
    deletion (key ending -cN) the key of its note."""
    return {guid_for(note) for key in keys for note in possible_note_keys(key)}


def cards_of(shadow: Shadow, keys: Collection[str], whole: bool) -> dict[str, ShadowCard]:
    """The shadow's cards of these keys (all of ec2cards' cards when `whole`)."""
    if whole:
        return shadow.cards()
    if not keys:
        return {}
    found = shadow.cards_by_guid(guids_for(keys))
    return {key: card for key, card in found.items() if key in keys}


def take_in(
    store: Store,
    shadow: Shadow,
    settings: Settings,
    since_usn: int,
    sent_after: int,
    actions: Mapping[str, list[ReviewEntry]] | None = None,
) -> TakenIn:
    """Answers that reached the shadow from the server (usn `since_usn` or later) on
    ec2cards' cards and not yet in the log, and the card actions made in Anki (`actions`):
    appended, and their cards replayed in time order. An answer the log already holds at the
    same millisecond (imported from an Anki package) is not doubled."""
    arriving, gone = _answers(store, shadow, since_usn)
    for key, done in (actions or {}).items():
        arriving.setdefault(key, []).extend(done)
    scheduler = Scheduler(settings, numbers=store.cards.numbers())
    entries: list[tuple[int | None, ReviewEntry]] = []
    finals: dict[str, CardState] = {}
    for key, came in arriving.items():
        history = store.log.entries(key, snapshots=False)
        had = {(e.event, anki_id_at(e.reviewed_at)) for e in history if e.event in BY_ROW}
        new = [e for e in came if e.event not in BY_ROW or (e.event, anki_id_at(e.at)) not in had]
        if not new:
            continue
        new.sort(key=lambda e: e.at)
        # The one merge rule: what was done on the phone before what was done here (synced
        # late) takes its place in time, and the card is replayed in that order.
        merged, final = merge_in(key, history, new, scheduler)
        idle = {(e.event, e.at) for e in merged if e.event not in BY_ROW and e.before == e.after}
        if idle:  # a suspend of a card already suspended (a leech, say) changes nothing
            new = [e for e in new if (e.event, e.at) not in idle]
            merged, final = merge_in(key, history, new, scheduler)
        if merged:
            finals[key] = final
            entries.extend((anki_id_at(e.at) if e.event in BY_ROW else None, e) for e in merged)
    if not entries:
        return TakenIn(0, set(), 0, {})
    ours = {review.card_key for review in store.sync.reviews_to_send(sent_after)}
    store.sync.take_in_reviews(entries, finals)
    if scheduler.settings.load_balance:  # a card's day depends on every other card's
        rebuild(store, scheduler)
    answered = {e.card_key for _, e in entries if e.event == "review"}
    counted = Counter(e.event for _, e in entries if e.event != "review")
    reviews = sum(1 for _, e in entries if e.event == "review")
    orphans = sum(1 for _, e in entries if e.event == "review" and e.card_key in gone)
    return TakenIn(reviews, set(finals), len(ours & answered), dict(counted), orphans)


def _answers(
    store: Store, shadow: Shadow, since_usn: int
) -> tuple[dict[str, list[ReviewEntry]], set[str]]:
    """The answers on ec2cards' cards that came from the server, not yet taken in, by key, and
    the keys of those cards the Anki copy no longer has."""
    rows = shadow.answers_since(since_usn)
    if not rows:
        return {}, set()
    known = store.sync.known_anki_ids(row[0] for row in rows)
    rows = [row for row in rows if row[0] not in known]
    by_card = {card.card_id: key for key, card in shadow.cards_by_id({r[1] for r in rows}).items()}
    remembered = _gone_cards(store, shadow, {r[1] for r in rows} - by_card.keys())
    by_card.update(remembered)
    found: dict[str, list[ReviewEntry]] = {}
    for anki_id, cid, ease, taken in rows:
        key = by_card.get(cid)
        if key is not None:
            at, rating = time_of(anki_id), Rating(ease)
            entry = ReviewEntry(key, rating, at, taken or None, NEW_STATE, NEW_STATE)
            found.setdefault(key, []).append(entry)
    return found, set(remembered.values())


def _gone_cards(store: Store, shadow: Shadow, card_ids: set[int]) -> dict[int, str]:
    """The keys of cards gone from the decks (and so from the Anki copy) before the phone
    synced: their answers are kept under their keys all the same, and count when the card
    comes back. A card gone before sync kept Anki's card ids is known by its answers that were
    sent or taken in before."""
    found = store.sync.keys_of_cards(card_ids)
    unknown = card_ids - found.keys()
    if unknown:
        answers = shadow.answers_of(unknown)
        for anki_id, key in store.sync.keys_of_reviews(answers).items():
            found[answers[anki_id]] = key
    return found


def send(
    store: Store, shadow: Shadow, reviews: list[SyncedReview], cards: dict[str, ShadowCard]
) -> int:
    """Write the revlog rows of these reviews that the shadow lacks; how many were written.
    Each review's id is its time in ms, moved on by a millisecond while another review holds
    it; a row already there with the same card and button is this review, sent before."""
    reviews = [r for r in reviews if r.card_key in cards]
    if not reviews:
        return 0
    looked = {r.anki_id or anki_id_at(r.at) for r in reviews}
    present = shadow.revlog_rows(looked)
    # Ids that stand for another review of the log (sent before) or of this batch: a row there
    # with the same card and button is that other review, not this one (two answers of a card
    # in one millisecond, as a script with a fixed EC2CARDS_NOW gives).
    claimed = store.sync.known_anki_ids(looked)
    rows = []
    sent: list[tuple[int, int]] = []
    for review in reviews:
        cid = cards[review.card_key].card_id
        anki_id = review.anki_id or anki_id_at(review.at)
        while True:
            if anki_id not in looked:  # moved on past a taken id: look ahead a second at once
                ahead = range(anki_id, anki_id + 1000)
                present.update(shadow.revlog_between(anki_id, anki_id + 999))
                claimed |= store.sync.known_anki_ids(ahead)
                looked.update(ahead)
            there = present.get(anki_id)
            if there == (cid, int(review.rating)) and anki_id not in claimed:
                sent.append((anki_id, review.log_id))  # this review, sent before
                claimed.add(anki_id)
                break
            if there is None:
                rows.append(
                    revlog_row(
                        anki_id,
                        cid,
                        review.rating,
                        review.at,
                        review.duration_ms,
                        review.before,
                        review.after,
                    )
                )
                present[anki_id] = (cid, int(review.rating))
                sent.append((anki_id, review.log_id))
                claimed.add(anki_id)
                break
            if review.anki_id is not None:
                break  # its id holds another review now: it stays in the log only
            anki_id += 1
    shadow.add_revlog(rows)
    store.sync.record_sent(sent)
    return len(rows)
