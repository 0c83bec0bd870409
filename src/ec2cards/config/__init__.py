"""Where ec2cards keeps things (the data folder, the bundled decks) and the user's settings."""
