import pytest

from toolkit.domain.record import ClientGroup, ServiceRecordError, parse_service

GOOD = {
    "name": "Example IPS service (fictional)",
    "total_cost": "£150,000",
    "people_supported": "120",
    "new_jobs": "30",
    "jobs_retained": "18",
    "self_employed": "2",
}


def problems(**changes):
    with pytest.raises(ServiceRecordError) as caught:
        parse_service({**GOOD, **changes})
    return caught.value.by_field()


def test_good_record_is_parsed_from_typed_text():
    record = parse_service(GOOD)
    assert record.total_cost == 150000.0
    assert record.people_supported == 120
    assert record.job_outcomes == 50
    assert record.support_levels is None


@pytest.mark.parametrize(
    ("field", "typed", "says"),
    [
        ("total_cost", "-10", "cannot be negative"),
        ("total_cost", "a lot", "could not read 'a lot' as an amount of money"),
        ("total_cost", "£900,000,000", "check for extra digits"),
        ("total_cost", "0", "more than £0"),
        ("total_cost", "", "enter what the service cost"),
        ("people_supported", "0", "at least 1 when a cost is given"),
        ("people_supported", "", "enter how many people"),
        ("new_jobs", "", "0 if none"),
        ("jobs_retained", "2.5", "whole number"),
        ("name", "  ", "enter the service's name"),
        ("name", "x" * 201, "200 characters"),
        ("client_group", "autism", "not a client group"),
    ],
)
def test_each_bad_field_is_named_with_what_is_expected(field, typed, says):
    messages = problems(**{field: typed})
    assert says in messages[field]


def test_outcomes_more_than_people_supported():
    messages = problems(people_supported="40")
    assert "= 50) are more than the 40 people supported" in messages["people_supported"]


def test_support_levels_more_than_people_supported():
    messages = problems(
        support_under_7_hours="100", support_7_to_40_hours="20", support_over_40_hours="5"
    )
    assert "add up to 125, more than the 120 people" in messages["support_under_7_hours"]


def test_support_levels_all_or_none():
    messages = problems(support_under_7_hours="10")
    assert "all three" in messages["support_under_7_hours"]


def test_all_problems_are_reported_together():
    with pytest.raises(ServiceRecordError) as caught:
        parse_service({**GOOD, "total_cost": "x", "people_supported": "-1", "name": ""})
    assert set(caught.value.by_field()) == {"total_cost", "people_supported", "name"}
    assert "Total annual cost (£): could not read 'x'" in str(caught.value)


def test_blank_self_employed_counts_as_zero():
    record = parse_service({**GOOD, "self_employed": ""})
    assert record.self_employed == 0


@pytest.mark.parametrize(
    ("typed", "group"),
    [
        ("Learning disability", ClientGroup.learning_disability),
        ("mental_health", ClientGroup.mental_health),
        ("MH", ClientGroup.mental_health),
        ("Other or mixed", ClientGroup.other),
    ],
)
def test_client_group_accepts_labels_and_ids(typed, group):
    assert parse_service({**GOOD, "client_group": typed}).client_group is group


def test_unknown_field_is_refused():
    with pytest.raises(ServiceRecordError, match="not a field the toolkit knows"):
        parse_service({**GOOD, "budget": "1"})
