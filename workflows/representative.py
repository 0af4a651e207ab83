"""A representative's term (agreement §8): proposed by the municipality, decided by the adviser, lapsing at the end."""

from __future__ import annotations

from .base import (ADVISER, ENDED_FAMILY, INVITED_FAMILY, MEMBER_FAMILY, PROPOSER, SYSTEM, TransitionSpec,
                   Workflow)
from .i18n import N_

PROPOSED = "proposed"
APPROVED = "approved"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
LAPSED = "lapsed"

STATES = {
    PROPOSED: N_("Venter på godkjenning"),
    APPROVED: N_("Godkjent"),
    REJECTED: N_("Avvist"),
    WITHDRAWN: N_("Trukket"),
    LAPSED: N_("Bortfalt"),
}

# States in which a term holds its seat: nobody else may be proposed for that seat in an overlapping period.
HOLDING = (PROPOSED, APPROVED)

FAMILIES = {
    PROPOSED: INVITED_FAMILY, APPROVED: MEMBER_FAMILY, REJECTED: ENDED_FAMILY, WITHDRAWN: ENDED_FAMILY,
    LAPSED: ENDED_FAMILY,
}

GUARD_LABELS = {
    "is_proposer": N_("Bare den som la inn representanten, kan registrere den."),
    "not_proposer": N_("Du kan ikke godkjenne ditt eget forslag."),
}

TRANSITIONS = [
    TransitionSpec(
        "register", (PROPOSED,), APPROVED, N_("Registrer representanten"), frozenset({ADVISER}),
        conditions=("is_proposer",), automatic=True,
        description=N_("FoU-rådgiveren legger inn en representant selv, og perioden gjelder med en gang."),
    ),
    TransitionSpec(
        "approve", (PROPOSED,), APPROVED, N_("Godkjenn forslaget"), frozenset({ADVISER}),
        conditions=("not_proposer",),
        description=N_("Forslaget blir godkjent. Erstatter den nye representanten en annen, slutter den forrige "
                    "perioden dagen før den nye begynner."),
    ),
    TransitionSpec(
        "reject", (PROPOSED,), REJECTED, N_("Avvis forslaget"), frozenset({ADVISER}), comment_required=True,
        description=N_("Forslaget blir avvist, og den som sendte det, får begrunnelsen."),
    ),
    TransitionSpec(
        "withdraw", (PROPOSED,), WITHDRAWN, N_("Trekk forslaget"), frozenset({PROPOSER}),
        description=N_("Den som sendte forslaget, trekker det før det er behandlet."),
    ),
    TransitionSpec(
        "lapse", (PROPOSED, APPROVED), LAPSED, N_("Bortfaller fordi medlemskapet slutter"), frozenset({SYSTEM}),
        automatic=True,
        description=N_("Medlemskapet slutter: forslag som venter og perioder som ikke har begynt, bortfaller."),
    ),
]

REPRESENTATIVE = Workflow("representative", STATES, PROPOSED, TRANSITIONS, GUARD_LABELS, FAMILIES)
