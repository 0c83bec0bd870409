"""The command line: the only user of typer. One module per group of commands; each command
parses its options, calls the domain, and prints."""
