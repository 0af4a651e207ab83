"""The minutes of a meeting (agreement §7–8): drafted by the adviser, put on the agenda of the next meeting of the
same body, and approved there (the approval is that meeting's decision on the item) or returned for correction.
Approved minutes are locked."""

from __future__ import annotations

from .base import ADVISER, INVITED_FAMILY, MEMBER_FAMILY, TransitionSpec, Workflow
from .i18n import N_

DRAFT = "draft"
SUBMITTED = "submitted"
APPROVED = "approved"

STATES = {
    DRAFT: N_("Utkast"),
    SUBMITTED: N_("Til godkjenning"),
    APPROVED: N_("Godkjent"),
}

FAMILIES = {DRAFT: INVITED_FAMILY, SUBMITTED: INVITED_FAMILY, APPROVED: MEMBER_FAMILY}

GUARD_LABELS = {
    "has_minutes": N_("Skriv referatet eller last opp en PDF først."),
    "approval_meeting_started": N_("Referatet kan behandles først når møtet det ligger på sakslisten til, har "
                                   "begynt."),
}

TRANSITIONS = [
    TransitionSpec(
        "submit", (DRAFT,), SUBMITTED, N_("Legg fram referatet til godkjenning"), frozenset({ADVISER}),
        conditions=("has_minutes",),
        description=N_("Referatet blir en sak på sakslisten til det neste møtet i samme organ, og de inviterte "
                       "til møtet kan lese det. Det kan ikke endres mens det ligger til godkjenning."),
    ),
    TransitionSpec(
        "approve", (SUBMITTED,), APPROVED, N_("Registrer at referatet er godkjent"), frozenset({ADVISER}),
        conditions=("approval_meeting_started",),
        description=N_("Godkjenningen blir registrert som vedtak i saken på møtet der referatet ble behandlet. "
                       "Etterpå er referatet låst."),
    ),
    TransitionSpec(
        "return_for_correction", (SUBMITTED,), DRAFT, N_("Send referatet tilbake for retting"),
        frozenset({ADVISER}), conditions=("approval_meeting_started",), comment_required=True,
        description=N_("Møtet godkjente ikke referatet. Det som må rettes, blir vedtaket i saken, og referatet "
                       "blir et utkast igjen."),
    ),
]

MINUTES = Workflow("minutes", STATES, DRAFT, TRANSITIONS, GUARD_LABELS, FAMILIES)
