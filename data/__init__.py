"""Installed as the package ``toolkit.data`` (see ``pyproject.toml``); holds no code.

Read these files with :func:`toolkit.content.paths.data_dir`; README.md describes them.
"""
