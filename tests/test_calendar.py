"""BusinessCalendar: business days, hours and arithmetic in Europe/Amsterdam with NL holidays."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.review.calendar import BusinessCalendar, _public_holidays

CAL = BusinessCalendar()
AMS = ZoneInfo("Europe/Amsterdam")


def dt(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 24), True),  # Tuesday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 29), False),  # Sunday
        (date(2026, 1, 1), False),  # New Year's Day
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 4, 7), True),
        (date(2026, 4, 27), False),  # King's Day
        (date(2026, 5, 14), False),  # Ascension Day
        (date(2026, 5, 25), False),  # Whit Monday
        (date(2026, 12, 24), True),
        (date(2026, 12, 25), False),  # Christmas
        (date(2027, 4, 27), False),  # King's Day 2027, a Tuesday
    ],
)
def test_is_business_day(day: date, expected: bool) -> None:
    assert CAL.is_business_day(day) is expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-11-24T09:00:00+01:00", True),  # opening counts
        ("2026-11-24T16:59:59+01:00", True),
        ("2026-11-24T17:00:00+01:00", False),  # closing does not
        ("2026-11-24T08:59:00+01:00", False),
        ("2026-11-24T08:30:00+00:00", True),  # 09:30 in Amsterdam
        ("2026-11-28T12:00:00+01:00", False),  # Saturday
        ("2026-04-06T12:00:00+02:00", False),  # Easter Monday
    ],
)
def test_in_business_hours(moment: str, expected: bool) -> None:
    assert CAL.in_business_hours(dt(moment)) is expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-11-24T10:15:00+01:00", "2026-11-24T10:15:00+01:00"),  # in business hours
        ("2026-11-24T07:30:00+01:00", "2026-11-24T09:00:00+01:00"),  # before opening
        ("2026-11-24T17:00:00+01:00", "2026-11-25T09:00:00+01:00"),  # at closing
        ("2026-11-27T18:00:00+01:00", "2026-11-30T09:00:00+01:00"),  # Friday evening
        ("2026-11-28T10:00:00+01:00", "2026-11-30T09:00:00+01:00"),  # Saturday
        ("2026-03-28T15:10:00+01:00", "2026-03-30T09:00:00+02:00"),  # across the DST change
        ("2026-04-02T17:30:00+02:00", "2026-04-07T09:00:00+02:00"),  # Easter
        ("2026-12-24T20:00:00+01:00", "2026-12-28T09:00:00+01:00"),  # Christmas
        ("2026-11-24T06:00:00+00:00", "2026-11-24T09:00:00+01:00"),  # given in UTC
    ],
)
def test_next_opening(moment: str, expected: str) -> None:
    result = CAL.next_opening(dt(moment))
    assert result.isoformat() == expected
    assert result.tzinfo == AMS


@pytest.mark.parametrize(
    ("moment", "days", "expected"),
    [
        ("2026-11-24T10:15:00+01:00", 2, "2026-11-26T10:15:00+01:00"),  # Tuesday
        ("2026-11-26T16:00:00+01:00", 1, "2026-11-27T16:00:00+01:00"),
        ("2026-11-27T16:00:00+01:00", 1, "2026-11-30T16:00:00+01:00"),  # over the weekend
        ("2026-11-24T07:30:00+01:00", 1, "2026-11-25T09:00:00+01:00"),  # before opening
        ("2026-11-24T17:00:00+01:00", 1, "2026-11-26T09:00:00+01:00"),  # at closing
        ("2026-11-24T19:05:00+01:00", 1, "2026-11-26T09:00:00+01:00"),  # after closing
        ("2026-11-28T10:20:00+01:00", 1, "2026-12-01T09:00:00+01:00"),  # Saturday
        ("2026-11-29T10:20:00+01:00", 1, "2026-12-01T09:00:00+01:00"),  # Sunday
        ("2026-03-28T15:10:00+01:00", 3, "2026-04-02T09:00:00+02:00"),  # Saturday, DST change
        ("2026-03-27T10:00:00+01:00", 1, "2026-03-30T10:00:00+02:00"),  # same wall-clock time
        ("2026-10-23T10:00:00+02:00", 1, "2026-10-26T10:00:00+01:00"),  # DST ends
        ("2026-04-02T15:30:00+02:00", 1, "2026-04-07T15:30:00+02:00"),  # Good Friday, Easter Monday
        ("2026-04-24T11:00:00+02:00", 1, "2026-04-28T11:00:00+02:00"),  # King's Day
        ("2026-05-13T16:15:00+02:00", 2, "2026-05-18T16:15:00+02:00"),  # Ascension Day
        ("2026-05-22T09:00:00+02:00", 1, "2026-05-26T09:00:00+02:00"),  # Whit Monday
        ("2026-12-23T16:05:00+01:00", 3, "2026-12-29T16:05:00+01:00"),  # Christmas
        ("2026-12-31T12:00:00+01:00", 1, "2027-01-04T12:00:00+01:00"),  # New Year's Day
        ("2026-11-24T10:15:00+01:00", 0, "2026-11-24T10:15:00+01:00"),
        ("2026-11-28T10:15:00+01:00", 0, "2026-11-30T09:00:00+01:00"),
        ("2026-11-24T09:15:00+00:00", 5, "2026-12-01T10:15:00+01:00"),  # given in UTC
    ],
)
def test_add_business_days(moment: str, days: int, expected: str) -> None:
    result = CAL.add_business_days(dt(moment), days)
    assert result.isoformat() == expected
    assert result.tzinfo == AMS


def test_add_business_days_rejects_negative() -> None:
    with pytest.raises(ValueError):
        CAL.add_business_days(dt("2026-11-24T10:15:00+01:00"), -1)


@pytest.mark.parametrize(
    ("day", "clock", "expected"),
    [
        (date(2026, 3, 28), time(10), "2026-03-28T10:00:00+01:00"),
        (date(2026, 3, 29), time(10), "2026-03-29T10:00:00+02:00"),  # summer time starts
        (date(2026, 3, 29), time(2, 30), "2026-03-29T03:30:00+02:00"),  # in the gap: moved on
        (date(2026, 10, 25), time(2, 30), "2026-10-25T02:30:00+02:00"),  # twice: the first
        (date(2026, 10, 25), time(10), "2026-10-25T10:00:00+01:00"),  # winter time again
        (date(2026, 7, 1), time(17), "2026-07-01T17:00:00+02:00"),
    ],
)
def test_at_local(day: date, clock: time, expected: str) -> None:
    result = CAL.at_local(day, clock)
    assert result.isoformat() == expected
    assert result.tzinfo == AMS


def test_custom_calendar() -> None:
    cal = BusinessCalendar(
        timezone=ZoneInfo("Europe/London"),
        opens=time(8, 0),
        closes=time(18, 0),
        workdays=frozenset(range(6)),  # Monday to Saturday
        holiday_country=None,
        extra_holidays=frozenset({date(2026, 12, 31)}),
    )
    assert cal.is_business_day(date(2026, 11, 28))  # Saturday
    assert cal.is_business_day(date(2026, 12, 25))  # no holiday calendar
    assert not cal.is_business_day(date(2026, 12, 31))
    assert cal.in_business_hours(dt("2026-11-24T08:00:00+00:00"))
    assert cal.next_opening(dt("2026-11-28T19:00:00+00:00")).isoformat() == "2026-11-30T08:00:00+00:00"
    assert (cal.add_business_days(dt("2026-12-30T12:00:00+00:00"), 1).isoformat()
            == "2027-01-01T12:00:00+00:00")


def test_extra_holidays_add_to_public_holidays() -> None:
    cal = BusinessCalendar(extra_holidays=frozenset({date(2026, 11, 25)}))
    assert not cal.is_business_day(date(2026, 11, 25))
    assert not cal.is_business_day(date(2026, 12, 25))
    assert cal.add_business_days(dt("2026-11-24T10:00:00+01:00"), 1).isoformat() == "2026-11-26T10:00:00+01:00"


@pytest.mark.parametrize(
    "kwargs",
    [{"workdays": frozenset()}, {"workdays": frozenset({7})}, {"opens": time(17), "closes": time(9)}],
)
def test_invalid_calendar(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        BusinessCalendar(**kwargs)


def test_holidays_are_built_once_per_country_and_year() -> None:
    CAL.is_business_day(date(2031, 1, 2))
    before = _public_holidays.cache_info()
    for day in range(1, 29):
        CAL.is_business_day(date(2031, 2, day))
    after = _public_holidays.cache_info()
    assert after.misses == before.misses
