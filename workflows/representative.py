"""A representative's term (agreement §8): proposed by the municipality, decided by the adviser, lapsing at the end."""

from __future__ import annotations

from .base import ADVISER, PROPOSER, SYSTEM, TransitionSpec, Workflow

PROPOSED = "proposed"
APPROVED = "approved"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
LAPSED = "lapsed"

STATES = {
    PROPOSED: "Venter på godkjenning",
    APPROVED: "Godkjent",
    REJECTED: "Avvist",
    WITHDRAWN: "Trukket",
    LAPSED: "Bortfalt",
}

# States in which a term holds its seat: nobody else may be proposed for that seat in an overlapping period.
HOLDING = (PROPOSED, APPROVED)

GUARD_LABELS = {
    "is_proposer": "Bare den som la inn representanten, kan registrere den.",
    "not_proposer": "Du kan ikke godkjenne ditt eget forslag.",
}

TRANSITIONS = [
    TransitionSpec(
        "register", (PROPOSED,), APPROVED, "Registrer representanten", frozenset({ADVISER}),
        conditions=("is_proposer",), automatic=True,
        description="FoU-rådgiveren legger inn en representant selv, og perioden gjelder med en gang.",
    ),
    TransitionSpec(
        "approve", (PROPOSED,), APPROVED, "Godkjenn forslaget", frozenset({ADVISER}),
        conditions=("not_proposer",),
        description="Forslaget blir godkjent. Erstatter den nye representanten en annen, slutter den forrige "
                    "perioden dagen før den nye begynner.",
    ),
    TransitionSpec(
        "reject", (PROPOSED,), REJECTED, "Avvis forslaget", frozenset({ADVISER}), comment_required=True,
        destructive=True,
        description="Forslaget blir avvist, og den som sendte det, får begrunnelsen.",
    ),
    TransitionSpec(
        "withdraw", (PROPOSED,), WITHDRAWN, "Trekk forslaget", frozenset({PROPOSER}), destructive=True,
        description="Den som sendte forslaget, trekker det før det er behandlet.",
    ),
    TransitionSpec(
        "lapse", (PROPOSED, APPROVED), LAPSED, "Bortfaller fordi medlemskapet slutter", frozenset({SYSTEM}),
        automatic=True,
        description="Medlemskapet slutter: forslag som venter og perioder som ikke har begynt, bortfaller.",
    ),
]

REPRESENTATIVE = Workflow("representative", STATES, PROPOSED, TRANSITIONS, GUARD_LABELS)
