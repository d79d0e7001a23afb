"""Installed as the package ``toolkit.workbook_content`` (see ``pyproject.toml``); holds no code.

Read these files with :func:`toolkit.content.paths.workbook_dir`.
"""
