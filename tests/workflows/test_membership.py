"""The membership workflow matches the agreed rules, and its guards and next date read the dates correctly."""

from dataclasses import dataclass
from datetime import date

import pytest

from workflows import MEMBERSHIP, GuardFailed, next_date, notice_last_day, reply_open
from workflows.membership import invitation_closed
from workflows.membership import (
    ACCEPTED,
    ACTIVE,
    AGREEMENT_PENDING,
    DECLINED,
    EXPIRED,
    INVITED,
    NO_REPLY,
    NOTICE_GIVEN,
    SIGNED,
    TERMINATED,
    WITHDRAWN,
)

pytestmark = pytest.mark.filterwarnings("error")

C, A, S, SYS = "municipality_contact", "adviser", "signatory", "system"

# trigger: (sources, dest, roles, needs_approval, guards, comment_required, label)
EXPECTED = {
    "accept": ({INVITED, DECLINED}, ACCEPTED, {C, A}, False, ("reply_open",), False, "Svar ja"),
    "decline": ({INVITED, ACCEPTED}, DECLINED, {C, A}, False, ("reply_open",), False, "Svar nei"),
    "accept_late": (
        {INVITED, NO_REPLY}, ACCEPTED, {C}, True, ("reply_closed", "invitation_open"), False,
        "Be om å få svare ja etter fristen"
    ),
    "decline_late": (
        {INVITED, NO_REPLY}, DECLINED, {A}, False, ("reply_closed", "invitation_open"), False, "Registrer sent nei-svar"
    ),
    "expire_reply": ({INVITED}, NO_REPLY, {SYS}, False, ("reply_closed",), False, "Svarfristen gikk ut"),
    "reopen": ({NO_REPLY}, INVITED, {A}, False, ("invitation_open",), True, "Gi ny svarfrist"),
    "withdraw": (
        {INVITED, ACCEPTED, DECLINED, NO_REPLY}, WITHDRAWN, {A}, False, ("invitation_open",), True,
        "Trekk tilbake invitasjonen"
    ),
    "issue_agreement": ({ACCEPTED}, AGREEMENT_PENDING, {A}, False, (), False, "Send avtale til signering"),
    "complete_signing": (
        {AGREEMENT_PENDING}, SIGNED, {S, A}, False, ("both_signed",), False, "Registrer at begge parter har signert"
    ),
    "decline_signing": (
        {AGREEMENT_PENDING}, ACCEPTED, {S}, False, ("for_own_municipality",), True, "Avslå signering"
    ),
    "activate": ({SIGNED}, ACTIVE, {A}, False, ("both_signed",), False, "Aktiver medlemskapet"),
    "give_notice": ({ACTIVE}, NOTICE_GIVEN, {S}, True, (), False, "Gi skriftlig oppsigelse"),
    "withdraw_notice": ({NOTICE_GIVEN}, ACTIVE, {S, A}, True, ("notice_period_running",), True, "Trekk oppsigelsen"),
    "terminate": ({NOTICE_GIVEN}, TERMINATED, {SYS}, False, ("notice_period_over",), False, "Oppsigelsestiden er ute"),
    "expire": ({ACTIVE}, EXPIRED, {SYS}, False, ("agreement_ended",), False, "Avtaleperioden er slutt"),
    "renew": ({ACTIVE, EXPIRED}, AGREEMENT_PENDING, {A}, False, (), False, "Forny avtalen for en ny periode"),
    "end_by_merger": (
        {ACTIVE, NOTICE_GIVEN}, TERMINATED, {A}, False, (), True, "Avslutt ved kommunesammenslåing"
    ),
}


@pytest.mark.parametrize("trigger", EXPECTED)
def test_spec_matches_the_rules(trigger):
    spec = MEMBERSHIP.spec(trigger)
    actual = (
        set(spec.sources), spec.dest, set(spec.roles), spec.needs_approval, spec.conditions,
        spec.comment_required, spec.label,
    )
    assert actual == EXPECTED[trigger]


def test_no_triggers_beyond_the_rules():
    assert [spec.trigger for spec in MEMBERSHIP.specs] == list(EXPECTED)


def test_state_labels_and_order():
    assert list(MEMBERSHIP.states.values()) == [
        "Invitert", "Takket ja", "Takket nei", "Ikke svart", "Trukket tilbake", "Avtale til signering",
        "Signert", "Aktiv", "I oppsigelsestid", "Avsluttet", "Utløpt",
    ]
    assert MEMBERSHIP.initial == INVITED


def test_terminal_states():
    assert MEMBERSHIP.terminal_states == (WITHDRAWN, TERMINATED)


@dataclass(frozen=True)
class Case:
    """A realistic guard context built from dates, as the web app would provide it."""

    today: date
    deadline: date = date(2016, 11, 1)
    notice_date: date | None = None
    agreement_end: date | None = date(2022, 12, 31)
    signed_by_municipality: bool = False
    signed_by_bergen: bool = False
    acting_for_municipality: bool = True

    def reply_open(self):
        """The reply deadline has not passed."""
        return reply_open(self.today, self.deadline)

    def reply_closed(self):
        """The reply deadline has passed."""
        return not self.reply_open()

    def invitation_open(self):
        """The round invited to agreements from 2017."""
        return not invitation_closed(self.today, self.deadline, 2017)

    def both_signed(self):
        """Both parties have signed."""
        return self.signed_by_municipality and self.signed_by_bergen

    def notice_period_over(self):
        """The last day of membership after the notice is behind us."""
        return self.today > notice_last_day(self.notice_date, self.agreement_end)

    def notice_period_running(self):
        """The notice period still runs."""
        return not self.notice_period_over()

    def agreement_ended(self):
        """The agreement period is over."""
        return self.today > self.agreement_end

    def for_own_municipality(self):
        """The person acting belongs to the municipality, not to Bergen."""
        return self.acting_for_municipality


def test_a_membership_from_invitation_to_notice():
    steps = [
        ("accept", Case(date(2016, 11, 1)), ACCEPTED),
        ("issue_agreement", Case(date(2017, 1, 10)), AGREEMENT_PENDING),
        ("complete_signing", Case(date(2017, 2, 1), signed_by_municipality=True, signed_by_bergen=True), SIGNED),
        ("activate", Case(date(2017, 2, 2), signed_by_municipality=True, signed_by_bergen=True), ACTIVE),
        ("give_notice", Case(date(2020, 3, 1)), NOTICE_GIVEN),
        ("terminate", Case(date(2021, 3, 2), notice_date=date(2020, 3, 1)), TERMINATED),
    ]
    state = INVITED
    for trigger, case, expected in steps:
        state = MEMBERSHIP.fire(trigger, state, case)
        assert state == expected


@pytest.mark.parametrize(
    "trigger, state, case, guard",
    [
        ("accept", INVITED, Case(date(2016, 11, 2)), "reply_open"),
        ("expire_reply", INVITED, Case(date(2016, 11, 1)), "reply_closed"),
        ("complete_signing", AGREEMENT_PENDING, Case(date(2017, 2, 1), signed_by_municipality=True), "both_signed"),
        ("terminate", NOTICE_GIVEN, Case(date(2021, 3, 1), notice_date=date(2020, 3, 1)), "notice_period_over"),
        ("withdraw_notice", NOTICE_GIVEN, Case(date(2021, 3, 2), notice_date=date(2020, 3, 1)),
         "notice_period_running"),
        ("expire", ACTIVE, Case(date(2022, 12, 31)), "agreement_ended"),
    ],
)
def test_guards_use_the_dates(trigger, state, case, guard):
    with pytest.raises(GuardFailed) as info:
        MEMBERSHIP.fire(trigger, state, case)
    assert info.value.guards == [guard]
    assert str(info.value) == MEMBERSHIP.guard_labels[guard]


def test_the_deadline_day_still_allows_a_reply_and_the_next_day_expires_it():
    assert MEMBERSHIP.fire("accept", INVITED, Case(date(2016, 11, 1))) == ACCEPTED
    assert MEMBERSHIP.fire("expire_reply", INVITED, Case(date(2016, 11, 2))) == NO_REPLY


@pytest.mark.parametrize(
    "state, expected",
    [
        (INVITED, (date(2026, 12, 1), "Svarfrist")),
        (ACTIVE, (date(2027, 12, 31), "Avtalen gjelder til og med")),
        (NOTICE_GIVEN, (date(2027, 3, 1), "Medlem til og med")),
        (ACCEPTED, None),
        (TERMINATED, None),
    ],
)
def test_next_date(state, expected):
    assert next_date(state, date(2026, 12, 1), date(2027, 12, 31), date(2027, 3, 1)) == expected


def test_no_next_date_without_the_date():
    assert next_date(ACTIVE, date(2026, 12, 1), None, None) is None
    assert next_date(NOTICE_GIVEN, date(2026, 12, 1), date(2027, 12, 31), None) is None


@pytest.mark.parametrize(
    "today, expected",
    [(date(2016, 10, 31), True), (date(2016, 11, 1), True), (date(2016, 11, 2), False)],
    ids=["day-before", "deadline-day", "day-after"],
)
def test_reply_open(today, expected):
    assert reply_open(today, date(2016, 11, 1)) is expected


@pytest.mark.parametrize(
    "today, deadline, first_year, closed",
    [(date(2016, 11, 2), date(2016, 11, 1), 2017, False), (date(2016, 12, 31), date(2016, 11, 1), 2017, False),
     (date(2017, 1, 1), date(2016, 11, 1), 2017, True), (date(2026, 11, 30), date(2016, 11, 1), 2017, True),
     (date(2017, 1, 15), date(2017, 1, 15), 2017, False), (date(2017, 1, 16), date(2017, 1, 15), 2017, True),
     (date(2016, 11, 2), date(2016, 11, 1), 2016, True)],
    ids=["after-deadline", "last-day-before-period", "period-begins", "ten-years-on", "extended-deadline-day",
         "day-after-extended", "period-already-running"],
)
def test_an_invitation_closes_when_its_deadline_has_passed_and_its_period_begun(today, deadline, first_year, closed):
    assert invitation_closed(today, deadline, first_year) is closed


def test_a_closed_invitation_takes_no_late_answer_new_deadline_or_withdrawal():
    ten_years_on = Case(date(2026, 11, 30))
    for trigger, state in (("accept_late", NO_REPLY), ("decline_late", NO_REPLY), ("reopen", NO_REPLY),
                           ("withdraw", NO_REPLY), ("withdraw", DECLINED)):
        with pytest.raises(GuardFailed) as info:
            MEMBERSHIP.fire(trigger, state, ten_years_on)
        assert info.value.guards == ["invitation_open"], trigger
    assert MEMBERSHIP.fire("reopen", NO_REPLY, Case(date(2016, 12, 1))) == INVITED


def test_only_the_municipality_declines_signing_for_the_municipality():
    assert MEMBERSHIP.fire("decline_signing", AGREEMENT_PENDING, Case(date(2017, 1, 20))) == ACCEPTED
    with pytest.raises(GuardFailed) as info:
        MEMBERSHIP.fire("decline_signing", AGREEMENT_PENDING, Case(date(2017, 1, 20), acting_for_municipality=False))
    assert info.value.guards == ["for_own_municipality"]
    assert str(info.value) == "Bare kommunens egne signaturberettigede kan avslå signering for kommunen."
