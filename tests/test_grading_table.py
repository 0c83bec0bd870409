"""The typed-answer grader against a table of real answers: (expected, given, verdict).

Answers come from the bundled decks and from learners' replies to them. Precision matters as
much as recall: every listed wrong answer must be refused, every right one accepted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given as for_all
from hypothesis import strategies as st

from ec2cards.quiz.typed import grade_typed

RIGHT, WRONG, PARTIAL = "right", "wrong", "partial"

TABLE: list[tuple[str | tuple[str, ...], str, str]] = [
    # Opposites and one-of-many named in place of the answer's word, where another accepted
    # form would otherwise cover the reply.
    (("By rule number, lowest first", "by rule number"), "highest rule number first", WRONG),
    (("By rule number, lowest first", "by rule number"), "lowest rule number first", RIGHT),
    (("A virtual network card", "network card"), "a physical network card", WRONG),
    (("A virtual network card", "network card"), "a virtual network card", RIGHT),
    (("The batch script", "script"), "the PowerShell script", WRONG),
    (("In one specific Availability Zone", "an Availability Zone"), "across several AZs", WRONG),
    (("Only the same account", "an account"), "other accounts", WRONG),
    # A name is its words in its order; a list is not a name.
    ("Elastic Block Store", "Elastic Store Block", WRONG),
    ("Elastic Block Store", "elastic block store", RIGHT),
    (("Elastic Network Adapter", "elastic network adapter"), "Network Elastic Adapter", WRONG),
    # An item added to a one-part answer that names another thing of the domain.
    (("Its EBS volumes", "EBS"), "EBS and instance store", WRONG),
    (("An IAM role", "IAM role"), "an IAM role and a key pair", WRONG),
    # A thing of the domain made of an answer word and another: not the answer.
    (("Hosts", "host"), "dedicated hosts", WRONG),
    (("A network interface", "network interface"), "an elastic network interface", RIGHT),
    # 'one' where the answer counts nothing is an article; 'single' is one.
    ("A snapshot of each volume", "one snapshot per volume", RIGHT),
    ("A snapshot of each volume", "two snapshots per volume", WRONG),
    ("In a single Availability Zone", "in one AZ", RIGHT),
    ("In a single Availability Zone", "in two AZs", WRONG),
    # A negation on each side says the same; one negating an added word negates no answer word.
    ("Its traffic isn't encrypted", "its traffic has no encryption", RIGHT),
    (
        "Share it with specific accounts",
        "it cannot be public; share it with specific accounts",
        RIGHT,
    ),
    ("Share it with specific accounts", "do not share it with specific accounts", WRONG),
    ("An agent on the instance", "agent-less", WRONG),
    # An opposite beside the answer word as a pair is a second answer; apart, a second fact.
    ("Instances of the same account", "other instances of the same account", RIGHT),
    ("Inbound traffic", "inbound and outbound traffic", WRONG),
    # Words run together, and a rate by another name.
    ("Dollars per hour", "dollar-per-hour", RIGHT),
    ("A flat rate per GB", "a flat charge per GB", RIGHT),
    ("Hardware failure", "hardware failing", RIGHT),
    # Code in backticks is one word.
    ("`AWS/EBS`", "EBS", WRONG),
    ("`AWS/EBS`", "aws/ebs", RIGHT),
    # Rivals a card's answers name: Region for AZ, volume for snapshot, launch for creation.
    (("7", "7 per AZ"), "7 per Region", WRONG),
    (("Copy the snapshot", "copy it"), "copy the volume", WRONG),
    (("Two years after creation", "2 years"), "2 years after it was last launched", WRONG),
    (("16 in the same AZ", "16"), "16 in different AZs", WRONG),
    # Rivals of the answer's word named beside another accepted form: the hypervisor for the
    # kernel, another maker, one for each.
    (("Through the kernel", "a system call"), "a system call to the hypervisor", WRONG),
    (("Through the kernel", "a system call"), "a system call to the kernel", RIGHT),
    (("AWS Graviton", "Graviton"), "a Graviton chip made by Intel", WRONG),
    (("AWS Graviton", "Graviton"), "Graviton, designed by AWS", RIGHT),
    (("A snapshot of each volume", "a snapshot"), "a single snapshot of the root volume", WRONG),
    # ENI is a network interface; multiple is several; an amount said twice is one amount.
    ("The primary network interface (eth0)", "the primary ENI", RIGHT),
    ("The primary network interface", "the secondary ENI", WRONG),
    ("Several virtual functions", "multiple virtual functions", RIGHT),
    ("Two minutes", "2 minutes (120 seconds)", RIGHT),
    ("Two minutes", "2 minutes (100 seconds)", WRONG),
    # An opposite said of the thing the answer qualifies, beside the answer's own word.
    (("The same host", "same"), "a different host in the same AZ", WRONG),
    (("The same host", "same"), "the same host, in the same AZ", RIGHT),
    # Values with their meanings swapped; a name inside a compound; ring 0.
    (("0 (passed) or 1 (failed)", "0 or 1"), "0 (failed) or 1 (passed)", WRONG),
    (("0 (passed) or 1 (failed)", "0 or 1"), "1 (failed) or 0 (passed)", RIGHT),
    (("1 (enabled) or 2 (required)", "1 or 2"), "1 required, 2 enabled", WRONG),
    ("The root volume must be encrypted", "the root volume must be KMS-encrypted", RIGHT),
    ("Nitro-based instances in IPv6-supported subnets", "Nitro instances in IPv6 subnets", RIGHT),
    ("Memory optimized", "RAM-less compute optimized", WRONG),
    ("Stateless", "state-less", RIGHT),
    (("The kernel", "kernel"), "the kernel, which runs in ring 0", RIGHT),
    # Fail over is not fail; rates and counts of their own kinds; more of the thesaurus.
    ("It fails along with its AZ", "it automatically fails over to another AZ", WRONG),
    ("It fails along with its AZ", "the instance fails along with the AZ", RIGHT),
    ("1 vCPU at 100% for 1 minute", "1 vCPU running flat out for 60 seconds", RIGHT),
    ("Amazon S3", "Amazon Simple Storage Service", RIGHT),
    ("A static public IPv4 address", "a fixed public IPv4 address", RIGHT),
    ("EC2 doesn't keep a copy of it", "EC2 never stores it", RIGHT),
    ("EC2 doesn't keep a copy of it", "AWS doesn't retain a copy", RIGHT),
    ("EC2 doesn't keep a copy of it", "EC2 keeps a copy of it", WRONG),
    (("Account level, per Region", "per Region"), "the account, across all Regions at once", WRONG),
    # I/O is one word, its acronym too; a typo joins no one-letter word; comparatives.
    ("single root I/O virtualization", "single root input output verification", WRONG),
    ("single root I/O virtualization", "single root input/output virtualization", RIGHT),
    ("SR-IOV", "single root IO virtualization", RIGHT),
    (("Nitro Hypervisor", "hypervisor"), "the Xen hypervisor", WRONG),
    ("High CPU frequency", "a higher CPU clock speed", RIGHT),
    ("Legacy BIOS", "BIOS (legacy)", RIGHT),
    # Said of any or all where the card says of which.
    (("Any AZ in the snapshot's Region", "any AZ"), "any AZ in any Region", WRONG),
    (("Any AZ in the snapshot's Region", "any AZ"), "any AZ in that Region", RIGHT),
    (("Only in the Region where it was created", "its Region"), "any Region", WRONG),
    ("3 IOPS per GiB", "three IOPS for every GiB", RIGHT),
    (("Aggregated into one set of rules", "merged"), "all rules are merged into one set", RIGHT),
    ("A new host", "usually a different (new) host", RIGHT),
    # An acronym's letters spelled by other words; config is configuration.
    (("Fast Snapshot Restore (FSR)", "FSR"), "Fast Snapshot Recovery", WRONG),
    (("Fast Snapshot Restore (FSR)", "FSR"), "fast snapshot restore", RIGHT),
    (("Launch configurations", "LC"), "launch config", RIGHT),
    # A clause with the opposite of what the card says; zero as no.
    ("No inbound rules", "zero inbound rules", RIGHT),
    (("Amazon S3", "S3"), "S3 Glacier", WRONG),
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
        WRONG,  # an item the answer does not have
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
    ("Non-dedicated instances", "instances that are not dedicated", RIGHT),
    ("EBS-backed AMI", "EBS backed", RIGHT),  # 'AMI' only says what the question asked
    ("In a single Availability Zone", "in every AZ", WRONG),
    ("One", "it can span one", RIGHT),  # 'one' after a verb counts
    (("The primary network interface (eth0)", "primary"), "the primary one", RIGHT),  # a pronoun
    (("The primary network interface (eth0)", "primary"), "the secondary one", WRONG),
    (("Instance store", "ephemeral storage"), "non-persistent instance store", RIGHT),
    (("The instance is terminated", "terminated"), "it is not stopped but terminated", RIGHT),
    (("The instance is terminated", "terminated"), "it is not terminated", WRONG),
    ("In order", "in ordering", RIGHT),  # a verb and its -ing form
    ("Launch", "launching", RIGHT),
    ("stop", "stopping", WRONG),  # a state is not an action
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


def verdict_of(expected: str | tuple[str, ...], given: str) -> str:
    """The verdict against one accepted answer, or a card's several."""
    accepted = list(expected) if isinstance(expected, tuple) else [expected] if expected else []
    grade = grade_typed(given, accepted)
    if grade.correct:
        return RIGHT
    return PARTIAL if grade.score > 0 else WRONG


@pytest.mark.parametrize(("expected", "given", "verdict"), TABLE)
def test_the_grader_agrees_with_a_person(
    expected: str | tuple[str, ...], given: str, verdict: str
) -> None:
    assert verdict_of(expected, given) == verdict


def test_the_table_is_large_and_balanced() -> None:
    verdicts = [v for _, _, v in TABLE]
    assert len(TABLE) >= 120
    assert verdicts.count(WRONG) >= 40 and verdicts.count(RIGHT) >= 60


def test_no_listed_wrong_answer_passes() -> None:
    """Precision: one wrong answer accepted is one false memory."""
    passed = [(e, g) for e, g, v in TABLE if v == WRONG and verdict_of(e, g) == RIGHT]
    assert passed == []


# Replies to bundled cards, graded against the card's own accepted answers (copied here, so
# that revising a deck's wording does not move these rows): the patterns a grader must get
# right besides the ones above, each with right and wrong replies.
CARDS: dict[str, tuple[str, ...]] = {
    "ebs-hdd-min-size": ("125 GiB", "125", "125GiB"),
    "hibernate-max-ram": ("150 GiB", "150", "150 GB", "150GiB", "150 gigabytes"),
    "cooldown-default-c1": ("300", "300 seconds", "5 minutes", "five minutes", "300 s"),
    "snapshot-archive-tier-c2": ("90", "90 days", "ninety days", "3 months", "three months"),
    "snapshot-archive-tier-c3": ("72", "72 hours", "seventy-two hours", "3 days", "three days"),
    "spot-interruption-notice": (
        "Two minutes",
        "2 minutes",
        "2 min",
        "two-minute notice",
        "120 seconds",
    ),
    "role-credentials-rotation-c1": ("five", "5", "5 minutes", "five minutes", "5 min"),
    "terminate-still-visible": (
        "About an hour",
        "an hour",
        "one hour",
        "1 hour",
        "about one hour",
        "approximately one hour",
    ),
    "ebs-gp3-max-performance-c2": (
        "2,000",
        "2000",
        "2 000",
        "2,000 MiB/s",
        "2000 MiB/s",
        "2000 MiBps",
    ),
    "ebs-gp3-baseline-c2": ("125", "125 MiB/s", "125 MiBps", "125 MiB per second"),
    "ebs-io2-block-express-limits-c1": ("64", "64 TiB", "64TiB", "65,536 GiB", "65536 GiB"),
    "spot-discount": ("Up to 90%", "90%", "90", "90 percent", "up to 90 percent"),
    "flex-baseline": ("40 percent", "40%", "40", "40 %"),
    "ebs-gp2-burst-iops": ("3,000 IOPS", "3000", "3,000", "3000 IOPS", "3k"),
    "ebs-io2-block-express-limits-c2": (
        "256,000",
        "256000",
        "256 000",
        "256,000 IOPS",
        "256000 IOPS",
        "256k",
    ),
    "hibernate-max-days": ("60 days", "60", "sixty days"),
    "single-flow-bandwidth-c2": ("10", "10 Gbps", "10Gbps", "ten", "10 Gb/s"),
    "user-data-size-limit-c1": ("16", "16 KB", "16KB", "16 kilobytes", "16 KiB", "sixteen"),
    "ri-terms": (
        "One year or three years",
        "1 or 3 years",
        "1 year or 3 years",
        "1-year or 3-year",
        "one or three years",
    ),
    "ebs-multi-attach-max-instances": ("16 Nitro-based instances", "16", "16 instances", "sixteen"),
    "imds-path-instance-id": (
        "`/latest/meta-data/instance-id`",
        "/latest/meta-data/instance-id",
        "latest/meta-data/instance-id",
        "meta-data/instance-id",
    ),
    "imds-path-identity-document": (
        "`/latest/dynamic/instance-identity/document`",
        "/latest/dynamic/instance-identity/document",
        "latest/dynamic/instance-identity/document",
        "dynamic/instance-identity/document",
    ),
    "user-data-output-log": (
        "`/var/log/cloud-init-output.log`",
        "/var/log/cloud-init-output.log",
        "cloud-init-output.log",
    ),
    "imds-tags-path": (
        "`tags/instance` (`/latest/meta-data/tags/instance`)",
        "tags/instance",
        "/latest/meta-data/tags/instance",
        "latest/meta-data/tags/instance",
        "meta-data/tags/instance",
    ),
    "imds-ipv4-address": ("169.254.169.254", "http://169.254.169.254"),
    "termination-protection-attribute": (
        "`DisableApiTermination`",
        "DisableApiTermination",
        "disable-api-termination",
        "disableApiTermination",
    ),
    "imds-tags-option": (
        "`InstanceMetadataTags`",
        "InstanceMetadataTags",
        "instance-metadata-tags",
        "allow tags in metadata",
        "Allow tags in metadata",
    ),
    "imds-disable-endpoint": (
        "`HttpEndpoint`",
        "HttpEndpoint",
        "http-endpoint",
        "the HTTP endpoint",
        "http endpoint",
    ),
    "iam-passrole": ("`iam:PassRole`", "iam:PassRole", "PassRole", "pass role"),
    "odcr-billing": (
        "At the On-Demand rate, as if used",
        "On-Demand rate",
        "at the On-Demand price",
        "full On-Demand rate",
        "billed at the equivalent On-Demand rate",
    ),
    "spot-price-set": (
        "By EC2, gradually, from long-term supply and demand",
        "long-term supply and demand",
        "supply and demand",
        "set by EC2 based on supply and demand",
    ),
    "hw-assist-io-overhead": (
        "I/O, such as networking and storage",
        "I/O",
        "IO",
        "network I/O",
        "I/O devices",
        "networking and storage",
        "network and storage",
    ),
    "hc-elb-ignored-by-default": (
        "Ignores them",
        "ignores them",
        "ignore them",
        "nothing",
        "it ignores them",
        "they are ignored",
        "doesn't use them",
        "does not use them",
    ),
    "ami-deregister-snapshots": (
        "Nothing; they remain and still incur storage costs",
        "nothing",
        "nothing happens",
        "they remain",
        "they are kept",
        "kept",
        "retained",
        "they are retained",
        "they persist",
        "they stay",
        "not deleted",
        "they are not deleted",
        "they aren't deleted",
        "not deleted automatically",
        "they are not deleted automatically",
        "they remain and are still charged",
        "they stay and still cost money",
    ),
    "eni-primary-no-detach": (
        "The primary network interface (eth0)",
        "primary",
        "primary network interface",
        "primary ENI",
        "eth0",
        "the primary interface",
    ),
    "public-ip-released-on-stop": (
        "It is released (a new one on start)",
        "released",
        "it is released",
        "it's released",
        "it changes",
        "released back to the pool",
    ),
    "instance-profile-one-role": ("One", "1", "one", "only one", "a single role"),
    "ec2-ami-virtualization-types": (
        "HVM and PV (paravirtual)",
        "HVM and PV",
        "PV and HVM",
        "HVM, PV",
        "PV, HVM",
        "HVM/PV",
        "HVM and paravirtual",
        "paravirtual and HVM",
        "HVM and paravirtualization",
        "HVM and para-virtual",
        "hardware virtual machine and paravirtual",
        "paravirtual and hardware virtual machine",
    ),
    "nitro-hypervisor-role": (
        "Memory and CPU allocation",
        "memory and CPU",
        "CPU and memory",
        "CPU and memory allocation",
        "memory and CPU allocation",
    ),
    "attr-n": (
        "Network and EBS optimized",
        "network optimized",
        "network optimization",
        "higher network bandwidth",
    ),
    "asg-desired-between-min-max": (
        "Its minimum and maximum capacity",
        "minimum and maximum",
        "min and max",
        "minimum and maximum capacity",
        "min and max capacity",
        "minimum and maximum size",
        "min and max size",
        "maximum and minimum",
    ),
    "status-check-system-fix": (
        "Stop and start it",
        "stop and start",
        "stop and start the instance",
        "stop/start",
        "stop then start it",
    ),
    "public-dns-vpc-attributes": (
        "enableDnsHostnames and enableDnsSupport",
        "enableDnsSupport and enableDnsHostnames",
        "enableDnsHostnames, enableDnsSupport",
        "enableDnsSupport, enableDnsHostnames",
        "enableDnsHostnames enableDnsSupport",
        "DNS hostnames and DNS resolution",
        "DNS resolution and DNS hostnames",
        "DNS hostnames and DNS support",
        "DNS support and DNS hostnames",
        "DNS hostnames and DNS resolution attributes",
    ),
    "status-check-exhausted-memory": ("Instance status check",),
    "auto-recovery-trigger": (
        "The system status check",
        "system status check",
        "system",
        "system check",
        "StatusCheckFailed_System",
    ),
    "reboot-hard-reboot": (
        "Performs a hard reboot",
        "hard reboot",
        "a hard reboot",
        "it hard reboots the instance",
        "forces a reboot",
    ),
    "ri-marketplace": ("Standard",),
    "reboot-same-host": (
        "The same host",
        "same host",
        "the same host computer",
        "its current host",
        "same",
    ),
    "hibernate-ram-destination": (
        "To the EBS root volume",
        "EBS root volume",
        "the root volume",
        "root EBS volume",
        "EBS",
        "root volume",
    ),
    "ami-share-encrypted-kms": (
        "The KMS key(s) that encrypt the snapshots",
        "KMS key",
        "the KMS key",
        "KMS keys",
        "the customer managed key",
        "customer managed KMS key",
    ),
    "shutdown-behavior-scope": (
        "From the instance's own operating system",
        "the OS",
        "the operating system",
        "inside the instance",
        "from the instance",
        "from within the instance",
        "OS",
    ),
    "vcpu-graviton": ("One", "1", "one vCPU per core"),
    "no-virt-only-os-talks-to-hardware-c1": (
        "operating system",
        "OS",
        "the OS",
        "kernel",
        "the kernel",
        "OS kernel",
        "operating system kernel",
    ),
    "app-reaches-hardware-via-kernel": (
        "It asks the kernel to do it",
        "through the kernel",
        "via the kernel",
        "kernel",
        "system calls",
        "via system calls",
    ),
    "instance-is-vm": (
        "A virtual machine (an OS plus resources)",
        "virtual machine",
        "a virtual machine",
        "VM",
        "a VM",
        "virtual server",
        "a virtual server",
    ),
    "choose-memory-optimized": ("Memory optimized",),
    "nacl-rule-order": (
        "By rule number, lowest first",
        "lowest number first",
        "lowest rule number first",
        "by rule number",
        "in numerical order",
        "in order",
    ),
    "delete-on-termination-root": (
        "It is deleted (DeleteOnTermination = true)",
        "deleted",
        "it is deleted",
        "it's deleted",
        "true",
        "DeleteOnTermination true",
    ),
    "az-rebalance-process": (
        "`AZRebalance`",
        "AZRebalance",
        "AZ rebalance",
        "AZ rebalancing",
        "Availability Zone rebalancing",
        "AZ Rebalance",
    ),
    "warmup-fallback-default-cooldown": (
        "The group's default cooldown",
        "default cooldown",
        "the default cooldown",
        "DefaultCooldown",
        "the group's default cooldown",
        "default cooldown period",
    ),
    "ebs-encryption-algorithm": ("AES-256", "AES256", "AES 256", "AES"),
}

CARD_TABLE: list[tuple[str | tuple[str, ...], str, str]] = [
    # 1. Units belong to numbers: another unit is wrong whatever bare numbers the card accepts;
    # the same amount in other units is right; number words to the thousands.
    ("ebs-hdd-min-size", "125 GB", RIGHT),
    ("ebs-hdd-min-size", "125 TiB", WRONG),
    ("ebs-hdd-min-size", "128000 MiB", RIGHT),
    ("hibernate-max-ram", "150 MiB", WRONG),
    ("hibernate-max-ram", "150 gigabytes", RIGHT),
    ("cooldown-default-c1", "5 hours", WRONG),
    ("cooldown-default-c1", "300 minutes", WRONG),
    ("cooldown-default-c1", "five minutes", RIGHT),
    ("cooldown-default-c1", "300 s", RIGHT),
    ("snapshot-archive-tier-c2", "90 hours", WRONG),
    ("snapshot-archive-tier-c2", "12 weeks", WRONG),
    ("snapshot-archive-tier-c2", "2160 hours", RIGHT),
    ("snapshot-archive-tier-c3", "72 minutes", WRONG),
    ("snapshot-archive-tier-c3", "seventy-two hours", RIGHT),
    ("snapshot-archive-tier-c3", "72 days", WRONG),
    ("spot-interruption-notice", "2 seconds", WRONG),
    ("spot-interruption-notice", "120 s", RIGHT),
    ("spot-interruption-notice", "2 hours", WRONG),
    ("role-credentials-rotation-c1", "5 seconds", WRONG),
    ("role-credentials-rotation-c1", "300 seconds", RIGHT),
    ("terminate-still-visible", "60 minutes", RIGHT),
    ("terminate-still-visible", "about a day", WRONG),
    ("terminate-still-visible", "1 day", WRONG),
    ("ebs-gp3-max-performance-c2", "2000 Mbps", WRONG),
    ("ebs-gp3-max-performance-c2", "2000 GiB/s", WRONG),
    ("ebs-gp3-baseline-c2", "125 MB/s", RIGHT),
    ("ebs-gp3-baseline-c2", "125 Mbps", WRONG),
    ("ebs-io2-block-express-limits-c1", "64 PiB", WRONG),
    ("spot-discount", "ninety per cent", RIGHT),
    ("spot-discount", "9%", WRONG),
    ("flex-baseline", "forty per cent", RIGHT),
    ("flex-baseline", "fourteen percent", WRONG),
    ("ebs-gp2-burst-iops", "three thousand IOPS", RIGHT),
    ("ebs-gp2-burst-iops", "3k IOPS", RIGHT),
    ("ebs-io2-block-express-limits-c2", "two hundred fifty-six thousand", RIGHT),
    ("ebs-io2-block-express-limits-c2", "265000", WRONG),
    ("hibernate-max-days", "sixty days", RIGHT),
    ("hibernate-max-days", "8 weeks", WRONG),
    ("single-flow-bandwidth-c2", "10 Gbit/s", RIGHT),
    ("single-flow-bandwidth-c2", "10 Mbps", WRONG),
    ("single-flow-bandwidth-c2", "1.25 GB/s", RIGHT),
    ("user-data-size-limit-c1", "16 kilobytes", RIGHT),
    ("user-data-size-limit-c1", "16 GB", WRONG),
    ("user-data-size-limit-c1", "16000 bytes", RIGHT),
    ("ri-terms", "12 months or 36 months", RIGHT),
    ("ri-terms", "1 or 3 months", WRONG),
    ("ri-terms", "one, three or five years", WRONG),
    ("ebs-multi-attach-max-instances", "sixteen", RIGHT),
    # 3. Identifiers are atoms: paths, URLs, file names and API names compared whole.
    ("imds-path-instance-id", "/latest/meta-data/instance-type", WRONG),
    ("imds-path-instance-id", "http://169.254.169.254/latest/meta-data/instance-id", RIGHT),
    ("imds-path-instance-id", "/latest/meta-data/", WRONG),
    ("imds-path-instance-id", "/latest/dynamic/instance-id", WRONG),
    ("imds-path-identity-document", "/latest/dynamic/instance-identity/signature", WRONG),
    (
        "imds-path-identity-document",
        "http://169.254.169.254/latest/dynamic/instance-identity/document/",
        RIGHT,
    ),
    ("user-data-output-log", "/var/log/user-data.log", WRONG),
    ("user-data-output-log", "/var/log/cloud-init-output.log", RIGHT),
    ("imds-tags-path", "/latest/meta-data/tags/instances", WRONG),
    ("imds-tags-path", "http://169.254.169.254/latest/meta-data/tags/instance", RIGHT),
    ("imds-ipv4-address", "http://169.254.169.254/", RIGHT),
    ("imds-ipv4-address", "http://169.254.169.253", WRONG),
    ("termination-protection-attribute", "disableApiStop", WRONG),
    ("termination-protection-attribute", "DisableApiTermination", RIGHT),
    ("imds-tags-option", "instance metadata tags", RIGHT),
    ("imds-disable-endpoint", "HttpTokens", WRONG),
    ("iam-passrole", "iam:GetRole", WRONG),
    # 5. Prose is not a list; 'or not' and 'whether' are neither a no nor a hedge; 'one' may be
    # a pronoun.
    ("odcr-billing", "as if used, at the on-demand rate", RIGHT),
    ("odcr-billing", "at the spot rate", WRONG),
    ("spot-price-set", "gradually by EC2 from supply and demand", RIGHT),
    ("hw-assist-io-overhead", "networking and storage I/O", RIGHT),
    ("hw-assist-io-overhead", "CPU", WRONG),
    ("hc-elb-ignored-by-default", "it ignores them whether they fail or not", RIGHT),
    ("ami-deregister-snapshots", "they remain whether you use them or not", RIGHT),
    ("ami-deregister-snapshots", "they are deleted whether you use them or not", WRONG),
    ("eni-primary-no-detach", "the primary one", RIGHT),
    ("eni-primary-no-detach", "the secondary one", WRONG),
    ("public-ip-released-on-stop", "released, and a new one is given on start", RIGHT),
    ("instance-profile-one-role", "only one", RIGHT),
    ("instance-profile-one-role", "two", WRONG),
    # 4. Lists: an item the answer does not have makes the reply wrong; half of it is partial.
    ("ec2-ami-virtualization-types", "HVM, PV and emulated", WRONG),
    ("ec2-ami-virtualization-types", "PV", PARTIAL),
    ("nitro-hypervisor-role", "memory, CPU and storage", WRONG),
    ("attr-n", "network, EBS and storage optimized", WRONG),
    ("asg-desired-between-min-max", "minimum", PARTIAL),
    ("asg-desired-between-min-max", "minimum, maximum and desired", WRONG),
    ("status-check-system-fix", "stop, start and terminate", WRONG),
    ("public-dns-vpc-attributes", "enableDnsHostnames", PARTIAL),
    (
        "public-dns-vpc-attributes",
        "enableDnsSupport, enableDnsHostnames and enableNetworkAddressUsageMetrics",
        WRONG,
    ),
    # 2. Distinguishing words: a qualifier swapped for its rival, or left out for it, is wrong.
    ("status-check-exhausted-memory", "system status check", WRONG),
    ("auto-recovery-trigger", "the system check", RIGHT),
    ("eni-primary-no-detach", "the secondary network interface", WRONG),
    ("eni-primary-no-detach", "primary ENI", RIGHT),
    ("reboot-hard-reboot", "a soft reboot", WRONG),
    ("reboot-hard-reboot", "it does a hard reboot", RIGHT),
    ("ri-marketplace", "Standard Reserved Instances", RIGHT),
    ("ri-marketplace", "Convertible RIs", WRONG),
    ("reboot-same-host", "the same instance", WRONG),
    ("hibernate-ram-destination", "the EBS data volume", WRONG),
    ("ami-share-encrypted-kms", "the AWS managed KMS key", WRONG),
    ("ami-share-encrypted-kms", "AWS KMS key", RIGHT),
    ("ami-share-encrypted-kms", "the customer-managed key", RIGHT),
    ("shutdown-behavior-scope", "from the host", WRONG),
    ("shutdown-behavior-scope", "from the instance's OS", RIGHT),
    ("vcpu-graviton", "one thread", WRONG),
    # 6. The domain thesaurus, for every card.
    ("no-virt-only-os-talks-to-hardware-c1", "OS", RIGHT),
    ("app-reaches-hardware-via-kernel", "through syscalls", RIGHT),
    ("app-reaches-hardware-via-kernel", "it makes system calls", RIGHT),
    ("instance-is-vm", "a VM", RIGHT),
    ("instance-is-vm", "virtual machines", RIGHT),
    ("instance-is-vm", "a container", WRONG),
    ("choose-memory-optimized", "RAM-optimised", RIGHT),
    ("nacl-rule-order", "numerical order, lowest first", RIGHT),
    ("nacl-rule-order", "highest number first", WRONG),
    ("public-dns-vpc-attributes", "DNS resolution and DNS hostnames", RIGHT),
    ("delete-on-termination-root", "DeleteOnTermination is true", RIGHT),
    ("delete-on-termination-root", "DeleteOnTermination false", WRONG),
    ("az-rebalance-process", "AZRebalance", RIGHT),
    ("warmup-fallback-default-cooldown", "DefaultCooldown", RIGHT),
    ("warmup-fallback-default-cooldown", "HealthCheckGracePeriod", WRONG),
    ("ebs-encryption-algorithm", "AES 128", WRONG),
    ("ebs-encryption-algorithm", "AES-256-bit", RIGHT),
]


def card_verdict(card: str, given: str) -> str:
    grade = grade_typed(given, CARDS[card])
    if grade.correct:
        return RIGHT
    return PARTIAL if grade.score > 0 else WRONG


@pytest.mark.parametrize(("card", "given", "verdict"), CARD_TABLE)
def test_replies_to_bundled_cards(card: str, given: str, verdict: str) -> None:
    assert card_verdict(card, given) == verdict


def test_every_pattern_has_right_and_wrong_rows() -> None:
    verdicts = [v for _, _, v in CARD_TABLE]
    assert verdicts.count(RIGHT) >= 40 and verdicts.count(WRONG) >= 40
    assert not [(c, g) for c, g, v in CARD_TABLE if v == WRONG and card_verdict(c, g) == RIGHT]


# What the learner is told besides right or wrong, and which right answers count as exact
# (a recorded quiz makes only an exact, fast answer Easy).
NOTES: list[tuple[str, str, str]] = [
    ("3,000 IOPS", "300 IOPS", "another amount"),
    ("3,000 IOPS", "3,000 MiB/s", "another unit"),
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
        "not in the answer: GPU",
    ),
    ("HVM and PV", "HVM, PV and emulated", "not in the answer: emulated"),
    ("CPU, memory and storage", "memory only", "says only part of the list"),
    ("CPU, memory and storage", "memory, CPU, memory and storage", ""),
    ("Hosts", "dedicated hosts", "names another thing: dedicated hosts"),
    ("Elastic Block Store", "Elastic Store Block", "the name's words in another order"),
    ("64 TiB", "64 GiB", "another unit"),
    ("60 seconds", "15 minutes", "another amount"),
    ("System status check", "instance status check", "instance in place of system"),
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
        == 0.0  # a wrong item: no credit, however many right ones come with it
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
    assert feedback_lines(wrong)[0] == "Wrong (another amount). Expected: 3,000 IOPS"  # type: ignore[arg-type]
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


def test_every_bundled_cards_own_answers_are_graded_right() -> None:
    """Each answer a bundled card writes or accepts, typed as written, is right in full: the
    grader's rules never turn against the decks' own words."""

    from ec2cards.decks.selection import load_collection
    from ec2cards.quiz.questions import Ask, Mode, build

    cards = load_collection(Path("/nonexistent")).cards
    questions = build(cards, cards, len(cards), Mode.TYPED, seed=1, keep_order=True)
    typed = [q for q in questions if q.ask in (Ask.TYPED, Ask.CLOZE)]
    assert len(typed) > 250
    refused = [
        (q.card.key, form)
        for q in typed
        for form in dict.fromkeys((q.expected, *q.accepted))
        if grade_typed(form, q.accepted or (q.expected,)).score != 1.0
    ]
    assert refused == []


# A clause the card can't back, judged with the card's question and note as the quiz does.
_EIP = (
    ("One", "1"),
    "How many Elastic IPs can each private IPv4 address have?",
    "One per address.",
)
_SHARE = (
    ("No; share it with specific accounts instead", "no"),
    "Can you make a snapshot of an encrypted volume public?",
    "Only unencrypted snapshots can be shared publicly.",
)
_SUBNET = (("One",), "How many Availability Zones can one subnet span?", "")
_FIX = (("Stop and start it",), "How do you fix a failed system status check?", "")
_VISIBLE = (("About an hour",), "How long does a terminated instance stay visible?", "")
_AWARE = (("That it runs on a hypervisor",), "What does a para-virtualized guest know?", "")
_FLOW = (
    ("10",),
    "What is the bandwidth limit in Gbps of a single flow outside a placement group?",
    "",
)
_PLAN = (
    ("A consistent spend per hour", "a dollar amount per hour"),
    "What do you commit to with a Savings Plan?",
    "The commitment runs for a 1- or 3-year term.",
)
_CHECK = (
    ("A CloudWatch alarm with the recover action", "a CloudWatch alarm"),
    "What else can recover an impaired instance automatically?",
    "The alarm typically watches `StatusCheckFailed_System`.",
)
_IP = (("static public IPv4", "static public"), "An Elastic IP is a ___ address.", "Not for IPv6.")
_AZ_DOWN = (("It fails with the AZ",), "What happens to an instance when its AZ fails?", "")
_S3 = (("In Amazon S3 (buckets you can't access directly)", "S3"), "Where are snapshots kept?", "")
_COST = (
    ("None", "nothing", "free", "no charge", "no additional charge", "0"),
    "What is the additional charge for enhanced networking?",
    "You pay only for the instance.",
)
_KEPT = (
    ("Nothing; they remain and still incur storage costs", "nothing", "they are kept"),
    "What happens to an AMI's snapshots when you deregister it?",
    "",
)
CLAIMS = [
    (_KEPT, "they are kept but are free", WRONG),
    (_KEPT, "they are kept, so you keep paying for them", RIGHT),
    (_S3, "in an S3 bucket in your own account that you can browse", WRONG),
    (_S3, "in S3, in buckets you cannot access", RIGHT),
    (_COST, "free for ENA, but the Intel VF costs extra", WRONG),
    (_COST, "nothing, it is free", RIGHT),
    (_FLOW, "ten gigabits per second", RIGHT),
    (_PLAN, "a fixed dollar amount per hour over the whole term", RIGHT),
    (_AZ_DOWN, "it fails with the AZ - it can't fail over by itself", RIGHT),
    (_EIP, "one per network interface", WRONG),
    (_EIP, "one per private address", RIGHT),
    (_SHARE, "no, it can't be shared with any account", WRONG),
    (_SHARE, "no, encrypted snapshots cannot be public; share them with the account", RIGHT),
    (_SUBNET, "one, but you can extend it into a second AZ later", WRONG),
    (_SUBNET, "one, so it lives in one AZ", RIGHT),
    (_FIX, "stop and start it so it moves to new hardware", RIGHT),
    (_VISIBLE, "about an hour unless it was a Spot Instance", WRONG),
    (_VISIBLE, "about an hour, then it disappears from the list", RIGHT),
    (_AWARE, "that it runs on a hypervisor, so it is not a Nitro instance", WRONG),
    (_AWARE, "that it runs on a hypervisor, so it knows it is virtualized", RIGHT),
]


# Numbers and names the card's question or note says may come back; a look-alike may not.
_THREADS = (("One", "1"), "How many vCPUs per core on Graviton?", "Most x86 types have 2 per core.")
ECHOES = [
    (_THREADS, "one thread of a hyperthreaded core, so 2", WRONG),
    (_THREADS, "1 vCPU per core", RIGHT),
    (_CHECK, "a CloudWatch alarm on StatusCheckFailed_System with the recover action", RIGHT),
    (_CHECK, "a CloudWatch alarm with the reboot action", WRONG),
    (_IP, "static public IPv6", WRONG),
    (_IP, "a static public IPv4 address", RIGHT),
]


@pytest.mark.parametrize(("card", "given", "verdict"), ECHOES)
def test_the_cards_own_words_may_come_back(
    card: tuple[tuple[str, ...], str, str], given: str, verdict: str
) -> None:
    accepted, question, note = card
    grade = grade_typed(given, accepted, question, note)
    assert (RIGHT if grade.correct else WRONG) == verdict


@pytest.mark.parametrize(("card", "given", "verdict"), CLAIMS)
def test_a_clause_the_card_cannot_back_is_not_right(
    card: tuple[tuple[str, ...], str, str], given: str, verdict: str
) -> None:
    accepted, question, note = card
    grade = grade_typed(given, accepted, question, note)
    assert (RIGHT if grade.correct else WRONG) == verdict
    if verdict == WRONG:
        assert grade.note.startswith("says more than the card can check")
    # Without the card's words around it, the answer alone decides.
    assert grade_typed(given, accepted).correct


# Seven corpora of replies to bundled cards, each written by someone who had not seen the
# grader (160 right, 130 wrong or so each), graded the way the quiz grades them: with the
# card's question and note. The measure the grader is held to, per corpus.
_CORPORA = Path(__file__).parent / "golden" / "typed_replies.jsonl"


def test_typed_replies_written_without_seeing_the_grader_are_graded_as_a_person_would() -> None:
    from ec2cards.decks.selection import load_collection
    from ec2cards.quiz.grading import grade
    from ec2cards.quiz.questions import Ask, Mode, build

    cards = load_collection(Path("/nonexistent")).cards
    questions = {
        q.card.key: q
        for q in build(cards, cards, len(cards), Mode.TYPED, seed=1, keep_order=True)
        if q.ask in (Ask.TYPED, Ask.CLOZE)
    }
    tally: dict[tuple[str, str, str], int] = {}
    for line in _CORPORA.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        result = grade(questions[row["card"]], row["reply"])
        assert result is not None
        verdict = RIGHT if result.correct else PARTIAL if result.score > 0 else WRONG
        key = (row["set"], row["truth"], verdict)
        tally[key] = tally.get(key, 0) + 1
    corpora = sorted({corpus for corpus, _, _ in tally})
    assert len(corpora) == 7
    for corpus in corpora:
        right = sum(n for (c, truth, _), n in tally.items() if c == corpus and truth == RIGHT)
        assert tally.get((corpus, RIGHT, RIGHT), 0) >= 0.97 * right, corpus
        assert tally.get((corpus, WRONG, RIGHT), 0) <= 1, corpus
        assert tally.get((corpus, WRONG, PARTIAL), 0) <= 8, corpus


# Properties over many quantities and paths, not only the rows above.
_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "weeks": 604800}
_BYTES = {"KiB": 1024, "MiB": 1024**2, "GiB": 1024**3, "TiB": 1024**4}


@for_all(
    amount=st.integers(min_value=1, max_value=500),
    unit=st.sampled_from(sorted(_SECONDS)),
    other=st.sampled_from(sorted(_SECONDS)),
)
def test_a_time_is_right_in_any_unit_that_equals_it_and_wrong_in_any_other(
    amount: int, unit: str, other: str
) -> None:
    accepted = [f"{amount} {unit}", str(amount)]  # the bare number a card often accepts
    value = amount * _SECONDS[unit]
    if value % _SECONDS[other] == 0:
        assert grade_typed(f"{value // _SECONDS[other]} {other}", accepted).correct
    if other != unit:
        assert not grade_typed(f"{amount} {other}", accepted).correct


@for_all(
    amount=st.integers(min_value=1, max_value=4096),
    unit=st.sampled_from(sorted(_BYTES)),
    other=st.sampled_from(sorted(_BYTES)),
)
def test_a_size_is_right_in_the_binary_unit_that_equals_it_and_wrong_in_another(
    amount: int, unit: str, other: str
) -> None:
    accepted = [f"{amount} {unit}", str(amount)]
    value = amount * _BYTES[unit]
    if value % _BYTES[other] == 0:
        assert grade_typed(f"{value // _BYTES[other]:,} {other}", accepted).correct
    if other != unit:
        assert not grade_typed(f"{amount} {other}", accepted).correct


_SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=2, max_size=12).filter(
    lambda s: s[0] != "-" and s[-1] != "-"
)


@for_all(path=st.lists(_SEGMENT, min_size=2, max_size=5), changed=st.data())
def test_a_path_is_one_word_whole_or_wrong(path: list[str], changed: st.DataObject) -> None:
    answer = "/" + "/".join(path)
    accepted = [f"`{answer}`"]
    assert grade_typed(answer, accepted).correct
    assert grade_typed(f"http://169.254.169.254{answer}", accepted).correct
    index = changed.draw(st.integers(min_value=0, max_value=len(path) - 1))
    other = changed.draw(_SEGMENT.filter(lambda s: s != path[index]))
    wrong = "/" + "/".join([*path[:index], other, *path[index + 1 :]])
    assert not grade_typed(wrong, accepted).correct
