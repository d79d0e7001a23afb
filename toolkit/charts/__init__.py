"""Charts: Altair specs (specs), their light inputs (data), app chart jobs (jobs) and the shared drawing process (service)."""
