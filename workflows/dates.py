"""Periods counted in years, and the last day of a written notice.

A period counted in years ends on the same day of the month that many years later; when that day does not exist
(29 February in a year that is not a leap year) it ends on the last day of that month, 28 February
(domstolloven § 149). A written notice of the cooperation agreement runs one year (agreement § 13): given on day D,
the last day of membership is D one year later, or the agreement's last day if that comes first.
"""

from __future__ import annotations

from datetime import date, timedelta


def add_years(day: date, years: int) -> date:
    """The same day `years` later (or earlier, when negative); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 2, 28)


def notice_last_day(notice_date: date, agreement_last_day: date | None) -> date:
    """The last day of membership after a written notice given on `notice_date`."""
    last = add_years(notice_date, 1)
    return last if agreement_last_day is None else min(last, agreement_last_day)


def earliest_notice_running_on(day: date) -> date:
    """The earliest notice date whose year (before any cap by the agreement) still runs on `day`.

    A notice given on N runs on `day` exactly when N is this date or later; a database compares dates with it
    without knowing the leap-day rule.
    """
    earliest = add_years(day, -1)
    # On 29 February that is 28 February a year before, whose notice ran out the day before.
    return earliest if add_years(earliest, 1) == day else earliest + timedelta(days=1)
