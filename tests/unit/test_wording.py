"""Counts and the score beside progress (issue 18)."""

from __future__ import annotations

from toolkit.present.wording import counted, score_and_progress, score_and_progress_short


def test_one_box_is_singular():
    assert counted(1, "filled box", "filled boxes") == "1 filled box"
    assert counted(0, "filled box", "filled boxes") == "0 filled boxes"
    assert counted(2, "action") == "2 actions"


def test_a_full_score_from_few_answers_does_not_read_as_complete():
    text = score_and_progress(100.0, 3, 12)
    assert text.startswith("Score 100% from the 3 answers given")
    assert "3 of 12 answered" in text and "9 questions still to answer" in text
    assert "100% \u00b7 3 of 12" not in text


def test_all_answered_and_no_score_yet():
    assert "all answered" in score_and_progress(50.0, 4, 4)
    assert score_and_progress(None, 0, 5).startswith("No score yet")


def test_chart_label_puts_progress_first():
    assert score_and_progress_short(100.0, 3, 12) == "3 of 12 answered\nscore so far 100%"
