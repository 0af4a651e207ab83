"""Years are counted by domstolloven § 149 (29.02 → 28.02), and a notice runs one year, capped by the agreement."""
from datetime import date, timedelta

import pytest

from workflows import add_years, notice_last_day
from workflows.dates import earliest_notice_running_on


@pytest.mark.parametrize("day, years, expected", [
    (date(2026, 3, 15), 1, date(2027, 3, 15)),
    (date(2026, 12, 31), 1, date(2027, 12, 31)),
    (date(2028, 2, 29), 1, date(2029, 2, 28)),
    (date(2028, 2, 29), 4, date(2032, 2, 29)),
    (date(2027, 2, 28), 1, date(2028, 2, 28)),
    (date(2024, 2, 29), 2, date(2026, 2, 28)),
    (date(2029, 12, 31), 3, date(2032, 12, 31)),
    (date(2029, 2, 28), -1, date(2028, 2, 28)),
    (date(2028, 2, 29), -1, date(2027, 2, 28)),
])
def test_add_years(day, years, expected):
    assert add_years(day, years) == expected


@pytest.mark.parametrize("notice, agreement_last_day, expected", [
    (date(2026, 3, 15), None, date(2027, 3, 15)),
    (date(2026, 3, 15), date(2029, 12, 31), date(2027, 3, 15)),
    (date(2028, 2, 29), None, date(2029, 2, 28)),
    (date(2026, 6, 1), date(2026, 12, 31), date(2026, 12, 31)),
    (date(2025, 12, 31), date(2026, 12, 31), date(2026, 12, 31)),
    (date(2026, 1, 1), date(2026, 12, 31), date(2026, 12, 31)),
    (date(2025, 12, 30), date(2026, 12, 31), date(2026, 12, 30)),
], ids=["plain", "within-the-agreement", "leap-day", "capped", "year-end-equal", "capped-year-end", "day-before"])
def test_notice_last_day(notice, agreement_last_day, expected):
    assert notice_last_day(notice, agreement_last_day) == expected


def test_earliest_notice_running_on_matches_add_years_every_day_of_a_leap_cycle():
    day = date(2027, 1, 1)
    while day < date(2032, 1, 1):
        earliest = earliest_notice_running_on(day)
        assert add_years(earliest, 1) >= day > add_years(earliest - timedelta(days=1), 1), day
        day += timedelta(days=1)


@pytest.mark.parametrize("day, expected", [
    (date(2029, 3, 1), date(2028, 3, 1)),
    (date(2029, 2, 28), date(2028, 2, 28)),
    (date(2028, 2, 29), date(2027, 3, 1)),
])
def test_earliest_notice_running_on(day, expected):
    assert earliest_notice_running_on(day) == expected
