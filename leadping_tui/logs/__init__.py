"""What the app writes about itself: the opt-in debug log, and the redaction that keeps the API
key out of it (and out of tracebacks and anything else printed)."""
