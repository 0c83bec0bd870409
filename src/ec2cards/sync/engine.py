"""One sync, both ways, through the shadow collection.

1. Pull: the shadow syncs as it is. A full sync the server demands is a download (the shadow is
   only a copy: everything of ec2cards' is then written again from the decks and the log); an
   upload happens only when the server asks for one (an empty account) or a killed upload is
   being finished.
2. Reviews and card actions (suspend, bury, forget, a due date) that came down go into the
   log, in time order; the decks' changes, ec2cards' reviews and the
   states of the cards they touched go into the shadow.
3. Push: the shadow syncs again, if anything changed.

Every step can be killed: the log only ever gains whole reviews (each with its Anki id, in one
transaction), the shadow only whole Anki operations, and the next sync compares what is there
with the truth and finishes the job.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ec2cards.config.settings import Settings
from ec2cards.interop.anki_states import schedule_for
from ec2cards.model.decks import Collection as Decks
from ec2cards.scheduling.replay import rebuild
from ec2cards.scheduling.scheduler import Scheduler
from ec2cards.storage.database import iso
from ec2cards.sync.actions import HELD, card_actions, held_in
from ec2cards.sync.content import apply_content, deck_stamps, digests
from ec2cards.sync.library import anki_failures, load_anki, plain
from ec2cards.sync.login import Login, shadow_path, write_login
from ec2cards.sync.preset import configure
from ec2cards.sync.reviews import TakenIn, cards_of, send, take_in
from ec2cards.sync.schedules import put_schedules
from ec2cards.sync.shadow import Shadow
from ec2cards.sync.status import SyncCounts

if TYPE_CHECKING:
    from ec2cards.storage.store import Store

# Anki's answers to sync_collection (SyncCollectionResponse.ChangesRequired)
NO_CHANGES, NORMAL_SYNC, FULL_SYNC, FULL_DOWNLOAD, FULL_UPLOAD = range(5)
ROUNDS = 3  # a full sync forced by another device between our pull and push: go again


@dataclass
class SyncReport(SyncCounts):
    """What one sync did, for the summary and for `sync status`."""

    pushed_keys: set[str] = field(default_factory=set)

    @property
    def cards_pushed(self) -> int:
        return len(self.pushed_keys) + self.updated + self.removed

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["pushed_keys"] = None
        data["cards_pushed"] = self.cards_pushed
        return {k: v for k, v in data.items() if v is not None}


class _Session:
    """The open shadow, its login and the marks of the last sync."""

    def __init__(self, home: Path, store: Store, login: Login) -> None:
        self.home, self.store, self.login = home, store, login
        self.path = shadow_path(home)
        self.collection = load_anki()
        from anki.sync import SyncAuth

        self.auth = SyncAuth(hkey=login.key, endpoint=login.endpoint, io_timeout_secs=60)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fresh = not self.path.exists()
        self.col: Any = None

    def failures(self) -> Any:
        return anki_failures(self.login.endpoint, self.login.user, self.path)

    def open(self) -> Shadow:
        with self.failures():
            self.col = self.collection.Collection(str(self.path))
        return Shadow(self.col)

    def close(self) -> None:
        if self.col is not None and self.col.db is not None:
            self.col.close()
        self.col = None

    def exchange(self, report: SyncReport) -> int:
        """One sync_collection: a normal sync is done inside it; a full one is only asked for."""
        out = self.col.sync_collection(self.auth, sync_media=False)
        if out.HasField("new_endpoint") and out.new_endpoint:  # AnkiWeb's shard for this user
            self.auth.endpoint = out.new_endpoint
            self.login = Login(self.login.user, self.login.key, out.new_endpoint)
            write_login(self.home, self.login)
        if out.server_message:
            report.message = plain(out.server_message)
        return int(out.required)

    def full(self, upload: bool) -> Shadow:
        """The whole collection one way. The backend closes and reopens the file itself."""
        self.col.close_for_full_sync()
        try:
            self.col.full_upload_or_download(auth=self.auth, server_usn=None, upload=upload)
        finally:
            self.col.reopen(after_full_sync=True)
        return Shadow(self.col)


def run_sync(
    home: Path, store: Store, decks: Decks, settings: Settings, now: datetime, login: Login
) -> SyncReport:
    """Sync the decks and the log with the account `login` names."""
    session = _Session(home, store, login)
    report = SyncReport(login.server, at=iso(now))
    try:
        shadow = session.open()
        with session.failures():
            for _ in range(ROUNDS):
                again, shadow = _round(session, shadow, report, decks, settings, now)
                if not again:
                    break
    finally:
        session.close()
    store.sync.set_marks({"last": json.dumps(report.to_json())})
    return report


def _round(
    session: _Session,
    shadow: Shadow,
    report: SyncReport,
    decks: Decks,
    settings: Settings,
    now: datetime,
) -> tuple[bool, Shadow]:
    store = session.store
    marks = store.sync.marks()
    whole = session.fresh or "log" not in marks or bool(report.full)
    # Rows that came from the server carry its usn: those of this pull have at least the
    # shadow's usn before it, and answers taken in last time had less than the usn after it.
    since = 0 if whole else shadow.usn()
    answers_since = 0 if whole else int(marks.get("usn", "0"))
    required = session.exchange(report)
    upload = required == FULL_UPLOAD or (required == FULL_SYNC and "upload" in marks)
    if "upload" in marks and required != FULL_SYNC:  # the killed upload was finished after all
        store.sync.set_marks({"upload": None})
    if required in (FULL_SYNC, FULL_DOWNLOAD) and not upload:
        shadow = session.full(upload=False)
        report.full, whole, since, answers_since = "downloaded", True, 0, 0
    pulled_at, pulled_usn = shadow.modified(), shadow.usn()

    touched = {} if whole else shadow.changed_since(since)
    seen = shadow.cards() if whole or "cards" not in marks else touched
    _remember(store, settings, {key: card.card_id for key, card in seen.items()})
    log_mark = 0 if whole else int(marks.get("log", "0"))
    taken = _take_in(store, shadow, report, settings, marks, answers_since, log_mark, now)
    mark_to = store.sync.last_log_id()
    if configure(shadow, settings):  # the hour a day starts changed: Anki reads it on opening
        session.close()
        shadow = session.open()

    edited = {card.guid for card in touched.values() if card.note_usn >= since}
    numbers = store.cards.numbers()
    new_keys, content_marks = _content(
        shadow, report, decks, marks, whole, touched, edited, numbers
    )

    settings_mark = repr(settings)
    everything = whole or marks.get("settings") != settings_mark
    reviews = store.sync.reviews_to_send(log_mark, new_keys)
    if whole:
        reviews += store.sync.synced_reviews()
    changed, every_card = store.sync.keys_changed_since(log_mark)
    everything = everything or every_card
    keys = changed | taken.keys | new_keys | {k for k, c in touched.items() if c.usn >= since}
    wanted = set(store.cards.all_keys()) if everything else keys
    cards = cards_of(shadow, wanted | {r.card_key for r in reviews}, everything)
    _remember(store, settings, {key: cards[key].card_id for key in new_keys if key in cards})
    report.sent += send(store, shadow, reviews, cards)
    undone = store.sync.undone_in_anki()
    _put_states(store, shadow, report, cards, wanted, settings, now, undone)
    report.undone += max(len(undone) - int(marks.get("undone", "0")), 0)

    new_marks = {
        "log": str(mark_to),
        "usn": str(pulled_usn),
        "settings": settings_mark,
        "cards": "1",
        "undone": str(len(undone)),
        HELD: json.dumps(held_in(shadow), sort_keys=True),
        **content_marks,
    }
    if any(marks.get(name) != value for name, value in new_marks.items()):
        store.sync.set_marks(new_marks)
    if shadow.modified() == pulled_at and not upload:
        return False, shadow
    return _push(session, shadow, report, upload)


def _put_states(
    store: Store,
    shadow: Shadow,
    report: SyncReport,
    cards: dict[str, Any],
    wanted: set[str],
    settings: Settings,
    now: datetime,
    undone: set[int],
) -> None:
    """The cached states of the `wanted` cards into their Anki cards, where they differ (a
    card's last review is its newest answer in Anki that was not `undone` here)."""
    states = store.cards.states(wanted) if wanted else {}
    days = shadow.days(settings.day_cutoff_hour)
    by_id = {cards[key].card_id: key for key in states if key in cards}
    schedules = {cid: schedule_for(states[key], days, now) for cid, key in by_id.items()}
    changed_ids = put_schedules(shadow, schedules, undone)
    report.pushed_keys |= {by_id[cid] for cid in changed_ids}
    report.schedules += len(changed_ids)


def _push(
    session: _Session, shadow: Shadow, report: SyncReport, upload: bool
) -> tuple[bool, Shadow]:
    """The shadow's changes up to the server; whether a full download forced by another
    device means another round."""
    store = session.store
    required = session.exchange(report)
    if required == FULL_UPLOAD or (upload and required == FULL_SYNC):
        store.sync.set_marks({"upload": "1"})
        shadow = session.full(upload=True)
        store.sync.set_marks({"upload": None})
        report.full = "uploaded"
        return False, shadow
    if required in (FULL_SYNC, FULL_DOWNLOAD):  # another device forced one meanwhile
        shadow = session.full(upload=False)
        report.full = "downloaded"
        return True, shadow
    return False, shadow


def _take_in(
    store: Store,
    shadow: Shadow,
    report: SyncReport,
    settings: Settings,
    marks: dict[str, str],
    since_usn: int,
    log_mark: int,
    now: datetime,
) -> TakenIn:
    """What came down from the server into the log: the answers, and the card actions made
    in Anki (suspend, bury, forget, a due date), all placed in time. ec2cards' own card actions
    since the last sync are counted first: their states go up in this sync."""
    for event, count in store.sync.actions_since(int(marks.get("log", "0"))).items():
        report.actions_pushed[event] = report.actions_pushed.get(event, 0) + count
    days = shadow.days(settings.day_cutoff_hour)
    actions = card_actions(store, shadow, days, marks, since_usn, log_mark, now)
    taken = take_in(store, shadow, settings, since_usn, log_mark, actions)
    report.taken += taken.reviews
    report.orphans += taken.orphans
    report.conflicts += taken.conflicts
    for event, count in taken.actions.items():
        report.actions_pulled[event] = report.actions_pulled.get(event, 0) + count
    return taken


def _remember(store: Store, settings: Settings, ids: dict[str, int]) -> None:
    """Which card each Anki card id is (`ids`: the cards that came down, every card on a full
    download or the first sync that remembers them; the cards just added), so that a phone's
    answer to a card that has left the decks since still finds its card. A card adopted from
    an earlier export keeps the id Anki gave it and draws its fuzz from it: its history is
    replayed with that seed."""
    changed = store.sync.remember_cards(ids)
    if changed and store.cards.states(changed):
        rebuild(store, Scheduler(settings))


def _content(
    shadow: Shadow,
    report: SyncReport,
    decks: Decks,
    marks: dict[str, str],
    whole: bool,
    touched: dict[str, Any],
    edited: set[str],
    numbers: dict[str, int],
) -> tuple[set[str], dict[str, str]]:
    """The decks whose file changed, or whose notes were edited in Anki, written to the shadow;
    after a full download, or when notes of ec2cards' were deleted in Anki, also the decks
    whose notes in the shadow are not what the last sync left. The keys of the cards added,
    and the marks to keep."""
    stamps = deck_stamps(decks.decks)
    old = json.loads(marks.get("stamps", "{}"))
    held = json.loads(marks.get("digests", "{}"))
    scope = {d for d in stamps.keys() | old.keys() if stamps.get(d) != old.get(d)}
    scope |= {key.partition("/")[0] for key, card in touched.items() if card.guid in edited}
    present = None
    if whole or str(shadow.note_count()) != marks.get("notes"):
        present = shadow.cards()
        now_held = digests(present)
        scope |= {d for d in now_held.keys() | held.keys() if now_held.get(d) != held.get(d)}
    new_keys: set[str] = set()
    if scope:
        applied = apply_content(shadow, decks, scope, edited, present, numbers)
        report.added += applied.added
        report.updated += applied.updated
        report.removed += applied.removed
        report.reset += applied.reset
        report.pushed_keys |= applied.new_keys
        new_keys = applied.new_keys
        held = {d: h for d, h in held.items() if d not in scope}
        held.update((d, h) for d, h in digests(shadow.cards()).items() if d in scope)
    kept = {
        "stamps": json.dumps(stamps, sort_keys=True),
        "digests": json.dumps(held, sort_keys=True),
        "notes": str(shadow.note_count()),
    }
    return new_keys, kept
