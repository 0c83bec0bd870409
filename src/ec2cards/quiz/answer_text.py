"""Answers as words a grader can compare: the spelling, number, hyphen and acronym differences
a person would overlook are taken out here, so the grader only weighs what was said."""

from __future__ import annotations

import re
import unicodedata


def _split(text: str) -> list[str]:
    return text.split()


STOPWORDS = frozenset(
    _split(
        "the a an of for to in on at by with and or is are be was it its they them their this "
        "that these those which as from into via"
    )
)
# Words that rarely carry the point of an answer: "Spot" answers "Spot Instances".
GENERIC = frozenset(
    _split(
        "amazon aws ec2 instance instances volume volumes type types service system systems os "
        "feature option options processor processors computing optimized family category "
        "allocation"
    )
)
# Words a name may carry or drop without changing what it names (EC2 Capacity Blocks).
PREFIXES = frozenset({"amazon", "aws", "ec2"})
_OPPOSITE_PAIRS = (
    "in out, up down, on off, public private, inbound outbound, ingress egress, stateful stateless,"
    " start stop, enable disable, enabled disabled, encrypted unencrypted, increase decrease,"
    " allow deny, minimum maximum, min max, warm cold, horizontal vertical, basic detailed,"
    " yes no, true false, before after, first last, more less, higher lower, larger smaller,"
    " shared dedicated, persistent ephemeral, regional zonal, automatic manual, static dynamic,"
    " internal external, read write, attach detach, open closed"
)
OPPOSITES = {
    one: other
    for pair in _OPPOSITE_PAIRS.split(",")
    for a, b in [pair.split()]
    for one, other in ((a, b), (b, a))
}
NEGATIONS = frozenset(["not", "no", "never", "cannot", "none", "without", "nor"])
DISJUNCTIONS = frozenset(["or", "either", "maybe", "perhaps", "possibly", "probably"])
UNITS = frozenset(
    _split(
        "kib kb mib mb gib gb tib tb pib pb bit bits byte bytes s sec secs second seconds ms "
        "millisecond milliseconds min mins minute minutes h hr hrs hour hours day days week "
        "weeks month months year years gbps mbps gbit iops percent vcpu vcpus core cores per"
    )
)
# Decimal and binary units of one size are the same answer, near enough (16 TB for 16 TiB).
NEAR_UNITS = {"kb": "kib", "mb": "mib", "gb": "gib", "tb": "tib", "pb": "pib"}
NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        _split(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
        )
    )
}
# British spellings, by ending (applied to both sides, so a rare false pair does no harm).
SPELLING_ENDINGS = (
    ("isation", "ization"),
    ("isations", "izations"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("ogue", "og"),
    ("lled", "led"),
    ("lling", "ling"),
)
SPELLING_WORDS = {"licence": "license", "grey": "gray", "centre": "center", "fibre": "fiber"}

THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f ](?=\d{3}(?!\d))")
DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
JOINING_HYPHEN = re.compile(r"(?<=\w)[-\u2010\u2011](?=\w)")
NON_WORD = re.compile(r"[\W_]+")
ITEM_SEPARATORS = re.compile(
    r"\s*(?:[,;+&]|\band\b|\bor\b|\bthen\b|(?<=\w{2})/(?=\w{2}))\s*", re.IGNORECASE
)
EXAMPLE = re.compile(
    r"\s*(e\.g\.|eg\b|such as|for example|for instance|like|except|not|unless)", re.I
)
PARENTHETICAL = re.compile(r"\s*\(([^()]*)\)\s*")


def plain(text: str) -> str:
    """Lower case without accents, so 'Hypervisör' and 'hypervisor' read the same."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def american(word: str) -> str:
    """One spelling for words British and American spell apart (virtualisation, behaviour)."""
    if word in SPELLING_WORDS:
        return SPELLING_WORDS[word]
    if len(word) >= 6 and word.endswith("our"):
        return word[:-3] + "or"
    if len(word) >= 5 and word.endswith("ise"):
        return word[:-3] + "ize"
    for british, us in SPELLING_ENDINGS:
        if len(word) > len(british) + 2 and word.endswith(british):
            return word[: -len(british)] + us
    return word


def words(text: str) -> list[str]:
    """The answer as words: '80,000' and '80 000' are 80000, 'SR-IOV' is sriov, 'n't' is not,
    'two' is 2, British spellings are American."""
    text = plain(text).replace("n't", " not").replace("%", " percent ")
    text = THOUSANDS.sub("", text)
    text = DECIMAL_POINT.sub("\x00", text)
    text = JOINING_HYPHEN.sub("", text)
    found = NON_WORD.sub(" ", text.replace("\x00", "DOT")).split()
    return [american(NUMBER_WORDS.get(w, w)).replace("DOT", ".") for w in found]


def is_number(word: str) -> bool:
    return word.replace(".", "", 1).isdigit()


def is_identifier(word: str) -> bool:
    """A name with digits in it (gp3, c5n, io2): a different character is a different answer."""
    return any(ch.isdigit() for ch in word) and not is_number(word)


def is_content(word: str) -> bool:
    return word not in STOPWORDS


def items(text: str) -> list[str]:
    """A list answer's items ('CPU, memory and storage'); one item when it is not a list."""
    pieces = [piece.strip() for piece in ITEM_SEPARATORS.split(THOUSANDS.sub("", text))]
    return [piece for piece in pieces if words(piece)]


def without_parenthetical(text: str) -> tuple[str, list[str]]:
    """'Elastic Network Interface (ENI)' → the text without its asides, and the asides."""
    asides = [match.group(1) for match in PARENTHETICAL.finditer(text)]
    return PARENTHETICAL.sub(" ", text).strip(), asides


def forms_of(answer: str) -> list[str]:
    """An accepted answer and what it also means: without its aside in brackets, and the aside
    itself ('ENI' for 'Elastic Network Interface (ENI)'), unless the aside is an example."""
    forms = [answer]
    rest, asides = without_parenthetical(answer)
    if asides and words(rest):
        forms.append(rest)
        forms.extend(aside for aside in asides if words(aside) and not EXAMPLE.match(aside))
    return forms
