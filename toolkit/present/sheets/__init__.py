"""Spreadsheets in and out: read services (:mod:`.read`), the data request template
(:mod:`.template`) and safe export of results (:mod:`.export`); the columns they
share are in :mod:`.columns`."""
