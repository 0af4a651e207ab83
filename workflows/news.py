"""News items on the public website: the adviser writes a draft, publishes it, and may take it down again."""

from __future__ import annotations

from .base import ADVISER, ENDED_FAMILY, INVITED_FAMILY, MEMBER_FAMILY, TransitionSpec, Workflow

DRAFT = "draft"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"

STATES = {
    DRAFT: "Utkast",
    PUBLISHED: "Publisert",
    WITHDRAWN: "Avpublisert",
}

FAMILIES = {DRAFT: INVITED_FAMILY, PUBLISHED: MEMBER_FAMILY, WITHDRAWN: ENDED_FAMILY}

TRANSITIONS = [
    TransitionSpec(
        "publish", (DRAFT, WITHDRAWN), PUBLISHED, "Publiser nyheten", frozenset({ADVISER}),
        description="Nyheten blir synlig på de offentlige sidene, med dagens dato.",
    ),
    TransitionSpec(
        "unpublish", (PUBLISHED,), WITHDRAWN, "Avpubliser nyheten", frozenset({ADVISER}),
        description="Nyheten blir tatt bort fra de offentlige sidene.",
    ),
]

NEWS = Workflow("news", STATES, DRAFT, TRANSITIONS, {}, FAMILIES)
