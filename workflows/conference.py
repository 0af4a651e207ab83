"""Registrations for the annual conference: a place or the waiting list, moving up, cancelling, attendance."""

from __future__ import annotations

from .base import ADVISER, ENDED_FAMILY, INVITED_FAMILY, MEMBER_FAMILY, SYSTEM, TransitionSpec, Workflow

REGISTERED = "registered"
CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
CANCELLED = "cancelled"
ATTENDED = "attended"
ABSENT = "absent"

STATES = {
    REGISTERED: "Påmeldt",
    CONFIRMED: "Bekreftet plass",
    WAITLISTED: "På venteliste",
    CANCELLED: "Avmeldt",
    ATTENDED: "Møtte",
    ABSENT: "Møtte ikke",
}

FAMILIES = {
    REGISTERED: INVITED_FAMILY, WAITLISTED: INVITED_FAMILY,
    CONFIRMED: MEMBER_FAMILY, ATTENDED: MEMBER_FAMILY,
    CANCELLED: ENDED_FAMILY, ABSENT: ENDED_FAMILY,
}

# Every step is the app's own (automatic): the conference service takes it after its own checks (capacity under a
# lock, the cancel link's token, the adviser's attendance list), never a button on a generic page.
TRANSITIONS = [
    TransitionSpec(
        "confirm", (REGISTERED,), CONFIRMED, "Gi plass", frozenset({SYSTEM}), automatic=True,
        description="Det er ledig plass: påmeldingen blir bekreftet.",
    ),
    TransitionSpec(
        "waitlist", (REGISTERED,), WAITLISTED, "Sett på venteliste", frozenset({SYSTEM}), automatic=True,
        description="Konferansen er full: påmeldingen settes på ventelisten.",
    ),
    TransitionSpec(
        "move_up", (WAITLISTED,), CONFIRMED, "Rykk opp fra ventelisten", frozenset({SYSTEM}), automatic=True,
        description="Noen meldte seg av: den første på ventelisten får plassen.",
    ),
    TransitionSpec(
        "cancel", (CONFIRMED, WAITLISTED), CANCELLED, "Meld av", frozenset({SYSTEM, ADVISER}), automatic=True,
        description="Deltakeren melder seg av med lenken i e-posten, eller FoU-rådgiveren melder av.",
    ),
    TransitionSpec(
        "attend", (CONFIRMED, ABSENT), ATTENDED, "Registrer oppmøte", frozenset({ADVISER}), automatic=True,
        description="Etter konferansen: deltakeren møtte.",
    ),
    TransitionSpec(
        "mark_absent", (CONFIRMED, ATTENDED), ABSENT, "Registrer fravær", frozenset({ADVISER}), automatic=True,
        description="Etter konferansen: deltakeren møtte ikke.",
    ),
]

REGISTRATION = Workflow("conference_registration", STATES, REGISTERED, TRANSITIONS, {}, FAMILIES)
