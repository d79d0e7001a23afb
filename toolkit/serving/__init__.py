"""Serving the apps: Voila with the toolkit's limits (server) and log redaction (redact)."""
