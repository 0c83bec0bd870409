"""Allow `python -m ec2cards`."""

from ec2cards.cli import main

main()
