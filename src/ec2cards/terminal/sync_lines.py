"""What `ec2cards sync` and `sync status` print: plain lines that scripts can read too."""

from __future__ import annotations

from typing import Any

from ec2cards.model.wording import plural
from ec2cards.terminal.safe_text import safe


def sync_summary(report: dict[str, Any]) -> list[str]:
    """The summary of one sync (a report as `SyncReport.to_json` gives it)."""
    lines = []
    if report.get("message"):
        lines.append(f"{report['server']} says: {safe(report['message'], one_line=True)}")
    if report.get("full"):
        lines.append(
            f"full sync: the collection was {report['full']}"
            + (
                " (ec2cards' cards and reviews were then written again)"
                if report["full"] == "downloaded"
                else ""
            )
        )
    cards = plural(report.get("cards_pushed", 0), "card")
    parts = [
        f"{report.get('added', 0)} added",
        f"{report.get('updated', 0)} changed",
        f"{report.get('removed', 0)} removed",
        plural(report.get("schedules", 0), "schedule"),
    ]
    lines.append(
        f"synced with {report['server']}: {cards} pushed ({', '.join(parts)}),"
        f" reviews {report.get('sent', 0)} pushed and {report.get('taken', 0)} pulled,"
        f" {plural(report.get('conflicts', 0), 'conflict')}"
    )
    if report.get("conflicts"):
        lines.append(
            "conflicts: cards reviewed both here and in Anki since the last sync keep both"
            " reviews; their state is the replay of the merged log"
        )
    if report.get("reset"):
        lines.append(
            f"{plural(report['reset'], 'note')} edited in Anki set back to the decks' text"
            " (the YAML decks are the truth; edit them with 'ec2cards edit KEY')"
        )
    return lines
