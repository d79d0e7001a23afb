"""The apps' HTML, now rendered from Jinja fragments in :mod:`toolkit.present.html`.

Kept so that the apps' existing ``views.…`` call sites work unchanged; new code
imports :mod:`toolkit.present.html` directly.
"""

from __future__ import annotations

from toolkit.present.html import (
    badge,
    caveats_html,
    chart_html,
    comparisons_html,
    download_link,
    downloads_html,
    error_html,
    esc,
    key_figures_html,
    resume_link_html,
    services_table_html,
    status_html,
    style_sheet,
    upload_report_html,
    what_if_html,
)

#: The apps' style sheet (toolkit/present/static/app.css) as a <style> element.
CSS = style_sheet()

__all__ = [
    "CSS",
    "badge",
    "caveats_html",
    "chart_html",
    "comparisons_html",
    "download_link",
    "downloads_html",
    "error_html",
    "esc",
    "key_figures_html",
    "resume_link_html",
    "services_table_html",
    "status_html",
    "upload_report_html",
    "what_if_html",
]
