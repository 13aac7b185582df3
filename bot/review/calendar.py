"""The team's business calendar: time zone, business hours, workdays and public holidays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def _public_holidays(country: str, year: int) -> frozenset[date]:
    """Public holidays of one country and year (building a `holidays` object is slow)."""
    return frozenset(holidays.country_holidays(country, years=year))


@dataclass(frozen=True)
class BusinessCalendar:
    """Business days and hours of the team; all arithmetic happens in `timezone`."""

    timezone: ZoneInfo = ZoneInfo("Europe/Amsterdam")
    opens: time = time(9, 0)
    closes: time = time(17, 0)  # "end of day" (EOD)
    workdays: frozenset[int] = frozenset(range(5))  # Monday=0
    holiday_country: str | None = "NL"  # None: no public holidays
    extra_holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        # Without workdays the search for the next business day would never end.
        if not self.workdays or not self.workdays <= set(range(7)):
            raise ValueError("workdays must be a non-empty set of weekday numbers 0-6")
        if self.opens >= self.closes:
            raise ValueError("opens must be before closes")

    def is_business_day(self, d: date) -> bool:
        if d.weekday() not in self.workdays or d in self.extra_holidays:
            return False
        return self.holiday_country is None or d not in _public_holidays(self.holiday_country, d.year)

    def in_business_hours(self, moment: datetime) -> bool:
        """True in [opens, closes) on a business day, in the team's time zone."""
        local = moment.astimezone(self.timezone)
        return self.is_business_day(local.date()) and self.opens <= local.time() < self.closes

    def next_opening(self, moment: datetime) -> datetime:
        """`moment` itself in business hours, else the next opening (today's if still to come)."""
        local = moment.astimezone(self.timezone)
        if self.in_business_hours(local):
            return local
        day = local.date()
        if not (self.is_business_day(day) and local.time() < self.opens):
            day = self._next_business_day(day)
        return self.at_local(day, self.opens)

    def add_business_days(self, moment: datetime, n: int) -> datetime:
        """`n` (>= 0) business days later at the same wall-clock time.

        A start outside business hours counts from `next_opening(moment)`, so Saturday 15:10
        plus 3 business days is Thursday 09:00.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        start = self.next_opening(moment)
        day = start.date()
        for _ in range(n):
            day = self._next_business_day(day)
        return self.at_local(day, start.time())

    def at_local(self, d: date, t: time) -> datetime:
        """Aware datetime for wall-clock `t` on `d`; a time in the spring-forward gap moves forward."""
        naive = datetime.combine(d, t.replace(tzinfo=None))
        return naive.replace(tzinfo=self.timezone).astimezone(UTC).astimezone(self.timezone)

    def _next_business_day(self, d: date) -> date:
        d += _ONE_DAY
        while not self.is_business_day(d):
            d += _ONE_DAY
        return d
