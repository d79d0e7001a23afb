"""Pure domain logic: the service record, measures, bands, comparison, what-if and typed results. No widgets, no I/O at import."""
