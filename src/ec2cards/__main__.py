"""Allow `python -m ec2cards`."""

from ec2cards.cli.entry import main

main()
