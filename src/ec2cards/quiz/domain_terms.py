"""The things an EC2 answer names: services, storage kinds, network parts, purchase options,
instance parts. A reply that adds one of them as an item of its own to a one-part answer
('EBS volumes and instance store' for its EBS volumes) states a second fact, and the grader
weighs it; an added plain word ('kernels and drivers') only says more of the same."""

from __future__ import annotations

from ec2cards.quiz.answer_text import words

_TERMS = """
instance store, ephemeral storage, ebs, efs, fsx, s3, glacier, snapshot, snapshots, ami, amis,
elastic ip, eip, public ip, private ip, ipv6, eni, ena, efa,
security group, security groups, network acl, nacl, nat gateway, internet gateway, vpc, subnet,
route table, load balancer, elb, alb, nlb, auto scaling, launch template, launch configuration,
cloudwatch, cloudtrail, eventbridge, sns, sqs, lambda, ecs, eks, fargate, cloudformation,
systems manager, ssm, iam, iam role, instance profile, kms, key pair, secrets manager,
placement group, cluster, partition, spread, dedicated host, dedicated instance, spot,
reserved instance, reserved instances, savings plan, savings plans, on demand, capacity
reservation, capacity block, nitro, nitro card, nitro cards, xen, hypervisor, kernel, bios,
gpu, fpga, user data, metadata, imds, imdsv1, imdsv2, cloud init, ec2launch, ec2config,
instance connect, session manager, ssh, rdp, hibernation, termination protection, stop
protection, availability zone, region, local zone, wavelength, outposts, az, edge location,
s3 glacier, glacier deep archive, route 53, cloudfront, rds, dynamodb, elastic beanstalk,
lightsail, batch, x86, arm, graviton, intel, amd, nvidia, xilinx
"""


def _one(word: str) -> str:
    """A plural as its singular, so 'Dedicated Hosts' is the term 'dedicated host'."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


TERMS: frozenset[tuple[str, ...]] = frozenset(
    tuple(_one(w) for w in words(term))
    for term in _TERMS.replace("\n", " ").split(",")
    if words(term)
)
_LONGEST = max(len(term) for term in TERMS)


def term_spans(found: list[str]) -> list[tuple[int, int]]:
    """Where the words name the domain's things: (start, end) of each, a phrase as one."""
    single = [_one(word) for word in found]
    spans: list[tuple[int, int]] = []
    for start in range(len(found)):
        for size in range(1, min(_LONGEST, len(found) - start) + 1):
            if tuple(single[start : start + size]) in TERMS:
                spans.append((start, start + size))
    return spans


def terms_in(found: list[str]) -> set[tuple[str, ...]]:
    """The domain's things the words name ('security group' is one)."""
    single = [_one(word) for word in found]
    return {tuple(single[start:end]) for start, end in term_spans(found)}
