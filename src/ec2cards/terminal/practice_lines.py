"""A practice exam in line mode (scripts, pipes, and for now the terminal too): one line per
question, then the score, the breakdown by topic and a review of every question."""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import TYPE_CHECKING, TextIO

from ec2cards.model.wording import plural
from ec2cards.practice.exam import PASS_MARK, PracticeQuestion, parse_choice
from ec2cards.practice.session import STOP, Submitted
from ec2cards.terminal.plain_markdown import plain_markdown
from ec2cards.terminal.safe_text import safe

if TYPE_CHECKING:
    from ec2cards.practice.results import TopicResult
    from ec2cards.storage.practice_tables import PastExam

NUMBER_WORDS = {2: "TWO", 3: "THREE", 4: "FOUR"}


def clock_text(span: timedelta) -> str:
    """Minutes and seconds, as an exam's countdown shows them: 129:58."""
    seconds = max(int(span.total_seconds()), 0)
    return f"{seconds // 60}:{seconds % 60:02d}"


class PlainPracticeFrontend:
    """Questions on stdout, one reply per line on stdin: '2', or '1 4' for multiple response;
    an empty line leaves a question unanswered; 'q' or the end of input ends the exam. A reply
    that can't be read is asked again of a person, and left unanswered from a script."""

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout

    def say(self, line: str = "") -> None:
        self.stdout.write(line + "\n")
        self.stdout.flush()

    def ask(
        self, question: PracticeQuestion, number: int, total: int, left: timedelta
    ) -> frozenset[int] | str | None:
        card = question.card
        choose = f" · Choose {NUMBER_WORDS.get(question.choose, question.choose)}" * (
            question.choose > 1
        )
        self.say()
        self.say(f"[{number + 1}/{total} · {safe(card.topic)} · {clock_text(left)} left{choose}]")
        self.say(plain_markdown(card.question))
        for position, option in enumerate(question.options, 1):
            self.say(f"  {position}. {plain_markdown(option)}")
        what = plural(question.choose, "option number")
        while True:
            self.stdout.write(f"Your answer ({what}; Enter leaves it unanswered; q ends): ")
            self.stdout.flush()
            line = self.stdin.readline()
            if not line or line.strip().lower() == "q":
                self.say()
                return STOP
            reply = parse_choice(line, question)
            if not isinstance(reply, str):
                return reply
            if not self._typed_live():
                # From a script: one line per question, so a reply that can't be read leaves its
                # question unanswered rather than take the next question's line.
                self.say(f"not understood: {reply}; left unanswered")
                return None
            self.say(f"not understood: {reply}")

    def _typed_live(self) -> bool:
        """Whether a person types the replies (and can be asked again)."""
        try:
            return self.stdin.isatty()
        except (AttributeError, ValueError):
            return False

    def time_up(self) -> None:
        self.say()
        self.say("Time is up: the exam is submitted as it stands.")


def result_lines(done: Submitted, limit_minutes: float) -> list[str]:
    """The score, pass or fail, the topics, and every question with its review."""
    result = done.score
    verdict = "PASS" if result.passed else "FAIL"
    used = clock_text(timedelta(minutes=done.minutes_used))
    lines = [
        "",
        f"Practice exam: {result.correct} of {result.total} right ({result.percent:.0f}%)"
        f" · scaled score {result.scaled} ({PASS_MARK} to pass) · {verdict}"
        f" · time {used} of {clock_text(timedelta(minutes=limit_minutes))}",
        "By topic:",
    ]
    width = max((len(topic) for topic in result.by_topic), default=0)
    for topic, (right, asked) in result.by_topic.items():
        lines.append(f"  {safe(topic):{width}}  {right}/{asked}")
    lines.append("Review:")
    sitting = done.sitting
    for number, question in enumerate(sitting.questions):
        chosen, flagged = sitting.chosen[number], sitting.flagged[number]
        lines += review_lines(number, question, chosen, sitting.correct(number), flagged)
    if done.brought_forward:
        brought = ", ".join(done.brought_forward)
        lines.append(f"Recall cards behind the missed scenarios, due today: {brought}")
    lines.append(lines[1])  # the score again, below the review that pushed it up the screen
    return lines


def review_lines(
    number: int,
    question: PracticeQuestion,
    chosen: frozenset[int] | None,
    correct: bool,
    flagged: bool,
) -> list[str]:
    """One question: right or not, the choice, the right answer, and each option's reason."""
    mark = "✓" if correct else "✗"
    flag = " (flagged)" if flagged else ""
    said = ", ".join(str(n + 1) for n in sorted(chosen)) if chosen else "no answer"
    right = ", ".join(str(n + 1) for n in sorted(question.right))
    first = plain_markdown(question.card.question).splitlines()[0]
    lines = [f"{mark} {number + 1}. [{safe(question.card.topic)}]{flag} {first}"]
    lines.append(f"    you chose: {said} · right: {right}")
    for position, option in enumerate(question.options):
        why = question.explanation(position)
        lines.append(f"    {position + 1}. {plain_markdown(option)} — {plain_markdown(why)}")
    return lines


def past_exam_lines(exam: PastExam, detail: bool = False) -> list[str]:
    """A past exam on one line (its score, pass or fail, the time used, what it was on); with
    `detail`, each question as it was answered."""
    when = exam.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
    limit = clock_text(timedelta(minutes=exam.minutes))
    if exam.finished_at is None or exam.scaled is None:
        answered = sum(bool(q["chosen"]) for q in exam.questions)
        line = f"#{exam.id}  {when}  cut short ({answered} answered)  {safe(exam.selection)}"
    else:
        used = clock_text(exam.finished_at - exam.started_at)
        verdict = "PASS" if exam.passed else "FAIL"
        line = (
            f"#{exam.id}  {when}  {exam.correct}/{exam.total}  {exam.scaled}  {verdict}"
            f"  {used} of {limit}  {safe(exam.selection)}"
        )
    lines = [line]
    if detail:
        for number, question in enumerate(exam.questions, 1):
            mark = "✓" if question["correct"] else "✗"
            chosen = ", ".join(map(str, question["chosen"])) or "no answer"
            right = ", ".join(map(str, question["right"]))
            lines.append(
                f"{mark} {number}. {safe(question['card'])} · you chose: {chosen} · right: {right}"
            )
    return lines


def topic_result_lines(results: list[TopicResult]) -> list[str]:
    """Practice beside recall: each topic's scaled score in its latest practice exam."""
    if not results:
        return []
    width = max(len(result.topic) for result in results)
    lines = ["Practice exams (latest per topic, 720 to pass):"]
    for result in results:
        when = result.taken_at.astimezone().strftime("%Y-%m-%d")
        verdict = "pass" if result.passed else "below pass"
        lines.append(
            f"  {safe(result.topic):{width}}  {result.scaled:>4}  {verdict:10}"
            f"  {result.correct}/{result.total} right, {when}"
        )
    return lines
