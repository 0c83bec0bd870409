"""Decks and topics as `decks --json` and `topics --json` give them: one typed record each."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from ec2cards.model.decks import Collection, Deck, Skipped


class DeckJson(TypedDict):
    id: str
    title: str
    topics: list[str]
    cards: int
    path: str
    bundled: bool
    error: str | None  # a deck file that does not load: where and what its first problem is


class TopicJson(TypedDict):
    topic: str
    cards: int


def deck_json(deck: Deck) -> DeckJson:
    return {
        "id": deck.deck_id,
        "title": deck.title,
        "topics": list(deck.topics),
        "cards": len(deck.cards),
        "path": str(deck.path),
        "bundled": deck.bundled,
        "error": None,
    }


def broken_json(skipped: Skipped) -> DeckJson:
    """A deck file that does not load, listed with its first problem."""
    return {
        "id": skipped.deck_id or skipped.path.stem,
        "title": "",
        "topics": [],
        "cards": 0,
        "path": str(skipped.path),
        "bundled": False,
        "error": skipped.located(),
    }


def decks_json(collection: Collection) -> list[DeckJson]:
    """Every deck of the collection, in the order `decks` lists them, then the deck files that
    do not load."""
    return [deck_json(deck) for deck in collection.decks] + [
        broken_json(skipped) for skipped in collection.skipped
    ]


def topics_json(counts: dict[str, int]) -> list[TopicJson]:
    """Each topic with its number of cards, in the order `topics` lists them."""
    return [{"topic": topic, "cards": number} for topic, number in counts.items()]
