"""Presentation: number formats, the board report, spreadsheets in and out, printable workbooks."""
