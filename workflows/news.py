"""News items on the public website: the adviser writes a draft, publishes it, may take it down again, and discards
what will not be published."""

from __future__ import annotations

from .base import ADVISER, ENDED_FAMILY, ENDING_FAMILY, INVITED_FAMILY, MEMBER_FAMILY, TransitionSpec, Workflow
from .i18n import N_

DRAFT = "draft"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"
DISCARDED = "discarded"

STATES = {
    DRAFT: N_("Utkast"),
    PUBLISHED: N_("Publisert"),
    WITHDRAWN: N_("Avpublisert"),
    DISCARDED: N_("Forkastet"),
}

FAMILIES = {DRAFT: INVITED_FAMILY, PUBLISHED: MEMBER_FAMILY, WITHDRAWN: ENDING_FAMILY, DISCARDED: ENDED_FAMILY}

TRANSITIONS = [
    TransitionSpec(
        "publish", (DRAFT, WITHDRAWN), PUBLISHED, N_("Publiser nyheten"), frozenset({ADVISER}),
        description=N_("Nyheten blir synlig på de offentlige sidene, med dagens dato."),
    ),
    TransitionSpec(
        "unpublish", (PUBLISHED,), WITHDRAWN, N_("Avpubliser nyheten"), frozenset({ADVISER}),
        description=N_("Nyheten blir tatt bort fra de offentlige sidene."),
    ),
    TransitionSpec(
        "discard", (DRAFT, WITHDRAWN), DISCARDED, N_("Forkast nyheten for godt"), frozenset({ADVISER}),
        description=N_("Nyheten blir ikke publisert. Den blir stående i loggen, men kan ikke endres eller publiseres."),
    ),
]

NEWS = Workflow("news", STATES, DRAFT, TRANSITIONS, {}, FAMILIES)
