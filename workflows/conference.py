"""Registrations for the annual conference: a place or the waiting list, moving up, cancelling, attendance."""

from __future__ import annotations

from .base import ADVISER, ENDED_FAMILY, INVITED_FAMILY, MEMBER_FAMILY, SYSTEM, TransitionSpec, Workflow
from .i18n import N_

REGISTERED = "registered"
CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
CANCELLED = "cancelled"
ATTENDED = "attended"
ABSENT = "absent"

STATES = {
    REGISTERED: N_("Påmeldt"),
    CONFIRMED: N_("Bekreftet plass"),
    WAITLISTED: N_("På venteliste"),
    CANCELLED: N_("Avmeldt"),
    ATTENDED: N_("Møtte"),
    ABSENT: N_("Møtte ikke"),
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
        "confirm", (REGISTERED,), CONFIRMED, N_("Gi plass"), frozenset({SYSTEM}), automatic=True,
        description=N_("Det er ledig plass: påmeldingen blir bekreftet."),
    ),
    TransitionSpec(
        "waitlist", (REGISTERED,), WAITLISTED, N_("Sett på venteliste"), frozenset({SYSTEM}), automatic=True,
        description=N_("Konferansen er full: påmeldingen settes på ventelisten."),
    ),
    TransitionSpec(
        "move_up", (WAITLISTED,), CONFIRMED, N_("Rykk opp fra ventelisten"), frozenset({SYSTEM}), automatic=True,
        description=N_("Noen meldte seg av: den første på ventelisten får plassen."),
    ),
    TransitionSpec(
        "cancel", (CONFIRMED, WAITLISTED), CANCELLED, N_("Meld av"), frozenset({SYSTEM, ADVISER}), automatic=True,
        description=N_("Deltakeren melder seg av med lenken i e-posten, eller FoU-rådgiveren melder av."),
    ),
    TransitionSpec(
        "attend", (CONFIRMED, ABSENT), ATTENDED, N_("Registrer oppmøte"), frozenset({ADVISER}), automatic=True,
        description=N_("Etter konferansen: deltakeren møtte."),
    ),
    TransitionSpec(
        "mark_absent", (CONFIRMED, ATTENDED), ABSENT, N_("Registrer fravær"), frozenset({ADVISER}), automatic=True,
        description=N_("Etter konferansen: deltakeren møtte ikke."),
    ),
]

REGISTRATION = Workflow("conference_registration", STATES, REGISTERED, TRANSITIONS, {}, FAMILIES)
