"""Answers as words a grader can compare: the spelling, number, hyphen and acronym differences
a person would overlook are taken out here, so the grader only weighs what was said."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ec2cards.quiz.thesaurus import SYNONYMS, read_through
from ec2cards.quiz.units import UNIT_TABLE, split_units


def _split(text: str) -> list[str]:
    return text.split()


STOPWORDS = frozenset(
    _split(
        "the a an of for to in on at by with and or is are be was it its they them their this "
        "that these those which as from into via whether one ones do does did"
    )
)
# Words that rarely carry the point of an answer: "Spot" answers "Spot Instances".
GENERIC = frozenset(
    _split(
        "amazon aws ec2 instance instances volume volumes type types service system systems os "
        "feature option options processor processors computing optimized family category "
        "allocation ami amis"
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
    " internal external, read write, attach detach, open closed, highest lowest,"
    " physical virtual, same other, same different, single several, single multiple,"
    " free rate, free charged, free billed, free paid,"
    " 1 several, 1 multiple"
)
LITTLE_OPPOSITES = frozenset(_split("in out on off up down"))
OPPOSITES: dict[str, frozenset[str]] = {}
for _pair in _OPPOSITE_PAIRS.split(","):
    for _one, _other in [_pair.split(), _pair.split()[::-1]]:
        OPPOSITES[_one] = OPPOSITES.get(_one, frozenset()) | {_other}
# Words that tell one real answer from another of the same kind: never left out for another.
_RIVAL_GROUPS = (
    "thread core, customermanaged awsmanaged, system instance, host instance, primary secondary,"
    " hard soft, snapshot volume, creation launched, az region, kernel hypervisor,"
    " aws amd intel, recover reboot, nitro xen,"
    " standard convertible, root data, batch powershell"
)
RIVALS: dict[str, frozenset[str]] = {}
for _group in _RIVAL_GROUPS.split(","):
    for _word in _group.split():
        RIVALS[_word] = RIVALS.get(_word, frozenset()) | (frozenset(_group.split()) - {_word})
# Checked against every answer a card accepts: a rival or an opposite of a word they use, named
# in its place ('false' on a card of 'DeleteOnTermination = true'). Not 'in'/'on'/'up', which
# are as often little words as answers.
# 'every AZ' (or 'several AZs') on a card of 'a single AZ'.
_MANY = frozenset({"every", "all", "several", "multiple", "many"})
_ONE_OF_MANY = {"single": _MANY, "specific": _MANY}
# 'a single snapshot' on a card of a snapshot of each volume.
_EACH = frozenset({"single", "only"})
_ONE_OF_MANY |= {"each": _EACH, "every": _EACH, "all": _EACH, "per": frozenset({"all"})}
CARD_RIVALS = {
    word: RIVALS.get(word, frozenset())
    | _ONE_OF_MANY.get(word, frozenset())
    | (OPPOSITES.get(word, frozenset()) if word not in LITTLE_OPPOSITES else frozenset())
    for word in set(RIVALS) | set(OPPOSITES) | set(_ONE_OF_MANY) - LITTLE_OPPOSITES
}
NEGATIONS = frozenset(["not", "no", "never", "cannot", "none", "without", "nor"])
DISJUNCTIONS = frozenset(["or", "either", "maybe", "perhaps", "possibly", "probably"])
# Words of a quantity a reply may leave out when the number is the answer ('16' for 16 KB).
UNITS = frozenset(UNIT_TABLE) | frozenset(
    _split("gbit iops vcpu vcpus core cores per kbps mbps gbps tbps")
)
_ONES = _split(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_TENS = _split("twenty thirty forty fifty sixty seventy eighty ninety")
NUMBER_WORDS = {
    **{word: value for value, word in enumerate(_ONES)},
    **{word: 10 * (value + 2) for value, word in enumerate(_TENS)},
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1000000}
# 'one' after a determiner, or a determiner and a word, ending a phrase is a pronoun ('the one
# with the fewest instances', 'a new one', 'the primary one'); otherwise it counts ('it can
# span one', 'only one').
DETERMINERS = frozenset(_split("the a an this that each every any no another which same"))
COUNTING = frozenset(_split("only exactly just least most than per about nearly"))
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
BITS_PER_SECOND = re.compile(r"(\d\s*[KMGT])b/s")  # 5 Gb/s: bits, which lower case would lose
NON = re.compile(r"\bnon-(?=\w)")  # 'non-dedicated' is 'not dedicated'
OR_NOT = re.compile(r"\bor not\b")  # 'whether you use it or not': neither a hedge nor a no
NUMBER_HYPHEN = re.compile(rf"\b({'|'.join(_TENS)})-(?=({'|'.join(_ONES[1:10])})\b)")
THOUSAND_SUFFIX = re.compile(r"\d+(?:\.\d+)?k")
# A path ('/latest/user-data', '~/.ssh/authorized_keys', 'latest/meta-data/instance-id'), a URL,
# a file name or a snake_case name, standing on its own: compared whole, never split at '/'.
ATOM = re.compile(
    r"""(?<![^\s`'"(\[<!])(?:
        [a-z][a-z0-9+.-]*://[^\s`'")\]]+
      | ~?/[\w.~-]*[\w~](?:/[\w.~-]*)*
      | [\w.~-]+(?:/[\w.~-]+)+
      | \w[\w-]*(?:\.[\w-]+)*\.(?:log|sh|txt|conf|cfg|json|ya?ml|pem|ppk|py|ps1|bat|cmd|xml|ini)\b
      | [a-z]\w*_\w+
    )""",
    re.VERBOSE,
)
PROSE = re.compile(r"\b(?:such as|including|between|e\.g\.|for example|as if|because|so that)\b|;")
CLAUSE_OPENERS = frozenset(_split("by that to when if because so from after before until at"))
COMPOUND = re.compile(r"\b\w+(?:[-\u2010\u2011]\w+)+")
URL = re.compile(r"[a-z][a-z0-9+.-]*://([^/]*)(.*)")
HOME = re.compile(r"^/(?:home/[^/]+|root)(?=/)")


def plain(text: str) -> str:
    """Lower case without accents, so 'Hypervisör' and 'hypervisor' read the same."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def american(word: str) -> str:
    """One spelling for words British and American spell apart (virtualisation, behaviour)."""
    if word in SPELLING_WORDS:
        return SPELLING_WORDS[word]
    if len(word) >= 6 and word.endswith("our") and not word.endswith("hour"):
        return word[:-3] + "or"
    if len(word) >= 5 and word.endswith("ise"):
        return word[:-3] + "ize"
    for british, us in SPELLING_ENDINGS:
        if len(word) > len(british) + 2 and word.endswith(british):
            return word[: -len(british)] + us
    return word


def words(text: str) -> list[str]:
    """The answer as words (see `_words`); a new list each time, the work done once per text."""
    return list(_words(text))


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    """The answer as words: '80,000' and '80 000' are 80000, 'SR-IOV' is sriov, 'n't' is not,
    'forty-two' is 42 (but 'the one' is a pronoun), '60-second' is 60 second, British
    spellings are American, a path or file name is one word, synonyms read as one."""
    text = BITS_PER_SECOND.sub(r"\1bps", text)
    text = plain(text).replace("n't", " not").replace("%", " percent ")
    text = NON.sub("not ", text)
    text = OR_NOT.sub(" ", text)
    found: list[str] = []
    last = 0
    for match in ATOM.finditer(text):
        atom = match.group(0)
        if not _is_atom(atom) and not _quoted(text, match):
            continue
        found += _plain_words(text[last : match.start()])
        found += _atom_words(atom)
        last = match.end()
    found += _plain_words(text[last:])
    return tuple(read_through(found))


def _plain_words(text: str) -> list[str]:
    text = split_units(text)
    text = NUMBER_HYPHEN.sub(r"\1 ", text)
    text = THOUSANDS.sub("", text)
    text = DECIMAL_POINT.sub("\x00", text)
    text = COMPOUND.sub(_synonym_parts, text)
    text = JOINING_HYPHEN.sub("", text)
    found = NON_WORD.sub(" ", text.replace("\x00", "DOT")).split()
    return [american(w).replace("DOT", ".") for w in _numbers(found)]


# Names that keep their meaning in a compound: 'KMS-encrypted' is encrypted, by KMS.
NAMES_IN_COMPOUNDS = frozenset(_split("kms ebs nitro ipv4 ipv6 imds imdsv2 iam ssm vpc"))


def _synonym_parts(match: re.Match[str]) -> str:
    """'RAM-optimized' → 'RAM optimized', 'IPv6-supported' → 'IPv6 supported': a compound
    with a synonym or a name in it is read as words ('RAM-less' stays one word)."""
    parts = re.split(r"[-\u2010\u2011]", match.group(0))
    if parts[-1] == "less":
        return match.group(0)
    named = any((part,) in SYNONYMS or part in NAMES_IN_COMPOUNDS for part in parts)
    return " ".join(parts) if named else match.group(0)


def _is_atom(text: str) -> bool:
    """Paths with a slash in front, URLs, file names and snake_case names are atoms; 'a/b'
    only when a part has a hyphen, dot or underscore ('latest/user-data', not 'HVM/PV')."""
    if text[0] in "/~" or "://" in text or "/" not in text:
        return any(ch.isalnum() for ch in text)
    return any(ch in "-._~" for ch in text)


def _quoted(text: str, match: re.Match[str]) -> bool:
    """A name in backticks is code, and code is one word: `AWS/EC2` is a namespace, not a
    list of AWS and EC2."""
    before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
    return before == after == "`"


def _atom_words(atom: str) -> list[str]:
    """A path as one word: a scheme and host before it, a home folder, a leading or trailing
    slash set aside ('http://169.254.169.254/latest/user-data' is 'latest/user-data')."""
    atom = atom.rstrip(".,;:!?")
    url = URL.match(atom)
    if url:
        host, path = url.groups()
        if not path.strip("/"):
            return _plain_words(host.strip("[]"))
        atom = path
    atom = HOME.sub("~", atom)
    return [atom.strip("/")]


def _numbers(found: list[str]) -> list[str]:
    """Number words as digits ('two hundred fifty-six' → 256, '3k' → 3000); 'one' after
    'the', 'a', 'new'… stays a pronoun."""
    out: list[str] = []
    index = 0
    while index < len(found):
        word = found[index]
        if word == "one" and _pronoun(found, index):
            out.append(word)
            index += 1
            continue
        if THOUSAND_SUFFIX.fullmatch(word):
            value = float(word[:-1]) * 1000
            out.append(str(int(value)) if value.is_integer() else str(value))
            index += 1
            continue
        value, used = _number_run(found, index)
        if used:
            out.append(str(value))
            index += used
        else:
            out.append(word)
            index += 1
    return out


def _pronoun(found: list[str], index: int) -> bool:
    after = found[index + 1] if index + 1 < len(found) else ""
    if after and (after not in STOPWORDS or after in ("or", "and", "to")):
        return False  # 'one AZ', 'one or more'
    before = found[max(0, index - 2) : index]
    if not before or before[-1] in COUNTING:
        return False
    return before[-1] in DETERMINERS or (len(before) == 2 and before[0] in DETERMINERS)


def _number_run(found: list[str], start: int) -> tuple[int, int]:
    """The value of the number words from `start` and how many words they take (0: none)."""
    total = current = 0
    used = 0
    last = ""  # the kind of the last word taken: ones, tens or scale
    index = start
    while index < len(found):
        word = found[index]
        if word in NUMBER_WORDS:
            value = NUMBER_WORDS[word]
            kind = "tens" if value >= 20 else "ones"
            if last == "ones" or (last == "tens" and (kind == "tens" or value >= 10)):
                break
            current += value
        elif word in SCALES and last:
            kind = "scale"
            if SCALES[word] == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * SCALES[word]
                current = 0
        elif word == "and" and last == "scale" and found[index + 1 : index + 2]:
            if found[index + 1] not in NUMBER_WORDS:
                break
            index += 1
            continue
        else:
            break
        last = kind
        index += 1
        used = index - start
    return total + current, used


def is_number(word: str) -> bool:
    return word.replace(".", "", 1).isdigit()


@lru_cache(maxsize=16384)
def is_identifier(word: str) -> bool:
    """A name with digits in it (gp3, c5n, io2), a path or a file name: a different character
    is a different answer."""
    return any(ch.isdigit() or ch in "/._~" for ch in word) and not is_number(word)


def is_content(word: str) -> bool:
    return word not in STOPWORDS


def items(text: str) -> list[str]:
    """A list answer's items ('CPU, memory and storage'); one item when it is not a list."""
    kept = ATOM.sub(
        lambda m: (
            m.group(0).replace("/", "\x02")
            if _is_atom(m.group(0)) or _quoted(text, m)
            else m.group(0)
        ),
        text,
    )
    pieces = [piece.strip() for piece in ITEM_SEPARATORS.split(THOUSANDS.sub("", kept))]
    return [piece.replace("\x02", "/") for piece in pieces if words(piece)]


def is_list(text: str) -> bool:
    """Several items named side by side, not a sentence that has a comma or an 'and' in it:
    'By rule number, lowest first', 'I/O, such as networking and storage' and 'the difference
    between max and desired' are one answer each."""
    found = items(text)
    if len(found) < 2:
        return False
    lowered = plain(text)
    if PROSE.search(lowered) or lowered.split()[0] in CLAUSE_OPENERS:
        return False
    return all(len(piece.split()) <= 4 for piece in found)


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
