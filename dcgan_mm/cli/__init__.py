"""What the command-line tools share: clean errors, config loading and checks, process-group start-up, --amp."""
