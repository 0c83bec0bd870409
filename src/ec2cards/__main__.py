"""Allow `python -m ec2cards`."""

from ec2cards.cli.app import main

main()
