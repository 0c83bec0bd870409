"""What an import did, in lines for people."""

from __future__ import annotations

from ec2cards.interop.import_apply import ImportReport
from ec2cards.model.wording import plural


def describe(report: ImportReport) -> list[str]:
    """What happened, one line each, for people."""
    lines: list[str] = []
    for change in report.plan.changes:
        added = plural(change.added, "card")
        if change.text is not None and change.original is None:
            lines.append(f"added {added} in a new deck '{change.deck_id}' ({change.path})")
        elif change.text is not None:
            also = f"; {change.present} were already there" if change.present else ""
            lines.append(f"added {added} to deck '{change.deck_id}' ({change.path}){also}")
        else:
            lines.append(
                f"deck '{change.deck_id}': {plural(change.present, 'card')}, all already there"
            )
    if report.reviews:
        cards = plural(report.reviewed_cards, "card")
        lines.append(
            f"imported {plural(report.reviews, 'review')} of {cards} into the review log:"
            " their schedules carry over"
        )
    if report.older:
        lines.append(f"{plural(report.older, 'review')} already in the review log")
    if report.forgets:
        lines.append(
            f"logged {plural(report.forgets, 'reset')} (forget) where Anki started a card's"
            " memory anew"
        )
    if report.events:
        lines.append(
            f"logged {plural(report.events, 'card event')} (suspensions, burials, due dates)"
            " at the times they were made"
        )
    if report.suspended:
        lines.append(f"suspended {plural(report.suspended, 'card')}, as in Anki")
    return lines + _media_lines(report) + _left_out_lines(report)


def _media_lines(report: ImportReport) -> list[str]:
    media = report.plan.media
    lines: list[str] = []
    if report.media:
        folder = media.copies[0][1].parent
        lines.append(
            f"copied {plural(report.media, 'media file')} (images, sounds) into {folder};"
            " cards show them as [image: name]"
        )
    if media.present:
        lines.append(f"{plural(media.present, 'media file')} already in the media folder")
    if media.missing:
        names = ", ".join(sorted(media.missing)[:3]) + (" …" if len(media.missing) > 3 else "")
        lines.append(
            f"{plural(len(media.missing), 'media file')} named by cards but not in the"
            f" imported files ({names}): the cards show the name only"
        )
    return lines


def _left_out_lines(report: ImportReport) -> list[str]:
    left = report.plan.left_out
    lines: list[str] = []
    if left.orphan_cards:
        lines.append(
            f"left out {plural(left.orphan_cards, 'cloze card')} whose deletion is no longer in"
            f" its note (Anki shows it empty), with {plural(left.orphan_reviews, 'review')}"
        )
    if left.future_reviews:
        lines.append(
            f"left out {plural(left.future_reviews, 'review')} dated after now (a clock that"
            " was wrong when they were made)"
        )
    if left.before_1970:
        lines.append(
            f"left out {plural(left.before_1970, 'review')} dated before 1970 (a negative time"
            " in Anki's review log, which Anki keeps but no one can have answered then)"
        )
    if left.cramming:
        lines.append(
            f"left out {plural(left.cramming, 'answer')} in filtered decks that do not"
            " reschedule (cramming): Anki's memory of a card does not count them either"
        )
    return lines
