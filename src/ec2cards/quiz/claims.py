"""A claim a reply adds that the card cannot check: 'one, but you can extend it into a second
AZ later', 'about an hour, after which its volumes are deleted too', 'one per network
interface'. The answer is there; the added clause says something the card's answers, its
question and its note never say, and a false fact learned beside a right one is still false.
So the reply is not right in full, and the learner, shown the answer, may overrule it."""

from __future__ import annotations

import re

from ec2cards.quiz.alignment import word_match
from ec2cards.quiz.answer_text import (
    GENERIC,
    LITTLE_OPPOSITES,
    NEGATIONS,
    OPPOSITES,
    UNITS,
    is_content,
    is_number,
    words,
)
from ec2cards.quiz.domain_terms import term_spans


def _split(text: str) -> list[str]:
    return text.split()


# Verbs and adverbs that carry no claim of their own ('get encrypted', 'newly created').
WEAK = frozenset(
    _split(
        "get gets got make makes made do does did has have had can could will would should may"
        " might must also still too just then again newly really actually always simply"
    )
)
ORDINALS = frozenset(_split("first second third fourth fifth another"))

# Words that open a clause of its own: a contrast, a consequence, an aside after a semicolon.
CLAUSE = re.compile(
    r"\s*(?:;|\s-\s|\s\u2014\s|\b(?:but|so|however|although|though|whereas|except|unless"
    r"|after which|which means|otherwise|meaning)\b|(?<=^yes),|(?<=^no),)\s*",
    re.IGNORECASE,
)
# 'No; share it with specific accounts': a yes-or-no verdict negates nothing after it.
VERDICT = re.compile(r"^\s*(?:yes|no)\s*[;,.:\u2014-]\s*", re.IGNORECASE)
# 'per network interface' on a card of one per private IP: what a count is counted over.
PER = re.compile(r"\b(?:per|for every)\s+(\w[\w-]*(?:\s+\w[\w-]*){0,3})", re.IGNORECASE)
# What a card counts over, however it says it: 'a snapshot of each volume'.
COUNTED = re.compile(r"\b(?:per|each|every)\s+(\w[\w-]*(?:\s+\w[\w-]*){0,3})", re.IGNORECASE)


def first_clause(given: str) -> str:
    """The reply up to its first clause of its own ('stop and start it', before 'so …')."""
    return next((c for c in CLAUSE.split(given) if c and c.strip()), given)


def unchecked_claim(given: str, forms: list[str], question: str, note: str) -> str | None:
    """The part of the reply that says what the card can't back, or None. That is a clause
    after the first that denies what the card's answers say, or counts or names another
    thing of the domain in words the card (its answers, question and note) never has; a 'per
    X' the card never counts over; or anything that states what the card's own answer
    denies ('buckets you can browse' for buckets you can't access). A clause that only
    explains ('so it moves to new hardware') is let be."""
    card_texts = [*forms, question, note]
    known = {word for text in card_texts for word in words(text)}
    answers = [words(VERDICT.sub("", text)) for text in forms]
    texts = [*answers, words(note)]
    negated = {w for text in texts for k, w in enumerate(text) if _negated(text, k, reach=6)}
    # What the answers say is so, and never say is not.
    asserted = {w for text in answers for k, w in enumerate(text) if not _negated(text, k, reach=6)}
    asserted = {w for w in asserted if not any(word_match(w, n) for n in negated)}
    denied = {w for k, w in enumerate(answers[0]) if _negated(answers[0], k) and is_content(w)}
    denied -= asserted | GENERIC | WEAK
    reply = words(given)
    if any(_affirmed(reply, k, denied) for k in range(len(reply))):
        return given.strip()
    clauses = [c for c in CLAUSE.split(given) if c and c.strip()]
    for clause in clauses[1:]:
        found = words(clause)
        unknown = _unknown(found, known)
        counts = [w for w in found if is_number(w) and w not in known]  # 'so 2'
        if counts or _denies(found, asserted) or _opposes(found, asserted):
            return clause.strip()
        if unknown and _claims(found, unknown, known):
            return clause.strip()
    counted_over = {_object(match) for text in card_texts for match in COUNTED.finditer(text)}
    for match in PER.finditer(given):
        counted = _object(match)
        if counted and counted not in counted_over:
            return match.group(0).strip()
    return None


def _affirmed(found: list[str], index: int, denied: set[str]) -> bool:
    """The word at `index`, said without a negation, is one the card's answer denies."""
    return (
        (found[index] in denied or any(word_match(found[index], d) for d in denied))
        and not _negated(found, index, _NONE)
        and not NEGATIONS & set(found[index + 1 : index + 3])
    )


_NONE = NEGATIONS | {"0"}  # a reply's 'zero inbound rules' says no inbound rules


def _opposes(found: list[str], asserted: set[str]) -> bool:
    """The opposite of what the card's answers say: 'but they are free' where they cost."""
    return any(
        OPPOSITES.get(word, frozenset()) & asserted and word not in asserted
        for k, word in enumerate(found)
        if word not in LITTLE_OPPOSITES and not _negated(found, k)  # 'isn't encrypted'
    )


def _weighs(word: str) -> bool:
    return is_content(word) and word not in WEAK


def _negated(
    found: list[str], index: int, negations: frozenset[str] = NEGATIONS, reach: int = 3
) -> bool:
    """Said with a negation shortly before it ('no inbound rules'); in the card's own
    sentences further ('isn't protected by authentication or encryption')."""
    return bool(negations & set(found[max(0, index - reach) : index]))


def _denies(found: list[str], asserted: set[str]) -> bool:
    """A negation of what the card asserts: 'can't be shared' where it says to share it."""
    for index, word in enumerate(found):
        if word in NEGATIONS:
            after = [k for k in range(index + 1, len(found)) if _weighs(found[k])]
            if after and any(word_match(found[after[0]], other) for other in asserted):
                return True
    return False


def _object(match: re.Match[str]) -> str:
    """What a 'per X' counts over: the last word of its first run of content, singular
    ('per private IPv4 address of' → address, 'each of the EBS volumes' → volume)."""
    head = ""
    found = words(match.group(1))
    if found[:1] and found[0] in UNITS:
        return ""  # 'per hour over 1 or 3 years': a rate, not a count
    for word in found:
        if is_content(word):
            head = word
        elif head:
            break
    return head[:-1] if len(head) > 3 and head.endswith("s") else head


def _claims(found: list[str], unknown: list[str], known: set[str]) -> bool:
    """A clause with a number or ordinal the card never says, or a thing of the domain it
    never names."""
    if ORDINALS & set(unknown):
        return True
    if any(is_number(word) and word not in known for word in found):
        return True
    return any(
        any(word in unknown for word in found[start:end]) for start, end in term_spans(found)
    )


def _unknown(found: list[str], known: set[str]) -> list[str]:
    """The words of content that none of `known` matches, typos and endings read through."""
    return [
        word
        for word in found
        if is_content(word)
        and word not in GENERIC | WEAK | NEGATIONS
        and not is_number(word)
        and word not in known
        and not any(word_match(word, other) for other in known)
    ]
