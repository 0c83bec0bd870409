"""What an import did, in lines for people."""

from __future__ import annotations

from ec2cards.interop.importer import ImportReport


def _count(number: int, word: str) -> str:
    return f"{number} {word}" + ("" if number == 1 else "s")


def describe(report: ImportReport) -> list[str]:
    """What happened, one line each, for people."""
    lines: list[str] = []
    for change in report.plan.changes:
        added = _count(change.added, "card")
        if change.text is not None and change.original is None:
            lines.append(f"added {added} in a new deck '{change.deck_id}' ({change.path})")
        elif change.text is not None:
            also = f"; {change.present} were already there" if change.present else ""
            lines.append(f"added {added} to deck '{change.deck_id}' ({change.path}){also}")
        else:
            lines.append(
                f"deck '{change.deck_id}': {_count(change.present, 'card')}, all already there"
            )
    if report.reviews:
        cards = _count(report.reviewed_cards, "card")
        lines.append(
            f"imported {_count(report.reviews, 'review')} of {cards} into the review log:"
            " their schedules carry over"
        )
    if report.older:
        lines.append(f"{_count(report.older, 'review')} already in the review log")
    if report.suspended:
        lines.append(f"suspended {_count(report.suspended, 'card')}, as in Anki")
    return lines
