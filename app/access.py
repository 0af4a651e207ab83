"""Who sees what: which municipality's membership (its cases, agreements, representatives and dates), and which
meetings. Every page, list and the calendar feed read these rules; nothing decides it a second time.

Bergen's side of the cooperation agreement sees every municipality: the R&D adviser, the administrator and Bergen's
signatories, who sign and give notice for the host (agreement § 13). Everyone else sees their own organisation only.
A meeting is seen by the people invited to it, and by the adviser and the administrator, who see every meeting;
so are its agenda items and their documents. Its minutes are the adviser's while they are a draft; once they are
put before the next meeting for approval, and when approved, the invitees read them too.
A request for approval is seen by the adviser, who decides it, and by the person who made it.
"""
from collections.abc import Collection

from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import InstrumentedAttribute

from app.models.request import TransitionRequest
from app.models.user import User
from workflows.minutes import DRAFT
from workflows.roles import ADMIN, ADVISER, SIGNATORY


def sees_all(user: User) -> bool:
    return user.has_role(ADVISER, ADMIN) or (
        SIGNATORY in user.roles and user.organisation is not None and user.organisation.is_host)


def sees(user: User, organisation_id: int) -> bool:
    return sees_all(user) or (user.organisation_id is not None and user.organisation_id == organisation_id)


def sees_memberships(user: User) -> bool:
    """Whether `user` has memberships to see (the lists of cases, agreements and members): Bergen's side sees every
    municipality's; the people of a municipality that can be a member see their own. The other parties (the
    university, the health trust) have none."""
    own = user.organisation
    return sees_all(user) or (own is not None and own.is_municipality and not own.is_host)


def visible(user: User, organisation_id: ColumnElement) -> ColumnElement[bool]:
    """SQL: the rows whose `organisation_id` column names a municipality `user` sees."""
    return true() if sees_all(user) else organisation_id == (user.organisation_id or -1)


def sees_every_meeting(user: User) -> bool:
    return user.has_role(ADVISER, ADMIN)


def sees_meeting(user: User, invitee_ids: Collection[int]) -> bool:
    """Whether `user` sees a meeting with these invitees (their user ids)."""
    return sees_every_meeting(user) or user.id in invitee_ids


def sees_minutes(user: User, minutes_state: str, invitee_ids: Collection[int]) -> bool:
    """Whether `user` reads the minutes of a meeting with these invitees, in this state of the minutes."""
    return sees_every_meeting(user) or (minutes_state != DRAFT and user.id in invitee_ids)


def visible_meeting(user: User, invitees: InstrumentedAttribute) -> ColumnElement[bool]:
    """SQL: the meetings `user` sees, through the meeting's `invitees` relationship."""
    return true() if sees_every_meeting(user) else invitees.any(user_id=user.id)


def sees_request(user: User, request: TransitionRequest) -> bool:
    return user.has_role(ADVISER) or request.requested_by_id == user.id
