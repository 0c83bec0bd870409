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
from ec2cards.model.wording import plural


@dataclass
class CheckReport:
    decks: list[Deck]
    problems: list[Problem]
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        cards = sum(len(d.cards) for d in self.decks)
        topics = {t for d in self.decks for ts in card_topics(d.cards) for t in ts}
        return f"ok: {len(self.decks)} decks, {cards} cards, {len(topics)} topics" + (
            f", {plural(len(self.warnings), 'warning')}" if self.warnings else ""
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
    everywhere = decks
    if paths and any(card.tests for deck in decks for card in deck.cards):
        everywhere = decks + load_sources(default_sources(home), cache_dir(home))[0]
    report.problems.extend(_unknown_tests(decks, everywhere))
    if not paths:
        report.warnings.extend(_orphan_warnings(home, decks, problems, history_keys))
    return report


def _unknown_tests(decks: list[Deck], everywhere: list[Deck]) -> list[Problem]:
    """A scenario's `tests` key that is no card of any deck (of `everywhere`: the decks
    checked and every deck ec2cards finds), at the scenario's line."""
    from ec2cards.model.wording import did_you_mean

    known = {key for deck in everywhere for key in card_keys(deck.cards)}
    found = []
    for deck in decks:
        for card in deck.cards:
            for key in card.tests:
                if key not in known and card.path is not None:
                    hint = did_you_mean(key, sorted(known))
                    found.append(
                        Problem(
                            card.path,
                            card.line,
                            5,
                            f"scenario '{card.card_id}' tests '{key}', which is no card"
                            + (f" ({hint})" if hint else ""),
                        )
                    )
    return found


def _orphan_warnings(
    home: Path,
    decks: list[Deck],
    problems: list[Problem],
    history_keys: Callable[[], Iterable[str]],
) -> list[str]:
    """The histories in no deck: each that looks like a card reworded since, with the command
    that joins them; the rest in one line."""
    from ec2cards.decks.look_alikes import look_alikes

    waiting = {deck_id_written(p.path) for p in problems} - {None}  # decks that do not load now
    history = set(_history(home, history_keys))
    known = {key for deck in decks for key in card_keys(deck.cards)}
    orphans = sorted(k for k in history - known if k.partition("/")[0] not in waiting)
    pairs = look_alikes(orphans, (card for deck in decks for card in deck.cards), history)
    warnings = [
        f"{old} has a history but no card; it looks like {new}, reworded:"
        f" `ec2cards relink {old} {new}` moves the history there"
        for old, new in pairs.items()
    ]
    rest = [key for key in orphans if key not in pairs]
    if rest:
        shown = ", ".join(rest[:10]) + (" …" if len(rest) > 10 else "")
        warnings.append(
            f"{len(rest)} cards in your review history are in no deck (orphans, history"
            f" kept; re-adding a card brings it back): {shown}"
        )
    return warnings


def _history(home: Path, history_keys: Callable[[], Iterable[str]]) -> Iterable[str]:
    """The keys of the review log, when there is one."""
    from ec2cards.storage.database import DB_FILE

    return history_keys() if (home / DB_FILE).exists() else ()
