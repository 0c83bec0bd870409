"""The shadow collection: ec2cards' writes into a copy of the user's Anki collection, through
Anki's own API wherever it has one (raw SQL only for review-log rows, which it has no API for,
and for giving a card just added the id ec2cards seeds its fuzz with).

Nothing here changes a schema: the note types are made once with their final fields, presets and
note types are never removed and Check Database is never run, since each of those would force
a full sync. A card's last review time is always its newest answer in the revlog, which is what
Anki's Check Database expects (any other value is "fixed" there, and forces a full sync)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, NamedTuple

from ec2cards.interop.anki_notes import KEY_FIELD, NOTE_TYPES, NoteType, card_key, guid_for
from ec2cards.interop.anki_states import AnkiDays, today_of

PRESET = "ec2cards"
CHUNK = 900
# Answers that count as reviews: a button, and not cramming in a filtered deck without
# rescheduling (type 3, factor 0), as Anki's FSRS and its Check Database count them.
ANSWERS = "ease BETWEEN 1 AND 4 AND type < 4 AND (type != 3 OR factor != 0)"
# A card action's row: Forget (factor 0) or Set Due Date, "manual" (type 4) without a button.
# Type 5 ("rescheduled") is a change of the preset's parameters, not a card's action.
MANUAL = "ease = 0 AND type = 4"


class ShadowCard(NamedTuple):
    """One card of an ec2cards note in the shadow, and its note."""

    card_id: int
    note_id: int
    ordinal: int
    deck: int
    filtered: bool  # in a filtered deck: left where the user put it
    usn: int
    note_usn: int
    guid: str
    notetype: int
    fields: list[str]
    tags: str


class NewCard(NamedTuple):
    """A card Anki made for a note just added to the shadow."""

    card_id: int
    note_id: int
    ordinal: int


class AnkiAnswer(NamedTuple):
    """An answer in Anki's revlog: its id (its time in ms), the card, the button, ms taken."""

    id: int
    card_id: int
    button: int
    taken_ms: int


class AnkiManual(NamedTuple):
    """A row a card action wrote in Anki's revlog (Forget or Set Due Date: type 4, no button):
    its id (its time in ms), the card, the interval it set and the factor (0 for a reset)."""

    id: int
    card_id: int
    interval: int
    factor: int


class CardPlace(NamedTuple):
    """Where an Anki card stands: its type, queue, due (or original due in a filtered deck),
    its modification time (epoch seconds), its newest revlog row's id (0 for none) and its
    counts of answers and lapses."""

    type: int
    queue: int
    due: int
    mod: int
    last_row: int
    reps: int
    lapses: int


class Shadow:
    """ec2cards' notes, decks, preset, reviews and card states in an open collection."""

    def __init__(self, col: Any) -> None:
        self.col = col
        self.db = col.db
        self._decks: dict[str, int] = {}
        self._preset: int | None = None
        found = [self._notetype(note_type) for note_type in NOTE_TYPES]
        self.notetypes = {int(nt["id"]): nt for nt in found if nt is not None}

    def _notetype(self, note_type: NoteType) -> Any:
        models = self.col.models
        return models.get(note_type.model_id) or models.by_name(note_type.name)

    # -- the stamps of a sync ------------------------------------------------------------------

    def usn(self) -> int:
        return int(self.db.scalar("SELECT usn FROM col"))

    def modified(self) -> int:
        return int(self.db.scalar("SELECT mod FROM col"))

    def days(self, cutoff_hour: int) -> AnkiDays:
        return today_of(self.col.sched.today, self.col.sched.day_cutoff, cutoff_hour)

    # -- note types, decks and the preset ------------------------------------------------------

    def ensure_notetypes(self) -> None:
        """Make ec2cards' two note types, as the .apkg export defines them, if missing."""
        models = self.col.models
        for note_type in NOTE_TYPES:
            if self._notetype(note_type) is not None:
                continue
            notetype = models.new(note_type.name)
            notetype["type"] = 1 if note_type.cloze else 0
            for name in note_type.fields:
                models.add_field(notetype, models.new_field(name))
            for template in note_type.templates:
                made = models.new_template(template.name)
                made["qfmt"], made["afmt"] = template.qfmt, template.afmt
                models.add_template(notetype, made)
            notetype["css"] = note_type.css
            models.add_dict(notetype)
        self.notetypes = {int(nt["id"]): nt for nt in map(self._notetype, NOTE_TYPES) if nt}

    def is_cloze(self, notetype: int) -> bool:
        return bool(self.notetypes[notetype]["type"] == 1)

    def key_index(self, notetype: int) -> int:
        return [f["name"] for f in self.notetypes[notetype]["flds"]].index(KEY_FIELD)

    def notetype_for(self, cloze: bool) -> int:
        return next(i for i in self.notetypes if self.is_cloze(i) == cloze)

    def preset(self) -> int:
        if self._preset is None:
            for conf in self.col.decks.all_config():
                if conf["name"] == PRESET:
                    self._preset = int(conf["id"])
                    break
            else:
                self._preset = int(self.col.decks.add_config_returning_id(PRESET))
        return self._preset

    def deck(self, name: str) -> int:
        """The deck (EC2::<topic>), made if missing, with its parents on ec2cards' preset."""
        did = self._decks.get(name)
        if did is None:
            did = int(self.col.decks.id(name))
            parts = name.split("::")
            for depth in range(1, len(parts) + 1):
                found = self.col.decks.by_name("::".join(parts[:depth]))
                if found and not found.get("dyn") and found.get("conf") != self.preset():
                    found["conf"] = self.preset()
                    self.col.decks.save(found)
            self._decks[name] = did
        return did

    # -- what the shadow holds -----------------------------------------------------------------

    def cards(self, where: str = "", params: Sequence[Any] = ()) -> dict[str, ShadowCard]:
        """ec2cards' cards in the shadow by card key (a note is ec2cards' when its GUID is the
        one its key gives), optionally narrowed by a condition on `c` (cards) or `n` (notes)."""
        if not self.notetypes:
            return {}
        kinds = ",".join(str(i) for i in self.notetypes)
        rows = self.db.all(
            "SELECT c.id, c.nid, c.ord, c.did, c.odid, c.usn, n.usn, n.guid, n.mid, n.flds, n.tags"
            f" FROM cards c JOIN notes n ON n.id = c.nid WHERE n.mid IN ({kinds})"
            + (f" AND ({where})" if where else ""),
            *params,
        )
        found: dict[str, ShadowCard] = {}
        index = {mid: (self.key_index(mid), self.is_cloze(mid)) for mid in self.notetypes}
        guids: dict[str, bool] = {}
        for cid, nid, ordinal, did, odid, usn, note_usn, guid, mid, flds, tags in rows:
            fields = flds.split("\x1f")
            at, cloze = index[mid]
            note_key = fields[at] if at < len(fields) else ""
            ours = guids.get(guid)
            if ours is None:
                ours = guids[guid] = bool(note_key) and guid_for(note_key) == guid
            if ours:
                key = card_key(note_key, cloze, ordinal)
                found[key] = ShadowCard(
                    cid, nid, ordinal, did, bool(odid), usn, note_usn, guid, mid, fields, tags
                )
        return found

    def cards_by_guid(self, guids: Collection[str]) -> dict[str, ShadowCard]:
        return self._cards_in("n.guid", list(guids))

    def cards_by_id(self, card_ids: Collection[int]) -> dict[str, ShadowCard]:
        return self._cards_in("c.id", list(card_ids))

    def _cards_in(self, column: str, values: list[Any]) -> dict[str, ShadowCard]:
        found: dict[str, ShadowCard] = {}
        for start in range(0, len(values), CHUNK):
            chunk = values[start : start + CHUNK]
            found.update(self.cards(f"{column} IN ({','.join('?' * len(chunk))})", chunk))
        return found

    def note_count(self) -> int:
        if not self.notetypes:
            return 0
        kinds = ",".join(str(i) for i in self.notetypes)
        return int(self.db.scalar(f"SELECT count() FROM notes WHERE mid IN ({kinds})"))

    # -- notes ---------------------------------------------------------------------------------

    def add_notes(
        self, notes: Sequence[tuple[int, str, list[str], Sequence[str], int]]
    ) -> list[int]:
        """(note type, GUID, fields, tags, deck) of new notes; their ids."""
        from anki.collection import AddNoteRequest
        from anki.decks import DeckId

        requests = []
        for notetype, guid, fields, tags, deck in notes:
            note = self.col.new_note(self.notetypes[notetype])
            note.guid = guid
            note.fields = list(fields)
            note.tags = list(tags)
            requests.append(AddNoteRequest(note, DeckId(deck)))
        if requests:
            self.col.add_notes(requests)
        return [int(request.note.id) for request in requests]

    def update_notes(self, changes: Mapping[int, tuple[list[str], Sequence[str]]]) -> None:
        """New fields and tags of existing notes, by note id."""
        notes = []
        for nid, (fields, tags) in changes.items():
            note = self.col.get_note(nid)
            note.fields = list(fields)
            note.tags = list(tags)
            notes.append(note)
        if notes:
            self.col.update_notes(notes)

    def move(self, moves: Mapping[int, list[int]]) -> None:
        for deck, cids in moves.items():
            self.col.set_deck(cids, deck)

    def remove(self, note_ids: Collection[int], card_ids: Collection[int]) -> None:
        """Whole notes, and single cards of notes that keep others (a cloze deletion gone)."""
        if note_ids:
            self.col.remove_notes(list(note_ids))
        if card_ids:
            self.col.remove_cards_and_orphaned_notes(list(card_ids))

    def renumber(self, wanted: Mapping[int, int]) -> int:
        """Give cards just added (never synced, never answered) the ids ec2cards numbers them
        with, as Anki seeds a card's fuzz with its id: the phone then fuzzes as the terminal.
        An id another card holds is left as Anki chose it."""
        targets = list(wanted.values())
        taken: set[int] = set()
        for start in range(0, len(targets), CHUNK):
            chunk = targets[start : start + CHUNK]
            taken.update(
                self.db.list(
                    f"SELECT id FROM cards WHERE id IN ({','.join('?' * len(chunk))})", *chunk
                )
            )
        pairs = [(new, old) for old, new in wanted.items() if new not in taken and new != old]
        if pairs:
            self.db.transact(
                lambda: self.db.executemany("UPDATE cards SET id = ? WHERE id = ?", pairs)
            )
        return len(pairs)

    def new_cards(self, note_ids: Collection[int]) -> list[NewCard]:
        """These notes' cards."""
        found: list[NewCard] = []
        wanted = list(note_ids)
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            found.extend(
                NewCard(*row)
                for row in self.db.all(
                    f"SELECT id, nid, ord FROM cards WHERE nid IN ({','.join('?' * len(chunk))})",
                    *chunk,
                )
            )
        return found

    # -- reviews -------------------------------------------------------------------------------

    def answers_since(self, usn: int) -> list[AnkiAnswer]:
        """Answers that came from the server with this usn or later (a row made here waits
        with usn -1, and rows of earlier syncs have lower ones)."""
        return [
            AnkiAnswer(*row)
            for row in self.db.all(
                f"SELECT id, cid, ease, time FROM revlog WHERE usn >= ? AND {ANSWERS} ORDER BY id",
                usn,
            )
        ]

    def manual_since(self, usn: int) -> list[AnkiManual]:
        """Forget and Set Due Date rows that came from the server with this usn or later."""
        return [
            AnkiManual(*row)
            for row in self.db.all(
                f"SELECT id, cid, ivl, factor FROM revlog WHERE usn >= ? AND {MANUAL} ORDER BY id",
                usn,
            )
        ]

    def revlog_rows(self, ids: Collection[int]) -> dict[int, tuple[int, int]]:
        """(card id, button) of the revlog rows with these ids."""
        found: dict[int, tuple[int, int]] = {}
        wanted = list(ids)
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            for rid, cid, ease in self.db.all(
                f"SELECT id, cid, ease FROM revlog WHERE id IN ({','.join('?' * len(chunk))})",
                *chunk,
            ):
                found[rid] = (cid, ease)
        return found

    def answers_of(self, card_ids: Collection[int]) -> dict[int, int]:
        """The answers of these cards in the revlog: their ids, and each one's card."""
        found: dict[int, int] = {}
        wanted = list(card_ids)
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            found.update(self.db.all(f"SELECT id, cid FROM revlog WHERE cid IN ({marks})", *chunk))
        return found

    def revlog_between(self, first: int, last: int) -> dict[int, tuple[int, int]]:
        rows = self.db.all("SELECT id, cid, ease FROM revlog WHERE id BETWEEN ? AND ?", first, last)
        return {rid: (cid, ease) for rid, cid, ease in rows}

    def add_revlog(self, rows: Sequence[tuple[int, ...]]) -> None:
        """Rows go in inside a transaction: only a committed transaction stamps the collection
        as changed, and an unstamped change would wait for some other change to be synced."""
        if rows:
            self.db.transact(
                lambda: self.db.executemany(
                    "INSERT OR IGNORE INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor,"
                    " time, type) VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
            )

    # -- card states ---------------------------------------------------------------------------

    def changed_since(self, usn: int) -> dict[str, ShadowCard]:
        """ec2cards' cards whose card or note came from the server with this usn or later."""
        found = self.cards("c.usn >= ?", [usn])
        found.update(self.cards("n.id IN (SELECT id FROM notes WHERE usn >= ?)", [usn]))
        return found

    def held(self) -> dict[str, int]:
        """The queue of each of ec2cards' cards that is suspended or buried (a queue below 0)."""
        found = self.cards("c.queue < 0")
        queues = dict(self.db.all("SELECT id, queue FROM cards WHERE queue < 0"))
        return {key: int(queues[card.card_id]) for key, card in found.items()}

    def places(self, card_ids: Collection[int]) -> dict[int, CardPlace]:
        """Where these cards stand, by card id."""
        found: dict[int, CardPlace] = {}
        wanted = list(card_ids)
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            last = dict(
                self.db.all(
                    f"SELECT cid, max(id) FROM revlog WHERE cid IN ({marks}) GROUP BY cid", *chunk
                )
            )
            for cid, kind, queue, due, odue, odid, mod, reps, lapses in self.db.all(
                "SELECT id, type, queue, due, odue, odid, mod, reps, lapses FROM cards"
                f" WHERE id IN ({marks})",
                *chunk,
            ):
                due = odue if odid else due
                found[int(cid)] = CardPlace(kind, queue, due, mod, last.get(cid, 0), reps, lapses)
        return found
