"""`ec2cards check`: every problem in every deck, plus cards whose history lost its deck."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ec2cards.decks.cache_index import cache_dir
from ec2cards.decks.selection import deck_id_written
from ec2cards.decks.sources import default_sources, load_sources, sources_for_paths
from ec2cards.errors import Problem
from ec2cards.model.card_lists import card_keys, card_topics
from ec2cards.model.decks import Deck


@dataclass
class CheckReport:
    decks: list[Deck]
    problems: list[Problem]
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        cards = sum(len(d.cards) for d in self.decks)
        topics = {t for d in self.decks for ts in card_topics(d.cards) for t in ts}
        return f"ok: {len(self.decks)} decks, {cards} cards, {len(topics)} topics" + (
            f", {len(self.warnings)} warnings" if self.warnings else ""
        )


def check(
    home: Path, history_keys: Callable[[], Iterable[str]], paths: Sequence[Path] = ()
) -> CheckReport:
    """Every deck problem and, when every deck was checked, the cards whose history lost its
    deck. `history_keys` reads the keys of the review log from a store opened as every command
    opens it (backed up before a migration), and is called only when there is a log."""
    sources = sources_for_paths(paths) if paths else default_sources(home)
    decks, problems = load_sources(sources, cache_dir(home))
    problems.sort(key=lambda p: (str(p.path), p.line, p.column))
    report = CheckReport(decks, problems)
    if not paths:
        waiting = {deck_id_written(p.path) for p in problems} - {None}  # decks that do not load now
        orphans = [
            k for k in orphan_keys(home, decks, history_keys) if k.partition("/")[0] not in waiting
        ]
        if orphans:
            shown = ", ".join(orphans[:10]) + (" …" if len(orphans) > 10 else "")
            report.warnings.append(
                f"{len(orphans)} cards in your review history are in no deck (orphans, history"
                f" kept; re-adding a card brings it back): {shown}"
            )
    return report


def orphan_keys(
    home: Path, decks: list[Deck], history_keys: Callable[[], Iterable[str]]
) -> list[str]:
    """Card keys with history but no card: removed or re-keyed since they were studied."""
    from ec2cards.storage.database import DB_FILE

    if not (home / DB_FILE).exists():
        return []
    known = {key for deck in decks for key in card_keys(deck.cards)}
    return sorted(key for key in history_keys() if key not in known)
