"""ec2cards: flashcards for AWS EC2 in the terminal."""

__version__ = "0.1.0"
