"""ec2cards cards as Anki notes: the shape both the .apkg and the CSV exporters write.

One note per YAML card: a cloze card's c1, c2, ... siblings are one Cloze note again. Choice and
order cards have no Anki note type of their own, so they become Basic notes whose front lists
the options (or the items, alphabetically) and whose back gives the right option (the order).
Each note's GUID is derived from the card's key, so exporting again updates the notes in Anki
instead of adding copies.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from ec2cards.interop.common import TOPIC_TAG
from ec2cards.interop.html_text import markdown_to_html
from ec2cards.model.cards import Card, CardKind

DECK_PREFIX = "EC2::"


@dataclass(frozen=True)
class ExportNote:
    """One Anki note: Basic (front/back) or Cloze (text), fields already HTML."""

    key: str  # deck id / card id (the cloze base id for cloze notes)
    guid: str
    cloze: bool
    deck: str  # the Anki deck name, EC2::<topic>
    front: str  # the Front field, or the cloze Text
    back: str  # the Back field ('' for cloze)
    accept: str
    note: str
    source: str
    tags: tuple[str, ...]
    cards: int  # how many ec2cards cards the note stands for


def guid_for(key: str) -> str:
    """Anki's GUID shape (base91 of a hash), as genanki computes it, from the card key."""
    import genanki

    return str(genanki.guid_for("ec2cards", key))


def _list(items: Sequence[str], ordered: bool) -> str:
    tag = "ol" if ordered else "ul"
    inner = "".join(f"<li>{markdown_to_html(item)}</li>" for item in items)
    return f"<{tag}>{inner}</{tag}>"


def anki_tags(card: Card) -> tuple[str, ...]:
    """Topics as `topic::<topic>` (they come back as topics), tags with '_' for spaces."""
    tags = [TOPIC_TAG + topic for topic in card.topics]
    tags += ["_".join(tag.split()) for tag in card.tags if tag.strip()]
    return tuple(dict.fromkeys(tags))


def cloze_base(card: Card) -> str:
    suffix = f"-c{card.cloze_number}"
    return card.card_id[: -len(suffix)] if card.card_id.endswith(suffix) else card.card_id


def build_notes(cards: Sequence[Card]) -> list[ExportNote]:
    """The notes for `cards`, in their order; cloze siblings folded into one note."""
    notes: list[ExportNote] = []
    cloze_notes: dict[str, int] = {}  # key -> index in notes
    for card in cards:
        note = markdown_to_html(card.note) if card.note else ""
        source = html.escape(card.source) if card.source else ""
        common = {
            "deck": DECK_PREFIX + card.topic,
            "note": note,
            "source": source,
            "tags": anki_tags(card),
        }
        if card.kind is CardKind.CLOZE:
            key = f"{card.deck_id}/{cloze_base(card)}"
            if key in cloze_notes:
                index = cloze_notes[key]
                earlier = notes[index]
                notes[index] = ExportNote(**{**earlier.__dict__, "cards": earlier.cards + 1})
                continue
            cloze_notes[key] = len(notes)
            notes.append(
                ExportNote(
                    key=key,
                    guid=guid_for(key),
                    cloze=True,
                    front=markdown_to_html(card.cloze_text),
                    back="",
                    accept="",
                    cards=1,
                    **common,  # type: ignore[arg-type]
                )
            )
            continue
        question = markdown_to_html(card.question)
        if card.kind is CardKind.CHOICE:
            front = question + _list(card.options, ordered=True)
            back = "<br>".join(markdown_to_html(option) for option in card.correct)
        elif card.kind is CardKind.ORDER:
            front = question + _list(sorted(card.items, key=str.casefold), ordered=False)
            back = _list(card.items, ordered=True)
        else:
            front, back = question, markdown_to_html(card.answer)
        notes.append(
            ExportNote(
                key=card.key,
                guid=guid_for(card.key),
                cloze=False,
                front=front,
                back=back,
                accept=html.escape("; ".join(card.accept)),
                cards=1,
                **common,  # type: ignore[arg-type]
            )
        )
    return notes
