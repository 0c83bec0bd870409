"""Single key presses from a real terminal (cbreak mode), restored however the read ends."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

ENTER, SPACE, BACKSPACE, CTRL_C, CTRL_D, ESCAPE = (
    "enter",
    "space",
    "backspace",
    "ctrl-c",
    "ctrl-d",
    "esc",
)


@contextmanager
def resizing(redraw: Callable[[], None]) -> Iterator[None]:
    """While a line is typed (cooked mode, where printing is safe), a change of terminal size
    redraws the screen at once: `redraw` runs from the signal, between the reads of the line.
    (What was typed so far stays in the line; the redrawn screen shows the prompt again.)"""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGWINCH, lambda signum, frame: redraw())
    try:
        yield
    finally:
        signal.signal(signal.SIGWINCH, previous)


RESIZED = "resized"  # not a key: the terminal changed size while a key was awaited
TICK = "tick"  # not a key: the time given to wait for one went by
UP, DOWN, RIGHT, LEFT = "up", "down", "right", "left"
ARROWS = {b"[A": UP, b"[B": DOWN, b"[C": RIGHT, b"[D": LEFT, b"OA": UP, b"OB": DOWN}
ARROWS |= {b"OC": RIGHT, b"OD": LEFT}


def read_key(on_resize: Callable[[], None] | None = None, within: float | None = None) -> str:
    """One key: a printable character or a name above. Never raises on Ctrl-C: returns it.
    When the terminal changes size meanwhile, `on_resize` redraws the screen at once (outside
    raw mode, where a line break would not return the cursor) and the wait goes on. With
    `within` (seconds), TICK when no key came in that time (a countdown redraws then)."""
    while True:
        key = _read_one(on_resize is not None, within)
        if key != RESIZED:
            return key
        if on_resize is not None:
            on_resize()


def _read_one(watch_size: bool, within: float | None = None) -> str:
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
        tty.setraw(fd, termios.TCSANOW)  # keys typed ahead stay to be read
        ready = select.select(watched, [], [], within)[0]
        if not ready:
            return TICK
        if wake_read in ready:
            return RESIZED
        data = os.read(fd, 1)
        if data == b"\x1b":
            # An arrow key, or another escape sequence, read to its final byte and no further:
            # a key typed right after it stays to be read.
            rest = b""
            while select.select([fd], [], [], 0.02)[0]:
                rest += os.read(fd, 1)
                if (len(rest) >= 2 and 0x40 <= rest[-1] <= 0x7E) or rest[:1] not in (b"[", b"O"):
                    break
            return ARROWS.get(rest, ESCAPE)
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
