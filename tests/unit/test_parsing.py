import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.domain.parsing import is_blank, parse_count, parse_money


@pytest.mark.parametrize(
    ("typed", "pounds"),
    [
        ("£120,000", 120000.0),
        ("120000", 120000.0),
        ("120,000.50", 120000.5),
        (" £1,234,567 ", 1234567.0),
        ("£ 2 180", 2180.0),
        (2180, 2180.0),
        (2180.456, 2180.46),
    ],
)
def test_money_reads_what_people_type(typed, pounds):
    assert parse_money(typed) == pounds


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("twelve", "could not read 'twelve' as an amount of money"),
        ("12,00", "could not read '12,00'"),
        ("1.2.3", "could not read '1.2.3'"),
        ("-500", "cannot be negative"),
        ("inf", "could not read 'inf'"),
        (math.inf, "finite"),
        (-3, "cannot be negative"),
        (True, "not a yes/no value"),
        ("120k", "could not read '120k'"),
    ],
)
def test_money_says_what_it_cannot_read(typed, says):
    with pytest.raises(ValueError, match=says):
        parse_money(typed)


def test_count_reads_grouped_whole_numbers_and_refuses_fractions():
    assert parse_count("1,200") == 1200
    assert parse_count(12.0) == 12
    with pytest.raises(ValueError, match="whole number"):
        parse_count("12.5")


@pytest.mark.parametrize("value", [None, "", "   ", float("nan")])
def test_blank_values(value):
    assert is_blank(value)


def test_zero_is_not_blank():
    assert not is_blank(0)


@given(st.integers(min_value=0, max_value=10**12))
def test_money_round_trips_formatted_thousands(amount):
    assert parse_money(f"£{amount:,}") == amount
    assert parse_count(f"{amount:,}") == amount
