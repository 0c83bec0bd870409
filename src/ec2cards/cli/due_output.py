"""What `ec2cards due` prints, the same from the Typer command and from the fast path."""

from __future__ import annotations

from datetime import datetime

from ec2cards.errors import UsageError
from ec2cards.progress.due import Due
from ec2cards.terminal.timefmt import describe_due, until

FORMAT_HELP = (
    "Print this instead, for a shell prompt: {due} (or {now}) due now, {today} due today,"
    " {new} new, {next} time to the next card (e.g. '{due}/{new}')."
)
FIELDS = ("due", "now", "today", "new", "next")


def due_line(due: Due, now: datetime, template: str | None = None) -> str:
    """The line to print: the default summary, or the user's template filled in."""
    if template is not None:
        following = ""
        if due.next_due is not None:
            following = "now" if due.next_due <= now else until(due.next_due, now)
        values = {
            "due": due.due_now,
            "now": due.due_now,
            "today": due.due_today,
            "new": due.new_available,
            "next": following,
        }
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError) as error:
            raise UsageError(
                f"--format {template!r} does not fit ({error}); use the fields"
                f" {', '.join('{' + f + '}' for f in FIELDS)}"
            ) from None
    line = f"{due.due_now} due now · {due.due_today} due today · {due.new_available} new"
    if not due.due_now and due.next_due is not None:
        line += f" · next {describe_due(due.next_due, now)}"
    return line


def due_json(due: Due) -> str:
    import json

    return json.dumps(due.to_json(), indent=2)
