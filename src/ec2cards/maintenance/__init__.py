"""Looking after the data: the doctor's checks and repairs, in words for people. It sits above
storage and scheduling, since a repair replays the log with the current settings."""
