"""Single key presses from a real terminal (cbreak mode), restored however the read ends."""

from __future__ import annotations

import os
import sys

ENTER, SPACE, BACKSPACE, CTRL_C, CTRL_D, ESCAPE = (
    "enter",
    "space",
    "backspace",
    "ctrl-c",
    "ctrl-d",
    "esc",
)


def read_key() -> str:
    """One key: a printable character or a name above. Never raises on Ctrl-C: returns it."""
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setraw(fd)
        data = os.read(fd, 1)
        if data == b"\x1b":
            # Swallow the rest of an escape sequence (arrow keys and the like).
            import select

            while select.select([fd], [], [], 0.02)[0]:
                os.read(fd, 16)
            return ESCAPE
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    if not data:
        return CTRL_D
    char = data.decode("utf-8", errors="replace")
    return {
        "\r": ENTER,
        "\n": ENTER,
        " ": SPACE,
        "\x7f": BACKSPACE,
        "\x08": BACKSPACE,
        "\x03": CTRL_C,
        "\x04": CTRL_D,
    }.get(char, char)
