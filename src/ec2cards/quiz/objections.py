"""Why a reply that names an answer's words is still wrong: another number, an opposite, a
rival of a distinguishing word, another thing of the domain, a word swapped for another. Each
check gives the reason the learner is shown, or None."""

from __future__ import annotations

from ec2cards.quiz.alignment import Alignment, Match, is_acronym_of, word_match
from ec2cards.quiz.answer_text import (
    CARD_RIVALS,
    GENERIC,
    NEGATIONS,
    OPPOSITES,
    PREFIXES,
    RIVALS,
    UNITS,
    is_content,
    is_identifier,
    is_list,
    is_number,
    without_parenthetical,
    words,
)
from ec2cards.quiz.domain_terms import term_spans


def reordered_name(answer: str, reply: list[str]) -> bool:
    """'Elastic Cloud Compute' for Elastic Compute Cloud: a name is its words in its order. A
    name is two or more capitalised words; the reply is the same words, nothing else, in
    another order ('Savings Plans for EC2 Instances' adds a word and reads as a description)."""
    name, _ = without_parenthetical(answer.replace("`", ""))
    if is_list(name):
        return False
    written = [w for w in name.split() if any(ch.isalpha() for ch in w)]
    if len(written) < 2 or not all(w[0].isupper() or w[0].isdigit() for w in written):
        return False
    wanted = [w for w in words(name) if is_content(w)]
    return reply != wanted and sorted(reply) == sorted(wanted)


def lookalike(extra: str, expected: str) -> bool:
    """A word the reply added that is another answer of the same shape (EBS for EFS)."""
    if extra == expected or is_number(extra) or is_number(expected):
        return False
    if extra in NEGATIONS or expected in NEGATIONS:  # 'no' for 'not' is said the same
        return False
    if word_match(extra, expected) is not Match.NONE:
        return False  # the same word, near enough: not a rival
    from rapidfuzz.distance import OSA

    return OSA.distance(extra, expected) <= 1 and min(len(extra), len(expected)) >= 2


def other_thing(reply: list[str], expected: list[str], aligned: Alignment) -> str | None:
    """A thing of the domain the answer does not name, made of its words: 'Dedicated Hosts'
    for EC2 hosts, 'Nitro Cards' for the Nitro hypervisor."""
    answer = "".join(word.rstrip("s") for word in expected)
    for start, end in term_spans(reply):
        named = "".join(word.rstrip("s") for word in reply[start:end])
        shared = [k in aligned.matched_given for k in range(start, end)]
        if len(shared) > 1 and any(shared) and not all(shared) and named not in answer:
            return "names another thing: " + " ".join(reply[start:end])
    return None


def negates_added(reply: list[str], index: int, unmatched: list[int]) -> bool:
    """A negation whose next word of content (past 'be', 'the'…) is one the reply added."""
    if reply[index] not in NEGATIONS:
        return False
    after = [k for k in range(index + 1, len(reply)) if is_content(reply[k])]
    return bool(after) and after[0] in unmatched and reply[after[0]] not in NEGATIONS


def objection(
    reply: list[str], expected: list[str], extra: list[str], missed: list[str]
) -> str | None:
    """Why a reply that names the answer's words is still wrong, if it is."""
    # 'one snapshot per volume' for a snapshot of each: a one where the answer has no number
    # is an article, not a count.
    counted = any(is_number(w) for w in expected)
    # '2 minutes (120 s)' says its number twice.
    if any(is_number(w) and (counted or w != "1") and w not in expected for w in extra):
        return "another number"
    if any(is_number(w) for w in missed):
        return "a number is missing"
    # 'it has no authentication' for 'isn't protected by authentication': a negation on each side.
    if NEGATIONS & set(extra) and not NEGATIONS & set(expected):
        return "says the opposite"
    if NEGATIONS & set(missed) and not NEGATIONS & set(reply):
        return "says the opposite"
    if _opposed(reply, expected):
        return "says the opposite"
    if UNITS & set(extra) and UNITS & set(missed):
        return "another unit"
    rival = _rival(reply, expected)
    if rival:
        return rival
    rivals = [w for w in extra if is_content(w) and w not in GENERIC]
    if any(is_identifier(w) for w in rivals) or any(
        lookalike(w, e) for w in rivals for e in expected
    ):
        return "names another answer"
    # A word swapped for another: 'Compute Savings Plans' for 'EC2 Instance Savings Plans'.
    # Only for a clean swap, or when the rest of the answer is there: a reply that shares none
    # of its words is plainly wrong, and 'virtualsed in place of runs' would read as a riddle.
    added, dropped = swapped(extra, missed)
    kept = [w for w in expected if is_content(w) and w not in PREFIXES | UNITS and w not in missed]
    swap = len(added) == len(dropped) == 1
    distinct = set(added) - GENERIC or set(dropped) - GENERIC
    if added and len(dropped) == 1 and (kept or swap) and distinct:
        return f"{added[0]} in place of {dropped[0]}"
    return None


def swapped(extra: list[str], missed: list[str]) -> tuple[list[str], list[str]]:
    """The words the reply added and the answer words it left out, but for a word that is
    only elsewhere ('per-vCPU-hour charge' for a rate per vCPU-hour)."""
    added = [w for w in extra if is_content(w) and w not in PREFIXES | NEGATIONS]
    dropped = [w for w in missed if is_content(w) and w not in PREFIXES | UNITS | NEGATIONS]
    moved = [w for w in added if any(word_match(w, d) for d in dropped)]
    return (
        [w for w in added if w not in moved],
        [d for d in dropped if not any(word_match(w, d) for w in moved)],
    )


def _opposed(reply: list[str], expected: list[str]) -> bool:
    """The reply names the opposite of an answer word ('other accounts' for the same account):
    in its place, of the same thing ('a different host in the same AZ' for the same host), or
    beside it as a choice or a pair ('inbound and outbound' for inbound). Both, of different
    things, are two facts ('other instances of the same account')."""
    for index, word in enumerate(reply):
        opposite = OPPOSITES.get(word, frozenset()) & set(expected)
        if not opposite or word in expected:
            continue
        if not opposite & set(reply):
            return True
        near = reply[max(0, index - 2) : index + 3]
        if opposite & set(near) and {"and", "or", "nor"} & set(near):
            return True
    return opposite_said_of_it(reply, expected)


# A word said of any or all: and what the card must say of it for that to be its answer.
QUANTIFIERS = {
    "any": frozenset({"any", "all", "every"}),
    "all": frozenset({"any", "all", "every"}),
    "every": frozenset({"any", "all", "every", "per", "each"}),  # 'for every GiB' is per GiB
}


# Where a thing lives or counts: said of any or all, a place the card names is widened
# ('all rules are merged' says nothing of the kind).
SCOPES = frozenset(
    {"region", "az", "account", "subnet", "vpc", "zone", "partition", "host", "rack"}
)


def quantified_otherwise(reply: list[str], forms: list[list[str]]) -> str:
    """An answer word said of any or all where the card's answers never say so: 'any AZ in
    any Region' for any AZ in the snapshot's Region. The words said, or ''."""
    for k, word in enumerate(reply[1:], start=1):
        quantifier = reply[k - 1]
        if quantifier not in QUANTIFIERS or word.removesuffix("s") not in SCOPES:
            continue
        said = [form for form in forms if word in form]
        if said and not any(
            QUANTIFIERS[quantifier] & set(form[max(0, i - 2) : i])
            for form in said
            for i, other in enumerate(form)
            if other == word
        ):
            return f"{quantifier} {word}"
    return ""


def misread_acronym(reply: list[str], forms: list[list[str]]) -> str:
    """Words that spell one of the card's acronyms but are not the card's own expansion of it:
    'Fast Snapshot Recovery' for FSR, Fast Snapshot Restore. The acronym, or ''."""
    for acronym in {form[0] for form in forms if len(form) == 1}:
        spelled = [
            content
            for form in forms
            for content in [tuple(w for w in form if is_content(w))]
            if len(content) > 1 and is_acronym_of(acronym, content)
        ]
        for expansion in spelled:
            for start in range(len(reply) - len(expansion) + 1):
                run = tuple(reply[start : start + len(expansion)])
                if is_acronym_of(acronym, run) and not any(
                    all(_abbreviates(a, b) for a, b in zip(run, other, strict=True))
                    for other in spelled
                    if len(other) == len(run)
                ):
                    return acronym
    return ""


def _abbreviates(given: str, word: str) -> bool:
    """The same word, or its start ('config' for configurations)."""
    return bool(word_match(given, word)) or (len(given) >= 4 and word.startswith(given))


def values_swapped(reply: list[str], expected: list[str]) -> bool:
    """Values given each other's meanings: '0 (failed) or 1 (passed)' for 0 (passed) or
    1 (failed). A number the answer qualifies is qualified by another of the answer's words."""
    meant = {
        w: meaning
        for k, w in enumerate(expected)
        if is_number(w)
        for meaning in [_next_content(expected, k)]
        if meaning and not is_number(meaning) and meaning not in UNITS
    }
    meanings = set(meant.values())
    for k, word in enumerate(reply):
        said = _next_content(reply, k)
        if word in meant and said in meanings and not word_match(said, meant[word]):
            return True
    return False


def opposite_said_of_it(
    reply: list[str], expected: list[str], used: frozenset[str] = frozenset()
) -> bool:
    """The opposite of an answer's qualifier said of the same thing: 'a different host in the
    same AZ' for the same host, whatever else the reply says. A word of the card's own answers
    (`used`: 'more than one OS' beside 'several OSes') is no opposite."""
    for index, word in enumerate(reply):
        opposite = OPPOSITES.get(word, frozenset()) & set(expected)
        said_of = _next_content(reply, index)
        if opposite and word not in expected and word not in used and said_of:
            qualified = [
                _next_content(expected, k) for k, w in enumerate(expected) if w in opposite
            ]
            if said_of in qualified:
                return True
    return False


def _next_content(sequence: list[str], index: int) -> str:
    """The word a qualifier qualifies: the next word of content after it."""
    return next((w for w in sequence[index + 1 :] if is_content(w)), "")


def _rival(reply: list[str], expected: list[str]) -> str | None:
    """A distinguishing word of the answer missing and its rival named instead: 'instance
    status check' for the system one, 'customer managed' for AWS managed, 'one physical core'
    for one thread of a core (the rival named after it in the answer only says whose)."""
    given, wanted = _loose(reply), _loose(expected)
    for word in wanted:
        if word in given or word not in RIVALS:
            continue
        for rival in RIVALS[word] & set(given):
            if rival not in wanted or wanted.index(rival) > wanted.index(word):
                return f"{rival} in place of {word}"
    return None


def _loose(sequence: list[str]) -> list[str]:
    """Words for rivals: 'customer managed' and 'AWS managed' as one word each, as their
    hyphenated spellings already are."""
    out: list[str] = []
    for word in sequence:
        if word == "managed" and out and out[-1] + word in RIVALS:
            out[-1] += word
        else:
            out.append(word)
    return out


def card_rival(reply: list[str], forms: list[str]) -> str | None:
    """A rival of a distinguishing word the card's answers use, named in its place, when no
    answer of the card names it: 'AWS managed key' on a card of customer managed keys."""
    # 'not persistent' is no rival of 'ephemeral': a negated word is left out.
    loose = _loose(reply)
    given = [w for k, w in enumerate(loose) if k == 0 or loose[k - 1] not in NEGATIONS]
    used = {word for form in forms for word in _loose(words(form))}
    for word in sorted(used & CARD_RIVALS.keys()):
        if word in given:
            continue
        for rival in sorted(CARD_RIVALS[word] & set(given) - used):
            return f"{rival} in place of {word}"
    return None
