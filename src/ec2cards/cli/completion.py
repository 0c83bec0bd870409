"""What the shell completes: deck ids, topics and card keys, read from the deck cache (no YAML),
so that pressing Tab answers at once."""

from __future__ import annotations

from collections.abc import Iterator


def _cached_decks() -> Iterator[tuple[str, tuple[str, ...], tuple[tuple[str, ...], ...]]]:
    """(deck id, card keys, topic sets) of every deck whose cache is up to date."""
    from ec2cards.config.paths import data_dir
    from ec2cards.decks.cache_index import cache_dir, read_index
    from ec2cards.decks.sources import default_sources

    home = data_dir()
    cache = cache_dir(home)
    for source in default_sources(home):
        found = read_index(source.path, source.bundled, cache)
        if found is not None and found.header is not None:
            yield found.header.deck_id, found.keys, found.topic_sets


def deck_ids(incomplete: str) -> list[str]:
    return sorted(d for d, _, _ in _cached_decks() if d.startswith(incomplete))


def topics(incomplete: str) -> list[str]:
    found = {t for _, _, sets in _cached_decks() for topics in sets for t in topics}
    return sorted(t for t in found if t.startswith(incomplete))


def card_keys(incomplete: str) -> list[str]:
    """Card keys (deck/card-id) that start with what is typed, or card ids when a bare id is
    being typed (the commands take either)."""
    found: list[str] = []
    for _, keys, _ in _cached_decks():
        for key in keys:
            if key.startswith(incomplete):
                found.append(key)
            elif "/" not in incomplete and key.partition("/")[2].startswith(incomplete):
                found.append(key.partition("/")[2])
    return sorted(set(found))[:200]
