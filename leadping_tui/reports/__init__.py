"""The CLI's one-shot reports: ``leadping-tui status`` as a table, JSON or CSV, and
exports of a status to files."""
