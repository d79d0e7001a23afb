"""The command line: ``python -m toolkit ...`` (main) and its session commands (session)."""
