"""Membership of a municipality: invitation, reply, agreement, active membership, notice and end."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from .base import (ADVISER, ENDED_FAMILY, ENDING_FAMILY, INVITED_FAMILY, MEMBER_FAMILY, MUNICIPALITY_CONTACT, SIGNATORY,
                   SYSTEM, TransitionSpec, Workflow)
from .i18n import N_

INVITED = "invited"
ACCEPTED = "accepted"
DECLINED = "declined"
NO_REPLY = "no_reply"
WITHDRAWN = "withdrawn"
AGREEMENT_PENDING = "agreement_pending"
SIGNED = "signed"
ACTIVE = "active"
NOTICE_GIVEN = "notice_given"
TERMINATED = "terminated"
EXPIRED = "expired"

STATES = {
    INVITED: N_("Invitert"),
    ACCEPTED: N_("Takket ja"),
    DECLINED: N_("Takket nei"),
    NO_REPLY: N_("Ikke svart"),
    WITHDRAWN: N_("Trukket tilbake"),
    AGREEMENT_PENDING: N_("Avtale til signering"),
    SIGNED: N_("Signert"),
    ACTIVE: N_("Aktiv"),
    NOTICE_GIVEN: N_("I oppsigelsestid"),
    TERMINATED: N_("Avsluttet"),
    EXPIRED: N_("Utløpt"),
}

FAMILIES = {
    INVITED: INVITED_FAMILY, ACCEPTED: INVITED_FAMILY, AGREEMENT_PENDING: INVITED_FAMILY, SIGNED: INVITED_FAMILY,
    ACTIVE: MEMBER_FAMILY,
    NOTICE_GIVEN: ENDING_FAMILY,
    DECLINED: ENDED_FAMILY, NO_REPLY: ENDED_FAMILY, WITHDRAWN: ENDED_FAMILY, TERMINATED: ENDED_FAMILY,
    EXPIRED: ENDED_FAMILY,
}

GUARD_LABELS = {
    "reply_open": N_("Svarfristen har gått ut."),
    "reply_closed": N_("Svarfristen har ikke gått ut ennå."),
    "both_signed": N_("Begge parter må ha signert avtalen."),
    "notice_period_over": N_("Oppsigelsestiden er ikke ute ennå."),
    "notice_period_running": N_("Oppsigelsestiden er allerede ute."),
    "agreement_ended": N_("Avtaleperioden er ikke slutt ennå."),
    "for_own_municipality": N_("Bare kommunens egne signaturberettigede kan avslå signering for kommunen."),
    "invitation_open": N_("Invitasjonsrunden er lukket fordi svarfristen er ute og avtaleperioden har begynt. Kommunen "
                       "kan inviteres i en ny runde."),
}

TRANSITIONS = [
    TransitionSpec(
        "accept", (INVITED, DECLINED), ACCEPTED, N_("Svar ja"), frozenset({MUNICIPALITY_CONTACT, ADVISER}),
        conditions=("reply_open",),
        description=N_("Kommunen takker ja til invitasjonen."),
    ),
    TransitionSpec(
        "decline", (INVITED, ACCEPTED), DECLINED, N_("Svar nei"), frozenset({MUNICIPALITY_CONTACT, ADVISER}),
        conditions=("reply_open",),
        description=N_("Kommunen takker nei til invitasjonen."),
    ),
    TransitionSpec(
        "accept_late", (INVITED, NO_REPLY), ACCEPTED, N_("Be om å få svare ja etter fristen"),
        frozenset({MUNICIPALITY_CONTACT}), needs_approval=True, conditions=("reply_closed", "invitation_open"),
        request_label=N_("Sent ja-svar"),
        description=N_("Kommunens ja-svar etter svarfristen blir godtatt, og kommunen får status «Takket ja»."),
    ),
    TransitionSpec(
        "decline_late", (INVITED, NO_REPLY), DECLINED, N_("Registrer sent nei-svar"), frozenset({ADVISER}),
        conditions=("reply_closed", "invitation_open"),
        description=N_("Et nei-svar som kom etter svarfristen, blir registrert."),
    ),
    TransitionSpec(
        "expire_reply", (INVITED,), NO_REPLY, N_("Svarfristen gikk ut"), frozenset({SYSTEM}),
        conditions=("reply_closed",),
        description=N_("Svarfristen er ute uten svar, og kommunen får status «Ikke svart»."),
    ),
    TransitionSpec(
        "reopen", (NO_REPLY,), INVITED, N_("Gi ny svarfrist"), frozenset({ADVISER}), comment_required=True,
        conditions=("invitation_open",),
        description=N_("Kommunen som ikke svarte innen fristen, får en ny svarfrist og kan svare på invitasjonen igjen."),
    ),
    TransitionSpec(
        "withdraw", (INVITED, ACCEPTED, DECLINED, NO_REPLY), WITHDRAWN, N_("Trekk tilbake invitasjonen"),
        frozenset({ADVISER}), comment_required=True, conditions=("invitation_open",),
        description=N_("Invitasjonen blir trukket tilbake for godt; kommunen kan ikke lenger svare på den."),
    ),
    TransitionSpec(
        "issue_agreement", (ACCEPTED,), AGREEMENT_PENDING, N_("Send avtale til signering"), frozenset({ADVISER}),
        description=N_("Samarbeidsavtalen blir sendt til kommunen for signering."),
    ),
    TransitionSpec(
        "complete_signing", (AGREEMENT_PENDING,), SIGNED, N_("Registrer at begge parter har signert"),
        frozenset({SIGNATORY, ADVISER}), conditions=("both_signed",), automatic=True,
        description=N_("Avtalen blir registrert som signert av både kommunen og Bergen kommune."),
    ),
    TransitionSpec(
        "decline_signing", (AGREEMENT_PENDING,), ACCEPTED, N_("Avslå signering"), frozenset({SIGNATORY}),
        conditions=("for_own_municipality",), comment_required=True,
        description=N_("Kommunen signerer ikke avtalen slik den er, og saken går tilbake til «Takket ja»."),
    ),
    TransitionSpec(
        "activate", (SIGNED,), ACTIVE, N_("Aktiver medlemskapet"), frozenset({ADVISER}),
        conditions=("both_signed",),
        description=N_("Kommunen blir aktiv medlemskommune i samarbeidet."),
    ),
    TransitionSpec(
        "give_notice", (ACTIVE,), NOTICE_GIVEN, N_("Gi skriftlig oppsigelse"), frozenset({SIGNATORY}),
        needs_approval=True, request_label="Oppsigelse",
        description=N_("FoU-rådgiveren bekrefter at kommunens skriftlige oppsigelse er mottatt, og ett års "
                    "oppsigelsestid begynner."),
    ),
    TransitionSpec(
        "withdraw_notice", (NOTICE_GIVEN,), ACTIVE, N_("Trekk oppsigelsen"), frozenset({SIGNATORY, ADVISER}),
        needs_approval=True, conditions=("notice_period_running",), comment_required=True,
        request_label=N_("Tilbaketrekking av oppsigelse"),
        description=N_("Oppsigelsen blir trukket, og kommunen fortsetter som aktiv medlemskommune."),
    ),
    TransitionSpec(
        "terminate", (NOTICE_GIVEN,), TERMINATED, N_("Oppsigelsestiden er ute"), frozenset({SYSTEM}),
        conditions=("notice_period_over",),
        description=N_("Oppsigelsestiden er ute, og medlemskapet avsluttes dagen etter siste dag som medlem."),
    ),
    TransitionSpec(
        "expire", (ACTIVE,), EXPIRED, N_("Avtaleperioden er slutt"), frozenset({SYSTEM}),
        conditions=("agreement_ended",),
        description=N_("Avtaleperioden er slutt, og medlemskapet får status «Utløpt» til avtalen eventuelt fornyes."),
    ),
    TransitionSpec(
        "renew", (ACTIVE, EXPIRED), AGREEMENT_PENDING, N_("Forny avtalen for en ny periode"), frozenset({ADVISER}),
        description=N_("En ny samarbeidsavtale for en ny avtaleperiode blir sendt til kommunen for signering."),
    ),
    TransitionSpec(
        "end_by_merger", (ACTIVE, NOTICE_GIVEN), TERMINATED, N_("Avslutt ved kommunesammenslåing"),
        frozenset({ADVISER}), comment_required=True,
        description=N_("Medlemskapet avsluttes fordi kommunen er slått sammen med en annen kommune."),
    ),
]

MEMBERSHIP = Workflow("membership", STATES, INVITED, TRANSITIONS, GUARD_LABELS, FAMILIES)


class NextDate(NamedTuple):
    """The date a case waits for in its state, and what it is."""

    day: date
    label: str


NEXT_DATE_LABELS = {INVITED: "Svarfrist", ACTIVE: N_("Avtalen gjelder til og med"), NOTICE_GIVEN: N_("Medlem til og med")}


def next_date(state: str, reply_deadline: date, agreement_last_day: date | None,
              notice_last_day: date | None) -> NextDate | None:
    """What comes next: the reply deadline of an invitation, the last day of an active agreement or of a notice."""
    day = {INVITED: reply_deadline, ACTIVE: agreement_last_day, NOTICE_GIVEN: notice_last_day}.get(state)
    return NextDate(day, NEXT_DATE_LABELS[state]) if day else None


def reply_open(today: date, deadline: date) -> bool:
    """Whether a reply is still on time: the deadline day itself counts."""
    return today <= deadline


def invitation_closed(today: date, last_deadline: date, first_year: int) -> bool:
    """Whether an invitation (or a whole round, with its latest deadline) is closed: its deadline has passed and the
    period it invited to has begun (1 January of its first contribution year). Until then the adviser may give those
    who did not answer a new deadline; after, nothing about answering it is offered: no reminder, new deadline, late
    answer or withdrawal (an accepted invitation still gets its agreement)."""
    return not reply_open(today, last_deadline) and today >= date(first_year, 1, 1)
