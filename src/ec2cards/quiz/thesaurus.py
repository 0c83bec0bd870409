"""The domain's synonyms, for every card: words an EC2 learner uses for one thing (RAM and
memory, an API attribute and its console name). Both the reply and the answer are read through
it, so a card's `accept` list need not repeat them. docs/deck-format.md lists them."""

from __future__ import annotations

# Each line: the words as written | what they are read as (words as `words` gives them).
_ENTRIES = """
ram | memory
vm | virtual machine
vms | virtual machines
operating system | os
operating systems | os
oss | os
oses | os
system call | syscall
system calls | syscalls
numbered | number
numeric | number
numerical | number
aes256 | aes 256
256 bit aes | aes 256
aes 256 bit | aes 256
srcdestcheck | source destination check
sourcedestcheck | source destination check
src dst | source destination
src dest | source destination
sourcedest | source destination
sourcedestination | source destination
source dest | source destination
enablednshostnames | dns hostnames
enablednssupport | dns support
dns resolution | dns support
httpendpoint | http endpoint
httptokens | http tokens
httpputresponsehoplimit | hop limit
deleteontermination | delete on termination
disableapitermination | disable api termination
disableapistop | disable api stop
instancemetadatatags | instance metadata tags
tags in metadata | instance metadata tags
tags in instance metadata | instance metadata tags
instance metadata tags | instance metadata tags
instance metadata service | imds
instance metadata | imds
hr | hour
hrs | hours
defaultcooldown | default cooldown
azrebalance | az rebalance
azs | az
multiple | several
ring 0 | privileged mode
i o | io
input output | io
clock speed | frequency
config | configuration
configs | configurations
fail over | failover
fails over | failover
failed over | failover
failing over | failover
flat out | at 100 percent
simple storage service | s3
fixed | static
retain | keep
retains | keeps
stores | keeps
browse | access
cost | rate
costs | rate
elastic network interface | network interface
elastic network interfaces | network interfaces
eni | network interface
enis | network interfaces
availability zone | az
availability zones | az
charge | rate
charges | rate
kilobytes | kb
megabytes | mb
gigabytes | gb
terabytes | tb
kibibytes | kib
mebibytes | mib
gibibytes | gib
tebibytes | tib
per cent | percent
full utilization | 100 percent utilization
fully utilized | 100 percent utilized
at full capacity | at 100 percent
at full load | at 100 percent
"""

SYNONYMS: dict[tuple[str, ...], tuple[str, ...]] = {
    tuple(written.split()): tuple(meant.split())
    for line in _ENTRIES.strip().splitlines()
    for written, meant in [line.split("|")]
}
_LONGEST = max(len(phrase) for phrase in SYNONYMS)


def read_through(words: list[str]) -> list[str]:
    """The words with each synonym (longest first) replaced by what it means."""
    out: list[str] = []
    index = 0
    while index < len(words):
        for size in range(min(_LONGEST, len(words) - index), 0, -1):
            meant = SYNONYMS.get(tuple(words[index : index + size]))
            if meant is not None:
                out.extend(meant)
                index += size
                break
        else:
            out.append(words[index])
            index += 1
    return out
