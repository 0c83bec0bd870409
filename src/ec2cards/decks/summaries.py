"""Decks and topics as `decks --json` and `topics --json` give them: one typed record each."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from ec2cards.model.decks import Collection, Deck


class DeckJson(TypedDict):
    id: str
    title: str
    topics: list[str]
    cards: int
    path: str
    bundled: bool


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
    }


def decks_json(collection: Collection) -> list[DeckJson]:
    """Every deck of the collection, in the order `decks` lists them."""
    return [deck_json(deck) for deck in collection.decks]


def topics_json(counts: dict[str, int]) -> list[TopicJson]:
    """Each topic with its number of cards, in the order `topics` lists them."""
    return [{"topic": topic, "cards": number} for topic, number in counts.items()]
