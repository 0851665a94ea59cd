"""Command-line subcommands. Each module imports only what it needs."""
