"""What `ec2cards sync` and `sync status` print: plain lines that scripts can read too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ec2cards.model.wording import plural
from ec2cards.terminal.safe_text import safe

if TYPE_CHECKING:
    from ec2cards.sync.status import SyncSummary


def sync_summary(report: SyncSummary) -> list[str]:
    """The summary of one sync."""
    lines = []
    if report.message:
        lines.append(f"{report.server} says: {safe(report.message, one_line=True)}")
    if report.full:
        lines.append(
            f"full sync: the collection was {report.full}"
            + (
                " (ec2cards' cards and reviews were then written again)"
                if report.full == "downloaded"
                else ""
            )
        )
    cards = plural(report.cards_pushed, "card")
    parts = [
        f"{report.added} added",
        f"{report.updated} changed",
        f"{report.removed} removed",
        plural(report.schedules, "schedule"),
    ]
    lines.append(
        f"synced with {report.server}: {cards} pushed ({', '.join(parts)}),"
        f" reviews {report.sent} pushed and {report.taken} pulled,"
        f" {plural(report.conflicts, 'conflict')}"
    )
    pulled, pushed = actions_told(report.actions_pulled), actions_told(report.actions_pushed)
    if pulled or pushed:
        told = [f"{pulled} in Anki" if pulled else "", f"{pushed} here" if pushed else ""]
        lines.append("card actions: " + "; ".join(part for part in told if part))
    if report.conflicts:
        lines.append(
            "conflicts: cards reviewed both here and in Anki since the last sync keep both"
            " reviews; their state is the replay of the merged log"
        )
    if report.orphans:
        lines.append(
            f"{plural(report.orphans, 'review')} of cards no deck has now kept in the log:"
            " they count when the card is back in a deck"
        )
    if report.undone:
        answers = plural(report.undone, "answer")
        lines.append(
            f"Anki's history keeps {answers} undone here after a sync (Anki's sync cannot take"
            " a review back); the cards' state in Anki is ec2cards' state"
        )
    if report.reset:
        lines.append(
            f"{plural(report.reset, 'note')} edited in Anki set back to the decks' text"
            " (the YAML decks are the truth; edit them with 'ec2cards edit KEY')"
        )
    return lines


# A card action as the summary tells it: the words for one and for many.
_ACTIONS = {
    "suspend": ("suspended", "suspended"),
    "unsuspend": ("unsuspended", "unsuspended"),
    "bury": ("buried", "buried"),
    "unbury": ("unburied", "unburied"),
    "forget": ("forgotten", "forgotten"),
    "set_due": ("due date set", "due dates set"),
}


def actions_told(counts: dict[str, int]) -> str:
    """Card actions in words, in a fixed order: "2 suspended, 1 forgotten"."""
    parts = []
    for event, (one, many) in _ACTIONS.items():
        count = counts.get(event, 0)
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(parts)
