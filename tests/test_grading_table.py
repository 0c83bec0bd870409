"""The typed-answer grader against a table of real answers: (expected, given, verdict).

Answers come from the bundled decks and from learners' replies to them. Precision matters as
much as recall: every listed wrong answer must be refused, every right one accepted."""

from __future__ import annotations

import pytest

from ec2cards.quiz.typed import grade_typed

RIGHT, WRONG, PARTIAL = "right", "wrong", "partial"

TABLE: list[tuple[str, str, str]] = [
    # Case, accents, punctuation, articles.
    ("The kernel", "the kernel", RIGHT),
    ("The kernel", "kernel", RIGHT),
    ("The kernel", "  Kernel.  ", RIGHT),
    ("The hypervisor", "hypervisör", RIGHT),
    ("The hypervisor", "a hypervisor", RIGHT),
    # Typos: one edit in a word of four or more letters.
    ("The kernel", "kernal", RIGHT),
    ("The hypervisor", "hypervsor", RIGHT),
    ("The hypervisor", "hyperviser", RIGHT),
    ("Para-virtualization", "paravirtualiztion", RIGHT),
    ("Hardware-assisted virtualization", "hardware assisted virutalization", RIGHT),
    ("Emulated virtualization", "emulated virtualisation", RIGHT),
    ("Memory optimized", "memory optimised", RIGHT),
    ("Storage optimized", "storage optimzed", RIGHT),
    ("The kernel", "colonel", WRONG),
    ("The kernel", "kernels and drivers", RIGHT),
    ("The hypervisor", "the supervisor", WRONG),
    ("The hypervisor", "hypervisorr os", RIGHT),
    ("Nitro", "Nitor", RIGHT),  # two letters swapped: one edit
    ("Nitro", "Nito", RIGHT),
    # Numbers: separators and spaces don't matter; a different number is always wrong.
    ("80,000", "80000", RIGHT),
    ("80,000", "80 000", RIGHT),
    ("80,000", "80,000", RIGHT),
    ("80,000", "8000", WRONG),
    ("80,000", "800000", WRONG),
    ("80,000", "80,001", WRONG),
    ("3,000 IOPS", "3000", RIGHT),
    ("3,000 IOPS", "3000 IOPS", RIGHT),
    ("3,000 IOPS", "300 IOPS", WRONG),
    ("3,000 IOPS", "30000 iops", WRONG),
    ("125 MiB/s", "125", RIGHT),
    ("125 MiB/s", "125 MiB/s", RIGHT),
    ("125 MiB/s", "125 mib per second", RIGHT),
    ("125 MiB/s", "125 GiB/s", WRONG),
    ("125 MiB/s", "250", WRONG),
    ("64 TiB", "64", RIGHT),
    ("64 TiB", "64 TB", RIGHT),
    ("64 TiB", "16 TiB", WRONG),
    ("64 TiB", "64 GiB", WRONG),
    ("40 percent", "40%", RIGHT),
    ("40 percent", "40", RIGHT),
    ("40 percent", "4%", WRONG),
    ("3 IOPS per GiB", "3 IOPS/GiB", RIGHT),
    ("3 IOPS per GiB", "3", RIGHT),
    ("3 IOPS per GiB", "30 IOPS per GiB", WRONG),
    ("One", "1", RIGHT),
    ("One", "one", RIGHT),
    ("One", "two", WRONG),
    ("16 Nitro-based instances", "16", RIGHT),
    ("16 Nitro-based instances", "sixteen", RIGHT),
    ("16 Nitro-based instances", "6", WRONG),
    # Lists: any order, 'and' / commas / 'or' / '/' as separators; missing items are partial.
    (
        "CPU, memory, network interfaces and storage",
        "CPU, memory, storage, network interfaces",
        RIGHT,
    ),
    (
        "CPU, memory, network interfaces and storage",
        "storage and memory and CPU and network interfaces",
        RIGHT,
    ),
    ("CPU, memory, network interfaces and storage", "cpu memory network interfaces storage", RIGHT),
    ("CPU, memory, network interfaces and storage", "CPU, memory, storage", PARTIAL),
    ("CPU, memory, network interfaces and storage", "CPU", PARTIAL),
    (
        "CPU, memory, network interfaces and storage",
        "CPU, memory, GPU, network interfaces, storage",
        PARTIAL,
    ),
    ("HVM and PV (paravirtual)", "PV and HVM", RIGHT),
    ("HVM and PV (paravirtual)", "HVM, PV", RIGHT),
    ("HVM and PV (paravirtual)", "HVM/PV", RIGHT),
    ("HVM and PV (paravirtual)", "HVM", PARTIAL),
    ("io1 and io2 (Provisioned IOPS SSD)", "io2 and io1", RIGHT),
    ("io1 and io2 (Provisioned IOPS SSD)", "io1", PARTIAL),
    ("io1 and io2 (Provisioned IOPS SSD)", "gp2 and gp3", WRONG),
    ("HDD volumes (st1 and sc1)", "sc1, st1", RIGHT),
    ("HDD volumes (st1 and sc1)", "st1 and sc1", RIGHT),
    ("HDD volumes (st1 and sc1)", "st1", PARTIAL),
    ("default, dedicated and host", "host, default, dedicated", RIGHT),
    ("default, dedicated and host", "dedicated and host", PARTIAL),
    ("Network and EBS optimized", "EBS and network optimized", RIGHT),
    ("Extra storage or memory", "extra memory or storage", RIGHT),
    ("Memory and CPU allocation", "CPU and memory", RIGHT),
    # Extra words around a right answer; a short key answer inside a longer one.
    ("Capacity Blocks for ML", "EC2 Capacity Blocks for ML", RIGHT),
    ("Capacity Blocks for ML", "Amazon EC2 Capacity Blocks for ML", RIGHT),
    ("The kernel", "the OS kernel", RIGHT),
    ("They conflict and crash the system", "they conflict and crash", RIGHT),
    ("They conflict and crash the system", "they conflict", PARTIAL),
    ("They conflict and crash the system", "they cooperate", WRONG),
    ("Spot Instances", "Spot", RIGHT),
    ("Spot Instances", "spot instance", RIGHT),
    ("Dedicated Hosts", "a dedicated host", RIGHT),
    ("Dedicated Hosts", "Dedicated", WRONG),
    ("Dedicated Hosts", "Dedicated Instances", WRONG),
    ("AWS Graviton processor", "Graviton", RIGHT),
    ("AWS Graviton processor", "Graviton processors", RIGHT),
    ("AWS Graviton processor", "Intel processor", WRONG),
    ("In one specific Availability Zone", "one AZ", RIGHT),
    ("In one specific Availability Zone", "in a region", WRONG),
    ("Instance store volumes (local NVMe)", "instance store", RIGHT),
    ("Instance store volumes (local NVMe)", "EBS volumes", WRONG),
    ("It gradually drops to the baseline", "drops to baseline", RIGHT),
    ("It gradually drops to the baseline", "it is throttled to zero", WRONG),
    ("Copy it with encryption enabled", "copy it and enable encryption", RIGHT),
    ("Copy it with encryption enabled", "delete it", WRONG),
    ("A new host", "new host", RIGHT),
    ("A new host", "the same host", WRONG),
    ("The same host", "a new host", WRONG),
    # Hedges that also name a wrong alternative are wrong.
    ("gp3", "gp2 or gp3", WRONG),
    ("gp3", "gp3 or maybe gp2", WRONG),
    ("gp3", "gp3/io2", WRONG),
    ("Spot Instances", "Spot or On-Demand", WRONG),
    ("Dedicated Hosts", "dedicated hosts or dedicated instances", WRONG),
    ("The hypervisor", "the kernel or the hypervisor", WRONG),
    ("Para-virtualization (PV)", "paravirtualization or PV", RIGHT),
    ("The kernel", "not the kernel", WRONG),
    ("Only when you launch it", "not when you launch it", WRONG),
    # Acronyms both ways.
    ("Elastic Network Interface (ENI)", "ENI", RIGHT),
    ("Elastic Network Interface (ENI)", "elastic network interface", RIGHT),
    ("Elastic Network Interface (ENI)", "an elastic network interface", RIGHT),
    ("ENI", "Elastic Network Interface", RIGHT),
    ("An Availability Zone", "AZ", RIGHT),
    ("AZ", "availability zone", RIGHT),
    ("Hardware Virtual Machine (HVM)", "HVM", RIGHT),
    ("HVM", "hardware virtual machine", RIGHT),
    ("SR-IOV", "SRIOV", RIGHT),
    ("SR-IOV", "sr iov", RIGHT),
    ("SR-IOV", "single root I/O virtualization", RIGHT),
    ("The Elastic Network Adapter (ENA)", "ENA", RIGHT),
    ("The Elastic Network Adapter (ENA)", "elastic network adapter", RIGHT),
    ("The Elastic Network Adapter (ENA)", "Elastic Fabric Adapter", WRONG),
    ("AWS KMS (Key Management Service)", "KMS", RIGHT),
    ("AWS KMS (Key Management Service)", "key management service", RIGHT),
    ("Elastic Block Store", "EBS", RIGHT),
    ("Elastic Block Store", "EFS", WRONG),
    # Hyphens, spacing, British and American spelling.
    ("Para-virtualization", "paravirtualization", RIGHT),
    ("Para-virtualization", "para virtualisation", RIGHT),
    ("Para-virtualization", "para-virtualisation", RIGHT),
    ("Hardware-assisted virtualization", "hardware assisted virtualisation", RIGHT),
    ("On-Demand", "on demand", RIGHT),
    ("On-Demand", "ondemand", RIGHT),
    ("Instance store volume", "instance-store volume", RIGHT),
    ("Behavior", "behaviour", RIGHT),
    ("Optimized for storage", "optimised for storage", RIGHT),
    # Look-alike identifiers are different answers, never typos of each other.
    ("gp3", "gp2", WRONG),
    ("gp2", "gp3", WRONG),
    ("io2", "io1", WRONG),
    ("io2 Block Express", "io1 Block Express", WRONG),
    ("st1", "sc1", WRONG),
    ("sc1", "st1", WRONG),
    ("c5n", "c5", WRONG),
    ("c5", "c5n", WRONG),
    ("EBS", "EFS", WRONG),
    ("EFS", "EBS", WRONG),
    ("ENA", "ENI", WRONG),
    ("ENI", "ENA", WRONG),
    ("T2", "T3", WRONG),
    ("T2", "t2", RIGHT),
    ("Inf", "Inf", RIGHT),
    ("Inf", "Trn", WRONG),
    ("EBS", "EBS and EFS", WRONG),
    ("gp3", "gp3 and io2", WRONG),
    # Life cycle, security, scaling and monitoring: opposites and rivals stay wrong.
    ("The hypervisor", "kernel", WRONG),
    ("Memory optimized", "optimized", WRONG),
    ("Spot Instances", "instances", WRONG),
    ("EC2 hosts", "EC2", WRONG),
    ("They conflict and crash the system", "the system", WRONG),
    ("2 vCPUs per core", "1", WRONG),
    ("Instance store-backed", "EBS-backed", WRONG),
    ("Stop and start", "start and stop", RIGHT),
    ("Hibernate", "hibernation", RIGHT),
    ("Terminate", "terminated", RIGHT),
    ("A security group", "a network ACL", WRONG),
    ("Stateful", "stateless", WRONG),
    ("stateless", "stateful", WRONG),
    ("Inbound", "outbound", WRONG),
    ("IMDSv2", "IMDSv1", WRONG),
    ("1", "2", WRONG),
    ("hop limit of 1", "hop limit of 2", WRONG),
    ("Launch template", "launch configuration", WRONG),
    ("Target tracking", "step scaling", WRONG),
    ("Basic monitoring (5 minutes)", "1 minute", WRONG),
    ("Every 5 minutes", "every 1 minute", WRONG),
    ("5 minutes", "5 seconds", WRONG),
    ("Regional", "zonal", WRONG),
    ("Region", "Availability Zone", WRONG),
    ("An Availability Zone", "a region", WRONG),
    ("Public IPv4 address", "private IPv4 address", WRONG),
    ("Elastic IP address", "public IP address", WRONG),
    ("Yes", "No", WRONG),
    ("No", "Yes", WRONG),
    ("True", "False", WRONG),
    ("Encrypted", "unencrypted", WRONG),
    ("unencrypted", "encrypted", WRONG),
    ("Increase", "decrease", WRONG),
    ("Scale out", "scale in", WRONG),
    ("scale in", "scale out", WRONG),
    ("Warm pool", "cold pool", WRONG),
    ("User data", "metadata", WRONG),
    ("Instance metadata", "user data", WRONG),
    ("169.254.169.254", "169.254.169.253", WRONG),
    ("cloud-init", "cloud init", RIGHT),
    ("PUT", "GET", WRONG),
    ("Session Manager", "EC2 Instance Connect", WRONG),
    ("The instance is stopped", "The instance is terminated", WRONG),
    ("The data is lost", "the data is kept", WRONG),
    ("Amazon Linux", "Ubuntu", WRONG),
    ("x86_64", "arm64", WRONG),
    ("arm64", "x86", WRONG),
    ("Nitro", "Xen", WRONG),
    ("Xen", "Nitro", WRONG),
    ("Dedicated Instances and Dedicated Hosts", "Dedicated Hosts", PARTIAL),
    ("Dedicated Instances and Dedicated Hosts", "dedicated", PARTIAL),
    ("Savings Plans", "Reserved Instances", WRONG),
    ("Compute Savings Plans", "EC2 Instance Savings Plans", WRONG),
    ("EC2 Instance Savings Plans", "Compute Savings Plans", WRONG),
    ("Partition", "spread", WRONG),
    ("Cluster", "cluster placement group", RIGHT),
    ("Spread", "cluster", WRONG),
    ("7 per AZ", "7", RIGHT),
    ("7 per AZ", "8", WRONG),
    ("Scheduled Instances", "Scheduled", RIGHT),
    ("launch", "terminate", WRONG),
    ("reboot", "restart", WRONG),
    ("pending", "running", WRONG),
    ("shutting-down", "stopping", WRONG),
    ("Addresses", "address", RIGHT),  # plural in -es
    ("64 TB", "64 TiB", RIGHT),
    ("Optimize", "optimization", RIGHT),
    ("Rate", "ration", WRONG),  # a stem of three letters is no stem
    ("Graviton2", "Graviton", WRONG),
    ("Graviton2", "Graviton3", WRONG),
    ("Networked storage (e.g. EBS)", "EBS", WRONG),  # an example is not the answer
    ("The kernel", "the", WRONG),
    ("The kernel", "a", WRONG),
    ("Instance store", "instance store storage", RIGHT),
    ("In one Availability Zone", "on one AZ", RIGHT),
    ("Capacity Blocks for ML", "EC2 Capacity Blocks", RIGHT),
    # Answers of little words or generic words only.
    ("In", "in it", RIGHT),
    ("AWS EC2", "EC2", RIGHT),
    ("In", "in", RIGHT),
    ("In", "out", WRONG),
    ("Out", "in", WRONG),
    ("The instance", "instance", RIGHT),
    ("The instance", "the volume", WRONG),
    ("Amazon EC2", "EC2", RIGHT),
    # Plain misses.
    ("The hypervisor", "the kernel", WRONG),
    ("Emulated virtualization (binary translation)", "binary translation", RIGHT),
    ("Emulated virtualization (binary translation)", "emulated virtualization", RIGHT),
    ("Emulated virtualization (binary translation)", "hardware-assisted virtualization", WRONG),
    ("running", "stopped", WRONG),
    ("stopping", "stopped", WRONG),
    ("stopping", "stoping", RIGHT),
    ("Accelerated computing", "accelerated", RIGHT),
    ("Accelerated computing", "compute optimized", WRONG),
    ("General purpose", "general-purpose", RIGHT),
    ("", "anything", WRONG),
    ("The kernel", "", WRONG),
    ("The kernel", "???", WRONG),
]


def verdict_of(expected: str, given: str) -> str:
    grade = grade_typed(given, [expected] if expected else [])
    if grade.correct:
        return RIGHT
    return PARTIAL if grade.score > 0 else WRONG


@pytest.mark.parametrize(("expected", "given", "verdict"), TABLE)
def test_the_grader_agrees_with_a_person(expected: str, given: str, verdict: str) -> None:
    assert verdict_of(expected, given) == verdict


def test_the_table_is_large_and_balanced() -> None:
    verdicts = [v for _, _, v in TABLE]
    assert len(TABLE) >= 120
    assert verdicts.count(WRONG) >= 40 and verdicts.count(RIGHT) >= 60


def test_no_listed_wrong_answer_passes() -> None:
    """Precision: one wrong answer accepted is one false memory."""
    passed = [(e, g) for e, g, v in TABLE if v == WRONG and verdict_of(e, g) == RIGHT]
    assert passed == []


# What the learner is told besides right or wrong, and which right answers count as exact
# (a recorded quiz makes only an exact, fast answer Easy).
NOTES: list[tuple[str, str, str]] = [
    ("3,000 IOPS", "300 IOPS", "another number"),
    ("3,000 IOPS", "IOPS", "a number is missing"),
    ("The kernel", "not the kernel", "says the opposite"),
    ("Scale in", "scale out", "says the opposite"),
    ("125 MiB/s", "125 GiB/s", "another unit"),
    ("gp3", "gp3 and io2", "names another answer"),
    ("EFS", "EBS and EFS", "names another answer"),
    ("gp3", "gp2 or gp3", "also names a wrong answer"),
    ("HVM", "HVM or hardware virtual machine", "every alternative named is right"),
    ("The kernel", "kernal", "read as: kernal → kernel"),
    ("Hibernate", "hibernation", "read as: hibernation → hibernate"),
    ("EC2 Instance Savings Plans", "Compute Savings Plans", "compute in place of instance"),
    ("The Elastic Network Adapter (ENA)", "Elastic Fabric Adapter", "fabric in place of network"),
    ("It gradually drops to the baseline", "drops sharply", "sharply in place of gradually"),
    ("It gradually drops to the baseline", "it drops", "too little of the answer"),
    ("CPU, memory, network interfaces and storage", "CPU, memory, storage", "3 of 4 items"),
    (
        "CPU, memory, network interfaces and storage",
        "CPU, memory, GPU, network interfaces, storage",
        "4 of 4 items, 1 not in the answer",
    ),
    ("The kernel", "the hypervisor", "hypervisor in place of kernel"),
    ("The kernel", "xyz", ""),
    (
        "CPU, memory and storage",
        "storaeg, CPU, memroy",
        "read as: storaeg → storage, memroy → memory",
    ),
    ("Amazon EC2 doesn't keep a copy of it", "EC2 keeps a copy of it", "says the opposite"),
    ("That it runs on a hypervisor", "that its virtualsed", ""),  # shares none: no riddle
    ("The kernel", "the", ""),
    ("Memory and CPU allocation", "CPU and memroy", "read as: memroy → memory"),
    ("The kernel", "The kernel", ""),
]


@pytest.mark.parametrize(("expected", "given", "note"), NOTES)
def test_the_grader_says_why(expected: str, given: str, note: str) -> None:
    assert grade_typed(given, [expected]).note == note


EXACTNESS: list[tuple[str, str, bool]] = [
    ("The kernel", "KERNEL", True),
    ("Amazon EC2 doesn't keep a copy of it", "it does not keep a copy of it", True),
    ("Auto Scaling", "autoscaling", True),
    ("Para-virtualization", "para virtualisation", True),
    ("80,000", "80000", True),
    ("Spot Instances", "spot", True),  # only a generic word left out
    ("The kernel", "the OS kernel", True),  # only a generic word added
    ("CPU, memory and storage", "storage, CPU, memory", True),
    ("CPU, memory and storage", "storage, CPU, memroy", False),  # a typo in one item
    ("The kernel", "kernal", False),
    ("125 MiB/s", "125", False),  # the unit left out
    ("16 Nitro-based instances", "16", False),
    ("It gradually drops to the baseline", "drops to the baseline", False),  # a key word left out
    ("Capacity Blocks for ML", "Capacity Blocks for ML training", False),  # a word added
    ("HVM", "HVM or hardware virtual machine", False),
    ("Para-virtualization (PV)", "paravirtualization or PV", True),  # the answer, as written
    ("64 TiB", "64 TB", False),
    ("Memory and CPU allocation", "CPU and memory", True),  # items in another order
    ("Color", "colour", True),  # spelling variants are exact
    ("Behavior", "behaviour", True),
    ("Optimize", "optimise", True),
    ("Analyze", "analyse", True),
    ("Catalog", "catalogue", True),
    ("Canceled", "cancelled", True),
    ("License", "licence", True),
    ("On-Demand Capacity Reservation", "an on demand reservation", False),
    ("Para virtualization mode", "paravirtualization", False),
    ("Memory and CPU allocation", "CPU and memroy", False),
]


@pytest.mark.parametrize(("expected", "given", "exact"), EXACTNESS)
def test_only_an_answer_as_written_is_exact(expected: str, given: str, exact: bool) -> None:
    grade = grade_typed(given, [expected])
    assert grade.correct
    assert grade.exact is exact
    assert grade.close is ("→" in grade.note)


def test_partial_credit_is_the_share_of_items_named() -> None:
    assert (
        grade_typed("CPU, memory, storage", ["CPU, memory, network interfaces and storage"]).score
        == 0.75
    )
    assert (
        grade_typed(
            "CPU, memory, GPU, network interfaces, storage",
            ["CPU, memory, network interfaces and storage"],
        ).score
        == 0.8
    )
    assert grade_typed("hypervisor", ["The kernel"]).score == 0.0
    for given, expected in (("kernel", "The kernel"), ("kernal", "The kernel"), ("16", "16 hosts")):
        assert grade_typed(given, [expected]).score == 1.0


def test_what_the_learner_sees_says_why() -> None:
    from ec2cards.model.cards import Card, CardKind
    from ec2cards.quiz.grading import grade
    from ec2cards.quiz.questions import Ask, Question
    from ec2cards.terminal.quiz_lines import feedback_lines

    card = Card(deck_id="d", card_id="c", kind=CardKind.BASIC, question="Q?", answer="3,000 IOPS")
    question = Question(card, Ask.TYPED, "Q?", expected="3,000 IOPS", accepted=("3,000 IOPS",))
    wrong, near, partial = (grade(question, reply) for reply in ("300 IOPS", "3000 iosp", "3000"))
    assert feedback_lines(wrong)[0] == "Wrong (another number). Expected: 3,000 IOPS"  # type: ignore[arg-type]
    assert feedback_lines(near)[0] == "Right (read as: iosp → iops) — expected: 3,000 IOPS"  # type: ignore[arg-type]
    assert feedback_lines(partial)[0] == "Right — expected: 3,000 IOPS"  # type: ignore[arg-type]
    list_card = Card(
        deck_id="d", card_id="l", kind=CardKind.BASIC, question="Q?", answer="HVM and PV"
    )
    listed = Question(list_card, Ask.TYPED, "Q?", expected="HVM and PV", accepted=("HVM and PV",))
    assert (
        feedback_lines(grade(listed, "HVM"))[0]
        == "Partly right (1 of 2 items). Expected: HVM and PV"
    )  # type: ignore[arg-type]


def test_a_short_answer_must_name_at_least_three_fifths_of_the_key_words() -> None:
    answer = ["alpha bravo charlie delta echo"]
    assert grade_typed("alpha bravo charlie", answer).correct  # 60%
    assert not grade_typed("alpha bravo", answer).correct  # 40%
    assert grade_typed("bravo charlie delta echo", answer).correct


def test_a_right_answer_scores_in_full_however_it_is_right() -> None:
    """The score decides what a recorded quiz answer saves: a right reply, hedged between two
    right alternatives or read through typos, counts 1.0, never more."""
    for expected, given in [
        ("HVM", "HVM or hardware virtual machine"),
        ("CPU, memory and storage", "storaeg, CPU, memroy"),
        ("The kernel", "kernal"),
    ]:
        graded = grade_typed(given, [expected])
        assert graded.correct and graded.score == 1.0, (expected, given)
