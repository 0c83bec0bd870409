"""Single key presses from a real terminal (cbreak mode), restored however the read ends."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

ENTER, SPACE, BACKSPACE, CTRL_C, CTRL_D, ESCAPE = (
    "enter",
    "space",
    "backspace",
    "ctrl-c",
    "ctrl-d",
    "esc",
)


RESIZED = "resized"  # not a key: the terminal changed size while a key was awaited


def read_key(on_resize: Callable[[], None] | None = None) -> str:
    """One key: a printable character or a name above. Never raises on Ctrl-C: returns it.
    When the terminal changes size meanwhile, `on_resize` redraws the screen at once (outside
    raw mode, where a line break would not return the cursor) and the wait goes on."""
    while True:
        key = _read_one(on_resize is not None)
        if key != RESIZED:
            return key
        if on_resize is not None:
            on_resize()


def _read_one(watch_size: bool) -> str:
    """One key, or RESIZED when the terminal changes size first (and `watch_size`). The size
    change is seen through a pipe the signal writes to, so nothing is raised in the middle of
    putting the terminal back as it was."""
    import select
    import signal
    import termios
    import threading
    import tty

    watch_size = watch_size and threading.current_thread() is threading.main_thread()
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    wake_read, wake_write = os.pipe() if watch_size else (-1, -1)
    watched = [fd, wake_read] if watch_size else [fd]
    previous_handler, previous_wakeup = None, -1
    try:
        if watch_size:
            os.set_blocking(wake_write, False)
            previous_wakeup = signal.set_wakeup_fd(wake_write)
            previous_handler = signal.signal(signal.SIGWINCH, lambda signum, frame: None)
        tty.setraw(fd)
        if wake_read in select.select(watched, [], [])[0]:
            return RESIZED
        data = os.read(fd, 1)
        if data == b"\x1b":
            # Swallow the rest of an escape sequence (arrow keys and the like).
            while select.select([fd], [], [], 0.02)[0]:
                os.read(fd, 16)
            return ESCAPE
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        if watch_size:
            if previous_handler is not None:
                signal.signal(signal.SIGWINCH, previous_handler)
            signal.set_wakeup_fd(previous_wakeup)
            os.close(wake_read)
            os.close(wake_write)
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
