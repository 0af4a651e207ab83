"""What is in force for a membership case on a day: the one rule pages read before they show a case's facts.

An agreement is in force from the day both parties had signed it (agreement § 13: "trer i kraft fra undertegning")
to its end date, or to the last day of membership when a notice or a merger ended the membership sooner (the rule
of `workflows.periods`, read through `members.member_periods`). A renewal signed while the agreement before it still
runs takes over the day after that one's last day; a merger's new version of an agreement replaces the one it
continues. The invitation and its deadline are history once an agreement holds.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from app.models import Agreement, MembershipCase
from workflows.membership import TERMINATED
from workflows.periods import Period

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class InForce:
    """The agreement in force on a day, and the days it holds for the case."""

    agreement: Agreement
    first_day: date
    last_day: date


@dataclass(frozen=True)
class Standing:
    """A case's agreements seen from a day: the one in force, else the last one that had ended by then."""

    current: InForce | None
    ended: InForce | None


def on(case: MembershipCase, day: date, periods: list[Period]) -> Standing:
    """The case's agreements seen from `day`, given the case's membership periods."""
    found = held(case, periods)
    current = next((f for f in found if f.first_day <= day <= f.last_day), None)
    return Standing(current, None if current else next((f for f in reversed(found) if f.last_day < day), None))


def held(case: MembershipCase, periods: list[Period]) -> list[InForce]:
    """Each agreement both parties signed with the days it holds, oldest first, one after the other."""
    signed = [agreement for agreement in case.agreements if agreement.both_signed]
    replaced = {agreement.continues_id for agreement in signed}
    found: list[InForce] = []
    for agreement in sorted((a for a in signed if a.id not in replaced), key=lambda a: (a.signed_on, a.id)):
        first = max(agreement.signed_on, found[-1].last_day + ONE_DAY) if found else agreement.signed_on
        last = _last_day(case, agreement, periods)
        if first <= last:
            found.append(InForce(agreement, first, last))
    return found


def _last_day(case: MembershipCase, agreement: Agreement, periods: list[Period]) -> date:
    """The agreement's end date, or the membership's last day when a notice or a merger ended it sooner."""
    last = agreement.end_date
    if case.notice_last_day is not None:
        last = min(last, case.notice_last_day)
    if case.state == TERMINATED and periods and periods[-1].last is not None:
        last = min(last, periods[-1].last)
    return last
