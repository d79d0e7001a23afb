"""Chart labels are never cut (issue 18: "Condition 4: Developing the market with knowle…")."""

from __future__ import annotations

import re

from toolkit.charts import specs
from toolkit.worksheets.commissioning_questions import load_workbook, section_scores


def test_every_section_title_is_drawn_in_full():
    workbook = load_workbook()
    svg = specs.chart_svg(specs.section_chart(section_scores(workbook, {})))
    drawn = " ".join(re.findall(r">([^<]+)<", svg))
    assert "\u2026" not in drawn
    for section in workbook.sections:
        for word in section.title.split():
            assert word in drawn, (section.title, word)
