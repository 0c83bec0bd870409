"""`ec2cards check`: every problem in every deck, plus cards whose history lost its deck."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ec2cards.decks import default_sources, load_sources, sources_for_paths
from ec2cards.errors import Problem
from ec2cards.model import Deck


@dataclass
class CheckReport:
    decks: list[Deck]
    problems: list[Problem]
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        cards = sum(len(d.cards) for d in self.decks)
        topics = {t for d in self.decks for c in d.cards for t in c.topics}
        return f"ok: {len(self.decks)} decks, {cards} cards, {len(topics)} topics" + (
            f", {len(self.warnings)} warnings" if self.warnings else ""
        )


def check(home: Path, paths: Sequence[Path] = ()) -> CheckReport:
    sources = sources_for_paths(paths) if paths else default_sources(home)
    decks, problems = load_sources(sources)
    problems.sort(key=lambda p: (str(p.path), p.line, p.column))
    return CheckReport(decks, problems)
