"""ec2cards in a real terminal: time to the first frame a user sees, and from a key press to
the next card drawn, each in a pseudo-terminal (the Rich screens, not line mode).

Each screen is timed from the process start to the moment its first frame is complete on the
terminal (a text the frame ends with has arrived), paired with an empty Typer app started in the
same kind of terminal, runs interleaved; a figure is the median of the per-round ratios.

    python bench/bench_terminal.py            # bundled decks and 50,000 cards
    python bench/bench_terminal.py --quick    # a small run that proves the script works (CI)
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import EMPTY_APP, NOW

BIN = Path(sys.executable).parent
COLUMNS, ROWS = 100, 40


@dataclass
class Screen:
    name: str
    command: list[str]
    home: Path | None  # EC2CARDS_HOME; None for the floor
    ready: bytes  # what the first frame ends with (b"" for the floor: its exit)
    target: str = ""


class Terminal:
    """A program running in a pseudo-terminal of COLUMNS x ROWS, its output read as it comes."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        import fcntl
        import struct
        import termios

        self.master, slave = pty.openpty()
        size = struct.pack("HHHH", ROWS, COLUMNS, 0, 0)
        fcntl.ioctl(slave, termios.TIOCSWINSZ, size)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command, env=env, stdin=slave, stdout=slave, stderr=slave, start_new_session=True
        )
        os.close(slave)
        self.seen = b""
        self.mark = 0  # where the next wait starts looking

    def wait_for(self, text: bytes, within: float = 60.0) -> float:
        """Read until `text` has arrived after what the last wait found; seconds since start.
        With an empty `text`, until the program ends."""
        deadline = time.perf_counter() + within
        while time.perf_counter() < deadline:
            found = self.seen.find(text, self.mark) if text else -1
            if found >= 0:
                self.mark = found + len(text)
                return time.perf_counter() - self.started
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the program ended and closed the terminal
                    chunk = b""
                if not chunk:
                    if not text:
                        self.process.wait()
                        return time.perf_counter() - self.started
                    break
                self.seen += chunk
        raise SystemExit(f"{text!r} never came; the terminal showed:\n{self.seen[-2000:]!r}")

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait()
        os.close(self.master)


def first_frame(screen: Screen, env: dict[str, str]) -> float:
    """Milliseconds from start to the screen's first complete frame."""
    terminal = Terminal(screen.command, env)
    try:
        return terminal.wait_for(screen.ready) * 1000
    finally:
        terminal.close()


def next_card_latency(home: Path, env: dict[str, str], cards: int) -> tuple[float, float]:
    """Median and p99 (ms) from the key that rates a card to the next card drawn in full."""
    exe = str(BIN / "ec2cards")
    terminal = Terminal([exe, "study", "--new", str(cards)], env)
    timings = []
    try:
        terminal.wait_for(b"q quit")
        for _ in range(cards - 1):
            # A person reads before pressing: the key comes once the program waits for one.
            time.sleep(0.05)
            frame = terminal.seen[terminal.seen.rfind(b"\x1b[2J") :]
            terminal.send(b"1" if b"press 1-" in frame else b" ")  # a choice card: pick one
            terminal.wait_for(b"3 Good")
            terminal.wait_for(b"q quit")
            time.sleep(0.05)
            pressed = time.perf_counter()
            terminal.send(b"3")
            terminal.wait_for(b"q quit")
            timings.append((time.perf_counter() - pressed) * 1000)
    finally:
        terminal.close()
    timings.sort()
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.99) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small collection, few runs (CI)")
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 11)
    decks, per_deck, reviews = (5, 200, 5_000) if args.quick else (50, 1000, 500_000)
    work = Path(tempfile.mkdtemp(prefix="ec2cards-term-"))
    try:
        empty = work / "empty_app.py"
        empty.write_text(EMPTY_APP)
        bundled, big = work / "bundled", work / "big"
        here = Path(__file__).resolve().parent / "bench.py"
        build = [sys.executable, str(here), "--build", str(big), str(decks), str(per_deck)]
        subprocess.run([*build, str(reviews)], check=True)
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)},
            "EC2CARDS_NOW": NOW,
            "TZ": "UTC",
            "TERM": "xterm-256color",
        }
        for name in ("COLUMNS", "LINES"):
            env.pop(name, None)
        exe = str(BIN / "ec2cards")
        size = f"{decks * per_deck // 1000}k"
        study_ready = b"q quit"  # the key help: the last line of a card's first frame
        screens = [
            Screen("floor: empty Typer app", [sys.executable, str(empty)], None, b""),
            Screen("study first card (bundled)", [exe, "study"], bundled, study_ready, "<= 1.5x"),
            Screen(
                "quiz first question (bundled)",
                [exe, "quiz", "--topic", "virtualization", "--mode", "typed", "--seed", "1"],
                bundled,
                b"Type the",  # the prompt, drawn below the question's panel
                "<= 1.5x",
            ),
            Screen("stats (bundled)", [exe, "stats"], bundled, b"", "<= 2x"),  # whole, then exits
            Screen(
                "card KEY (bundled)",
                [exe, "card", "virtualization/hypervisor-name"],
                bundled,
                b"No reviews yet.",
                "<= 2x",
            ),
            Screen(f"study first card ({size}, warm)", [exe, "study"], big, study_ready, "<= 2x"),
        ]
        envs = [
            {**env, "EC2CARDS_HOME": str(s.home)} if s.home is not None else env for s in screens
        ]
        for screen, screen_env in zip(screens, envs, strict=True):
            first_frame(screen, screen_env)  # warm up: bytecode and the deck cache
        times: list[list[float]] = [[] for _ in screens]
        for _round in range(runs):
            for index, (screen, screen_env) in enumerate(zip(screens, envs, strict=True)):
                times[index].append(first_frame(screen, screen_env))
        print(f"ec2cards in a terminal ({COLUMNS}x{ROWS} pty), median of {runs} interleaved runs")
        print(f"{'screen':36} {'median':>8} {'x floor':>8}  target")
        for index, screen in enumerate(screens):
            ratio = statistics.median(t / f for t, f in zip(times[index], times[0], strict=True))
            print(
                f"{screen.name:36} {statistics.median(times[index]):6.0f}ms {ratio:7.2f}x"
                f"  {screen.target}",
                flush=True,
            )
        latency_home = work / "latency"
        shutil.copytree(big, latency_home)
        median, p99 = next_card_latency(
            latency_home, {**env, "EC2CARDS_HOME": str(latency_home)}, 20 if args.quick else 50
        )
        print(
            f"{'key press -> next card drawn':36} median {median:.1f} ms, p99 {p99:.1f} ms"
            "  target p99 <= 30 ms"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
