"""What waits for the adviser: counted in one query, for the menu's badge, the approval inbox and the home page."""
from dataclasses import dataclass
from functools import cache

from flask import g
from sqlalchemy import Select, select

from app.extensions import db
from app.models import User
from app.services import joins, mailbox_links, representatives, subgroups, workflow


@dataclass(frozen=True)
class Waiting:
    requests: int
    subgroups: int  # submitted or seconded: listed in the inbox
    seconded: int  # of those, ready for the adviser to record the decision
    representatives: int
    contacts: int  # people who answered from an official mailbox, to confirm as contact person
    joins: int  # confirmed requests to join, to decide

    @property
    def actionable(self) -> int:
        """What the adviser can act on now: the number on the menu's badge."""
        return self.requests + self.seconded + self.representatives + self.contacts + self.joins


def counts() -> Waiting:
    """What waits in the inbox, counted in one query and kept for the rest of the request (menu and inbox)."""
    if "waiting" not in g:
        g.waiting = Waiting(*db.session.execute(_waiting_query()).one())
    return g.waiting


def actionable_count(user: User) -> int:
    """The menu badge (the menu shows the inbox to the adviser only)."""
    return counts().actionable


@cache
def _waiting_query() -> Select:
    """Built once: the badge is on every page the adviser opens. A/B at 500 municipalities 30.11.2026, a light
    adviser page (organisations.organisation_new): 7.7 ms built once, 9.9 ms built per call (+28 %)."""
    counts = (workflow.pending_count_query(), subgroups.awaiting_decision_count_query(),
              subgroups.ready_for_decision_count_query(), representatives.proposals_count_query(),
              mailbox_links.awaiting_count_query(), joins.awaiting_count_query())
    return select(*(count.scalar_subquery() for count in counts))
